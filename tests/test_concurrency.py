"""One Assistant shared by many threads (the app's sessions) never freezes and never shares a
connection. A frozen process is caught by join timeouts, not by a plugin: a thread still alive
after its generous deadline fails the test (the daemon threads die with the test run)."""
from __future__ import annotations

import shutil
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

from assistant import catalog
from assistant.audit import findings_for
from assistant.engine import Assistant
from assistant.sqlcheck import run_sql
from db.store import ReadOnlyConnections, connect_readonly

REPO = Path(__file__).resolve().parents[1]
HANG_GUARD_S = 120  # far above the ~1 s this takes; only a deadlock reaches it


def run_threads(targets) -> list[BaseException]:
    errors: list[BaseException] = []

    def wrap(target):
        def run():
            try:
                target()
            except BaseException as exc:  # reported by the test, not lost in the thread
                errors.append(exc)
        return run

    threads = [threading.Thread(target=wrap(t), daemon=True) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(HANG_GUARD_S)
    assert not any(t.is_alive() for t in threads), "threads still running: the connection deadlocked"
    return errors


def test_engine_and_catalog_from_several_threads_finish(samples_db):
    assistant = Assistant(samples_db)
    table_id = assistant.conn.execute("SELECT table_id FROM source_tables LIMIT 1").fetchone()[0]
    doc_ids = [d.doc_id for d in assistant.lexicon.documents]

    def queries():
        for _ in range(150):
            run_sql(assistant.conn, "SELECT name, amount_fen FROM items_v LIMIT 50")

    def tables():
        for _ in range(150):
            catalog.table_view(assistant.conn, table_id)
            catalog.list_documents(assistant.conn)
            findings_for(assistant.conn, doc_ids)

    def questions():
        for _ in range(15):
            answer = assistant.ask("青海省医疗保障局2021年住房公积金是多少？")
            assert answer.status == "answered", answer.answer

    assert run_threads([queries, tables, questions, queries, tables, questions]) == []


def test_each_thread_gets_its_own_connection(samples_db):
    connections = ReadOnlyConnections(samples_db)
    seen: list[int] = []
    run_threads([lambda: seen.append(id(connections.get())) for _ in range(4)] +
                [lambda: seen.append(id(connections.get()))])
    assert connections.get() is connections.get()  # one per thread, reused
    assert len(seen) == 5


def test_a_connection_used_from_another_thread_is_refused_not_frozen(samples_db):
    conn = connect_readonly(samples_db)
    errors = run_threads([lambda: conn.execute("SELECT 1").fetchone()])
    assert len(errors) == 1 and isinstance(errors[0], sqlite3.ProgrammingError)


def test_concurrent_browser_sessions_all_get_answers(tmp_path):
    """Five real browser sessions on one app server for a few seconds: every question answered."""
    pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        pytest.skip("chromium is not installed (apt-get install chromium fonts-wqy-zenhei)")
    import importlib.util

    spec = importlib.util.spec_from_file_location("concurrent_sessions", REPO / "scripts" / "concurrent_sessions.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    result = module.run(sessions=3, seconds=5, workdir=tmp_path)
    assert result.sessions_finished == 3
    assert result.answers >= 3 and result.answers == result.questions, result
    assert result.server_alive
