"""The Streamlit app driven as a user would: the landing page, questions and follow-ups, the
source page of a figure, charts, document management, exports, settings."""
from __future__ import annotations

import io
import json
import shutil

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPO
from assistant.present import CITED_COLUMNS


LLM_SETTINGS = ("BUDGETQA_LLM", "BUDGETQA_LLM_MODEL", "BUDGETQA_LLM_BASE_URL", "BUDGETQA_LLM_API_KEY",
                "BUDGETQA_LLM_CONFIG", "BUDGETQA_UPLOADS")


def _start(monkeypatch, tmp_path, db):
    monkeypatch.setenv("BUDGETQA_DB", str(db))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no user llm.toml
    for name in LLM_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return lambda: AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()


@pytest.fixture()
def page(samples_db, monkeypatch, tmp_path):
    """The app on the samples, with no LLM settings but those a test sets."""
    return _start(monkeypatch, tmp_path, samples_db)


@pytest.fixture()
def app(page):
    return page()


@pytest.fixture()
def own_app(samples_db, monkeypatch, tmp_path):
    """The app on a copy of the samples that a test may change."""
    db = tmp_path / "own.db"
    shutil.copy(samples_db, db)
    return _start(monkeypatch, tmp_path, db)()


@pytest.fixture(scope="session")
def series_db(samples_db, tmp_path_factory):
    """The samples plus two years of one issuer as small ruled PDFs (kept on disk)."""
    from assistant.audit import run_audit
    from ingest.pipeline import ingest_paths
    from series_build import make_series

    folder = tmp_path_factory.mktemp("series")
    db = folder / "series.db"
    shutil.copy(samples_db, db)
    assert not ingest_paths(make_series(folder / "files"), db).failed
    run_audit(db)
    return db


@pytest.fixture()
def series_app(series_db, monkeypatch, tmp_path):
    return _start(monkeypatch, tmp_path, series_db)()


def messages(at) -> list[str]:
    return [m.markdown[0].value for m in at.chat_message if m.markdown]


def sidebar_text(at) -> str:
    return "\n".join(m.value for m in at.sidebar.markdown)


def main_text(at) -> str:
    return "\n".join(m.value for m in at.main.markdown)


def elements(at, kind: str) -> list:
    return [e for e in at.main if type(e).__name__ == kind]


def chart_data(at, k: int = -1):
    chart = at.get("vega_lite_chart")[k].proto
    spec = json.loads(chart.spec)
    frame = pa.ipc.open_stream(io.BytesIO(chart.datasets[0].data.data)).read_pandas()
    return spec, frame


def status_captions(at) -> list[str]:
    return [c.value for c in at.main.caption if " · " in c.value]


# --- 2. the landing page ---------------------------------------------------------------------

def test_landing_page_shows_what_is_loaded_examples_and_audit_summary(app):
    assert not app.exception
    loaded = app.dataframe[0].value
    assert list(loaded.columns[:3]) == ["单位", "年度", "类型"] and len(loaded) == 5
    assert {"青海省医疗保障局", "拉萨市医疗保障局"} <= set(loaded["单位"])
    assert len([b for b in app.main.button if b.key.startswith("example-")]) == 6
    text = main_text(app)
    assert "**10** 处错误" in text and "**4** 条提示" in text
    assert any("青海省医疗保障局2021年部门预算" in e.label and "3 处矛盾，3 条提示" in e.label for e in app.expander)


@pytest.mark.parametrize("k", range(6))
def test_every_example_button_is_answered(page, k):
    at = page()
    button = [b for b in at.main.button if b.key == f"example-{k}"][0]
    button.click().run()
    assert not at.exception
    assert status_captions(at) == ["内置引擎 · 已回答"]
    assert not [b for b in at.main.button if b.key.startswith("example-")]  # the landing page gives way


# --- 7. the documents in the sidebar -----------------------------------------------------------

