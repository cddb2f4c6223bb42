"""R08 the text states a figure the tables print differently; R13 units that look wrong.

Both come from one reading of every amount the text states: the table rows printing the
same subject (assistant/rules/subjects.py), and the items the text lists under it. A figure
exactly 10,000× off its table row or its listed items is a unit slip (R13), not a second
R08 finding.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from ingest.textutil import FEN_PER_UNIT

from .base import (DocData, Issue, TextFig, in_unit, item_ref, rounding_slack, rule, show_fen, show_fig, subject_of,
                   text_ref, where_fig, where_item)
from .sangong import canonical as sangong_name
from .subjects import Printed, best, printed_for
from .textual import agrees, listed_parts, text_after
from .vocabulary import PARTIAL_SECTIONS

WAN = 10_000
_ITEMISED_TOTALS = ("机关运行经费",)


@rule("R08", "说明中写的金额应与表中同一科目（按编码，否则按名称；基本支出、项目支出、人员经费、公用经费、"
             "收支总额、“三公”经费、机关运行经费及其所列各项）的金额一致")
def text_matches_tables(doc: DocData) -> Iterator[Issue]:
    return iter([issue for rule_id, issue in _readings(doc) if rule_id == "R08"])


@rule("R13", "单位疑似有误：说明中的金额与表中同一科目或其所列各项之和数字相同、单位相差一万倍")
def units_look_wrong(doc: DocData) -> Iterator[Issue]:
    return iter([issue for rule_id, issue in _readings(doc) if rule_id == "R13"])


def _readings(doc: DocData) -> list[tuple[str, Issue]]:
    return doc.cached("text-vs-tables", lambda: _read_all(doc))


def _read_all(doc: DocData) -> list[tuple[str, Issue]]:
    out: dict[tuple, tuple[str, Issue]] = {}
    for fig in doc.figures:
        if fig.kind != "amount" or not fig.is_money or not fig.subject or fig.compared_to:
            continue
        if fig.section and any(w in fig.section for w in PARTIAL_SECTIONS):
            continue
        for rule_id, key, issue in _read(doc, fig):
            if key in out:  # the same wrong figure stated again: one finding, every place cited
                out[key][1].refs.extend(r for r in issue.refs if r not in out[key][1].refs)
            else:
                out[key] = (rule_id, issue)
    return list(out.values())


def _read(doc: DocData, fig: TextFig) -> Iterator[tuple[str, tuple, Issue]]:
    parts = listed_parts(doc, fig)
    parts_fen = sum(p.fen for p in parts)
    printed = printed_for(doc, fig)
    unit_slip = False
    if printed and not any(_agrees(fig, p) for p in printed):
        slipped = [p for p in printed if _same_number_other_unit(fig, p)]
        cited = best(slipped or printed, doc)
        where = f"{where_item(doc, cited.items[0])}{_label(cited)}"
        if slipped:
            unit_slip = True
            yield "R13", ("table", fig.subject, fig.value, fig.unit), Issue(
                _subject(fig, cited), f"{where_fig(fig)}写{fig.subject}{show_fig(fig)}，{where}为{_show(cited)}："
                f"数字相同而单位相差一万倍，疑为单位笔误。", [text_ref(fig)] + [item_ref(i) for i in cited.items])
        else:
            listed = (f"；说明所列{len(parts)}项合计{show_fen(parts_fen, parts[0].unit)}，与表一致"
                      if parts and parts_fen == cited.fen else "")
            yield "R08", ("table", fig.subject, fig.value, cited.items[0].item_id), Issue(
                _subject(fig, cited), f"{where_fig(fig)}写{fig.subject}{show_fig(fig)}，{where}为{_show(cited)}，"
                f"相差{show_fen(abs(fig.fen - cited.fen), cited.items[0].unit)}{listed}。",
                [text_ref(fig)] + [item_ref(i) for i in cited.items] + [text_ref(p) for p in parts],
                stated=fig.value, expected=in_unit(cited.fen, fig.unit), unit=fig.unit)
    if not parts or parts_fen == fig.fen or unit_slip:
        return
    listing = "、".join(f"{p.subject}{show_fig(p)}" for p in parts if p.value)
    refs = [text_ref(fig)] + [text_ref(p) for p in parts]
    if parts_fen in (fig.fen * WAN, fig.fen // WAN) and (parts_fen == fig.fen * WAN or fig.fen % WAN == 0):
        yield "R13", ("parts", fig.figure_id), Issue(
            fig.subject, f"{where_fig(fig)}写{fig.subject}{show_fig(fig)}，而所列各项（{listing}）合计"
            f"{show_fen(parts_fen, parts[0].unit)}：数字相同而单位不同，疑为{show_fen(parts_fen, parts[0].unit)}。", refs)
    elif sangong_name(fig.subject) is None and any(w in fig.subject for w in _ITEMISED_TOTALS):
        partial = text_after(fig).lstrip("，,：: ").startswith("主要") and parts_fen < fig.fen
        if not partial:
            yield "R08", ("parts", fig.figure_id), Issue(
                fig.subject, f"{where_fig(fig)}写{fig.subject}{show_fig(fig)}，所列各项（{listing}）合计"
                f"{show_fen(parts_fen, fig.unit)}，相差{show_fen(abs(parts_fen - fig.fen), fig.unit)}。", refs,
                stated=fig.value, expected=in_unit(parts_fen, fig.unit), unit=fig.unit)


def _subject(fig: TextFig, printed: Printed) -> str:
    item = printed.items[0]
    return subject_of(item) if item.code and not item.is_total else fig.subject


def _agrees(fig: TextFig, printed: Printed) -> bool:
    slack = rounding_slack([(i.amount_text, i.unit) for i in printed.items])
    return agrees(fig, printed.fen, slack)


def _same_number_other_unit(fig: TextFig, printed: Printed) -> bool:
    """The text prints the table's number with a unit 10,000× off (8.34元 for 8.34万元). The
    number must be the same as printed: 0.3万元 is no slip for 2,961.68万元, though it rounds so."""
    unit = printed.items[0].unit
    if unit not in FEN_PER_UNIT or Decimal(printed.fen) / FEN_PER_UNIT[unit] != fig.value:
        return False
    small, large = sorted((FEN_PER_UNIT[unit], FEN_PER_UNIT[fig.unit]))
    return large == WAN * small


def _label(printed: Printed) -> str:
    """'其他企业改革发展补助（2080699）' for a row's own amount, '（合计）的基本支出' for a total row's column."""
    item = printed.items[0]
    name = f"（{item.name}）" if item.is_total else subject_of(item)
    if printed.label == "合计" and len(printed.items) == 1:
        return name
    return f"{name}的{printed.label}"


def _show(printed: Printed) -> str:
    if len(printed.items) == 1:
        return f"{printed.items[0].amount_text}{printed.items[0].unit}"
    return f"{show_fen(printed.fen, printed.items[0].unit)}（{'+'.join(i.measure for i in printed.items)}）"
