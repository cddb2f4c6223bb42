"""Chinese text and number handling shared by the readers, the normalizer and the engine.

Amounts are parsed into Decimal straight from the printed text ("1,566.45", "２５,５０８．００",
"24，554") and converted to integer 分 exactly; nothing here goes through float.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

FEN_PER_UNIT = {"元": Decimal(100), "万元": Decimal(1_000_000), "亿元": Decimal(10_000_000_000),
                "千元": Decimal(100_000)}
MONEY_UNITS = tuple(FEN_PER_UNIT)

_TAG = re.compile(r"</?[a-zA-Z][^>]*>|\[bookmark: [^\]]*\]")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
# A printed amount: optional sign, digits with optional thousands separators, optional decimals.
_AMOUNT = re.compile(r"^[-−]?(\d{1,3}([,，]\d{3})+|\d+)(\.\d+)?$")
# A negative printed the accountant's way: (12.30), (1,234.00). Only with decimals or
# separators, so a bracketed item number such as (1) stays text.
_BRACKETED = re.compile(r"^\((\d{1,3}([,，]\d{3})+(\.\d+)?|\d+\.\d+)\)$")
_UNIT_LINE = re.compile(r"(?:金额)?单位[:：]\s*(万元|元|亿元|千元)")


def nfkc(text: str) -> str:
    """Full-width digits, letters and punctuation to their plain forms (０.００ → 0.00)."""
    return unicodedata.normalize("NFKC", text)


def clean_cell(text: str | None) -> str:
    """A cell as a person reads it: no markup, no padding, single spaces."""
    if text is None:
        return ""
    text = _TAG.sub("", text).replace("\u200b", "")
    return _SPACES.sub(" ", text).strip()


QUOTE_MARKS = str.maketrans({"“": "", "”": "", '"': "", "‘": "", "’": "", "'": "", "「": "", "」": "", "《": "", "》": ""})


def squash(text: str) -> str:
    """For comparing names: NFKC, no markup, spaces or quote marks, brackets as （）.

    The one normal form for matching: “三公”经费, "三公"经费 and 三公 经费 all become 三公经费."""
    text = nfkc(clean_cell(text)).translate(QUOTE_MARKS)
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def precision(value: Decimal) -> Decimal:
    """Half of the last printed place: 4,777.6 → 0.05; 3177 → 0.5. A figure printed so agrees
    with any exact amount this close to it."""
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(min(exponent, 0)) / 2


def parse_amount(text: str | None) -> Decimal | None:
    """Decimal of a printed amount, or None when the cell is not an amount. A negative may be
    printed -12.30, －12.30 or (12.30)."""
    if text is None:
        return None
    s = nfkc(clean_cell(text)).replace(" ", "").replace("−", "-")
    bracketed = _BRACKETED.match(s)
    if bracketed:
        s = "-" + bracketed.group(1)
    if not s or not _AMOUNT.match(s):
        return None
    try:
        return Decimal(s.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None


def to_fen(value: Decimal, unit: str) -> int:
    """Exact integer 分 of a value in `unit`; raises when it would need rounding."""
    fen = value * FEN_PER_UNIT[unit]
    if fen != fen.to_integral_value():
        raise ValueError(f"{value}{unit} 不是整分数")
    return int(fen)


def from_fen(fen: int, unit: str) -> Decimal:
    """The value of `fen` expressed in `unit`, exactly (normalized, no trailing zeros lost)."""
    return Decimal(fen) / FEN_PER_UNIT[unit]


def format_amount(value: Decimal, places: int = 2) -> str:
    """1234567.8 → '1,234,567.80'; keeps extra significant decimals (254.453809 stays exact)."""
    exponent = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
    places = max(places, min(int(exponent), 6))
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum):,.{places}f}"


def find_unit(text: str) -> str | None:
    """The unit stated by a '单位：万元' / '金额单位：元' line, if any."""
    m = _UNIT_LINE.search(nfkc(text).replace(" ", ""))
    if m:
        return m.group(1)
    m = re.search(r"单位[:：]?\s*(万元|元)", text)
    return m.group(1) if m else None


_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """二十七 → 27, 二〇二一 → 2021 (digit by digit when there is no 十/百/千)."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    if not any(ch in _CN_UNITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, digit = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + digit


def is_code(text: str) -> bool:
    """A classification code or code part as printed: 208, 20805, 2080505, 05, 30101."""
    return bool(re.fullmatch(r"\d{2,9}", text))
