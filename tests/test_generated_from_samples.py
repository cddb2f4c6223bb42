"""Sample budgets' own tables printed as a ruled PDF, an unruled PDF and a workbook: each must
ingest to the same items and amounts as the extracted text the sample ships as."""
from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from fixtures_build import BudgetTable, make_ruled_pdf, make_unruled_pdf, make_workbook
from ingest.textutil import FEN_PER_UNIT, format_amount

MEASURES = ("合计", "基本支出", "项目支出")


def _items(conn: sqlite3.Connection, table_id: int) -> set[tuple]:
    return {tuple(r) for r in conn.execute(
        "SELECT coalesce(code, ''), name, measure, amount_fen FROM items_v WHERE table_id = ?", (table_id,))}


def _as_printed(conn: sqlite3.Connection, issuer: str, title: str) -> tuple[int, BudgetTable]:
    """The stored table back in the fixture's shape: 科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出."""
    table_id, unit = conn.execute("SELECT DISTINCT table_id, unit FROM items_v WHERE issuer = ? AND source_table = ?",
                                  (issuer, title)).fetchone()
    rows: dict[int, list[str]] = {}
    for row_no, code, name, is_total, measure, fen in conn.execute(
            "SELECT row_no, code, name, is_total, measure, amount_fen FROM items_v WHERE table_id = ? ORDER BY row_no",
            (table_id,)):
        row = rows.setdefault(row_no, [code or "", name, "", "", "", is_total])
        row[2 + MEASURES.index(measure)] = format_amount(Decimal(fen) / FEN_PER_UNIT[unit])
    ordered = sorted(rows.values(), key=lambda r: r[5])  # the fixture prints the total row last
    return table_id, BudgetTable(title=title, unit_line=f"单位：{unit}", rows=[r[:5] for r in ordered])


@pytest.mark.parametrize("issuer, title", [
    ("青海省医疗保障局", "支出总表"),
    ("秦皇岛市北戴河区医疗保障局（本级）", "单位预算支出总表"),
])
@pytest.mark.parametrize("make", [make_ruled_pdf, make_unruled_pdf, make_workbook], ids=["ruled", "unruled", "xlsx"])
def test_sample_table_printed_anew_ingests_to_the_same_items(db, tmp_path, issuer, title, make):
    from ingest.pipeline import ingest_paths

    table_id, table = _as_printed(db, issuer, title)
    suffix = ".xlsx" if make is make_workbook else ".pdf"
    kwargs = {} if make is make_workbook or len(table.rows) <= 14 else {"split_after": 14}
    path = make(tmp_path / f"printed{suffix}", table=table, **kwargs)
    store = tmp_path / "printed.db"
    report = ingest_paths([path], store)
    assert not report.failed, [r.message for r in report.failed]
    printed = sqlite3.connect(store)
    [(printed_table,)] = printed.execute("SELECT table_id FROM source_tables WHERE title = ?", (title,)).fetchall()
    assert _items(printed, printed_table) == _items(db, table_id)
