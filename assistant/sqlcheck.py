"""The one place where SQL that answers a question is checked and run.

Whatever wrote the SQL (the built-in engine, an LLM), it must be a single read-only SELECT over
the provenance views, with harmless functions only. The checked statement gets a row LIMIT and
runs on a read-only connection (db/store.py) under a time limit, so a query that slipped past
every check still cannot write or run forever.
"""
from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import sqlglot

from db import limits
from sqlglot import exp
from sqlglot.errors import ParseError

ALLOWED_TABLES = {"items_v", "projects_v", "indicators_v", "text_figures_v", "findings_v",
                  "documents", "source_tables", "table_rows"}
ALLOWED_FUNCTIONS = {
    "sum", "count", "min", "max", "avg", "total", "abs", "round", "coalesce", "ifnull", "nullif",
    "printf", "format", "substr", "substring", "length", "lower", "upper", "trim", "ltrim", "rtrim",
    "replace", "instr", "cast", "group_concat", "json_extract", "like", "glob", "iif", "if",
    "typeof", "char", "unicode", "hex", "quote", "sign", "row_number", "rank", "dense_rank",
    "str_position", "chr",  # sqlglot's names for SQLite's instr() and char()
}
_FORBIDDEN_NODES = (exp.Insert, exp.Update, exp.Delete, exp.Drop, exp.Create, exp.Alter, exp.Command,
                    exp.Pragma, exp.Attach, exp.Detach, exp.Merge, exp.TruncateTable, exp.Transaction,
                    exp.Commit, exp.Rollback)


class SqlRejected(ValueError):
    """The SQL is not a single read-only SELECT over the allowed views."""


class QueryInterrupted(Exception):
    """The query ran past its time limit and was stopped."""


class SqlError(Exception):
    """SQLite refused the (checked) query."""


class ResultTooLarge(SqlError):
    """A value or the result as a whole went past its size limit (db/limits.py)."""


@dataclass
class QueryResult:
    sql: str  # the checked text that ran
    columns: list[str]
    rows: list[tuple]


@lru_cache(maxsize=1024)  # the engine's statements repeat with different parameters
def check_sql(sql: str, max_rows: int = 200, dialect: str = "sqlite") -> str:
    """The statement to run, with a LIMIT, written for `dialect` (sqlite or postgres); raises
    SqlRejected naming what is not allowed. The SQL is read as SQLite's either way."""
    try:
        # A trailing comment comes back as an empty Semicolon "statement": not a second statement.
        statements = [s for s in sqlglot.parse(sql, read="sqlite")
                      if s is not None and not isinstance(s, exp.Semicolon)]
    except ParseError as exc:
        raise SqlRejected(f"SQL 无法解析（could not parse）：{str(exc).splitlines()[0]}") from exc
    if len(statements) != 1:
        raise SqlRejected(f"只允许单条只读 SELECT 查询：发现 {len(statements)} 条语句 (only a single statement is allowed)")
    tree = statements[0]
    if not isinstance(tree, exp.Query):
        raise SqlRejected(f"只允许只读 SELECT 查询：发现 {tree.key.upper()} (only a read-only SELECT is allowed)")
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            raise SqlRejected(f"只允许只读 SELECT 查询：发现 {node.key.upper()} (only a read-only SELECT is allowed)")
    for table in tree.find_all(exp.Table):
        if isinstance(table.this, exp.Func):  # FROM pragma_table_info(...), json_each(...)
            raise SqlRejected(f"不允许使用表值函数 {table.this.sql(dialect='sqlite')} "
                              f"(table-valued function not allowed)")
        name = table.name.lower()
        if name not in ALLOWED_TABLES and name not in ctes_in_scope(table):
            raise SqlRejected(f"不允许查询表“{table.name}”：只能查询 {', '.join(sorted(ALLOWED_TABLES))} "
                              f"(table not allowed)")
        if table.db or table.catalog:
            raise SqlRejected(f"不允许引用其他数据库：{table.sql()} (other databases are not allowed)")
    for func in tree.find_all(exp.Func):
        if isinstance(func, (exp.Binary, exp.Unary, exp.Cast, exp.Case, exp.Paren, exp.Exists)):
            continue  # operators (AND, OR, ||, -x, EXISTS …) are modelled as Func nodes by sqlglot
        name = (func.name if isinstance(func, exp.Anonymous) else func.sql_name()).lower()
        if name not in ALLOWED_FUNCTIONS:
            raise SqlRejected(f"不允许使用函数 {name}() (function not allowed)")
        if name in ("printf", "format"):
            _check_format(func)
    return _with_limit(tree, max_rows, dialect)


