"""One figure printed in two tables: R02 收支总表 vs 功能分类支出表, R07 one code in two tables."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterator

from ingest.textutil import squash

from .base import DocData, Issue, Item, Table, in_unit, item_ref, rule, show_fen, show_item, where_item
from .rows import TOTAL, comparable, table_rows
from .vocabulary import FUNCTION_CLASSES

_ECONOMIC = ("dept_economic", "gov_economic")
_CODE = re.compile(r"\d{3}(\d{2}){0,2}")


def _title(table: Table) -> str:
    return f"《{table.title}》"


# ---- R02 -----------------------------------------------------------------------------------

@dataclass
class _Gap:
    """A 类 of a summary table that the function table prints differently or not at all."""

    summary: Item
    function: Item | None  # None: the function table has no such 类

    @property
    def excess(self) -> int:
        """How much more the function table holds for this 类 than the summary table."""
        return (self.function.amount_fen if self.function else 0) - self.summary.amount_fen


@rule("R02", "收支总表中各类支出应等于功能分类支出表中同名类级科目的金额")
def summary_equals_function_table(doc: DocData) -> Iterator[Issue]:
    function_tables = {t.table_id: _classes(doc, t) for t in doc.tables.values() if t.kind == "expenditure"}
    function_tables = {k: v for k, v in function_tables.items() if v}
    if not function_tables:
        return
    names = set(FUNCTION_CLASSES) | {squash(i.name) for v in function_tables.values() for i in v.values()}
    issues: dict[tuple, tuple[list[Table], Issue]] = {}
    for table in doc.tables.values():
        if table.kind != "income_expenditure_summary":
            continue
        summary = [i for i in doc.certain_items() if i.table_id == table.table_id and not i.is_total
                   and i.measure == TOTAL and i.classification not in _ECONOMIC and squash(i.name) in names]
        if not summary:
            continue
        reference = max(function_tables.values(), key=lambda classes: sum(
            1 for i in summary if squash(i.name) in classes and classes[squash(i.name)].amount_fen == i.amount_fen))
        gaps = [_Gap(i, reference.get(squash(i.name))) for i in summary]
        gaps = [g for g in gaps if g.excess]
        for key, issue in _explain(doc, gaps):
            seen = issues.get(key)
            if seen:  # the same gap printed by a second summary table: one finding naming both
                seen[0].append(table)
                seen[1].refs.extend(r for r in issue.refs if r not in seen[1].refs)
            else:
                issues[key] = ([table], issue)
    for tables, issue in issues.values():
        if len(tables) > 1:
            first = _title(tables[0])
            issue.message = issue.message.replace(first, "".join(_title(t) for t in tables), 1)
        yield issue


def _classes(doc: DocData, table: Table) -> dict[str, Item]:
    """The table's 类-level rows (3-digit function codes) in 合计, by name."""
    return {squash(i.name): i for i in doc.certain_items()
            if i.table_id == table.table_id and i.classification == "function" and i.code
            and len(i.code) == 3 and i.measure == TOTAL}


def _explain(doc: DocData, gaps: list[_Gap]) -> Iterator[tuple[tuple, Issue]]:
    """A 类 the function table lacks whose amount it holds under another 类 is one finding."""
    missing = [g for g in gaps if g.function is None]
    different = [g for g in gaps if g.function is not None]
    for gap in missing:
        s = gap.summary
        code = FUNCTION_CLASSES.get(squash(s.name))
        label = f"{code} {s.name}" if code else s.name
        holder = next((g for g in different if g.excess == s.amount_fen), None)
        if holder:
            different.remove(holder)
            f, h = holder.function, holder.summary
            yield (("moved", s.name, s.amount_fen, f.item_id), Issue(
                s.name, f"{_title(doc.table_of(s))}把{show_item(s)}列在{s.name}下，而{_title(doc.table_of(f))}"
                f"没有{label}这一类；其{f.code} {f.name}为{show_item(f)}，比{_title(doc.table_of(s))}的"
                f"{show_item(h)}多{show_fen(holder.excess, f.unit)}，即这笔钱算在了{f.name}里。",
                [item_ref(s), item_ref(h), item_ref(f)]))
        else:
            yield (("missing", s.name, s.amount_fen), Issue(
                s.name, f"{_title(doc.table_of(s))}列{s.name}{show_item(s)}（第{s.row_no}行），"
                f"功能分类支出表中没有{label}这一类级科目。", [item_ref(s)]))
    for gap in different:
        s, f = gap.summary, gap.function
        yield (("differs", s.name, s.amount_fen, f.item_id), Issue(
            f"{f.name}（{f.code}）", f"{s.name}：{_title(doc.table_of(s))}为{show_item(s)}，{where_item(doc, f)}为"
            f"{show_item(f)}，相差{show_fen(abs(gap.excess), f.unit)}。", [item_ref(s), item_ref(f)],
            stated=in_unit(s.amount_fen, f.unit), expected=in_unit(f.amount_fen, f.unit), unit=f.unit))


