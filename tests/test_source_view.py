"""A cited figure's source: the PDF page drawn with the figure boxed, or its text lines."""
from __future__ import annotations

import io
import shutil

import pytest

from assistant.answer import Source
from assistant.engine import Assistant
from assistant.source_view import locate, missing_message, render_page, text_lines
from fixtures_build import make_ruled_pdf
from ingest.pipeline import ingest_paths


@pytest.fixture()
def pdf_store(tmp_path):
    pdf = make_ruled_pdf(tmp_path / "budget.pdf")
    db = tmp_path / "store.db"
    assert not ingest_paths([pdf], db).failed
    return pdf, db


def _figure(db, question):
    answer = Assistant(db).ask(question)
    assert answer.status == "answered", answer.answer
    return answer.figures[0], Assistant(db).conn


def test_pdf_figure_is_located_on_its_page_with_its_box(pdf_store):
    pdf, db = pdf_store
    figure, conn = _figure(db, "某某区医疗保障局2025年机关事业单位基本养老保险缴费支出是多少？")
    place = locate(conn, figure.source)
    assert place.can_draw() and place.page == 1 and place.box is not None
    assert place.file_name == "budget.pdf" and place.path == pdf


def test_page_image_marks_the_box(pdf_store):
    from PIL import Image

    pdf, db = pdf_store
    figure, conn = _figure(db, "某某区医疗保障局2025年机关事业单位基本养老保险缴费支出是多少？")
    place = locate(conn, figure.source)
    image = Image.open(io.BytesIO(render_page(place.path, place.page, place.box, width=842))).convert("RGB")
    scale = image.width / 842
    x0, top, x1, bottom = place.box
    inside = image.getpixel((int((x0 + 2) * scale), int((top + bottom) / 2 * scale)))
    outside = image.getpixel((5, 5))
    assert outside == (255, 255, 255)
    assert inside != (255, 255, 255) and inside[2] < inside[0]  # yellow over white


def test_page_the_file_lacks_is_refused_in_chinese(pdf_store):
    pdf, _ = pdf_store
    with pytest.raises(ValueError, match="没有第 9 页"):
        render_page(pdf, 9)


def test_missing_file_is_said_by_its_name_only(tmp_path):
    folder = tmp_path / "uploads"
    folder.mkdir()
    pdf = make_ruled_pdf(folder / "budget.pdf")
    db = tmp_path / "store.db"
    assert not ingest_paths([pdf], db).failed
    shutil.rmtree(folder)
    figure, conn = _figure(db, "某某区医疗保障局2025年机关事业单位基本养老保险缴费支出是多少？")
    place = locate(conn, figure.source)
    assert place.missing and not place.can_draw() and place.page == 1
    message = missing_message(place)
    assert "budget.pdf" in message and str(folder) not in message


def test_text_figure_shows_its_lines(assistant):
    answer = assistant.ask("哪个单位的机关运行经费最多？")
    beidaihe = next(f for f in answer.figures if "北戴河" in f.label)
    place = locate(assistant.conn, beidaihe.source)
    assert place.sentence and "8.34元" in place.sentence and not place.is_pdf
    lines = dict(text_lines(place.path, place.line))
    assert "8.34元" in lines[place.line] and len(lines) == 7


def test_table_figure_of_a_text_file_points_at_its_row(assistant):
    answer = assistant.ask("青海省医疗保障局2021年住房公积金是多少？")
    place = locate(assistant.conn, answer.figures[0].source)
    assert place.table_id and place.row == 29 and not place.can_draw()


def test_figure_of_a_removed_document_has_no_place(assistant):
    assert locate(assistant.conn, Source("没有这份文档")) is None
