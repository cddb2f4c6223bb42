"""Read a budget PDF: ruled tables by their cell geometry, unruled ones by word positions, and
the explanatory text as paragraphs under their section headings.

Nothing here interprets amounts: a cell stays as printed and a blank cell stays "" in its
column; ingest/normalise/normalize.py decides what the cells mean. The steps, each inspectable:

1. characters → text lines, grouped by vertical overlap rather than by baseline, so a figure
   that its font sets a few points lower (财政局's Times New Roman digits inside FangSong text)
   stays inside its sentence instead of falling onto a line of its own;
2. ruled tables from pdfplumber's `find_tables` (once per page, only on pages that draw lines),
   every character placed in the cell that holds its centre;
3. the lines outside ruled tables → table titles, units and notes; unruled tables (a title, then
   lines whose words fall into columns); prose;
4. across pages: a table that runs on is joined (a repeated header dropped), header rows become
   one leaf label per column plus the label of the cell spanning it (`grid_to_table`), prose
   lines become paragraphs under the nearest heading.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.readers.guards import PdfBudget
from ingest.model import Box, IngestError, Paragraph, ParsedDocument, RawTable, union_box
from ingest.textutil import find_unit, parse_amount

# --- text normalization --------------------------------------------------------------------

def _char_table() -> dict[int, str]:
    """Full-width digits/letters and radical look-alikes to plain forms; Chinese punctuation
    （），：；“” stays as printed."""
    table: dict[int, str] = {}
    ranges = [(0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A),  # ０-９ Ａ-Ｚ ａ-ｚ
              (0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF)]  # radicals, compat ideographs
    for lo, hi in ranges:
        for cp in range(lo, hi + 1):
            norm = unicodedata.normalize("NFKC", chr(cp))
            if norm != chr(cp):
                table[cp] = norm
    for ch in "．％＋－／":
        table[ord(ch)] = unicodedata.normalize("NFKC", ch)
    for ch in "\u3000\u00a0\u2002\u2003\u2009":
        table[ord(ch)] = " "
    return table


_CHAR_TABLE = _char_table()


def norm_text(text: str) -> str:
    return text.translate(_CHAR_TABLE)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def join_wrapped(parts: list[str]) -> str:
    """Lines of one cell or paragraph: nothing between Chinese characters or digits, a space
    between two Latin words."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and part[0].isascii() and part[0].isalpha():
            out += " "
        out += part
    return out


def _label(text: str) -> str:
    """A header label: wrapped lines joined, letter-spacing removed ('项　　目' → '项目')."""
    text = join_wrapped(text.split("\n"))
    if any(_is_cjk(ch) for ch in text):
        text = text.replace(" ", "")
    return text


# --- the grid shared by ruled PDF tables, unruled PDF tables and spreadsheets --------------

@dataclass
class Grid:
    """A table as a matrix of cell ids: `owner[r][c]` is the id of the cell covering row r,
    column c (-1: no cell there); a merged cell covers several positions with one id."""

    owner: list[list[int]]
    texts: list[str]
    row_pages: list[int | None] = field(default_factory=list)
    row_lines: list[int | None] = field(default_factory=list)
    boxes: list[Box | None] = field(default_factory=list)  # per cell id, where the reader knows it

    @property
    def width(self) -> int:
        return len(self.owner[0]) if self.owner else 0

    def text_at(self, r: int, c: int) -> str | None:
        """The cell's text at its top-left position, None where a merged cell continues."""
        cid = self.owner[r][c]
        if cid < 0:
            return ""
        if (c > 0 and self.owner[r][c - 1] == cid) or (r > 0 and self.owner[r - 1][c] == cid):
            return None
        return self.texts[cid]

    def row_texts(self, r: int) -> list[str | None]:
        return [self.text_at(r, c) for c in range(self.width)]

    def drop_rows(self, rows: set[int]) -> None:
        keep = [r for r in range(len(self.owner)) if r not in rows]
        self.owner = [self.owner[r] for r in keep]
        if self.row_pages:
            self.row_pages = [self.row_pages[r] for r in keep]
        if self.row_lines:
            self.row_lines = [self.row_lines[r] for r in keep]


TOTAL_WORDS = ("合计", "总计", "小计", "本年收入合计", "本年支出合计", "收入总计", "支出总计", "总合计")
_NUMBERED = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d))")
_CODE_PARTS = ("类", "款", "项")
_CODE_START = re.compile(r"^\d{3,}(?!\d|\s*[年月日%％])")  # 2080505 / 201 一般… but not 2024年…


def is_amount_cell(text: str | None) -> bool:
    """A printed amount, but not a bare year ('2024') that a header may print."""
    if not text:
        return False
    t = text.replace(" ", "")
    return parse_amount(t) is not None and not re.fullmatch(r"(19|20)\d\d", t)


def is_body_row(texts: list[str | None], after_header: bool) -> bool:
    """The first row that is data rather than header: an amount, a code, '一、…', or a total
    label standing alone below a header."""
    cells = [t for t in texts if t]
    if not cells:
        return False
    first = cells[0].replace(" ", "")
    if first.startswith("栏次"):
        return False
    if any(is_amount_cell(t) for t in cells):
        return True
    if _CODE_START.match(first) or _NUMBERED.match(first):
        return True
    return after_header and len(cells) == 1 and first.rstrip("：:") in TOTAL_WORDS


def _code_part_split(texts: list[str | None]) -> list[int]:
    """Columns of a row that begins 类 | 款 | 项 (决算 forms print them in the 合计 row)."""
    cols = [c for c, t in enumerate(texts) if t]
    labels = [texts[c].replace(" ", "") for c in cols[:3]]  # type: ignore[union-attr]
    for n in (3, 2):
        if labels[:n] == list(_CODE_PARTS[:n]) and cols[n - 1] - cols[0] == n - 1:
            return cols[:n]
    return []


def is_column_numbers(texts: list[str | None]) -> bool:
    """The row under a header that numbers the columns: '栏次 | 1 | 2 | 3', or '1 | 2 | 3'
    alone (决算 forms). Its numbers are no amounts and no part of the labels."""
    cells = [t.replace(" ", "") for t in texts if t and t.strip()]
    if cells and cells[0].startswith("栏次"):
        return True
    numbers = [c for c in cells if c not in ("甲", "乙", "丙")]
    return (len(numbers) >= 2 and all(c.isdigit() for c in numbers)
            and [int(c) for c in numbers] == list(range(int(numbers[0]), int(numbers[0]) + len(numbers))))


