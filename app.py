"""budgetqa chat app (Streamlit). Thin: every decision lives in assistant/ and ingest/.

    BUDGETQA_DB=data/budgets.db streamlit run app.py
"""
from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from assistant import catalog, transcript
from assistant.audit import findings_for, run_audit
from assistant.answer import Answer, Exchange
from assistant.examples import example_questions
from assistant.engine import Assistant
from assistant.factory import engine_description, make_assistant
from assistant.llm_config import LLMConfig, LLMConfigError, load_config
from ingest import ocr
from ingest.pipeline import ingest_paths

REPO = Path(__file__).resolve().parent
DB_PATH = Path(os.environ.get("BUDGETQA_DB", REPO / "data" / "budgets.db"))
SAMPLES = REPO / "data" / "samples"

st.set_page_config(page_title="budgetqa · 预算问答", page_icon="📊", layout="wide")


@st.cache_resource(show_spinner=False)
def load_assistant(db_path: str, version: float, llm_settings: str):
    """One engine per database file version and LLM settings (re-created after an upload
    changes the file, or the settings change), and what to tell the user about it. Settings
    that cannot be used are said on the page and the built-in engine answers: the app keeps
    working offline."""
    try:
        config = load_config()
        return make_assistant(db_path), engine_description(config), None
    except LLMConfigError as exc:
        return Assistant(db_path), engine_description(LLMConfig()), f"大模型引擎没有开启：{exc} 现在由内置引擎回答。"


def llm_settings() -> str:
    """The LLM settings in force, as a cache key (environment and config file)."""
    try:
        return repr(dataclasses.astuple(load_config()))
    except LLMConfigError as exc:
        return str(exc)


def ensure_database() -> None:
    if DB_PATH.exists():
        return
    DB_PATH.parent.mkdir(parents=True, exist_ok=True)
    with st.spinner("首次启动：正在载入随附的样例预算……"):
        report = ingest_paths([SAMPLES], DB_PATH)
        run_audit(DB_PATH)
    for failure in report.failed:
        st.error(failure.message)


def loaded():
    """(assistant, engine description, problem with the LLM settings or None)."""
    return load_assistant(str(DB_PATH), DB_PATH.stat().st_mtime, llm_settings())


def assistant():
    return loaded()[0]


def ask(question: str) -> None:
    history = st.session_state.exchanges
    try:
        answer = assistant().ask(question, history)
    except Exception as exc:  # never a traceback on the page
        answer = Answer("error", f"出错了：{exc}")
    history.append(Exchange(question, answer))


