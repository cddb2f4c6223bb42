"""budgetqa chat app (Streamlit). Thin: every decision lives in assistant/ and ingest/.

    BUDGETQA_DB=data/budgets.db streamlit run app.py
    BUDGETQA_DB=postgresql://user@host/budgets streamlit run app.py   (a store several servers share)

BUDGETQA_UPLOAD_DIR names the folder uploaded files are kept in (on a shared store, one folder
every app server mounts at the same path, so each can show any upload's pages).

BUDGETQA_UPLOADS=off turns uploading, correcting and removing documents off (a shared server
where the loaded budgets are managed by the administrator).
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from assistant import catalog, present, source_view, transcript
from assistant.answer import Answer, Exchange
from assistant.audit import audit_in_transaction, findings_for
from assistant.engine import Assistant
from assistant.examples import answered_examples
from assistant.factory import engine_description, make_assistant
from assistant.llm_config import LLMConfig, LLMConfigError, load_config
from assistant.present import md
from db.pg import is_pg_url
from db.store import connect_writer, store_version
from ingest.readers import ocr
from ingest import uploads
from ingest.pipeline import ingest_paths
from ingest.writer import KINDS, SCOPES, relabel_document, remove_document

REPO = Path(__file__).resolve().parent
# A SQLite file, or a postgresql:// address of a store that several app servers share.
STORE = os.environ.get("BUDGETQA_DB") or str(REPO / "data" / "budgets.db")
SAMPLES = REPO / "data" / "samples"
UPLOADS_ON = os.environ.get("BUDGETQA_UPLOADS", "on").strip().lower() not in ("off", "0", "false", "no")
# Uploaded files are kept (beside a SQLite file by default), so their pages can be shown later.
UPLOAD_DIR = Path(os.environ.get("BUDGETQA_UPLOAD_DIR") or uploads.upload_folder(STORE, REPO / "data"))
MAX_SOURCE_VIEWS = 12  # per answer; a long list cites its first figures' pages
# A province's store holds thousands of documents: past these, the page lists the first ones
# and says how to see the rest (filters), instead of drawing thousands of elements per rerun.
SIDEBAR_LINES_MAX = 30  # documents listed one per line; more are one scrolling table
FINDINGS_LINES_MAX = 150  # finding lines drawn in the sidebar's box
LANDING_FINDINGS_DOCS_MAX = 15  # documents with an expander of findings on the landing page

st.set_page_config(page_title="budgetqa · 预算问答", page_icon="📊", layout="wide")

# Streamlit's file uploader prints its instructions in English; say them in Chinese.
UPLOADER_CSS = """
<style>
[data-testid="stFileUploaderDropzoneInstructions"] span,
[data-testid="stFileUploaderDropzoneInstructions"] small { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::before { content: "把文件拖到这里"; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {
  content: "每个文件不超过 200MB"; display: block; font-size: .8em; opacity: .7; }
[data-testid="stFileUploaderDropzone"] button p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button p::after { content: "选择文件"; font-size: .9rem; }
</style>
"""


@st.cache_resource(show_spinner=False)
def load_assistant(db_path: str, version: tuple, llm_settings: str):
    """One engine per database file version and LLM settings (re-created after an upload
    changes the file, or the settings change), and what to tell the user about it. Settings
    that cannot be used are said on the page and the built-in engine answers: the app keeps
    working offline."""
    try:
        config = load_config()
        return make_assistant(db_path), engine_description(config), None
    except LLMConfigError as exc:
        return Assistant(db_path), engine_description(LLMConfig()), f"大模型引擎没有开启：{exc} 现在由内置引擎回答。"


@st.cache_data(show_spinner=False)
def examples(db_path: str, version: tuple) -> list[str]:
    """Example questions that the built-in engine answers on this version of the database
    (checked offline: an LLM engine is never called for them). The app's own engine is used
    when it is the built-in one: a second one would read the whole vocabulary again."""
    engine = assistant()
    return answered_examples(engine if engine.engine_name == "builtin" else Assistant(db_path))


@st.cache_data(show_spinner=False, max_entries=64)
def page_image(path: str, version: float, page: int, box: tuple | None) -> bytes:
    return source_view.render_page(Path(path), page, box)


def llm_settings() -> str:
    """The LLM settings in force, as a cache key (environment and config file)."""
    try:
        return repr(dataclasses.astuple(load_config()))
    except LLMConfigError as exc:
        return str(exc)


def ensure_database() -> None:
    """A SQLite store that does not exist yet is made from the bundled samples. A shared
    PostgreSQL store is the administrator's (budgetqa ingest --db …): the app never fills it."""
    if is_pg_url(STORE) or Path(STORE).exists():
        return
    Path(STORE).parent.mkdir(parents=True, exist_ok=True)
    with st.spinner("首次启动：正在载入随附的样例预算……"):
        report = ingest_paths([SAMPLES], STORE, after_write=audit_in_transaction)
    for failure in report.failed:
        st.error(failure.message)


def version() -> tuple:
    """Changes with every committed write, by this server or another (db/store.py)."""
    return store_version(STORE)


def loaded():
    """(assistant, engine description, problem with the LLM settings or None)."""
    return load_assistant(STORE, version(), llm_settings())


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


# --- an answer ---------------------------------------------------------------------------------

def show_answer(answer: Answer, turn: int) -> None:
    """The sentence (figures and sources once), warnings, the chart when it helps, one click to
    each figure's source page, and the SQL with the cited figures behind one expander."""
    st.markdown(md(answer.answer))
    st.caption(f"{ENGINE_NAMES.get(answer.engine, answer.engine)} · {present.status_name(answer.status)}")
    for warning in answer.warnings:
        st.warning(md(warning), icon="⚠️")
    show_chart(answer)
    show_sources(answer, turn)
    if answer.sql or answer.figures:
        with st.expander("SQL 与引用的数"):
            if answer.sql:
                st.code(answer.sql, language="sql", wrap_lines=True)
            rows = present.cited_rows(answer, assistant().conn)
            if rows:
                st.dataframe(pd.DataFrame(rows, columns=present.CITED_COLUMNS), hide_index=True)


def show_chart(answer: Answer) -> None:
    years = {d.title: d.year for d in documents()}
    chart = present.chart_for(answer, years)
    if chart is None:
        return
    import altair as alt  # only when there is a chart to draw

    frame = pd.DataFrame(chart.points)
    if chart.kind == "line":
        lines = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=70)).encode(
            x=alt.X("year:O", title="年度", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=f"单位：{chart.unit}"),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=600)),
            tooltip=[alt.Tooltip("series:N", title="项目"), alt.Tooltip("year:O", title="年度"),
                     alt.Tooltip("shown:N", title="数值")])
        text = lines.mark_text(dy=-12, color="#333").encode(text="shown:N")
        st.altair_chart((lines + text).properties(height=320, **_title(chart)), width="stretch")
        return
    bars = alt.Chart(frame).mark_bar(color="#2f6db5").encode(
        x=alt.X("value:Q", title=f"单位：{chart.unit}"),
        y=alt.Y("lines:N", sort=None, title=None,
                axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=240, labelOverlap=False,
                              labelFontSize=13)),
        tooltip=[alt.Tooltip("full:N", title="项目"), alt.Tooltip("shown:N", title="数值")])
    text = bars.mark_text(align="left", dx=4, color="#333").encode(text="shown:N")
    lines = max(p["lines"].count("\n") + 1 for p in chart.points)
    st.altair_chart((bars + text).properties(height=alt.Step(18 * lines + 16), **_title(chart)), width="stretch")


