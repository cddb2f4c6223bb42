"""What the text says about last year and about shares: R09 change and growth rate against the
amount, R10 shares, R11 the year compared against, R12 a change stated without its reason."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from .base import DocData, Issue, TextFig, in_unit, item_ref, rule, show_fen, show_fig, text_ref, where_fig, where_item
from .rows import PREVIOUS
from .subjects import best, printed_for
from .textual import Statement, half_fen, next_sentence, previous_sentence, ratio_interval, rate_agrees, round2, statements
from .vocabulary import REASON_MARKERS

_MONEY_WORDS = re.compile("收入|支出|收支|预算|拨款|当年")
_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年")
_REASON = re.compile("|".join(REASON_MARKERS) + r"|主要(?=\s*\d)|因(?!公)"
                     # a line break in the source can cut "主要原因" off the end of a sentence
                     r"|(主|主要|主要原|原)$")


def _pct(value: Decimal) -> str:
    return f"{round2(value):,.2f}%"


# ---- R09 -----------------------------------------------------------------------------------

@rule("R09", "说明中的增减额、增减幅度与金额应相互吻合（上年 = 金额 − 增减额，幅度 = 增减额 ÷ 上年），"
             "增减额应与表中的上年预算数一致；收入与支出总额相同时，两者比上年的增减额也应相同")
def change_agrees_with_rate(doc: DocData) -> Iterator[Issue]:
    stated = statements(doc)
    for st in stated:
        a, c, p = st.amount, st.change, st.percent
        if not a or not a.is_money or (c and not c.is_money):
            continue
        if c and p:
            yield from _rate_vs_change(st, a, c, p)
        if c or p:
            yield from _change_vs_table(doc, st, a, c, p)
    yield from _income_and_spending_changes(stated)


def _rate_vs_change(st: Statement, a: TextFig, c: TextFig, p: TextFig) -> Iterator[Issue]:
    before = a.fen - c.fen
    interval = ratio_interval(Decimal(c.fen), Decimal(half_fen(c)), Decimal(before), Decimal(half_fen(a) + half_fen(c)))
    if interval is None or rate_agrees(p.value, interval):
        return
    computed = Decimal(c.fen) / Decimal(before) * 100
    yield Issue(st.subject or "", f"{where_fig(a)}写{st.subject or ''}{show_fig(a)}，比上年{_signed(c)}，"
                f"{_rate_word(p)}{_pct(abs(p.value))}；但上年应为{show_fen(before, a.unit)}，"
                f"{show_fig(_abs(c))}÷{show_fen(before, a.unit)} = {_pct(abs(computed))}，增减幅度与金额不符。",
                [text_ref(a), text_ref(c), text_ref(p)], stated=abs(p.value), expected=round2(abs(computed)), unit="%")


def _change_vs_table(doc: DocData, st: Statement, a: TextFig, c: TextFig | None, p: TextFig | None) -> Iterator[Issue]:
    """The table's 上年预算数 of the same subject against the change (or the rate) the text states."""
    printed = printed_for(doc, a, PREVIOUS)
    if not printed:
        return
    last = best(printed, doc)
    where = f"{where_item(doc, last.items[0])}上年预算数为{last.items[0].amount_text}{last.items[0].unit}"
    if c:
        before = a.fen - c.fen
        if any(abs(before - x.fen) <= half_fen(a) + half_fen(c) for x in printed):
            return
        yield Issue(st.subject or "", f"{where_fig(c)}写{st.subject or ''}{show_fig(a)}，比上年{_signed(c)}"
                    f"（即上年{show_fen(before, a.unit)}），而{where}。",
                    [text_ref(a), text_ref(c)] + [item_ref(i) for i in last.items],
                    stated=in_unit(before, a.unit), expected=in_unit(last.fen, a.unit), unit=a.unit)
        return
    def rate_from(x) -> tuple[Decimal, Decimal] | None:
        return ratio_interval(Decimal(a.fen - x.fen), Decimal(half_fen(a)), Decimal(x.fen), Decimal(0))

    if any((iv := rate_from(x)) is None or rate_agrees(p.value, iv) for x in printed):
        return
    computed = Decimal(a.fen - last.fen) / Decimal(last.fen) * 100
    yield Issue(st.subject or "", f"{where_fig(p)}写{st.subject or ''}{show_fig(a)}，{_rate_word(p)}"
                f"{_pct(abs(p.value))}，而{where}，应为{_pct(computed)}。",
                [text_ref(a), text_ref(p)] + [item_ref(i) for i in last.items],
                stated=p.value, expected=round2(computed), unit="%")


