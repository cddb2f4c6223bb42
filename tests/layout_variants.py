"""One budget table printed the way other publishers print it: the figures of a sample budget
(so every total still adds up) in other layouts, as small PDFs and workbooks built in code.

A `Printed` table is a header grid and body rows exactly as they appear on paper. In the
header, "<" marks a cell merged into the cell on its left and "^" one merged into the cell
above, so a three-row header with spanning labels is written as it looks:

    [["科目编码", "科目名称", "本年预算", "<", "<", "上年预算"],
     ["^",        "^",        "合计", "基本支出", "项目支出", "^"]]

`variants(rows)` turns the sample's rows (code, name, 合计, 基本支出, 项目支出 in 万元) into
the layouts; `write_pdf` and `write_workbook` print them. Used by tests/test_layout_variants.py
and benchmarks/layout_variants.py; nothing binary is committed.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

FONT = "STSong-Light"
PAGE_W, PAGE_H = 842.0, 595.0  # landscape A4
MARGIN = 40.0
ROW_H = 14.0
TEXT_SIZE = 8.0


@dataclass
class Printed:
    """A table as printed: title, the lines under it, header grid, body rows ("" is blank)."""

    title: str
    header: list[list[str]]
    rows: list[list[str]]
    widths: list[float]  # relative column widths
    unit_line: str = "单位：万元"
    context: str = ""  # 部门：X, printed left of the unit line
    numeric_from: int = 2  # first column printed right-aligned (amounts)
    text_cols: tuple[int, ...] = ()  # further text columns among the amounts (a second 项目 half)
    indent: list[int] = field(default_factory=list)  # per body row: levels of indent of the name
    name_col: int = 1

    @property
    def width(self) -> int:
        return len(self.widths)


# --- the figures --------------------------------------------------------------------------------

Row = tuple[str, str, Decimal | None, Decimal | None, Decimal | None]  # code, name, 合计, 基本, 项目 (万元)


def fmt(value: Decimal | None, places: int = 2, sep: bool = True, zero: str = "") -> str:
    """A printed amount: 1,566.45 / 1566.4500 / '' or '-' for nothing."""
    if value is None or value == 0:
        return zero
    q = value.quantize(Decimal(1).scaleb(-places))
    return f"{q:,.{places}f}" if sep else f"{q:.{places}f}"


def sample_rows(path: Path, title: str) -> list[Row]:
    """The rows of a sample budget's 支出 table (total first), read by the product itself from
    the bundled text file: the figures every variant prints."""
    from ingest.pipeline import parse_file

    doc = parse_file(path)
    assert not isinstance(doc, str), doc
    table = next(t for t in doc.tables if t.title == title)
    rows: dict[int, list] = {}
    measures = ("合计", "基本支出", "项目支出")
    for item in table.items:
        if item.measure not in measures or item.unit != "万元":
            continue
        row = rows.setdefault(item.row_no, [item.code or "", item.name, None, None, None])
        row[2 + measures.index(item.measure)] = Decimal(item.amount_fen) / Decimal(1_000_000)
    ordered = sorted(rows.items(), key=lambda kv: (not (kv[1][1].startswith(("合计", "总")) and not kv[1][0]), kv[0]))
    return [tuple(r) for _, r in ordered]  # type: ignore[misc]


MEASURES = ("合计", "基本支出", "项目支出")


def expected_items(rows: list[Row], with_codes: bool = True) -> set[tuple]:
    """(code, name, measure, 分) of every figure the rows print; code None for a layout without codes."""
    out = set()
    for code, name, *values in rows:
        for measure, value in zip(MEASURES, values):
            if value:
                out.add(((code or None) if with_codes else None, name, measure, int(value * 1_000_000)))
    return out


def read_items(doc, with_codes: bool = True) -> set[tuple]:
    """The same of a normalized document: its 合计/基本支出/项目支出 figures (printed zeros left out)."""
    return {((i.code if with_codes else None), i.name, i.measure, i.amount_fen)
            for t in doc.tables for i in t.items if i.measure in MEASURES and i.amount_fen}


# --- the layouts --------------------------------------------------------------------------------

BASE_HEADER = [["科目编码", "科目名称", "支出预算", "<", "<"],
               ["^", "^", "合计", "基本支出", "项目支出"]]
BASE_WIDTHS = [1.0, 3.2, 1.3, 1.3, 1.3]


def _amounts(row: Row, **kw) -> list[str]:
    return [fmt(v, **kw) for v in row[2:]]


def base(rows: list[Row], title: str, context: str) -> Printed:
    """科目编码 | 科目名称 | 合计 | 基本支出 | 项目支出 under 支出预算, 万元 with 2 decimals."""
    body = [[r[0], r[1], *_amounts(r)] for r in rows]
    return Printed(title, BASE_HEADER, body, BASE_WIDTHS, context=context)


def code_parts(rows: list[Row], title: str, context: str) -> Printed:
    """科目编码 split into 类 | 款 | 项 columns (201 | 01 | 02), the 类 and 款 printed on every row."""
    header = [["科目编码", "<", "<", "科目名称", "支出预算", "<", "<"],
              ["类", "款", "项", "^", "合计", "基本支出", "项目支出"]]
    body = []
    for r in rows:
        code = r[0]
        parts = [code[:3], code[3:5], code[5:7]] if code else ["", "", ""]
        body.append([*parts, r[1], *_amounts(r)])
    return Printed(title, header, body, [0.5, 0.5, 0.5, 3.2, 1.3, 1.3, 1.3], context=context, numeric_from=4,
                   name_col=3)


def code_parts_sparse(rows: list[Row], title: str, context: str) -> Printed:
    """类 | 款 | 项 columns with each part printed once: the 类 row shows 208, its 款 rows 05
    only, their 项 rows 05 only (the parts above are read from the rows before)."""
    table = code_parts(rows, title, context)
    body = []
    for row in table.rows:
        lei, kuan, xiang = row[:3]
        parts = [lei, "", ""] if not kuan else (["", kuan, ""] if not xiang else ["", "", xiang])
        body.append([*parts, *row[3:]])
    return replace(table, rows=body)


def code_in_name(rows: list[Row], title: str, context: str) -> Printed:
    """One 科目 column: '2080505 机关事业单位基本养老保险缴费支出'."""
    header = [["功能分类科目", "支出预算", "<", "<"], ["^", "合计", "基本支出", "项目支出"]]
    body = [[f"{r[0]} {r[1]}" if r[0] else r[1], *_amounts(r)] for r in rows]
    return Printed(title, header, body, [4.2, 1.3, 1.3, 1.3], context=context, numeric_from=1, name_col=0)


def names_numbered(rows: list[Row], title: str, context: str) -> Printed:
    """No codes: 类 rows numbered 一、二、, 款 rows (一)(二), 项 rows 1. 2. as some counties print."""
    header = [["项目", "支出预算", "<", "<"], ["^", "合计", "基本支出", "项目支出"]]
    counters = [0, 0, 0]
    body = []
    for r in rows:
        level = max(0, (len(r[0]) - 3) // 2) if r[0] else -1
        if level >= 0:
            counters[level] += 1
            counters[level + 1:] = [0] * (2 - level)
            n = counters[level]
            mark = [f"{_CN[n]}、", f"（{_CN[n]}）", f"{n}."][level]
        else:
            mark = ""
        body.append([mark + r[1], *_amounts(r)])
    return Printed(title, header, body, [4.2, 1.3, 1.3, 1.3], context=context, numeric_from=1, name_col=0)


_CN = "零一二三四五六七八九十"


def names_indented(rows: list[Row], title: str, context: str) -> Printed:
    """No codes: the names alone, indented by level (类 flush, 款 one step, 项 two)."""
    header = [["项目", "支出预算", "<", "<"], ["^", "合计", "基本支出", "项目支出"]]
    body = [[r[1], *_amounts(r)] for r in rows]
    indent = [max(0, (len(r[0]) - 3) // 2) if r[0] else 0 for r in rows]
    return Printed(title, header, body, [4.2, 1.3, 1.3, 1.3], context=context, numeric_from=1, indent=indent,
                   name_col=0)


def in_yuan(rows: list[Row], title: str, context: str) -> Printed:
    """单位：元, thousands separators: 15,664,500.00."""
    body = [[r[0], r[1], *[fmt(v * 10000 if v is not None else None) for v in r[2:]]] for r in rows]
    return replace(base(rows, title, context), rows=body, unit_line="单位：元")


def four_places(rows: list[Row], title: str, context: str) -> Printed:
    """万元 with 4 decimals and no separators: 1566.4500."""
    body = [[r[0], r[1], *_amounts(r, places=4, sep=False)] for r in rows]
    return replace(base(rows, title, context), rows=body)


def dash_for_zero(rows: list[Row], title: str, context: str) -> Printed:
    """'-' where there is nothing (blank in the sample)."""
    body = [[r[0], r[1], *_amounts(r, zero="-")] for r in rows]
    return replace(base(rows, title, context), rows=body)


def zero_printed(rows: list[Row], title: str, context: str) -> Printed:
    """'0.00' where there is nothing."""
    body = [[r[0], r[1], *_amounts(r, zero="0.00")] for r in rows]
    return replace(base(rows, title, context), rows=body)


def unit_in_header(rows: list[Row], title: str, context: str) -> Printed:
    """No unit line: the unit in the column labels, 合计（万元）."""
    header = [["科目编码", "科目名称", "支出预算（万元）", "<", "<"],
              ["^", "^", "合计", "基本支出", "项目支出"]]
    return replace(base(rows, title, context), header=header, unit_line="")


def _last_year(value: Decimal | None) -> Decimal | None:
    """A made-up 上年 figure: 90% of this year's, so changes are positive and negative-free."""
    return None if value is None else (value * Decimal("0.9")).quantize(Decimal("0.01"))


