"""Many departments from one sample, fast: a stored document copied under other issuers' names
with its figures multiplied, straight in SQL (no parsing), so a test can load hundreds.

    from scale_corpus import copy_document, county_bodies
"""
from __future__ import annotations

import sqlite3
from decimal import Decimal

from db.places import county_places
from ingest.vocabulary import record_document


def county_bodies(office: str, count: int) -> list[str]:
    """`count` real county-level places with their city, as bodies of one office:
    福建省福州市鼓楼区 + office … (db/places.tsv), in code order."""
    return [place + office for place in county_places()[:count]]


def copy_document(conn: sqlite3.Connection, doc_id: int, issuer: str, multiplier: int,
                  year: int | None = None, scope: str | None = None) -> int:
    """Store a copy of document `doc_id` as `issuer`'s, every amount × `multiplier`; returns its id."""
    doc = conn.execute("SELECT year, kind, scope, layout, unit, pages FROM documents WHERE doc_id = ?",
                       (doc_id,)).fetchone()
    year = year if year is not None else doc[0]
    scope = scope or doc[2]
    title = f"{issuer}{year}年{scope}{doc[1]}"
    new_id = conn.execute(
        "INSERT INTO documents (issuer, year, kind, scope, title, source_file, sha256, layout, unit, pages, "
        "ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (issuer, year, doc[1], scope, title, f"copy/{title}", f"copy-{title}", doc[3], doc[4], doc[5],
         "2026-12-03T00:00:00+00:00")).lastrowid
    tables = conn.execute("SELECT table_id FROM source_tables WHERE doc_id = ? ORDER BY seq", (doc_id,)).fetchall()
    for (table_id,) in tables:
        new_table = conn.execute(
            "INSERT INTO source_tables (doc_id, seq, title, table_kind, unit, page, line, columns_json, is_empty, note) "
            "SELECT ?, seq, title, table_kind, unit, page, line, columns_json, is_empty, note FROM source_tables "
            "WHERE table_id = ?", (new_id, table_id)).lastrowid
        conn.execute("INSERT INTO table_rows (table_id, row_no, cells_json, page, line) SELECT ?, row_no, cells_json, "
                     "page, line FROM table_rows WHERE table_id = ?", (new_table, table_id))
        conn.execute(
            "INSERT INTO line_items (doc_id, table_id, row_no, code, name, classification, side, parent_code, level, "
            "is_total, measure, column_label, amount_fen, amount_text, unit, uncertain, raw_text, page, line) "
            "SELECT ?, ?, row_no, code, name, classification, side, parent_code, level, is_total, measure, "
            "column_label, amount_fen * ?, amount_text, unit, uncertain, raw_text, page, line FROM line_items "
            "WHERE table_id = ?", (new_id, new_table, multiplier, table_id))
    for row in conn.execute("SELECT section, sentence, subject, code, kind, value, unit, compared_to, page, line "
                            "FROM text_figures WHERE doc_id = ?", (doc_id,)).fetchall():
        value = Decimal(row[5]) * (multiplier if row[6] in ("元", "万元", "亿元") else 1)
        conn.execute("INSERT INTO text_figures (doc_id, section, sentence, subject, code, kind, value, unit, "
                     "compared_to, page, line) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     (new_id, row[0], row[1], row[2], row[3], row[4], format(value, "f"), *row[6:]))
    record_document(conn, new_id)
    return new_id
