"""`budgetqa` command line: a thin layer over ingest/ and assistant/.

Every command parses its options and calls the library; nothing here decides anything the
app would decide differently.
"""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import click

from db.store import StoreError, connect_readonly, store_label

DEFAULT_DB = "data/budgets.db"


class StoreTarget(click.ParamType):
    """A SQLite file (a Path) or a shared PostgreSQL store (a postgresql:// URL, kept as text)."""

    name = "FILE|URL"

    def convert(self, value, param, ctx):
        from db.pg import is_pg_url
        return value if is_pg_url(value) else Path(value)


db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, envvar="BUDGETQA_DB",
                         type=StoreTarget(),
                         help="SQLite database file, or postgresql://user@host/db for a shared store (env BUDGETQA_DB).")


@click.group()
@click.version_option(package_name="budgetqa")
def main() -> None:
    """budgetqa: ask questions about Chinese department budgets and get exact, cited figures."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes that parse files in parallel (one writer stores them); "
                   "for one scanned file, its pages are OCR-read in parallel.")
@click.option("--issuer", help="The issuing body, when the file does not say it (or says it wrongly).")
@click.option("--year", type=click.IntRange(1990, 2100), help="The budget year, when the file does not say it.")
@click.option("--kind", type=click.Choice(["预算", "决算"]), help="预算 or 决算, when the file does not say it.")
@click.option("--scope", type=click.Choice(["部门", "单位"]), help="部门 or 单位 budget, when the file does not say it.")
@click.option("--unit", type=click.Choice(["元", "万元"]), help="The unit of tables that print amounts but no unit.")
@click.option("--replace", is_flag=True,
              help="A revision of a loaded document (same issuer, year, kind, scope, part and title) replaces it.")
def ingest(paths: tuple[Path, ...], db_path: Path, jobs: int, issuer: str | None, year: int | None,
           kind: str | None, scope: str | None, replace: bool, unit: str | None = None) -> None:
    """Load budget files or folders (txt, pdf, xlsx, xls, csv, html, docx; scanned PDFs and png/jpg pages by OCR) into the database."""
    from assistant.audit import audit_in_transaction
    from ingest.readers import ocr
    from ingest.pipeline import ingest_paths

    ocr.configure(jobs=jobs, progress=ocr.stderr_progress)  # scanned pages: OCR, one line a page
    bar = _ProgressBar() if sys.stderr.isatty() else None
    overrides = {"issuer": issuer, "year": year, "kind": kind, "scope": scope, "unit": unit}
    try:
        # each document is audited in its own transaction: stored with its findings, or not at all
        report = ingest_paths(list(paths), db_path, jobs=jobs, progress=bar, overrides=overrides,
                              replace=replace, after_write=audit_in_transaction)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if bar:
            bar.close()
    for result in report.results:
        if result.status == "ingested":
            replaced = f"；{result.message}" if result.message else ""
            click.echo(f"已导入  {result.path.name}：{result.title}（{result.tables} 张表，{result.items} 个数；"
                       f"说明文字 {result.text_figures} 个数）{replaced}")
            for note in result.uncertain:
                click.echo(f"        注意：{note}")
        elif result.status == "unchanged":
            click.echo(f"未变化  {result.path.name}：{result.message}")
        elif result.status == "revision":
            click.echo(f"修订版  {result.path.name}：{result.message}")
        else:
            click.echo(f"失败    {result.message}", err=True)
    click.echo(f"完成：导入 {report.count('ingested')}，未变化 {report.count('unchanged')}，"
               f"修订版未导入 {report.count('revision')}，失败 {report.count('failed')}；"
               f"用时 {report.seconds:.2f} 秒。数据库：{store_label(db_path)}")
    audit_ingested(db_path, report)
    if report.failed:
        sys.exit(1)


def audit_ingested(db_path: Path, report) -> None:
    """Say what the audit (run as each document was stored) found in the documents just stored."""
    from assistant.audit import findings_for

    new = [r.doc_id for r in report.results if r.status == "ingested"]
    if new:
        conn = _open(db_path)
        try:
            findings = findings_for(conn, new)
        finally:
            conn.close()
        counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
        click.echo(f"一致性检查：{len(findings)} 处发现（错误 {counts['error']}，警告 {counts['warning']}，"
                   f"提示 {counts['info']}；budgetqa audit 查看详情，--report 报告.html 生成审核报告）。")


@main.command()
@click.argument("doc_id", type=int)
@db_option
def remove(doc_id: int, db_path: Path) -> None:
    """Remove a loaded document (DOC_ID from budgetqa docs) with its tables, figures and findings."""
    from db.store import connect_writer
    from ingest.writer import DocumentNotFound, remove_document

    try:
        conn = connect_writer(db_path)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        title = conn.execute("SELECT title FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        remove_document(conn, doc_id)
    except DocumentNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    except sqlite3.Error as exc:
        from db.store import describe_error
        raise click.ClickException(describe_error(exc, db_path)) from exc
    finally:
        conn.close()
    click.echo(f"已删除文档 {doc_id}《{title[0]}》及其全部表格、数字和检查发现。")


class _ProgressBar:
    """A one-line progress bar on stderr."""

    def __call__(self, done: int, total: int, name: str) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:40]:<40}")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")


def _open(db_path: Path):
    try:
        return connect_readonly(db_path)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def docs(db_path: Path, as_json: bool) -> None:
    """List the loaded documents with issuer, year, and table and item counts."""
    from assistant.catalog import list_documents

    documents = list_documents(_open(db_path))
    if as_json:
        click.echo(json.dumps([d.__dict__ for d in documents], ensure_ascii=False, indent=1))
        return
    halves = {(d.issuer, d.year, d.kind, d.scope, d.part): d.doc_id for d in documents}
    for d in documents:
        year = d.year if d.year else "年份未注明"
        click.echo(f"{d.doc_id:>3}  {d.issuer}  {year}  {d.scope}{d.kind}  表 {d.tables}  数 {d.items}  "
                   f"发现 {d.findings}  提示 {d.notes}  {Path(d.source_file).name}")
        other = halves.get((d.issuer, d.year, d.kind, d.scope, {"tables": "text", "text": "tables"}.get(d.part)))
        part = (f"（报表部分，情况说明见 {other} 号）" if d.part == "tables" and other else
                f"（情况说明部分，报表见 {other} 号）" if d.part == "text" and other else
                "（只有说明文字，没有报表）" if d.part == "text" else "")
        click.echo(f"     判断依据：{d.identity_basis}{part}" + (f"；待核对：{'；'.join(d.uncertain)}" if d.uncertain else ""))


@main.command()
@db_option
@click.argument("document")
@click.argument("table", required=False)
def table(db_path: Path, document: str, table: str | None) -> None:
    """Print a stored table back as rows (DOCUMENT: id, or part of its title or file name; TABLE: number or part of its title)."""
    from assistant.catalog import list_documents, list_tables, table_view

    conn = _open(db_path)
    documents = list_documents(conn)
    # An id is exact ("2" is not the 2 of "2024"); else part of the title or the file name.
    docs_ = [d for d in documents if document == str(d.doc_id)] or [
        d for d in documents if document in d.title or document in Path(d.source_file).name]
    if not docs_:
        raise click.ClickException(f"没有找到文档“{document}”。用 budgetqa docs 查看已载入的文档。")
    doc = docs_[0]
    tables = list_tables(conn, doc.doc_id)
    if table is None:
        for table_id, seq, title, kind in tables:
            click.echo(f"{seq:>3}  {title}  ({kind})")
        return
    chosen = [t for t in tables if table == str(t[1]) or table in t[2]]
    if not chosen:
        raise click.ClickException(f"《{doc.title}》中没有表“{table}”。不带表名运行可列出全部表。")
    view = table_view(conn, chosen[0][0])
    where = f"，第{view.page}页" if view.page else ""
    click.echo(f"《{view.document}》{view.title}（单位：{view.unit or '未注明'}{where}）")
    click.echo("\t".join(["行"] + view.columns))
    for row_no, cells in view.rows:
        click.echo("\t".join([str(row_no)] + cells))
    if view.note:
        click.echo(view.note)


def _assistant(db_path: Path):
    """The built-in engine, or the LLM engine around it when one is configured (BUDGETQA_LLM)."""
    from assistant.llm_config import LLMConfigError
    from assistant.factory import make_assistant

    try:
        return make_assistant(db_path)
    except (StoreError, LLMConfigError) as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@db_option
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the chat-protocol JSON object.")
def ask(db_path: Path, question: str, as_json: bool) -> None:
    """Answer one question."""
    answer = _assistant(db_path).ask(question)
    if as_json:
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    click.echo(answer.answer)
    for warning in answer.warnings:
        click.echo(f"注意：{warning}")
    if answer.sql:
        click.echo(f"\nSQL:\n{answer.sql}")


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per question (the chat protocol).")
def chat(db_path: Path, as_json: bool) -> None:
    """Read questions from stdin, one per line; '/reset' starts a new conversation."""
    from assistant.answer import Exchange
    from assistant.engine import recent

    assistant = _assistant(db_path)
    history: list[Exchange] = []
    for raw in _bounded_lines(sys.stdin):
        question = raw.strip()
        if not question:
            continue
        if question == "/reset":
            history = []
            continue
        answer = assistant.ask(question, history)
        history = recent(history + [Exchange(question, answer)])  # only what follow-ups need
        if as_json:
            sys.stdout.write(json.dumps(answer.to_json(), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(answer.answer + "\n")
        sys.stdout.flush()


def _bounded_lines(stream):
    """Lines of `stream`, each cut to a bounded length (the rest of an over-long line is read
    and dropped in blocks): one pasted megabyte must not be held whole. A cut line is still
    longer than the question limit, so the Assistant answers it with that limit."""
    from db import limits

    cap = limits.QUESTION_MAX_CHARS + 1
    while True:
        line = stream.readline(cap)
        if not line:
            return
        if not line.endswith("\n"):
            rest = line
            while rest and not rest.endswith("\n"):
                rest = stream.readline(64 * 1024)
        yield line


@main.command()
def engine() -> None:
    """Say which engine answers, with the LLM settings in force (never the key); exit 1 when an
    LLM is configured but cannot be built."""
    from assistant.factory import engine_description
    from assistant.llm_config import LLMConfigError, build_chat_model, load_config

    try:
        config = load_config()
        if config.enabled:
            build_chat_model(config)
    except LLMConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(engine_description(config))


def _register_audit() -> None:
    from assistant.audit import audit_command
    main.add_command(audit_command, "audit")


_register_audit()

if __name__ == "__main__":
    main()