def with_change_columns(rows: list[Row], title: str, context: str, negative: str = "-") -> Printed:
    """Three header rows: 本年预算 (合计 | 基本支出 | 项目支出), 上年预算, 增减额, 增减%.

    The 上年 figures are the sample's minus 10% on the 合计, and every 项 row whose code ends
    in 1 is printed as falling (so 增减 has negative numbers, as `negative` prints them)."""
    header = [["支出功能分类科目", "<", "金额", "<", "<", "<", "<", "<"],
              ["科目编码", "科目名称", "本年预算", "<", "<", "上年预算", "比上年增减", "<"],
              ["^", "^", "合计", "基本支出", "项目支出", "^", "增减额", "增减%"]]
    body = []
    for r in rows:
        now = r[2]
        before = _last_year(now)
        if r[0].endswith("1") and len(r[0]) == 7 and now is not None:
            before = (now * Decimal("1.2")).quantize(Decimal("0.01"))
        change = None if now is None else now - (before or Decimal(0))
        rate = None if not before else (change / before * 100).quantize(Decimal("0.01"))
        cells = [fmt(change), fmt(rate)]
        cells = [_negative(c, negative) for c in cells]
        body.append([r[0], r[1], *_amounts(r), fmt(before), *cells])
    return Printed(title, header, body, [0.9, 3.0, 1.1, 1.1, 1.1, 1.1, 1.0, 0.8], context=context)


