"""A ranking or a sum over departments with no year asked takes each department once, by its
latest loaded year, and says so: a department's 2023 and 2024 are not two departments."""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import SAMPLES
from scale_corpus import copy_document, county_bodies

BASE_WAGE_FEN = 67_030_740  # 莲湖 2024 基本工资（30101）670,307.40元


@pytest.fixture(scope="module")
def years_store(tmp_path_factory):
    from assistant.engine import Assistant
    from db.store import connect_writer
    from ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("years") / "years.db"
    assert not ingest_paths([SAMPLES / "lianhu-2024-budget.txt"], path).failed
    conn = connect_writer(path)
    (source,) = conn.execute("SELECT doc_id FROM documents").fetchone()
    x, y, z = county_bodies("医疗保障局", 3)
    conn.execute("BEGIN")
    copy_document(conn, source, x, 2, year=2024)
    copy_document(conn, source, x, 9, year=2023)  # older and larger: never ranked without a year
    copy_document(conn, source, y, 5, year=2024)
    copy_document(conn, source, z, 3, year=2023)  # z's latest is 2023
    conn.execute("COMMIT")
    conn.close()
    return Assistant(path), (x, y, z)


def wan(multiplier: int) -> Decimal:
    return Decimal(BASE_WAGE_FEN * multiplier) / 1_000_000


def test_a_ranking_without_a_year_takes_each_department_by_its_latest_year(years_store):
    assistant, (x, y, z) = years_store
    answer = assistant.ask("哪个单位的基本工资最多？")
    assert answer.answer.startswith("问题没有指明年份，每个单位只用已载入的最近一年。")
    assert [f.value for f in answer.figures if f.unit == "万元"] == [wan(5), wan(3), wan(2), wan(1)]
    assert f"{x}（2024年）" in answer.answer and f"{x}（2023年）" not in answer.answer
    assert f"{z}（2023年）" in answer.answer


def test_a_sum_without_a_year_adds_each_department_once(years_store):
    assistant, _ = years_store
    answer = assistant.ask("各单位基本工资合计是多少？")
    assert "4个单位的基本工资合计" in answer.answer
    assert answer.figures[-1].value == wan(5 + 3 + 2 + 1) and answer.figures[-1].unit == "万元"


def test_a_year_asked_ranks_that_year_without_a_note(years_store):
    assistant, (x, _, _) = years_store
    answer = assistant.ask("2023年哪个单位的基本工资最多？")
    assert answer.answer.startswith(f"基本工资最多的是{x}")
    assert answer.figures[0].value == wan(9)


def test_two_bodies_asked_for_a_year_one_lacks_names_the_missing_one(years_store):
    assistant, (x, _, z) = years_store
    answer = assistant.ask(f"{x}和{z}2024年基本工资分别是多少？")
    assert answer.status == "answered"
    assert [f.value for f in answer.figures if f.unit == "万元"] == [wan(2)]
    assert answer.answer.endswith(f"另：{z}没有载入2024年的预算（已载入：2023年）。")


@pytest.fixture(scope="module")
def place_store(tmp_path_factory):
    """莲湖's 医保局 (2024) and five other 莲湖区 bodies with only a 2023 budget."""
    from assistant.engine import Assistant
    from db.store import connect_writer
    from ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("place") / "place.db"
    assert not ingest_paths([SAMPLES / "lianhu-2024-budget.txt"], path).failed
    conn = connect_writer(path)
    (source,) = conn.execute("SELECT doc_id FROM documents").fetchone()
    conn.execute("BEGIN")
    for k, office in enumerate(("教育局", "民政局", "财政局", "审计局", "司法局"), 2):
        copy_document(conn, source, f"西安市莲湖区{office}", k, year=2023)
    conn.execute("COMMIT")
    conn.close()
    return Assistant(path)


def test_many_bodies_of_a_place_without_the_year_are_counted_not_listed(place_store):
    answer = place_store.ask("莲湖区各单位2024年基本工资是多少？")
    assert answer.status == "answered"
    assert answer.answer.endswith("另：所问的单位中有5个没有载入2024年的预算。")


def test_a_new_question_naming_a_place_is_not_narrowed_to_the_office_asked_before(place_store):
    """After a question about 莲湖区教育局, "2023年莲湖区哪个单位…最多" ranks every 莲湖区 body of
    2023; only an elliptical follow-up ("那民政局呢？") keeps what was asked before."""
    from assistant.answer import Exchange

    before = "西安市莲湖区教育局2023年基本工资是多少？"
    answer = place_store.ask("2023年莲湖区哪个单位的基本工资最多？", [Exchange(before, place_store.ask(before))])
    assert answer.answer.startswith("基本工资最多的是西安市莲湖区司法局")
    assert [f.value for f in answer.figures if f.unit == "万元"] == [wan(6), wan(5), wan(4), wan(3), wan(2)]
