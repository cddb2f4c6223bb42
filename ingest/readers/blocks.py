"""Documents that arrive as a flow of text blocks and tables (saved web pages, Word files):
one assembly for every such format.

A reader (ingest/readers/html_reader.py, ingest/readers/docx_reader.py) only turns its file into `Block`s in
reading order: a line of text, or a table as a grid of cells with its merged ranges. It never
decides what a table is or whose document it is. `assemble` does the rest the same way for
every such format:

- the title, table number, unit and 编制部门 lines printed just above a table go with it;
- the grid becomes RawTables through the spreadsheet reader's grid handling (a title or unit
  row inside the grid, merged header cells → leaf labels and their groups, tables stacked in
  one grid split at their titles), so a table reads the same from a page, a Word file, a
  workbook and a PDF;
- a framed list with neither title nor money columns (序号 | 单位名称, a page's 索引号/发布机构
  box) is text, one line per row, as the PDF reader does;
- the other lines become paragraphs under their section headings (a heading the markup marks,
  or a short numbered line: 第一部分 / 一、 / （一）).

Provenance, as these formats have no pages (`page` stays None):
- a paragraph's `line` is its index among the document's text lines, 1-based, in reading
  order (a list row turned into text counts as one line);
- a table's `line` is its index among the document's tables (1-based, every grid counted), and
  each body row's line (`row_lines`) is its row number inside that table, 1-based, header rows
  counted, as a spreadsheet row number is inside its sheet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import IngestError, Paragraph, ParsedDocument, RawTable
from ingest.readers.pdf_reader import _LEADER, _TABLE_NUMBER, _is_context, _is_title, _squash_title, is_amount_cell, norm_text
from ingest.readers.sheet_reader import _blocks, _table
from ingest.readers.text_reader import FORM_START, is_heading

Merge = tuple[int, int, int, int]  # (r0, c0, r1, c1), 0-based, inclusive


@dataclass
class TextBlock:
    """One line of text as the document shows it (a <p>, a Word paragraph, a line after <br>)."""

    text: str
    heading: bool = False  # the markup calls it a section heading (<h2>, Word's 标题 2)
    title: bool = False  # the markup calls it the document's title (<h1>, Word's 标题 style)


@dataclass
class GridBlock:
    """A table as its markup states it: the text at every position ("" inside a merged range
    except its top-left) and the merged ranges."""

    rows: list[list[str]]
    merges: list[Merge] = field(default_factory=list)


Block = TextBlock | GridBlock

# A placed cell: (row, column, rows spanned, columns spanned, text).
Placed = tuple[int, int, int, int, str]


def grid_from_cells(cells: list[Placed], n_rows: int) -> GridBlock:
    """The grid of cells whose positions and spans the reader worked out (a span running past
    the last row is cut there)."""
    width = max((c + cs for _, c, _, cs, _ in cells), default=0)
    rows = [[""] * width for _ in range(n_rows)]
    merges: list[Merge] = []
    for r, c, rs, cs, text in cells:
        if r >= n_rows:
            continue
        rows[r][c] = text
        r1 = min(r + rs, n_rows) - 1
        if r1 > r or cs > 1:
            merges.append((r, c, r1, c + cs - 1))
    return GridBlock(rows, merges)


def clean_line(text: str) -> str:
    """Full-width digits and odd spaces to plain ones, runs of white space to one space."""
    return re.sub(r"\s+", " ", norm_text(text).replace("\u200b", "")).strip()


# --- assembly ------------------------------------------------------------------------------

@dataclass
class _Line:
    index: int  # 1-based among the document's text lines
    text: str
    heading: bool = False
    doc_title: bool = False  # the markup's document title: never a table's


def assemble(path: Path, layout: str, blocks: list[Block], title_lines: list[str], what: str) -> ParsedDocument:
    """Tables and paragraphs of a document read as blocks. `title_lines`: titles the file states
    outside its text (a page's <title>), first in `heading_lines`; `what` names the format in
    messages ("网页", "Word 文件").

    Raises IngestError when the document has neither a budget table nor budget text."""
    lines: list[_Line] = []  # text lines, in order, not (yet) taken by a table
    tables: list[RawTable] = []
    titles: list[str] = []  # the document's own title lines first, then the file's
    context: list[str] = []  # 编制部门/单位 lines printed with tables, for the identity cues
    n_lines = n_grids = 0
    before_first_table: list[str] = []
    last_table: RawTable | None = None
    since_grid = 0  # lines before this index were printed above an earlier grid
    for block in blocks:
        if isinstance(block, TextBlock):
            text = clean_line(block.text)
            if not text or _LEADER.search(text):  # a contents line "一、收支总表……3"
                continue
            n_lines += 1
            if block.title:
                titles.append(text)
            if last_table is not None and last_table.note is None and re.match(r"^注\s*\d?\s*[:：]", text):
                last_table.note = text
                last_table = None
                continue
            last_table = None
            lines.append(_Line(n_lines, text, block.heading and len(text) <= 40, block.title))
            if not tables:
                before_first_table.append(text)
            continue
        n_grids += 1
        title, unit, taken = _title_above(lines, since_grid)
        above = [lines[i].text for i in sorted(taken) if lines[i].text != title and _is_context(lines[i].text)]
        lines = [ln for i, ln in enumerate(lines) if i not in taken]
        found = _grid_tables(block, n_grids, title)
        if found:
            found[0].title = found[0].title or title
            found[0].unit = found[0].unit or unit
            found[0].context_lines[:0] = above
        context += above + [line for raw in found for line in raw.context_lines if line not in above]
        if all(_is_list(raw) for raw in found):  # also a grid too small to be a table: its text stays
            for row in block.rows:
                if any(row):
                    n_lines += 1
                    lines.append(_Line(n_lines, "  ".join(c for c in row if c)))
        else:
            for raw in found:
                raw.title = raw.title or "（无标题表格）"
                tables.append(raw)
                last_table = raw
        since_grid = len(lines)
    paragraphs = _paragraphs(lines)
    if not any(_is_budget_table(t) for t in tables) and not any(_is_budget_text(p.text) for p in paragraphs):
        raise IngestError(f"{path.name}：{what}里没有找到预算表格或预算说明文字（收支总表、支出表，或写有“预算…万元”的段落），"
                          f"看起来不是部门预算/决算。请确认文件内容；如果表格是图片，需要先做 OCR。")
    heading = _unique(titles + list(title_lines) + before_first_table[:4])
    return ParsedDocument(str(path), layout, tables, paragraphs, heading_lines=heading[:10],
                          context_lines=_unique(context))


def _title_above(lines: list[_Line], since: int) -> tuple[str, str | None, set[int]]:
    """The title, table number and unit/编制部门 lines directly above a table (nearest first),
    among the lines after the grid before it (`since`)."""
    from ingest.textutil import find_unit

    title, label, unit = "", "", None
    taken: set[int] = set()
    for i in range(len(lines) - 1, max(len(lines) - 6, since - 1), -1):
        text = lines[i].text
        if _TABLE_NUMBER.match(text.replace(" ", "")):
            label = label or text.replace(" ", "").rstrip("：:")
            taken.add(i)
            if title:
                break
            continue
        if _is_context(text):
            unit = unit or find_unit(text.replace(" ", ""))
            taken.add(i)
            continue
        if not title and (_looks_like_title(text) or _short_caption(text) and not lines[i].doc_title):
            title = _squash_title(text) if _looks_like_title(text) else text
            taken.add(i)
            continue
        break
    if label and title and not title.startswith(label):
        title = f"{label} {title}"
    return title or label, unit, taken


def _looks_like_title(text: str) -> bool:
    """A table title: '…表', also with what it is by in brackets ('…明细表（按支出功能分类科目）')."""
    t = text.replace(" ", "")
    return _is_title(t) or (len(t) <= 60 and bool(re.search(r"表[（(][^（()）]{1,24}[)）]$", t)))


def _short_caption(text: str) -> bool:
    """A short line right above a table that is neither a sentence nor a numbered section
    heading ('项目支出', '“三公”经费'): the table's name, as the text reader also takes it."""
    t = text.replace(" ", "")
    return (len(t) <= 30 and not t.endswith(("。", "；", ";", "：", ":", "，", ",")) and not is_heading(t)
            and not _MONEY.search(t) and not any(is_amount_cell(w) for w in text.split()))


def _grid_tables(grid: GridBlock, seq: int, title: str) -> list[RawTable]:
    """The tables of one grid (title/unit rows inside it understood, stacked tables split).

    A title printed above the grid is handed to the spreadsheet reader as the grid's first
    row, where a sheet prints it, so that reader does not take the grid's first row for one."""
    form = _form(grid, seq)
    if form is not None:
        return [form]
    found: list[RawTable] = []
    rows, merges, first_row = grid.rows, grid.merges, 0
    if title and rows:
        rows = [[title] + [""] * (len(rows[0]) - 1)] + rows
        merges = [(r0 + 1, c0, r1 + 1, c1) for r0, c0, r1, c1 in merges]
        first_row = -1
    for part_rows, part_merges, offset in _blocks(rows, merges):
        context: list[str] = []  # 编制部门/单位 rows inside the grid
        raw, _ = _table("", part_rows, part_merges, offset + first_row, context)
        if raw is not None:
            raw.context_lines = context
            raw.line = seq
            raw.page = None
            raw.row_pages = []
            found.append(raw)
    return found


def _form(grid: GridBlock, seq: int) -> RawTable | None:
    """A label/value form (绩效目标申报表: 项目名称 | … first) kept whole, as the text reader keeps
    it, for ingest/recognise/performance.py: it has no header row to read."""
    first = next((c for row in grid.rows for c in row if c), "")
    if not FORM_START.match(first):
        return None
    width = len(grid.rows[0]) if grid.rows else 0
    numbered = [(r + 1, row) for r, row in enumerate(grid.rows) if any(row)]
    return RawTable(title="", columns=[""] * width, rows=[row for _, row in numbered], line=seq,
                    row_lines=[r for r, _ in numbered], kind_hint="performance_form")


_BUDGET_WORDS = re.compile("预算|决算|收入|支出|经费|拨款|金额|合计")


def _is_list(table: RawTable) -> bool:
    """Neither a title nor a money column: a list of names or a page's info box, i.e. text."""
    return table.title in ("", "（无标题表格）") and not _BUDGET_WORDS.search("".join(table.columns + table.column_groups))


def _is_budget_table(table: RawTable) -> bool:
    words = ("预算", "决算", "收入", "支出", "经费", "拨款")
    has_amount = any(is_amount_cell(c) for row in table.rows for c in row)
    text = table.title + "".join(table.columns + table.column_groups)
    return any(w in text for w in words) and (has_amount or "表" in table.title)


_MONEY = re.compile(r"\d[\d,，]*(\.\d+)?\s*(亿元|万元|千元|元)")


def _is_budget_text(text: str) -> bool:
    return bool(re.search("预算|决算", text) and _MONEY.search(text))


def _paragraphs(lines: list[_Line]) -> list[Paragraph]:
    """Lines → paragraphs, each with the heading of the section it sits in."""
    paragraphs: list[Paragraph] = []
    section: str | None = None
    for ln in lines:
        if ln.heading or is_heading(ln.text):
            section = ln.text
            continue
        paragraphs.append(Paragraph(ln.text, section, ln.index, None))
    return paragraphs


def _unique(texts: list[str]) -> list[str]:
    seen: set[str] = set()
    return [t for t in texts if t and not (t in seen or seen.add(t))]
