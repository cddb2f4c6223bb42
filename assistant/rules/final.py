"""R15 决算: completion rates (决算数 ÷ 全年预算数 or 年初预算数) and the budget figures the
text states next to them, against each other and against the table's columns."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from .base import DocData, Issue, TextFig, in_unit, item_ref, rule, show_fen, show_fig, text_ref, where_fig, where_item
from .rows import BUDGET_FULL, BUDGET_START, FINAL
from .subjects import Printed, best, printed_for_subject
from .textual import agrees, half_fen, ratio_interval, rate_agrees, round2

_START_WORDS = ("年初",)
_FULL_WORDS = ("全年", "调整")


@rule("R15", "决算：说明中的完成率应等于决算数 ÷ 全年预算数（或年初预算数），所写的年初预算、"
             "全年预算、决算数应与表中各栏一致")
def completion_rates_agree(doc: DocData) -> Iterator[Issue]:
    for rate in doc.figures:
        if rate.kind not in ("percent", "share") or "完成" not in (rate.subject or rate.sentence):
            continue
        basis = BUDGET_START if any(w in (rate.subject or "") for w in _START_WORDS) else BUDGET_FULL
        amounts = [f for f in doc.figures[:doc.figures.index(rate)]
                   if f.sentence == rate.sentence and f.line == rate.line and f.kind == "amount" and f.is_money]
        final = next((f for f in amounts if not _is_budget(f)), None)
        budget = next((f for f in amounts if _is_budget(f, basis)), None)
        subject = _row_subject(final)
        yield from _columns_vs_text(doc, subject, final, amounts)
        if final and budget:
            yield from _rate(final, budget.fen, half_fen(budget), rate, f"{where_fig(budget)}写{_basis(basis)}"
                             f"{show_fig(budget)}", [text_ref(budget)])
        elif final and subject:
            printed = printed_for_subject(doc, subject, final.code, basis)
            if printed:
                row = best(printed, doc)
                yield from _rate(final, row.fen, 0, rate, f"{where_item(doc, row.items[0])}{_basis(basis)}为"
                                 f"{row.items[0].amount_text}{row.items[0].unit}", [item_ref(i) for i in row.items])


def _is_budget(fig: TextFig, basis: str | None = None) -> bool:
    words = {BUDGET_START: _START_WORDS, BUDGET_FULL: _FULL_WORDS}.get(basis, _START_WORDS + _FULL_WORDS)
    subject = fig.subject or ""
    return any(w in subject for w in words) or (basis is None and subject.endswith("预算"))


def _basis(measure: str) -> str:
    return "年初预算" if measure == BUDGET_START else "全年预算"


def _row_subject(final: TextFig | None) -> str | None:
    """'一般公共服务支出决算' names the row 一般公共服务支出; a bare '决算' names none."""
    if not final or not final.subject:
        return None
    subject = final.subject.removesuffix("数").removesuffix("决算")
    return subject or None


def _rate(final: TextFig, budget_fen: int, budget_half: int, rate: TextFig, budget_text: str,
          refs: list[dict]) -> Iterator[Issue]:
    interval = ratio_interval(Decimal(final.fen), Decimal(half_fen(final)), Decimal(budget_fen), Decimal(budget_half))
    if interval is None or rate_agrees(rate.value, interval):
        return
    computed = round2(Decimal(final.fen) / Decimal(budget_fen) * 100)
    yield Issue(_row_subject(final) or "决算", f"{where_fig(rate)}写{final.subject}{show_fig(final)}，完成率"
                f"{show_fig(rate)}；{budget_text}，{show_fig(final)}÷{show_fen(budget_fen, final.unit)} = {computed}%。",
                [text_ref(final), text_ref(rate)] + refs, stated=rate.value, expected=computed, unit="%")


def _columns_vs_text(doc: DocData, subject: str | None, final: TextFig | None,
                     amounts: list[TextFig]) -> Iterator[Issue]:
    """年初预算 / 全年预算 / 决算 amounts the sentence states against the row's columns."""
    if not subject:
        return
    for fig in amounts:
        column = BUDGET_START if _is_budget(fig, BUDGET_START) else BUDGET_FULL if _is_budget(fig, BUDGET_FULL) else \
            FINAL if fig is final else None
        printed: list[Printed] = printed_for_subject(doc, subject, final.code if final else None, column) if column else []
        if printed and not any(agrees(fig, p.fen) for p in printed):
            row = best(printed, doc)
            yield Issue(subject, f"{where_fig(fig)}写{subject}{_column_word(column)}{show_fig(fig)}，"
                        f"{where_item(doc, row.items[0])}{row.items[0].column_label}为{row.items[0].amount_text}"
                        f"{row.items[0].unit}。", [text_ref(fig)] + [item_ref(i) for i in row.items],
                        stated=fig.value, expected=in_unit(row.fen, fig.unit), unit=fig.unit)


def _column_word(column: str) -> str:
    return {BUDGET_START: "年初预算", BUDGET_FULL: "全年预算", FINAL: "决算"}[column]
