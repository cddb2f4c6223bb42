"""Hardening: no way around the SQL checker, locks and crashes said as such, foreign and old
files refused, revisions replaced only when asked, documents removed whole."""
from __future__ import annotations

import sqlite3

import pytest

from assistant.sqlcheck import SqlError, SqlRejected, check_sql, run_sql
from db.store import connect_readonly, connect_writer


# --- the checker resolves CTE names per scope; the authorizer backs it up -------------------------

SCOPE_BYPASSES = [
    "SELECT * FROM sqlite_master AS m, (WITH sqlite_master AS (SELECT 1 AS x) SELECT x FROM sqlite_master) t",
    "SELECT * FROM line_items, (WITH line_items AS (SELECT 1 AS x) SELECT x FROM line_items) t",
    "SELECT (WITH sqlite_schema AS (SELECT 1) SELECT 1 FROM sqlite_schema), sql FROM sqlite_schema",
    "SELECT * FROM items_v WHERE name IN (SELECT name FROM sqlite_master) "
    "AND code IN (WITH sqlite_master AS (SELECT 1 AS name) SELECT name FROM sqlite_master)",
]


@pytest.mark.parametrize("sql", SCOPE_BYPASSES)
def test_a_cte_in_a_subquery_does_not_hide_a_real_table_outside_it(sql):
    with pytest.raises(SqlRejected, match="不允许查询表"):
        check_sql(sql)


@pytest.mark.parametrize("sql", [
    "WITH t AS (SELECT name FROM items_v) SELECT name FROM t",
    "WITH a AS (SELECT * FROM b), b AS (SELECT name FROM items_v) SELECT * FROM a",  # SQLite allows it
    "SELECT * FROM (WITH t AS (SELECT name FROM items_v) SELECT name FROM t)",
    "WITH t AS (SELECT 1 AS x) SELECT x FROM t UNION SELECT x FROM t",
])
def test_ctes_used_where_they_are_defined_still_pass(sql):
    check_sql(sql)


def test_the_authorizer_denies_the_schema_table_even_without_the_checker(samples_db):
    conn = connect_readonly(samples_db)
    for sql in ("SELECT sql FROM sqlite_master", "SELECT sql FROM sqlite_schema",
                "SELECT * FROM sqlite_temp_master"):
        with pytest.raises(sqlite3.DatabaseError, match="prohibited|not authorized"):
            conn.execute(sql).fetchall()


def test_the_authorizer_lets_views_read_their_base_tables(samples_db):
    conn = connect_readonly(samples_db)
    assert conn.execute("SELECT count(*) FROM items_v").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM findings_v").fetchone()[0] >= 0


def test_the_reader_still_works_after_a_writer_changed_the_schema(samples_db, tmp_path):
    """SQLite re-reads sqlite_master when the schema changes: that internal read must not be denied."""
    path = tmp_path / "copy.db"
    src = sqlite3.connect(samples_db)
    src.backup(dst := sqlite3.connect(path))
    src.close()
    dst.close()
    reader = connect_readonly(path)
    assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    writer = connect_writer(path)
    writer.execute("CREATE INDEX IF NOT EXISTS extra_index ON documents(title)")
    writer.close()
    assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 5


def test_a_bypass_attempt_through_run_sql_is_refused(samples_db):
    conn = connect_readonly(samples_db)
    with pytest.raises((SqlRejected, SqlError)):
        run_sql(conn, SCOPE_BYPASSES[0])


# --- locks, crashes, foreign and old files ----------------------------------------------------------

import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from click.testing import CliRunner  # noqa: E402

from assistant.cli import main as cli  # noqa: E402
from assistant.engine import Assistant  # noqa: E402
from db import limits  # noqa: E402
from db.store import SCHEMA_VERSION, StoreError  # noqa: E402
from ingest.pipeline import _store, ingest_paths, parse_file, sha256_of  # noqa: E402
from ingest.writer import DocumentNotFound, remove_document, write_document  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
QINGHAI = SAMPLES / "qinghai-2021-budget.txt"
QUESTION = "青海省医疗保障局2021年住房公积金是多少？"


def copy_store(samples_db: Path, path: Path) -> Path:
    src, dst = sqlite3.connect(samples_db), sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    connect_writer(path).close()  # WAL, as every store written now
    return path


