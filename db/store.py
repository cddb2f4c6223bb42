"""The one module that opens the database.

Questions read through `connect_readonly`: the file is opened with a `mode=ro` URI and an
authorizer that denies every write, ATTACH and PRAGMA that changes state, and every read
outside the schema, so even SQL that slipped past the checker cannot change a byte or read
sqlite_master. Ingest writes through `connect_writer`, which applies the schema and views
(WAL journal, busy timeout); there is one writer per process. `PRAGMA user_version` holds
SCHEMA_VERSION; a store of another version, a foreign SQLite file or a non-SQLite file is
refused with a StoreError that says what to do.
"""
from __future__ import annotations

import re
import sqlite3
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .pg import is_pg_url
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


# Bump when db/schema.sql or db/views.sql change what a stored file holds: a store written
# with another version is refused with a message to re-ingest (CREATE ... IF NOT EXISTS adds
# no column to an existing table, so an old store would fail later, in the middle of a question).
SCHEMA_VERSION = 2  # 2: line_items and text_figures keep ocr_confidence
SQLITE_HEADER = b"SQLite format 3\x00"


class StoreError(Exception):
    """The database file is missing, locked, full, foreign, of another schema version, or not
    a budgetqa store; the message says which, in Chinese, and what to do."""


def schema_sql() -> str:
    return "\n".join(resources.files("db").joinpath(name).read_text(encoding="utf-8")
                     for name in SCHEMA_FILES)


def describe_error(exc: sqlite3.Error, path: str | Path) -> str:
    """SQLite's error about the store, said for people: what happened and what to do."""
    text = str(exc).lower()
    name = getattr(exc, "sqlite_errorname", "") or ""
    if "locked" in text or "busy" in text or name.startswith("SQLITE_BUSY"):
        return f"数据库 {path} 正被写入（另一个导入正在进行），请稍后再试。"
    if "disk is full" in text or name == "SQLITE_FULL":
        return f"磁盘已满，无法写入数据库 {path}：请释放磁盘空间后重新导入（这次导入的内容没有保存）。"
    if "not a database" in text or name == "SQLITE_NOTADB":
        return f"{path} 不是 SQLite 数据库文件：请换一个 --db 文件名（不要覆盖其他文件）。"
    if "unable to open" in text or name.startswith("SQLITE_CANTOPEN"):
        return f"无法打开数据库文件 {path}：请检查文件夹是否存在、是否有读写权限。"
    if "readonly" in text or "read-only" in text:
        return f"数据库 {path} 是只读的，无法写入：请检查文件权限。"
    if "malformed" in text or name == "SQLITE_CORRUPT":
        return f"数据库 {path} 已损坏：请删除它后用 budgetqa ingest 重新导入。"
    return f"数据库 {path} 出错（{exc}）。"


def _check_path(path: Path, creating: bool) -> None:
    if path.is_dir():
        raise StoreError(f"{path} 是一个文件夹，不是数据库文件：请在 --db 后给出文件名，例如 {path / 'budgets.db'}。")
    if not path.parent.is_dir():
        raise StoreError(f"文件夹 {path.parent} 不存在：请先创建它，或换一个 --db 路径。")
    if path.exists():
        if not path.is_file():
            raise StoreError(f"{path} 不是普通文件：请换一个 --db 文件名。")
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
        if head and head != SQLITE_HEADER:
            raise StoreError(f"{path} 不是 SQLite 数据库文件：请换一个 --db 文件名（不要覆盖其他文件）。")
    elif not creating:
        raise StoreError(f"没有找到数据库文件 {path}：先运行 budgetqa ingest 载入预算文件。")


