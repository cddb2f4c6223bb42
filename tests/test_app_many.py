"""The app on a store of many documents (a province's): the page lists the first ones and says
how to see the rest, instead of drawing an element per document on every rerun."""
from __future__ import annotations

import sys

import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPO
from test_app import LLM_SETTINGS

sys.path.insert(0, str(REPO / "benchmarks"))
N = 60


@pytest.fixture(scope="module")
def many_db(tmp_path_factory):
    from assistant.audit import audit_in_transaction
    from ingest.pipeline import ingest_paths
    from synth import generate

    folder = tmp_path_factory.mktemp("many")
    generate(folder / "corpus", N)
    db = folder / "many.db"
    report = ingest_paths([folder / "corpus"], db, after_write=audit_in_transaction)
    assert report.count("ingested") == N
    return db


@pytest.fixture()
def app(many_db, monkeypatch, tmp_path):
    monkeypatch.setenv("BUDGETQA_DB", str(many_db))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for name in LLM_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()


def test_many_documents_are_one_table_in_the_sidebar(app):
    assert not app.exception
    assert any(c.value.startswith(f"{N} 份文档") for c in app.sidebar.caption)
    assert len(app.sidebar.dataframe[0].value) == N
    assert not [m for m in app.sidebar.markdown if "张表 ·" in m.value]  # no line per document


def test_a_filter_narrows_the_list_back_to_lines(app):
    issuer = app.sidebar.multiselect[0].options[0]
    app.sidebar.multiselect[0].select(issuer).run()
    assert [m for m in app.sidebar.markdown if "张表 ·" in m.value]
    assert not app.sidebar.dataframe


def test_the_landing_page_counts_every_finding_and_lists_a_few_documents(app, many_db):
    import sqlite3

    total = sqlite3.connect(many_db).execute("SELECT count(*) FROM findings").fetchone()[0]
    summary = next(m.value for m in app.main.markdown if m.value.startswith(f"{N} 份文档中"))
    shown = sum(int(n) for n in __import__("re").findall(r"\*\*(\d+)\*\*", summary))
    assert shown == total
    assert len(app.main.expander) <= 15
