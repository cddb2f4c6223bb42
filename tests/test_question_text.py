"""Question text normalization: years, numerals, quotes, widths, English terms."""
from __future__ import annotations

import pytest

from assistant.text import english_to_chinese, is_english, normalize_question


@pytest.mark.parametrize("raw, expected", [
    ("二〇二一年青海省医疗保障局", "2021年青海省医疗保障局"),
    ("青海医保局21年的差旅费", "青海医保局2021年的差旅费"),
    ("２０２１年的“三公”经费", "2021年的三公经费"),
    ("（2101505）", "(2101505)"),
])
def test_normalize_question(raw, expected):
    assert normalize_question(raw) == expected


def test_short_year_is_not_taken_from_amounts():
    assert "2012" not in normalize_question("12.5万元")


def test_english_terms_become_chinese():
    assert "住房公积金" in english_to_chinese("the housing provident fund in 2021")
    assert "2021年" in english_to_chinese("the housing provident fund in 2021")


def test_language_detection():
    assert is_english("What is the Beidaihe 2021 housing provident fund?")
    assert not is_english("北戴河区医疗保障局2021年住房公积金")


def test_english_possessive_does_not_hide_a_term():
    assert "商务委员会" in normalize_question("What is the Putuo Commerce Commission's 2025 income?")
