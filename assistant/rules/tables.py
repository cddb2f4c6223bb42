"""Arithmetic inside one table: R01 收支平衡, R03 上下级科目, R04 合计 = 基本 + 项目, R05 基本 = 人员 + 公用."""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from .base import (DocData, Issue, Item, in_unit, item_ref, rounding_slack, rule, show_fen, show_item, subject_of,
                   where_item)
from .rows import BASIC, BASIC_PARTS, PROJECT, TOTAL, identity_tables, measures_of, table_rows

_BALANCES = (("本年收入合计", "本年支出合计"), ("收入总计", "支出总计"))
_CARRIED = ("结转", "结余")


@rule("R01", "收支总表中收入合计应等于支出合计（本年收入合计 = 本年支出合计，收入总计 = 支出总计）")
def income_equals_expenditure(doc: DocData) -> Iterator[Issue]:
    for table in doc.tables.values():
        if table.kind != "income_expenditure_summary":
            continue
        items = [i for i in doc.certain_items() if i.table_id == table.table_id and i.measure == TOTAL]
        carried = any(w in i.name for i in items for w in _CARRIED if i.amount_fen)
        for income_name, spending_name in _BALANCES:
            # 本年 figures balance only without carry-overs; a 决算 or a budget with 结转 balances in 总计.
            if income_name.startswith("本年") and (carried or doc.kind == "决算"):
                continue
            incomes = [i for i in items if i.name == income_name]
            spendings = [i for i in items if i.name == spending_name]
            if not incomes:
                continue
            income = incomes[0]
            for spending in _distinct(spendings):
                if spending.amount_fen != income.amount_fen:
                    diff = show_fen(abs(income.amount_fen - spending.amount_fen), income.unit)
                    yield Issue(income_name, f"{where_item(doc, income)}{income_name}{show_item(income)}，"
                                f"{spending_name}{show_item(spending)}，相差{diff}。",
                                [item_ref(income), item_ref(spending)],
                                stated=in_unit(spending.amount_fen, income.unit),
                                expected=in_unit(income.amount_fen, income.unit), unit=income.unit)


def _distinct(items: list[Item]) -> list[Item]:
    seen: dict[int, Item] = {}
    for item in items:
        seen.setdefault(item.amount_fen, item)
    return list(seen.values())


@rule("R03", "上级科目的金额应等于其下级科目之和（功能分类、经济分类，逐表逐栏）")
def parent_equals_children(doc: DocData) -> Iterator[Issue]:
    for table in doc.tables.values():
        if table.kind == "income_expenditure_summary":
            continue
        items = [i for i in doc.items if i.table_id == table.table_id and i.code]
        by_code: dict[tuple[str, str, str], list[Item]] = defaultdict(list)
        children: dict[tuple[str, str, str], list[Item]] = defaultdict(list)
        for item in items:
            by_code[(item.classification, item.code, item.measure)].append(item)
            if item.parent_code:
                children[(item.classification, item.parent_code, item.measure)].append(item)
        # A code the reader could not place under its parent (3012 for 30102) would be missing
        # from its parent's sum: such a parent is not checked.
        orphans = [i.code for i in items if not i.parent_code and i.level != "类" and len(i.code) > 3]
        sums: list[tuple[Item, list[Item], str, str]] = []
        for key, kids in children.items():
            parents = by_code.get(key, [])
            if any(code.startswith(key[1]) for code in orphans):
                continue
            if len(parents) == 1 and not parents[0].uncertain and not any(k.uncertain for k in kids):
                sums.append((parents[0], kids, subject_of(parents[0]), "其下级科目"))
        sums += _total_row_vs_classes(doc, table, items)
        yield from _unequal_sums(doc, sums)


def _total_row_vs_classes(doc: DocData, table, coded: list[Item]) -> list[tuple[Item, list[Item], str, str]]:
    """A table's 合计 row against the sum of its top-level (类) rows, per measure."""
    totals = [i for i in doc.items if i.table_id == table.table_id and i.is_total and not i.code]
    by_measure: dict[str, list[Item]] = defaultdict(list)
    for total in totals:
        by_measure[total.measure].append(total)
    classes = [i for i in coded if i.level == "类" and i.classification in ("function", "dept_economic", "gov_economic")]
    if len({i.classification for i in classes}) != 1:
        return []
    out = []
    for measure, rows in by_measure.items():
        kids = [i for i in classes if i.measure == measure]
        if len(_distinct(rows)) == 1 and kids and not rows[0].uncertain and not any(k.uncertain for k in kids):
            out.append((rows[0], kids, f"（{rows[0].name}）", "各类级科目"))
    return out


