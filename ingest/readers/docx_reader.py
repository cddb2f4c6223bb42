"""Read a Word file (.docx): its paragraphs and tables, in the order the body holds them.

Opened with python-docx; the body is walked at the XML level (paragraphs, tables, and the
content controls Word wraps cover pages and contents in), because python-docx's own
iteration skips content controls and repeats merged cells. A table's merged cells come from
its grid: `gridSpan` spans columns, `vMerge` continues the cell above, `gridBefore` leaves
columns empty; a table with a table inside it, or with one column, is layout and is read as
text. Text in text boxes (cover pages set the issuer in one) is read once, before the
paragraph that anchors it; field codes, deleted text and page headers/footers are not read.

Headings: Word's 标题/Heading styles (and outline levels) mark sections, its Title style the
document's title; numbered short lines (一、…) are headings as in every other format, with the
number Word's automatic numbering shows put in front (ingest/readers/docx_numbering.py).

What the lines and grids are is decided by ingest/readers/blocks.py, the same as for web pages; a
Word file has no fixed pages, so provenance is the paragraph index, the table index and the
row number inside the table (see ingest/readers/blocks.py). An old binary .doc is refused with what
to do (save it as .docx); a .doc that is really a web page (Word's "save as web page") is read
as one.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ingest.readers.blocks import Block, GridBlock, Placed, TextBlock, assemble, grid_from_cells
from ingest.readers.docx_numbering import Numbering
from ingest.model import IngestError, ParsedDocument
from ingest.readers.pdf_reader import join_wrapped

SUFFIXES = (".docx", ".docm", ".doc")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def read_docx(path: str | Path) -> ParsedDocument:
    """Tables and paragraphs of a budget in a Word file.

    Raises IngestError, naming the file, for an old .doc, a damaged file, or one with no
    budget table and no budget text."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"{path}：文件不存在。请检查路径。")
    data = path.read_bytes()
    if not data:
        raise IngestError(f"{path.name}：文件是空的（0 字节），可能下载或复制没有完成。请重新获取文件。")
    if not data.startswith(b"PK"):
        return _not_a_docx(path, data)
    document = _open(path)
    word = _Word(_style_levels(document), Numbering(document))
    blocks = list(_body_blocks(document.element.body, word))
    return assemble(path, "docx", blocks, [], "Word 文件")


def _not_a_docx(path: Path, data: bytes) -> ParsedDocument:
    head = data[:1024].lstrip()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(f"{path.name}：这是旧版 Word 文件（.doc），无法直接读取。"
                          f"请用 Word 或 WPS 打开，“另存为” .docx 格式后再导入。")
    if data.startswith(b"%PDF-"):
        raise IngestError(f"{path.name}：扩展名是 {path.suffix}，但内容是 PDF。请改名为 .pdf 后再导入。")
    if data.startswith(b"{\\rtf"):
        raise IngestError(f"{path.name}：这是 RTF 格式，不是 .docx。请用 Word 或 WPS 打开，“另存为” .docx 格式后再导入。")
    if re.match(rb"(?i)(<!doctype html|<html|<\?xml[^>]*>\s*<html)", head) or re.search(rb"(?i)<html[\s>]", head):
        from ingest.readers.html_reader import read_html  # Word's "save as web page", named .doc
        return read_html(path)
    if head.startswith(b"MIME-Version") and b"text/html" in data[:65536].lower():
        from ingest.readers.html_reader import read_html  # Word's "save as single file web page", named .doc
        return read_html(path)
    raise IngestError(f"{path.name}：扩展名是 {path.suffix}，但内容不是 Word 文档。"
                      f"请确认文件；如果是 Word 文件，请用 Word 或 WPS 打开后另存为 .docx 再导入。")


