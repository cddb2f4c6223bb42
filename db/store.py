"""The one module that opens the database.

Questions read through `connect_readonly`: the file is opened with a `mode=ro` URI and an
authorizer that denies every write, ATTACH and PRAGMA that changes state, so even SQL that
slipped past the checker cannot change a byte. Ingest writes through `connect_writer`, which
applies the schema and views; there is one writer per process.
"""
from __future__ import annotations

import re
import sqlite3
from importlib import resources
from pathlib import Path

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
    _add_new_columns(conn)
    return conn


# Columns added after stores were first made: (table, column, declaration, view that shows it).
ADDED_COLUMNS = (("line_items", "bbox", "TEXT", None),
                 ("text_figures", "bbox", "TEXT", None),
                 ("line_items", "ocr_confidence", "REAL", "items_v"),
                 ("text_figures", "ocr_confidence", "REAL", "text_figures_v"))


def _add_new_columns(conn: sqlite3.Connection) -> None:
    """A store made before a column existed gets it (NULL on its rows) and views that show it."""
    stale = False
    for table, column, declaration, view in ADDED_COLUMNS:
        if column not in {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
        if view:
            stale |= column not in {r[1] for r in conn.execute(f"PRAGMA table_info({view})")}
    if stale:
        views = resources.files("db").joinpath("views.sql").read_text(encoding="utf-8")
        for name in re.findall(r"CREATE VIEW IF NOT EXISTS (\w+)", views):
            conn.execute(f"DROP VIEW IF EXISTS {name}")
        conn.executescript(views)


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