def _income_and_spending_changes(stated: list[Statement]) -> Iterator[Issue]:
    """收入 and 支出 of the same money (财政拨款收入 / 财政拨款支出预算) balance this year and
    balanced last year, so one total cannot have grown by two different amounts."""
    income = [s for s in stated if s.amount and s.change and s.change.is_money and "收入" in (s.subject or "")]
    spending = [s for s in stated if s.amount and s.change and s.change.is_money and "支出" in (s.subject or "")]
    for i in income:
        for o in spending:
            if _money_key(i.subject) != _money_key(o.subject) or i.amount.fen != o.amount.fen:
                continue
            if abs(i.change.fen - o.change.fen) <= half_fen(i.change) + half_fen(o.change):
                continue
            # "比2024年预算执行数" and "比2024年预算" compare with two different figures: both may be
            # right, so the reviewer is warned of the mixed basis rather than told of an error.
            mixed = _against_outturn(i.change.sentence) != _against_outturn(o.change.sentence)
            basis = "（两处比较的基数不同：一处是上年预算执行数，一处是上年预算数，请核对）" if mixed else ""
            yield Issue(f"{i.subject}、{o.subject}", f"{where_fig(i.amount)}写{i.subject}{show_fig(i.amount)}，比上年"
                        f"{_signed(i.change)}；又写{o.subject}{show_fig(o.amount)}，比上年{_signed(o.change)}：同一总额的"
                        f"收入与支出比上年的增减额不同，相差{show_fen(abs(i.change.fen - o.change.fen), i.change.unit)}"
                        f"{basis}。", [text_ref(f) for f in (i.amount, i.change, o.amount, o.change)],
                        "warning" if mixed else None, stated=o.change.value, expected=i.change.value,
                        unit=i.change.unit)
            break


_OUTTURN = re.compile(r"(比|较|与|同)[^，,；;。]*?执行")


def _against_outturn(sentence: str) -> bool:
    """The change is against last year's 执行数 (outturn), not last year's budget."""
    return bool(_OUTTURN.search(sentence))


def _money_key(subject: str | None) -> str:
    """财政拨款收入 and 财政拨款支出预算 are the same money: both → 财政."""
    return _MONEY_WORDS.sub("", subject or "")


def _signed(c: TextFig) -> str:
    return ("减少" if c.value < 0 else "增加") + show_fig(_abs(c))


def _rate_word(p: TextFig) -> str:
    return "下降" if p.value < 0 else "增长"


def _abs(fig: TextFig) -> TextFig:
    return TextFig(fig.figure_id, fig.section, fig.sentence, fig.subject, fig.code, fig.kind, abs(fig.value),
                   fig.unit, fig.compared_to, fig.line, fig.page)


# ---- R10 -----------------------------------------------------------------------------------

@rule("R10", "说明中的占比（占…%）应等于该项金额 ÷ 所属总额")
def share_agrees_with_amounts(doc: DocData) -> Iterator[Issue]:
    for st in statements(doc):
        if not st.share or not st.amount or not st.amount.is_money:
            continue
        whole = _whole_of(doc, st.amount)
        if not whole:
            continue
        a = st.amount
        interval = ratio_interval(Decimal(a.fen), Decimal(half_fen(a)), Decimal(whole.fen), Decimal(half_fen(whole)))
        if interval is None or rate_agrees(st.share.value, interval):
            continue
        computed = Decimal(a.fen) / Decimal(whole.fen) * 100
        yield Issue(st.subject or "", f"{where_fig(a)}写{st.subject or ''}{show_fig(a)}，占{_pct(st.share.value)}；"
                    f"按{whole.subject or '总额'}{show_fig(whole)}计算应占{_pct(computed)}。",
                    [text_ref(a), text_ref(st.share), text_ref(whole)],
                    stated=st.share.value, expected=round2(computed), unit="%")


def _whole_of(doc: DocData, part: TextFig) -> TextFig | None:
    """The total a share is taken of: an earlier amount of the same sentence, else the amount
    that opened the list ("支出预算29,331.60万元，其中：") earlier in the same section."""
    figures = doc.figures[:doc.figures.index(part)]
    named = _named_whole(part.sentence)
    same = [f for f in figures if f.sentence == part.sentence and f.line == part.line
            and f.kind == "amount" and f.is_money and f.subject != part.subject]
    if same:
        return same[0] if _is_named(same[0], named) else None
    for f in reversed(figures):
        if f.section != part.section:
            return None
        if f.kind == "amount" and f.is_money and f.sentence.rstrip().endswith(("其中：", "其中:", "其中")):
            return f if _is_named(f, named) else None
    return None