def _open(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise IngestError(f"{path.name}：Word 文件已损坏或不完整，无法打开（{type(exc).__name__}）。"
                          f"请重新下载，或用 Word/WPS 打开后另存为 .docx 再导入。") from None
    except Exception as exc:  # lxml's XMLSyntaxError and the like: a damaged part inside the zip
        raise IngestError(f"{path.name}：Word 文件内容已损坏，无法读取（{type(exc).__name__}）。"
                          f"请重新下载，或用 Word/WPS 打开后另存为 .docx 再导入。") from None


# --- styles ------------------------------------------------------------------------------------

def _style_levels(document) -> dict[str, int]:
    """Paragraph style id → 0 for the document title, 1–6 for headings (via base styles too)."""
    from docx.enum.style import WD_STYLE_TYPE

    levels: dict[str, int] = {}
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        level = None
        seen = 0
        current = style
        while current is not None and level is None and seen < 10:
            level = _name_level(current.name or "") if level is None else level
            if level is None:
                level = _outline_level(current.element)
            current, seen = current.base_style, seen + 1
        if level is not None:
            levels[style.style_id] = level
    return levels


CONTENTS = -1  # a style of the table of contents ("TOC 1", "目录 1"): its entries are no text


def _name_level(name: str) -> int | None:
    name = name.strip().lower()
    if name in ("title", "标题"):
        return 0
    if re.fullmatch(r"(toc|目录)\s*\d", name):
        return CONTENTS
    m = re.fullmatch(r"(?:heading|标题)\s*([1-6])", name)
    return int(m.group(1)) if m else None


def _outline_level(el) -> int | None:
    found = el.find(f"{W}pPr/{W}outlineLvl")
    if found is None:
        return None
    try:
        value = int(found.get(f"{W}val"))
    except (TypeError, ValueError):
        return None
    return value + 1 if 0 <= value <= 5 else None


# --- the body ----------------------------------------------------------------------------------

@dataclass
class _Word:
    """What the body walk needs from the rest of the file."""

    styles: dict[str, int]  # paragraph style id → heading level (see _style_levels)
    numbering: Numbering


def _body_blocks(container, word: _Word):
    for child in container.iterchildren():
        tag = child.tag
        if tag == f"{W}p":
            yield from _paragraph_blocks(child, word)
        elif tag == f"{W}tbl":
            yield from _table_blocks(child, word)
        elif tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None and not _is_contents(child):
                yield from _body_blocks(content, word)
        elif tag in (f"{W}customXml", f"{W}smartTag"):
            yield from _body_blocks(child, word)


def _is_contents(sdt) -> bool:
    """Word's table of contents (a content control of the "Table of Contents" gallery)."""
    gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return gallery is not None and "contents" in (gallery.get(f"{W}val") or "").lower()


def _paragraph_blocks(p, word: _Word) -> list[Block]:
    """Text boxes anchored in the paragraph, then its own lines (none for a contents entry)."""
    blocks: list[Block] = []
    for box in p.iter(f"{W}txbxContent"):
        if not any(a.tag == MC_FALLBACK for a in box.iterancestors()):  # the same box again, for old readers
            for inner in box.iterchildren(f"{W}p"):
                blocks += [TextBlock(line) for line in paragraph_lines(inner)]
    level = _paragraph_level(p, word.styles)
    if level == CONTENTS:
        return blocks
    lines = paragraph_lines(p)
    label = word.numbering.label(p)  # counted even for an empty paragraph, as Word counts it
    if label and lines:
        lines[0] = label + lines[0].lstrip()
    for line in lines:
        blocks.append(TextBlock(line, heading=level is not None and level >= 1, title=level == 0))
    return blocks


def _paragraph_level(p, styles: dict[str, int]) -> int | None:
    own = _outline_level(p)
    if own is not None:
        return own
    style = p.find(f"{W}pPr/{W}pStyle")
    return styles.get(style.get(f"{W}val")) if style is not None else None


def paragraph_lines(p) -> list[str]:
    """The paragraph's text as shown, split at manual line breaks; text boxes, field codes and
    deleted text left out."""
    parts: list[str] = []
    for el in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}noBreakHyphen"):
        if _inside_box(el, p):
            continue
        if el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.tag == f"{W}tab":
            parts.append(" ")
        elif el.tag == f"{W}noBreakHyphen":
            parts.append("-")
        else:
            parts.append("\n")
    return [line for line in "".join(parts).split("\n") if line.strip()]


# Text boxes (read as their own lines), their fallback copies, deleted and moved-away text.
_NOT_SHOWN = {f"{W}txbxContent", MC_FALLBACK, f"{W}del", f"{W}moveFrom"}


def _inside_box(el, p) -> bool:
    """Whether `el` is not shown as the paragraph's own text: it sits in a text box anchored in
    paragraph `p`, in its fallback copy, or in tracked deleted or moved-away text."""
    for a in el.iterancestors():
        if a is p:
            return False
        if a.tag in _NOT_SHOWN:
            return True
    return False


def _table_blocks(tbl, word: _Word) -> list[Block]:
    rows = [tr for tr in tbl.iter(f"{W}tr") if _table_of(tr) is tbl]  # also rows inside content controls
    nested = tbl.find(f".//{W}tbl") is not None
    widths = [_row_width(tr) for tr in rows]
    if nested or max(widths, default=0) < 2:  # layout: read what the cells hold
        blocks: list[Block] = []
        for tr in rows:
            for tc in tr.iter(f"{W}tc"):
                if tc.getparent() is tr or tc.getparent().tag == f"{W}sdtContent":
                    blocks += list(_body_blocks(tc, word))
        return blocks
    return [table_grid(rows)]


def _cells(tr) -> list:
    return [el for el in tr.iter(f"{W}tc") if _row_of(el) is tr]


def _table_of(tr):
    for a in tr.iterancestors(f"{W}tbl"):
        return a
    return None


def _row_of(tc):
    for a in tc.iterancestors(f"{W}tr"):
        return a
    return None


def _int_val(el, path: str, default: int) -> int:
    found = el.find(path)
    if found is None:
        return default
    try:
        return max(int(found.get(f"{W}val")), 0)
    except (TypeError, ValueError):
        return default


def _row_width(tr) -> int:
    return _int_val(tr, f"{W}trPr/{W}gridBefore", 0) + sum(
        max(_int_val(tc, f"{W}tcPr/{W}gridSpan", 1), 1) for tc in _cells(tr))


def table_grid(rows: list) -> GridBlock:
    """Cells placed on the table's grid; a `vMerge` continuation lengthens the cell above."""
    cells: list[Placed] = []
    open_at: dict[int, int] = {}  # column → index in `cells` of the cell a vMerge may continue
    for r, tr in enumerate(rows):
        c = _int_val(tr, f"{W}trPr/{W}gridBefore", 0)
        for tc in _cells(tr):
            span = max(_int_val(tc, f"{W}tcPr/{W}gridSpan", 1), 1)
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            continues = merge is not None and merge.get(f"{W}val") in (None, "continue")
            if continues and c in open_at:
                k = open_at[c]
                r0, c0, rs, cs, text = cells[k]
                cells[k] = (r0, c0, r - r0 + 1, cs, text)
            else:
                open_at[c] = len(cells)
                cells.append((r, c, 1, span, _cell_text(tc)))
            c += span
    return grid_from_cells(cells, len(rows))


def _cell_text(tc) -> str:
    lines = [line for p in tc.iter(f"{W}p") for line in paragraph_lines(p)]
    return join_wrapped(lines)
