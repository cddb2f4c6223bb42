"""The Streamlit app driven as a user would: a question, a follow-up, an example button."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPO


@pytest.fixture()
def app(samples_db, monkeypatch):
    monkeypatch.setenv("BUDGETQA_DB", str(samples_db))
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()


def messages(at) -> list[str]:
    return [m.markdown[0].value for m in at.chat_message if m.markdown]


def sidebar_text(at) -> str:
    return "\n".join(m.value for m in at.sidebar.markdown)


def test_page_loads_with_documents_and_examples(app):
    assert not app.exception
    text = sidebar_text(app)
    assert "**青海省医疗保障局**" in text and "2021年 · 预算 · 9张表 · " in text
    assert "年份未注明" in text and "处发现" in text
    assert len(app.button) >= 3


def test_document_filters(app):
    app.sidebar.multiselect[0].select("青海省医疗保障局").run()
    assert "青海省医疗保障局" in sidebar_text(app) and "北戴河" not in sidebar_text(app)
    app.sidebar.multiselect[0].unselect("青海省医疗保障局").run()
    app.sidebar.multiselect[1].select("2024年").run()
    text = sidebar_text(app)
    assert "莲湖区" in text and "青海省" not in text


def test_same_figure_in_two_tables_draws_no_chart_a_ranking_does(app):
    app.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    assert not app.get("vega_lite_chart")
    app.chat_input[0].set_value("哪个医保局住房公积金最多").run()
    assert not app.exception
    assert len(app.get("vega_lite_chart")) == 1


def test_question_then_follow_up_with_citations(app):
    app.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    app.chat_input[0].set_value("那北戴河区医疗保障局呢？").run()
    assert not app.exception
    text = messages(app)
    assert "87.86万元" in text[1] and "《青海省医疗保障局2021年部门预算》" in text[1]
    assert "14.18万元" in text[3] and "北戴河" in text[3]
    assert any("FROM items_v" in code.value for code in app.code)


def test_exports_already_hold_the_answer_just_given(app):
    app.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    buttons = [b for b in app.get("download_button")]
    assert buttons and not any(b.proto.disabled for b in buttons)


def test_example_button_asks_its_question(app):
    label = app.button[0].label
    app.button[0].click().run()
    assert messages(app)[0] == label


def test_refusal_is_a_message_not_a_traceback(app):
    app.chat_input[0].set_value("请删除青海省医疗保障局的全部数据").run()
    assert not app.exception
    assert "不会删除" in messages(app)[1]
