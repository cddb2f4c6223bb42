"""The SQL the built-in engine runs, each query through the one checker (assistant/sqlcheck.py).

A Trace collects every statement an answer ran (shown to the user as "SQL") and the rows of
the main one. Queries read the provenance views only, so each row carries its citation.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from db.glossary import glossary
from ingest.textutil import FEN_PER_UNIT

from .sqlcheck import run_sql

ITEM_COLUMNS = ("item_id, doc_id, document, issuer, year, table_id, source_table, table_kind, page, "
                "line, row_no, code, name, classification, measure, amount_fen, unit, uncertain, is_total, "
                "ocr_confidence")
TEXT_COLUMNS = ("figure_id, doc_id, document, issuer, year, section, sentence, subject, code, kind, value, unit, "
                "compared_to, page, line, ocr_confidence")
TABLE_PRIORITY = {"expenditure": 0, "basic_expenditure": 1, "sangong": 1, "project": 2,
                  "income_expenditure_summary": 3, "income": 4, "procurement": 5, "assets": 5,
                  "other": 6, "government_fund": 7, "state_capital": 7}


MAX_ROWS = 200  # the checker's row cap: an answer built from a capped result says so
INLINE_IDS = 200  # more documents than this are named by their filter in SQL, not id by id


@dataclass(frozen=True)
class DocScope:
    """The documents a question over every department reads, said as a filter on `documents`
    so that a query over thousands of them binds a few parameters, not one per document.

    With `one_per_department`, a department that published both its 部门预算 and its 单位预算 of
    a year is read once, through its 部门预算 (the engine's one_per_department, in SQL).
    `doc_ids` are the documents the filter selects, so a handler's list can be matched to it."""

    doc_ids: frozenset[int]
    year: int | None = None
    issuer_has: str | None = None  # "哪个医保局": the office kind every issuer named holds
    filters: tuple[tuple[str, Any], ...] = ()  # (kind|scope, value) from the question's words
    one_per_department: bool = True

    def sql(self) -> tuple[str, tuple]:
        where, params = ["1 = 1"], []
        if self.year is not None:
            where.append("year = ?")
            params.append(self.year)
        if self.issuer_has:
            where.append("issuer LIKE ?")
            params.append(f"%{self.issuer_has}%")
        for column, value in self.filters:
            assert column in ("kind", "scope", "year"), column
            where.append(f"{column} = ?")
            params.append(value)
        condition = " AND ".join(where)
        if not self.one_per_department:
            return f"SELECT doc_id FROM documents WHERE {condition}", tuple(params)
        return ("SELECT doc_id FROM (SELECT doc_id, row_number() OVER (PARTITION BY issuer, year, kind "
                "ORDER BY CASE WHEN scope = '单位' THEN 1 ELSE 0 END, doc_id) AS pick FROM documents "
                f"WHERE {condition}) AS scoped WHERE pick = 1"), tuple(params)


@dataclass(frozen=True)
class Ranking:
    """Ask a query for one row per document (its best citation), ordered by amount, first `limit`."""

    descending: bool = True
    limit: int = 10
    # No year asked: each body (issuer) is ranked once, by its latest loaded year that prints
    # the subject; a body's 2019 and 2024 would otherwise rank (and add up) as two bodies.
    latest_per_body: bool = False


@dataclass
class Trace:
    conn: sqlite3.Connection
    statements: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    scope: DocScope | None = None
    scope_checked: bool | None = None  # whether the scope's filter selects exactly its documents
    capped: bool = False  # a result reached the row cap: the answer may be missing rows
    ranked: int = 0  # documents ranked by the Ranking queries run so far (their rows are the first few)
    ranked_documents: int = 0  # documents that had the subject, before latest_per_body kept one a body
    ranked_fen: int = 0  # the sum of those documents' amounts (table rows only), exact in 分

    def run(self, sql: str, params: tuple = (), main: bool = False) -> list[dict[str, Any]]:
        result = run_sql(self.conn, sql, params, max_rows=MAX_ROWS)
        self.statements.append(render(result.sql, params, getattr(self.conn, "dialect", "sqlite")))
        self.capped = self.capped or len(result.rows) >= MAX_ROWS
        out = [dict(zip(result.columns, row)) for row in result.rows]
        if out and "ranked" in out[0]:
            self.ranked += out[0]["ranked"]
            self.ranked_documents += out[0].get("documents", out[0]["ranked"])
            self.ranked_fen += out[0].get("ranked_fen") or 0
        if main or not self.columns:
            self.columns = list(result.columns)
            self.rows = [list(row) for row in result.rows]
        return out

    @property
    def sql(self) -> str:
        seen: list[str] = []
        for statement in self.statements:
            if statement not in seen:
                seen.append(statement)
        return ";\n\n".join(seen)


def render(sql: str, params: tuple, dialect: str = "sqlite") -> str:
    """The statement with its parameters written in, for people to read and re-run."""
    if dialect == "postgres":  # psycopg's %s markers; a % of a literal was doubled for it
        parts = sql.split("%s")
        if len(parts) == len(params) + 1:
            return "".join(p.replace("%%", "%") + (_literal(v) if k < len(params) else "")
                           for k, (p, v) in enumerate(zip(parts, list(params) + [None])))
        return sql
    out = sql
    for value in params:
        out = out.replace("?", _literal(value), 1)
    return out


def _literal(value: Any) -> str:
    return str(value) if isinstance(value, (int, float)) else "'" + str(value).replace("'", "''") + "'"


def _in(values: list[Any]) -> str:
    return ", ".join("?" for _ in values) or "NULL"


def _docs(trace: Trace, doc_ids: list[int]) -> tuple[str, list[Any]]:
    """`doc_id IN (…)` for the documents: their ids, or the question's filter when they are
    the many documents it selects (see DocScope)."""
    scope = trace.scope
    if scope is not None and len(doc_ids) > INLINE_IDS and scope.doc_ids == frozenset(doc_ids):
        sql, params = scope.sql()
        if trace.scope_checked is None:  # the filter must select exactly these documents, or it is not used
            trace.scope_checked = doc_ids_found(trace, f"SELECT doc_id FROM ({sql}) AS scope", params) == scope.doc_ids
        if trace.scope_checked:
            return f"doc_id IN ({sql})", list(params)
    return f"doc_id IN ({_in(doc_ids)})", list(doc_ids)


# One row per document, its best citation: certain first, a function 科目 first, the detail
# table first (TABLE_PRIORITY), then as printed — what handlers.common._one_per_document keeps.
_PRIORITY = "CASE table_kind " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in TABLE_PRIORITY.items()) + " ELSE 6 END"
_BEST_IN_DOCUMENT = (f"row_number() OVER (PARTITION BY doc_id ORDER BY uncertain, "
                     f"CASE WHEN classification = 'function' THEN 0 ELSE 1 END, {_PRIORITY}, table_id, row_no)")