def count(path: Path, sql: str, params=()) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def test_the_writer_uses_wal_and_waits_for_another_writer(tmp_path):
    conn = connect_writer(tmp_path / "new.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == int(limits.WRITER_BUSY_SECONDS * 1000)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_questions_are_answered_while_a_document_is_being_written(samples_db, tmp_path):
    path = copy_store(samples_db, tmp_path / "busy.db")
    writer = connect_writer(path)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM line_items")  # uncommitted: readers still see the committed store
    try:
        answer = Assistant(path).ask(QUESTION)
        assert answer.status == "answered", answer.answer
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_store_locked_by_a_writer_is_said_to_be_busy_not_broken(samples_db, tmp_path, monkeypatch):
    path = copy_store(samples_db, tmp_path / "locked.db")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM findings")
    monkeypatch.setattr(limits, "READER_BUSY_SECONDS", 0.2)
    try:
        with pytest.raises(StoreError, match="正被写入.*请稍后再试") as caught:
            connect_readonly(path)
        assert "不是 budgetqa" not in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


KILLED_WRITER = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "delete":
    conn.execute("PRAGMA journal_mode = DELETE")
conn.execute("PRAGMA cache_size = 5")  # spill changed pages to the file before the commit
conn.execute("BEGIN IMMEDIATE")
conn.execute("DELETE FROM table_rows")
conn.execute("DELETE FROM line_items")
print("writing", flush=True)
os._exit(9)  # dies mid-transaction: no rollback, no close
"""


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_writer_killed_mid_write_leaves_a_store_readers_can_read(samples_db, tmp_path, journal):
    path = copy_store(samples_db, tmp_path / f"killed-{journal}.db")
    items = count(path, "SELECT count(*) FROM line_items")
    done = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(path), journal], capture_output=True, text=True)
    assert done.returncode == 9 and "writing" in done.stdout
    if journal == "delete":
        assert Path(f"{path}-journal").exists()  # a hot journal: only a writer can roll it back
    conn = connect_readonly(path)
    assert conn.execute("SELECT count(*) FROM line_items").fetchone()[0] == items
    assert Assistant(path).ask(QUESTION).status == "answered"


def test_a_foreign_sqlite_file_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.execute("INSERT INTO people VALUES ('x')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["ingest", str(QINGHAI), "--db", str(path)])
    assert result.exit_code == 1
    assert "别的 SQLite 数据库" in result.output and "people" in result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == before
    with pytest.raises(StoreError, match="别的 SQLite 数据库"):
        connect_readonly(path)


def test_a_store_of_an_older_schema_version_asks_to_reingest(samples_db, tmp_path):
    path = copy_store(samples_db, tmp_path / "old.db")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    for opening in (connect_readonly, connect_writer):
        with pytest.raises(StoreError, match="旧版本.*重新导入"):
            opening(path)


@pytest.mark.parametrize("db, said", [("missing-folder/x.db", "不存在"), ("README.md", "不是 SQLite 数据库")])
def test_a_bad_database_path_gets_a_message_not_a_traceback(db, said):
    for command in (["ingest", str(QINGHAI)], ["ask", QUESTION], ["docs"]):
        result = CliRunner().invoke(cli, command + ["--db", str(REPO / db)])
        assert result.exit_code != 0
        assert said in result.output, (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_full_disk_is_reported_as_full_and_nothing_is_kept(tmp_path):
    path = tmp_path / "full.db"
    conn = connect_writer(path)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # what a full disk looks like to SQLite
    result = _store(conn, path, QINGHAI, sha256_of(QINGHAI), parse_file(QINGHAI))
    assert result.status == "failed"
    assert "磁盘已满" in result.message and "rollback" not in result.message
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_two_ingests_at_once_both_finish(tmp_path):
    path = tmp_path / "both.db"
    runs = [subprocess.Popen([sys.executable, "-m", "assistant.cli", "ingest", str(f), "--db", str(path)],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for f in sorted(SAMPLES.glob("*.txt"))]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0] * len(runs), outputs
    assert count(path, "SELECT count(*) FROM documents") == len(runs)


WORKERS = """
import os, time
from concurrent.futures import ProcessPoolExecutor
from ingest.pipeline import _end_with_parent
pool = ProcessPoolExecutor(2, initializer=_end_with_parent, initargs=(os.getpid(),))
futures = [pool.submit(time.sleep, 120) for _ in range(2)]
time.sleep(1)
print(" ".join(str(pid) for pid in pool._processes), flush=True)
time.sleep(120)
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state  # a zombie has ended; only its parent's reaping is left


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_ingest_workers_end_when_their_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", WORKERS], cwd=REPO, stdout=subprocess.PIPE, text=True)
    pids = [int(p) for p in parent.stdout.readline().split()]
    assert len(pids) == 2 and all(_running(p) for p in pids)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 30
    while any(_running(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_running(p) for p in pids)


# --- revisions and removal ----------------------------------------------------------------------------

def revised_copy(tmp_path: Path) -> Path:
    """The same budget as another file with other bytes (a corrected copy, as far as identity goes)."""
    folder = tmp_path / "revised"
    folder.mkdir()
    path = folder / QINGHAI.name
    path.write_text(QINGHAI.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    return path


def test_a_revision_is_reported_and_not_stored_beside_the_loaded_one(tmp_path):
    path = tmp_path / "rev.db"
    ingest_paths([QINGHAI], path)
    report = ingest_paths([revised_copy(tmp_path)], path)
    [result] = report.results
    assert result.status == "revision"
    assert "修订版本" in result.message and "--replace" in result.message
    assert count(path, "SELECT count(*) FROM documents") == 1


def test_replace_swaps_the_revision_in_with_nothing_of_the_old_one_left(tmp_path):
    path = tmp_path / "rev.db"
    [old] = ingest_paths([QINGHAI], path).results
    [new] = ingest_paths([revised_copy(tmp_path)], path, replace=True).results
    assert new.status == "ingested" and "替换了" in new.message
    assert count(path, "SELECT count(*) FROM documents") == 1
    assert count(path, "SELECT count(*) FROM line_items") == old.items  # the old rows went with it
    assert count(path, "SELECT source_file FROM documents") == 0 or \
        sqlite3.connect(path).execute("SELECT source_file FROM documents").fetchone()[0].startswith(str(tmp_path / "revised"))


def test_the_replace_option_of_the_cli(tmp_path):
    path = tmp_path / "rev.db"
    CliRunner().invoke(cli, ["ingest", str(QINGHAI), "--db", str(path)])
    revised = revised_copy(tmp_path)
    kept = CliRunner().invoke(cli, ["ingest", str(revised), "--db", str(path)])
    assert "修订版" in kept.output and kept.exit_code == 0
    replaced = CliRunner().invoke(cli, ["ingest", str(revised), "--db", str(path), "--replace"])
    assert "替换了" in replaced.output and replaced.exit_code == 0
    assert count(path, "SELECT count(*) FROM documents") == 1


DOCUMENT_TABLES = ["source_tables", "line_items", "projects", "indicators", "text_figures", "findings"]


def test_remove_document_removes_everything_that_hangs_on_it(samples_db, tmp_path):
    path = copy_store(samples_db, tmp_path / "remove.db")
    doc_id = count(path, "SELECT doc_id FROM documents WHERE issuer LIKE '%北戴河%'")
    others = {t: count(path, f"SELECT count(*) FROM {t} WHERE doc_id <> ?", (doc_id,)) for t in DOCUMENT_TABLES}
    assert count(path, "SELECT count(*) FROM findings WHERE doc_id = ?", (doc_id,)) > 0
    conn = connect_writer(path)
    remove_document(conn, doc_id)
    conn.close()
    for table in DOCUMENT_TABLES:
        assert count(path, f"SELECT count(*) FROM {table} WHERE doc_id = ?", (doc_id,)) == 0, table
        assert count(path, f"SELECT count(*) FROM {table} WHERE doc_id <> ?", (doc_id,)) == others[table], table
    assert count(path, "SELECT count(*) FROM table_rows WHERE table_id NOT IN (SELECT table_id FROM source_tables)") == 0


def test_removing_an_unknown_document_says_so(tmp_path):
    conn = connect_writer(tmp_path / "empty.db")
    with pytest.raises(DocumentNotFound, match="没有编号为 42 的文档"):
        remove_document(conn, 42)


def test_the_remove_command(samples_db, tmp_path):
    path = copy_store(samples_db, tmp_path / "cli-remove.db")
    doc_id = count(path, "SELECT doc_id FROM documents WHERE issuer LIKE '%青海%'")
    result = CliRunner().invoke(cli, ["remove", str(doc_id), "--db", str(path)])
    assert result.exit_code == 0 and "已删除" in result.output
    assert count(path, "SELECT count(*) FROM documents WHERE doc_id = ?", (doc_id,)) == 0
    again = CliRunner().invoke(cli, ["remove", str(doc_id), "--db", str(path)])
    assert again.exit_code == 1 and "没有编号" in again.output


def test_a_document_and_its_findings_are_committed_together(tmp_path):
    """The audit runs inside the document's transaction: if it fails, the document is not kept."""
    path = tmp_path / "atomic.db"

    def failing_audit(conn, doc_id):
        raise RuntimeError("audit died")

    report = ingest_paths([SAMPLES / "beidaihe-2021-budget.txt"], path, after_write=failing_audit)
    assert report.results[0].status == "failed"
    assert count(path, "SELECT count(*) FROM documents") == 0
    ingested = CliRunner().invoke(cli, ["ingest", str(SAMPLES / "beidaihe-2021-budget.txt"), "--db", str(path)])
    assert ingested.exit_code == 0
    assert count(path, "SELECT count(*) FROM findings") > 0


def test_answers_never_state_one_figure_twice_when_a_store_holds_two_revisions(tmp_path):
    """A store from before revisions were refused may hold two copies of one budget."""
    path = tmp_path / "piled.db"
    conn = connect_writer(path)
    parsed = parse_file(QINGHAI)
    write_document(conn, parsed, "/old/qinghai.txt", "a" * 64)
    write_document(conn, parsed, "/new/qinghai.txt", "b" * 64)
    conn.close()
    answer = Assistant(path).ask(QUESTION)
    assert answer.status == "answered", answer.answer
    cited = [(f.value, f.unit, f.label, f.source.cite()) for f in answer.figures]
    assert cited and len(cited) == len(set(cited))
    assert len({f.source.document for f in answer.figures}) == 1
