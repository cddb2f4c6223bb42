"""OCR-read figures: their engine confidence, and the budget identities that check their digits.

A figure read by OCR (a page without a text layer, see ingest/readers/ocr.py) keeps the confidence the
engine gave the text box it was read from (`ocr_confidence`, stored with the figure and quoted
beside its source). Then the identities a budget table holds check the digits:

- a parent row equals the sum of its children, column by column (2080505 + … = 20805);
- the total row equals the sum of the 类 rows;
- a row's 合计 equals the sum of its other amounts (基本支出 + 项目支出, 人员经费 + 公用经费 …);
- the same 科目 code and column carries the same amount in another table;
- the explanatory text states the 科目's amount, in the table's unit, to the same digits.

An OCR figure that takes part in an identity that holds is confirmed. One that breaks an
identity it should hold (the first two kinds, beyond what the printed rounding explains), or
whose confidence is low, or whose place ocr_structure.py doubts (right digits in the wrong row,
column or table), and that nothing confirms, is flagged `uncertain`: never silently trusted.
The last three kinds only confirm here, since a row's other columns need not be its parts and
two tables may cover different funds; ocr_structure.py learns from the document where they
must hold.
"""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from ingest.model import ParsedDocument
from ingest.normalise import ocr_structure
from ingest.normalise.normalize import Item, NormalizedDocument
from ingest.textutil import FEN_PER_UNIT

LOW_CONFIDENCE = 0.9  # below this, an unconfirmed OCR figure is flagged uncertain


def mark_ocr(doc: NormalizedDocument, parsed: ParsedDocument) -> NormalizedDocument:
    """Give the figures of OCR-read pages their confidence and flag the ones no identity can
    vouch for; a document without OCR pages is returned as it is."""
    if not parsed.ocr:
        return doc
    runs = {page: [(_compact(text), conf) for text, conf in page_runs] for page, page_runs in parsed.ocr.items()}
    ocr_items = []
    for table in doc.tables:
        for item in table.items:
            if item.page in runs:
                item.ocr_confidence = _cell_confidence(runs[item.page], item.amount_text)
                ocr_items.append(item)
    for figure in doc.text_figures:
        if figure.page in runs:
            figure.ocr_confidence = _sentence_confidence(runs[figure.page], figure.sentence, figure.value)
    if ocr_items:
        _check_identities(doc, parsed, ocr_items)
    return doc


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cell_confidence(runs: list[tuple[str, float]], amount_text: str) -> float:
    """The confidence of the text box the amount was read from; the least of the boxes a cell
    was joined from; 0 when no box can be found (an unknown reading is not a trusted one)."""
    target = _compact(amount_text).rstrip("?")
    exact = [conf for text, conf in runs if text == target]
    if exact:
        return min(exact)
    parts = [conf for text, conf in runs if text and re.search(r"\d", text) and (text in target or target in text)]
    return min(parts) if parts else 0.0


def _sentence_confidence(runs: list[tuple[str, float]], sentence: str, value: Decimal) -> float:
    """The least confidence of the text boxes that print the figure's digits."""
    digits = re.sub(r"\D", "", format(abs(value), "f").rstrip("0").rstrip("."))
    found = [conf for text, conf in runs if digits and digits in re.sub(r"\D", "", text)]
    return min(found) if found else 0.0


# --- identities ------------------------------------------------------------------------------

def _check_identities(doc: NormalizedDocument, parsed: ParsedDocument, ocr_items: list[Item]) -> None:
    confirmed: set[int] = set()
    broken: set[int] = set()
    for table in doc.tables:
        columns: dict[tuple[str, str | None], list[Item]] = defaultdict(list)
        for item in table.items:
            columns[(item.column_label, item.side)].append(item)
        for items in columns.values():
            for whole, parts in _sum_families(items):
                _record(whole, parts, confirmed, broken)
        rows: dict[int, list[Item]] = defaultdict(list)
        for item in table.items:
            rows[(item.row_no, item.side)].append(item)  # type: ignore[index]
        for items in rows.values():
            _row_total(items, confirmed)
    _same_code_elsewhere(doc, confirmed)
    _stated_in_text(doc, confirmed)
    misplaced = ocr_structure.doubts(doc, parsed, ocr_items)
    for item in ocr_items:
        key = id(item)
        if key in confirmed:
            continue
        if key in broken or key in misplaced or (item.ocr_confidence or 0.0) < LOW_CONFIDENCE:
            item.uncertain = True