def _negative(text: str, style: str) -> str:
    if not text.startswith("-"):
        return text
    return {"-": text, "()": f"({text[1:]})", "△": f"△{text[1:]}"}[style]


def paren_negatives(rows: list[Row], title: str, context: str) -> Printed:
    return with_change_columns(rows, title, context, negative="()")


def final_accounts(rows: list[Row], title: str, context: str) -> Printed:
    """A 决算 layout: 年初预算数 | 调整预算数 | 决算数 (合计 | 基本支出 | 项目支出) | 完成率%."""
    header = [["科目编码", "科目名称", "年初预算数", "调整预算数", "决算数", "<", "<", "决算数为年初预算数的%"],
              ["^", "^", "^", "^", "合计", "基本支出", "项目支出", "^"]]
    body = []
    for r in rows:
        plan = _last_year(r[2])
        rate = None if not plan else (r[2] / plan * 100).quantize(Decimal("0.01"))
        body.append([r[0], r[1], fmt(plan), fmt(plan), *_amounts(r), fmt(rate)])
    return Printed(title.replace("预算", "决算"), header, body, [0.9, 3.0, 1.1, 1.1, 1.1, 1.1, 1.1, 1.0],
                   context=context)


def wrapped_names(rows: list[Row], title: str, context: str) -> Printed:
    """A narrow 科目名称 column: long names wrap onto a second line inside their cell."""
    return replace(base(rows, title, context), widths=[1.0, 1.4, 1.3, 1.3, 1.3])


