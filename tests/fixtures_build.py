"""Build small budget files for tests: the same 支出总表 as a ruled PDF, an unruled PDF (word
positions only) and an Excel workbook with merged header cells, plus files that must be refused.

Everything is generated into a folder the caller gives (pytest's tmp_path); nothing binary is
committed. Import the builders from end-to-end tests too:

    from fixtures_build import BUDGET, make_ruled_pdf
    pdf = make_ruled_pdf(tmp_path / "ruled.pdf")
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ISSUER = "某某区医疗保障局"
TITLE = "2025年部门支出预算总表"
UNIT_LINE = "单位：万元"
HEADING = "一、部门预算编制说明"
# A sentence long enough to wrap; the reader must join it back into one paragraph.
PARAGRAPH = ("2025年，某某区医疗保障局支出预算1,566.45万元，其中：基本支出1,200.00万元，"
             "项目支出366.45万元。支出主要用于社会保障和就业支出，比2024年预算增加26.45万元。")


@dataclass
class BudgetTable:
    """A table as printed: two header rows (one spanning label) and body rows; "" is blank."""

    title: str = TITLE
    unit_line: str = UNIT_LINE
    groups: list[str] = field(default_factory=lambda: ["", "", "支出预算", "支出预算", "支出预算"])
    columns: list[str] = field(default_factory=lambda: ["科目编码", "科目名称", "合计", "基本支出", "项目支出"])
    rows: list[list[str]] = field(default_factory=lambda: [
        ["208", "社会保障和就业支出", "1,566.45", "1,200.00", "366.45"],
        ["20805", "行政事业单位养老支出", "1,200.00", "1,200.00", ""],
        ["2080505", "机关事业单位基本养老保险缴费支出", "800.00", "800.00", ""],
        ["2080506", "机关事业单位职业年金缴费支出", "400.00", "400.00", ""],
        ["20899", "其他社会保障和就业支出", "366.45", "", "366.45"],
        ["", "合计", "1,566.45", "1,200.00", "366.45"],
    ])


BUDGET = BudgetTable()

# Column edges in points on a landscape A4 page (842 × 595).
COL_X = [60, 150, 390, 500, 610, 720]
ROW_H = 22
FONT = "STSong-Light"


def _canvas(path: Path, **kwargs):
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return canvas.Canvas(str(path), pagesize=landscape(A4), **kwargs)


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


def _draw_intro(c, top: float) -> float:
    """Document title, a section heading and a wrapped paragraph; returns the y below them."""
    c.setFont(FONT, 20)
    c.drawCentredString(421, top, f"{ISSUER}2025年部门预算")
    c.setFont(FONT, 12)
    y = top - 40
    c.drawString(60, y, HEADING)
    y -= 20
    for k, part in enumerate(_wrap(PARAGRAPH, 58)):
        c.drawString(84 if k == 0 else 60, y, part)
        y -= 17
    return y - 14


def _draw_table(c, table: BudgetTable, rows: list[list[str]], top: float, ruled: bool,
                with_title: bool = True) -> float:
    """The table at `top` (PDF y, upwards); returns the y of its bottom edge."""
    y = top
    if with_title:
        c.setFont(FONT, 16)
        c.drawCentredString(421, y, table.title)
        c.setFont(FONT, 10)
        c.drawString(COL_X[0], y - 24, f"编制部门：{ISSUER}")
        c.drawRightString(COL_X[-1], y - 24, table.unit_line)
        y -= 32
    c.setFont(FONT, 10)
    h_top, h_mid, h_bot = y, y - ROW_H, y - 2 * ROW_H
    # Header: 科目编码 / 科目名称 span both header rows; 支出预算 spans the three amount columns.
    for col in (0, 1):
        c.drawCentredString((COL_X[col] + COL_X[col + 1]) / 2, (h_top + h_bot) / 2 - 4, table.columns[col])
    c.drawCentredString((COL_X[2] + COL_X[5]) / 2, h_mid + 7, table.groups[2])
    for col in (2, 3, 4):
        c.drawCentredString((COL_X[col] + COL_X[col + 1]) / 2, h_bot + 7, table.columns[col])
    y = h_bot
    for row in rows:
        base = y - ROW_H + 7
        for col, text in enumerate(row):
            if not text:
                continue
            if col <= 1:
                c.drawString(COL_X[col] + 4, base, text)
            else:
                c.drawRightString(COL_X[col + 1] - 4, base, text)
        y -= ROW_H
    if ruled:
        c.setLineWidth(0.6)
        c.line(COL_X[0], h_top, COL_X[-1], h_top)
        c.line(COL_X[2], h_mid, COL_X[-1], h_mid)
        for k in range(len(rows) + 1):
            c.line(COL_X[0], h_bot - k * ROW_H, COL_X[-1], h_bot - k * ROW_H)
        for col, x in enumerate(COL_X):
            c.line(x, h_bot, x, y)
            if col in (0, 1, 2, 5):
                c.line(x, h_top, x, h_bot)
            else:
                c.line(x, h_mid, x, h_bot)
    return y


def make_budget_pdf(path: Path, ruled: bool = True, table: BudgetTable = BUDGET,
                    split_after: int | None = None, repeat_header: bool = True) -> Path:
    """A one- or two-page budget PDF: title, heading, a wrapped paragraph, then the table.

    `split_after` rows stay on page 1 and the rest continue on page 2 (under a repeated
    header when `repeat_header`)."""
    c = _canvas(path)
    y = _draw_intro(c, 540)
    rows = table.rows if split_after is None else table.rows[:split_after]
    bottom = _draw_table(c, table, rows, y, ruled)
    c.setFont(FONT, 10)
    if split_after is not None:
        c.drawCentredString(421, 30, "- 1 -")
        c.showPage()
        c.setFont(FONT, 10)
        rest = table.rows[split_after:]
        if repeat_header:
            bottom = _draw_table(c, table, rest, 540, ruled, with_title=False)
        else:
            bottom = _draw_rows_only(c, rest, 540, ruled)
        c.setFont(FONT, 10)
    c.drawString(60, bottom - 20, "注：本表金额单位为万元。")
    c.showPage()
    c.save()
    return path


def _draw_rows_only(c, rows: list[list[str]], top: float, ruled: bool) -> float:
    y = top
    for row in rows:
        for col, text in enumerate(row):
            if text and col <= 1:
                c.drawString(COL_X[col] + 4, y - ROW_H + 7, text)
            elif text:
                c.drawRightString(COL_X[col + 1] - 4, y - ROW_H + 7, text)
        y -= ROW_H
    if ruled:
        for k in range(len(rows) + 1):
            c.line(COL_X[0], top - k * ROW_H, COL_X[-1], top - k * ROW_H)
        for x in COL_X:
            c.line(x, top, x, y)
    return y


def make_ruled_pdf(path: Path, **kwargs) -> Path:
    return make_budget_pdf(path, ruled=True, **kwargs)


def make_unruled_pdf(path: Path, **kwargs) -> Path:
    return make_budget_pdf(path, ruled=False, **kwargs)


def make_workbook(path: Path, table: BudgetTable = BUDGET, numbers_as_text: bool = False) -> Path:
    """The same table in a sheet: merged title row, unit row, merged two-row header.

    Amounts are stored as numbers with a '#,##0.00' format (as finance offices save them)
    unless `numbers_as_text`."""
    from decimal import Decimal

    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    ws = wb.active
    ws.title = "支出总表"
    ws["A1"] = table.title
    ws.merge_cells("A1:E1")
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = f"编制部门：{ISSUER}"
    ws["E2"] = table.unit_line
    ws["A3"], ws["B3"], ws["C3"] = table.columns[0], table.columns[1], table.groups[2]
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:E3")
    for col, label in zip("CDE", table.columns[2:]):
        ws[f"{col}4"] = label
    for r, row in enumerate(table.rows, start=5):
        for col, text in zip("ABCDE", row):
            if not text:
                continue
            cell = ws[f"{col}{r}"]
            if col in "CDE" and not numbers_as_text:
                cell.value = float(Decimal(text.replace(",", "")))
                cell.number_format = "#,##0.00"
            else:
                cell.value = text
    wb.save(path)
    return path


# --- files the readers must refuse -----------------------------------------------------------

def make_encrypted_pdf(path: Path) -> Path:
    c = _canvas(path, encrypt="pw")
    c.setFont(FONT, 12)
    c.drawString(60, 500, TITLE)
    c.showPage()
    c.save()
    return path


def make_image_only_pdf(path: Path) -> Path:
    """A 'scanned' page: one picture, no text layer."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    image = Image.new("RGB", (200, 100), "white")
    for x in range(20, 180):
        image.putpixel((x, 50), (0, 0, 0))
    c = _canvas(path)
    c.drawImage(ImageReader(image), 60, 300, width=600, height=300)
    c.showPage()
    c.save()
    return path