def _title(chart: present.Chart) -> dict:
    """A chart's title when its labels share words; none at all otherwise (altair's schema
    refuses an empty or Undefined title given explicitly: the page showed a traceback)."""
    return {"title": chart.title} if chart.title else {}


def show_sources(answer: Answer, turn: int) -> None:
    """One expander per cited figure: its page drawn with the figure boxed (PDF), or its row
    highlighted in the stored table, or its sentence among the lines of the text file. Built
    only when opened."""
    seen = set()
    shown = 0
    for figure in answer.figures:
        s = figure.source
        key = (s.document, s.ref_kind, s.item_id, s.table_id, s.row, s.line)
        if key in seen:
            continue
        seen.add(key)
        shown += 1
        if shown > MAX_SOURCE_VIEWS:
            st.caption(f"其余 {len(answer.figures) - MAX_SOURCE_VIEWS} 个数的原文见上面的来源。")
            break
        with st.expander(f"原文：{md(figure.label)} — {md(s.cite())}", icon=":material/description:",
                         key=f"source-{turn}-{shown}", on_change="rerun") as box:
            if box.open:
                try:
                    show_source(figure)
                except Exception as exc:  # the answer stands; only the picture is missing
                    st.info(f"无法显示原文：{exc}")


def show_source(figure) -> None:
    place = source_view.locate(assistant().conn, figure.source)
    if place is None:
        st.info("这份文档已不在数据库中。")
        return
    if place.missing:
        st.warning(source_view.missing_message(place))
    if place.can_draw():
        image = page_image(str(place.path), place.path.stat().st_mtime, place.page, place.box)
        where = "框出的是引用的单元格" if place.table_id else "框出的是引用的句子"
        st.image(image, caption=f"{place.file_name} 第{place.page}页（{where if place.box else '未记录位置'}）",
                 width="stretch")
        return
    if place.table_id and place.row:
        show_table_row(place.table_id, place.row)
    elif place.sentence:
        st.markdown(f"> {md(place.sentence)}")
    if place.path is not None and place.line and not place.table_id:
        lines = source_view.text_lines(place.path, place.line)
        if lines:
            frame = pd.DataFrame(lines, columns=["原文行", "内容"])
            st.dataframe(frame.style.apply(
                lambda r: ["background-color: #fff3b0" if r.iloc[0] == place.line else "" for _ in r], axis=1),
                hide_index=True)
    st.caption(f"文件：{place.file_name}")


