"""Question text as the engine reads it: one form for digits, quotes, years and units.

"二〇二一年" → "2021年", "21年" → "2021年", “三公” → "三公", full-width → half-width; English
budget terms become their Chinese names (db/glossary.json), so one grammar serves both.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from db.glossary import glossary
from ingest.textutil import QUOTE_MARKS, chinese_number, squash

_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{2,4})年")
_SHORT_YEAR = re.compile(r"(?<![\d.])(\d{2})年(?!度?[\d])")
# "东城区的医保局": a 的 right after a place word joins nothing the name needs; without it the
# place and the office read as one body (东城区医保局), not as the place's every body.
_PLACE_DE = re.compile(r"(?<=[省市区县州旗盟镇乡])的(?=[\u4e00-\u9fff])")


def is_english(question: str) -> bool:
    letters = sum(ch.isascii() and ch.isalpha() for ch in question)
    cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in question)
    return letters > 3 * max(cjk, 1)


@lru_cache(maxsize=1)
def _to_simplified():
    """OpenCC's traditional → simplified converter (醫療保障局 → 医疗保障局); None when the
    package is missing, so the engine still runs on simplified questions."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency
        return None
    return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    converter = _to_simplified()
    return converter.convert(text) if converter else text


@lru_cache(maxsize=4096)
def normalize_question(question: str) -> str:
    """The question in the engine's canonical form (not shown to the user)."""
    question = to_simplified(question)
    text = re.sub(r"(?<=[A-Za-z])['’]s\b", "", unicodedata.normalize("NFKC", question))  # commission's → commission
    text = text.translate(QUOTE_MARKS)
    text = re.sub(r"\s+", " ", text).strip()
    text = _CN_YEAR.sub(lambda m: f"{_cn_year(m.group(1))}年", text)
    text = _SHORT_YEAR.sub(lambda m: f"20{m.group(1)}年", text)
    text = _PLACE_DE.sub("", text)
    if is_english(text):
        text = english_to_chinese(text)
    return text


def _cn_year(digits: str) -> str:
    value = chinese_number(digits)
    if value is None:
        return digits
    if value < 100:
        value += 2000
    return str(value)


def english_to_chinese(text: str) -> str:
    """Replace the English budget terms of the glossary by their Chinese names."""
    lowered = " " + text.lower() + " "
    for term in sorted(glossary()["english"], key=len, reverse=True):
        # "office expense" or "office expenses": a plural term matches its singular too
        pattern = re.escape(term[:-1]) + "s?" if term.endswith("s") else re.escape(term)
        lowered = re.sub(rf"(?<![a-z]){pattern}(?![a-z])", " " + glossary()["english"][term] + " ", lowered)
    lowered = re.sub(r"(?<![a-z0-9])(\d{4})(?![0-9])", r" \1年 ", lowered)
    return lowered.strip()


__all__ = ["is_english", "normalize_question", "english_to_chinese", "squash"]