def doc_ids_found(trace: Trace, sql: str, params: tuple) -> set[int]:
    """The documents a query found rows in, however many (ids only, so not cut at the row cap)."""
    result = run_sql(trace.conn, f"SELECT DISTINCT doc_id FROM ({sql}) AS found", params, max_rows=1_000_000)
    trace.statements.append(render(result.sql, params, getattr(trace.conn, "dialect", "sqlite")))
    return {row[0] for row in result.rows}


def _ranked(sql: str, ranking: Ranking) -> str:
    """`sql` (ITEM_COLUMNS rows, no ORDER BY) cut to each document's best row (and, with
    `latest_per_body`, to each issuer's latest dated document, an undated one when it has no
    other), ordered by amount, the first `ranking.limit`, each carrying `ranked` (how many were
    ranked), `ranked_fen` (the sum of all their amounts) and `documents` (how many documents
    had the subject)."""
    order = "DESC" if ranking.descending else "ASC"
    latest = ("row_number() OVER (PARTITION BY issuer ORDER BY CASE WHEN year IS NULL THEN 1 ELSE 0 END, "
              "year DESC, doc_id DESC)") if ranking.latest_per_body else "1"
    return (f"SELECT * FROM (SELECT {ITEM_COLUMNS}, count(*) OVER () AS ranked, "
            "sum(amount_fen) OVER () AS ranked_fen, documents FROM "
            f"(SELECT {ITEM_COLUMNS}, count(*) OVER () AS documents, {latest} AS latest FROM "
            f"(SELECT {ITEM_COLUMNS}, {_BEST_IN_DOCUMENT} AS pick FROM ({sql}) AS found) AS picked "
            f"WHERE pick = 1) AS dated WHERE latest = 1) AS best "
            f"ORDER BY amount_fen {order}, doc_id LIMIT {int(ranking.limit)}")


