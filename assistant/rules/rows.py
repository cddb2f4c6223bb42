"""Table rows as measure → item maps, and the measures that make up 基本支出.

Several layouts split 基本支出 into columns of their own: 人员经费 + 公用经费, or (Lhasa)
工资福利支出 + 对个人和家庭补助 + 公用经费. A table whose amount columns are not all known
here is left alone by the identity rules: a column we cannot place could hold the difference.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .base import DocData, Item, Table

TOTAL = "合计"
BASIC = "基本支出"
PROJECT = "项目支出"
PERSONNEL = "人员经费"
PUBLIC = "公用经费"
PREVIOUS = "上年预算数"
# 决算 columns
BUDGET_START = "年初预算数"
BUDGET_FULL = "全年预算数"
FINAL = "决算数"
# Columns that together make up 基本支出, in either split.
BASIC_PARTS = frozenset({PERSONNEL, PUBLIC, "工资福利支出", "对个人和家庭补助", "对个人和家庭的补助"})
KNOWN_MEASURES = BASIC_PARTS | {TOTAL, BASIC, PROJECT, PREVIOUS}
COMPARABLE = (TOTAL, BASIC, PROJECT, PERSONNEL, PUBLIC, PREVIOUS, BUDGET_START, BUDGET_FULL, FINAL)
NOT_IDENTITY_TABLES = {"income_expenditure_summary", "sangong", "performance", "procurement", "assets",
                       "income", "other"}


@dataclass
class Row:
    """One printed row (one side of a side-by-side table) with its certain amounts by measure."""

    table: Table
    row_no: int
    name: str
    code: str | None
    is_total: bool
    cells: dict[str, Item]

    def fen(self, measure: str) -> int | None:
        item = self.cells.get(measure)
        return item.amount_fen if item else None

    def basic_parts(self) -> list[Item]:
        return [item for measure, item in self.cells.items() if measure in BASIC_PARTS]


def table_rows(doc: DocData, table: Table) -> list[Row]:
    """The table's rows; a row that printed one measure twice with two values is left out."""
    return doc.cached(("rows", table.table_id), lambda: _rows(doc, table))


def _rows(doc: DocData, table: Table) -> list[Row]:
    grouped: dict[tuple, list[Item]] = defaultdict(list)
    for item in doc.items:
        if item.table_id == table.table_id:
            grouped[(item.row_no, item.side or "", item.classification, item.name)].append(item)
    rows = []
    for (row_no, _, _, name), items in grouped.items():
        if any(i.uncertain for i in items):
            continue
        cells: dict[str, Item] = {}
        clash = False
        for item in items:
            seen = cells.setdefault(item.measure, item)
            clash |= seen.amount_fen != item.amount_fen
        if not clash:
            rows.append(Row(table, row_no, name, items[0].code, items[0].is_total, cells))
    return sorted(rows, key=lambda r: r.row_no)


def measures_of(doc: DocData, table: Table) -> set[str]:
    return {i.measure for i in doc.items if i.table_id == table.table_id}


def identity_tables(doc: DocData) -> list[Table]:
    """Tables whose amount columns are all known budget measures (so identities can be checked)."""
    out = []
    for table in doc.tables.values():
        measures = measures_of(doc, table)
        if table.kind in NOT_IDENTITY_TABLES or not measures or not measures <= KNOWN_MEASURES:
            continue
        if {PERSONNEL, "工资福利支出"} <= measures:  # two splits at once: parts would overlap
            continue
        out.append(table)
    return out


def comparable(doc: DocData, row: Row) -> dict[str, tuple[int, list[Item]]]:
    """The row's amounts by what they mean, so two tables compare like with like.

    In a 基本支出 table the 合计 is the 基本支出 part; in a project table it is 项目支出; a table
    that splits 基本支出 into parts without printing it gives the sum of the parts."""
    kind = row.table.kind
    out: dict[str, tuple[int, list[Item]]] = {}
    for measure, item in row.cells.items():
        if measure == TOTAL and kind == "basic_expenditure":
            measure = BASIC
        elif measure == TOTAL and kind == "project":
            measure = PROJECT
        if measure in COMPARABLE:
            out[measure] = (item.amount_fen, [item])
    parts = row.basic_parts()
    if BASIC not in out and parts and kind != "basic_expenditure":
        out[BASIC] = (sum(i.amount_fen for i in parts), parts)
    return out