ENGINE_NAMES = {"builtin": "内置引擎", "llm": "大模型（经 SQL 检查）"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_NAMES = {"answered": "已回答", "no_data": "数据中没有", "clarify": "需要补充", "refused": "已拒绝", "error": "出错"}


def show_answer(answer: Answer) -> None:
    st.markdown(answer.answer)
    st.caption(f"{ENGINE_NAMES.get(answer.engine, answer.engine)} · {STATUS_NAMES.get(answer.status, answer.status)}")
    for warning in answer.warnings:
        st.warning(warning)
    if answer.figures:
        st.caption("  \n".join(f"**{transcript.shown_value(f)}** — {f.label}；来源：{f.source.cite()}" for f in answer.figures))
    show_chart(answer)
    if answer.sql or answer.figures:
        with st.expander("SQL 与来源行"):
            if answer.sql:
                st.code(answer.sql, language="sql", wrap_lines=True)
            if answer.rows:
                st.dataframe(pd.DataFrame(answer.rows, columns=_unique([column_title(c) for c in answer.columns])
                                          if answer.columns else None), hide_index=True)
            try:
                show_cited_rows(answer)
            except Exception as exc:  # the answer stands; only the table view is missing
                st.info(f"无法显示来源表：{exc}")


def show_chart(answer: Answer) -> None:
    """Several distinct figures in the answer's unit (a ranking, a list, a comparison): a bar
    chart in the answer's order. The 元 of the source (（原表）), a share, and the same figure
    printed in a second table (same label) are left out; one amount alone draws no chart."""
    unit = answer.figures[0].unit if answer.figures else None
    charted: dict[str, float] = {}
    for f in answer.figures:
        if unit != "%" and f.unit == unit and f.label not in charted:
            charted[f.label] = float(f.value)
    if len(set(charted.values())) < 2:  # one amount (if in two classifications) is no comparison
        return
    import altair as alt  # only when there is a chart to draw

    frame = pd.DataFrame({"项目": list(charted), "数值": list(charted.values()),
                          "显示": [transcript.shown_value(f) for f in _first_per_label(answer.figures, charted)]})
    chart = alt.Chart(frame).mark_bar(color="#2f6db5").encode(
        x=alt.X("数值:Q", title=f"单位：{unit}"),
        y=alt.Y("项目:N", sort=None, title=None, axis=alt.Axis(labelLimit=420)),
        tooltip=[alt.Tooltip("项目:N"), alt.Tooltip("显示:N", title="数值")])
    text = chart.mark_text(align="left", dx=4, color="#333").encode(text="显示:N")
    st.altair_chart((chart + text).properties(height=32 * len(charted) + 40), width="stretch")


# The result columns of the SQL above, named for people; the SQL's own name stays beside it.
COLUMN_TITLES = {"item_id": "行id", "doc_id": "文档id", "document": "文档", "issuer": "单位", "year": "年度",
                 "table_id": "表id", "source_table": "表", "table_kind": "表类别", "page": "页", "line": "原文行",
                 "row_no": "行", "code": "科目编码", "name": "名称", "classification": "分类", "measure": "栏目",
                 "amount_fen": "金额（分）", "unit": "表的单位", "uncertain": "不确定", "is_total": "合计行",
                 "figure_id": "说明数字id", "section": "说明章节", "sentence": "原句", "subject": "事项",
                 "kind": "类型", "value": "数值", "compared_to": "比较对象", "project_id": "项目id",
                 "indicator_id": "指标id", "value_text": "目标值", "value_num": "目标数值", "value_unit": "单位"}


def column_title(column: str) -> str:
    title = COLUMN_TITLES.get(column)
    return f"{title} · {column}" if title else column


def _first_per_label(figures, labels) -> list:
    first = {}
    for f in figures:
        first.setdefault(f.label, f)
    return [first[label] for label in labels]


def show_cited_rows(answer: Answer) -> None:
    """Each cited row inside its source table, with its neighbours, the cited row highlighted."""
    seen = set()
    conn = assistant().conn
    for figure in answer.figures:
        source = figure.source
        if not source.table_id or not source.row or (source.table_id, source.row) in seen:
            continue
        seen.add((source.table_id, source.row))
        view = catalog.table_view(conn, source.table_id, around_row=source.row)
        width = max([len(view.columns)] + [len(cells) for _, cells in view.rows])
        columns = ["行"] + [c or f"栏{i + 1}" for i, c in enumerate(view.columns + [""] * (width - len(view.columns)))]
        frame = pd.DataFrame([[row_no] + cells + [""] * (width - len(cells)) for row_no, cells in view.rows],
                             columns=_unique(columns))
        st.markdown(f"《{view.document}》{view.title}（单位：{view.unit or '未注明'}"
                    f"{f'，第{view.page}页' if view.page else ''}）")
        st.dataframe(frame.style.apply(
            lambda r: ["background-color: #fff3b0" if r.iloc[0] == source.row else "" for _ in r], axis=1),
            hide_index=True)


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        out.append(name if name not in out else f"{name}·{out.count(name) + 1}")
    return out


def sidebar() -> None:
    with st.sidebar:
        _, engine, problem = loaded()
        st.caption(f"问答引擎：{engine}")
        if problem:
            st.warning(problem)
        st.header("已载入的预算")
        documents = catalog.list_documents(assistant().conn)
        issuers = st.multiselect("筛选单位", sorted({d.issuer for d in documents}), placeholder="全部单位")
        years = st.multiselect("筛选年度", sorted({_year(d) for d in documents}), placeholder="全部年度")
        shown = [d for d in documents if (not issuers or d.issuer in issuers) and (not years or _year(d) in years)]
        for d in shown:
            findings = f"**{d.findings}处发现**" if d.findings else "无发现"
            notes = f" · {d.notes}条提示" if d.notes else ""
            st.markdown(f"**{d.issuer}**  \n:small[{_year(d)} · {d.kind} · {d.tables}张表 · {d.items}个数 · "
                        f"{findings}{notes}]", help=f"《{d.title}》，文件 {d.source_file}")
        if not shown:
            st.caption("没有符合筛选条件的文档。")
        titles = {d.doc_id: d.title for d in shown}
        found = findings_for(assistant().conn, list(titles))
        with st.expander(f"一致性检查发现（{sum(d.findings for d in shown)}）"):
            # contradictions first; info notes (rounding within 0.01, reasons not given) after them
            for finding in sorted(found, key=lambda f: f.severity == "info"):
                line = f"**{finding.rule_id}**（{SEVERITY_NAMES.get(finding.severity, finding.severity)}）" \
                       f"《{titles[finding.doc_id]}》：{finding.message}"
                (st.caption if finding.severity == "info" else st.markdown)(line)

        st.header("示例问题")
        for question in example_questions(assistant().lexicon):
            st.button(question, width="stretch", on_click=_ask_later, args=(question,))

        st.header("载入新的预算文件")
        st.session_state.setdefault("upload_round", 0)
        uploads = st.file_uploader("txt / pdf / xlsx / xls / csv", accept_multiple_files=True,
                                   type=["txt", "pdf", "xlsx", "xls", "csv", "png", "jpg", "jpeg"],
                                   key=f"uploads-{st.session_state.upload_round}")
        if uploads and st.button("导入", type="primary"):
            ingest_uploads(uploads)
        for level, message in st.session_state.get("upload_messages", []):
            getattr(st, level)(message)

        st.header("导出问答记录")
        exchanges = st.session_state.exchanges
        for kind, label, mime, build in (("markdown", "Markdown", "text/markdown", transcript.to_markdown),
                                         ("json", "JSON", "application/json", transcript.to_json),
                                         ("csv", "CSV（每个数一行）", "text/csv", transcript.to_csv_for_excel),
                                         ("html", "可打印的 HTML", "text/html", transcript.to_html)):
            st.download_button(label, build(exchanges), file_name=transcript.export_filename(kind), mime=mime,
                               disabled=not exchanges, width="stretch")


def _ask_later(question: str) -> None:
    st.session_state.pending = question


def _year(d) -> str:
    return f"{d.year}年" if d.year else "年份未注明"


def ingest_uploads(uploads) -> None:
    """Import the uploaded files with a progress bar, then rerun so the document list, the
    examples and the engine see the new data; one message per failed file is kept to show."""
    try:
        report = _ingest_files(uploads)
    except Exception as exc:
        st.session_state.upload_messages = [("error", f"导入失败：{exc}")]
    else:
        messages = [("error", r.message) for r in report.results if r.status == "failed"]
        failed, ingested = report.count("failed"), report.count("ingested")
        level = "success" if not failed else ("warning" if ingested or report.count("unchanged") else "error")
        messages.append((level, f"导入 {ingested} 个，未变化 {report.count('unchanged')} 个，"
                                f"失败 {failed} 个（{report.seconds:.1f} 秒）。"))
        st.session_state.upload_messages = messages
    st.session_state.upload_round += 1  # a fresh, empty uploader
    st.rerun()


def _ingest_files(uploads):
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for upload in uploads:
            path = Path(folder) / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            paths.append(path)
        bar = st.progress(0.0, text="正在导入……")
        ocr.configure(progress=lambda name, done, total: bar.progress(  # scanned pages: seconds each
            done / total if total else 1.0, text=f"OCR 识别 {name}：第 {done}/{total} 页"))
        report = ingest_paths(paths, DB_PATH, progress=lambda done, total, name: bar.progress(
            done / total if total else 1.0, text=f"{done}/{total} {name}"))
        new = [r.doc_id for r in report.results if r.status == "ingested"]
        if new:
            run_audit(DB_PATH, new)
    return report


def main() -> None:
    st.session_state.setdefault("exchanges", [])
    try:
        ensure_database()
        assistant()
    except Exception as exc:
        st.error(f"无法打开数据库 {DB_PATH}：{exc}")
        return
    st.title("预算问答")
    st.caption("问部门预算里的数字：每个数都给出单位、出处（文档、表、页、行）和查询它的 SQL。")
    # The question is answered before the sidebar is drawn, so that the export buttons
    # already hold this answer (an example button sets `pending` in its callback).
    question = st.chat_input("例如：青海省医疗保障局2021年“三公”经费是多少？")
    question = question or st.session_state.pop("pending", None)
    if question:
        ask(question)
    try:
        sidebar()
    except Exception as exc:
        st.sidebar.error(f"侧栏出错：{exc}")
    for exchange in st.session_state.exchanges:
        with st.chat_message("user"):
            st.markdown(exchange.question)
        with st.chat_message("assistant"):
            show_answer(exchange.answer)

main()
