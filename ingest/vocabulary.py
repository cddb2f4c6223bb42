"""The question engine's vocabulary, recorded as each document is written.

Start-up used to build the vocabulary with DISTINCT scans over every stored line item, which
grows with what is loaded (over a million rows at 10,000 documents) and ran under the question
path's time limit. Instead, the writer adds each new document's names to the small `vocabulary`
table inside the document's own transaction, reading only that document's rows (by the doc_id
indexes), and start-up reads that table (assistant/lexicon.py).
"""
from __future__ import annotations

import re

from db.places import pinyin_words

# kind: item | total | code | project | indicator | text | table, and side_code (name: the code,
# detail: the name printed beside it), pinyin (name: the issuer, detail: one pinyin word).
# (kind, SQL selecting (name, detail) of one document: the ? is its doc_id)
_SOURCES = (
    ("item", "SELECT DISTINCT name, '' FROM line_items WHERE doc_id = ? AND is_total = 0"),
    ("total", "SELECT DISTINCT name, '' FROM line_items WHERE doc_id = ? AND is_total = 1"),
    ("code", "SELECT DISTINCT code, '' FROM line_items WHERE doc_id = ? AND code IS NOT NULL"),
    ("project", "SELECT DISTINCT name, '' FROM projects WHERE doc_id = ?"),
    ("indicator", "SELECT DISTINCT name, '' FROM indicators WHERE doc_id = ?"),
    ("text", "SELECT DISTINCT subject, '' FROM text_figures WHERE doc_id = ? AND subject IS NOT NULL"),
    ("table", "SELECT DISTINCT title, '' FROM source_tables WHERE doc_id = ? AND is_empty = 0"),
)

# A table may print a second classification beside each row's own (莲湖 表6: 30101 基本工资 |
# 50101 工资奖金津补贴): those codes are stored only in the row's raw text.
SIDE_CODE = re.compile(r"\| (5\d{4}) \| ([^|\d][^|]*?) \|")

_INSERT = "INSERT INTO vocabulary (kind, name, detail) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"


def record_document(conn, doc_id: int) -> None:
    """Add one stored document's names to the vocabulary (call inside its write transaction)."""
    rows: list[tuple[str, str, str]] = []
    for kind, sql in _SOURCES:
        rows += [(kind, name, detail) for name, detail in conn.execute(sql, (doc_id,)) if name]
    for (raw,) in conn.execute("SELECT DISTINCT raw_text FROM line_items WHERE doc_id = ? AND raw_text LIKE ?",
                               (doc_id, "%| 5%")):
        rows += [("side_code", code, name.strip()) for code, name in SIDE_CODE.findall(raw or "")]
    # the issuer's pinyin (English questions name bodies by it), so start-up loads no pinyin dictionary
    (issuer,) = conn.execute("SELECT issuer FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
    rows += [("pinyin", issuer, word) for word in sorted(pinyin_words(issuer))]
    conn.executemany(_INSERT, rows)


def backfill(conn) -> int:
    """Record every document of a store written before the vocabulary table existed; returns
    how many documents were recorded (0 when the table was already filled)."""
    if conn.execute("SELECT 1 FROM vocabulary LIMIT 1").fetchone():
        return 0
    doc_ids = [r[0] for r in conn.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
    for doc_id in doc_ids:
        record_document(conn, doc_id)
    return len(doc_ids)