def show_table_row(table_id: int, row: int) -> None:
    """The cited row inside its source table, with its neighbours, highlighted."""
    view = catalog.table_view(assistant().conn, table_id, around_row=row)
    width = max([len(view.columns)] + [len(cells) for _, cells in view.rows])
    columns = ["行"] + [c or f"栏{i + 1}" for i, c in enumerate(view.columns + [""] * (width - len(view.columns)))]
    frame = pd.DataFrame([[row_no] + cells + [""] * (width - len(cells)) for row_no, cells in view.rows],
                         columns=_unique(columns))
    st.markdown(md(f"《{view.document}》{view.title}（单位：{view.unit or '未注明'}"
                   f"{f'，第{view.page}页' if view.page else ''}）"))
    st.dataframe(frame.style.apply(
        lambda r: ["background-color: #fff3b0" if r.iloc[0] == row else "" for _ in r], axis=1),
        hide_index=True)


def _unique(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        out.append(name if name not in out else f"{name}·{out.count(name) + 1}")
    return out


# --- the landing page --------------------------------------------------------------------------

def documents() -> list[catalog.DocumentSummary]:
    return _documents(STORE, version())


@st.cache_data(show_spinner=False, max_entries=4)
def _documents(store: str, version: tuple) -> list[catalog.DocumentSummary]:
    """What is loaded, read once per version of the store (a page load asks for it twice)."""
    return catalog.list_documents(assistant().conn)


def doc_label(d: catalog.DocumentSummary) -> str:
    """Issuer · year · scope+kind: what tells two documents apart."""
    return f"{d.issuer} · {_year(d)} · {d.scope or ''}{d.kind}"


def landing() -> None:
    """Questions that work on what is loaded, what is loaded, and where the documents
    contradict themselves."""
    docs = documents()
    st.subheader("试试这些问题")
    questions = examples(STORE, version())
    columns = st.columns(2)
    for k, question in enumerate(questions):
        columns[k % 2].button(md(question), key=f"example-{k}", width="stretch", on_click=_ask_later,
                              args=(question,))
    st.subheader("已载入的预算")
    if docs:
        frame = pd.DataFrame([{"单位": d.issuer, "年度": _year(d), "类型": f"{d.scope or ''}{d.kind}",
                               "表": d.tables, "数": d.items, "矛盾": d.findings, "提示": d.notes,
                               "文件": Path(d.source_file).name} for d in docs])
        st.dataframe(frame, hide_index=True, width="stretch")
    else:
        st.info("还没有载入任何预算文件。")
    st.subheader("一致性检查")
    counts = catalog.finding_counts(assistant().conn)
    st.markdown(f"{len(docs)} 份文档中：**{counts.get('error', 0)}** 处错误、**{counts.get('warning', 0)}** 处警告、"
                f"**{counts.get('info', 0)}** 条提示（如 0.01 的舍入差、没有写明的增减原因）。回答引用的数若有矛盾，"
                f"回答下面会提示。")
    with_findings = [d for d in docs if d.findings or d.notes]
    listed = with_findings[:LANDING_FINDINGS_DOCS_MAX]
    found = findings_for(assistant().conn, [d.doc_id for d in listed])
    for d in listed:
        mine = sorted((f for f in found if f.doc_id == d.doc_id), key=lambda f: f.severity == "info")
        with st.expander(md(f"《{d.title}》：{d.findings} 处矛盾，{d.notes} 条提示")):
            show_finding_lines(mine)
    if len(with_findings) > len(listed):
        st.caption(f"另有 {len(with_findings) - len(listed)} 份文档有发现：在侧栏按单位或年度筛选后查看，"
                   f"或运行 budgetqa audit。")


def show_finding_lines(found) -> None:
    for finding in found:
        line = f"**{finding.rule_id}**（{present.severity_name(finding.severity)}）：{md(finding.message)}"
        (st.caption if finding.severity == "info" else st.markdown)(line)


# --- the sidebar -------------------------------------------------------------------------------

def sidebar() -> None:
    with st.sidebar:
        _, engine, problem = loaded()
        st.caption(f"问答引擎：{engine}")
        if problem:
            st.warning(problem)
        docs = documents()
        st.header("已载入的预算")
        issuers = st.multiselect("筛选单位", sorted({d.issuer for d in docs}), placeholder="全部单位")
        years = st.multiselect("筛选年度", sorted({_year(d) for d in docs}), placeholder="全部年度")
        shown = [d for d in docs if (not issuers or d.issuer in issuers) and (not years or _year(d) in years)]
        if len(shown) > SIDEBAR_LINES_MAX:
            st.caption(f"{len(shown)} 份文档（可用上面的筛选缩小范围）：")
            st.dataframe(pd.DataFrame([{"文档": f"{d.issuer} · {_year(d)} · {d.scope or ''}{d.kind}",
                                        "发现": d.findings} for d in shown]),
                         hide_index=True, height=300, width="stretch")
        for d in shown if len(shown) <= SIDEBAR_LINES_MAX else ():
            findings = f"**{d.findings}处发现**" if d.findings else "无发现"
            notes = f" · {d.notes}条提示" if d.notes else ""
            st.markdown(f"**{md(d.issuer)}**  \n:small[{_year(d)} · {d.scope or ''}{d.kind} · {d.tables}张表 · "
                        f"{d.items}个数 · {findings}{notes}]", help=f"《{md(d.title)}》，文件 {md(Path(d.source_file).name)}")
        if not shown:
            st.caption("没有符合筛选条件的文档。")
        show_findings(shown)
        if UPLOADS_ON:
            manage_documents(docs)
            upload_section()
        else:
            st.caption("此服务器已关闭上传、更正和删除文档（BUDGETQA_UPLOADS=off）。")
        export_section()


def show_findings(shown: list[catalog.DocumentSummary]) -> None:
    """The findings of the listed documents, grouped by document, in a box that scrolls; the
    count in the title is what the listed documents hold. Past FINDINGS_LINES_MAX lines the box
    lists the first documents' findings and says how many documents it left out."""
    serious, notes = sum(d.findings for d in shown), sum(d.notes for d in shown)
    with_findings = [d for d in shown if d.findings or d.notes]
    listed, lines = [], 0
    for d in with_findings:
        if listed and lines + d.findings + d.notes > FINDINGS_LINES_MAX:
            break
        listed.append(d)
        lines += d.findings + d.notes
    found = findings_for(assistant().conn, [d.doc_id for d in listed])
    with st.expander(f"一致性检查发现（{serious} 处矛盾，{notes} 条提示）"):
        with st.container(height=360, border=False):
            for d in listed:
                mine = sorted((f for f in found if f.doc_id == d.doc_id), key=lambda f: f.severity == "info")
                st.markdown(f"**{md(doc_label(d))}**")
                show_finding_lines(mine)
            if len(with_findings) > len(listed):
                st.caption(f"另有 {len(with_findings) - len(listed)} 份文档有发现：用上面的筛选缩小范围后查看。")


def manage_documents(docs: list[catalog.DocumentSummary]) -> None:
    """Correct what a document is, or remove it with its figures and findings."""
    if not docs:
        return
    unsure = st.session_state.get("unsure_doc")
    ids = [d.doc_id for d in docs]
    with st.expander("更正或删除文档", expanded=unsure in ids):
        chosen = st.selectbox("文档", docs, format_func=doc_label, key="manage-doc",
                              index=ids.index(unsure) if unsure in ids else 0)
        if chosen.uncertain:
            st.warning(md("待核对：" + "；".join(chosen.uncertain)))
        with st.form(f"relabel-{chosen.doc_id}"):
            issuer = st.text_input("发布单位", chosen.issuer)
            year_text = st.text_input("年度（留空表示未注明）", str(chosen.year or ""))
            kind = st.selectbox("类型", KINDS, index=KINDS.index(chosen.kind) if chosen.kind in KINDS else 0)
            scope = st.selectbox("范围", SCOPES, index=SCOPES.index(chosen.scope) if chosen.scope in SCOPES else 0)
            if st.form_submit_button("保存更正"):
                relabel(chosen, issuer, year_text, kind, scope)
        confirm = st.checkbox("确认删除这份文档及其全部数字和发现", key=f"confirm-remove-{chosen.doc_id}")
        if st.button("删除文档", disabled=not confirm, key=f"remove-{chosen.doc_id}"):
            remove(chosen)
        for level, message in st.session_state.pop("manage_messages", []):
            getattr(st, level)(message)


def relabel(doc: catalog.DocumentSummary, issuer: str, year_text: str, kind: str, scope: str) -> None:
    year_text = year_text.strip().rstrip("年")
    if year_text and not year_text.isdigit():
        st.session_state.manage_messages = [("error", f"年度“{year_text}”不是数字：请写四位年份，或留空。")]
        return
    try:
        with _writer() as conn:
            title = relabel_document(conn, doc.doc_id, issuer=issuer, year=int(year_text) if year_text else None,
                                     kind=kind, scope=scope, clear_year=not year_text)
    except (ValueError, LookupError) as exc:
        st.session_state.manage_messages = [("error", f"没有保存：{exc}")]
    else:
        st.session_state.manage_messages = [("success", f"已更正为《{title}》。")]
        st.session_state.pop("unsure_doc", None)
    st.rerun()


def remove(doc: catalog.DocumentSummary) -> None:
    try:
        with _writer() as conn:
            remove_document(conn, doc.doc_id)
    except LookupError as exc:  # removed meanwhile, in another session
        st.session_state.manage_messages = [("error", f"没有删除：{exc}")]
    else:
        uploads.forget(UPLOAD_DIR, Path(doc.source_file))
        st.session_state.manage_messages = [("success", f"已删除《{doc.title}》及其全部数字和发现。")]
    st.rerun()


class _writer:
    """The store opened for writing, closed after use."""

    def __enter__(self):
        self.conn = connect_writer(STORE)
        return self.conn

    def __exit__(self, *exc):
        self.conn.close()


def upload_section() -> None:
    st.header("载入新的预算文件")
    st.session_state.setdefault("upload_round", 0)
    st.markdown(UPLOADER_CSS, unsafe_allow_html=True)
    files = st.file_uploader("选择预算文件（txt / pdf / xlsx / xls / csv / html / docx，扫描件 png / jpg）",
                             accept_multiple_files=True,
                             type=["txt", "pdf", "xlsx", "xls", "csv", "html", "htm", "mht", "mhtml", "docx", "doc",
                                   "png", "jpg", "jpeg"],
                             key=f"uploads-{st.session_state.upload_round}")
    if files and st.button("导入", type="primary"):
        ingest_uploads(files)
    for level, message in st.session_state.get("upload_messages", []):
        getattr(st, level)(md(message))


def export_section() -> None:
    st.header("导出问答记录")
    exchanges = st.session_state.exchanges
    findings = transcript.cited_findings(assistant().conn, exchanges)
    for kind, label, mime, build in (("markdown", "Markdown", "text/markdown", transcript.to_markdown),
                                     ("json", "JSON", "application/json", transcript.to_json),
                                     ("csv", "CSV（Excel 可直接打开）", "text/csv", transcript.to_csv_for_excel),
                                     ("html", "可打印的 HTML", "text/html", transcript.to_html)):
        st.download_button(label, build(exchanges, findings), file_name=transcript.export_filename(kind), mime=mime,
                           disabled=not exchanges, width="stretch")


def _ask_later(question: str) -> None:
    st.session_state.pending = question


def _year(d) -> str:
    return f"{d.year}年" if d.year else "年份未注明"


def ingest_uploads(files) -> None:
    """Import the uploaded files with a progress bar, then rerun so the document list, the
    examples and the engine see the new data; one message per failed file is kept to show."""
    try:
        report = _ingest_files(files)
    except Exception as exc:
        st.session_state.upload_messages = [("error", f"导入失败：{exc}")]
    else:
        messages = [("error" if r.status == "failed" else "warning", r.message) for r in report.results
                    if r.status in ("failed", "revision")]  # a revision is kept out, and says how to replace
        # A replaced revision, or the other half of a two-file budget joined (and renamed)
        messages += [("info", f"《{r.title}》：{r.message}。") for r in report.results if r.status == "ingested" and r.message]
        # What the file did not say for sure (no issuer, a year only from the file name …): the
        # user is asked to confirm it in the correction form, opened on that document.
        unsure = [r for r in report.results if r.status == "ingested" and r.uncertain]
        messages += [("warning", f"《{r.title}》请确认：{'；'.join(r.uncertain)}。"
                                 f"可在侧栏“更正或删除文档”中填写发布单位、年度、类型和范围。") for r in unsure]
        if unsure:
            st.session_state.unsure_doc = unsure[0].doc_id
        failed, ingested = report.count("failed"), report.count("ingested")
        level = "success" if not failed else ("warning" if ingested or report.count("unchanged") else "error")
        messages.append((level, f"导入 {ingested} 个，未变化 {report.count('unchanged')} 个，"
                                f"失败 {failed} 个（{report.seconds:.1f} 秒）。"))
        st.session_state.upload_messages = messages
    st.session_state.upload_round += 1  # a fresh, empty uploader
    st.rerun()


def _ingest_files(files):
    """Keep the uploads beside the database (ingest/uploads.py), import them (each document
    audited in its own transaction), and drop those no document came from."""
    paths = uploads.keep_uploads(UPLOAD_DIR, [(f.name, f.getvalue()) for f in files])
    bar = st.progress(0.0, text="正在导入……")
    ocr.configure(progress=lambda name, done, total: bar.progress(  # scanned pages: seconds each
        done / total if total else 1.0, text=f"OCR 识别 {name}：第 {done}/{total} 页"))
    report = ingest_paths(paths, STORE, after_write=audit_in_transaction,  # stored with its findings
                          progress=lambda done, total, name: bar.progress(
                              done / total if total else 1.0, text=f"{done}/{total} {name}"))
    with _writer() as conn:
        uploads.drop_unused(conn, UPLOAD_DIR, paths)
    return report


def main() -> None:
    st.session_state.setdefault("exchanges", [])
    try:
        ensure_database()
        assistant()
    except Exception as exc:
        st.error(f"无法打开数据库：{exc}")
        return
    st.title("预算问答")
    st.caption("问部门预算里的数字：每个数都给出单位、出处（文档、表、页、行），一键查看原文。")
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
    if not st.session_state.exchanges:
        landing()
    for turn, exchange in enumerate(st.session_state.exchanges):
        with st.chat_message("user"):
            st.markdown(md(exchange.question))
        with st.chat_message("assistant"):
            show_answer(exchange.answer, turn)


main()