def items_sql(trace: Trace, doc_ids: list[int], codes: list[str], names: list[str], measure: str | None,
              total_rows: bool = False) -> tuple[str, tuple]:
    """The SELECT of `items` (no ORDER BY) and its parameters."""
    conditions = []
    in_docs, params = _docs(trace, doc_ids)
    # a 决算's tables print the 决算 total in their 合计 column: 决算数 asked is the default columns
    measures = [measure] if measure and measure != "决算数" else list(glossary()["default_measures"]["measures"])
    if codes:
        conditions.append(f"code IN ({_in(codes)})")
        params += codes
    if names:
        conditions.append(f"name IN ({_in(names)})")
        params += names
    sql = (f"SELECT {ITEM_COLUMNS} FROM items_v WHERE {in_docs} "
           f"AND ({' OR '.join(conditions) or '0'}) AND measure IN ({_in(measures)}) "
           f"AND is_total = {int(total_rows)}")
    return sql, tuple(params + measures)


def items(trace: Trace, doc_ids: list[int], codes: list[str], names: list[str], measure: str | None,
          main: bool = True, total_rows: bool = False, ranking: Ranking | None = None) -> list[dict[str, Any]]:
    """Line items of the documents whose code or name is asked, in the asked measure
    (`total_rows`: the 合计/总计 rows named, e.g. 本年支出合计); with `ranking`, each
    document's best row, ranked in SQL over all of them."""
    sql, params = items_sql(trace, doc_ids, codes, names, measure, total_rows)
    sql = _ranked(sql, ranking) if ranking else sql + " ORDER BY doc_id, uncertain, table_id, row_no"
    return trace.run(sql, params, main)


# 分 per unit a text figure may state money in, for ordering text amounts in SQL (the exact
# amount is computed from the stated decimal text, never from this float)
_TEXT_FEN = "CASE unit " + " ".join(f"WHEN '{u}' THEN {int(f)}" for u, f in FEN_PER_UNIT.items()) + " END"
_MONEY_UNITS = ", ".join(f"'{u}'" for u in FEN_PER_UNIT)


def text_amounts_ranked(trace: Trace, doc_ids: list[int], subjects: list[str], ranking: Ranking,
                        without: list[tuple[str, tuple]] = ()) -> list[dict[str, Any]]:
    """Money amounts the text states for the subjects, the first of each document (in reading
    order), ranked by amount, leaving out the documents the `without` queries found rows in;
    each row carries `ranked`: how many documents were ranked."""
    in_docs, params = _docs(trace, doc_ids)
    params = params + list(subjects)
    lacking = ""
    for sql, more in without:
        lacking += f" AND doc_id NOT IN (SELECT doc_id FROM ({sql}) AS found)"
        params += list(more)
    order = "DESC" if ranking.descending else "ASC"
    sql = (f"SELECT * FROM (SELECT {TEXT_COLUMNS}, count(*) OVER () AS ranked FROM (SELECT {TEXT_COLUMNS}, "
           "row_number() OVER (PARTITION BY doc_id ORDER BY line, figure_id) AS pick FROM text_figures_v "
           f"WHERE {in_docs} AND subject IN ({_in(subjects)}) AND kind = 'amount' AND unit IN ({_MONEY_UNITS})"
           f"{lacking}) AS stated WHERE pick = 1) AS best "
           f"ORDER BY CAST(value AS REAL) * {_TEXT_FEN} {order}, doc_id LIMIT {int(ranking.limit)}")
    return trace.run(sql, tuple(params))


