"""Read a budget spreadsheet (.xlsx, .xls, .csv): one table per sheet (or per titled block of a
sheet), merged header cells turned into leaf labels and spanning groups, the title and unit
taken from the rows above the header, every body row keeping its sheet row number.

Cells are handed on as the sheet displays them ("1,566.45" for 1566.45 under '#,##0.00'), never
interpreted: ingest/normalise/normalize.py reads the amounts. Header analysis is shared with the PDF
reader (`grid_to_table`), so a table reads the same from a PDF and from its workbook.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from db import limits

from ingest.readers.guards import CellBudget, check_csv_rows, check_input_file, check_xlsx_archive
from ingest.model import IngestError, ParsedDocument, RawTable
from ingest.readers.pdf_reader import (Grid, _is_context, _is_title, grid_to_table, header_rows,
                         is_amount_cell, norm_text)
from ingest.textutil import find_unit

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")

# A sheet as read: rows of display texts, merged ranges (r0, c0, r1, c1; 0-based, inclusive).
Sheet = tuple[str, list[list[str]], list[tuple[int, int, int, int]]]


def read_spreadsheet(path: str | Path) -> ParsedDocument:
    """Tables of every sheet of a budget workbook or CSV file.

    Raises IngestError naming the file when it cannot be opened or holds no budget table."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"{path}：文件不存在。请检查路径。")
    check_input_file(path)
    data = path.read_bytes()
    if not data:
        raise IngestError(f"{path.name}：文件是空的（0 字节），可能下载或复制没有完成。请重新获取文件。")
    try:
        sheets = _read_sheets(path, data)
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"{path.name}：表格文件已损坏或格式不对，无法打开（{type(exc).__name__}）。"
                          f"请用 Excel/WPS 打开后另存为 .xlsx 再导入。") from None
    tables: list[RawTable] = []
    heading: list[str] = []
    context: list[str] = []  # lines above the tables: 编制部门：X  单位：万元
    for name, rows, merges in sheets:
        for block_rows, block_merges, offset in _blocks(rows, merges):
            raw, preamble = _table(name, block_rows, block_merges, offset, context)
            heading += preamble
            if raw is not None:
                tables.append(raw)
    if not any(_is_budget_table(t) for t in tables):
        raise IngestError(f"{path.name}：没有找到预算表格（表头里没有预算/支出/收入等栏目，也没有金额），"
                          f"看起来不是部门预算/决算表。请确认文件内容。")
    return ParsedDocument(str(path), "spreadsheet", tables, [], heading_lines=heading[:8], context_lines=context)


# --- opening the file ----------------------------------------------------------------------

