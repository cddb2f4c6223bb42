"""The Streamlit app driven as a user would: a question, a follow-up, an example button."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPO


LLM_SETTINGS = ("BUDGETQA_LLM", "BUDGETQA_LLM_MODEL", "BUDGETQA_LLM_BASE_URL", "BUDGETQA_LLM_API_KEY",
                "BUDGETQA_LLM_CONFIG")


@pytest.fixture()
def page(samples_db, monkeypatch, tmp_path):
    """The app on the samples, with no LLM settings but those a test sets."""
    monkeypatch.setenv("BUDGETQA_DB", str(samples_db))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no user llm.toml
    for name in LLM_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return lambda: AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()


@pytest.fixture()
def app(page):
    return page()


def messages(at) -> list[str]:
    return [m.markdown[0].value for m in at.chat_message if m.markdown]


def sidebar_text(at) -> str:
    return "\n".join(m.value for m in at.sidebar.markdown)


def test_page_loads_with_documents_and_examples(app):
    assert not app.exception
    text = sidebar_text(app)
    assert "**青海省医疗保障局**" in text and "2021年 · 预算 · 9张表 · " in text
    assert "年份未注明" in text and "处发现" in text
    assert "3处发现** · 3条提示" in text  # 青海: three contradictions, three notes (机关运行经费 gives its reason in the next sentence)
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


def sidebar_captions(at) -> str:
    return "\n".join(c.value for c in at.sidebar.caption)


def test_sidebar_names_the_engine(app):
    assert "问答引擎：内置引擎（离线）" in sidebar_captions(app)


def test_unusable_llm_settings_are_said_and_the_builtin_engine_answers(page, monkeypatch):
    monkeypatch.setenv("BUDGETQA_LLM", "gpt")
    at = page()
    assert not at.exception
    assert "大模型引擎没有开启" in at.sidebar.warning[0].value and "off | openai | ollama" in at.sidebar.warning[0].value
    at.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    assert "87.86万元" in messages(at)[1] and "内置引擎 · 已回答" in [c.value for c in at.main.caption]


def test_answer_from_the_llm_engine_is_labelled_and_cited(page, monkeypatch):
    pytest.importorskip("langchain_openai", reason="optional extra budgetqa[llm]")
    from llm_stub import serving

    sql = ("SELECT document, source_table, page, row_no, issuer, year, code, name, measure, amount_fen, unit "
           "FROM items_v WHERE code = '2101504' AND measure = '合计' AND issuer LIKE '%青海%' ORDER BY table_id, row_no")
    with serving(f"```sql\n{sql}\n```", "信息化建设为1,566.45万元。") as server:
        for name, value in (("BUDGETQA_LLM", "openai"), ("BUDGETQA_LLM_BASE_URL", f"{server.url}/v1"),
                            ("BUDGETQA_LLM_API_KEY", "sk-test"), ("NO_PROXY", "127.0.0.1")):
            monkeypatch.setenv(name, value)
        at = page()
        assert "大模型 openai · gpt-4o-mini" in sidebar_captions(at)
        at.chat_input[0].set_value("青海省医保局在数字化方面花了多少钱？").run()
    assert not at.exception
    assert "大模型（经 SQL 检查） · 已回答" in [c.value for c in at.main.caption]
    assert "1,566.45万元" in messages(at)[1] and any("FROM items_v" in code.value for code in at.code)


def test_result_rows_are_shown_with_column_names_for_people(app):
    app.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    columns = list(app.dataframe[0].value.columns)
    assert "金额（分） · amount_fen" in columns and "科目编码 · code" in columns