def _unequal_sums(doc: DocData, sums: list[tuple[Item, list[Item], str, str]]) -> Iterator[Issue]:
    """One finding per printed row: columns of a row that are off by the same amount go together."""
    grouped: dict[tuple, list[tuple[Item, list[Item], str, str]]] = defaultdict(list)
    for parent, kids, subject, what in sums:
        total = sum(k.amount_fen for k in kids)
        if total != parent.amount_fen:
            grouped[(parent.table_id, parent.row_no, parent.amount_fen, total)].append((parent, kids, subject, what))
    for (_, _, fen, total), same in grouped.items():
        parent, kids, subject, what = same[0]
        columns = "、".join(f"“{p.column_label or p.measure}”" for p, *_ in same)
        codes = "、".join(k.code for k in kids if k.code)
        diff = abs(total - fen)
        slack = rounding_slack([(k.amount_text, k.unit) for k in kids] + [(parent.amount_text, parent.unit)])
        note = "，在各项四舍五入的误差之内" if diff <= slack else ""
        refs = [item_ref(i) for p, k, *_ in same for i in [p] + k]
        yield Issue(subject.strip("（）"), f"{where_item(doc, parent)}{subject}{columns}为{show_item(parent)}，"
                    f"{what}（{codes}）之和为{show_fen(total, parent.unit)}，相差{show_fen(diff, parent.unit)}{note}。",
                    refs, "info" if note else None, stated=in_unit(fen, parent.unit),
                    expected=in_unit(total, parent.unit), unit=parent.unit)


@rule("R04", "每一行的合计应等于基本支出与项目支出之和")
def total_equals_basic_plus_project(doc: DocData) -> Iterator[Issue]:
    for table in identity_tables(doc):
        measures = measures_of(doc, table)
        has_basic = BASIC in measures or measures & BASIC_PARTS
        if PROJECT not in measures or not has_basic or table.kind == "basic_expenditure":
            continue
        for row in table_rows(doc, table):
            total = row.cells.get(TOTAL)
            if BASIC in measures:  # a blank 基本支出 cell is zero
                basic = [row.cells[BASIC]] if BASIC in row.cells else []
            else:
                basic = row.basic_parts()
            parts = basic + ([row.cells[PROJECT]] if PROJECT in row.cells else [])
            if total is None or not parts:
                continue
            yield from _row_sum(doc, row, total, parts, "基本支出与项目支出之和")


@rule("R05", "基本支出应等于人员经费与公用经费之和")
def basic_equals_personnel_plus_public(doc: DocData) -> Iterator[Issue]:
    for table in identity_tables(doc):
        measures = measures_of(doc, table)
        whole = TOTAL if table.kind == "basic_expenditure" else BASIC
        if whole not in measures or not any(row.basic_parts() for row in table_rows(doc, table)):
            continue
        for row in table_rows(doc, table):
            basic, parts = row.cells.get(whole), row.basic_parts()
            if basic is None or not parts:
                continue
            yield from _row_sum(doc, row, basic, parts, "、".join(p.measure for p in parts) + "之和")


def _row_sum(doc: DocData, row, whole: Item, parts: list[Item], what: str) -> Iterator[Issue]:
    total = sum(p.amount_fen for p in parts)
    if total == whole.amount_fen:
        return
    label = "基本支出" if whole.measure == TOTAL and row.table.kind == "basic_expenditure" else whole.column_label
    subject = subject_of(whole) if whole.code else row.name
    yield Issue(subject, f"{where_item(doc, whole)}{subject}的{label}为{show_item(whole)}，{what}为"
                f"{show_fen(total, whole.unit)}，相差{show_fen(abs(total - whole.amount_fen), whole.unit)}。",
                [item_ref(whole)] + [item_ref(p) for p in parts], stated=in_unit(whole.amount_fen, whole.unit),
                expected=in_unit(total, whole.unit), unit=whole.unit)
