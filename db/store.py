"""The one module that opens the database.

Questions read through `connect_readonly`: the file is opened with a `mode=ro` URI and an
authorizer that denies every write, ATTACH and PRAGMA that changes state, so even SQL that
slipped past the checker cannot change a byte. Ingest writes through `connect_writer`, which
applies the schema and views; there is one writer per process.
"""
from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

from .pg import is_pg_url

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
    """Open (creating if needed) the store for writing and make sure the schema is there.
    A postgresql:// URL opens a shared PostgreSQL store instead (db/pg.py)."""
    if is_pg_url(path):
        return _connect_pg(str(path), readonly=False)
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.executescript(schema_sql())
    return conn


def _authorizer(action: int, arg1: str | None, arg2: str | None, dbname: str | None,
                source: str | None) -> int:
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    if action in _ALLOWED_ACTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in _READ_ONLY_PRAGMAS:
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """Open an existing store so that nothing run on the connection can write."""
    if is_pg_url(path):
        return _connect_pg(str(path), readonly=True)
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"没有找到数据库文件 {path}：先运行 budgetqa ingest 载入预算文件。")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                           check_same_thread=False)
    if hasattr(conn, "enable_load_extension"):  # absent when Python was built without it
        conn.enable_load_extension(False)
    try:
        conn.execute("SELECT 1 FROM documents LIMIT 1")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path} 不是 budgetqa 数据库（{exc}）：请用 budgetqa ingest 重新生成。") from exc
    conn.set_authorizer(_authorizer)
    return conn


def _connect_pg(url: str, readonly: bool):
    """A PostgreSQL store: read-only with a statement timeout for questions; the schema
    (translated from the same files) applied for writers."""
    try:
        from .pg import PgConnection
        conn = PgConnection(url, readonly=readonly)
    except ImportError as exc:
        raise StoreError("要使用 PostgreSQL，请先安装 psycopg：pip install 'budgetqa[pg]'（make setup 会安装）。") from exc
    except Exception as exc:  # psycopg.OperationalError: server down, wrong password, no such database
        raise StoreError(f"无法连接 PostgreSQL 数据库（{str(exc).strip().splitlines()[0]}）：请检查 --db / BUDGETQA_DB "
                         f"中的地址、用户和密码，以及服务器是否在运行。") from exc
    if not readonly:
        conn.executescript(schema_sql())
    else:
        try:
            conn.execute("SELECT 1 FROM documents LIMIT 1")
        except Exception as exc:
            conn.close()
            raise StoreError("这个 PostgreSQL 数据库还没有 budgetqa 的表：先运行 budgetqa ingest --db <地址> 载入预算文件。") from exc
    return conn
