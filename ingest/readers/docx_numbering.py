"""The labels Word's automatic numbering shows in front of paragraphs ("一、", "（二）", "3.").

They are not in the paragraph's text: Word draws them from numbering.xml. A section heading
numbered that way ("一、部门主要职责" typed as "部门主要职责" in a numbered list) must read as it
shows, or it is no section heading and its number is missing from citations. Bullets are not
labels and give nothing. Counting is per list (numId) and level; a level restarts when a
higher level of its list advances, as Word shows it.
"""
from __future__ import annotations

import re

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_count(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return _DIGITS[hundreds] + "百"
    return _DIGITS[hundreds] + "百" + ("零" + _DIGITS[rest] if rest < 10 else
                                      (_DIGITS[1] if rest < 20 else "") + chinese_count(rest))


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str | None:
    """A counter in a numFmt; None for a bullet or a format with nothing to show."""
    if fmt in ("bullet", "none"):
        return None
    if fmt.startswith(("chineseCounting", "ideographTraditional", "japaneseCounting", "taiwaneseCounting")):
        return chinese_count(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return str(n)  # decimal and its variants (decimalZero, decimalFullWidth …)


class Numbering:
    """Reads numbering.xml once; `label(p)` gives the label of each numbered paragraph in
    document order (call it once per paragraph, in order: it counts)."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId → ilvl → (start, fmt, text)
        self.style_num: dict[str, tuple[str, int]] = {}  # style id → (numId, ilvl)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(f"{W}abstractNumId"): a for a in root.iterchildren(f"{W}abstractNum")}
        for num in root.iterchildren(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            levels = {}
            if ref is not None and ref.get(f"{W}val") in abstract:
                for lvl in abstract[ref.get(f"{W}val")].iterchildren(f"{W}lvl"):
                    levels[_int(lvl.get(f"{W}ilvl"), 0)] = _level(lvl)
            for override in num.iterchildren(f"{W}lvlOverride"):
                ilvl = _int(override.get(f"{W}ilvl"), 0)
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = override.find(f"{W}startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl] = (_int(start.get(f"{W}val"), 1),) + levels[ilvl][1:]
            self.levels[num.get(f"{W}numId")] = levels
        for style in document.styles:
            el = style.element.find(f"{W}pPr/{W}numPr")
            if el is not None:
                num_id = el.find(f"{W}numId")
                ilvl = el.find(f"{W}ilvl")
                if num_id is not None:
                    self.style_num[style.style_id] = (num_id.get(f"{W}val"),
                                                      _int(ilvl.get(f"{W}val") if ilvl is not None else None, 0))

    def label(self, p) -> str:
        """The label Word shows before paragraph `p` ("一、"), or "" when it has none."""
        num_id, ilvl = self._num_of(p)
        if num_id is None or num_id == "0" or ilvl not in self.levels.get(num_id, {}):
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = self.levels[num_id][ilvl][0]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        _, fmt, text = self.levels[num_id][ilvl]
        if fmt == "bullet":
            return ""

        def shown(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            level = self.levels[num_id].get(k)
            value = counters.get(k, level[0] if level else 1)
            return format_number(value, level[1] if level else "decimal") or ""

        return re.sub(r"%([1-9])", shown, text)

    def _num_of(self, p) -> tuple[str | None, int]:
        num_pr = p.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            num_id = num_pr.find(f"{W}numId")
            ilvl = num_pr.find(f"{W}ilvl")
            if num_id is not None:
                return num_id.get(f"{W}val"), _int(ilvl.get(f"{W}val") if ilvl is not None else None, 0)
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") in self.style_num:
            return self.style_num[style.get(f"{W}val")]
        return None, 0


def _level(lvl) -> tuple[int, str, str]:
    start = lvl.find(f"{W}start")
    fmt = lvl.find(f"{W}numFmt")
    text = lvl.find(f"{W}lvlText")
    return (_int(start.get(f"{W}val") if start is not None else None, 1),
            fmt.get(f"{W}val") if fmt is not None else "decimal",
            text.get(f"{W}val") if text is not None else "")


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