def in_yuan_whole(rows: list[Row], title: str, context: str) -> Printed:
    """单位：元 in whole yuan, no decimals: 15,664,500."""
    body = [[r[0], r[1], *[fmt(v * 10000 if v is not None else None, places=0) for v in r[2:]]] for r in rows]
    return replace(base(rows, title, context), rows=body, unit_line="单位：元")


def column_numbers(rows: list[Row], title: str, context: str) -> Printed:
    """A 栏次 row under the header numbering the columns (1, 2, 3), as 决算 forms print."""
    header = [["科目编码", "科目名称", "支出预算", "<", "<"],
              ["^", "^", "合计", "基本支出", "项目支出"],
              ["栏次", "<", "1", "2", "3"]]
    return replace(base(rows, title, context), header=header)


LAYOUTS = {
    "base": base,
    "code_parts": code_parts,
    "code_parts_sparse": code_parts_sparse,
    "code_in_name": code_in_name,
    "names_numbered": names_numbered,
    "names_indented": names_indented,
    "in_yuan": in_yuan,
    "four_places": four_places,
    "dash_for_zero": dash_for_zero,
    "zero_printed": zero_printed,
    "unit_in_header": unit_in_header,
    "change_columns": with_change_columns,
    "paren_negatives": paren_negatives,
    "final_accounts": final_accounts,
    "wrapped_names": wrapped_names,
    "in_yuan_whole": in_yuan_whole,
    "column_numbers": column_numbers,
}


Side = list[tuple[str, Decimal]]  # (name, 万元) down one half of a 收支总表


def summary_sides(path: Path, title: str) -> tuple[Side, Side]:
    """The 收入 and 支出 halves of a sample's 收支总表 (totals last), read by the product."""
    from ingest.pipeline import parse_file

    doc = parse_file(path)
    assert not isinstance(doc, str), doc
    table = next(t for t in doc.tables if t.title == title)
    sides: dict[str, Side] = {"收入": [], "支出": []}
    for item in sorted(table.items, key=lambda i: i.row_no):
        sides[item.side].append((item.name, Decimal(item.amount_fen) / Decimal(1_000_000)))
    return sides["收入"], sides["支出"]


