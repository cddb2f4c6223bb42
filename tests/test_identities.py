"""The identity solver places numbers whose blank cells were lost, or says it cannot."""
from __future__ import annotations

from ingest.normalise.identities import SolverRow, solve

# Columns: 0 合计, 1 基本支出, 2 项目支出
WIDTH = 3


def test_full_rows_are_certain():
    rows = [SolverRow("__total__", None, [300, 200, 100])]
    assert solve(rows, WIDTH) == [((0, 1, 2), True)]


def test_parent_equals_sum_of_children_decides_the_column():
    rows = [
        SolverRow("__total__", None, [4164, 2114, 2050]),
        SolverRow("208", None, [4164, 2114, 2050]),
        SolverRow("20801", "208", [2050, 2050]),
        SolverRow("20805", "208", [2114, 2114]),
    ]
    placements = solve(rows, WIDTH)
    assert placements[2] == ((0, 2), True)  # 20801 is 项目支出
    assert placements[3] == ((0, 1), True)  # 20805 is 基本支出


def test_decision_flows_down_to_grandchildren():
    rows = [
        SolverRow("__total__", None, [30, 10, 20]),
        SolverRow("210", None, [30, 10, 20]),
        SolverRow("21001", "210", [10, 10]),
        SolverRow("2100101", "21001", [10, 10]),
        SolverRow("21099", "210", [20, 20]),
        SolverRow("2109999", "21099", [20, 20]),
    ]
    placements = solve(rows, WIDTH)
    assert placements[3] == ((0, 1), True)
    assert placements[5] == ((0, 2), True)


def test_undecidable_rows_are_marked_uncertain():
    # Two children of equal size: either could be 基本 or 项目.
    rows = [
        SolverRow("__total__", None, [20, 10, 10]),
        SolverRow("208", None, [20, 10, 10]),
        SolverRow("20801", "208", [10, 10]),
        SolverRow("20805", "208", [10, 10]),
    ]
    placements = solve(rows, WIDTH)
    assert placements[2][1] is False and placements[3][1] is False


def test_a_code_known_from_another_table_decides():
    rows = [SolverRow("2101504", None, [156645, 156645])]
    known = {("2101504", 156645): {0, 2}}
    assert solve(rows, WIDTH, known) == [((0, 2), True)]


def test_a_document_that_does_not_add_up_keeps_every_placement():
    rows = [
        SolverRow("__total__", None, [100, 60, 40]),
        SolverRow("208", None, [999, 999]),
    ]
    placements = solve(rows, WIDTH)
    assert placements[1][1] is False