def test_sidebar_lists_each_document_once_with_year_kind_and_scope(app):
    entries = [m.value for m in app.sidebar.markdown if m.value.startswith("**") and ":small[" in m.value]
    assert len(entries) == len(set(entries)) == 5
    lasa = [e for e in entries if "拉萨市医疗保障局" in e]
    assert len(lasa) == 2 and lasa[0] != lasa[1]
    assert any("2021年 · 部门预算 · 9张表" in e and "3处发现** · 3条提示" in e for e in entries)
    assert any("2021年 · 单位预算" in e for e in entries)


def test_document_filters(app):
    app.sidebar.multiselect[0].select("青海省医疗保障局").run()
    assert "青海省医疗保障局" in sidebar_text(app) and "北戴河" not in sidebar_text(app)
    app.sidebar.multiselect[0].unselect("青海省医疗保障局").run()
    app.sidebar.multiselect[1].select("2024年").run()
    text = sidebar_text(app)
    assert "莲湖区" in text and "青海省" not in text


def test_findings_count_is_the_number_listed(app):
    title = next(e.label for e in app.sidebar.expander if e.label.startswith("一致性检查发现"))
    # 10 errors and 4 warnings: 拉萨 and 莲湖 lack the 收入总表 (莲湖's 报表目录 lists it), 北戴河 prints "。。"
    assert title == "一致性检查发现（14 处矛盾，4 条提示）"
    listed = [m.value for m in app.sidebar.markdown if "（错误）" in m.value or "（警告）" in m.value]
    notes = [c.value for c in app.sidebar.caption if "（提示）" in c.value]
    assert (len(listed), len(notes)) == (14, 4)


def test_a_document_is_relabelled_from_the_sidebar(own_app):
    at = own_app
    at.sidebar.selectbox(key="manage-doc").select_index(0).run()  # 拉萨, year not stated
    at.sidebar.text_input[1].input("2023")
    at.sidebar.button[0].click().run()  # 保存更正
    assert not at.exception
    assert any("已更正为《拉萨市医疗保障局2023年部门预算》" in s.value for s in at.sidebar.success)
    assert "2023年 · 部门预算" in sidebar_text(at)
    at.chat_input[0].set_value("拉萨市医疗保障局2023年住房公积金是多少？").run()
    assert status_captions(at) == ["内置引擎 · 已回答"]


def test_a_wrong_year_is_refused_in_chinese(own_app):
    at = own_app
    at.sidebar.text_input[1].input("二〇二三")
    at.sidebar.button[0].click().run()
    assert "不是数字" in at.sidebar.error[0].value


def test_a_document_is_removed_from_the_sidebar(own_app):
    at = own_app
    qinghai = next(o for o in at.sidebar.selectbox(key="manage-doc").options if "青海" in o)
    box = at.sidebar.selectbox(key="manage-doc")
    box.select_index(box.options.index(qinghai)).run()
    remove = [b for b in at.sidebar.button if b.label == "删除文档"][0]
    assert remove.disabled
    at.sidebar.checkbox[0].check().run()
    [b for b in at.sidebar.button if b.label == "删除文档"][0].click().run()
    assert not at.exception
    assert any("已删除《青海省医疗保障局2021年部门预算》" in s.value for s in at.sidebar.success)
    assert "青海省医疗保障局" not in sidebar_text(at)
    at.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    assert status_captions(at) == ["内置引擎 · 数据中没有"]


# --- 3. compact answers ----------------------------------------------------------------------

def test_an_answer_states_its_figures_once_and_hides_sql_and_rows_in_one_expander(app):
    app.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    assert not app.exception
    text = main_text(app)
    assert text.count("87.86万元") == 2  # the sentence names the figure and its second printing, once each
    assert status_captions(app) == ["内置引擎 · 已回答"]
    assert [e.label for e in app.main.expander if "SQL" in e.label] == ["SQL 与引用的数"]
    rows = app.dataframe[0].value
    assert list(rows.columns) == CITED_COLUMNS and len(rows) == 2
    assert rows.iloc[0]["金额"] == "87.86万元" and rows.iloc[0]["页"] == "7"