def _halves(income: Side, spending: Side) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Both halves on the same rows, the shorter padded so that the totals end level."""
    def pad(side: Side, n: int) -> list[tuple[str, str]]:
        body, totals = [s for s in side if "计" not in s[0]], [s for s in side if "计" in s[0]]
        cells = [(name, fmt(v)) for name, v in body] + [("", "")] * (n - len(side))
        return cells + [(name, fmt(v)) for name, v in totals]
    n = max(len(income), len(spending))
    return list(zip(pad(income, n), pad(spending, n)))


def summary_grouped(income: Side, spending: Side, title: str, context: str) -> Printed:
    """收支总表 as two halves side by side under spanning labels: 收入 (项目 | 预算数) | 支出 (项目 | 预算数)."""
    header = [["收入", "<", "支出", "<"], ["项目", "预算数", "项目", "预算数"]]
    body = [[a, av, b, bv] for (a, av), (b, bv) in _halves(income, spending)]
    return Printed(title, header, body, [3.0, 1.3, 3.0, 1.3], context=context, numeric_from=1, name_col=0,
                   text_cols=(2,))


def summary_flat(income: Side, spending: Side, title: str, context: str) -> Printed:
    """The same on one header row: 收入项目 | 金额 | 支出项目 | 金额."""
    table = summary_grouped(income, spending, title, context)
    return replace(table, header=[["收入项目", "金额", "支出项目", "金额"]])


def summary_years(income: Side, spending: Side, title: str, context: str) -> Printed:
    """Halves with this year's and last year's figures: 收入 (项目 | 本年预算 | 上年预算) | 支出 (…)."""
    header = [["收  入", "<", "<", "支  出", "<", "<"],
              ["项  目", "本年预算", "上年预算", "项  目", "本年预算", "上年预算"]]
    last = lambda v: fmt((Decimal(v.replace(",", "")) * Decimal("0.9")).quantize(Decimal("0.01"))) if v else ""  # noqa: E731
    body = [[a, av, last(av), b, bv, last(bv)] for (a, av), (b, bv) in _halves(income, spending)]
    return Printed(title, header, body, [2.6, 1.0, 1.0, 2.6, 1.0, 1.0], context=context, numeric_from=1,
                   name_col=0, text_cols=(3,))


# --- the “三公” table -----------------------------------------------------------------------------

SANGONG_PARTS = ("因公出国（境）费", "公务用车购置费", "公务用车运行费", "公务接待费")


def sangong_wide(parts: dict[str, Decimal], title: str, context: str) -> Printed:
    """One row of figures under the items: 合计 | 因公出国（境）费 | 公务用车购置及运行费
    (小计 | 购置费 | 运行费) | 公务接待费."""
    car = parts["公务用车购置费"] + parts["公务用车运行费"]
    header = [["合计", "因公出国（境）费", "公务用车购置及运行费", "<", "<", "公务接待费"],
              ["^", "^", "小计", "购置费", "运行费", "^"]]
    values = [sum(parts.values()), parts["因公出国（境）费"], car, parts["公务用车购置费"], parts["公务用车运行费"],
              parts["公务接待费"]]
    return Printed(title, header, [[fmt(v, zero="0.00") for v in values]], [1.0] * 6, context=context,
                   numeric_from=0, name_col=-1)


def sangong_long(parts: dict[str, Decimal], title: str, context: str) -> Printed:
    """The items down the rows: 项目 | 预算数, 公务用车购置及运行费 with its two 其中 lines."""
    car = parts["公务用车购置费"] + parts["公务用车运行费"]
    body = [["合计", fmt(sum(parts.values()), zero="0.00")],
            ["1.因公出国（境）费", fmt(parts["因公出国（境）费"], zero="0.00")],
            ["2.公务用车购置及运行费", fmt(car, zero="0.00")],
            ["其中：公务用车购置费", fmt(parts["公务用车购置费"], zero="0.00")],
            ["      公务用车运行费", fmt(parts["公务用车运行费"], zero="0.00")],
            ["3.公务接待费", fmt(parts["公务接待费"], zero="0.00")]]
    return Printed(title, [["项目", "预算数"]], body, [3.0, 1.5], context=context, numeric_from=1, name_col=0)


SANGONG_LAYOUTS = {"sangong_wide": sangong_wide, "sangong_long": sangong_long}

SUMMARY_LAYOUTS = {"summary_grouped": summary_grouped, "summary_flat": summary_flat, "summary_years": summary_years}


# --- printing: PDF ------------------------------------------------------------------------------

def _spans(header: list[list[str]]) -> list[tuple[int, int, int, int, str]]:
    """Header cells as (row0, col0, row1, col1, text), merges resolved."""
    out = []
    for r, row in enumerate(header):
        for c, text in enumerate(row):
            if text in ("<", "^"):
                continue
            c1 = c
            while c1 + 1 < len(row) and row[c1 + 1] == "<":
                c1 += 1
            r1 = r
            while r1 + 1 < len(header) and header[r1 + 1][c] == "^":
                r1 += 1
            out.append((r, c, r1, c1, text))
    return out


def _canvas(path: Path, portrait: bool = False):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return canvas.Canvas(str(path), pagesize=(PAGE_H, PAGE_W) if portrait else (PAGE_W, PAGE_H))


def _xs(table: Printed) -> list[float]:
    total = sum(table.widths)
    xs = [MARGIN]
    for w in table.widths:
        xs.append(xs[-1] + w / total * (PAGE_W - 2 * MARGIN))
    return xs


def _draw_header(c, table: Printed, top: float, ruled: bool = True) -> float:
    xs = _xs(table)
    c.setFont(FONT, TEXT_SIZE)
    for r0, c0, r1, c1, text in _spans(table.header):
        x0, x1 = xs[c0], xs[c1 + 1]
        y0, y1 = top - r0 * ROW_H, top - (r1 + 1) * ROW_H
        if ruled:
            c.rect(x0, y1, x1 - x0, y0 - y1)
        lines = _wrap(text, x1 - x0 - 4)
        mid = (y0 + y1) / 2 + (len(lines) - 1) * TEXT_SIZE / 2 - 3
        for k, part in enumerate(lines):
            c.drawCentredString((x0 + x1) / 2, mid - k * TEXT_SIZE, part)
    return top - len(table.header) * ROW_H


def _wrap(text: str, width: float) -> list[str]:
    """A header label broken into lines that fit its cell, as a word processor wraps it."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = [""]
    for ch in text:
        if lines[-1] and stringWidth(lines[-1] + ch, FONT, TEXT_SIZE) > width:
            lines.append("")
        lines[-1] += ch
    return lines


