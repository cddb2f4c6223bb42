"""The app on a shared PostgreSQL store: it answers from it, sees what other servers and ingest
workers write, and never fills a shared store with the samples. Runs against a real server
started by the fixture (skipped when PostgreSQL or psycopg is not installed)."""
from __future__ import annotations

import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPO, SAMPLES
from pg_server import pg_store, pg_url  # noqa: F401 (fixtures)
from test_app import LLM_SETTINGS, sidebar_text, status_captions


@pytest.fixture()
def shared_store(pg_store):
    """Three sample budgets loaded by an ingest worker, audited as the CLI does."""
    from assistant.audit import audit_in_transaction
    from ingest.pipeline import ingest_paths

    files = [SAMPLES / name for name in ("qinghai-2021-budget.txt", "lasa-budget-year-unstated.txt", "lianhu-2024-budget.txt")]
    report = ingest_paths(files, pg_store, after_write=audit_in_transaction)
    assert not report.failed, [r.message for r in report.failed]
    return pg_store


@pytest.fixture()
def server(monkeypatch, tmp_path):
    """Start one app server (an AppTest) on a store."""
    def start(store: str) -> AppTest:
        monkeypatch.setenv("BUDGETQA_DB", store)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
        monkeypatch.setenv("BUDGETQA_UPLOAD_DIR", str(tmp_path / "uploads"))
        for name in LLM_SETTINGS:
            monkeypatch.delenv(name, raising=False)
        return AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    return start


def test_the_app_answers_from_a_postgres_store(server, shared_store):
    at = server(shared_store)
    assert not at.exception and not at.error
    assert len(at.dataframe[0].value) == 3  # what is loaded, on the landing page
    at.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    assert status_captions(at) == ["内置引擎 · 已回答"]
    assert "%s" not in at.main.code[0].value  # the SQL shown has its values written in


def test_an_ingest_worker_elsewhere_is_seen_on_the_next_page_load(server, shared_store):
    at = server(shared_store)
    assert "北戴河" not in sidebar_text(at)
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(SAMPLES / "beidaihe-2021-budget.txt"),
                           "--db", shared_store], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    at.run()
    assert "北戴河" in sidebar_text(at)
    at.chat_input[0].set_value("北戴河区医疗保障局2021年住房公积金是多少？").run()
    assert status_captions(at) == ["内置引擎 · 已回答"]


def test_a_correction_on_one_server_is_seen_by_another(server, shared_store):
    first, second = server(shared_store), server(shared_store)
    first.sidebar.selectbox(key="manage-doc").select_index(0).run()  # 拉萨, year not stated
    first.sidebar.text_input[1].input("2023")
    first.sidebar.button[0].click().run()
    assert any("已更正为《拉萨市医疗保障局2023年部门预算》" in s.value for s in first.sidebar.success)
    second.run()
    assert "2023年 · 部门预算" in sidebar_text(second)
    second.chat_input[0].set_value("拉萨市医疗保障局2023年住房公积金是多少？").run()
    assert status_captions(second) == ["内置引擎 · 已回答"]


def test_the_app_never_fills_a_shared_store_with_the_samples(server, pg_store):
    at = server(pg_store)  # an empty database: no budgetqa tables
    assert not at.exception
    assert "budgetqa ingest --db" in at.error[0].value
    assert "samples" not in at.error[0].value


def test_a_password_in_the_address_is_never_shown(server, pg_url):
    at = server(pg_url.replace("budgetqa@", "budgetqa:hunter2@").rsplit("/", 1)[0] + "/no_such_db")
    assert at.error and "hunter2" not in at.error[0].value


def test_a_removal_on_one_server_is_seen_by_another(server, shared_store):
    first, second = server(shared_store), server(shared_store)
    box = first.sidebar.selectbox(key="manage-doc")
    box.select_index(next(i for i, o in enumerate(box.options) if "青海" in o)).run()
    first.sidebar.checkbox[0].check().run()
    [b for b in first.sidebar.button if b.label == "删除文档"][0].click().run()
    assert any("已删除《青海省医疗保障局2021年部门预算》" in s.value for s in first.sidebar.success)
    second.run()
    assert "青海省医疗保障局" not in sidebar_text(second)
    second.chat_input[0].set_value("青海省医疗保障局2021年住房公积金是多少？").run()
    assert status_captions(second) == ["内置引擎 · 数据中没有"]
