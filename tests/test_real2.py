"""The published budgets of ../shared/real2 (a central university, Jiangsu provincial
departments): each loads under its own issuer, year, kind and scope, and the figures its README
reads off the documents are answered. Skipped when the folder is absent."""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import SHARED

REAL2 = SHARED / "real2"
pytestmark = pytest.mark.skipif(not REAL2.is_dir(), reason="../shared/real2 is not present")

SWU = "central-swu-2021-dept-budget.pdf"
GAOYUAN = "jiangsu-gaoyuan-2019-dept-budget.pdf"
TABLES = "jiangsu-shengweibangongting-2019-dept-budget-tables.pdf"
NARRATIVE = "jiangsu-shengweibangongting-2019-dept-budget-narrative.pdf"


@pytest.fixture(scope="module")
def real2_db(tmp_path_factory):
    from assistant.audit import run_audit
    from ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("real2") / "real2.db"
    report = ingest_paths([REAL2], path, jobs=2)
    assert not report.failed, [r.message for r in report.failed]
    run_audit(path)
    return path


@pytest.fixture(scope="module")
def real2(real2_db):
    from assistant.engine import Assistant

    return Assistant(real2_db)


@pytest.mark.parametrize("file, issuer, year, kind, scope, part", [
    (SWU, "西南大学", 2021, "预算", "部门", "whole"),
    (GAOYUAN, "江苏省高级人民法院", 2019, "预算", "部门", "whole"),
    (TABLES, "中共江苏省委办公厅", 2019, "预算", "部门", "tables"),
    (NARRATIVE, "中共江苏省委办公厅", 2019, "预算", "部门", "text"),
])
def test_each_file_loads_under_its_own_identity(real2_db, file, issuer, year, kind, scope, part):
    import sqlite3
    conn = sqlite3.connect(real2_db)
    row = conn.execute("SELECT issuer, year, kind, scope, part FROM documents WHERE source_file LIKE ?",
                       (f"%{file}",)).fetchone()
    assert row == (issuer, year, kind, scope, part)


def test_the_issuer_only_on_the_cover_is_found_there(real2_db):
    from assistant.catalog import list_documents
    from db.store import connect_readonly

    docs = {d.issuer: d for d in list_documents(connect_readonly(real2_db))}
    assert docs["西南大学"].decided_by["issuer"] == "cover"
    assert docs["西南大学"].uncertain == []


def test_tables_and_text_files_are_one_budget(real2):
    budget = [b for b in real2.lexicon.bureaus if b.issuer == "中共江苏省委办公厅"]
    assert len(budget) == 1 and len(budget[0].documents) == 2


def values(answer, unit="万元"):
    return {f.value for f in answer.figures if f.unit == unit}


@pytest.mark.parametrize("question, value", [
    ("西南大学2021年收支总预算是多少？", "490808.40"),
    ("西南大学2021年财政拨款收入是多少？", "216552.53"),
    ("西南大学2021年教育支出是多少？", "398593.09"),
    ("西南大学2021年高等教育财政拨款基本支出是多少？", "158467.66"),
    ("西南大学2021年住房公积金是多少？", "15076.55"),
    ("江苏省高级人民法院2019年收入合计是多少？", "37188.34"),
    ("江苏高院2019年单位预留机动经费是多少？", "5011.40"),
    ("江苏省高级人民法院2019年案件审判是多少？", "1599.11"),
    ("江苏省高级人民法院2019年政府采购预算是多少？", "5227.59"),
    ("中共江苏省委办公厅2019年收入合计是多少？", "27664.22"),
    ("中共江苏省委办公厅2019年一般行政管理事务是多少？", "13025.38"),
    ("中共江苏省委办公厅2019年公务用车运行维护费是多少？", "411.20"),
    ("中共江苏省委办公厅2019年政府采购预算是多少？", "1422.50"),
    ("中共江苏省委办公厅2019年人员经费是多少？", "9467.72"),
])
def test_readme_figures_are_answered(real2, question, value):
    answer = real2.ask(question)
    assert answer.status == "answered", answer.answer
    assert Decimal(value) in values(answer), answer.answer


def test_sangong_of_a_table_that_adds_meetings_and_training_is_its_subtotal(real2):
    answer = real2.ask("江苏省高级人民法院2019年“三公”经费是多少？")
    assert values(answer) == {Decimal("513.75")}, answer.answer


def test_meeting_costs_of_the_sangong_table(real2):
    answer = real2.ask("中共江苏省委办公厅2019年会议费是多少？")
    assert Decimal("933.50") in values(answer), answer.answer