def _record(whole: Item, parts: list[Item], confirmed: set[int], broken: set[int]) -> None:
    """Exact: every digit vouched for. Off by no more than the parts' rounding: the printed
    table rounds (万元 to two places), so it vouches for nothing and breaks nothing. Further
    off: a digit or a place is wrong somewhere in the family."""
    members = [whole] + parts
    diff = abs(whole.amount_fen - sum(p.amount_fen for p in parts))
    if diff == 0:
        confirmed.update(id(m) for m in members)
    elif diff > rounding_slack(members):
        broken.update(id(m) for m in members)


def rounding_slack(items: list[Item]) -> int:
    """How far (in 分) a printed whole may be from the sum of its printed parts by rounding
    alone: half a step of the last printed digit per figure (2,082.85 万元 steps by 100 元).
    Figures printed in 元 are the amounts themselves, not roundings: no slack."""
    steps = []
    for item in items:
        if item.unit == "元":
            return 0
        text = _compact(item.amount_text).rstrip("?")
        decimals = len(text.rsplit(".", 1)[1]) if "." in text else 0
        steps.append(int(FEN_PER_UNIT.get(item.unit, Decimal(100)) / Decimal(10) ** decimals))
    return max(steps, default=0) * len(items) // 2


def _sum_families(items: list[Item]) -> list[tuple[Item, list[Item]]]:
    """(parent, children) by 科目 code within one column, and (total row, 类 rows)."""
    by_code: dict[str, Item] = {}
    for item in items:
        if item.code and item.code not in by_code:
            by_code[item.code] = item
    children: dict[str, list[Item]] = defaultdict(list)
    for item in by_code.values():
        if item.parent_code and item.parent_code in by_code:
            children[item.parent_code].append(item)
    families = [(by_code[code], kids) for code, kids in children.items()]
    totals = [i for i in items if i.is_total]
    tops = [i for i in by_code.values() if i.level == "类"]
    if len(totals) >= 1 and tops:
        families.append((totals[0], tops))
    return families


def _row_total(items: list[Item], confirmed: set[int]) -> None:
    """合计 of a row = the sum of the row's other amounts: confirms them all when it holds."""
    money = [i for i in items if i.unit in ("元", "万元")]
    totals = [i for i in money if i.measure == "合计"]
    others = [i for i in money if i.measure != "合计"]
    if len(totals) == 1 and others and totals[0].amount_fen == sum(i.amount_fen for i in others):
        confirmed.update(id(i) for i in money)


def _same_code_elsewhere(doc: NormalizedDocument, confirmed: set[int]) -> None:
    """The same code, column and amount printed in two tables confirms both readings."""
    seen: dict[tuple[str, str, int], list[tuple[int, Item]]] = defaultdict(list)
    for table in doc.tables:
        for item in table.items:
            if item.code:
                seen[(item.code, item.measure, item.amount_fen)].append((table.seq, item))
    for entries in seen.values():
        if len({seq for seq, _ in entries}) >= 2:
            confirmed.update(id(item) for _, item in entries)


def _stated_in_text(doc: NormalizedDocument, confirmed: set[int]) -> None:
    """A sentence giving the code's amount in the table's own unit, every digit equal (a
    rounded 万元 figure cannot vouch for the 元 digits of a table, so it confirms nothing)."""
    stated = {(f.code, f.unit, f.value * FEN_PER_UNIT[f.unit]) for f in doc.text_figures
              if f.kind == "amount" and f.code and f.unit in FEN_PER_UNIT}
    for table in doc.tables:
        for item in table.items:
            if item.code and (item.code, item.unit, item.amount_fen) in stated:
                confirmed.add(id(item))
