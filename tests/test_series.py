"""Years as a dimension: several loaded years of one issuer answer series and cross-year
changes. The years are made from the Qinghai sample (year changed, amounts ×2 and ×3)."""
from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from series_fixtures import year_variant

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "qinghai-2021-budget.txt"


@pytest.fixture(scope="module")
def years_assistant(tmp_path_factory):
    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("years")
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    year_variant(SAMPLE, folder, 2021, 2022, 2)
    # the same body printed with its scope in brackets in one year: still one entity
    year_variant(SAMPLE, folder, 2021, 2023, 3, "青海省医疗保障局", "青海省医疗保障局（本级）")
    db = folder / "years.db"
    report = ingest_paths([folder], db)
    assert not report.failed
    return Assistant(db)


def values(answer):
    return [f.value for f in answer.figures]


def test_range_of_years_answers_each_year_in_order(years_assistant):
    answer = years_assistant.ask("青海省医疗保障局2021年到2023年的办公费分别是多少")
    assert answer.status == "answered"
    assert [p["year"] for p in answer.series] == [2021, 2022, 2023]
    assert [p["value"] for p in answer.series] == [Decimal("13.75"), Decimal("27.5"), Decimal("41.25")]
    assert answer.resolver == "series"


def test_history_word_answers_every_loaded_year(years_assistant):
    answer = years_assistant.ask("青海省医疗保障局历年的基本支出")
    assert [p["value"] for p in answer.series] == [Decimal("4777.6"), Decimal("9555.2"), Decimal("14332.8")]


def test_last_n_years(years_assistant):
    answer = years_assistant.ask("青海省医疗保障局近两年的差旅费")
    assert [p["year"] for p in answer.series] == [2022, 2023]


def test_year_not_loaded_is_named_in_a_series(years_assistant):
    answer = years_assistant.ask("青海省医疗保障局2021年和2025年的办公费分别是多少")
    assert "2025年" in answer.answer and [p["year"] for p in answer.series] == [2021]


def test_cross_year_difference_is_computed_with_both_inputs_cited(years_assistant):
    answer = years_assistant.ask("青海省医疗保障局2023年比2021年办公费增加了多少")
    assert answer.status == "answered" and answer.resolver == "year_change"
    assert values(answer) == [Decimal("13.75"), Decimal("41.25"), Decimal("27.5")]
    assert {f.source.document for f in answer.figures[:2]} == {"青海省医疗保障局2021年部门预算", "青海省医疗保障局（本级）2023年部门预算"}
    assert "amount_fen" in answer.sql


def test_cross_year_growth_rate(years_assistant):
    answer = years_assistant.ask("青海省医疗保障局2023年办公费比2021年增长了百分之几")
    assert Decimal("200") in {f.value for f in answer.figures if f.unit == "%"}


def test_one_year_is_still_one_answer(years_assistant):
    answer = years_assistant.ask("青海省医疗保障局2022年办公费")
    assert values(answer) == [Decimal("27.5")] and not answer.series


def test_series_is_not_in_the_chat_json(years_assistant):
    answer = years_assistant.ask("青海省医疗保障局历年的办公费")
    assert "series" not in answer.to_json() and answer.series


def test_issuer_printed_in_short_form_is_the_same_entity():
    from assistant.lexicon import identity_key

    assert identity_key("青海省医保局") == identity_key("青海省医疗保障局") == identity_key("青海省 医疗保障局（本级）")
    assert identity_key("青海省医疗保障局") != identity_key("青海省财政局")


def test_which_year_is_highest(years_assistant):
    answer = years_assistant.ask("青海省医疗保障局哪一年的办公费最多")
    assert answer.answer.startswith("办公费最多的是2023年") and len(answer.series) == 3


REAL_FINAL = Path(__file__).resolve().parents[2] / "shared" / "real" / "putuo-caizhengju-2024-final-accounts.pdf"


@pytest.fixture(scope="module")
def final_and_next_budget(tmp_path_factory):
    """财政局's published 2024 决算, and a 2025 预算 of the same issuer (a sample printed as it)."""
    if not REAL_FINAL.exists():
        pytest.skip("../shared/real is absent")
    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("kinds")
    shutil.copy(REAL_FINAL, folder / REAL_FINAL.name)
    year_variant(SAMPLE, folder, 2021, 2025, 1, "青海省医疗保障局", "上海市普陀区财政局")
    db = folder / "kinds.db"
    assert not ingest_paths([folder], db).failed
    return Assistant(db)


def test_budget_against_the_previous_final_accounts(final_and_next_budget):
    answer = final_and_next_budget.ask("普陀区财政局2025年预算的行政运行比2024年决算增加了多少")
    assert answer.resolver == "year_change"
    assert [f.value for f in answer.figures] == [Decimal("1511.89"), Decimal("906.7"), Decimal("605.19")]
    assert "减少" in answer.answer and "决算" in answer.answer


def test_one_side_missing_states_no_figure(final_and_next_budget):
    answer = final_and_next_budget.ask("普陀区财政局2025年预算的一般公共服务支出比2024年决算多多少")
    assert answer.status == "no_data" and answer.figures == [] and "2025年" in answer.answer
