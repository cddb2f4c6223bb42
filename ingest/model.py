"""The shapes that flow through ingest: reader → ParsedDocument → normalizer → NormalizedDocument → writer.

Every reader (text layouts, PDF, spreadsheets) produces a ParsedDocument made of RawTables
(cells as printed, with where they came from) and Paragraphs of explanatory text. One
normalizer turns that into records with exact amounts; one writer stores them. Keeping the
intermediate shapes plain dataclasses lets `budgetqa table` and the tests inspect each step.
"""
from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass
class Paragraph:
    """A paragraph of explanatory text with the heading of the section it sits in."""

    text: str
    section: str | None = None
    line: int | None = None
    page: int | None = None


@dataclass
class ParsedDocument:
    """What a reader found in one file, before any interpretation of amounts."""

    source_path: str
    layout: str  # reader name, e.g. "markdown-tabs", "cell-per-line", "pdf"
    tables: list[RawTable]
    paragraphs: list[Paragraph]
    heading_lines: list[str] = field(default_factory=list)  # title lines, for issuer/year
    issuer: str | None = None  # when the reader can tell it directly (部门名称：…)
    year: int | None = None
    kind: str | None = None  # "预算" / "决算"
    pages: int | None = None
    ocr: dict[int, list[tuple[str, float]]] = field(default_factory=dict)  # OCR-read page → (text, confidence) runs


class IngestError(Exception):
    """A file that cannot be ingested; the message names the file and says what to do."""
