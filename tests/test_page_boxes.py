"""Every figure read from a PDF keeps where it sits on its page, so the app can box it."""
from __future__ import annotations

import json
import sqlite3

import pytest

from fixtures_build import COL_X, make_ruled_pdf, make_unruled_pdf
from ingest.pipeline import ingest_paths
from ingest.writer import add_bbox_columns


def _store(tmp_path, pdf):
    db = tmp_path / "store.db"
    report = ingest_paths([pdf], db)
    assert not report.failed, [r.message for r in report.failed]
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return conn


@pytest.mark.parametrize("make", [make_ruled_pdf, make_unruled_pdf])
def test_table_amount_is_boxed_inside_its_column(tmp_path, make):
    conn = _store(tmp_path, make(tmp_path / "budget.pdf"))
    row = conn.execute("SELECT page, bbox FROM line_items WHERE code = '2080505' AND measure = '合计'").fetchone()
    x0, top, x1, bottom = json.loads(row["bbox"])
    assert row["page"] == 1
    assert COL_X[2] - 1 <= x0 < x1 <= COL_X[3] + 1  # the 合计 column, not the whole row
    assert 0 < top < bottom < 595


def test_each_row_is_boxed_below_the_one_before(tmp_path):
    conn = _store(tmp_path, make_ruled_pdf(tmp_path / "budget.pdf"))
    tops = [json.loads(b)[1] for (b,) in conn.execute(
        "SELECT bbox FROM line_items WHERE measure = '合计' AND table_id = 1 ORDER BY row_no")]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)


def test_text_figure_is_boxed_on_the_lines_of_its_sentence(tmp_path):
    conn = _store(tmp_path, make_ruled_pdf(tmp_path / "budget.pdf"))
    row = conn.execute("SELECT page, bbox FROM text_figures WHERE value = '26.45'").fetchone()
    first = conn.execute("SELECT bbox FROM text_figures WHERE value = '1566.45'").fetchone()
    x0, top, x1, bottom = json.loads(row["bbox"])
    assert row["page"] == 1 and x0 < x1 and top < bottom
    assert top >= json.loads(first["bbox"])[1]  # the second sentence starts on or below the first


def test_text_file_figures_have_no_box(db):
    assert db.execute("SELECT count(*) FROM line_items WHERE bbox IS NOT NULL").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM text_figures WHERE bbox IS NOT NULL").fetchone()[0] == 0


def test_a_store_made_before_boxes_gains_the_column(tmp_path):
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.execute("CREATE TABLE line_items (item_id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("CREATE TABLE text_figures (figure_id INTEGER PRIMARY KEY, sentence TEXT)")
    add_bbox_columns(conn)
    add_bbox_columns(conn)  # twice is harmless
    assert "bbox" in {r[1] for r in conn.execute("PRAGMA table_info(line_items)")}
    assert "bbox" in {r[1] for r in conn.execute("PRAGMA table_info(text_figures)")}
