"""Two years of one issuer's budget as small ruled PDFs: a year series to chart, and PDF pages to
show with a cited cell boxed. Used by tests and by scripts/screenshot.py (needs reportlab, a test
extra)."""
from __future__ import annotations

from pathlib import Path

from fixtures_build import BUDGET, FONT, HEADING, ISSUER, BudgetTable, _canvas, _draw_table

# 2024: smaller leaves, the same identities (parent = sum of children, 合计 = 基本 + 项目).
ROWS_2024 = [
    ["208", "社会保障和就业支出", "1,350.00", "1,050.00", "300.00"],
    ["20805", "行政事业单位养老支出", "1,050.00", "1,050.00", ""],
    ["2080505", "机关事业单位基本养老保险缴费支出", "700.00", "700.00", ""],
    ["2080506", "机关事业单位职业年金缴费支出", "350.00", "350.00", ""],
    ["20899", "其他社会保障和就业支出", "300.00", "", "300.00"],
    ["", "合计", "1,350.00", "1,050.00", "300.00"],
]
ROWS = {2024: ROWS_2024, 2025: BUDGET.rows}


def make_year_pdf(path: Path, year: int) -> Path:
    """某某区医疗保障局<year>年部门预算: title, one sentence of text, the 支出总表."""
    rows = ROWS[year]
    c = _canvas(path)
    c.setFont(FONT, 20)
    c.drawCentredString(421, 540, f"{ISSUER}{year}年部门预算")
    c.setFont(FONT, 12)
    c.drawString(60, 500, HEADING)
    c.drawString(84, 483, f"{year}年，{ISSUER}支出预算{rows[0][2]}万元，其中：基本支出{rows[0][3]}万元。")
    _draw_table(c, BudgetTable(title=f"{year}年部门支出预算总表", rows=rows), rows, 440, ruled=True)
    c.showPage()
    c.save()
    return path


def make_series(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [make_year_pdf(folder / f"series-{year}.pdf", year) for year in sorted(ROWS)]