def items_in_any_column(trace: Trace, doc_ids: list[int], codes: list[str], names: list[str]) -> list[dict[str, Any]]:
    """Every column a row prints, for a row that does not print the one asked (a 决算 row
    whose 决算数 cell is blank still prints its 年初预算数)."""
    conditions = [f"code IN ({_in(codes)})"] * bool(codes) + [f"name IN ({_in(names)})"] * bool(names)
    sql = (f"SELECT {ITEM_COLUMNS} FROM items_v WHERE doc_id IN ({_in(doc_ids)}) "
           f"AND ({' OR '.join(conditions) or '0'}) AND is_total = 0 ORDER BY doc_id, uncertain, table_id, row_no")
    return trace.run(sql, tuple(doc_ids) + tuple(codes) + tuple(names), main=True)


def carrying_over(trace: Trace, doc_ids: list[int]) -> set[int]:
    """The documents that print a non-zero 上年结转 (carried over from last year)."""
    in_docs, params = _docs(trace, doc_ids)
    sql = f"SELECT doc_id FROM items_v WHERE {in_docs} AND name LIKE '%上年结转%' AND amount_fen <> 0"
    return doc_ids_found(trace, sql, tuple(params))


def totals(trace: Trace, doc_ids: list[int], measure: str, kinds: tuple[str, ...],
           ranking: Ranking | None = None) -> list[dict[str, Any]]:
    """Total rows (合计/总计) of the given table kinds in a measure: 项目支出合计, 人员经费 …"""
    in_docs, params = _docs(trace, doc_ids)
    sql = (f"SELECT {ITEM_COLUMNS} FROM items_v WHERE {in_docs} AND is_total = 1 "
           f"AND measure = ? AND table_kind IN ({_in(list(kinds))})")
    sql = _ranked(sql, ranking) if ranking else sql + " ORDER BY doc_id, uncertain, table_id, row_no"
    return trace.run(sql, tuple(params) + (measure,) + kinds, main=True)


def table_totals(trace: Trace, doc_ids: list[int], titles: list[str]) -> list[dict[str, Any]]:
    """The 合计 row of a table asked for by its title (政府购买服务预算 → 政府购买服务预算表)."""
    sql = (f"SELECT {ITEM_COLUMNS} FROM items_v WHERE doc_id IN ({_in(doc_ids)}) AND source_table IN "
           f"({_in(titles)}) AND is_total = 1 ORDER BY doc_id, table_id, row_no")
    return trace.run(sql, tuple(doc_ids) + tuple(titles), main=True)


def same_row(trace: Trace, row: dict[str, Any], measure: str) -> list[dict[str, Any]]:
    """The row's amount in another column: the 合计 beside its 项目支出."""
    sql = (f"SELECT {ITEM_COLUMNS} FROM items_v WHERE table_id = ? AND row_no = ? AND name = ? AND measure = ?")
    return trace.run(sql, (row["table_id"], row["row_no"], row["name"], measure))


def children(trace: Trace, table_id: int, parent_code: str, measure: str) -> list[dict[str, Any]]:
    sql = (f"SELECT {ITEM_COLUMNS} FROM items_v WHERE table_id = ? AND parent_code = ? AND measure = ? "
           "ORDER BY row_no")
    return trace.run(sql, (table_id, parent_code, measure), main=True)


