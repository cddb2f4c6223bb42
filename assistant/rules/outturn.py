"""The text against the tables where a reviewer of a 决算 (and of a budget's “三公” table) looks:

R24  the text states a figure where the table prints a blank or no row; the text says there is
     none ("无政府性基金…支出") where the table holds money
R25  决算: "决算数大于/小于/等于/持平预算数" against the 年初预算 and 决算 the sentence gives
R26  决算: a completion rate over a budget of 0 (never skipped)
R27  决算: a 决算 that differs from its budget gives the reason (in that sentence or the next)
R28  人员经费 / 公用经费 of the text against the 人员经费合计 / 公用经费合计 rows
R29  percentages that cannot be: a share over 100% or below 0, a fall of more than 100%
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from ingest.textutil import FEN_PER_UNIT, squash

from .base import (DocData, Issue, Item, TextFig, in_unit, item_ref, line_ref, rule, show_fen, show_fig, show_item,
                   table_ref, text_ref, where_fig, where_item)
from .changes import _REASON
from .empty import _declared_empty
from .rows import BUDGET_FULL, BUDGET_START, FINAL, TOTAL
from .sangong import canonical as sangong_name
from .subjects import printed_for_subject
from .textual import agrees, mended
from .vocabulary import SANGONG_TOTAL

_NUMBER = r"(\d+(?:\.\d+)?)"
# "年初预算为1560.05万元，支出决算为1511.89万元"
_PAIR = re.compile(rf"(?P<basis>年初预算|全年预算|调整预算|预算)数?(?:为|是)?{_NUMBER}(?P<ua>万元|元)"
                   rf"[^。；;]{{0,24}}?决算数?(?:为|是)?{_NUMBER}(?P<ub>万元|元)")
# "决算数小于预算数", "决算数与预算数持平", "决算数与年初预算数基本持平"
_RELATION = re.compile(r"决算数?[^。，,；;]{0,10}?(?P<rel>基本持平|持平|相等|一致|大于|小于|高于|低于|超过|多于|少于|等于)")
_MORE, _LESS, _SAME = ("大于", "高于", "超过", "多于"), ("小于", "低于", "少于"), ("持平", "相等", "一致", "等于")
_NONE_OF = re.compile(r"(?:无|没有)[^。；;，,]{0,12}?(?P<what>“?三公”?经费|三公经费|政府性基金|国有资本经营)"
                      r"[^。；;]{0,16}?(?:收入|支出|拨款|预算)")
_KIND_OF = {"三公": "sangong", "政府性基金": "government_fund", "国有资本经营": "state_capital"}
_BUDGET_WORDS = {"年初": BUDGET_START, "全年": BUDGET_FULL, "调整": BUDGET_FULL}


def _plain(text: str) -> str:
    """Spaces and thousands separators out, so the patterns read '1,560.05 万元' as '1560.05万元'."""
    return re.sub(r"(?<=\d)[,，](?=\d{3})", "", squash(text))


def _fen(number: str, unit: str) -> int:
    return int(Decimal(number) * FEN_PER_UNIT[unit])


def _paragraphs(doc: DocData):
    return [ln for ln in doc.lines if ln.kind == "paragraph"]


# ---- R24 -----------------------------------------------------------------------------------

@rule("R24", "说明写了金额而表中该栏为空或没有该行（如“三公”经费年初预算）；说明称“无…支出”而表中有金额")
def text_against_blank_cells(doc: DocData) -> Iterator[Issue]:
    yield from _sangong_blanks(doc)
    yield from _none_but_money(doc)


def _sangong_column(doc: DocData, fig: TextFig) -> str | None:
    """The column of the “三公” table a text figure is read in: 年初预算 / 全年预算 / 决算 in a
    决算; None (any column) in a budget."""
    if doc.kind != "决算":
        return None
    subject = fig.subject or ""
    for word, measure in _BUDGET_WORDS.items():
        if word in subject:
            return measure
    return FINAL if "决算" in subject else None


def _sangong_blanks(doc: DocData) -> Iterator[Issue]:
    tables = [t for t in doc.tables.values() if t.kind == "sangong"]
    if len(tables) != 1:
        return  # two “三公” tables (all funds and one fund) would not say which holds the figure
    table = tables[0]
    items = [i for i in doc.items if i.table_id == table.table_id]
    if not items or not fully_read(doc, table):
        return
    for fig in doc.figures:
        if fig.kind != "amount" or not fig.is_money or not fig.value or fig.compared_to:
            continue
        if "三公" not in f"{fig.section or ''}{fig.sentence}":
            continue  # 公务用车运行维护费 in a list of 公用经费 is the economic item 30231, not the “三公” one
        name = sangong_name(re.sub(r"(年初预算|全年预算|调整预算|预算数|预算|决算数|决算|支出)+$", "", fig.subject or ""))
        if not name:
            continue
        column = _sangong_column(doc, fig)
        if column is None and doc.kind == "决算":
            continue
        if column and not any(i.measure == column for i in items):
            continue  # the table has no such column at all: nothing to compare
        row = [i for i in items if (sangong_name(i.name) or (SANGONG_TOTAL if i.is_total else None)) == name
               and (i.measure == column if column else i.measure != "上年预算数")]
        if any(i.amount_fen for i in row):
            continue
        printed = "为0" if row else "为空（没有该项金额）"
        what = {BUDGET_START: "年初预算", BUDGET_FULL: "全年预算", FINAL: "决算"}.get(column, "")
        yield Issue(name, f"{where_fig(fig)}写{fig.subject}{show_fig(fig)}，而《{table.title}》中{name}的{what}数"
                    f"{printed}。", [text_ref(fig), table_ref(table)] + [item_ref(i) for i in row],
                    stated=fig.value, expected=Decimal(0), unit=fig.unit)


_NUMERIC = re.compile(r"-?[\d,，]+(\.\d+)?")


def fully_read(doc: DocData, table) -> bool:
    """Every number the table prints was stored as an item, none of them uncertain: a blank is
    then a blank, not a cell the reader lost."""
    items = [i for i in doc.items if i.table_id == table.table_id]
    if any(i.uncertain for i in items):
        return False
    numbers = sum(1 for cells in doc.rows.get(table.table_id, []) for c in cells
                  for part in c.split() if _NUMERIC.fullmatch(part.strip()))
    distinct = {(i.row_no, i.side, i.name, i.measure, i.column_label) for i in items}
    return numbers <= len(distinct)


def _none_but_money(doc: DocData) -> Iterator[Issue]:
    for ln in _paragraphs(doc):
        for m in _NONE_OF.finditer(squash(ln.text)):
            what = m.group("what").replace("“", "").replace("”", "")
            kind = next(k for w, k in _KIND_OF.items() if w in what)
            for table in doc.tables.values():
                if table.kind != kind or _declared_empty(doc, table):
                    continue
                money = [i for i in doc.items if i.table_id == table.table_id and i.amount_fen and not i.uncertain
                         and i.measure not in (BUDGET_START, BUDGET_FULL, "上年预算数")
                         and (doc.kind != "决算" or i.measure in (FINAL, TOTAL))]
                if money:
                    shown = "、".join(f"{i.name}{show_item(i)}" for i in money[:3])
                    yield Issue(what, f"说明写“{m.group(0)}”，但《{table.title}》列有金额：{shown}。",
                                [line_ref(ln), table_ref(table)] + [item_ref(i) for i in money])


# ---- R25 / R27 -------------------------------------------------------------------------------

def _pairs(doc: DocData):
    """(line, match, text after the match up to the next pair) for each budget/决算 pair."""
    if doc.kind != "决算":
        return []
    out = []
    for ln in _paragraphs(doc):
        text = _plain(ln.text)
        found = list(_PAIR.finditer(text))
        for n, m in enumerate(found):
            end = found[n + 1].start() if n + 1 < len(found) else len(text)
            out.append((ln, m, text[m.end():end][:160]))
    return out


@rule("R25", "决算：“决算数大于／小于／等于（持平）预算数”应与同句所写的预算数、决算数相符")
def final_wording_matches(doc: DocData) -> Iterator[Issue]:
    for ln, m, after in _pairs(doc):
        rel = _RELATION.search(after)
        if not rel or rel.group("rel") == "基本持平":
            continue
        budget, final = _fen(m.group(2), m.group("ua")), _fen(m.group(4), m.group("ub"))
        word = rel.group("rel")
        wrong = (word in _MORE and not final > budget) or (word in _LESS and not final < budget) or \
                (word in _SAME and final != budget)
        if wrong:
            yield Issue(m.group("basis"), f"说明“{ln.section or ''}”写{m.group('basis')}{m.group(2)}{m.group('ua')}、"
                        f"决算{m.group(4)}{m.group('ub')}，却称“{rel.group(0)}”：“{m.group(0)}…”。", [line_ref(ln)],
                        stated=Decimal(m.group(4)), expected=Decimal(m.group(2)), unit=m.group("ub"))


@rule("R27", "决算：决算数与预算数不同时，应在同句或下一句说明原因", severity="info")
def final_variance_has_reason(doc: DocData) -> Iterator[Issue]:
    for ln, m, after in _pairs(doc):
        budget, final = _fen(m.group(2), m.group("ua")), _fen(m.group(4), m.group("ub"))
        if budget == final:
            continue
        sentences = re.split(r"[。；;]", after)
        nearby = "".join(sentences[:2])
        if _REASON.search(nearby) or _REASON.search(m.group(0)):
            continue
        yield Issue(m.group("basis"), f"说明“{ln.section or ''}”写{m.group('basis')}{m.group(2)}{m.group('ua')}、决算"
                    f"{m.group(4)}{m.group('ub')}，两者不同，但同句及下一句都没有说明原因。", [line_ref(ln)])


# ---- R26 -----------------------------------------------------------------------------------

@rule("R26", "决算：预算数为0时不应写完成率（完成预算的…%）")
def completion_over_zero_budget(doc: DocData) -> Iterator[Issue]:
    if doc.kind != "决算":
        return
    figures = mended(doc)
    for n, rate in enumerate(figures):
        if rate.kind not in ("percent", "share") or "完成" not in (rate.subject or ""):
            continue
        clause = []
        for f in reversed(figures[:n]):
            if f.sentence != rate.sentence or f.line != rate.line or f.kind in ("percent", "share"):
                break
            clause.insert(0, f)
        final = next((f for f in reversed(clause) if f.kind == "amount" and "决算" in (f.subject or "")), None)
        if not final:
            continue
        budget = next((f for f in clause if f.kind == "amount" and f is not final and "预算" in (f.subject or "")), None)
        subject = re.sub(r"(支出)?决算数?$", "", final.subject or "")
        if budget is not None:
            zero, where, refs = budget.value == 0, f"写{budget.subject}{show_fig(budget)}", [text_ref(budget)]
        else:
            zero, where, refs = _table_budget_is_zero(doc, subject, final)
        if zero:
            yield Issue(subject or "完成率", f"{where_fig(rate)}写{final.subject}{show_fig(final)}，完成预算的"
                        f"{show_fig(rate)}；而{where}，预算为0时完成率无从计算。",
                        [text_ref(final), text_ref(rate)] + refs)


def _table_budget_is_zero(doc: DocData, subject: str, final: TextFig) -> tuple[bool, str, list[dict]]:
    """The table's budget of the subject is 0 or blank (a “三公” item with no 年初预算 printed in a
    table that prints the column)."""
    name = sangong_name(subject)
    if name:
        tables = [t for t in doc.tables.values() if t.kind == "sangong"]
        if len(tables) != 1:
            return False, "", []
        if not fully_read(doc, tables[0]):
            return False, "", []
        items = [i for i in doc.items if i.table_id == tables[0].table_id]
        budgets = [i for i in items if i.measure in (BUDGET_START, BUDGET_FULL)]
        if not budgets:
            return False, "", []
        row = [i for i in budgets if (sangong_name(i.name) or (SANGONG_TOTAL if i.is_total else None)) == name]
        if any(i.amount_fen for i in row):
            return False, "", []
        shown = "为0" if row else "为空"
        return True, f"《{tables[0].title}》中{name}的预算数{shown}", [table_ref(tables[0])] + [item_ref(i) for i in row]
    printed = printed_for_subject(doc, subject, final.code, BUDGET_START) if subject else []
    if printed and all(p.fen == 0 for p in printed):
        item = printed[0].items[0]
        return True, f"{where_item(doc, item)}年初预算数为{show_item(item)}", [item_ref(item)]
    return False, "", []


# ---- R28 -----------------------------------------------------------------------------------

_ROW_TOTALS = {"人员经费": ("人员经费合计", "人员经费"), "公用经费": ("公用经费合计", "公用经费", "日常公用经费合计")}
_TEXT_NAMES = {"人员经费": "人员经费", "公用经费": "公用经费", "日常公用经费": "公用经费"}


@rule("R28", "说明中的人员经费、公用经费应与基本支出表的人员经费合计、公用经费合计行一致")
def personnel_and_public_match_rows(doc: DocData) -> Iterator[Issue]:
    rows: dict[str, list[Item]] = {}
    for item in doc.certain_items():
        if doc.table_of(item).kind != "basic_expenditure" or item.code:
            continue
        for key, names in _ROW_TOTALS.items():
            if squash(item.name) in names and item.measure in (FINAL, TOTAL, "基本支出"):
                rows.setdefault(key, []).append(item)
    if not rows:
        return
    already = _r08_text_ids(doc)
    for fig in doc.figures:
        key = _TEXT_NAMES.get(squash(fig.subject or ""))
        if fig.kind != "amount" or not fig.is_money or not key or key not in rows or fig.figure_id in already:
            continue
        if not fig.section or "基本支出" not in fig.section:
            continue
        if any(agrees(fig, i.amount_fen) for i in rows[key]):
            continue
        item = rows[key][0]
        yield Issue(key, f"{where_fig(fig)}写{fig.subject}{show_fig(fig)}，{where_item(doc, item)}{item.name}为"
                    f"{show_item(item)}，相差{show_fen(abs(fig.fen - item.amount_fen), item.unit)}。",
                    [text_ref(fig), item_ref(item)], stated=fig.value, expected=in_unit(item.amount_fen, fig.unit),
                    unit=fig.unit)


def _r08_text_ids(doc: DocData) -> set[int]:
    from .text import _readings
    return {r["id"] for _, issue in _readings(doc) for r in issue.refs if r["kind"] == "text"}


# ---- R29 -----------------------------------------------------------------------------------

def _printed_as_share(fig: TextFig) -> bool:
    """"占…120%" is a share; "完成预算的120%" or "为上年的120%" is a ratio that may pass 100%."""
    number = format(abs(fig.value), "f").rstrip("0").rstrip(".") if "." in format(fig.value, "f") else str(abs(fig.value))
    plain = _plain(fig.sentence)
    m = re.search(rf"(占|比重|比例)[^，,；;。%]{{0,20}}?{re.escape(number)}", plain)
    return bool(m) and "完成" not in m.group(0) and "上年" not in m.group(0)

@rule("R29", "百分比不可能的取值：占比大于100%或为负，下降超过100%，完成率为负")
def impossible_percentages(doc: DocData) -> Iterator[Issue]:
    for fig in mended(doc):
        if fig.unit not in ("%", "％"):
            continue
        why = None
        if fig.kind == "share" and not 0 <= fig.value <= 100 and _printed_as_share(fig):
            why = "占比应在0%到100%之间"
        elif fig.kind == "percent" and fig.compared_to and fig.value < -100:
            why = "下降幅度不可能超过100%"
        elif "完成" in (fig.subject or "") and fig.value < 0:
            why = "完成率不可能为负"
        if why:
            yield Issue(fig.subject or "百分比", f"{where_fig(fig)}写{fig.subject or ''}{abs(fig.value)}%：{why}："
                        f"“{fig.sentence}”。", [text_ref(fig)])