# ---- R07 -----------------------------------------------------------------------------------

@rule("R07", "同一科目在同一文件的两张表中、同一口径下的金额应相同（基本支出表的合计只与基本支出比）")
def same_code_same_amount(doc: DocData) -> Iterator[Issue]:
    values: dict[tuple[str, str, str], list[tuple[Table, int, list[Item]]]] = defaultdict(list)
    totals: dict[tuple[int, str], int] = {}
    for table in doc.tables.values():
        if table.kind not in ("expenditure", "basic_expenditure", "project"):
            continue
        rows = table_rows(doc, table)
        codes = Counter(r.code for r in rows)
        for row in rows:
            meaning = comparable(doc, row)
            if row.is_total and not row.code:
                totals.update({(table.table_id, m): fen for m, (fen, _) in meaning.items()})
                continue
            classification = next(iter(row.cells.values())).classification
            if (classification not in ("function",) + _ECONOMIC or not row.code or codes[row.code] > 1
                    or not _CODE.fullmatch(row.code)):
                continue
            for measure, (fen, items) in meaning.items():
                values[(classification, row.code, measure)].append((table, fen, items))
    pairs: dict[tuple, list[tuple[str, tuple, tuple]]] = defaultdict(list)
    for (_, code, measure), printed in values.items():
        common = Counter(fen for _, fen, _ in printed).most_common(1)[0][0]
        reference = next(p for p in printed if p[1] == common)
        for other in printed:
            if other[1] != common and _same_scope(totals, reference[0], other[0], measure):
                pairs[(code, reference[0].table_id, other[0].table_id)].append((measure, reference, other))
    for (code, _, _), differences in pairs.items():
        yield _differs(doc, code, differences)


def _same_scope(totals: dict, a: Table, b: Table, measure: str) -> bool:
    """Two tables whose grand totals differ cover different money (all funds vs one fund)."""
    ta, tb = totals.get((a.table_id, measure)), totals.get((b.table_id, measure))
    return ta is None or tb is None or ta == tb


def _differs(doc: DocData, code: str, differences: list[tuple[str, tuple, tuple]]) -> Issue:
    """One finding per code and pair of tables, naming each column that differs."""
    first = differences[0][1][2][0]
    other = differences[0][2][2][0]

    def show(items: list[Item], fen: int) -> str:
        if len(items) == 1:
            return show_item(items[0])
        return f"{show_fen(fen, items[0].unit)}（{'+'.join(i.measure for i in items)}）"

    parts = [f"{measure}{show(a[2], a[1])}与{show(b[2], b[1])}，相差{show_fen(abs(a[1] - b[1]), first.unit)}"
             for measure, a, b in differences]
    refs = [item_ref(i) for _, a, b in differences for i in a[2] + b[2]]
    return Issue(f"{first.name}（{code}）", f"{first.name}（{code}）在{where_item(doc, first)}与{where_item(doc, other)}"
                 f"金额不同：{'；'.join(parts)}。", list({r["id"]: r for r in refs}.values()),
                 stated=in_unit(differences[0][2][1], first.unit), expected=in_unit(differences[0][1][1], first.unit),
                 unit=first.unit)
