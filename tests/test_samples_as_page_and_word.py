"""Sample budgets printed again as a saved web page and as a Word file: each must ingest to the
same line items, projects and text figures as the extracted text the sample ships as, under
the same issuer and year, with provenance by table index, row number and paragraph index."""
from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SAMPLES
from fixtures_build import BUDGET, ISSUER, BudgetTable
from fixtures_flow import header_rows, make_budget_docx, make_budget_page, printable_tables
from ingest.model import ParsedDocument, RawTable

pytest.importorskip("docx")

PRINTERS = {"html": make_budget_page, "docx": make_budget_docx}


def _source(sample: str) -> ParsedDocument:
    """The sample as the text reader reads it, without the tables its layout garbled."""
    from ingest.normalise.normalize import normalize
    from ingest.readers.text_reader import read_text

    doc = read_text(SAMPLES / sample)
    ref = normalize(doc)
    return printable_tables(doc, {i for i, t in enumerate(ref.tables) if t.items or t.projects})


def _ingest(path: Path, store: Path) -> sqlite3.Connection:
    from ingest.pipeline import ingest_paths

    report = ingest_paths([path], store)
    assert not report.failed, [r.message for r in report.failed]
    conn = sqlite3.connect(store)
    conn.row_factory = sqlite3.Row
    return conn


def _doc(conn: sqlite3.Connection, name: str) -> int:
    return conn.execute("SELECT doc_id FROM documents WHERE source_file LIKE ?", (f"%{name}",)).fetchone()[0]


def _items(conn, doc_id) -> set[tuple]:
    return {tuple(r) for r in conn.execute(
        "SELECT coalesce(code, ''), name, measure, amount_fen FROM items_v WHERE doc_id = ?", (doc_id,))}


def _projects(conn, doc_id) -> set[tuple]:
    return {tuple(r) for r in conn.execute("SELECT name, amount_fen FROM projects_v WHERE doc_id = ?", (doc_id,))}


def _figures(conn, doc_id) -> set[tuple]:
    return {tuple(r) for r in conn.execute(
        "SELECT subject, kind, value, unit FROM text_figures_v WHERE doc_id = ?", (doc_id,))}


def _identity(conn, doc_id) -> tuple:
    return tuple(conn.execute("SELECT issuer, year, kind FROM documents WHERE doc_id = ?", (doc_id,)).fetchone())


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[tuple[str, str], tuple[sqlite3.Connection, int]]:
    """Each sample in each format, ingested into its own store: (sample, format) → (store, doc_id)."""
    out = {}
    folder = tmp_path_factory.mktemp("printed")
    for sample in ("lianhu-2024-budget.txt", "lasa-budget-year-unstated.txt"):
        source = _source(sample)
        for fmt, make in PRINTERS.items():
            path = make(source, folder / f"{Path(sample).stem}.{fmt}")
            conn = _ingest(path, folder / f"{Path(sample).stem}-{fmt}.db")
            out[(sample, fmt)] = conn, _doc(conn, path.name)
    return out


CASES = [(s, f) for s in ("lianhu-2024-budget.txt", "lasa-budget-year-unstated.txt") for f in PRINTERS]
IDS = [f"{s.split('-')[0]}-{f}" for s, f in CASES]


@pytest.mark.parametrize("sample, fmt", CASES, ids=IDS)
def test_printed_sample_ingests_to_the_same_line_items(db, printed, sample, fmt):
    conn, doc_id = printed[(sample, fmt)]
    expected = _items(db, _doc(db, sample))
    assert expected and _items(conn, doc_id) == expected


@pytest.mark.parametrize("sample, fmt", CASES, ids=IDS)
def test_printed_sample_has_the_same_issuer_year_and_kind(db, printed, sample, fmt):
    conn, doc_id = printed[(sample, fmt)]
    assert _identity(conn, doc_id) == _identity(db, _doc(db, sample))


@pytest.mark.parametrize("sample, fmt", CASES, ids=IDS)
def test_printed_sample_has_the_same_projects(db, printed, sample, fmt):
    conn, doc_id = printed[(sample, fmt)]
    assert _projects(conn, doc_id) == _projects(db, _doc(db, sample))


@pytest.mark.parametrize("fmt", PRINTERS)
def test_text_figures_come_from_the_printed_paragraphs(db, printed, fmt):
    conn, doc_id = printed[("lianhu-2024-budget.txt", fmt)]
    expected = _figures(db, _doc(db, "lianhu-2024-budget.txt"))
    assert len(expected) > 50 and _figures(conn, doc_id) == expected


@pytest.mark.parametrize("fmt", PRINTERS)
def test_item_cites_table_index_and_row_number_not_a_page(printed, fmt):
    """2101504 信息化建设 in 表5: line = its row inside the printed table (header rows counted),
    page none; the raw text is the row as printed."""
    source = _source("lianhu-2024-budget.txt")
    table = next(t for t in source.tables if t.title.startswith("表5"))
    row = next(i for i, r in enumerate(table.rows) if r[0] == "2101504")
    conn, doc_id = printed[("lianhu-2024-budget.txt", fmt)]
    item = conn.execute("SELECT i.page, i.line, i.raw_text, t.line AS table_line FROM items_v i "
                        "JOIN source_tables t USING (table_id) WHERE i.doc_id = ? AND i.code = '2101504' "
                        "AND i.source_table LIKE '表5%' AND i.measure = '合计'", (doc_id,)).fetchone()
    assert item["page"] is None
    assert item["line"] == len(header_rows(table)) + row + 1
    assert "2101504" in item["raw_text"] and "200,000.00" in item["raw_text"]
    tables = [t.title for t in source.tables]
    assert item["table_line"] == tables.index(table.title) + 1  # the Nth table of the page


