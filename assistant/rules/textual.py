"""Reading the text's figures together: what a change belongs to, what a total lists, and
whether a printed (rounded) figure agrees with an exact one."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from ingest.textutil import FEN_PER_UNIT, precision

from .base import DocData, TextFig

_LIST_AFTER = re.compile(r"^[，,：:（(\s]*(其中|主要包括|包括|主要为|主要有|分别为|具体为|主要是)")
_LIST_MARKER = re.compile(r"^\s*([（(]\s*\d{1,2}\s*[)）]|\d{1,2}[.、．](?!\d)|[一二三四五六七八九十]+、)")
_GLUE = re.compile(r"(?<=\d)[,，\s]+(?=\d)")
_CUT_BEFORE_NUMBER = re.compile(r"(?P<verb>增加|增长|上升|提高|减少|下降|降低|压减|缩减|占[^，,、：:]*)(了|为|约|达)?$")
_STARTS_WITH_NUMBER = re.compile(r"^[\d,，.]+\s*(万元|元|%|％)")
_DECREASE = ("减", "下", "降", "压", "缩")


def half_fen(fig: TextFig) -> int:
    """How far (in 分) the exact amount behind a printed money figure can lie from it."""
    return int(precision(fig.value) * FEN_PER_UNIT[fig.unit])


def agrees(fig: TextFig, fen: int, slack_fen: int = 0) -> bool:
    """The text figure is the exact amount `fen` as printed to the text's precision."""
    return abs(fig.fen - fen) <= half_fen(fig) + slack_fen


def round2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rate_agrees(stated: Decimal, lows_highs: tuple[Decimal, Decimal]) -> bool:
    """A stated percentage agrees with a rate known to lie in [low, high] (printed figures are
    rounded, so the exact rate is only known to an interval): it may be off by its own last
    place and by 0.01 percentage points once rounded to two decimals."""
    low, high = lows_highs
    tolerance = max(precision(stated), Decimal("0.005")) + Decimal("0.01")
    return round2(low) - tolerance <= stated <= round2(high) + tolerance


def ratio_interval(num: Decimal, num_half: Decimal, den: Decimal, den_half: Decimal) -> tuple[Decimal, Decimal] | None:
    """num/den × 100 over num ± num_half and den ± den_half; None when den may be zero."""
    if den - den_half <= 0 <= den + den_half:
        return None
    corners = [(n / d) * 100 for n in (num - num_half, num + num_half) for d in (den - den_half, den + den_half)]
    return min(corners), max(corners)


@dataclass
class Statement:
    """One subject's figures in one sentence: amount, change against last year, growth rate, share."""

    subject: str | None
    amount: TextFig | None = None
    change: TextFig | None = None
    percent: TextFig | None = None
    share: TextFig | None = None

    def figures(self) -> list[TextFig]:
        return [f for f in (self.amount, self.change, self.percent, self.share) if f]


def statements(doc: DocData) -> list[Statement]:
    """The text's figures grouped by sentence and subject, in reading order."""
    return doc.cached("statements", lambda: _group(mended(doc)))


def mended(doc: DocData) -> list[TextFig]:
    """The text's figures, with a number cut off its sentence by a line break joined back.

    PDF text can break a sentence right before its number ("…比2024年预算执行数增加" /
    "24,558.18万元；"); the number then stands alone with no subject and reads as an amount.
    When the sentence before it ends in a change verb or in 占, the number is that change or
    share, of the subject the sentence before was about."""
    out: list[TextFig] = []
    for fig in doc.figures:
        prev = out[-1] if out else None
        cut = _CUT_BEFORE_NUMBER.search(prev.sentence) if prev and not fig.subject else None
        if cut and _STARTS_WITH_NUMBER.match(fig.sentence) and prev.section == fig.section:
            verb = cut.group("verb")
            kind = "share" if verb.startswith("占") else "percent" if fig.unit == "%" else "change"
            value = -fig.value if kind != "share" and verb.startswith(_DECREASE) else fig.value
            fig = replace(fig, subject=prev.subject, code=prev.code, kind=kind, value=value, sentence=prev.sentence,
                          line=prev.line, compared_to=None if kind == "share" else (prev.compared_to or "上年"))
        out.append(fig)
    return out