def test_the_table_holds_every_cited_figure_of_a_mixed_answer(app):
    app.chat_input[0].set_value("哪个单位的机关运行经费最多？").run()
    rows = app.dataframe[0].value
    assert list(rows["金额"]) == ["142.28万元", "9.32万元", "8.34元"]
    assert rows.iloc[2]["行"] == "原文第1798行"
    assert app.main.warning and "R13" in app.main.warning[0].value


def test_question_then_follow_up_with_citations(app):
    app.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    app.chat_input[0].set_value("那北戴河区医疗保障局呢？").run()
    assert not app.exception
    text = messages(app)
    assert "87.86万元" in text[1] and "《青海省医疗保障局2021年部门预算》" in text[1]
    assert "14.18万元" in text[3] and "北戴河" in text[3]
    assert any("FROM items_v" in code.value for code in app.code)


# --- 4. charts --------------------------------------------------------------------------------

def test_one_figure_in_two_tables_draws_no_chart(app):
    app.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    assert not app.get("vega_lite_chart")


def test_ranking_draws_horizontal_bars_in_one_unit_with_every_label(app):
    app.chat_input[0].set_value("哪个单位的机关运行经费最多？").run()
    spec, frame = chart_data(app)
    bars = spec["layer"][0]["encoding"]
    assert bars["y"]["field"] == "lines" and bars["y"]["type"] == "nominal" and bars["y"]["sort"] is None
    assert "split(datum.label" in bars["y"]["axis"]["labelExpr"]  # long names wrap onto lines
    assert bars["x"]["title"] == "单位：万元" and bars["y"]["axis"]["labelOverlap"] is False
    assert len(frame) == 3 and frame["label"].str.len().min() > 0
    assert list(frame["shown"]) == ["142.28万元", "9.32万元", "8.34元"]  # 8.34元 drawn, in 万元
    assert frame["value"].iloc[2] == pytest.approx(0.000834)


def test_bars_whose_labels_share_no_words_draw_without_a_title(app):
    """Two bodies compared (谁多): the labels share nothing to put in a title; the chart is drawn
    untitled (an explicit empty title made altair raise, and the page showed a traceback)."""
    app.chat_input[0].set_value("青海省医疗保障局和莲湖区医疗保障局住房公积金谁多？").run()
    assert not app.exception
    spec, frame = chart_data(app)
    assert "title" not in spec and len(frame) == 3


def test_a_series_over_years_draws_a_line(series_app):
    series_app.chat_input[0].set_value("某某区医疗保障局行政事业单位养老支出").run()
    spec, frame = chart_data(series_app)
    assert spec["layer"][0]["mark"]["type"] == "line"
    assert list(frame["year"]) == ["2024", "2025"] and list(frame["value"]) == [1050.0, 1200.0]


# --- 1. see it in the document ---------------------------------------------------------------

def _open_source(at, k: int = 1, turn: int = 0):
    at.session_state[f"source-{turn}-{k}"] = True
    return at.run()


def test_a_pdf_figure_opens_its_page_with_the_cell_boxed(series_app):
    at = series_app
    at.chat_input[0].set_value("某某区医疗保障局2025年机关事业单位基本养老保险缴费支出是多少？").run()
    label = next(e.label for e in at.main.expander if e.label.startswith("原文"))
    assert "第1页，第3行" in label
    _open_source(at)
    assert not at.exception
    images = elements(at, "Image")
    assert len(images) == 1
    assert "series-2025.pdf 第1页（框出的是引用的单元格）" in str(images[0].proto)


def test_a_text_table_figure_opens_its_row_highlighted(app):
    app.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    _open_source(app)
    table = app.dataframe[0].value
    assert 29 in list(table["行"]) and "住房公积金" in table.to_string()
    assert "《青海省医疗保障局2021年部门预算》支出总表（单位：万元，第7页）" in main_text(app).replace("\\", "")


