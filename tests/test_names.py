"""Names among many issuers: places read from the list of real place names, aliases that never
cross bodies, `clarify` when a name fits bodies of several places, the usual short forms."""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import SAMPLES
from scale_corpus import copy_document

BODIES = {  # issuer → multiplier of 莲湖's figures, so each body's 基本工资 is its own
    "福建省福州市鼓楼区医疗保障局": 2,
    "江苏省南京市鼓楼区医疗保障局": 3,
    "河北省衡水市冀州区教育局": 4,
    "北京市发展和改革委员会": 5,
    "北京市朝阳区财政局": 6,
    "吉林省长春市朝阳区财政局": 7,
    "广东省广州市财政局": 8,
    "河南省郑州市金水区医疗保障局": 9,
    "贵州省医疗保障局": 10,
    "青海省卫生健康委员会": 11,
    "河北省邯郸市邯郸县财政局": 12,  # 邯郸, its short form, is also how 邯郸市 begins
    "天津市河北区民政局": 13,  # 河北, its short form, is also how 河北省 begins
}
WAGE = Decimal("67.030740")  # 莲湖 2024 基本工资 in 万元


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    from assistant.engine import Assistant
    from db.store import connect_writer
    from ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("names") / "names.db"
    ingest_paths([SAMPLES / "lianhu-2024-budget.txt"], path)
    conn = connect_writer(path)
    (source,) = conn.execute("SELECT doc_id FROM documents").fetchone()
    conn.execute("BEGIN")
    for issuer, times in BODIES.items():
        copy_document(conn, source, issuer, times)
    conn.execute("DELETE FROM documents WHERE doc_id = ?", (source,))
    conn.execute("COMMIT")
    conn.close()
    return Assistant(path)


def wage_of(issuer: str) -> Decimal:
    return WAGE * BODIES[issuer]


def test_split_places_keeps_a_known_name_with_zhou_whole():
    from assistant.lexicon import split_places

    assert split_places("福建省福州市鼓楼区医疗保障局") == ["福建省", "福州市", "鼓楼区"]
    assert split_places("河北省衡水市冀州区教育局") == ["河北省", "衡水市", "冀州区"]
    assert split_places("甘孜州财政局") == ["甘孜州"]  # not in the list: read up to its level word


@pytest.mark.parametrize("question, issuer", [
    ("福州鼓楼区医保局2024年基本工资是多少？", "福建省福州市鼓楼区医疗保障局"),
    ("福州市鼓楼区医疗保障局的基本工资是多少？", "福建省福州市鼓楼区医疗保障局"),
    ("广州财政局的基本工资是多少？", "广东省广州市财政局"),
    ("金水区医保局基本工资是多少？", "河南省郑州市金水区医疗保障局"),
    ("贵州医保局基本工资是多少？", "贵州省医疗保障局"),
])
def test_a_place_with_zhou_names_its_own_body(names, question, issuer):
    answer = names.ask(question)
    assert answer.status == "answered", answer.answer
    assert [f.value for f in answer.figures[:1]] == [wage_of(issuer)]
    assert issuer in answer.answer


@pytest.mark.parametrize("question", [
    "通州区教育局2024年基本工资是多少？",  # 衡水市冀州区教育局 shares the letters 州区教育局
    "北京市朝阳区教育局的基本工资是多少？",  # 朝阳区 and 北京市 are loaded, this office is not
    "北京市海淀区财政局的基本工资是多少？",  # 北京市 is loaded (发改委), 海淀区 is not
    "西安市财政局的基本工资是多少？",  # 广州市财政局 is the only 市财政局 loaded
    "河北省邯郸市丛台区审计局的基本工资是多少？",
    "河北省保定市徐水区审计局的基本工资是多少？",
    "海淀区卫健委的基本工资是多少？",  # an office named by its short form
])
def test_an_unloaded_body_sharing_a_place_with_a_loaded_one_gets_no_figure(names, question):
    answer = names.ask(question)
    assert answer.status == "no_data", answer.answer
    assert not answer.figures


@pytest.mark.parametrize("question, both", [
    ("朝阳区财政局的基本工资是多少？", ("北京市朝阳区财政局", "吉林省长春市朝阳区财政局")),
    ("鼓楼区医保局的基本工资是多少？", ("福建省福州市鼓楼区医疗保障局", "江苏省南京市鼓楼区医疗保障局")),
])
def test_a_name_fitting_bodies_of_several_places_gets_clarify(names, question, both):
    answer = names.ask(question)
    assert answer.status == "clarify"
    assert all(issuer in answer.answer for issuer in both)
    assert not answer.figures


def test_the_place_picks_one_of_two_bodies_of_the_same_name(names):
    answer = names.ask("长春朝阳区财政局的基本工资是多少？")
    assert answer.status == "answered"
    assert answer.figures[0].value == wage_of("吉林省长春市朝阳区财政局")


@pytest.mark.parametrize("question, issuer", [
    ("青海省卫健委的基本工资是多少？", "青海省卫生健康委员会"),
    ("北京市发改委的基本工资是多少？", "北京市发展和改革委员会"),
])
def test_usual_short_forms_name_the_body(names, question, issuer):
    answer = names.ask(question)
    assert answer.status == "answered", answer.answer
    assert answer.figures[0].value == wage_of(issuer)


def test_a_ranking_over_one_kind_of_office_the_glossary_has_no_short_form_for(names):
    answer = names.ask("哪个财政局的基本工资最多？")
    assert answer.answer.startswith("基本工资最多的是河北省邯郸市邯郸县财政局")
    assert all("财政局" in f.source.document for f in answer.figures)
    assert answer.answer.count("财政局（2024年）") == 4  # 北京朝阳, 长春朝阳, 广州, 邯郸县: the 财政局 loaded


def test_a_ranking_over_an_office_kind_not_loaded_gets_no_figure(names):
    answer = names.ask("哪个审计局的基本工资最多？")
    assert answer.status == "no_data" and not answer.figures


@pytest.mark.parametrize("question, issuer", [
    ("长春朝阳区的财政局的基本工资是多少？", "吉林省长春市朝阳区财政局"),
    ("北京市的发改委的基本工资是多少？", "北京市发展和改革委员会"),
    ("郑州市金水区的医保局基本工资是多少？", "河南省郑州市金水区医疗保障局"),
])
def test_a_de_between_place_and_office_names_one_body(names, question, issuer):
    answer = names.ask(question)
    assert answer.status == "answered", answer.answer
    assert [f.value for f in answer.figures[:1]] == [wage_of(issuer)]


def test_a_de_between_place_and_an_unloaded_office_gets_no_figure(names):
    answer = names.ask("北京市的海淀区的财政局的基本工资是多少？")
    assert answer.status == "no_data" and not answer.figures


def test_an_english_ranking_over_one_kind_of_office(names):
    answer = names.ask("Which finance bureau has the highest basic salary?")
    assert answer.answer.startswith("Highest 基本工资: 河北省邯郸市邯郸县财政局.")
    assert all("财政局" in f.source.document for f in answer.figures)