def _group(figures: list[TextFig]) -> list[Statement]:
    out: list[Statement] = []
    current: dict[tuple, Statement] = {}
    for fig in figures:
        if fig.kind == "count":
            continue
        key = (fig.line, fig.sentence, fig.subject)
        st = current.get(key)
        slot = fig.kind if fig.kind in ("change", "percent", "share") else "amount"
        if st is None or getattr(st, slot) is not None:
            st = Statement(fig.subject)
            current[key] = st
            out.append(st)
        setattr(st, slot, fig)
    return out


def text_after(fig: TextFig) -> str:
    """What the sentence says right after the figure's number and unit."""
    sentence = _GLUE.sub("", fig.sentence)
    start = sentence.find(fig.subject) if fig.subject and fig.subject in sentence else 0
    number = str(abs(fig.value))
    at = sentence.find(number, max(start, 0))
    if at < 0:
        return ""
    rest = sentence[at + len(number):].lstrip(".． ")
    return rest[len(fig.unit):] if fig.unit and rest.startswith(fig.unit) else rest


def listed_parts(doc: DocData, total: TextFig) -> list[TextFig]:
    """Amounts the text lists as the parts of `total`: "X万元，其中：A…、B…" in the same
    sentence, a following "其中：…" sentence, or numbered lines after "主要为：".

    Only money amounts; a part that itemises itself ends the list, so sub-items are not
    counted twice."""
    figures = doc.figures
    at = figures.index(total)
    after = figures[at + 1:]
    if _LIST_AFTER.match(text_after(total)):
        same = [f for f in after if f.sentence == total.sentence and f.line == total.line]
        parts = _top_level([f for f in same if f.kind == "amount" and f.is_money])
        if parts:
            return parts
    following = [f for f in after if f.section == total.section]
    if not following:
        return []
    nxt = following[0]
    if nxt.sentence != total.sentence and nxt.line == total.line and nxt.sentence.startswith("其中"):
        return _top_level([f for f in following if f.sentence == nxt.sentence and f.kind == "amount" and f.is_money])
    if total.sentence.rstrip().endswith(("：", ":")):
        parts = []
        for f in following:
            if f.sentence == total.sentence or not _LIST_MARKER.match(f.sentence):
                break
            if f.kind == "amount" and f.is_money and (not parts or parts[-1].sentence != f.sentence):
                parts.append(f)
        return parts
    return []


def _top_level(parts: list[TextFig]) -> list[TextFig]:
    """The parts up to and including one that is itemised itself (its items follow it)."""
    out: list[TextFig] = []
    for f in parts:
        out.append(f)
        if _LIST_AFTER.match(text_after(f)):
            break
    return out


_SENTENCE_END = re.compile(r"[。；;！!？?]")


def next_sentence(doc: DocData, fig: TextFig) -> str:
    """The sentence that follows the figure's sentence in the text as read ("…下降1.87%。" →
    "主要原因：…"), across a paragraph break within the same section; "" when unknown.

    Read from the stored paragraphs; a store without them falls back to the next sentence that
    states a figure."""
    lines = [ln for ln in doc.lines if ln.kind == "paragraph"]
    squeezed = _squeeze(fig.sentence)
    for n, ln in enumerate(lines):
        if (fig.page and ln.page and ln.page != fig.page) or ln.section != fig.section:
            continue
        text = _squeeze(ln.text)
        at = text.find(squeezed)
        if at < 0 or not squeezed:
            continue
        rest = _SENTENCE_END.sub("。", text[at + len(squeezed):]).lstrip("。，,：: ")
        if not rest and n + 1 < len(lines) and lines[n + 1].section == ln.section:
            rest = _squeeze(lines[n + 1].text)
        return rest.split("。")[0]
    later = [f for f in doc.figures if f.section == fig.section and f.figure_id > fig.figure_id
             and f.sentence != fig.sentence]
    return later[0].sentence if later else ""


def previous_sentence(doc: DocData, fig: TextFig) -> str:
    """The sentence right before the figure's sentence in the same paragraph; "" when none."""
    squeezed = _squeeze(fig.sentence)
    for ln in doc.lines:
        if ln.kind != "paragraph" or ln.section != fig.section or (fig.page and ln.page and ln.page != fig.page):
            continue
        text = _squeeze(ln.text)
        at = text.find(squeezed) if squeezed else -1
        if at > 0:
            before = [s for s in re.split(r"[。！？!?]", text[:at]) if s]  # a whole sentence, its clauses (；) too
            return before[-1] if before else ""
    return ""


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text or "")