_SHARE_OF = re.compile(r"占(?:本年|全年|当年)?(?P<whole>[^，,；;。\d%]{2,}?)的?\s*[\d.]+\s*[%％]")


def _named_whole(sentence: str) -> str | None:
    """'占“三公”经费的31.14%' names the whole the share is of; '占71.73%' names none."""
    m = _SHARE_OF.search(sentence)
    return m and _key(m.group("whole"))


def _is_named(whole: TextFig, named: str | None) -> bool:
    """A whole the sentence names must be the candidate's subject; a share of the “三公” total is
    not a share of the 基本支出 stated before it."""
    if not named:
        return True
    subject = _key(whole.subject or "")
    return bool(subject) and (named in subject or subject in named)


def _key(text: str) -> str:
    return re.sub(r"[\s“”\"'（）()]", "", text).removesuffix("合计").removesuffix("总额")


# ---- R11 -----------------------------------------------------------------------------------

@rule("R11", "与上年比较时所写的年份应是本年或上年", severity="warning")
def compared_with_right_year(doc: DocData) -> Iterator[Issue]:
    if not doc.year:
        return
    allowed = {doc.year, doc.year - 1}
    seen: set[tuple] = set()
    for fig in doc.figures:
        if fig.kind not in ("change", "percent") or (fig.line, fig.sentence) in seen:
            continue
        years = {int(y) for y in _YEAR.findall(fig.sentence)}
        if fig.compared_to and _YEAR.match(fig.compared_to):
            years.add(int(_YEAR.match(fig.compared_to).group(1)))
        wrong = sorted(y for y in years if y not in allowed)
        if wrong:
            seen.add((fig.line, fig.sentence))
            shown = "、".join(f"{y}年" for y in wrong)
            yield Issue(fig.subject or "", f"{where_fig(fig)}在与上年比较时写到{shown}，而本文件是{doc.year}年"
                        f"{doc.kind}（上年应为{doc.year - 1}年）：“{fig.sentence}”。", [text_ref(fig)])


# ---- R12 -----------------------------------------------------------------------------------

_SUMMARY_REASON = re.compile(r"(增加|减少|增长|下降|变化|增减|变动)的?主要原因")
_BROKEN_DOWN = re.compile(r"(其中|包括|如下)[：:]?$")


def has_reason(doc: DocData, fig: TextFig) -> bool:
    """The change's reason is given: in its sentence, in the sentence right after it ("…下降1.87%。
    主要原因：…"), for its parts when the change is broken down ("…增加25万元。其中：" with a
    reason per part), or in a closing sentence of the section ("财政拨款收入支出减少的主要原因是…")."""
    if _REASON.search(fig.sentence) or _REASON.search(after := next_sentence(doc, fig)):
        return True
    if fig.sentence.lstrip().startswith("其中") and _REASON.search(previous_sentence(doc, fig)):
        return True  # "…减少2,219.02万元，主要原因…。其中：教育支出减少1,505.49万元…": the parts share it
    later = [ln.text for ln in doc.lines if ln.kind == "paragraph" and ln.section == fig.section
             and (not fig.page or not ln.page or ln.page >= fig.page)]
    broken_down = bool(_BROKEN_DOWN.search(after.strip()) or _BROKEN_DOWN.search(fig.sentence.strip()))
    return any(_SUMMARY_REASON.search(t) or (broken_down and _REASON.search(t)) for t in later)


@rule("R12", "说明中与上年相比的增减应说明原因（主要原因／主要是／由于／因…）", severity="info")
def change_has_reason(doc: DocData) -> Iterator[Issue]:
    by_section: dict[str | None, list[TextFig]] = {}
    for fig in doc.figures:
        if fig.kind in ("change", "percent") and fig.compared_to and fig.value != 0 and not has_reason(doc, fig):
            by_section.setdefault(fig.section, []).append(fig)
    for section, figs in by_section.items():
        subjects = list(dict.fromkeys(f.subject for f in figs if f.subject))
        shown = "、".join(subjects) or "有关金额"
        yield Issue(subjects[0] if len(subjects) == 1 else shown,
                    f"{where_fig(figs[0])}写了{shown}比上年的增减，但所在句子及下一句都没有说明原因。",
                    [text_ref(f) for f in figs])