def _draw_rows(c, table: Printed, rows: list[tuple[int, list[str]]], top: float, ruled: bool = True) -> float:
    """Body rows; a text too wide for its cell wraps inside it and the row grows, every cell
    starting on the row's first line."""
    xs = _xs(table)
    c.setFont(FONT, TEXT_SIZE)
    y = top
    for k, row in rows:
        wrapped = [_wrap(text, xs[col + 1] - xs[col] - 6) if text else [] for col, text in enumerate(row)]
        height = ROW_H + (max(len(w) for w in wrapped) - 1) * (TEXT_SIZE + 2)
        for col, lines in enumerate(wrapped):
            if ruled:
                c.rect(xs[col], y - height, xs[col + 1] - xs[col], height)
            for n, text in enumerate(lines):
                base = y - ROW_H + 6 - n * (TEXT_SIZE + 2)
                if col >= table.numeric_from and col not in table.text_cols:
                    c.drawRightString(xs[col + 1] - 3, base, text)
                else:
                    level = table.indent[k] if col == table.name_col and k < len(table.indent) else 0
                    c.drawString(xs[col] + 3 + level * 2 * TEXT_SIZE, base, text)
        y -= height
    return y


def _draw_title(c, table: Printed, top: float, title: str | None = None) -> float:
    c.setFont(FONT, 15)
    c.drawCentredString(PAGE_W / 2, top, title or table.title)
    c.setFont(FONT, 9)
    if table.context:
        c.drawString(MARGIN, top - 22, table.context)
    if table.unit_line:
        c.drawRightString(PAGE_W - MARGIN, top - 22, table.unit_line)
    return top - 30


def write_pdf(path: Path, tables: list[Printed], cover: str | None = None, rotate: bool = False,
              rows_per_page: int | None = None, repeat_header: bool = True, continued_title: bool = False,
              sideways: bool = False, ruled: bool = True, turn: int = 90) -> Path:
    """The tables on landscape pages, one table per page unless it runs on.

    `rotate`: portrait pages turned by /Rotate 90 with the content drawn turned back, as a
    viewer shows a landscape page (what Word and WPS print); `sideways`: the same content on a
    portrait page without /Rotate (the text runs up the page). `rows_per_page`: a table runs on
    over several pages, its header repeated (`repeat_header`) or not, its title repeated as
    'X（续）' (`continued_title`). `ruled=False`: no lines, the columns only by position.
    `turn` 270: the content turned the other way (its text running down the page)."""
    portrait = rotate or sideways
    c = _canvas(path, portrait)

    def start_page() -> None:
        if rotate:
            c.setPageRotation(turn)
        if portrait and turn == 90:  # text runs up the page; a viewer turns it clockwise
            c.translate(PAGE_H, 0)
            c.rotate(90)
        elif portrait:  # turn 270: text runs down the page
            c.translate(0, PAGE_W)
            c.rotate(-90)
        c.setLineWidth(0.5)

    def end_page(n: int) -> None:
        c.setFont(FONT, 9)
        c.drawCentredString(PAGE_W / 2, 20, f"- {n} -")
        c.showPage()

    n = 0
    if cover:
        start_page()
        c.setFont(FONT, 24)
        c.drawCentredString(PAGE_W / 2, PAGE_H / 2 + 20, cover)
        c.showPage()
    for table in tables:
        rows = list(enumerate(table.rows))
        chunks = [rows] if not rows_per_page else [rows[i:i + rows_per_page] for i in range(0, len(rows), rows_per_page)]
        for k, chunk in enumerate(chunks):
            start_page()
            y = PAGE_H - 45
            if k == 0:
                y = _draw_title(c, table, y)
            elif continued_title:
                y = _draw_title(c, table, y, f"{table.title}（续）")
            if k == 0 or repeat_header:
                y = _draw_header(c, table, y, ruled)
            _draw_rows(c, table, chunk, y, ruled)
            n += 1
            end_page(n)
    c.save()
    return path