def make_poem_pdf(path: Path) -> Path:
    """A text PDF that is no budget: a poem, no tables."""
    c = _canvas(path)
    c.setFont(FONT, 14)
    lines = ["静夜思", "床前明月光，疑是地上霜。", "举头望明月，低头思故乡。"]
    for k, line in enumerate(lines):
        c.drawString(100, 500 - 30 * k, line)
    c.showPage()
    c.save()
    return path


def make_truncated_pdf(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def make_unrelated_workbook(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "通讯录"
    ws.append(["姓名", "电话", "城市"])
    ws.append(["张三", "13800000000", "上海"])
    ws.append(["李四", "13900000000", "北京"])
    wb.save(path)
    return path


def make_xls(path: Path, table: BudgetTable = BUDGET) -> Path:
    """The workbook as a legacy .xls (needs the optional `xlwt` package)."""
    from decimal import Decimal

    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("支出总表")
    money = xlwt.easyxf(num_format_str="#,##0.00")
    ws.write_merge(0, 0, 0, 4, table.title)
    ws.write(1, 0, f"编制部门：{ISSUER}")
    ws.write(1, 4, table.unit_line)
    ws.write_merge(2, 3, 0, 0, table.columns[0])
    ws.write_merge(2, 3, 1, 1, table.columns[1])
    ws.write_merge(2, 2, 2, 4, table.groups[2])
    for col, label in enumerate(table.columns[2:], start=2):
        ws.write(3, col, label)
    for r, row in enumerate(table.rows, start=4):
        for col, text in enumerate(row):
            if text and col >= 2:
                ws.write(r, col, float(Decimal(text.replace(",", ""))), money)
            elif text:
                ws.write(r, col, text)
    wb.save(str(path))
    return path


def make_csv(path: Path, table: BudgetTable = BUDGET, encoding: str = "utf-8") -> Path:
    """The table as CSV: no merges, a spanning label is followed by blank cells."""
    import csv

    with path.open("w", newline="", encoding=encoding) as fh:
        out = csv.writer(fh)
        out.writerow([table.title, "", "", "", ""])
        out.writerow([f"编制部门：{ISSUER}", "", "", "", table.unit_line])
        out.writerow([table.columns[0], table.columns[1], table.groups[2], "", ""])
        out.writerow(["", "", *table.columns[2:]])
        for row in table.rows:
            out.writerow(row)
    return path


SANGONG = BudgetTable(
    title="2025年部门“三公”经费预算表",
    groups=["", "", "", "", ""],
    columns=["合计", "因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费"],
    rows=[["12.50", "", "", "10.00", "2.50"]],
)


def make_two_tables_pdf(path: Path, ruled: bool = True) -> Path:
    """Two titled tables on one page: the 支出总表 and, below it, a one-row 三公 table whose
    empty cells must stay in their columns."""
    c = _canvas(path)
    bottom = _draw_table(c, BUDGET, BUDGET.rows, 560, ruled)
    _draw_flat_table(c, SANGONG, bottom - 50, ruled)
    c.showPage()
    c.save()
    return path


def _draw_flat_table(c, table: BudgetTable, top: float, ruled: bool) -> None:
    """A table with a single header row."""
    c.setFont(FONT, 16)
    c.drawCentredString(421, top, table.title)
    c.setFont(FONT, 10)
    c.drawRightString(COL_X[-1], top - 24, table.unit_line)
    y = top - 32
    for col, label in enumerate(table.columns):
        c.drawCentredString((COL_X[col] + COL_X[col + 1]) / 2, y - ROW_H + 7, label)
    for k, row in enumerate(table.rows, start=1):
        for col, text in enumerate(row):
            if text:
                c.drawRightString(COL_X[col + 1] - 4, y - (k + 1) * ROW_H + 7, text)
    if ruled:
        n = len(table.rows) + 1
        for k in range(n + 1):
            c.line(COL_X[0], y - k * ROW_H, COL_X[-1], y - k * ROW_H)
        for x in COL_X:
            c.line(x, y, x, y - n * ROW_H)