def test_a_text_figure_opens_its_lines(app):
    app.chat_input[0].set_value("哪个单位的机关运行经费最多？").run()
    _open_source(app, 3)
    lines = app.dataframe[0].value
    assert list(lines.columns) == ["原文行", "内容"] and 1798 in list(lines["原文行"])
    assert any(c.value == "文件：beidaihe-2021-budget.txt" for c in app.main.caption)


def test_a_source_file_that_is_gone_is_said(samples_db, monkeypatch, tmp_path):
    from ingest.pipeline import ingest_paths
    from series_build import make_year_pdf

    db = tmp_path / "gone.db"
    shutil.copy(samples_db, db)
    pdf = make_year_pdf(tmp_path / "gone.pdf", 2025)
    assert not ingest_paths([pdf], db).failed
    pdf.unlink()
    at = _start(monkeypatch, tmp_path, db)()
    at.chat_input[0].set_value("某某区医疗保障局2025年机关事业单位基本养老保险缴费支出是多少？").run()
    _open_source(at)
    assert not at.exception and not elements(at, "Image")
    assert "原文件 gone.pdf 已不在服务器上" in at.main.warning[0].value
    assert str(tmp_path) not in at.main.warning[0].value


# --- 6. Chinese throughout, nothing unsafe ---------------------------------------------------

def test_uploader_speaks_chinese_and_no_server_path_is_shown(app):
    uploader = app.sidebar.get("file_uploader")[0]
    assert uploader.label.startswith("选择预算文件")
    helps = [m.proto.help for m in app.sidebar.markdown if m.proto.help]
    assert helps and all("/" not in h.replace("txt / pdf", "") for h in helps)
    assert all(".txt" in h or ".pdf" in h for h in helps)


def test_markdown_in_a_question_is_shown_as_text(app):
    app.chat_input[0].set_value("![x](http://127.0.0.1:9/p.png) 青海省医疗保障局2021年住房公积金").run()
    shown = messages(app)[0]
    assert "![x](" not in shown and "\\!\\[x\\]" in shown


def test_markdown_in_a_document_title_is_shown_as_text(own_app):
    at = own_app
    at.sidebar.text_input[0].input("![x](http://127.0.0.1:9/p.png)局")
    at.sidebar.button[0].click().run()
    assert "![x](" not in sidebar_text(at) and "![x](" not in main_text(at)
    assert "\\!\\[x\\]" in sidebar_text(at)


def test_uploads_and_changes_can_be_turned_off(samples_db, monkeypatch, tmp_path):
    page = _start(monkeypatch, tmp_path, samples_db)
    monkeypatch.setenv("BUDGETQA_UPLOADS", "off")
    at = page()
    assert not at.exception
    assert not at.sidebar.get("file_uploader")
    assert not [e for e in at.sidebar.expander if "删除" in e.label]
    assert any("BUDGETQA_UPLOADS=off" in c.value for c in at.sidebar.caption)


# --- 5. exports -------------------------------------------------------------------------------

def test_exports_already_hold_the_answer_just_given(app):
    app.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    buttons = [b for b in app.get("download_button")]
    assert len(buttons) == 4 and not any(b.proto.disabled for b in buttons)


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
    assert "87.86万元" in messages(at)[1] and "内置引擎 · 已回答" in status_captions(at)


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


def test_make_run_listens_on_this_machine_only():
    run = next(line for line in (REPO / "Makefile").read_text().splitlines() if "streamlit run" in line)
    assert "--server.address 127.0.0.1" in run


def test_an_upload_the_file_left_unsure_opens_the_correction_form_on_it(own_app):
    """After an upload whose identity cues left something open (here: no year), the form opens
    on that document and says what to check."""
    import os
    import sqlite3

    at = own_app
    [(doc_id,)] = sqlite3.connect(os.environ["BUDGETQA_DB"]).execute("SELECT doc_id FROM documents WHERE year IS NULL")
    at.session_state["unsure_doc"] = doc_id
    at.run()
    assert "拉萨市医疗保障局" in at.sidebar.selectbox(key="manage-doc").value.issuer
    assert any("没有写明预算年度" in w.value for w in at.sidebar.warning)
