"""Store, replace and remove documents, each in one transaction.

The same file again (same sha256) is a no-op; a changed file with the same name replaces
its old rows inside the same transaction, so a reader never sees half of a document. A file
of the same issuer, year, kind, scope, part and title as a loaded one but with other content is a
revision (`find_revisions`): it replaces the loaded one only when the caller passes it in
`replaces` (`budgetqa ingest --replace`). `remove_document` takes a document out with
everything that hangs on it (tables, rows, items, projects, indicators, text figures,
findings: ON DELETE CASCADE).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from decimal import Decimal

from ingest.recognise.identity import CUE_WEIGHTS, same_body
from ingest.normalise.normalize import NormalizedDocument
from ingest.textutil import FEN_PER_UNIT
from ingest.vocabulary import record_document


def find_existing(conn: sqlite3.Connection, sha256: str) -> int | None:
    row = conn.execute("SELECT doc_id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    return row[0] if row else None


class DocumentNotFound(KeyError):
    """No loaded document has that id (a KeyError, so a LookupError, said without KeyError's quotes)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def find_revisions(conn: sqlite3.Connection, doc: NormalizedDocument, source_file: str) -> list[tuple[int, str]]:
    """(doc_id, title) of loaded documents that `doc` is a revision of: same issuer, year, kind
    and scope, the same part (a budget's tables file and its text file are two halves, not
    revisions) and the same title (a department's 绩效目标 published beside its 部门预算 is a
    companion, not a revision), from another file (the same file changed is replaced anyway).
    A document whose year is unknown is nobody's revision: two of them may be different years."""
    if doc.year is None:
        return []
    return conn.execute(
        "SELECT doc_id, title FROM documents WHERE issuer = ? AND year = ? AND kind = ? AND scope IS ? "
        "AND part = ? AND title = ? AND source_file <> ? ORDER BY doc_id",
        (doc.issuer, doc.year, doc.kind, doc.scope, doc.part, doc.title, source_file)).fetchall()


AfterWrite = Callable[[sqlite3.Connection, int], None]


def write_document(conn: sqlite3.Connection, doc: NormalizedDocument, source_file: str,
                   sha256: str, replaces: Sequence[int] = (), after_write: AfterWrite | None = None) -> int:
    """Insert `doc`, replacing an earlier version of the same source file and the documents in
    `replaces`; returns doc_id. `after_write(conn, doc_id)` runs inside the same transaction
    (the audit), so a process that dies leaves the document whole with its findings, or
    nothing."""
    add_bbox_columns(conn)
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM documents WHERE source_file = ?", (source_file,))
        for old in replaces:
            conn.execute("DELETE FROM documents WHERE doc_id = ?", (old,))
        issuer, title, identity = _join_companion(conn, doc)
        if doc.notes:  # tables whose figures were not loaded: a question about them says so
            identity = {**identity, "unread_tables": doc.notes}
        cur = conn.execute(
            """INSERT INTO documents (issuer, year, kind, scope, title, source_file, sha256, layout,
                                      unit, pages, ingested_at, part, identity_json)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (issuer, doc.year, doc.kind, doc.scope, title, source_file, sha256, doc.layout,
             doc.unit, doc.pages, datetime.now(timezone.utc).isoformat(timespec="seconds"), doc.part,
             json.dumps(identity, ensure_ascii=False)))
        doc_id = cur.lastrowid
        for table in doc.tables:
            table_id = conn.execute(
                """INSERT INTO source_tables (doc_id, seq, title, table_kind, unit, page, line,
                                              columns_json, is_empty, note) VALUES (?,?,?,?,?,?,?,?,?,?)""",
                (doc_id, table.seq, table.title, table.table_kind, table.unit, table.page, table.line,
                 json.dumps(table.columns, ensure_ascii=False), int(table.is_empty), table.note)).lastrowid
            conn.executemany(
                "INSERT INTO table_rows (table_id, row_no, cells_json, page, line) VALUES (?,?,?,?,?)",
                [(table_id, row_no, json.dumps(cells, ensure_ascii=False), page, line)
                 for row_no, cells, page, line in table.rows])
            conn.executemany(
                """INSERT INTO line_items (doc_id, table_id, row_no, code, name, classification, side,
                       parent_code, level, is_total, measure, column_label, amount_fen, amount_text, unit,
                       uncertain, raw_text, page, line, bbox, ocr_confidence)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [(doc_id, table_id, it.row_no, it.code, it.name, it.classification, it.side,
                  it.parent_code, it.level, int(it.is_total), it.measure, it.column_label, it.amount_fen,
                  it.amount_text, it.unit, int(it.uncertain), it.raw_text, it.page, it.line, _box_json(it.bbox),
                  it.ocr_confidence)
                 for it in table.items])
            for project in table.projects:
                _write_project(conn, doc_id, table_id, project, table.page)
        conn.executemany(
            """INSERT INTO text_figures (doc_id, section, sentence, subject, code, kind, value, unit,
                   compared_to, page, line, bbox, ocr_confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            [(doc_id, f.section, f.sentence, f.subject, f.code, f.kind, _decimal_text(f.value), f.unit,
              f.compared_to, f.page, f.line, _box_json(f.bbox), f.ocr_confidence) for f in doc.text_figures])
        _write_text_lines(conn, doc_id, doc)  # before the audit, which reads the text
        record_document(conn, doc_id)
        if after_write is not None:
            after_write(conn, doc_id)
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise
    return doc_id


def remove_document(conn: sqlite3.Connection, doc_id: int) -> None:
    """Remove a loaded document and everything that hangs on it, in one transaction.

    `conn` is a writer (db.store.connect_writer). Raises DocumentNotFound for an unknown id."""
    conn.execute("PRAGMA foreign_keys = ON")  # the cascade; a no-op on a writer connection
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount == 0:
            raise DocumentNotFound(f"没有编号为 {doc_id} 的文档：用 budgetqa docs 查看已载入的文档。")
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back if a transaction is still open: SQLite has already rolled back after some
    errors (a full disk), and a second ROLLBACK would hide the first error behind its own."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _join_companion(conn: sqlite3.Connection, doc: NormalizedDocument) -> tuple[str, str, dict]:
    """A budget published as a tables file and a text file is one budget: when the other part
    (same year, kind and scope, the issuer spelled the same or more fully) is loaded, both
    carry one issuer name — the one read from the stronger cue — so questions find both and
    each figure still cites its own file. Returns (issuer, title, identity record)."""
    identity = doc.identity.as_json() if doc.identity else {}
    if doc.part == "whole" or doc.identity is None or not doc.identity.issuer_known:
        return doc.issuer, doc.title, identity
    other_part = "text" if doc.part == "tables" else "tables"
    rows = conn.execute(
        """SELECT doc_id, issuer, title, identity_json FROM documents
           WHERE part = ? AND kind = ? AND scope IS ? AND year IS ?""",
        (other_part, doc.kind, doc.scope, doc.year)).fetchall()
    for doc_id, issuer, title, identity_json in rows:
        if not same_body(issuer, doc.issuer):
            continue
        theirs = CUE_WEIGHTS.get(json.loads(identity_json or "{}").get("decided_by", {}).get("issuer"), 0)
        ours = CUE_WEIGHTS.get(doc.identity.decided_by.get("issuer"), 0)
        identity = {**identity, "companion": doc_id}
        # The fuller spelling wins (中共江苏省委办公厅 over 江苏省委办公厅), else the stronger cue.
        if (len(issuer), theirs) >= (len(doc.issuer), ours):  # keep the loaded spelling
            return issuer, issuer + doc.title[len(doc.issuer):], identity
        conn.execute("UPDATE documents SET issuer = ?, title = ? WHERE doc_id = ?",
                     (doc.issuer, doc.issuer + title[len(issuer):], doc_id))
        return doc.issuer, doc.title, {**identity, "companion_renamed_from": title}
    return doc.issuer, doc.title, identity


def _write_project(conn: sqlite3.Connection, doc_id: int, table_id: int, project, page) -> None:
    amount_fen = None
    if project.amount is not None and project.unit in FEN_PER_UNIT:
        amount_fen = int(project.amount * FEN_PER_UNIT[project.unit])
    project_id = conn.execute(
        """INSERT INTO projects (doc_id, table_id, row_no, project_code, name, amount_fen, amount_text,
                                 unit, category, raw_text, page, line) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
        (doc_id, table_id, project.row_no, project.project_code, project.name, amount_fen,
         _decimal_text(project.amount) if project.amount is not None else None, project.unit,
         project.category, project.raw_text, project.page or page, project.line)).lastrowid
    conn.executemany(
        """INSERT INTO indicators (doc_id, project_id, table_id, row_no, level1, level2, name, operator,
               value_text, value_num, value_unit, weight, direction, raw_text, page, line)
           VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        [(doc_id, project_id, table_id, i.row_no, i.level1, i.level2, i.name, i.operator, i.value_text,
          _decimal_text(i.value_num) if i.value_num is not None else None, i.value_unit, i.weight,
          i.direction, i.raw_text, i.page or page, i.line) for i in project.indicators])


def _write_text_lines(conn: sqlite3.Connection, doc_id: int, doc: NormalizedDocument) -> None:
    """The title lines and paragraphs as read, in order (the audit reads headings and wording)."""
    rows = [("heading", None, text, None, None) for text in doc.heading_lines]
    rows += [("paragraph", p.section, p.text, p.page, p.line) for p in doc.paragraphs]
    conn.executemany(
        "INSERT INTO text_lines (doc_id, seq, kind, section, text, page, line) VALUES (?,?,?,?,?,?,?)",
        [(doc_id, seq, *row) for seq, row in enumerate(rows, 1)])


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def _box_json(box) -> str | None:
    """A page box as stored: "[x0, top, x1, bottom]" in PDF points, two decimals."""
    return json.dumps([round(v, 2) for v in box]) if box else None


def add_bbox_columns(conn: sqlite3.Connection) -> None:
    """A store made before figures kept their page boxes gains the (nullable) column."""
    for table in ("line_items", "text_figures"):
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if "bbox" not in columns:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN bbox TEXT")


KINDS = ("预算", "决算")
SCOPES = ("部门", "单位")


def relabel_document(conn: sqlite3.Connection, doc_id: int, issuer: str | None = None, year: int | None = None,
                     kind: str | None = None, scope: str | None = None, clear_year: bool = False) -> str:
    """Correct what a document is (issuer, year, kind, scope) when the file did not say it
    clearly; the title is recomputed the way ingest makes it. One transaction; returns the new
    title. `clear_year` stores "year not stated". Raises ValueError for a value that cannot be
    stored and KeyError for a missing document."""
    if issuer is not None and not issuer.strip():
        raise ValueError("发布单位不能为空")
    if year is not None and not 1949 <= year <= 2100:
        raise ValueError(f"年度 {year} 不像预算年度")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"类型只能是{'或'.join(KINDS)}")
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"范围只能是{'或'.join(SCOPES)}")
    from ingest.recognise.identity import Identity, document_title

    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute("SELECT issuer, year, kind, scope, part, identity_json FROM documents WHERE doc_id = ?",
                           (doc_id,)).fetchone()
        if row is None:
            raise KeyError(f"没有编号为 {doc_id} 的文档")
        new_issuer = issuer.strip() if issuer is not None else row[0]
        new_year = None if clear_year else (year if year is not None else row[1])
        new_kind, new_scope = kind or row[2], scope or row[3] or "部门"
        identity = json.loads(row[5] or "{}")
        decided_by = dict(identity.get("decided_by", {}))
        for name, old, new_value in (("issuer", row[0], new_issuer), ("year", row[1], new_year),
                                     ("kind", row[2], new_kind), ("scope", row[3], new_scope)):
            if old != new_value:
                decided_by[name] = "user"  # the person said so
        identity["decided_by"] = decided_by
        identity["uncertain"] = []  # the person has looked at all four and saved them
        kinds = {k for (k,) in conn.execute("SELECT DISTINCT table_kind FROM source_tables WHERE doc_id = ?", (doc_id,))}
        title = document_title(Identity(new_issuer, new_year, new_kind, new_scope), row[4] if row[4] == "text" else None,
                               kinds == {"performance"})
        conn.execute("UPDATE documents SET issuer = ?, year = ?, kind = ?, scope = ?, title = ?, identity_json = ? "
                     "WHERE doc_id = ?", (new_issuer, new_year, new_kind, new_scope, title,
                                          json.dumps(identity, ensure_ascii=False), doc_id))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return title