# A printf conversion: flags, width, precision. SQLite repeats a character `precision` times one
# at a time ('%.*c' with 999999990 runs 12 s inside one instruction, where neither the
# progress handler nor the length limit can stop it), so widths and precisions are small
# literals.
_PRINTF_SPEC = re.compile(r"%[-+ 0#,!]*(\*|\d+)?(?:\.(\*|\d+))?")
PRINTF_MAX_WIDTH = 100


def _check_format(func: exp.Func) -> None:
    fmt = func.this if isinstance(func, exp.Format) else (func.expressions[0] if func.expressions else None)
    if not (isinstance(fmt, exp.Literal) and fmt.is_string):
        raise SqlRejected("printf() 的格式必须是字面字符串 (the printf format must be a string literal)")
    for width, precision in _PRINTF_SPEC.findall(fmt.this.replace("%%", "")):
        for part in (width, precision):
            if part == "*" or (part and int(part) > PRINTF_MAX_WIDTH):
                raise SqlRejected(f"printf() 的宽度和精度必须是不超过 {PRINTF_MAX_WIDTH} 的数字 "
                                  f"(printf width and precision must be literals up to {PRINTF_MAX_WIDTH})")


def ctes_in_scope(node: exp.Expression) -> set[str]:
    """The CTE names a table reference at `node` can mean: those of the WITH clauses of the
    queries that enclose it (SQLite lets the CTEs of one WITH see each other, and a WITH
    inside a subquery is seen only there). Collecting every CTE of the whole statement
    instead would let `FROM sqlite_master, (WITH sqlite_master AS (…) …)` pass the real
    table off as a CTE."""
    names: set[str] = set()
    parent = node.parent
    while parent is not None:
        with_ = parent.args.get("with_") or parent.args.get("with")  # the key sqlglot uses varies by version
        if isinstance(with_, exp.With):
            names |= {cte.alias_or_name.lower() for cte in with_.expressions}
        parent = parent.parent
    return names


def _emit(tree: exp.Expression, dialect: str) -> str:
    if dialect == "postgres":
        from db.pg import native
        return native(tree)
    return tree.sql(dialect=dialect)


def _with_limit(tree: exp.Query, max_rows: int, dialect: str = "sqlite") -> str:
    """Cap the rows: the query's own LIMIT when it is smaller, else max_rows (ORDER BY kept).

    A LIMIT that is not a plain number (`LIMIT ?`, `LIMIT -1`) stays and the query is wrapped, so
    its parameters still bind; UNIONs are wrapped too.
    """
    limit = tree.args.get("limit") if isinstance(tree, exp.Select) else None
    current = limit.expression if limit is not None else None
    if isinstance(tree, exp.Select) and (current is None or (isinstance(current, exp.Literal) and current.is_int)):
        if current is None or int(current.this) > max_rows:
            tree = tree.limit(max_rows)
        return _emit(tree, dialect)
    return f"SELECT * FROM ({_emit(tree, dialect)}) AS capped LIMIT {int(max_rows)}"


@contextmanager
def sqlite_timelimit(conn: sqlite3.Connection, seconds: float) -> Iterator[None]:
    """Interrupt any statement on `conn` that runs longer than `seconds`; always clears itself."""
    deadline = time.perf_counter() + seconds

    def handler() -> int:
        return 1 if time.perf_counter() > deadline else 0

    conn.set_progress_handler(handler, 1000)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 1000)


