"""Shared fixtures: a real store built from the bundled sample budgets, once per test session."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory) -> Path:
    from ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("store") / "samples.db"
    from assistant.audit import run_audit

    report = ingest_paths([SAMPLES], path)
    assert not report.failed, [r.message for r in report.failed]
    run_audit(path)
    return path


@pytest.fixture()
def db(samples_db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{samples_db.as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def assistant(samples_db: Path):
    from assistant.engine import Assistant

    return Assistant(samples_db)


def doc_id(conn: sqlite3.Connection, issuer_part: str, year: int | None) -> int:
    sql = "SELECT doc_id FROM documents WHERE issuer LIKE ? AND " + ("year = ?" if year else "year IS NULL")
    params = (f"%{issuer_part}%", year) if year else (f"%{issuer_part}%",)
    return conn.execute(sql, params).fetchone()[0]