def projects(trace: Trace, doc_ids: list[int], names: list[str]) -> list[dict[str, Any]]:
    sql = ("SELECT project_id, doc_id, document, issuer, year, table_id, source_table, page, line, row_no, "
           "project_code, name, amount_fen, amount_text, unit, category FROM projects_v "
           f"WHERE doc_id IN ({_in(doc_ids)}) AND name IN ({_in(names)}) AND amount_fen IS NOT NULL "
           "ORDER BY doc_id, table_id, row_no")
    return trace.run(sql, tuple(doc_ids) + tuple(names), main=True)


def indicators(trace: Trace, doc_ids: list[int], names: list[str]) -> list[dict[str, Any]]:
    sql = ("SELECT indicator_id, doc_id, document, issuer, year, table_id, source_table, page, line, row_no, "
           "project, level1, level2, name, operator, value_text, value_num, value_unit FROM indicators_v "
           f"WHERE doc_id IN ({_in(doc_ids)}) AND name IN ({_in(names)}) ORDER BY doc_id, table_id, row_no")
    return trace.run(sql, tuple(doc_ids) + tuple(names), main=True)


def text_figures(trace: Trace, doc_ids: list[int], subjects: list[str], kinds: tuple[str, ...],
                 codes: list[str] = (), main: bool = False) -> list[dict[str, Any]]:
    conditions = [f"subject IN ({_in(subjects)})"] if subjects else []
    params: list[Any] = list(doc_ids) + list(subjects)
    if codes:
        conditions.append(f"code IN ({_in(list(codes))})")
        params += list(codes)
    sql = (f"SELECT {TEXT_COLUMNS} FROM text_figures_v WHERE doc_id IN ({_in(doc_ids)}) "
           f"AND ({' OR '.join(conditions) or '0'}) AND kind IN ({_in(list(kinds))}) ORDER BY doc_id, line")
    return trace.run(sql, tuple(params) + kinds, main)


def text_figures_by_id(trace: Trace, figure_ids: list[int]) -> list[dict[str, Any]]:
    sql = f"SELECT {TEXT_COLUMNS} FROM text_figures_v WHERE figure_id IN ({_in(figure_ids)}) ORDER BY figure_id"
    return trace.run(sql, tuple(figure_ids))


def same_sentence(trace: Trace, figure: dict[str, Any]) -> list[dict[str, Any]]:
    """Every figure of the sentence `figure` was read from, in reading order."""
    sql = (f"SELECT {TEXT_COLUMNS} FROM text_figures_v WHERE doc_id = ? AND line IS ? AND sentence = ? "
           "ORDER BY figure_id")
    return trace.run(sql, (figure["doc_id"], figure["line"], figure["sentence"]))


def items_by_id(trace: Trace, item_ids: list[int]) -> list[dict[str, Any]]:
    sql = f"SELECT {ITEM_COLUMNS} FROM items_v WHERE item_id IN ({_in(item_ids)}) ORDER BY item_id"
    return trace.run(sql, tuple(item_ids))


def count_figures(trace: Trace, doc_ids: list[int], unit: str) -> list[dict[str, Any]]:
    """Counted things (车辆 1 辆): text figures and table cells whose unit is the one asked."""
    like = f"%{unit}%"
    sql_text = (f"SELECT {TEXT_COLUMNS} FROM text_figures_v WHERE doc_id IN ({_in(doc_ids)}) "
                "AND kind = 'count' AND unit LIKE ? ORDER BY doc_id, line")
    sql_items = (f"SELECT {ITEM_COLUMNS} FROM items_v WHERE doc_id IN ({_in(doc_ids)}) AND unit LIKE ? "
                 "ORDER BY doc_id, table_id, row_no")
    rows = trace.run(sql_items, tuple(doc_ids) + (like,), main=True)
    return rows + trace.run(sql_text, tuple(doc_ids) + (like,))


