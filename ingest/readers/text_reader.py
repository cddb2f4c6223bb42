"""Read a budget published as extracted text: decode it, tell its layout, hand it to that reader.

Layouts (see data/samples/README.md):
- "tabbed": tables as tab-separated lines (optionally under `## 表名` headings), merged header
  rows, side-by-side column groups; explanatory text as plain lines.
- "cell-per-line": every cell on its own line (indented by a tab), 序号 and 栏次 columns.
- "pdf-text": text extracted from a PDF: cells separated by spaces, blank cells lost, header
  words wrapped over lines.
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.model import IngestError, Paragraph, ParsedDocument, RawTable
from ingest.readers.headers import leaf_columns, split_header
from ingest.textutil import clean_cell, find_unit

# Section headings cited as the source of a text figure: 第一部分 / 一、 / （一） / 1、 (short).
HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}、)")
META = re.compile(r"^(部门/单位|部门名称|单位名称|单位[:：]|金额单位|预算年度|保密审查|部门主要负责人|填报日期|填报人"
                  r"|[（(]\s*\d{4}\s*年度?\s*[)）]$)")
# Forms (绩效目标申报表 …) are label/value grids, not column tables: kept whole for ingest/recognise/performance.py.
FORM_START = re.compile(r"^(项目名称|部门[(（]单位[)）]名称)")


def decode(path: Path) -> str:
    """The file's text; a clear error for empty, binary or undecodable files."""
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"{path.name}：文件是空的，没有可读取的内容。")
    if b"\x00" in data[:4096] or data[:5] == b"%PDF-" or data[:2] == b"PK":
        raise IngestError(f"{path.name}：这是二进制文件，不是文本。请按真实格式命名（.pdf / .xlsx）后再导入。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(f"{path.name}：无法识别文字编码（既不是 UTF-8 也不是 GB18030）。")


def detect_layout(lines: list[str]) -> str:
    tab_lines = [ln for ln in lines if "\t" in ln.strip("\n")]
    single_cells = [ln for ln in tab_lines if ln.startswith("\t") and ln.count("\t") == 1]
    if tab_lines and len(single_cells) > 0.6 * len(tab_lines) and any("栏次" in ln for ln in lines):
        return "cell-per-line"
    if len(tab_lines) >= 5:
        return "tabbed"
    return "pdf-text"


def read_text(path: str | Path) -> ParsedDocument:
    path = Path(path)
    text = decode(path)
    lines = text.splitlines()
    layout = detect_layout(lines)
    if layout == "cell-per-line":
        from ingest.readers.text_cells import read_cell_per_line
        doc = read_cell_per_line(path, lines)
    elif layout == "pdf-text":
        from ingest.readers.text_pdflike import read_pdf_text
        doc = read_pdf_text(path, lines)
    else:
        doc = read_tabbed(path, lines)
    return doc


def is_heading(line: str) -> bool:
    s = line.strip().lstrip("#").strip()
    return (bool(s) and len(s) <= 40 and not s.endswith(("；", ";")) and "万元" not in s
            and "%" not in s and bool(HEADING.match(s)) and s.count("。") <= 1)


def paragraphs_from_lines(numbered: list[tuple[int, str]], page_of=None) -> list[Paragraph]:
    """Plain text lines → Paragraphs, each with the heading of the section it sits in."""
    paragraphs: list[Paragraph] = []
    section: str | None = None
    for line_no, raw in numbered:
        s = clean_cell(raw).lstrip("#").strip().lstrip("- ").strip()
        if not s:
            continue
        if is_heading(s):
            section = s
            continue
        paragraphs.append(Paragraph(s, section, line_no, page_of(line_no) if page_of else None))
    return paragraphs


# --- the tabbed layout ---------------------------------------------------------------------

def _is_table_line(line: str) -> bool:
    return "\t" in line and any(clean_cell(c) for c in line.split("\t"))


def read_tabbed(path: Path, lines: list[str]) -> ParsedDocument:
    tables: list[RawTable] = []
    text_lines: list[tuple[int, str]] = []
    used_as_title: set[int] = set()
    default_unit = find_unit("\n".join(lines))
    i = 0
    while i < len(lines):
        if not _is_table_line(lines[i]):
            i += 1
            continue
        start = i
        block: list[tuple[int, list[str]]] = []
        while i < len(lines):
            if _is_table_line(lines[i]):
                block.append((i + 1, lines[i].split("\t")))
                i += 1
            elif not lines[i].strip() and i + 1 < len(lines) and _continues_table(lines, i):
                i += 1
            else:
                break
        title, unit, note, title_idx = _title_above(lines, start)
        used_as_title.update(title_idx)
        tables.append(_block_to_table(block, title, unit or default_unit, note))
    for idx, line in enumerate(lines):
        if idx in used_as_title or _is_table_line(line):
            continue
        text_lines.append((idx + 1, line))
    paragraphs = paragraphs_from_lines(text_lines)
    headings = [clean_cell(ln).lstrip("#").strip() for ln in lines[:12] if clean_cell(ln)]
    return ParsedDocument(str(path), "tabbed", tables, paragraphs, heading_lines=headings)


def _continues_table(lines: list[str], i: int) -> bool:
    """Blank lines inside a table block: the table goes on if the next text line is a row."""
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    return j < len(lines) and _is_table_line(lines[j])


def _title_above(lines: list[str], start: int) -> tuple[str, str | None, str | None, set[int]]:
    """The printed title above a table (skipping 单位/部门名称 lines), its unit and table label."""
    unit = None
    used: set[int] = set()
    title = ""
    label = ""
    j = start - 1
    seen = 0
    while j >= 0 and seen < 6:
        s = clean_cell(lines[j]).lstrip("#").strip()
        j -= 1
        if not s:
            continue
        seen += 1
        if META.match(s) or find_unit(s) and len(s) < 20:
            unit = unit or find_unit(s)
            used.add(j + 1)
            continue
        if not title:
            if re.fullmatch(r"表\s*\d+(-\d+)?", s):
                label = s
                used.add(j + 1)
                continue
            if len(s) > 60 or s.endswith("。"):
                break
            title = s
            used.add(j + 1)
            continue
        if re.fullmatch(r"表\s*\d+(-\d+)?", s):
            label = s
            used.add(j + 1)
        break
    full = f"{label} {title}".strip() if label else title
    return full or "（无标题表格）", unit, None, used


def _block_to_table(block: list[tuple[int, list[str]]], title: str, unit: str | None,
                    note: str | None) -> RawTable:
    # Meta rows inside the block ("部门名称：…\t\t单位：元") carry the unit, not data.
    rows: list[tuple[int, list[str]]] = []
    for line_no, cells in block:
        joined = "".join(clean_cell(c) for c in cells)
        if META.match(joined) or (find_unit(joined) and len(joined) < 40 and not any(
                ch.isdigit() for ch in joined.replace("单位", ""))):
            unit = find_unit(joined) or unit
            continue
        rows.append((line_no, [clean_cell(c) for c in cells]))
    width = max((len(c) for _, c in rows), default=0)
    first = next((c for c in rows[0][1] if c), "") if rows else ""
    if FORM_START.match(first):
        return RawTable(title=title, columns=[""] * width, rows=[c for _, c in rows], unit=unit,
                        line=rows[0][0], row_lines=[ln for ln, _ in rows], note=note,
                        kind_hint="performance_form")
    while width and all(len(c) < width or not c[width - 1] for _, c in rows):
        width -= 1  # trailing empty columns from stray tabs
    cells_only = [c[:width] + [""] * (width - len(c[:width])) for _, c in rows]
    n_header = split_header(cells_only)
    columns, groups = leaf_columns(cells_only[:n_header], width)
    body = cells_only[n_header:]
    line_nos = [ln for ln, _ in rows[n_header:]]
    return RawTable(title=title, columns=columns, column_groups=groups, rows=body, unit=unit,
                    line=rows[0][0] if rows else None, row_lines=line_nos, note=note)