def run_sql(conn: sqlite3.Connection, sql: str, params: dict | tuple = (), timeout_s: float = limits.QUERY_SECONDS,
            max_rows: int = 200, max_bytes: int | None = limits.RESULT_MAX_BYTES) -> QueryResult:
    """Check `sql`, then run it on `conn` (open it with db.store.connect_readonly).

    Bounded three ways: rows (LIMIT), time (progress handler) and size: one value cannot
    exceed SQLITE_LIMIT_LENGTH (set on the connection), and the rows together stop at
    `max_bytes` (None: the engine's own vocabulary reads, which may be large)."""
    if getattr(conn, "dialect", "sqlite") == "postgres":
        return _run_pg(conn, sql, params, max_rows)
    checked = check_sql(sql, max_rows)
    try:
        with sqlite_timelimit(conn, timeout_s):
            cursor = conn.execute(checked, params)
            rows = _fetch(cursor, max_bytes)
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise QueryInterrupted(f"查询超过 {timeout_s:g} 秒，已停止 (query took too long)") from exc
        if "locked" in str(exc) or "busy" in str(exc):
            raise SqlError("数据库正被写入，请稍后再试 (the database is being written)") from exc
        raise SqlError(f"SQLite 拒绝了这个查询：{exc}") from exc
    except sqlite3.DataError as exc:  # "string or blob too big": SQLITE_LIMIT_LENGTH
        raise ResultTooLarge(f"查询产生的值超过 {limits.SQL_MAX_VALUE_BYTES // limits.MB} MB 的长度上限（值长度限制），"
                             f"已停止 (a value exceeded the length limit)") from exc
    except sqlite3.DatabaseError as exc:
        if "too big" in str(exc):
            raise ResultTooLarge(f"查询产生的值超过 {limits.SQL_MAX_VALUE_BYTES // limits.MB} MB 的长度上限（值长度限制），"
                                 f"已停止 (a value exceeded the length limit)") from exc
        raise SqlError(f"SQLite 拒绝了这个查询：{exc}") from exc
    return QueryResult(checked, [d[0] for d in cursor.description or ()], rows)


def _run_pg(conn, sql: str, params, max_rows: int) -> QueryResult:
    """The same check, the statement written for PostgreSQL; the connection is read-only and its
    statement timeout stops a long query (db/pg.py)."""
    import psycopg
    from psycopg_pool import PoolTimeout

    checked = check_sql(sql, max_rows, "postgres")
    try:
        cursor = conn.execute_native(checked, params)
        rows = [tuple(r) for r in cursor.fetchall()]
    except psycopg.errors.QueryCanceled as exc:
        raise QueryInterrupted("查询超时，已停止 (query took too long)") from exc
    except PoolTimeout as exc:  # every pooled connection busy, or the server gone, for READER_BUSY_SECONDS
        raise SqlError("PostgreSQL 数据库正忙或连接不上，请稍后再试 (the database is busy or unreachable)") from exc
    except psycopg.Error as exc:
        raise SqlError(f"PostgreSQL 拒绝了这个查询：{str(exc).strip().splitlines()[0]}") from exc
    return QueryResult(checked, [d[0] for d in cursor.description or ()], rows)


def _fetch(cursor: sqlite3.Cursor, max_bytes: int | None) -> list[tuple]:
    if max_bytes is None:
        return cursor.fetchall()
    rows: list[tuple] = []
    size = 0
    while batch := cursor.fetchmany(64):
        for row in batch:
            size += sum(len(v) if isinstance(v, (str, bytes)) else 8 for v in row)
        if size > max_bytes:
            raise ResultTooLarge(f"查询结果超过 {max_bytes // limits.MB} MB（结果大小限制），已停止；"
                                 f"请缩小查询范围 (result too large)")
        rows += batch
    return rows
