"""The shapes that flow through ingest: reader → ParsedDocument → normalizer → NormalizedDocument → writer.

Every reader (text layouts, PDF, spreadsheets) produces a ParsedDocument made of RawTables
(cells as printed, with where they came from) and Paragraphs of explanatory text. One
normalizer turns that into records with exact amounts; one writer stores them. Keeping the
intermediate shapes plain dataclasses lets `budgetqa table` and the tests inspect each step.
"""
from __future__ import annotations

from dataclasses import dataclass, field


Box = tuple[float, float, float, float]


def union_box(boxes: list[Box]) -> Box:
    """The smallest box holding all `boxes`."""
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass
class RawTable:
    """One table as printed.

    `columns` holds one leaf label per column position (wrapped header words already joined),
    e.g. ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]. `column_groups` holds, per
    column, the label of the header cell spanning it ("收入", "支出", "支出功能分类科目" …) or "".

    `rows` are body rows: "" is a blank cell, None a cell merged into its neighbour. When the
    layout lost blank cells (PDF text, one cell per line), `cells_positional` is False and a row
    holds its text cells followed by the numbers that were printed, in order; the normalizer
    then decides which column each number belongs to from the budget identities.
    """

    title: str
    columns: list[str]
    rows: list[list[str | None]]
    column_groups: list[str] = field(default_factory=list)
    unit: str | None = None  # "元" / "万元" as stated above the table
    page: int | None = None  # 1-based page of the table's first row (PDF)
    line: int | None = None  # 1-based line of the title in the source text
    row_lines: list[int | None] = field(default_factory=list)  # per body row
    row_pages: list[int | None] = field(default_factory=list)  # per body row
    cells_positional: bool = True
    note: str | None = None  # e.g. "注：无政府基金预算财政拨款预算，空表列示。"
    kind_hint: str | None = None  # a reader that knows the table's kind says so
    title_as_read: str | None = None  # OCR: the title before a misread family word was put right
    # Where each body row and cell sits on its page (PDF points: x0, top, x1, bottom, from the
    # page's top-left), so the app can box a cited figure on the page image. Empty (or None
    # per row/cell) when the reader has no geometry (text files, spreadsheets).
    row_boxes: list[Box | None] = field(default_factory=list)
    cell_boxes: list[list[Box | None]] = field(default_factory=list)
    context_lines: list[str] = field(default_factory=list)  # 部门：X 单位：万元 printed with the table


@dataclass
class Paragraph:
    """A paragraph of explanatory text with the heading of the section it sits in."""

    text: str
    section: str | None = None
    line: int | None = None
    page: int | None = None
    # Printed lines of the paragraph as (end offset in `text`, page, box), for boxing a sentence.
    line_boxes: list[tuple[int, int, Box]] = field(default_factory=list)

    def box_of(self, start: int, end: int) -> tuple[int, Box] | None:
        """(page, box) of the printed lines holding text[start:end], on the page where it
        starts; None without geometry."""
        first, boxes = 0, []
        page = None
        for stop, line_page, box in self.line_boxes:
            if stop > start and first < end:
                if page is None:
                    page = line_page
                if line_page == page:
                    boxes.append(box)
            first = stop
        return (page, union_box(boxes)) if boxes else None


@dataclass
class ParsedDocument:
    """What a reader found in one file, before any interpretation of amounts."""

    source_path: str
    layout: str  # reader name, e.g. "markdown-tabs", "cell-per-line", "pdf"
    tables: list[RawTable]
    paragraphs: list[Paragraph]
    heading_lines: list[str] = field(default_factory=list)  # cover or title lines, for issuer/year
    context_lines: list[str] = field(default_factory=list)  # lines printed above tables: 部门：X 单位：万元
    has_cover: bool = False  # heading_lines are a cover page of their own
    pages: int | None = None
    ocr: dict[int, list[tuple[str, float]]] = field(default_factory=dict)  # OCR-read page → (text, confidence) runs


class IngestError(Exception):
    """A file that cannot be ingested; the message names the file and says what to do."""