@pytest.mark.parametrize("fmt", PRINTERS)
def test_text_figure_cites_its_paragraph_index(printed, fmt):
    conn, doc_id = printed[("lianhu-2024-budget.txt", fmt)]
    rows = conn.execute("SELECT page, line, section FROM text_figures_v WHERE doc_id = ?", (doc_id,)).fetchall()
    assert rows and all(r["page"] is None and r["line"] for r in rows)
    assert any(r["section"] for r in rows)


def _one_table_doc(table: BudgetTable, issuer: str, year: int) -> ParsedDocument:
    raw = RawTable(title=table.title, columns=table.columns, rows=table.rows, unit=table.unit_line.split("：")[-1],
                   column_groups=table.groups if any(table.groups) else [])
    return ParsedDocument("printed", "printed", [raw], [], heading_lines=[f"{issuer}{year}年部门预算"])


@pytest.mark.parametrize("fmt", PRINTERS)
def test_qinghai_expenditure_table_printed_anew_ingests_to_the_same_items(db, tmp_path, fmt):
    """The 支出总表 whose blank cells the sample's PDF text lost, rebuilt from the store and
    printed with every cell in its column."""
    from test_generated_from_samples import _as_printed

    table_id, table = _as_printed(db, "青海省医疗保障局", "支出总表")
    path = PRINTERS[fmt](_one_table_doc(table, "青海省医疗保障局", 2021), tmp_path / f"qinghai.{fmt}")
    conn = _ingest(path, tmp_path / "q.db")
    [(printed_table,)] = conn.execute("SELECT table_id FROM source_tables WHERE title = '支出总表'").fetchall()
    ours = {tuple(r) for r in conn.execute("SELECT coalesce(code, ''), name, measure, amount_fen FROM items_v "
                                           "WHERE table_id = ?", (printed_table,))}
    theirs = {tuple(r) for r in db.execute("SELECT coalesce(code, ''), name, measure, amount_fen FROM items_v "
                                           "WHERE table_id = ?", (table_id,))}
    assert ours == theirs


@pytest.mark.parametrize("fmt", PRINTERS)
def test_fixture_budget_answers_from_a_page_and_a_word_file(tmp_path, fmt):
    """The small 支出总表 fixture end to end: ingest, then ask."""
    from assistant.engine import Assistant

    doc = _one_table_doc(BUDGET, ISSUER, 2025)
    conn = _ingest(PRINTERS[fmt](doc, tmp_path / f"budget.{fmt}"), tmp_path / "b.db")
    conn.close()
    answer = Assistant(tmp_path / "b.db").ask(f"{ISSUER}2025年社会保障和就业支出是多少？")
    assert answer.status == "answered" and answer.figures[0].value == Decimal("1566.45")


def test_sample_split_into_a_word_tables_file_and_a_web_page_text_is_one_budget(tmp_path):
    """Tables published as a .docx, the 说明 as a web page: one issuer, year and kind; a table
    figure cites the Word file's table, a text figure the page's section."""
    from dataclasses import replace

    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths

    source = _source("lianhu-2024-budget.txt")
    tables = make_budget_docx(replace(source, paragraphs=[]), tmp_path / "tables.docx")
    text = make_budget_page(replace(source, tables=[]), tmp_path / "text.html")
    report = ingest_paths([tables, text], tmp_path / "split.db")
    assert not report.failed, [r.message for r in report.failed]
    conn = sqlite3.connect(tmp_path / "split.db")
    rows = conn.execute("SELECT issuer, year, kind, part, layout FROM documents ORDER BY doc_id").fetchall()
    assert rows == [("西安市莲湖区医疗保障局（汇总）", 2024, "预算", "tables", "docx"),
                    ("西安市莲湖区医疗保障局（汇总）", 2024, "预算", "text", "html")]
    ask = Assistant(tmp_path / "split.db").ask
    table_answer = ask("莲湖区医疗保障局2024年信息化建设是多少？")
    assert table_answer.status == "answered" and (table_answer.figures[0].value, table_answer.figures[0].unit) == (Decimal("20"), "万元")
    assert table_answer.figures[0].source.table.startswith("表5")
    text_answer = ask("莲湖区医疗保障局2024年政府采购预算是多少？")
    assert text_answer.status == "answered" and text_answer.figures[0].value == Decimal("28.47")
    assert text_answer.figures[0].source.section == "八、政府采购情况说明"


def test_text_only_explanation_page_loads_and_answers_from_its_sentences(tmp_path):
    from assistant.engine import Assistant
    from fixtures_flow import make_text_only_page
    from ingest.pipeline import ingest_paths

    paragraphs = [("一、收支预算总体情况", "2025年收入预算1,566.45万元，支出预算1,566.45万元。"),
                  ("二、“三公”经费预算情况", "2025年“三公”经费预算12.50万元，比上年减少2.00万元。")]
    page = make_text_only_page(paragraphs, f"{ISSUER}2025年部门预算情况说明", tmp_path / "说明.html")
    report = ingest_paths([page], tmp_path / "text.db")
    assert not report.failed, [r.message for r in report.failed]
    answer = Assistant(tmp_path / "text.db").ask(f"{ISSUER}2025年“三公”经费预算是多少？")
    assert answer.status == "answered" and answer.figures[0].value == Decimal("12.50")
    assert answer.figures[0].source.section == "二、“三公”经费预算情况"