def _check_store(conn: sqlite3.Connection, path: Path) -> bool:
    """Whether the file is empty (a new store); raises StoreError for a foreign SQLite file or a
    store of another schema version."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    if not tables:
        return True
    if "documents" not in tables:
        shown = "、".join(tables[:5]) + ("……" if len(tables) > 5 else "")
        raise StoreError(f"{path} 是别的 SQLite 数据库（有表 {shown}，没有 budgetqa 的 documents 表），"
                         f"不会往里写入也不会读取：请换一个 --db 文件名。")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < SCHEMA_VERSION:
        raise StoreError(f"数据库 {path} 是旧版本 budgetqa 生成的（结构版本 {version}，现在是 {SCHEMA_VERSION}）："
                         f"请删除它（或换一个 --db 文件名）后用 budgetqa ingest 重新导入预算文件。")
    if version > SCHEMA_VERSION:
        raise StoreError(f"数据库 {path} 是更新版本的 budgetqa 生成的（结构版本 {version}，这里是 {SCHEMA_VERSION}）："
                         f"请升级 budgetqa 后再用。")
    return False


def connect_writer(path: str | Path) -> sqlite3.Connection:
    """Open (creating if needed) the store for writing and make sure the schema is there.
    A postgresql:// URL opens a shared PostgreSQL store instead (db/pg.py).

    WAL journal: readers keep answering while a document is written, and a writer killed
    mid-write leaves nothing a reader must roll back. Another writer waits up to
    WRITER_BUSY_SECONDS. A foreign SQLite file, a non-SQLite file, a missing folder or a store
    of another schema version is refused with a StoreError."""
    if is_pg_url(path):
        return _connect_pg(str(path), readonly=False)
    path = Path(path)
    _check_path(path, creating=True)
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=limits.WRITER_BUSY_SECONDS)
    except sqlite3.Error as exc:
        raise StoreError(describe_error(exc, path)) from exc
    try:
        new = _check_store(conn, path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        if new:  # tables and version in one transaction: another process never sees one without the other
            conn.executescript(f"BEGIN IMMEDIATE;\n{schema_sql()}\nPRAGMA user_version = {SCHEMA_VERSION};\nCOMMIT;")
        else:
            conn.executescript(schema_sql())
    except StoreError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(describe_error(exc, path)) from exc
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
    """Open an existing store so that nothing run on the connection can write.

    A store being written is waited for (READER_BUSY_SECONDS) and then said to be busy, not
    broken; a journal left by a writer that died mid-write is rolled back first."""
    if is_pg_url(path):
        return _connect_pg(str(path), readonly=True)
    path = Path(path)
    _check_path(path, creating=False)
    try:
        conn = _open_readonly(path)
    except sqlite3.Error as exc:
        if not _needs_recovery(exc, path):
            raise StoreError(_read_problem(exc, path)) from exc
        _recover(path)
        try:
            conn = _open_readonly(path)
        except sqlite3.Error as again:
            raise StoreError(_read_problem(again, path)) from again
    conn.set_authorizer(_authorizer)
    # One string or blob (zeroblob, replace, a || that doubles in a recursive CTE) stops at
    # this length instead of taking seconds and gigabytes; the progress handler cannot
    # interrupt a single instruction.
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limits.SQL_MAX_VALUE_BYTES)
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


def _open_readonly(path: Path) -> sqlite3.Connection:
    # check_same_thread stays on: a connection shared by threads deadlocks (SQLite's mutex
    # against the GIL, through the authorizer and progress callbacks); ReadOnlyConnections
    # gives each thread its own.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=limits.READER_BUSY_SECONDS)
    try:
        if hasattr(conn, "enable_load_extension"):  # absent when Python was built without it
            conn.enable_load_extension(False)
        _check_store(conn, path)
        conn.execute("SELECT 1 FROM documents LIMIT 1").fetchall()
    except BaseException:
        conn.close()
        raise
    return conn


def _needs_recovery(exc: sqlite3.Error, path: Path) -> bool:
    """A read-only connection cannot roll back a hot journal or rebuild a WAL index."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    hot = Path(f"{path}-journal").exists() or Path(f"{path}-wal").exists()
    return hot and (name.startswith("SQLITE_READONLY") or name.startswith("SQLITE_BUSY")
                    or "readonly" in str(exc) or "locked" in str(exc))


def _recover(path: Path) -> None:
    """Let SQLite recover what a dead writer left (a read-write open rolls a hot journal back
    or rebuilds the WAL index); if someone is writing right now this waits like a reader."""
    try:
        conn = sqlite3.connect(str(path), timeout=limits.READER_BUSY_SECONDS)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # the retry says what is wrong


def _read_problem(exc: sqlite3.Error, path: Path) -> str:
    text = str(exc).lower()
    if "no such table" in text:
        return f"{path} 不是 budgetqa 数据库（没有 documents 表）：请换一个 --db 文件，或用 budgetqa ingest 生成。"
    return describe_error(exc, path)


def store_version(target: str | Path) -> tuple:
    """Changes whenever a write is committed to the store: a cache of what is loaded is rebuilt
    when this changes.

    SQLite: the file's and WAL's sizes and times (with WAL a commit may not touch the main
    file's time until a checkpoint, so its time alone is not enough). PostgreSQL, which other
    machines write: the number of documents, the highest doc_id (never reused) and the newest
    transaction that wrote a documents row (`xmin`: a correction rewrites the row), so an
    ingest, a removal and a correction each change it."""
    if is_pg_url(target):
        row = connect_readonly(target).execute_native(
            "SELECT count(*), coalesce(max(doc_id), 0), coalesce(max(xmin::text::bigint), 0) FROM documents").fetchone()
        return tuple(row)
    out = []
    for name in (str(target), f"{target}-wal"):
        try:
            info = Path(name).stat()
            out += [info.st_mtime_ns, info.st_size]
        except OSError:
            out += [0, 0]
    return tuple(out)


def store_label(target: str | Path) -> str:
    """The store as shown to people: the file, or a PostgreSQL address without its password."""
    if is_pg_url(target):
        hidden = re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", str(target))
        return re.sub(r"(password=)[^&]*", r"\1***", hidden)
    return str(target)


class ReadOnlyConnections:
    """One read-only connection per thread, opened on first use in that thread.

    An object shared by threads (the app's cached Assistant serves every browser session)
    must never hand one sqlite3 connection to two threads: with Python callbacks set, one
    thread holds SQLite's connection mutex waiting for the GIL while another holds the GIL
    waiting for the mutex, and the whole process freezes. A connection is closed when its
    thread ends (the thread-local slot is dropped). A PostgreSQL reader lends each statement a
    pooled connection (db/pg.py), so all threads share one."""

    def __init__(self, path: str | Path):
        self.path = path if is_pg_url(path) else Path(path)
        self._local = threading.local()
        self._shared = connect_readonly(self.path) if is_pg_url(path) else None

    def get(self) -> sqlite3.Connection:
        if self._shared is not None:
            return self._shared
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect_readonly(self.path)
        return conn
