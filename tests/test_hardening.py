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