def header_rows(grid: Grid, max_rows: int = 8) -> tuple[int, list[int]]:
    """(number of header rows, columns of a 类/款/项 row that is also the first body row)."""
    seen_header = False
    nonblank = 0
    first_nonblank = None
    for r in range(len(grid.owner)):
        texts = grid.row_texts(r)
        if not any(texts):
            continue
        nonblank += 1
        first_nonblank = r if first_nonblank is None else first_nonblank
        if is_column_numbers(texts):
            seen_header = True
            continue
        parts = _code_part_split(texts)
        if parts:
            rest = [t if c not in parts else "" for c, t in enumerate(texts)]
            if is_body_row(rest, True):
                return r, parts
        elif is_body_row(texts, seen_header):
            return r, []
        seen_header = True
        if nonblank >= max_rows:
            break
    if first_nonblank is None:
        return 0, []
    if nonblank < max_rows and seen_header and len(grid.owner) - first_nonblank <= max_rows:
        return len(grid.owner), []  # only header rows: an empty table
    return first_nonblank + 1, []


def _col_span(grid: Grid, cid: int) -> tuple[int, int]:
    cols = [c for row in grid.owner for c, o in enumerate(row) if o == cid]
    return min(cols), max(cols)


def leaf_labels(grid: Grid, n_header: int, parts: list[int]) -> tuple[list[str], list[str]]:
    """One leaf label per column and the label of the header cell spanning it.

    Going down a column, header cells with the same column span are one label wrapped over
    ruled rows ('支出功能分类' over '科目编码'); the lowest label is the leaf, the one above
    it (spanning more columns) the group."""
    spans: dict[int, tuple[int, int]] = {}
    columns, groups = [], []
    numbering = {r for r in range(n_header) if is_column_numbers(grid.row_texts(r))}
    for c in range(grid.width):
        chain: list[int] = []
        for r in range(n_header):
            if r in numbering:
                continue
            cid = grid.owner[r][c]
            if cid < 0 or not grid.texts[cid].strip() or grid.texts[cid].replace(" ", "").startswith("栏次"):
                continue
            if not chain or chain[-1] != cid:
                chain.append(cid)
        labels: list[tuple[tuple[int, int], str]] = []
        for cid in chain:
            span = spans.get(cid) or spans.setdefault(cid, _col_span(grid, cid))
            text = _label(grid.texts[cid])
            if labels and labels[-1][0] == span:
                labels[-1] = (span, labels[-1][1] + text)
            else:
                labels.append((span, text))
        if c in parts:
            labels.append(((c, c), _CODE_PARTS[parts.index(c)]))
        columns.append(labels[-1][1] if labels else "")
        groups.append(labels[-2][1] if len(labels) >= 2 else "")
    return columns, groups


def grid_to_table(grid: Grid, title: str, unit: str | None, page: int | None = None,
                  note: str | None = None) -> RawTable:
    """Header rows → `columns`/`column_groups`; the other non-blank rows → body rows."""
    title, unit, context = _peel_preamble(grid, title, unit)
    n_header, parts = header_rows(grid)
    columns, groups = leaf_labels(grid, n_header, parts)
    for labels in (columns, groups):  # '部门：X' printed in a header cell is context, not a label
        for c, label in enumerate(labels):
            if _PREAMBLE_LABEL.match(label) and len(label) > 4:
                if label not in context:
                    context.append(label)
                    unit = unit or find_unit(label)
                labels[c] = ""
    rows, pages, lines, row_boxes, cell_boxes = [], [], [], [], []
    for r in range(n_header, len(grid.owner)):
        texts = grid.row_texts(r)
        if r == n_header and parts:
            texts = ["" if c in parts else t for c, t in enumerate(texts)]
        if not any(texts):
            continue
        rows.append(texts)
        if grid.boxes:
            row_box, cells = _row_boxes(grid, r, texts)
            row_boxes.append(row_box)
            cell_boxes.append(cells)
        pages.append(grid.row_pages[r] if r < len(grid.row_pages) else page)
        lines.append(grid.row_lines[r] if r < len(grid.row_lines) else None)
    first_page = next((p for p in pages if p is not None), page)
    return RawTable(title=title, columns=columns, column_groups=groups, rows=rows, unit=unit,
                    page=page if page is not None else first_page,
                    row_pages=pages if any(p is not None for p in pages) else [],
                    row_lines=lines if any(ln is not None for ln in lines) else [], note=note,
                    context_lines=context, row_boxes=row_boxes, cell_boxes=cell_boxes)


_PREAMBLE_LABEL = re.compile(r"(预算主管部门|主管部门|部门名称|单位名称|编制部门|编制单位|填报单位|部门|金额单位|单位|预算年度)\s*[:：]")


def _peel_preamble(grid: Grid, title: str, unit: str | None) -> tuple[str, str | None, list[str]]:
    """Rows above the header that one cell spans whole — the table's title and its
    '部门：X 单位：万元' line, printed inside the ruling by tables made from spreadsheets —
    are the title, unit and context, not column labels."""
    context: list[str] = []
    peeled: set[int] = set()
    for r in range(min(3, len(grid.owner))):
        owners = set(grid.owner[r])
        if len(owners) != 1 or -1 in owners:
            break
        text = grid.texts[grid.owner[r][0]].strip()
        if not text or is_amount_cell(text):
            break
        m = _PREAMBLE_LABEL.search(text.replace(" ", ""))
        head = text.replace(" ", "")[:m.start()] if m else text.replace(" ", "")
        if not m and not _is_title(head):
            break
        if head and not title:
            title = head
        if m:
            context.append(text)
            unit = unit or find_unit(text.replace(" ", ""))
        peeled.add(r)
    if peeled:
        grid.drop_rows(peeled)
    return title, unit, context


def _row_boxes(grid: Grid, r: int, texts: list[str | None]) -> tuple[Box | None, list[Box | None]]:
    """(box of the row, box of each printed cell) of grid row r: the row's box joins the cells
    that start on it and do not run on below (a merged label spanning rows would stretch it)."""
    cells: list[Box | None] = []
    own: list[Box] = []
    for c, text in enumerate(texts):
        cid = grid.owner[r][c]
        box = grid.boxes[cid] if text and 0 <= cid < len(grid.boxes) else None
        cells.append(box)
        if box is not None and not (r + 1 < len(grid.owner) and grid.owner[r + 1][c] == cid):
            own.append(box)
    printed = own or [b for b in cells if b is not None]
    return (union_box(printed) if printed else None), cells


# --- characters and lines ------------------------------------------------------------------

@dataclass
class Char:
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str


