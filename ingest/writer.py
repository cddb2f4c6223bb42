"""Store one normalized document in one transaction.

The same file again (same sha256) is a no-op; a changed file with the same name replaces
its old rows inside the same transaction, so a reader never sees half of a document.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from decimal import Decimal

from .normalize import NormalizedDocument
from .textutil import FEN_PER_UNIT


def find_existing(conn: sqlite3.Connection, sha256: str) -> int | None:
    row = conn.execute("SELECT doc_id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    return row[0] if row else None


def write_document(conn: sqlite3.Connection, doc: NormalizedDocument, source_file: str,
                   sha256: str) -> int:
    """Insert `doc`, replacing an earlier version of the same source file; returns doc_id."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM documents WHERE source_file = ?", (source_file,))
        cur = conn.execute(
            """INSERT INTO documents (issuer, year, kind, scope, title, source_file, sha256, layout,
                                      unit, pages, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)""",
            (doc.issuer, doc.year, doc.kind, doc.scope, doc.title, source_file, sha256, doc.layout,
             doc.unit, doc.pages, datetime.now(timezone.utc).isoformat(timespec="seconds")))
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
                       uncertain, raw_text, page, line, ocr_confidence)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                [(doc_id, table_id, it.row_no, it.code, it.name, it.classification, it.side,
                  it.parent_code, it.level, int(it.is_total), it.measure, it.column_label, it.amount_fen,
                  it.amount_text, it.unit, int(it.uncertain), it.raw_text, it.page, it.line,
                  it.ocr_confidence)
                 for it in table.items])
            for project in table.projects:
                _write_project(conn, doc_id, table_id, project, table.page)
        conn.executemany(
            """INSERT INTO text_figures (doc_id, section, sentence, subject, code, kind, value, unit,
                   compared_to, page, line, ocr_confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)""",
            [(doc_id, f.section, f.sentence, f.subject, f.code, f.kind, _decimal_text(f.value), f.unit,
              f.compared_to, f.page, f.line, f.ocr_confidence) for f in doc.text_figures])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return doc_id


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


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")
