"""Scanned budgets: pages without a text layer are read by OCR into the same tables as the
printed text, every OCR-read figure carries the engine's confidence, and the identities flag
the ones they cannot vouch for.

The slow tests OCR two pages of a published PDF once (a scanned copy made here; skipped when
../shared/real or the [ocr] extra is absent); the rest need no engine."""
from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SHARED
from ingest.readers import ocr
from ingest.model import IngestError, ParsedDocument, RawTable
from ingest.normalise.normalize import normalize
from ingest.normalise.ocr_checks import mark_ocr

QZFBAN = SHARED / "real" / "putuo-qzfban-2025-dept-budget.pdf"
INCOME_PAGES = [9, 10]  # 2025年部门收入预算总表, running on to its second page
SCANNED_PAGES = [1] + INCOME_PAGES  # with the cover, which names the year
needs_real = pytest.mark.skipif(not QZFBAN.is_file(), reason="../shared/real is not present")
needs_engine = pytest.mark.skipif(not ocr.available(), reason="the [ocr] extra is not installed")


# --- without the engine ----------------------------------------------------------------------

@needs_real
def test_scanned_pdf_without_the_extra_says_how_to_enable_ocr(tmp_path, monkeypatch):
    from ingest.pipeline import parse_file

    scan = ocr.scanned_copy(QZFBAN, tmp_path / "扫描件.pdf", pages=INCOME_PAGES, dpi=100)
    monkeypatch.setattr(ocr, "available", lambda: False)
    message = parse_file(scan)
    assert isinstance(message, str) and "扫描件.pdf" in message
    assert "pip install 'budgetqa[ocr]'" in message and "make setup" in message


@needs_real
def test_scanned_copy_has_images_and_no_text_layer(tmp_path):
    scan = ocr.scanned_copy(QZFBAN, tmp_path / "scan.pdf", pages=INCOME_PAGES, dpi=100)
    assert ocr.PageOcr(scan, scan.name).pages == [1, 2]
    assert ocr.PageOcr(QZFBAN, QZFBAN.name).pages == []  # a text PDF needs no OCR


def test_page_image_becomes_a_one_page_pdf(tmp_path):
    from PIL import Image

    path = tmp_path / "page.png"
    Image.new("L", (400, 300), 255).save(path)
    pdf = ocr.image_as_pdf(path)
    assert pdf.getvalue().startswith(b"%PDF") and ocr.PageOcr(pdf, path.name).pages == [1]


def test_broken_image_is_refused_with_its_name(tmp_path):
    path = tmp_path / "坏图.png"
    path.write_bytes(b"not an image")
    with pytest.raises(IngestError, match="坏图.png"):
        ocr.image_as_pdf(path)


def test_spaces_the_engine_puts_inside_a_number_are_dropped():
    assert ocr._clean("1, 097, 073.43") == "1,097,073.43"
    assert ocr._clean("1,867,680. 00") == "1,867,680.00"
    assert ocr._clean("９，１０１．６８万元") == "9,101.68万元"


def test_two_numbers_in_one_box_stay_two():
    assert ocr._clean("20.50 20.50") == "20.50 20.50"


def test_a_text_box_is_cut_where_a_ruling_line_crosses_it():
    v_runs = [(100, 0, 2, 50)]  # x, y, w, h of a vertical rule
    assert ocr._split_at_lines([(40, 10, 160, 40)], v_runs) == [(40, 10, 101, 40), (102, 10, 160, 40)]


def test_a_box_inside_a_wider_one_on_its_line_is_read_once():
    assert ocr._drop_covered([(10, 0, 200, 30), (190, 0, 205, 30)]) == [(10, 0, 200, 30)]


def test_ruling_lines_of_an_image_make_table_cells():
    import numpy as np

    image = np.full((400, 600), 255, dtype=np.uint8)
    for y in (50, 150, 250, 350):
        image[y:y + 2, 50:550] = 0
    for x in (50, 250, 550):
        image[50:352, x:x + 2] = 0
    h_runs, v_runs = ocr._ruling_runs(image)
    tables = ocr.ruled_tables(h_runs, v_runs, 72 / ocr.DPI)
    assert len(tables) == 1 and len(tables[0].cells) == 6  # three rows, two columns


def test_a_large_characters_stroke_is_no_ruling_line():
    import numpy as np

    image = np.full((400, 600), 255, dtype=np.uint8)
    image[100:160, 300:305] = 0  # a 60 px vertical stroke with no rule at either end
    assert ocr._ruling_runs(image) == ([], [])


# --- confidence and identities (no engine: OCR runs given as the reader records them) --------

