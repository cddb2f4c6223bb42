"""Placing the numbers of a “三公” row whose blank cells were lost, by the table's identities."""
from __future__ import annotations

from decimal import Decimal

from ingest.normalise.sangong_lines import ABROAD, PURCHASE, RECEPTION, RUNNING, TOTAL, VEHICLES, place, year_groups


def numbers(text: str) -> list[Decimal]:
    return [Decimal(t) for t in text.split()]


def test_year_groups_are_the_labels_before_the_first_total():
    assert year_groups(["上年预算数", "预算数", "合计", "因公出国(境)费用"]) == ["上年预算数", "预算数"]


def test_a_group_whose_total_is_its_items_is_placed_and_the_other_keeps_only_its_total():
    # Qinghai 2021: 11.90 = 5.18 + 5.04 + 1.68 last year; this year's 接待 was lost in extraction.
    placed = place(numbers("11.90 5.18 5.04 1.68 9.82 4.10 4.48 4.48"), 2)
    assert placed == [(0, TOTAL, 0), (0, ABROAD, 1), (0, VEHICLES, 2), (0, RECEPTION, 3), (1, TOTAL, 4)]


def test_every_column_printed_places_both_groups():
    placed = place(numbers("10.00 6.00 3.00 1.00 2.00 1.00 8.00 2.00 4.00 1.00 3.00 2.00"), 2)
    assert [(g, item) for g, item, _ in placed] == [(g, item) for g in (0, 1) for item in
                                                    (TOTAL, ABROAD, VEHICLES, PURCHASE, RUNNING, RECEPTION)]


def test_numbers_several_placements_explain_keep_only_the_totals_undecided():
    # 10 = 6 + 4 could be 出国 + 用车, 出国 + 接待 or 用车 + 接待: nothing but the 合计 is known.
    assert place(numbers("10.00 6.00 4.00 8.00 5.00 3.00"), 2) is None


def test_numbers_no_identity_explains_place_nothing():
    assert place(numbers("10.00 1.00 1.00 20.00 1.00"), 2) is None
