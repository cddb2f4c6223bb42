"""Web pages and Word files through `ingest_paths`: found in folders, refused one by one with
their own message while the rest of the run goes on."""
from __future__ import annotations

import sqlite3

import pytest

from fixtures_build import BUDGET, ISSUER
from fixtures_flow import make_budget_page
from ingest.model import IngestError, ParsedDocument, RawTable
from ingest.pipeline import expand, ingest_paths, read_any


def _page(path):
    raw = RawTable(title=BUDGET.title, columns=BUDGET.columns, column_groups=BUDGET.groups, rows=BUDGET.rows,
                   unit="万元")
    return make_budget_page(ParsedDocument("x", "x", [raw], [], heading_lines=[f"{ISSUER}2025年部门预算"]), path)


def test_folders_yield_pages_and_word_files(tmp_path):
    for name in ("a.html", "b.htm", "c.docx", "d.doc", "e.png", "f.js"):
        (tmp_path / name).write_bytes(b"x")
    assert sorted(p.name for p in expand([tmp_path])) == ["a.html", "b.htm", "c.docx", "d.doc"]


def test_each_bad_file_gets_its_own_message_and_the_page_still_loads(tmp_path):
    _page(tmp_path / "预算.html")
    (tmp_path / "旧.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    (tmp_path / "坏.docx").write_bytes(b"PK\x03\x04broken")
    (tmp_path / "通知.html").write_text("<html><body><p>请于周一开会。</p></body></html>", encoding="utf-8")
    report = ingest_paths([tmp_path], tmp_path / "store.db")
    messages = {r.path.name: r.message for r in report.failed}
    assert set(messages) == {"旧.doc", "坏.docx", "通知.html"}
    assert "另存为” .docx" in messages["旧.doc"]
    assert "已损坏" in messages["坏.docx"]
    assert "没有找到预算表格或预算说明文字" in messages["通知.html"]
    assert not any("读取时出错" in m for m in messages.values())  # no reader crashed
    conn = sqlite3.connect(tmp_path / "store.db")
    assert conn.execute("SELECT issuer, year, layout FROM documents").fetchall() == [(ISSUER, 2025, "html")]


def test_unsupported_type_names_the_new_formats(tmp_path):
    path = tmp_path / "预算.odt"
    path.write_bytes(b"x")
    with pytest.raises(IngestError) as err:
        read_any(path)
    assert ".html" in str(err.value) and ".docx" in str(err.value)