@dataclass
class Line:
    page: int
    top: float
    bottom: float
    chars: list[Char]
    x0: float = 0.0
    x1: float = 0.0
    size: float = 0.0
    text: str = ""

    def finish(self) -> "Line":
        self.chars.sort(key=lambda ch: ch.x0)
        kept: list[Char] = []
        for ch in self.chars:  # fake bold: the same glyph printed twice, a hair apart
            if kept and ch.text == kept[-1].text and abs(ch.x0 - kept[-1].x0) < 0.5 * max(ch.x1 - ch.x0, 1):
                continue
            kept.append(ch)
        self.chars = kept
        self.x0, self.x1 = kept[0].x0, max(ch.x1 for ch in kept)
        self.size = Counter(round(ch.size, 1) for ch in kept).most_common(1)[0][0]
        self.text = _join_chars(kept, 0.3).strip()
        return self

    def segments(self, gap: float) -> list[tuple[float, float, str]]:
        """Runs of characters separated by at least `gap` × font size of white space, or by
        half that where a figure ends and Chinese text begins: a right-aligned amount and the
        left-aligned name of the next column (two halves of a 收支总表 side by side) sit closer
        than a cell gap, but further apart than the space printed before 万元 in a sentence."""
        out: list[list[Char]] = []
        for ch in self.chars:
            space = ch.x0 - out[-1][-1].x1 if out else 0.0
            at_name = bool(out) and out[-1][-1].text.isdigit() and _is_cjk(ch.text) and not ch.text in "万亿元"
            if out and space < (gap / 2 if at_name else gap) * max(ch.size, 1):
                out[-1].append(ch)
            else:
                out.append([ch])
        return [(run[0].x0, max(c.x1 for c in run), _join_chars(run, 0.3).strip()) for run in out]


def _join_chars(chars: list[Char], gap: float) -> str:
    out = []
    prev = None
    for ch in chars:
        if prev is not None and ch.x0 - prev.x1 > gap * max(ch.size, 1):
            out.append(" ")
        out.append(ch.text)
        prev = ch
    return "".join(out)


def group_lines(chars: list[Char], page: int) -> list[Line]:
    """Characters → lines, a character joining the line whose band it overlaps by half its
    height (figures set on a lower baseline by their font stay in their line)."""
    lines: list[Line] = []
    for ch in sorted(chars, key=lambda c: (c.top, c.x0)):
        height = max(ch.bottom - ch.top, 0.1)
        for line in reversed(lines[-3:]):
            overlap = min(line.bottom, ch.bottom) - max(line.top, ch.top)
            if overlap >= 0.5 * min(height, line.bottom - line.top):
                line.chars.append(ch)
                break
        else:
            lines.append(Line(page, ch.top, ch.bottom, [ch]))
    lines = [ln.finish() for ln in lines]
    lines.sort(key=lambda ln: ln.top)
    return lines


def _cell_text(chars: list[Char]) -> str:
    if not chars:
        return ""
    return join_wrapped([ln.text for ln in group_lines(chars, 0)])


_GLYPH_NUMBER = re.compile(r"^\(cid:\d+\)$")


def _undecodable(page) -> bool:
    """Whether the page's text layer is glyph numbers, not text: a font embedded without its
    ToUnicode map comes out of pdfplumber as "(cid:3176)(cid:1722)…". Such a page is read like
    a scanned one (OCR of its rendered image), never as text."""
    glyphs = [ch.get("text") or "" for ch in page.chars]
    numbers = sum(1 for g in glyphs if _GLYPH_NUMBER.match(g))
    return numbers >= 10 and numbers * 2 > len(glyphs)


def _page_chars(page) -> list[Char]:
    out = []
    for ch in page.chars:
        text = ch.get("text") or ""
        if not text or text.isspace():
            continue
        text = norm_text(text)
        if text.isspace():
            continue
        out.append(Char(ch["x0"], ch["x1"], ch["top"], ch["bottom"], ch.get("size") or 10.0, text))
    return out