def _read_sheets(path: Path, data: bytes) -> list[Sheet]:
    """By content, not by extension: many '.xls' files are really xlsx, CSV or HTML."""
    if data.startswith(b"PK"):
        return _xlsx_sheets(path)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        try:
            return _xls_sheets(path)
        except Exception as exc:
            if path.suffix.lower() in (".xlsx", ".xlsm") or "encrypt" in str(exc).lower():
                raise IngestError(f"{path.name}：这个 Excel 文件加了密码（或已损坏），无法打开。"
                                  f"请用密码打开后另存为不加密的 .xlsx 再导入。") from None
            raise
    if data.startswith(b"%PDF-"):
        raise IngestError(f"{path.name}：扩展名是 {path.suffix}，但内容是 PDF。请改名为 .pdf 后再导入。")
    if path.suffix.lower() in (".xlsx", ".xlsm"):  # always a zip; text here is a renamed .txt/.csv
        raise IngestError(f"{path.name}：扩展名是 {path.suffix}，但内容不是 Excel 工作簿（像是文本文件）。"
                          f"请按真实格式改名（.txt 或 .csv）后再导入。")
    text = _decode(path, data)
    if re.match(r"\s*<(!doctype html|html|table)", text[:200], re.I):
        raise IngestError(f"{path.name}：这是网页（HTML），不是 Excel 表格。请在 Excel/WPS 中打开后另存为 .xlsx 再导入。")
    return [(path.stem, _csv_rows(text, path), [])]


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise IngestError(f"{path.name}：无法识别的二进制文件，不是 Excel 或 CSV 表格。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(f"{path.name}：无法识别文字编码（既不是 UTF-8 也不是 GB18030）。请另存为 UTF-8 的 CSV。")


def _csv_rows(text: str, path: Path | None = None) -> list[list[str]]:
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        rows.append([norm_text(c).strip() for c in row])
        if path is not None and len(rows) > limits.CSV_MAX_ROWS:
            check_csv_rows(path, len(rows))
    return rows


def _xlsx_sheets(path: Path) -> list[Sheet]:
    """Streamed (openpyxl read_only): only the rows the file holds, up to the cell cap. A
    used range stretched to XFD1048576 would otherwise be materialised cell by cell."""
    from openpyxl import load_workbook

    check_xlsx_archive(path)
    budget = CellBudget(path)
    wb = load_workbook(path, data_only=True, read_only=True)
    try:
        sheets = []
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            ws.reset_dimensions()  # the stored dimension may claim the whole sheet: read real rows
            rows = []
            for row in ws.iter_rows():
                budget.take(len(row))
                cells = [_display(c.value, getattr(c, "number_format", None)) for c in row]
                while cells and cells[-1] == "":
                    cells.pop()
                rows.append(cells)
            while rows and not rows[-1]:
                rows.pop()
            width = max((len(r) for r in rows), default=0)
            rows = [r + [""] * (width - len(r)) for r in rows]
            sheets.append((ws.title, rows, _xlsx_merges(wb, ws, len(rows), width)))
        return sheets
    finally:
        wb.close()


def _xlsx_merges(wb, ws, n_rows: int, width: int) -> list[tuple[int, int, int, int]]:
    """Merged ranges of a read-only sheet (openpyxl keeps them only in full mode), read from the
    sheet's XML as a stream and clipped to the rows and columns that hold cells."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils import range_boundaries

    merges = []
    with wb._archive.open(ws._worksheet_path) as source:
        for _, element in iterparse(source):
            if element.tag.endswith("}mergeCell") and element.get("ref"):
                c0, r0, c1, r1 = range_boundaries(element.get("ref"))
                if r0 <= n_rows and c0 <= width:
                    merges.append((r0 - 1, c0 - 1, min(r1, n_rows) - 1, min(c1, width) - 1))
            element.clear()
    return merges


def _xls_sheets(path: Path) -> list[Sheet]:
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True)
    sheets = []
    budget = CellBudget(path)
    for sh in book.sheets():
        if getattr(sh, "visibility", 0):
            continue
        budget.take(sh.nrows * sh.ncols)
        rows = []
        for r in range(sh.nrows):
            row = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                fmt = ""
                xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
                if xf is not None and xf.format_key in book.format_map:
                    fmt = book.format_map[xf.format_key].format_str
                value = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    value = None
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    value = bool(value)
                row.append(_display(value, fmt))
            rows.append(row)
        merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sh.merged_cells]
        sheets.append((sh.name, rows, merges))
    return sheets


def _display(value, number_format: str | None) -> str:
    """A cell's value as the sheet shows it, exactly: decimals of its number format, thousands
    separators when the format has them; float noise (1566.4499999999998) rounded away."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) and not value.time() else str(value)
    if isinstance(value, (int, float)):
        return _format_number(value, number_format or "General")
    return norm_text(str(value)).strip()


def _format_number(value: int | float, fmt: str) -> str:
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        return str(value)
    section = fmt.split(";")[0]
    percent = "%" in section
    if percent:
        exact *= 100
    m = re.search(r"0\.(0+)", section)
    places = len(m.group(1)) if m else (0 if re.search(r"[0#]", section) and "General" not in fmt else None)
    if places is not None:
        shown = exact.quantize(Decimal(1).scaleb(-places))
        if abs(shown - exact) >= Decimal("0.000001"):
            shown = exact.normalize()  # more digits than the format shows: keep them all
    else:
        shown = exact.quantize(Decimal("0.000001")).normalize()
    if shown == shown.to_integral_value() and places in (None, 0):
        shown = shown.quantize(Decimal(1))
    text = f"{shown:,f}" if "#,##" in section else f"{shown:f}"
    return text + ("%" if percent else "")


# --- one sheet → tables --------------------------------------------------------------------

def _blocks(rows: list[list[str]], merges: list[tuple[int, int, int, int]]):
    """Split a sheet at title rows ('…表' alone in its row) that follow a table: some workbooks
    stack several tables in one sheet. Yields (rows, merges, first row index)."""
    starts = [0]
    seen_body = False
    for r, row in enumerate(rows):
        texts = [t for t in row if t]
        if len(texts) == 1 and _is_title(texts[0]) and seen_body:
            starts.append(r)
            seen_body = False
        elif any(is_amount_cell(t) for t in texts):
            seen_body = True
    starts.append(len(rows))
    for a, b in zip(starts, starts[1:]):
        block_merges = [(r0 - a, c0, r1 - a, c1) for r0, c0, r1, c1 in merges if a <= r0 < b]
        yield rows[a:b], block_merges, a


def _table(sheet: str, rows: list[list[str]], merges, offset: int,
           context: list[str]) -> tuple[RawTable | None, list[str]]:
    width = max((c + 1 for row in rows for c, t in enumerate(row) if t), default=0)
    rows = [row[:width] + [""] * (width - len(row[:width])) for row in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    # Rows above the header: the title, 编制部门 and 单位 lines.
    title, unit, preamble = "", None, []
    start = 0
    for r, row in enumerate(rows):
        texts = [t for t in row if t]
        if not texts:
            start = r + 1
            continue
        joined = " ".join(texts)
        single = len(texts) == 1 or _merged_across(merges, r, width)
        if _is_context(joined.replace(" ", "")) or any(_is_context(t) for t in texts):
            unit = unit or find_unit(joined.replace(" ", ""))
            context.append(joined)
            preamble.append(joined)
            start = r + 1
            continue
        if single and not title and (_is_title(texts[0]) or r == start) and not is_amount_cell(texts[0]) \
                and r + 1 < len(rows) and any(rows[r + 1]):
            title = texts[0].replace(" ", "") if _is_title(texts[0]) else texts[0]
            preamble.append(texts[0])
            start = r + 1
            continue
        break
    body = rows[start:]
    note = None
    while body and sum(1 for t in body[-1] if t) == 1 and next(t for t in body[-1] if t).startswith(("注", "说明")):
        note = next(t for t in body.pop() if t) if note is None else note
    if not body or width < 2:
        return None, preamble
    grid = _grid(body, [(r0 - start, c0, r1 - start, c1) for r0, c0, r1, c1 in merges
                        if r1 >= start and r0 - start < len(body)], width)
    grid.row_lines = [offset + start + r + 1 for r in range(len(body))]
    if not title and not re.fullmatch(r"(?i)sheet\s*\d*", sheet):
        title = sheet
    raw = grid_to_table(grid, title, unit, None, note)
    raw.line = offset + 1
    return raw, preamble


def _merged_across(merges, r: int, width: int) -> bool:
    return any(r0 <= r <= r1 and c0 == 0 and c1 >= width - 2 for r0, c0, r1, c1 in merges)


def _grid(rows: list[list[str]], merges, width: int) -> Grid:
    """Cells with ids; a merged range is one id; in header rows a blank cell right of a label,
    with labels under it, belongs to that label (sheets that centre across a selection)."""
    owner = [[-1] * width for _ in rows]
    texts: list[str] = []
    for r0, c0, r1, c1 in merges:
        r0 = max(r0, 0)
        cid = len(texts)
        texts.append(rows[r0][c0] if r0 < len(rows) else "")
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                owner[r][c] = cid
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if owner[r][c] < 0:
                owner[r][c] = len(texts)
                texts.append(text)
    grid = Grid(owner, texts)
    n_header, _ = header_rows(grid)
    for r in range(min(n_header, len(rows)) - 1):
        for c in range(1, width):
            cid, left = owner[r][c], owner[r][c - 1]
            if texts[cid] or cid == left or not texts[left]:
                continue
            below = any(texts[owner[r2][c]] for r2 in range(r + 1, n_header))
            single = sum(1 for cc in range(width) if owner[r][cc] == cid) == 1
            if below and single:
                owner[r][c] = left
    return grid


def _is_budget_table(table: RawTable) -> bool:
    words = ("预算", "决算", "收入", "支出", "经费", "拨款", "科目")
    text = table.title + " ".join(table.columns) + " ".join(table.column_groups)
    has_amount = any(is_amount_cell(c) for row in table.rows for c in row)
    return any(w in text for w in words) and (has_amount or "表" in table.title)
