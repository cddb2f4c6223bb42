"""Correcting what a document is, and removing it with everything that hangs on it."""
from __future__ import annotations

import shutil
import sqlite3

import pytest

from conftest import doc_id
from db.store import connect_writer
from ingest.writer import relabel_document, remove_document


@pytest.fixture()
def store(samples_db, tmp_path):
    path = tmp_path / "store.db"
    shutil.copy(samples_db, path)
    conn = connect_writer(path)
    yield conn
    conn.close()


def _count(conn, table, doc):
    return conn.execute(f"SELECT count(*) FROM {table} WHERE doc_id = ?", (doc,)).fetchone()[0]


def test_a_year_given_to_an_undated_document_is_in_its_title(store):
    doc = doc_id(store, "拉萨", None)
    title = relabel_document(store, doc, year=2023)
    assert title == "拉萨市医疗保障局2023年部门预算"
    assert store.execute("SELECT year, title FROM documents WHERE doc_id = ?", (doc,)).fetchone() == (2023, title)


def test_issuer_kind_and_scope_are_corrected_together(store):
    doc = doc_id(store, "青海", 2021)
    title = relabel_document(store, doc, issuer="青海省医保局", kind="决算", scope="单位")
    assert title == "青海省医保局2021年单位决算"


def test_performance_targets_keep_their_title_word(store):
    doc = doc_id(store, "拉萨", 2022)
    assert relabel_document(store, doc, year=2021) == "拉萨市医疗保障局2021年部门预算绩效目标"


def test_year_can_be_cleared(store):
    doc = doc_id(store, "青海", 2021)
    assert relabel_document(store, doc, clear_year=True) == "青海省医疗保障局部门预算"


@pytest.mark.parametrize("change, says", [({"year": 21}, "年度"), ({"kind": "草案"}, "类型"),
                                          ({"scope": "全省"}, "范围"), ({"issuer": " "}, "发布单位")])
def test_a_value_that_cannot_be_stored_is_refused_and_nothing_changes(store, change, says):
    doc = doc_id(store, "青海", 2021)
    before = store.execute("SELECT * FROM documents WHERE doc_id = ?", (doc,)).fetchone()
    with pytest.raises(ValueError, match=says):
        relabel_document(store, doc, **change)
    assert store.execute("SELECT * FROM documents WHERE doc_id = ?", (doc,)).fetchone() == before


def test_removing_a_document_removes_its_figures_tables_and_findings(store):
    doc = doc_id(store, "青海", 2021)
    assert _count(store, "findings", doc) > 0 and _count(store, "line_items", doc) > 0
    others = store.execute("SELECT count(*) FROM line_items WHERE doc_id <> ?", (doc,)).fetchone()[0]
    remove_document(store, doc)
    for table in ("documents", "source_tables", "line_items", "text_figures", "projects", "indicators", "findings"):
        assert _count(store, table, doc) == 0, table
    assert store.execute("SELECT count(*) FROM table_rows r LEFT JOIN source_tables t USING (table_id) "
                         "WHERE t.table_id IS NULL").fetchone()[0] == 0
    assert store.execute("SELECT count(*) FROM line_items").fetchone()[0] == others


def test_removing_a_missing_document_says_so(store):
    with pytest.raises(KeyError):
        remove_document(store, 9999)
    assert not store.in_transaction


def test_removed_document_is_no_longer_answered(samples_db, tmp_path):
    from assistant.engine import Assistant

    path = tmp_path / "store.db"
    shutil.copy(samples_db, path)
    conn = connect_writer(path)
    remove_document(conn, doc_id(conn, "青海", 2021))
    conn.close()
    assert Assistant(path).ask("青海省医疗保障局2021年住房公积金是多少？").status == "no_data"
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
