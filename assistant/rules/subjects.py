"""Which table rows print the figure a text sentence states.

By code when the text gives one (行政运行（2101501）); else the document's totals by their
common words (基本支出, 项目支出, 人员经费, 公用经费, 收入/支出 totals), the “三公” items, and
finally a row of the same name — only when that name means one code in the document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from db.glossary import glossary
from ingest.textutil import squash

from .base import DocData, Item, TextFig
from .rows import BASIC, FINAL, PREVIOUS, TOTAL, comparable, table_rows
from .sangong import canonical as sangong_name
from .vocabulary import INCOME_TOTAL_WORDS, SPENDING_TOTAL_WORDS, TOTAL_COLUMNS

_TABLE_KINDS = ("expenditure", "basic_expenditure", "project", "income_expenditure_summary", "income", "sangong")
_INCOME_ROWS = ("本年收入合计", "收入总计")
_SPENDING_ROWS = ("本年支出合计", "支出总计")
# "收入支出总计" / "财政拨款收入支出总计": the 总计 row of the summary table (with 上年结转).
_GRAND_TOTAL = re.compile(r"(?P<funded>财政拨款)?(?:收入支出|收支)(?:总计)?")
_GRAND_ROWS = ("总计", "收入总计", "支出总计")
# "一般公共服务支出决算", "行政运行预算数": the row is named without the column word.
_SUFFIX = re.compile(r"(决算数|决算|预算数)$")


@dataclass
class Printed:
    """An amount the tables print for a subject, with the items it was read (or summed) from."""

    fen: int
    items: list[Item]
    label: str  # what the amount is: "合计", "基本支出" …


def printed_for(doc: DocData, fig: TextFig, measure: str = TOTAL) -> list[Printed]:
    """Table amounts for the subject of `fig`, in `measure` (合计, or 上年预算数 for last year)."""
    return printed_for_subject(doc, fig.subject, fig.code, measure)


def printed_for_subject(doc: DocData, subject: str | None, code: str | None, measure: str = TOTAL) -> list[Printed]:
    """Table amounts for a subject (and its code, when the text printed one) in `measure`."""
    if code:
        found = _by_code(doc, code, measure)
        if found:
            return found
    subject = squash(subject or "")
    if doc.kind == "决算" and measure == TOTAL and subject.endswith(("决算", "决算数")):
        measure = FINAL  # "公务接待费决算" is read in the 决算数 column, never in the 年初预算数 beside it
    subject = _SUFFIX.sub("", subject)
    if not subject:
        return []
    grand = _GRAND_TOTAL.fullmatch(subject)
    if grand and measure != PREVIOUS:
        return _grand_totals(doc, funded=bool(grand.group("funded")))
    if subject in TOTAL_COLUMNS and measure == TOTAL:
        return _totals(doc, TOTAL_COLUMNS[subject])
    words = glossary()["total_rows"]
    if subject in set(words["本年收入合计"]) | set(INCOME_TOTAL_WORDS):
        return _named(doc, _INCOME_ROWS, measure, totals=True)
    if subject in set(words["本年支出合计"]) | set(SPENDING_TOTAL_WORDS):
        return _named(doc, _SPENDING_ROWS, measure, totals=True)
    sangong = sangong_name(subject)
    if sangong:
        return _sangong(doc, sangong, measure)
    return _by_name(doc, subject, measure)


def _meaning(doc: DocData, item: Item, measure: str) -> list[Printed]:
    """The row's amount in `measure`, read like with like (a basic table's 合计 is 基本支出)."""
    for row in table_rows(doc, doc.table_of(item)):
        if row.row_no == item.row_no and item in row.cells.values():
            meaning = comparable(doc, row)
            key = measure if measure in meaning else _fallback(doc, row, meaning, measure)
            if key:
                fen, items = meaning[key]
                return [Printed(fen, items, key)]
    return []


def _fallback(doc: DocData, row, meaning: dict, measure: str) -> str | None:
    """A row without a 合计: a 基本支出 table's row is its 基本支出, a 决算's is its 决算数."""
    if measure != TOTAL:
        return None
    if BASIC in meaning and row.table.kind == "basic_expenditure":
        return BASIC
    if doc.kind == "决算" and FINAL in meaning:
        return FINAL
    return None


def _rows_with(doc: DocData, match) -> list[Item]:
    """One representative certain item per printed row that `match` accepts."""
    seen, out = set(), []
    for item in doc.certain_items():
        table = doc.table_of(item)
        if table.kind not in _TABLE_KINDS or not match(item):
            continue
        key = (item.table_id, item.row_no, item.side, item.name)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _collect(doc: DocData, items: list[Item], measure: str) -> list[Printed]:
    out: list[Printed] = []
    for item in items:
        out += _meaning(doc, item, measure)
    return out


def _by_code(doc: DocData, code: str, measure: str) -> list[Printed]:
    return _collect(doc, _rows_with(doc, lambda i: i.code == code and not i.is_total), measure)


def _totals(doc: DocData, measure: str) -> list[Printed]:
    items = _rows_with(doc, lambda i: i.is_total and not i.code and doc.table_of(i).kind != "income_expenditure_summary")
    return _collect(doc, items, measure)


def _named(doc: DocData, names: tuple[str, ...], measure: str, totals: bool = False) -> list[Printed]:
    items = [i for i in doc.certain_items() if i.name in names and i.measure == measure
             and doc.table_of(i).kind in _TABLE_KINDS and (i.is_total or not totals)]
    return [Printed(i.amount_fen, [i], i.measure) for i in items]


def _grand_totals(doc: DocData, funded: bool) -> list[Printed]:
    """The 总计 rows of the 收支总表 (funded: of the 财政拨款收支总表), one per side."""
    items = {}
    for i in doc.certain_items():
        table = doc.table_of(i)
        if (table.kind == "income_expenditure_summary" and i.name in _GRAND_ROWS and i.measure != PREVIOUS
                and ("财政拨款" in table.title) == funded):
            items.setdefault((i.table_id, i.side), i)
    return [Printed(i.amount_fen, [i], i.measure) for i in items.values()]


def _sangong(doc: DocData, name: str, measure: str) -> list[Printed]:
    items = [i for i in doc.certain_items() if doc.table_of(i).kind == "sangong" and sangong_name(i.name) == name
             and (i.measure == measure or (measure == TOTAL and i.measure != PREVIOUS))]
    return [Printed(i.amount_fen, [i], i.measure) for i in items]


def _by_name(doc: DocData, subject: str, measure: str) -> list[Printed]:
    items = _rows_with(doc, lambda i: squash(i.name) == subject and not i.is_total)
    if len({i.code for i in items if i.code}) > 1:
        return []  # 行政运行 under 21001 and under 21015: the name alone does not say which
    return _collect(doc, items, measure)


def best(printed: list[Printed], doc: DocData) -> Printed:
    """The one to cite: a detail table before a summary table, then the first printed."""
    order = {"expenditure": 0, "basic_expenditure": 1, "project": 1, "sangong": 1,
             "income_expenditure_summary": 2, "income": 3}
    return min(printed, key=lambda p: (order.get(doc.table_of(p.items[0]).kind, 4), doc.table_of(p.items[0]).seq,
                                       p.items[0].row_no))
