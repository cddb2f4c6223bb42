"""The SQL checker and the read-only connection: what may run, what is refused, what is stopped."""
from __future__ import annotations

import hashlib
import sqlite3

import pytest

from assistant.sqlcheck import QueryInterrupted, SqlRejected, check_sql, run_sql
from db.store import connect_readonly, connect_writer


@pytest.fixture()
def store(tmp_path):
    path = tmp_path / "tiny.db"
    conn = connect_writer(path)
    conn.execute("INSERT INTO documents (doc_id, issuer, year, kind, title, source_file, sha256, layout, ingested_at) "
                 "VALUES (1, '某局', 2021, '预算', '某局2021年部门预算', 'x.txt', 'abc', 'tabbed', 'now')")
    conn.execute("INSERT INTO source_tables (table_id, doc_id, seq, title, table_kind, unit, columns_json) "
                 "VALUES (1, 1, 1, '支出总表', 'expenditure', '万元', '[]')")
    for row_no, code, name, fen in ((1, "208", "社会保障和就业支出", 335993000), (2, "210", "卫生健康支出", 2588381000)):
        conn.execute("INSERT INTO line_items (doc_id, table_id, row_no, code, name, classification, measure, "
                     "column_label, amount_fen, amount_text, unit, raw_text) VALUES (1, 1, ?, ?, ?, 'function', "
                     "'合计', '合计', ?, 'x', '万元', 'x')", (row_no, code, name, fen))
    conn.close()
    return path


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_select_on_a_view_runs_and_returns_rows(store):
    result = run_sql(connect_readonly(store), "SELECT code, amount_fen FROM items_v ORDER BY code")
    assert result.rows == [("208", 335993000), ("210", 2588381000)]
    assert result.columns == ["code", "amount_fen"]


def test_parameters_are_bound(store):
    result = run_sql(connect_readonly(store), "SELECT name FROM items_v WHERE code = ?", ("210",))
    assert result.rows == [("卫生健康支出",)]


def test_limit_is_added_and_capped():
    assert check_sql("SELECT name FROM items_v", max_rows=50).endswith("LIMIT 50")
    assert check_sql("SELECT name FROM items_v LIMIT 9999", max_rows=50).endswith("LIMIT 50")
    assert check_sql("SELECT name FROM items_v LIMIT 3", max_rows=50).endswith("LIMIT 3")


def test_a_limit_given_as_a_parameter_still_binds_and_is_capped(store):
    result = run_sql(connect_readonly(store), "SELECT name FROM items_v ORDER BY code LIMIT ?", (5,), max_rows=1)
    assert result.rows == [("社会保障和就业支出",)]


def test_a_trailing_comment_is_not_a_second_statement():
    assert check_sql("SELECT name FROM items_v; -- done").startswith("SELECT name FROM items_v")


@pytest.mark.parametrize("sql", [
    "SELECT instr(name, '支出'), char(65) FROM items_v",
    "SELECT name FROM items_v WHERE EXISTS (SELECT 1 FROM documents)",
    "SELECT name, row_number() OVER (ORDER BY amount_fen DESC) FROM items_v",
])
def test_harmless_functions_and_predicates_are_allowed(store, sql):
    assert run_sql(connect_readonly(store), sql).rows


@pytest.mark.parametrize("sql", [
    "DROP TABLE line_items",
    "DELETE FROM documents",
    "UPDATE line_items SET amount_fen = 0",
    "INSERT INTO documents (issuer) VALUES ('x')",
    "CREATE TABLE x (a)",
    "ALTER TABLE documents ADD COLUMN x",
    "ATTACH DATABASE '/tmp/other.db' AS other",
    "PRAGMA journal_mode = WAL",
    "PRAGMA table_info(documents)",
    "VACUUM",
])
def test_statements_that_are_not_a_select_are_rejected(sql):
    with pytest.raises(SqlRejected):
        check_sql(sql)


def test_two_statements_are_rejected():
    with pytest.raises(SqlRejected, match="单条"):
        check_sql("SELECT 1 FROM items_v; DELETE FROM documents")


@pytest.mark.parametrize("sql", [
    "SELECT 1 FROM items_v -- harmless\n; DROP TABLE documents",
    "SELECT 1 FROM items_v /* ; */ ; DROP TABLE documents",
    "/* DROP */ DELETE FROM documents",
])
def test_statements_hidden_behind_comments_are_rejected(sql):
    with pytest.raises(SqlRejected):
        check_sql(sql)


@pytest.mark.parametrize("sql", ["SELECT load_extension('evil')", "SELECT readfile('/etc/passwd')",
                                 "SELECT writefile('/tmp/x', 'y')"])
def test_functions_that_touch_the_system_are_rejected(sql):
    with pytest.raises(SqlRejected, match="函数"):
        check_sql(sql)


@pytest.mark.parametrize("sql", ["SELECT * FROM pragma_table_info('documents')",
                                 "SELECT * FROM items_v, json_each('[1]')"])
def test_table_valued_functions_are_rejected_by_name(sql):
    with pytest.raises(SqlRejected, match="表值函数"):
        check_sql(sql)


@pytest.mark.parametrize("sql", ["SELECT * FROM sqlite_master", "SELECT * FROM line_items",
                                 "SELECT * FROM other.documents"])
def test_tables_outside_the_views_are_rejected(sql):
    with pytest.raises(SqlRejected):
        check_sql(sql)


def test_a_recursive_query_that_never_ends_is_stopped_by_the_time_limit(store):
    conn = connect_readonly(store)
    endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    with pytest.raises(QueryInterrupted):
        run_sql(conn, endless, timeout_s=0.2)
    assert run_sql(conn, "SELECT count(*) FROM items_v").rows == [(2,)]  # the handler was cleared


def test_the_read_only_connection_refuses_writes_even_without_the_checker(store):
    conn = connect_readonly(store)
    for sql in ("DELETE FROM documents", "DROP TABLE line_items", "ATTACH DATABASE ':memory:' AS x",
                "PRAGMA user_version = 7"):
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute(sql)


def test_nothing_changes_the_database_file(store):
    before = sha(store)
    conn = connect_readonly(store)
    for sql in ("DROP TABLE line_items", "DELETE FROM documents", "SELECT 1; DELETE FROM documents",
                "PRAGMA user_version = 7", "ATTACH DATABASE ':memory:' AS x", "VACUUM",
                "SELECT 1 FROM items_v; -- x\nDROP TABLE documents"):
        with pytest.raises(SqlRejected):
            run_sql(conn, sql)
    with pytest.raises(QueryInterrupted):
        run_sql(conn, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
                timeout_s=0.2)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("DELETE FROM line_items")
    run_sql(conn, "SELECT * FROM items_v")
    conn.close()
    assert sha(store) == before
