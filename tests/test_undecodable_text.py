"""A PDF whose fonts were embedded without their ToUnicode map has a text layer of glyph
numbers ("(cid:3176)…"), not text. Its pages are read by OCR like scanned ones; without OCR the
file is refused naming those pages, never loaded as if it were not a budget."""
from __future__ import annotations

import pytest

from conftest import SHARED
from ingest.readers import ocr

SOURCE = SHARED / "real" / "putuo-shangwuwei-2025-dept-budget.pdf"
pytestmark = pytest.mark.skipif(not SOURCE.is_file(), reason="../shared/real is not present")


@pytest.fixture(scope="module")
def undecodable_page(tmp_path_factory):
    """Page 9 of a published budget (its 财务收支预算总表), with the fonts' ToUnicode maps
    renamed away: the glyphs draw as before, the text layer decodes to glyph numbers."""
    import pypdfium2 as pdfium

    folder = tmp_path_factory.mktemp("undecodable")
    source = pdfium.PdfDocument(str(SOURCE))
    page = pdfium.PdfDocument.new()
    page.import_pages(source, [8])
    page.save(folder / "page.pdf")
    data = (folder / "page.pdf").read_bytes()
    assert b"/ToUnicode" in data
    path = folder / "商务委-总表.pdf"
    path.write_bytes(data.replace(b"/ToUnicode", b"/ToUnicodX"))  # same length: offsets stay right
    return path


def test_without_ocr_the_undecodable_pages_are_named(undecodable_page, monkeypatch):
    from ingest.pipeline import parse_file

    monkeypatch.setattr(ocr, "available", lambda: False)
    message = parse_file(undecodable_page)
    assert "第 1 页的文字层无法解码" in message and "pip install" in message


@pytest.mark.skipif(not ocr.available(), reason="the [ocr] extra is not installed")
def test_an_undecodable_page_is_read_by_ocr_and_marked(undecodable_page, tmp_path):
    import sqlite3

    from ingest.pipeline import ingest_paths

    db = tmp_path / "ocr.db"
    report = ingest_paths([undecodable_page], db, overrides={"issuer": "上海市普陀区商务委员会", "year": 2025})
    assert not report.failed, [r.message for r in report.failed]
    rows = sqlite3.connect(db).execute(
        "SELECT amount_fen, ocr_confidence FROM line_items WHERE name LIKE '%财政拨款收入%'").fetchall()
    assert rows and rows[0][0] == 37151465500 and rows[0][1] is not None