def _ocr_doc(values: dict[str, str], confidences: dict[str, float]) -> ParsedDocument:
    rows = [[code, name, values[code]] for code, name in
            (("201", "一般公共服务支出"), ("20103", "政府办公厅（室）及相关机构事务"),
             ("2010301", "行政运行"), ("2010302", "一般行政管理事务"))]
    rows.append(["合计", "", values["合计"]])
    table = RawTable("2025年部门支出预算总表", ["科目编码", "科目名称", "合计"], rows, unit="元", page=1,
                     row_pages=[1] * len(rows))
    doc = ParsedDocument("scan.pdf", "pdf", [table], [], heading_lines=["某某局2025年部门预算"])
    doc.ocr = {1: [(values[k], confidences.get(k, 0.99)) for k in values]}
    return doc


GOOD = {"201": "300.00", "20103": "300.00", "2010301": "100.00", "2010302": "200.00", "合计": "300.00"}


def _items(parsed: ParsedDocument) -> dict[str, object]:
    doc = mark_ocr(normalize(parsed, {"issuer": "某某局", "year": 2025, "kind": "预算", "scope": "部门"}), parsed)
    return {item.code or item.name: item for item in doc.tables[0].items}


def test_ocr_figures_carry_the_confidence_of_their_text_box():
    items = _items(_ocr_doc(GOOD, {"2010301": 0.97}))
    assert items["2010301"].ocr_confidence == pytest.approx(0.97)
    assert not any(item.uncertain for item in items.values())


def test_a_misread_child_that_breaks_the_parent_sum_is_flagged_uncertain():
    misread = dict(GOOD, **{"2010301": "160.00"})  # printed 100.00: the 款 no longer adds up
    items = _items(_ocr_doc(misread, {}))
    assert items["2010301"].uncertain and items["2010302"].uncertain
    assert not items["20103"].uncertain  # 201 = 20103 and the 合计 still hold: its digits are vouched for


def test_a_low_confidence_figure_that_an_identity_confirms_is_trusted():
    items = _items(_ocr_doc(GOOD, {"2010302": 0.6}))
    assert not items["2010302"].uncertain


def test_printed_text_figures_have_no_ocr_confidence():
    parsed = _ocr_doc(GOOD, {})
    parsed.ocr = {}
    items = _items(parsed)
    assert all(item.ocr_confidence is None for item in items.values())


def test_citation_says_ocr_beside_the_source():
    from assistant.answer import Source

    source = Source("某某局2025年部门预算", table="支出总表", page=3, row=4, ocr_confidence=0.974)
    assert source.cite() == "《某某局2025年部门预算》支出总表，第3页，第4行（OCR识别，置信度0.97）"
    assert "OCR-read, confidence 0.97" in source.cite(english=True)
    assert source.to_json()["ocr_confidence"] == 0.974
    assert "ocr_confidence" not in Source("某某局2025年部门预算", table="支出总表").to_json()


# --- real pages, scanned and read (slow: ≈20–60 s of OCR on two shared cores) -----------------

@pytest.fixture(scope="module")
def scanned_store(tmp_path_factory):
    """Two pages of a published budget, scanned and ingested; the same pages' text layer read."""
    if not QZFBAN.is_file():
        pytest.skip("../shared/real is not present")
    if not ocr.available():
        pytest.skip("the [ocr] extra is not installed")
    from ingest.readers.pdf_reader import read_pdf
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("scan")
    scan = ocr.scanned_copy(QZFBAN, folder / "qzfban-scan.pdf", pages=SCANNED_PAGES)
    text = folder / "qzfban-text.pdf"
    _text_pages(QZFBAN, text, SCANNED_PAGES)
    store = folder / "scan.db"
    pages: list[tuple[str, int, int]] = []
    ocr.configure(jobs=1, progress=lambda name, done, total: pages.append((name, done, total)))
    try:
        report = ingest_paths([scan], store)
    finally:
        ocr.configure(jobs=1, progress=None)
    assert not report.failed, [r.message for r in report.failed]
    printed = {(t.title, it.row_no, it.column_label): it.amount_fen
               for t in normalize(read_pdf(text)).tables for it in t.items}
    conn = sqlite3.connect(store)
    conn.row_factory = sqlite3.Row
    return conn, report.results[0].doc_id, printed, pages, store


def _text_pages(source: Path, target: Path, pages: list[int]) -> None:
    import pypdfium2 as pdfium

    part = pdfium.PdfDocument.new()
    part.import_pages(pdfium.PdfDocument(str(source)), [p - 1 for p in pages])
    part.save(str(target))


@needs_engine
@needs_real
def test_scanned_budget_page_reproduces_the_text_layer_figures(scanned_store):
    conn, scan_id, printed, _, _ = scanned_store
    scanned = {(r["source_table"], r["row_no"], r["column_label"]): r["amount_fen"] for r in conn.execute(
        "SELECT source_table, row_no, column_label, amount_fen FROM items_v WHERE doc_id = ?", (scan_id,))}
    assert len(printed) >= 40
    exact = sum(1 for key, fen in printed.items() if scanned.get(key) == fen)
    assert exact >= 0.95 * len(printed)
    assert scanned[("2025年部门收入预算总表", 1, "合计")] == 8_209_679_742  # 一般公共服务支出 82,096,797.42元