@pytest.mark.parametrize("question, value, unit", [
    ("江苏省高级人民法院2019年车辆有多少辆？", "66", "辆"),
    ("中共江苏省委办公厅2019年车辆有多少辆？", "127", "辆"),
    ("中共江苏省委办公厅2019年机关运行经费比上年增加多少？", "138.33", "万元"),
])
def test_text_figures_are_answered(real2, question, value, unit):
    answer = real2.ask(question)
    assert answer.status == "answered", answer.answer
    assert Decimal(value) in values(answer, unit), answer.answer


def test_text_and_table_figures_cite_their_own_files(real2):
    table = real2.ask("中共江苏省委办公厅2019年收入合计是多少？").figures[0].source
    text = real2.ask("中共江苏省委办公厅2019年车辆有多少辆？").figures[0].source
    assert table.table and table.document == "中共江苏省委办公厅2019年部门预算"
    assert text.section and text.document == "中共江苏省委办公厅2019年部门预算（情况说明）"


@pytest.mark.parametrize("question", ["西南大学2021年“三公”经费是多少？", "西南大学2021年机关运行经费是多少？"])
def test_what_the_university_does_not_publish_has_no_figure(real2, question):
    answer = real2.ask(question)
    assert answer.status == "no_data" and not answer.figures


@pytest.mark.parametrize("question", ["江苏省委办公厅2019年基本支出是多少？", "省委办公厅2019年基本支出是多少？"])
def test_a_party_body_is_named_without_its_party_prefix(real2, question):
    answer = real2.ask(question)
    assert values(answer) == {Decimal("11700.63")}, answer.answer
    assert {f.source.document for f in answer.figures} == {"中共江苏省委办公厅2019年部门预算"}


def test_a_ranking_over_two_publishers_formats(real2):
    answer = real2.ask("2019年哪个单位的三公经费最多？")
    assert [f.value for f in answer.figures][:2] == [Decimal("513.75"), Decimal("508.20")], answer.answer


def test_a_part_of_a_table_asked_by_name_is_never_the_tables_total(real2):
    answer = real2.ask("江苏高院2019年政府采购货物是多少？")
    assert answer.status == "no_data" and not answer.figures
    assert "政府采购货物" in answer.answer


@pytest.mark.parametrize("question", ["江苏省人民检察院2019年三公经费是多少？", "江苏省财政厅2019年三公经费是多少？"])
def test_another_body_of_a_loaded_place_gets_no_figure(real2, question):
    answer = real2.ask(question)
    assert answer.status == "no_data" and not answer.figures, answer.answer


def test_an_office_word_that_is_also_a_subject_still_names_a_body(real_and_samples):
    """莲湖区人民法院: '法院' is 江苏高院's 科目 20405 too; the question is about a court of 莲湖区."""
    answer = real_and_samples.ask("莲湖区人民法院2024年住房公积金是多少？")
    assert answer.status == "no_data" and not answer.figures, answer.answer


def test_the_subject_named_like_an_office_is_still_answered(real2):
    answer = real2.ask("江苏高院2019年法院支出是多少？")
    assert values(answer) == {Decimal("27488.23")}, answer.answer


@pytest.fixture(scope="module")
def real_and_samples(tmp_path_factory):
    from assistant.engine import Assistant
    from conftest import SAMPLES
    from ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("mixed") / "mixed.db"
    report = ingest_paths([REAL2, SAMPLES], path, jobs=2)
    assert not report.failed, [r.message for r in report.failed]
    return Assistant(path)


def test_the_text_half_loaded_first_is_renamed_and_the_ingest_line_says_so(tmp_path):
    """The text half names its issuer 江苏省委办公厅; the tables half, loaded after it, brings
    the fuller 中共江苏省委办公厅. Both then carry the fuller name, and the second ingest line
    says which document it joined and what that one was called before."""
    from ingest.pipeline import ingest_paths

    db = tmp_path / "halves.db"
    [text] = ingest_paths([REAL2 / NARRATIVE], db).results
    [tables] = ingest_paths([REAL2 / TABLES], db).results
    assert text.title == "江苏省委办公厅2019年部门预算（情况说明）"
    assert tables.message == (f"与已载入的《中共江苏省委办公厅2019年部门预算（情况说明）》（文档 {text.doc_id}）"
                              f"是同一预算的两部分，它原名《江苏省委办公厅2019年部门预算（情况说明）》，已改用本文件的单位全称")


def test_a_ranking_counts_a_two_file_budget_once(real2):
    """The text half restates the tables half's 公务接待费 (27.00万元): one entry for the body."""
    answer = real2.ask("2019年哪个单位的公务接待费最多？")
    assert answer.answer.startswith("公务接待费最多的是江苏省高级人民法院。")
    assert answer.answer.count("中共江苏省委办公厅（2019年）27.00万元") == 1
    assert "共" not in answer.answer.split("：")[0]  # two bodies: no "共N个单位" cut
