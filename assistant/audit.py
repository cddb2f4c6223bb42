"""`budgetqa audit`: check each stored document against the budget identities and its own text.

The rules live in assistant/rules/ (one place per rule, each with an id and a Chinese
description). `run_audit` reads every document through the read-only connection, runs the
rules, and stores each document's findings through one writer connection, replacing that
document's previous findings in one transaction. `findings_for` is how the question engine
reads them back.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import click

from db.store import StoreError, connect_readonly, connect_writer
from ingest.textutil import squash

from .rules import RULES, DocData, Finding

__all__ = ["Finding", "RULES", "run_audit", "audit_document", "audit_in_transaction", "findings_for", "subject_matches",
           "audit_command"]


def audit_document(doc: DocData) -> list[Finding]:
    """Every rule's findings for one loaded document, in rule order."""
    return [finding for rule_id in sorted(RULES) for finding in RULES[rule_id].run(doc)]


def run_audit(db_path: str | Path, doc_ids: list[int] | None = None) -> list[Finding]:
    """Audit the documents (all when `doc_ids` is None) and store their findings."""
    reader = connect_readonly(db_path)
    writer = connect_writer(db_path)
    try:
        if doc_ids is None:
            doc_ids = [r[0] for r in reader.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
        out: list[Finding] = []
        for doc_id in doc_ids:
            findings = audit_document(DocData.load(reader, doc_id))
            _store(writer, doc_id, findings)
            out += findings
        return out
    finally:
        reader.close()
        writer.close()


def audit_in_transaction(writer: sqlite3.Connection, doc_id: int) -> None:
    """Audit a document inside the transaction that is writing it (ingest's `after_write`):
    the document and its findings are committed together, so a process that dies between
    the two cannot leave a document that was never checked."""
    _replace_findings(writer, doc_id, audit_document(DocData.load(writer, doc_id)))


def _replace_findings(writer: sqlite3.Connection, doc_id: int, findings: list[Finding]) -> None:
    writer.execute("DELETE FROM findings WHERE doc_id = ?", (doc_id,))
    for f in findings:
        f.finding_id = writer.execute(
            "INSERT INTO findings (doc_id, rule_id, severity, subject, message, refs_json) VALUES (?,?,?,?,?,?)",
            (f.doc_id, f.rule_id, f.severity, f.subject, f.message,
             json.dumps(f.refs, ensure_ascii=False))).lastrowid


def _store(writer: sqlite3.Connection, doc_id: int, findings: list[Finding]) -> None:
    """Replace the document's findings in one transaction: a reader sees the old set or the new."""
    writer.execute("BEGIN IMMEDIATE")
    try:
        _replace_findings(writer, doc_id, findings)
        writer.execute("COMMIT")
    except BaseException:
        writer.execute("ROLLBACK")
        raise


def findings_for(conn: sqlite3.Connection, doc_ids: list[int], subject: str | None = None) -> list[Finding]:
    """Stored findings of the documents, optionally only those about `subject`.

    A subject matches a finding whose subject contains it or is contained in it, ignoring
    spaces, quote marks and brackets ("三公经费" finds "“三公”经费"; "2080699" finds
    "其他企业改革发展补助（2080699）"). Reads `findings_v` only, so a read-only connection will do."""
    if not doc_ids:
        return []
    marks = ", ".join("?" for _ in doc_ids)
    rows = conn.execute(
        f"SELECT finding_id, doc_id, rule_id, severity, subject, message, refs_json FROM findings_v "
        f"WHERE doc_id IN ({marks}) ORDER BY doc_id, finding_id", tuple(doc_ids)).fetchall()
    found = [Finding(r[1], r[2], r[3], r[4] or "", r[5], json.loads(r[6]), finding_id=r[0]) for r in rows]
    return [f for f in found if subject_matches(f.subject, subject)] if subject else found


def subject_matches(finding_subject: str, asked: str) -> bool:
    """The finding is about the asked subject: one contains the other, spaces, quotes and
    brackets aside. For callers that read `findings_v` through their own traced query."""
    a, b = _subject_key(finding_subject or ""), _subject_key(asked or "")
    return bool(a and b) and (b in a or a in b)


def _subject_key(text: str) -> str:
    key = squash(text)
    for mark in "\"'“”‘’()（）[]【】《》 ":
        key = key.replace(mark, "")
    return key


@click.command("audit")
@click.option("--db", "db_path", default="data/budgets.db", show_default=True, envvar="BUDGETQA_DB",
              type=click.Path(dir_okay=False, path_type=str),
              help="SQLite database file, or a postgresql:// URL (env BUDGETQA_DB).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as a JSON list.")
def audit_command(db_path: Path, as_json: bool) -> None:
    """Check every loaded document's tables and text against each other and store the findings."""
    try:
        findings = run_audit(db_path)
        titles = dict(_titles(db_path))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps([dict(f.to_json(), document=titles.get(f.doc_id)) for f in findings],
                              ensure_ascii=False, indent=1))
        return
    for doc_id, title in titles.items():
        mine = [f for f in findings if f.doc_id == doc_id]
        click.echo(f"《{title}》：{len(mine)} 条发现" if mine else f"《{title}》：未发现问题")
        for f in mine:
            click.echo(f"  {SEVERITY_NAMES.get(f.severity, f.severity)}  {f.rule_id}  {f.message}")


SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}  # the page's words (assistant/present.py)


def _titles(db_path: Path) -> list[tuple[int, str]]:
    conn = connect_readonly(db_path)
    try:
        return conn.execute("SELECT doc_id, title FROM documents ORDER BY doc_id").fetchall()
    finally:
        conn.close()