# --- printing: web page -------------------------------------------------------------------------

def write_html(path: Path, tables: list[Printed]) -> Path:
    """A saved web page: each table under its title and 部门/单位 line, merged header cells
    as colspan/rowspan, as a finance bureau's site publishes it."""
    from html import escape

    parts = ["<html><head><meta charset='utf-8'></head><body>"]
    for table in tables:
        parts.append(f"<h3>{escape(table.title)}</h3><p>{escape(table.context)}　{escape(table.unit_line)}</p>")
        parts.append("<table border='1'>")
        spans = _spans(table.header)
        for r in range(len(table.header)):
            cells = [f"<td colspan='{c1 - c0 + 1}' rowspan='{r1 - r0 + 1}'>{escape(text)}</td>"
                     for r0, c0, r1, c1, text in spans if r0 == r]
            parts.append("<tr>" + "".join(cells) + "</tr>")
        for row in table.rows:
            parts.append("<tr>" + "".join(f"<td>{escape(text)}</td>" for text in row) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


# --- printing: workbook -------------------------------------------------------------------------

def write_workbook(path: Path, tables: list[Printed], contents: bool = False, numbers_as_text: bool = False) -> Path:
    """One sheet per table: the title merged across the first row, the 部门/单位 line, the header
    with its merges, the body (amounts stored as numbers under '#,##0.00' unless
    `numbers_as_text`). `contents`: a first sheet 目录 listing the tables, as many publishers add."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    first = wb.active
    if contents:
        first.title = "目录"
        first.append(["目  录"])
        first.append(["序号", "报表名称", "是否空表", "备注"])
        for k, table in enumerate(tables, start=1):
            first.append([str(k), table.title, "否", ""])
    for k, table in enumerate(tables):
        ws = first if k == 0 and not contents else wb.create_sheet()
        ws.title = f"表{k + 1}"
        width = table.width
        ws.cell(1, 1, table.title).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        if table.context:
            ws.cell(2, 1, table.context)
        if table.unit_line:
            ws.cell(2, width, table.unit_line)
        top = 3
        for r0, c0, r1, c1, text in _spans(table.header):
            ws.cell(top + r0, c0 + 1, text)
            if (r0, c0) != (r1, c1):
                ws.merge_cells(start_row=top + r0, start_column=c0 + 1, end_row=top + r1, end_column=c1 + 1)
        top += len(table.header)
        for r, row in enumerate(table.rows):
            for col, text in enumerate(row):
                if not text:
                    continue
                cell = ws.cell(top + r, col + 1)
                value = text.replace(",", "")
                if col >= table.numeric_from and col not in table.text_cols and not numbers_as_text \
                        and _is_number(value):
                    cell.value = float(Decimal(value))
                    places = len(value.split(".")[1]) if "." in value else 0
                    cell.number_format = "#,##0." + "0" * places if places else "#,##0"
                else:
                    level = table.indent[r] if col == table.name_col and r < len(table.indent) else 0
                    cell.value = text
                    if level:
                        cell.alignment = Alignment(indent=level)
    wb.save(path)
    return path


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except Exception:
        return False