def turned_upright(page):
    """The page as a reader turns it: a landscape table printed on a portrait page without
    /Rotate (its text running up or down the page) comes back with its text across, as if the
    page had been given the /Rotate a viewer needs. pdfminer lays a page out through its
    /Rotate, so the page is read again with that rotation; other pages are returned as they are."""
    sideways = [ch for ch in page.chars if not ch.get("upright", True) and (ch.get("text") or "").strip()]
    if len(sideways) < 10 or len(sideways) * 2 <= len(page.chars):
        return page
    from pdfplumber.page import Page

    # Text turned anticlockwise (running up the page: matrix b > 0) reads after a clockwise turn.
    up = sorted(ch["matrix"][1] for ch in sideways)[len(sideways) // 2] > 0
    obj = page.page_obj
    obj.rotate = (obj.rotate + (90 if up else 270)) % 360
    obj.attrs["Rotate"] = obj.rotate
    page.close()
    return Page(page.pdf, obj, page.page_number, page.initial_doctop)


# --- ruled tables ----------------------------------------------------------------------------

def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _nearest(bounds: list[float], v: float) -> int:
    i = bisect.bisect_left(bounds, v)
    if i == 0:
        return 0
    if i == len(bounds):
        return len(bounds) - 1
    return i if bounds[i] - v < v - bounds[i - 1] else i - 1


@dataclass
class Fragment:
    """The part of a ruled table printed on one page: cell boxes with their text."""

    page: int
    bbox: tuple[float, float, float, float]
    cells: list[tuple[float, float, float, float, str]]

    @property
    def xs(self) -> list[float]:
        return _cluster([x for c in self.cells for x in (c[0], c[2])])


def _fragments(page, chars: list[Char], page_no: int, tables: list | None = None
               ) -> tuple[list[Fragment], list[Char]]:
    """Ruled tables of a page (`tables`: cell groups found elsewhere, e.g. in a scanned page's
    image), and the characters outside them."""
    if tables is None:
        objects = page.objects
        if not (objects.get("rect") or objects.get("line") or objects.get("curve")):
            return [], chars
        tables = page.find_tables()
    found = []
    for table in tables:
        xs = _cluster([x for c in table.cells for x in (c[0], c[2])])
        if len(xs) >= 3:  # two columns at least: a one-column box is a frame or a list
            found.append(table)
    if not found:
        return [], chars
    boxes = [t.bbox for t in found]
    inside: list[list[Char]] = [[] for _ in found]
    free = []
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        for k, (x0, top, x1, bottom) in enumerate(boxes):
            if x0 <= cx < x1 and top <= cy < bottom:
                inside[k].append(ch)
                break
        else:
            free.append(ch)
    frags = []
    for table, tchars in zip(found, inside):
        cells = table.cells
        xs = _cluster([x for c in cells for x in (c[0], c[2])])
        ys = _cluster([y for c in cells for y in (c[1], c[3])])
        owner = [[-1] * (len(xs) - 1) for _ in range(len(ys) - 1)]
        for k, (x0, top, x1, bottom) in enumerate(cells):
            for r in range(_nearest(ys, top), _nearest(ys, bottom)):
                for c in range(_nearest(xs, x0), _nearest(xs, x1)):
                    owner[r][c] = k
        per_cell: list[list[Char]] = [[] for _ in cells]
        for ch in tchars:
            cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
            c = bisect.bisect_right(xs, cx) - 1
            r = bisect.bisect_right(ys, cy) - 1
            if 0 <= r < len(owner) and 0 <= c < len(owner[0]) and owner[r][c] >= 0:
                per_cell[owner[r][c]].append(ch)
        frags.append(Fragment(page_no, table.bbox,
                              [(*cell, _cell_text(cc)) for cell, cc in zip(cells, per_cell)]))
    return frags, free


def _fits_under(prev: list[float], new: list[float], tol: float = 3.0) -> bool:
    """A fragment continues a table when its outer edges match and every column edge it has
    is one the table has."""
    if abs(prev[0] - new[0]) > tol or abs(prev[-1] - new[-1]) > tol:
        return False
    return all(abs(prev[_nearest(prev, x)] - x) <= tol for x in new)


def _grid_from_fragments(frags: list[Fragment]) -> Grid:
    xs = _cluster([x for f in frags for c in f.cells for x in (c[0], c[2])], tol=3.0)
    owner: list[list[int]] = []
    texts: list[str] = []
    pages: list[int | None] = []
    boxes: list[Box | None] = []
    for frag in frags:
        ys = _cluster([y for c in frag.cells for y in (c[1], c[3])])
        base = len(owner)
        owner.extend([-1] * (len(xs) - 1) for _ in range(len(ys) - 1))
        pages.extend([frag.page] * (len(ys) - 1))
        for x0, top, x1, bottom, text in frag.cells:
            cid = len(texts)
            texts.append(text)
            boxes.append((x0, top, x1, bottom))
            for r in range(_nearest(ys, top), _nearest(ys, bottom)):
                for c in range(_nearest(xs, x0), _nearest(xs, x1)):
                    owner[base + r][c] = cid
    return Grid(owner, texts, pages, boxes=boxes)


def _drop_repeated_headers(grid: Grid) -> None:
    """Rows at the top of a continuation page that repeat the first page's header rows."""
    n_header, _ = header_rows(grid)
    first_page = grid.row_pages[0] if grid.row_pages else None
    header_texts = {_squash(t) for r in range(min(n_header, len(grid.owner))) for t in grid.row_texts(r) if t}
    drop: set[int] = set()
    r = 0
    while r < len(grid.owner):
        page = grid.row_pages[r]
        if page == first_page:
            r += 1
            continue
        k = r
        while k < len(grid.owner) and grid.row_pages[k] == page:
            texts = [t for t in grid.row_texts(k) if t]
            if texts and (is_body_row(texts, True) or not all(_squash(t) in header_texts for t in texts)):
                break
            drop.add(k)
            k += 1
        while r < len(grid.owner) and grid.row_pages[r] == page:
            r += 1
    grid.drop_rows(drop)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- unruled tables --------------------------------------------------------------------------

SEGMENT_GAP = 1.0  # em of white space that separates two cells of an unruled table


def _is_tabular(line: Line) -> bool:
    return len(line.segments(SEGMENT_GAP)) >= 2


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _bands(body: list[Line]) -> list[list[float]]:
    """Column bands: the x ranges covered by some body cell, merged where they overlap."""
    spans = sorted((s[0], s[1]) for ln in body for s in ln.segments(SEGMENT_GAP)
                   if not s[2].replace(" ", "").rstrip("：:") in TOTAL_WORDS)
    bands: list[list[float]] = []
    for x0, x1 in spans:
        if bands and x0 <= bands[-1][1] + 1.0:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    return bands


def _columns(header: list[Line], body: list[Line]) -> list[list[float]]:
    """Column x ranges from the leaf header labels (labels with nothing printed under them);
    without a header, from the body's own bands. Amounts print right-aligned and labels
    centred, so an amount need not overlap its label: `_band_of` falls back to the nearest
    label's region."""
    segs = [(k, x0, x1) for k, ln in enumerate(header) for x0, x1, _ in ln.segments(SEGMENT_GAP)]
    leaves = sorted([x0, x1, k] for k, x0, x1 in segs
                    if not any(header[k2].top > header[k].bottom and _overlap(x0, x1, a, b) > 0
                               for k2, a, b in segs))
    body_bands = _bands(body)
    if len(header) >= 2 and len(leaves) > len(body_bands):
        leaves = _without_gap_groups(leaves, segs, header, len(body_bands))
    return [leaf[:2] for leaf in leaves] or body_bands


def _without_gap_groups(leaves: list[list], segs: list[tuple[int, float, float]], header: list[Line],
                        wanted: int) -> list[list]:
    """Leaves without the group labels centred over a gap between lower labels.

    A label spanning columns ('金额' over 合计 … 增减%) may sit over the space between two
    lower labels and so have nothing printed under it, like a leaf. When the header then
    names more columns than the body fills, a label of the top header line with lower labels
    on both sides is such a group, and is dropped, but only when that makes the counts agree."""
    def is_gap_group(leaf: list) -> bool:
        x0, x1, k = leaf
        if k != 0:
            return False
        lower = [(a, b) for k2, a, b in segs if header[k2].top > header[0].bottom]
        return any(b <= x0 for a, b in lower) and any(a >= x1 for a, b in lower)
    kept = [leaf for leaf in leaves if not is_gap_group(leaf)]
    return kept if len(kept) == wanted else leaves


def _band_of(bands: list[list[float]], x0: float, x1: float) -> int:
    """The column a run of text belongs to: the label it overlaps most, else the column whose
    region (halfway to the neighbouring labels) holds its centre."""
    best = max(range(len(bands)), key=lambda i: _overlap(x0, x1, *bands[i]))
    if _overlap(x0, x1, *bands[best]) > 0:
        return best
    centre = (x0 + x1) / 2
    edges = [(sum(bands[i]) / 2 + sum(bands[i + 1]) / 2) / 2 for i in range(len(bands) - 1)]
    return bisect.bisect_right(edges, centre)


@dataclass
class Unruled:
    """An unruled table being read: its column bands, header lines and body rows."""

    bands: list[list[float]]
    header: list[Line]
    rows: list[list[Line]]


def _header_spans(header: list[Line], bands: list[list[float]]) -> list[tuple[int, int, int, str]]:
    """Header words as (line index, first band, last band, text).

    A label over one band with another label close beneath it is a wrapped label; a label with
    labels further below is a group label, and spans the bands it is centred over that no other
    label on its line claims."""
    segs = [(k, s) for k, ln in enumerate(header) for s in ln.segments(SEGMENT_GAP)]
    placed = []
    for k, (x0, x1, text) in segs:
        hit = [i for i, b in enumerate(bands) if _overlap(x0, x1, *b) > 0.5]
        if not hit:
            hit = [_band_of(bands, x0, x1)]
        placed.append((k, min(hit), max(hit), text, x0, x1))
    out = []
    resolved: dict[int, set[int]] = {}  # per line: columns its group labels already span
    for k, lo, hi, text, x0, x1 in placed:
        size = header[k].size
        below = [(header[k2].top, lo2, hi2) for k2, lo2, hi2, *_ in placed
                 if header[k2].top > header[k].bottom and lo2 <= hi and hi2 >= lo]
        # A label wraps onto the next line at the cell's line spacing and only when it fills its
        # column; a short label close above others ('支出预算' over 合计 | 基本支出 | 项目支出,
        # '科目编码' over 类 | 款 | 项, rows set tight) spans them.
        wrapped = (any(top - header[k].bottom < 0.5 * size for top, *_ in below)
                   and x1 - x0 >= 0.6 * _room(bands, lo, hi))
        if below and not wrapped:
            claimed = {i for k2, lo2, hi2, *_ in placed if k2 == k and (lo2, hi2) != (lo, hi)
                       for i in range(lo2, hi2 + 1)} | resolved.get(k, set())
            under = {i for k2, lo2, hi2, *_ in placed if header[k2].top > header[k].bottom
                     for i in range(lo2, hi2 + 1)}
            i0 = lo
            while i0 - 1 >= 0 and i0 - 1 not in claimed and i0 - 1 in under:
                i0 -= 1
            i1 = hi
            while i1 + 1 < len(bands) and i1 + 1 not in claimed and i1 + 1 in under:
                i1 += 1
            centre = (x0 + x1) / 2
            fits = [(b - a, a, b) for a in range(i0, lo + 1) for b in range(hi, i1 + 1)
                    if abs((bands[a][0] + bands[b][1]) / 2 - centre)
                    <= max(0.15 * (bands[b][1] - bands[a][0]), 3.0)]
            if fits:
                _, lo, hi = max(fits)
            else:  # columns of unequal widths: the span whose columns (not labels) centre it
                edges = _column_edges(bands)
                off = min((abs((edges[a] + edges[b + 1]) / 2 - centre) / (edges[b + 1] - edges[a]), a, b)
                          for a in range(i0, lo + 1) for b in range(hi, i1 + 1))
                if off[0] <= 0.15:
                    _, lo, hi = off
            resolved.setdefault(k, set()).update(range(lo, hi + 1))
        out.append((k, lo, hi, text))
    return out


def _room(bands: list[list[float]], lo: int, hi: int) -> float:
    """The width a label over columns lo..hi has before it must wrap: from halfway to the
    column on its left to halfway to the one on its right (mirrored at the table's edge)."""
    centres = [(a + b) / 2 for a, b in bands]
    half_left = (centres[lo] - centres[lo - 1]) / 2 if lo > 0 else None
    half_right = (centres[hi + 1] - centres[hi]) / 2 if hi + 1 < len(bands) else None
    if half_left is None and half_right is None:
        return 0.0  # one column: nothing to span, a label close above another wraps
    half_left = half_left if half_left is not None else half_right
    half_right = half_right if half_right is not None else half_left
    return (centres[hi] + half_right) - (centres[lo] - half_left)


def _column_edges(bands: list[list[float]]) -> list[float]:
    """Where columns meet, from their labels: halfway between neighbouring label centres (the
    outer edges mirrored). A label over columns of different widths is centred over the
    columns, not over their labels."""
    centres = [(a + b) / 2 for a, b in bands]
    if len(centres) < 2:
        return [bands[0][0], bands[0][1]] if bands else []
    inner = [(p + q) / 2 for p, q in zip(centres, centres[1:])]
    return [2 * centres[0] - inner[0], *inner, 2 * centres[-1] - inner[-1]]


def _unruled_grid(table: Unruled) -> Grid:
    bands = table.bands
    header = _header_spans(table.header, bands)
    owner: list[list[int]] = []
    texts: list[str] = []
    pages: list[int | None] = []
    boxes: list[Box | None] = []
    for k, line in enumerate(table.header):
        row = [-1] * len(bands)
        for k2, lo, hi, text in header:
            if k2 == k:
                cid = len(texts)
                texts.append(text)
                boxes.append(None)
                for c in range(lo, hi + 1):
                    row[c] = cid
        owner.append(row)
        pages.append(line.page)
    # Body text is placed through the body's own column bands (a short name such as 合计 lies
    # inside its column's band even when it is far from the centred label).
    body_bands = _bands([ln for lines in table.rows for ln in lines])
    band_col = [_band_of(bands, *b) for b in body_bands]

    def column(x0: float, x1: float) -> int:
        hits = [(_overlap(x0, x1, *b), k) for k, b in enumerate(body_bands)]
        best = max(hits, default=(0.0, -1))
        return band_col[best[1]] if best[0] > 0 else _band_of(bands, x0, x1)

    for lines in table.rows:
        parts: dict[int, list[str]] = {}
        spots: dict[int, list[Box]] = {}
        for line in lines:
            for x0, x1, text in line.segments(SEGMENT_GAP):
                parts.setdefault(column(x0, x1), []).append(text)
                if line.page == lines[0].page:
                    spots.setdefault(column(x0, x1), []).append((x0, line.top, x1, line.bottom))
        row = [-1] * len(bands)
        for c, ps in parts.items():
            row[c] = len(texts)
            texts.append(join_wrapped(ps))
            boxes.append(union_box(spots[c]) if spots.get(c) else None)
        owner.append(row)
        pages.append(lines[0].page)
    return Grid(owner, texts, pages, boxes=boxes)


def _start_unruled(lines: list[Line]) -> Unruled | None:
    """Header and body lines after a title → column bands; None when the lines are no table."""
    if sum(1 for ln in lines if _is_tabular(ln)) < 2:
        return None
    texts = [[s[2] for s in ln.segments(SEGMENT_GAP)] for ln in lines]
    first_body = next((k for k, t in enumerate(texts) if is_body_row(t, k > 0)), None)
    if first_body is None:
        return None
    header = [ln for ln in lines[:first_body] if not is_column_numbers(texts[lines.index(ln)])]
    body = lines[first_body:]
    bands = _columns(header, body)
    if len(bands) < 2:
        return None
    table = Unruled(bands, header, [])
    _add_rows(table, body)
    return table


def _add_rows(table: Unruled, lines: list[Line]) -> None:
    """Body lines → rows: a line with an amount or a code starts a row; a text-only line (a
    wrapped name) joins the nearer of the rows above and below it."""
    anchors = [k for k, ln in enumerate(lines)
               if is_body_row([s[2] for s in ln.segments(SEGMENT_GAP)], True)]
    if not anchors:
        return
    groups: dict[int, list[Line]] = {a: [] for a in anchors}
    for k, ln in enumerate(lines):
        if k in groups:
            groups[k].append(ln)
            continue
        prev = max((a for a in anchors if a < k), default=None)
        nxt = min((a for a in anchors if a > k), default=None)
        if prev is None or (nxt is not None and lines[nxt].top - ln.bottom <= ln.top - lines[prev].bottom):
            target = nxt
        else:
            target = prev
        groups[target].append(ln)  # type: ignore[index]
    for a in anchors:
        table.rows.append(sorted(groups[a], key=lambda ln: ln.top))


# --- titles, units, notes, headings ---------------------------------------------------------

# 表1, 表1-2, 附表3, 公开表1, 部门公开表1, 公开01表, 表一
_TABLE_NUMBER = re.compile(r"^(?:部门)?(?:公开|附)?(?:表\s*[\d一二三四五六七八九十]+(?:-\d+)?|[\d一二三四五六七八九十]+\s*表)[:：]?$")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_PAGE_NUMBER = re.compile(r"^[-—–－]?\s*(第\s*)?\d{1,4}\s*(页)?\s*[-—–－]?$|^\d+\s*/\s*\d+$")
_LEADER = re.compile(r"(…{2,}|\.{4,}|·{4,}|-{6,})")
_ORG_LABEL = re.compile(r"(预算主管部门|主管部门|预算单位|部门名称|单位名称|编制部门|编制单位|填报单位|部门)\s*[:：]\s*"
                        r"(\S+?)(?=\s|(?:金额)?单位[:：]|$)")


def _is_title(text: str) -> bool:
    t = text.replace(" ", "")
    if not t or len(t) > 50 or t.endswith(("。", "；", "：")) or t.startswith("注"):
        return False
    # 支出预算表, 支出预算表（续）, 财政拨款支出预算表（功能科目）: 表 and at most a short qualifier
    return bool(re.search(r"表([（(][^（）()]{1,12}[)）])?$|续表$", t)) and not _LEADER.search(t)


def _is_cover(lines: list[Line]) -> bool:
    """A first page of a few short lines (issuer, '2021 年度部门预算', a date): no table title,
    no sentence of the text."""
    return len(lines) <= 8 and not any(_is_title(ln.text) or len(ln.text) > 40
                                       or ln.text.rstrip().endswith(("。", "；", "，")) for ln in lines)


def _is_context(text: str) -> bool:
    """Lines printed between a title and its table: unit, 编制部门, a table number, a year."""
    t = text.replace(" ", "")
    return bool(find_unit(t) or _ORG_LABEL.match(t) or _TABLE_NUMBER.match(t)
                or re.fullmatch(r"[(（]?\d{4}年?度?[)）]?", t) or t.startswith(("预算年度", "金额单位"))
                or re.fullmatch(r"(金额)?单位[:：]?[万千亿]?", t))  # '单位：万' whose 元 wrapped to the next line


# --- the document ----------------------------------------------------------------------------

@dataclass
class _Table:
    title: str
    unit: str | None
    page: int
    frags: list[Fragment] = field(default_factory=list)
    unruled: Unruled | None = None
    note: str | None = None


@dataclass
class _State:
    tables: list[_Table] = field(default_factory=list)
    prose: list[Line] = field(default_factory=list)
    open_table: _Table | None = None  # the table that ended its page, may run on
    context: list[str] = field(default_factory=list)  # lines printed above tables (部门：X 单位：万元)


def read_pdf(path: str | Path) -> ParsedDocument:
    """Tables (cells as printed, with pages) and explanatory paragraphs of a budget PDF.

    Raises IngestError, naming the file, for anything that is not a readable text PDF with
    budget tables."""
    path = Path(path)
    from ingest.readers import ocr

    if path.suffix.lower() in ocr.IMAGE_SUFFIXES:
        source = ocr.image_as_pdf(path)  # a page photo or scan: read as an image-only PDF
    else:
        _check_file(path)
        source = path
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(source)
    except PdfminerException as exc:
        raise _open_error(path, exc) from None
    except Exception as exc:
        raise IngestError(f"{path.name}：PDF 文件已损坏，无法打开（{type(exc).__name__}）。"
                          f"请重新下载或从原始文件重新导出 PDF 后再导入。") from None
    state = _State()
    cover: list[Line] = []
    n_chars = n_images = scanned_pages = 0
    undecodable_pages: list[int] = []
    page_no = 0
    scans = ocr.scans_of(source, path.name)  # pages with an image and no text layer
    ocr_runs: dict[int, list[tuple[str, float]]] = {}
    try:
        with pdf:
            budget = PdfBudget(path, len(pdf.pages))
            for page_no, page in enumerate(pdf.pages, start=1):
                budget.check_page(page, page_no)
                page = turned_upright(page)
                undecodable = _undecodable(page)
                chars = [] if undecodable else _page_chars(page)
                undecodable_pages += [page_no] if undecodable else []
                ocr_tables = None
                if scans.needs(page_no, len(chars), bool(page.images) or undecodable):
                    scan = scans.page(page_no)
                    chars, ocr_tables, ocr_runs[page_no] = list(scan.chars), scan.tables, scan.runs
                n_chars += len(chars)
                n_images += len(page.images)
                scanned_pages += bool(page.images) and len(chars) < 20
                frags, free = _fragments(page, chars, page_no, ocr_tables)
                lines = [ln for ln in group_lines(free, page_no) if ln.text]
                lines = _strip_margins(lines, page.height)
                if lines and _squash(lines[0].text) in ("目录", "目次"):
                    lines = []  # a contents page: its entries are no section headings
                if page_no == 1 and not frags and _is_cover(lines):
                    cover = lines  # a cover page: issuer, year, 部门预算/决算
                else:
                    _read_page(state, frags, lines, page_no)
                page.close()  # drop the page's parsed objects: memory stays flat on long files
            pages = len(pdf.pages)
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"{path.name}：第 {page_no} 页无法解析（{type(exc).__name__}），"
                          f"文件可能已损坏。请重新下载或重新导出 PDF 后再导入。") from None
    finally:
        scans.close()
    unread = [p for p in undecodable_pages if p not in ocr_runs]
    if unread:  # without OCR those pages would be missing: their tables, and the answers from them
        raise IngestError(f"{path.name}：第 {_page_list(unread)} 页的文字层无法解码（字体缺少编码表，取出的是字形编号而不是文字），"
                          f"需要用 OCR 识别这些页。{ocr.missing_hint()}")
    if n_chars == 0:
        if n_images:
            raise IngestError(f"{path.name}：这个 PDF 没有文字层（像是扫描件或图片）。{ocr.missing_hint()}")
        raise IngestError(f"{path.name}：这个 PDF 里没有任何文字，无法读取预算数字。")
    tables = [t for t in (_finish_table(t) for t in state.tables) if t is not None]
    if ocr_runs:
        from ingest.normalise.ocr_structure import repair_titles

        repair_titles([t for t in tables if t.page in ocr_runs])
    paragraphs = _paragraphs(state.prose)
    lists = [t for t in tables if not t.title and not _BUDGET_WORDS.search("".join(t.columns + t.column_groups))]
    tables = [t for t in tables if t not in lists]
    paragraphs = _with_lists(paragraphs, lists)
    if not any(_is_budget_table(t) for t in tables) and scanned_pages >= max(1, pages // 2):
        raise IngestError(f"{path.name}：大部分页面是图片、没有文字层（像是扫描件）。{ocr.missing_hint()}")
    if not any(_is_budget_table(t) for t in tables) and not any(is_budget_prose(p.text) for p in paragraphs):
        raise IngestError(f"{path.name}：没有找到预算表格（收支总表、支出表、“三公”经费表等），说明文字里也没有"
                          f"预算金额，看起来不是部门预算/决算文件。请确认文件内容。")
    heading = [ln.text for ln in (cover or state.prose[:3])][:8]
    return ParsedDocument(str(path), "pdf", tables, paragraphs, heading_lines=heading,
                          context_lines=state.context, has_cover=bool(cover), pages=pages, ocr=ocr_runs)


def _page_list(pages: list[int]) -> str:
    """'3、4、7' or '1–33' for a run."""
    if len(pages) > 3 and pages == list(range(pages[0], pages[-1] + 1)):
        return f"{pages[0]}–{pages[-1]}"
    return "、".join(map(str, pages))


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise IngestError(f"{path}：文件不存在。请检查路径。")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(f"{path.name}：文件是空的（0 字节），可能下载或复制没有完成。请重新获取文件。")
    with path.open("rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        kind = _sniff(head)
        raise IngestError(f"{path.name}：扩展名是 .pdf，但内容不是 PDF（{kind}）。"
                          f"请按真实格式改名后再导入，或找到原始 PDF。")
    if b"%%EOF" not in tail:
        raise IngestError(f"{path.name}：PDF 文件不完整（结尾缺失，可能下载中断）。请重新下载后再导入。")


def _sniff(head: bytes) -> str:
    if head.startswith(b"PK"):
        return "看起来是 Excel/Word 等压缩格式文件"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "看起来是旧版 Excel/Word 文件"
    if head[:4] in (b"\x89PNG", b"GIF8") or head[:3] == b"\xff\xd8\xff":
        return "看起来是图片"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "看起来是网页"
    try:
        head.decode("utf-8")
        return "看起来是文本文件"
    except UnicodeDecodeError:
        return "无法识别的格式"


def _open_error(path: Path, exc: Exception) -> IngestError:
    inner = exc.args[0] if exc.args else exc
    name = type(inner).__name__
    if "Password" in name or "Encryption" in name:
        return IngestError(f"{path.name}：这个 PDF 加密了，需要密码才能打开。请用密码打开后另存为不加密的 PDF，"
                           f"或向发布单位索取未加密的文件，再导入。")
    return IngestError(f"{path.name}：PDF 文件已损坏，无法打开（{name}）。请重新下载或重新导出 PDF 后再导入。")


def _strip_margins(lines: list[Line], height: float) -> list[Line]:
    """Page numbers at the top or bottom of the page, and table-of-contents leader lines."""
    out = []
    for ln in lines:
        t = ln.text.replace(" ", "")
        if _PAGE_NUMBER.match(t) and (ln.top > 0.85 * height or ln.bottom < 0.12 * height):
            continue
        if _LEADER.search(ln.text):
            continue
        out.append(ln)
    return out


def _read_page(state: _State, frags: list[Fragment], lines: list[Line], page_no: int) -> None:
    """Place a page's ruled tables (new, or running on from the page before), their titles,
    units and notes; then its other lines; then note whether a table ends the page."""
    carried, state.open_table = state.open_table, None
    used: set[int] = set()
    ends: list[tuple[float, _Table]] = []  # (bottom on this page, table)
    for k, frag in enumerate(frags):
        above = [i for i, ln in enumerate(lines) if i not in used and ln.bottom <= frag.bbox[1] + 1
                 and (k == 0 or ln.top >= frags[k - 1].bbox[3] - 1)]
        title, unit, consumed = _title_above(lines, above)
        state.context += [lines[i].text for i in consumed]
        runs_on = (k == 0 and carried is not None and carried.frags
                   and len(consumed) == len(above) and (not title or "续" in title)
                   and _fits_under(carried.frags[0].xs, frag.xs))
        if runs_on:
            table = carried
            table.frags.append(frag)
        else:
            table = _Table(title, unit, page_no, [frag])
            state.tables.append(table)
        used |= consumed
        next_top = frags[k + 1].bbox[1] if k + 1 < len(frags) else None
        note = _note_below(lines, frag.bbox[3], next_top, used)
        if note:
            used.update(note)
            table.note = join_wrapped([lines[i].text for i in note])
        ends.append((lines[note[-1]].bottom if note else frag.bbox[3], table))
    rest = [ln for i, ln in enumerate(lines) if i not in used]
    ends += _read_free_lines(state, rest, page_no, carried if not frags else None)
    if ends:
        bottom, table = max(ends, key=lambda e: e[0])
        prose_below = any(ln.top > bottom for ln in _on_page(state.prose, page_no))
        if not prose_below and table.note is None:
            state.open_table = table


def _on_page(lines: list[Line], page_no: int) -> list[Line]:
    out = []
    for ln in reversed(lines):
        if ln.page != page_no:
            break
        out.append(ln)
    return out


def _title_above(lines: list[Line], above: list[int]) -> tuple[str, str | None, set[int]]:
    """The title, unit and number lines directly above a table (nearest first)."""
    title, unit = "", None
    consumed: set[int] = set()
    for i in reversed(above[-5:]):
        text = lines[i].text
        if _is_context(text):
            unit = unit or find_unit(text.replace(" ", ""))
            consumed.add(i)
            continue
        if not title and _is_title(text):
            title = _squash_title(text)
            consumed.add(i)
            continue
        break
    return title, unit, consumed


def _squash_title(text: str) -> str:
    """Titles are set letter-spaced or with a space where a quote mark sat on another baseline."""
    return re.sub(r"(?<=[\u4e00-\u9fff“”\"’‘（）()])\s+|\s+(?=[\u4e00-\u9fff“”\"’‘（）()])", "", text)


def _note_below(lines: list[Line], bottom: float, next_top: float | None, used: set[int]) -> list[int]:
    out: list[int] = []
    for i, ln in enumerate(lines):
        if i in used or ln.top < bottom - 1 or (next_top is not None and ln.top >= next_top):
            continue
        t = ln.text.replace(" ", "")
        if not out:
            if not re.match(r"^(注|说明)[:：0-9１-９一]", t) and not t.startswith("注"):
                return []
            out.append(i)
            continue
        prev = lines[out[-1]]
        if ln.top - prev.bottom > 0.8 * prev.size or _HEADING.match(t) or _is_title(t):
            break
        out.append(i)
    return out


def _read_free_lines(state: _State, lines: list[Line], page_no: int,
                     carried: _Table | None) -> list[tuple[float, _Table]]:
    """Lines outside ruled tables, top to bottom: rows of an unruled table running on from
    the page before, unruled tables under their titles, and prose."""
    ends: list[tuple[float, _Table]] = []
    i = 0
    if carried is not None and carried.unruled is not None:
        k = 0
        while k < len(lines) and _continues_rows(lines, k):
            k += 1
        repeated = _header_texts(carried.unruled)
        body = [ln for ln in lines[:k]
                if not all(_squash(s[2]) in repeated for s in ln.segments(SEGMENT_GAP))
                and not is_column_numbers([s[2] for s in ln.segments(SEGMENT_GAP)])]
        if any(is_body_row([s[2] for s in ln.segments(SEGMENT_GAP)], True) for ln in body):
            _add_rows(carried.unruled, body)
            note = _note_below(lines, lines[k - 1].bottom, None, set(range(k)))
            if note:
                carried.note = join_wrapped([lines[n].text for n in note])
                k = note[-1] + 1
            ends.append((lines[k - 1].bottom, carried))
            i = k
    while i < len(lines):
        line = lines[i]
        if _is_title(line.text):
            j = i + 1
            unit = None
            while j < len(lines) and _is_context(lines[j].text):
                unit = unit or find_unit(lines[j].text.replace(" ", ""))
                j += 1
            state.context += [ln.text for ln in lines[i + 1:j]]
            k = j
            while k < len(lines) and _continues_rows(lines, k):
                k += 1
            unruled = _start_unruled(lines[j:k])
            if unruled is not None:
                table = _Table(_squash_title(line.text), unit, page_no, unruled=unruled)
                state.tables.append(table)
                note = _note_below(lines, lines[k - 1].bottom, None, set(range(k)))
                if note:
                    table.note = join_wrapped([lines[n].text for n in note])
                    k = note[-1] + 1
                ends.append((lines[k - 1].bottom, table))
                i = k
                continue
        state.prose.append(line)
        i += 1
    return ends


def _continues_rows(lines: list[Line], k: int) -> bool:
    """Whether line k still belongs to an unruled table block."""
    line = lines[k]
    t = line.text.replace(" ", "")
    if _is_title(line.text) or t.startswith("注") or _HEADING.match(t) and not _is_tabular(line):
        return False
    if k > 0 and line.top - lines[k - 1].bottom > 2.5 * max(line.size, 1):
        return False
    if _is_tabular(line):
        return True
    return len(t) <= 24 and not t.endswith(("。", "；", "，"))


def _header_texts(table: Unruled) -> set[str]:
    return {_squash(s[2]) for ln in table.header for s in ln.segments(SEGMENT_GAP)}


def _finish_table(table: _Table) -> RawTable | None:
    if table.unruled is not None:
        grid = _unruled_grid(table.unruled)
    else:
        grid = _grid_from_fragments(table.frags)
        if len(table.frags) > 1:
            _drop_repeated_headers(grid)
    if grid.width < 2:
        return None
    return grid_to_table(grid, table.title, table.unit, table.page, table.note)


_BUDGET_WORDS = re.compile("预算|决算|收入|支出|经费|拨款|金额|合计")


def _with_lists(paragraphs: list[Paragraph], lists: list[RawTable]) -> list[Paragraph]:
    """A framed list without a title or money columns (序号 | 单位名称 | 备注: the units a
    department is made of) is text, not a budget table: one paragraph per row, in the section
    the list is printed in."""
    out = list(paragraphs)
    for tab in lists:
        at = sum(1 for p in out if (p.page or 0) <= (tab.page or 0))
        section = out[at - 1].section if at else None
        rows = [Paragraph(" ".join(c for c in row if c), section, None, page)
                for row, page in zip(tab.rows, tab.row_pages or [tab.page] * len(tab.rows))]
        out[at:at] = rows
    return out


def is_budget_prose(text: str) -> bool:
    """A paragraph of a 情况说明: budget words and an amount in 元/万元. A budget published as
    text alone (its tables in another file) is read from such paragraphs."""
    return bool(re.search(r"(预算|决算|支出|收入|经费)", text) and re.search(r"\d[\d,，.]*\s*(万元|亿元|元)", text))


def _is_budget_table(table: RawTable) -> bool:
    words = ("预算", "决算", "收入", "支出", "经费", "拨款")
    has_amount = any(is_amount_cell(c) for row in table.rows for c in row)
    budget_words = any(w in table.title for w in words) or any(w in c for c in table.columns for w in words)
    return budget_words and (has_amount or "表" in table.title)


# --- paragraphs ------------------------------------------------------------------------------

_SENTENCE_END = ("。", "；", ";", "！", "？", "!", "?")


def _body_size(lines: list[Line]) -> float:
    sizes = Counter(round(ln.size) for ln in lines for _ in range(len(ln.text)))
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Prose lines → paragraphs under the nearest heading; lines broken by the layout joined."""
    if not lines:
        return []
    body = _body_size(lines)
    margins: dict[int, tuple[float, float]] = {}
    for page in {ln.page for ln in lines}:
        on_page = [ln for ln in lines if ln.page == page and abs(ln.size - body) < 1.5]
        if len(on_page) >= 5:
            margins[page] = (min(ln.x0 for ln in on_page), max(ln.x1 for ln in on_page))
    if margins:  # a page with a few lines only: the document's usual margins
        usual = (sorted(m[0] for m in margins.values())[len(margins) // 2],
                 sorted(m[1] for m in margins.values())[len(margins) // 2])
    else:
        plain = [ln for ln in lines if abs(ln.size - body) < 1.5] or lines
        usual = (min(ln.x0 for ln in plain), max(ln.x1 for ln in plain))
    for page in {ln.page for ln in lines} - set(margins):
        margins[page] = usual
    paragraphs: list[Paragraph] = []
    section: str | None = None
    current: list[Line] = []
    heading: list[Line] = []

    def flush() -> None:
        nonlocal current
        if current:
            text = join_wrapped([ln.text for ln in current])
            paragraphs.append(Paragraph(text, section, None, current[0].page, _line_boxes(current)))
        current = []

    for ln in lines:
        t = ln.text.strip()
        left, right = margins.get(ln.page, (ln.x0, ln.x1))
        styled = ln.size >= body * 1.3 and len(t) <= 40 and not t.endswith(_SENTENCE_END)
        numbered = bool(_HEADING.match(t)) and len(t) <= 40 and not t.endswith(("。", "；", ";", "，", "："))
        ends_short = ln.x1 < right - 1.5 * ln.size
        if styled or (numbered and ends_short):
            flush()
            if heading and styled and heading[-1].page == ln.page and abs(heading[-1].size - ln.size) < 0.5 \
                    and ln.top - heading[-1].bottom < ln.size:
                heading.append(ln)
            else:
                heading = [ln]
            section = join_wrapped([h.text for h in heading])
            continue
        heading = []
        if current:
            prev = current[-1]
            _, p_right = margins.get(prev.page, (prev.x0, prev.x1))
            prev_ends = prev.text.rstrip().endswith(_SENTENCE_END)
            new = (ln.x0 > left + 0.8 * ln.size
                   or bool(_NUMBERED.match(t)) or bool(_HEADING.match(t))
                   or (prev_ends and prev.x1 < p_right - 1.5 * prev.size)
                   or (prev.page == ln.page and ln.top - prev.bottom > 1.2 * ln.size))
            if new:
                flush()
        current.append(ln)
    flush()
    return paragraphs


def _line_boxes(lines: list[Line]) -> list[tuple[int, int, Box]]:
    """(end offset in the joined paragraph text, page, box) per line, as `join_wrapped` joins them."""
    out, text = [], ""
    for ln in lines:
        text = join_wrapped([text, ln.text])
        out.append((len(text), ln.page, (ln.x0, ln.top, ln.x1, ln.bottom)))
    return out