@needs_engine
@needs_real
def test_every_scanned_figure_is_marked_ocr(scanned_store):
    conn, scan_id, _, _, _ = scanned_store
    unmarked = conn.execute("SELECT count(*) FROM items_v WHERE ocr_confidence IS NULL").fetchone()[0]
    assert unmarked == 0 and conn.execute("SELECT count(*) FROM items_v").fetchone()[0] > 0


@needs_engine
@needs_real
def test_ocr_progress_is_reported_per_page(scanned_store):
    assert [(done, total) for _, done, total in scanned_store[3]] == [(1, 3), (2, 3), (3, 3)]


@needs_engine
@needs_real
def test_answer_from_a_scanned_budget_cites_ocr(scanned_store):
    from assistant.engine import Assistant

    answer = Assistant(scanned_store[4]).ask("区政府办公室2025年一般公共服务支出是多少元")
    cited = [f for f in answer.figures if f.source.ocr_confidence is not None]
    assert answer.status == "answered" and cited, answer.answer
    assert Decimal("82096797.42") in {f.value for f in cited}
    assert "OCR识别" in answer.answer


def test_cli_progress_is_one_stderr_line_per_page(capsys):
    ocr.stderr_progress("扫描件.pdf", 2, 5)
    assert capsys.readouterr().err == "OCR 扫描件.pdf：第 2/5 页\n"


@needs_engine
@needs_real
def test_a_photographed_page_image_is_read_like_a_scanned_page(tmp_path):
    import pypdfium2 as pdfium

    from ingest.readers.pdf_reader import read_pdf

    page = pdfium.PdfDocument(str(QZFBAN))[INCOME_PAGES[0] - 1]
    image = page.render(scale=150 / 72).to_pil()
    path = tmp_path / "收入总表.png"
    image.crop((0, 0, image.width, image.height * 3 // 5)).save(path, dpi=(150, 150))  # title and first rows
    doc = read_pdf(path)
    table = next(t for t in doc.tables if "收入预算总表" in t.title)
    assert ["201", "", "", "一般公共服务支出", "82,096,797.42", "82,096,797.42"] == table.rows[0][:6]
    assert doc.ocr and all(conf > 0.5 for _, conf in doc.ocr[1])


def test_a_number_the_detector_broke_in_two_is_read_as_one_box():
    assert ocr._merge_close([(100, 10, 180, 40), (186, 11, 230, 40)], []) == [(100, 10, 230, 40)]


def test_boxes_either_side_of_a_ruling_line_stay_apart():
    pieces = [(100, 10, 180, 40), (186, 11, 230, 40)]
    assert ocr._merge_close(pieces, [(182, 0, 2, 60)]) == pieces


def test_characters_of_a_box_tile_it_in_reading_order():
    # the engine placed the fourth '0' left of the third: its positions are not trusted
    word_boxes = [[[x, 0], [x + 8, 0], [x + 8, 30], [x, 30]] for x in (0, 10, 20, 18, 40)]
    chars = ocr._box_chars((0, 0, 50, 30), "10000", 0.99, [word_boxes, list("10000"), [0.99] * 5], 1.0)
    assert "".join(c.text for c in chars) == "10000"
    assert all(a.x1 == b.x0 for a, b in zip(chars, chars[1:]))


def test_a_lone_round_glyph_is_a_zero():
    assert ocr._clean("O") == "0" and ocr._clean("〇") == "0"
    assert ocr._clean("二〇二四年") == "二〇二四年"


def test_a_lone_zero_read_as_a_full_stop_is_a_zero():
    # 万里街道 收入预算总表, 事业收入 of 20406: the recogniser read the cell's "0" as "。"
    assert ocr._clean("。") == "0"
    assert ocr._clean("主要用于。") == "主要用于。"


def test_a_line_of_a_ruled_cell_no_text_box_covers_is_read_too():
    # 江苏省委办公厅 公开09表: the detector found '费' but not '公务用车购置' above it in the cell
    import numpy as np

    ink = np.zeros((200, 300), dtype=bool)
    ink[40:70, 50:250] = True  # the line the detector missed
    ink[100:130, 130:160] = True  # the line it found
    found = [(125, 95, 165, 135)]
    boxes = ocr._unread_cells(ink, found, [[(10, 10, 290, 190)]])
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert x0 <= 50 and x1 >= 250 and y0 <= 40 and y1 >= 70 and y1 < 95


def test_a_speck_in_a_ruled_cell_is_not_read():
    import numpy as np

    ink = np.zeros((200, 300), dtype=bool)
    ink[50:53, 50:53] = True
    assert ocr._unread_cells(ink, [], [[(10, 10, 290, 190)]]) == []


def test_overlapping_boxes_on_a_line_are_read_as_one():
    # 普陀区商务委 收入预算总表, 208 财政拨款收入: '3,808，' and '8,085.00' overlapped, read '3,808,，085.00'
    assert ocr._merge_close([(1304, 1133, 1419, 1166), (1380, 1134, 1515, 1166)], []) == [(1304, 1133, 1515, 1166)]
