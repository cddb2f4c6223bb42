"""Where a cited figure was printed, and a picture of it: the check an official does by hand.

`locate` finds a figure's place from the store (document file, page, the box stored at
ingest, the table row or the text line); `render_page` draws a PDF page as a PNG with that box
marked; `text_lines` gives the lines around a figure of a text file. The app shows these in
one click under every answer; nothing here depends on Streamlit.
"""
from __future__ import annotations

import io
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .answer import Source

Box = tuple[float, float, float, float]


@dataclass
class Place:
    """A cited figure's place in its source file."""

    document: str
    file_name: str  # the file's own name; never the server's folder
    path: Path | None  # the file on this machine, None when it is no longer there
    page: int | None
    box: Box | None  # PDF points from the page's top-left: x0, top, x1, bottom
    table_id: int | None
    row: int | None
    line: int | None
    sentence: str | None  # a figure of the explanatory text

    @property
    def is_pdf(self) -> bool:
        return self.file_name.lower().endswith(".pdf")

    @property
    def missing(self) -> bool:
        return self.path is None

    def can_draw(self) -> bool:
        """The page can be shown as an image with the figure boxed."""
        return self.path is not None and self.is_pdf and bool(self.page)


_QUERIES = {
    "item": """SELECT d.title, d.source_file, li.page, li.bbox, li.table_id, li.row_no, li.line, NULL
               FROM line_items li JOIN documents d ON d.doc_id = li.doc_id WHERE li.item_id = ?""",
    "text": """SELECT d.title, d.source_file, f.page, f.bbox, NULL, NULL, f.line, f.sentence
               FROM text_figures f JOIN documents d ON d.doc_id = f.doc_id WHERE f.figure_id = ?""",
    "project": """SELECT d.title, d.source_file, p.page, NULL, p.table_id, p.row_no, p.line, NULL
                  FROM projects p JOIN documents d ON d.doc_id = p.doc_id WHERE p.project_id = ?""",
    "indicator": """SELECT d.title, d.source_file, i.page, NULL, i.table_id, i.row_no, i.line, NULL
                    FROM indicators i JOIN documents d ON d.doc_id = i.doc_id WHERE i.indicator_id = ?""",
}


def locate(conn: sqlite3.Connection, source: Source) -> Place | None:
    """The figure's place, from the row it cites (or, without one, its document); None when
    the document is no longer loaded."""
    row = None
    if source.ref_kind in _QUERIES and source.item_id:
        try:
            row = conn.execute(_QUERIES[source.ref_kind], (source.item_id,)).fetchone()
        except sqlite3.OperationalError:  # a store made before boxes were kept: no bbox column
            row = conn.execute(_QUERIES[source.ref_kind].replace("li.bbox", "NULL").replace("f.bbox", "NULL"),
                               (source.item_id,)).fetchone()
    if row is None:
        doc = conn.execute("SELECT title, source_file FROM documents WHERE title = ?", (source.document,)).fetchone()
        if doc is None:
            return None
        row = (doc[0], doc[1], source.page, None, source.table_id, source.row, source.line, None)
    title, source_file, page, bbox, table_id, row_no, line, sentence = row
    path = Path(source_file)
    return Place(title, path.name, path if path.is_file() else None, page, _box(bbox), table_id, row_no, line,
                 sentence)


def _box(text: str | None) -> Box | None:
    if not text:
        return None
    try:
        values = json.loads(text)
    except ValueError:
        return None
    return tuple(float(v) for v in values) if isinstance(values, list) and len(values) == 4 else None


HIGHLIGHT = (255, 214, 0, 90)  # a marker's yellow, see-through
OUTLINE = (214, 40, 40, 255)


def render_page(path: Path, page: int, box: Box | None = None, width: int = 1100) -> bytes:
    """PNG of page `page` (1-based) of the PDF, `width` pixels wide, with `box` filled and
    outlined. Raises ValueError, in Chinese, for a page the file does not have."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    pdf = pdfium.PdfDocument(str(path))
    try:
        if not 1 <= page <= len(pdf):
            raise ValueError(f"{path.name} 只有 {len(pdf)} 页，没有第 {page} 页。")
        pdf_page = pdf[page - 1]
        page_width, _ = pdf_page.get_size()
        scale = width / page_width
        image = pdf_page.render(scale=scale).to_pil().convert("RGBA")
        pdf_page.close()
    finally:
        pdf.close()
    if box:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        pad = 2 * scale
        rect = [box[0] * scale - pad, box[1] * scale - pad, box[2] * scale + pad, box[3] * scale + pad]
        draw.rectangle(rect, fill=HIGHLIGHT, outline=OUTLINE, width=max(2, round(1.2 * scale)))
        image = Image.alpha_composite(image, overlay)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()


def text_lines(path: Path, line: int, context: int = 3) -> list[tuple[int, str]]:
    """(line number, text) of the lines around `line` (1-based) of a text file; [] when the
    file cannot be read as text."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with path.open(encoding=encoding) as handle:
                out = []
                for n, text in enumerate(handle, 1):
                    if n > line + context:
                        break
                    if n >= line - context:
                        out.append((n, text.rstrip("\r\n")))
                return out
        except (UnicodeDecodeError, OSError):
            continue
    return []


def missing_message(place: Place) -> str:
    """What to tell the user when the source file is gone."""
    return (f"原文件 {place.file_name} 已不在服务器上（可能已移动或删除），无法显示原页；"
            f"下面是入库时保存的内容。重新导入该文件即可再看原页。")
