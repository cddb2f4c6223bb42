"""The one module that opens the database.

Questions read through `connect_readonly`: the file is opened with a `mode=ro` URI and an
authorizer that denies every write, ATTACH and PRAGMA that changes state, so even SQL that
slipped past the checker cannot change a byte. Ingest writes through `connect_writer`, which
applies the schema and views; there is one writer per process.
"""
from __future__ import annotations

import re
import sqlite3
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

from db import limits

SCHEMA_FILES = ("schema.sql", "views.sql")

# Reads that a SELECT needs; everything else (writes, ATTACH, PRAGMA writes, functions that
# load code) is denied.
_ALLOWED_ACTIONS = {
    sqlite3.SQLITE_SELECT,
    sqlite3.SQLITE_READ,
    sqlite3.SQLITE_FUNCTION,
    sqlite3.SQLITE_RECURSIVE,
}
_DENIED_FUNCTIONS = {"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"}
_READ_ONLY_PRAGMAS = {"table_info", "table_xinfo", "index_list", "index_info", "foreign_key_list"}


class StoreError(Exception):
    """The database file is missing or not a budgetqa store."""


def schema_sql() -> str:
    return "\n".join(resources.files("db").joinpath(name).read_text(encoding="utf-8")
                     for name in SCHEMA_FILES)


def connect_writer(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) the store for writing and make sure the schema is there."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.executescript(schema_sql())
    return conn


@lru_cache(maxsize=1)
def schema_objects() -> frozenset[str]:
    """The tables and views db/schema.sql and db/views.sql create: all a question may read."""
    return frozenset(name.lower() for name in re.findall(
        r"CREATE\s+(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?[\"`\[]?(\w+)", schema_sql(), re.IGNORECASE))


def _authorizer(action: int, arg1: str | None, arg2: str | None, dbname: str | None,
                source: str | None) -> int:
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_READ and not _readable(arg1, dbname):
        return sqlite3.SQLITE_DENY
    if action in _ALLOWED_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _READ_ONLY_PRAGMAS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _readable(table: str | None, dbname: str | None) -> bool:
    """Whether a question may read `table`. A column of a real table comes with its database
    name ("main"): reads through a view are reported as reads of the view's base tables, so
    the schema's tables are allowed, and nothing else (sqlite_master, sqlite_schema, another
    database). A read without a database name is a CTE's rows (or a row count with no column
    data); only the sqlite_ names are refused there."""
    name = (table or "").lower()
    if name.startswith("sqlite_"):
        return False
    return dbname is None or (dbname == "main" and name in schema_objects())


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """Open an existing store so that nothing run on the connection can write."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"没有找到数据库文件 {path}：先运行 budgetqa ingest 载入预算文件。")
    # check_same_thread stays on: a connection shared by threads deadlocks (SQLite's mutex
    # against the GIL, through the authorizer and progress callbacks); ReadOnlyConnections
    # gives each thread its own.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    if hasattr(conn, "enable_load_extension"):  # absent when Python was built without it
        conn.enable_load_extension(False)
    try:
        conn.execute("SELECT 1 FROM documents LIMIT 1")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path} 不是 budgetqa 数据库（{exc}）：请用 budgetqa ingest 重新生成。") from exc
    conn.set_authorizer(_authorizer)
    # One string or blob (printf('%.*c', 999999990, 'x'), zeroblob, a || that doubles in a
    # recursive CTE) stops at this length instead of taking seconds and gigabytes; the
    # progress handler cannot interrupt a single instruction.
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limits.SQL_MAX_VALUE_BYTES)
    return conn


class ReadOnlyConnections:
    """One read-only connection per thread, opened on first use in that thread.

    An object shared by threads (the app's cached Assistant serves every browser session)
    must never hand one sqlite3 connection to two threads: with Python callbacks set, one
    thread holds SQLite's connection mutex waiting for the GIL while another holds the GIL
    waiting for the mutex, and the whole process freezes. A connection is closed when its
    thread ends (the thread-local slot is dropped)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect_readonly(self.path)
        return conn