def sum_items(trace: Trace, item_ids: list[int]) -> int:
    sql = f"SELECT sum(amount_fen) AS total_fen FROM items_v WHERE item_id IN ({_in(item_ids)})"
    return trace.run(sql, tuple(item_ids))[0]["total_fen"]


def findings(trace: Trace, doc_ids: list[int]) -> list[dict[str, Any]]:
    sql = ("SELECT finding_id, doc_id, document, rule_id, severity, subject, message, refs_json FROM findings_v "
           f"WHERE doc_id IN ({_in(doc_ids)}) ORDER BY doc_id, finding_id")
    return trace.run(sql, tuple(doc_ids))


def best_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most specific citation first: certain before uncertain, detail tables before summaries."""
    return sorted(rows, key=lambda r: (r.get("uncertain", 0), TABLE_PRIORITY.get(r.get("table_kind"), 6),
                                       r.get("table_id") or 0, r.get("row_no") or 0))


# --- queries of the handlers for fund tables, side codes, project indicators and tables -------------

def fund_items(trace: Trace, doc_ids: list[int], kind: str, measure: str, codes: list[str],
               names: list[str]) -> list[dict[str, Any]]:
    """Rows of one fund's tables (政府性基金, 国有资本经营): the subject asked, else their totals."""
    named = f" AND (code IN ({_in(codes)}) OR name IN ({_in(names)}))" if codes or names else " AND is_total = 1"
    sql = (f"SELECT {ITEM_COLUMNS} FROM items_v WHERE doc_id IN ({_in(doc_ids)}) AND table_kind = ? "
           f"AND measure = ?{named} ORDER BY doc_id, table_id, row_no")
    return trace.run(sql, (*doc_ids, kind, measure, *codes, *names), main=True)


def tables_of_kind(trace: Trace, doc_ids: list[int], kind: str) -> list[dict[str, Any]]:
    """The documents' tables of one kind, with the note printed under each."""
    sql = ("SELECT d.title AS document, t.title, t.page, t.note FROM source_tables t JOIN documents d "
           f"ON d.doc_id = t.doc_id WHERE t.doc_id IN ({_in(doc_ids)}) AND t.table_kind = ? ORDER BY t.doc_id, t.seq")
    return trace.run(sql, (*doc_ids, kind))


def table_headers(trace: Trace, table_ids: list[int]) -> list[dict[str, Any]]:
    sql = f"SELECT table_id, columns_json FROM source_tables WHERE table_id IN ({_in(table_ids)})"
    return trace.run(sql, tuple(table_ids))


def items_printing(trace: Trace, doc_ids: list[int], code: str, measure: str) -> list[dict[str, Any]]:
    """Rows whose printed text carries `code` as a cell of its own (a second classification)."""
    sql = (f"SELECT {ITEM_COLUMNS}, raw_text FROM items_v WHERE doc_id IN ({_in(doc_ids)}) AND raw_text LIKE ? "
           "AND measure = ? ORDER BY doc_id, table_id, row_no")
    return trace.run(sql, (*doc_ids, f"%| {code} |%", measure), main=True)


def project_indicators(trace: Trace, doc_ids: list[int], projects: list[str]) -> list[dict[str, Any]]:
    sql = ("SELECT indicator_id, doc_id, document, issuer, year, table_id, source_table, page, line, row_no, "
           "project, level1, level2, name, operator, value_text, value_num, value_unit FROM indicators_v "
           f"WHERE doc_id IN ({_in(doc_ids)}) AND project IN ({_in(projects)}) ORDER BY doc_id, table_id, row_no")
    return trace.run(sql, (*doc_ids, *projects), main=True)


def project_rows(trace: Trace, doc_id: int) -> list[dict[str, Any]]:
    """A document's project rows, project tables first (then performance tables)."""
    sql = ("SELECT document, table_id, source_table, page, name, amount_fen, table_kind FROM projects_v "
           "WHERE doc_id = ? ORDER BY table_kind <> 'project', table_id, row_no")
    return trace.run(sql, (doc_id,), main=True)
