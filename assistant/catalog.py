"""What is loaded: documents with their counts, and stored tables shown back as rows.

Shared by the CLI (`budgetqa docs`, `budgetqa table`) and the app's sidebar and source view,
so both show the same thing.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field


@dataclass
class DocumentSummary:
    doc_id: int
    title: str
    issuer: str
    year: int | None
    kind: str
    source_file: str
    tables: int
    items: int
    findings: int  # errors and warnings: where the document contradicts itself
    notes: int  # info findings (a 0.01 rounding gap, a change stated without its reason)
    scope: str | None = None
    part: str = "whole"  # whole | tables | text
    decided_by: dict = field(default_factory=dict)  # issuer/year/kind/scope → the cue that decided it
    uncertain: list = field(default_factory=list)  # what the cues left open, in plain words

    @property
    def identity_basis(self) -> str:
        """'发布单位：封面；年度：标题行；…' — which cue decided each field."""
        from ingest.recognise.identity import CUE_WORDS
        names = {"issuer": "发布单位", "year": "年度", "kind": "类型", "scope": "范围"}
        return "；".join(f"{names[k]}：{CUE_WORDS.get(v, '没有线索')}" for k, v in self.decided_by.items()
                        if k in names) or "（旧版导入，未记录）"


@dataclass
class TableView:
    table_id: int
    document: str
    title: str
    unit: str | None
    page: int | None
    columns: list[str]
    rows: list[tuple[int, list[str]]]  # (row_no, cells)
    note: str | None = None


def list_documents(conn: sqlite3.Connection) -> list[DocumentSummary]:
    # counted on the base tables by their doc_id indexes: the views would join every row again
    rows = conn.execute(
        """SELECT d.doc_id, d.title, d.issuer, d.year, d.kind, d.source_file,
                  (SELECT count(*) FROM source_tables t WHERE t.doc_id = d.doc_id),
                  (SELECT count(*) FROM line_items i WHERE i.doc_id = d.doc_id),
                  (SELECT count(*) FROM findings f WHERE f.doc_id = d.doc_id AND f.severity <> 'info'),
                  (SELECT count(*) FROM findings f WHERE f.doc_id = d.doc_id AND f.severity = 'info'),
                  d.scope, d.part, d.identity_json
           FROM documents d ORDER BY d.issuer, d.year, d.doc_id""").fetchall()
    out = []
    for row in rows:
        identity = json.loads(row[-1] or "{}")
        out.append(DocumentSummary(*row[:-1], decided_by=identity.get("decided_by", {}),
                                   uncertain=identity.get("uncertain", [])))
    return out


def finding_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many findings of each severity the whole store holds, counted in SQL."""
    return dict(conn.execute("SELECT severity, count(*) FROM findings GROUP BY severity").fetchall())


def list_tables(conn: sqlite3.Connection, doc_id: int) -> list[tuple[int, int, str, str]]:
    """(table_id, seq, title, table_kind) of one document, in printed order."""
    return conn.execute(
        "SELECT table_id, seq, title, table_kind FROM source_tables WHERE doc_id = ? ORDER BY seq",
        (doc_id,)).fetchall()


def table_view(conn: sqlite3.Connection, table_id: int, around_row: int | None = None,
               context: int = 3) -> TableView:
    """A stored table as rows; with `around_row`, only that row and `context` rows each side."""
    head = conn.execute(
        """SELECT t.table_id, d.title, t.title, t.unit, t.page, t.columns_json, t.note
           FROM source_tables t JOIN documents d ON d.doc_id = t.doc_id
           WHERE t.table_id = ?""", (table_id,)).fetchone()
    if head is None:
        raise KeyError(f"没有编号为 {table_id} 的表")
    query = "SELECT row_no, cells_json FROM table_rows WHERE table_id = ?"
    params: list[int] = [table_id]
    if around_row is not None:
        query += " AND row_no BETWEEN ? AND ?"
        params += [around_row - context, around_row + context]
    rows = [(row_no, json.loads(cells)) for row_no, cells in
            conn.execute(query + " ORDER BY row_no", params)]
    return TableView(head[0], head[1], head[2], head[3], head[4], json.loads(head[5]), rows, head[6])
