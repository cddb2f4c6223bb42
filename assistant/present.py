"""What the app (and the exports) show of an answer, decided here so it can be tested without
a browser: safe Markdown, Chinese names of statuses and severities, the table of cited
figures, and the data of the chart that helps read them.

Text that comes from a document or a question is untrusted: a table title holding
`![x](http://…)` must not make every browser showing it fetch that address. `md` escapes it
before Streamlit renders Markdown.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from decimal import Decimal

from ingest.textutil import FEN_PER_UNIT

from .answer import Answer, Figure
from .compose import show

STATUS_NAMES = {"answered": "已回答", "no_data": "数据中没有", "clarify": "需要补充", "refused": "已拒绝",
                "error": "出错"}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}

# Characters that start Markdown (or Streamlit's :color[…], $math$) anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>~$|:!{}])")
# Characters that start a block (heading, list, quote) at the beginning of a line.
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+(?=[.)]))", re.MULTILINE)


def md(text: object) -> str:
    """`text` as Markdown that renders exactly as written: no links, images, HTML, emphasis,
    headings or lists made from it. Digits, '.' and ',' inside numbers stay as they are."""
    escaped = _INLINE.sub(r"\\\1", str(text))
    return _LINE_START.sub(_escape_block, escaped)


def _escape_block(m: re.Match) -> str:
    """'# x' → '\\# x'; '1. x' → '1\\. x' (a digit cannot be escaped, the dot can)."""
    lead, mark = m.group(1), m.group(2)
    return f"{lead}{mark}\\" if mark[0].isdigit() else f"{lead}\\{mark}"


def status_name(status: str) -> str:
    return STATUS_NAMES.get(status, status)


def severity_name(severity: str) -> str:
    return SEVERITY_NAMES.get(severity, severity)


def shown_value(figure: Figure) -> str:
    """The figure as the answer prints it: '1,566.45万元', '8.34元', '88.25%'."""
    if isinstance(figure.value, Decimal):
        return show(figure.value, figure.unit)
    return f"{figure.value}{figure.unit}"


def where(figure: Figure) -> str:
    """Table or text section of a figure's source."""
    source = figure.source
    if source.table:
        return source.table
    return f"说明“{source.section}”" if source.section else ""


# --- the table of cited figures ---------------------------------------------------------------

CITED_COLUMNS = ["文档", "表", "行", "名称", "栏目", "金额", "单位", "页"]

_NAMES = {
    "item": "SELECT name, column_label FROM line_items WHERE item_id = ?",
    "text": "SELECT subject, NULL FROM text_figures WHERE figure_id = ?",
    "project": "SELECT name, NULL FROM projects WHERE project_id = ?",
    "indicator": "SELECT name, NULL FROM indicators WHERE indicator_id = ?",
}


def cited_rows(answer: Answer, conn: sqlite3.Connection | None = None) -> list[dict[str, str]]:
    """One row per cited figure, in the answer's order, with only the columns a person reads
    (CITED_COLUMNS). The row's name and column label as printed come from the store when a
    connection is given; otherwise the figure's label stands for the name."""
    rows: list[dict[str, str]] = []
    seen: set[tuple] = set()
    for f in answer.figures:
        s = f.source
        key = (s.document, s.ref_kind, s.item_id, s.table, s.section, s.row, s.line, f.value, f.unit)
        if key in seen:
            continue
        seen.add(key)
        name, column = f.label, ""
        if conn is not None and s.ref_kind in _NAMES and s.item_id:
            try:
                found = conn.execute(_NAMES[s.ref_kind], (s.item_id,)).fetchone()
            except sqlite3.Error:
                found = None
            if found:
                name, column = found[0] or f.label, found[1] or ""
        if s.row:
            row = str(s.row)
        elif s.line:
            row = f"原文第{s.line}行"
        else:
            row = ""
        rows.append({"文档": s.document, "表": where(f), "行": row, "名称": name, "栏目": column,
                     "金额": shown_value(f), "单位": f.unit, "页": str(s.page or "")})
    return rows


# --- charts -----------------------------------------------------------------------------------

@dataclass
class Chart:
    """What to draw: bars (one per label, in the answer's order) or lines (one per series,
    points by year). Every value is in `unit`; `shown` is the figure as the answer prints it."""

    kind: str  # "bar" | "line"
    unit: str
    title: str
    points: list[dict]  # bar: label, full, value, shown; line: series, year, value, shown


_BOUNDARY = "年的）) ："


def _in_unit(figure: Figure, unit: str) -> Decimal | None:
    if figure.unit == unit:
        return Decimal(figure.value)
    if figure.unit in FEN_PER_UNIT and unit in FEN_PER_UNIT:
        return Decimal(figure.value) * FEN_PER_UNIT[figure.unit] / FEN_PER_UNIT[unit]
    return None


def _charted(answer: Answer) -> tuple[str, list[tuple[Figure, Decimal]]]:
    """(unit, [(figure, value in that unit)]): the figures a chart can show together. A
    figure repeated in 元 beside its 万元 (（原表）), and a second printing of the same label,
    are left out; a share or a count is not drawn beside money."""
    figures = [f for f in answer.figures if not f.label.endswith("（原表）")]
    if not figures or figures[0].unit == "%":
        return "", []
    unit = figures[0].unit
    out: list[tuple[Figure, Decimal]] = []
    labels: set[str] = set()
    for f in figures:
        value = _in_unit(f, unit)
        if value is None or f.label in labels:
            continue
        labels.add(f.label)
        out.append((f, value))
    return unit, out


def _series_key(label: str, year: int | None) -> str:
    return label.replace(f"{year}年", "", 1) if year else label


def chart_for(answer: Answer, years: dict[str, int | None]) -> Chart | None:
    """The chart that helps read the answer, or None (one amount, or one amount printed in two
    tables, needs none). `years` maps a document title to its year: figures that share a label
    but for the year, from documents of two or more years, draw a line per series; other sets of
    two or more distinct amounts draw horizontal bars, sorted as the answer is."""
    if answer.status != "answered":
        return None
    unit, charted = _charted(answer)
    if len({value for _, value in charted}) < 2:
        return None
    series: dict[str, list[tuple[int, Figure, Decimal]]] = {}
    for f, value in charted:
        year = years.get(f.source.document)
        if year:
            series.setdefault(_series_key(f.label, year), []).append((year, f, value))
    over_years = {key: points for key, points in series.items() if len({y for y, _, _ in points}) >= 2}
    if over_years:
        points = [{"series": key, "year": str(year), "value": float(value), "shown": shown_value(f)}
                  for key, found in over_years.items() for year, f, value in sorted(found, key=lambda p: p[0])]
        title = next(iter(over_years)) if len(over_years) == 1 else ""
        return Chart("line", unit, title, points)
    labels = [f.label for f, _ in charted]
    short, common = shorten(labels)
    points = [{"label": s, "lines": wrap(s), "full": f.label, "value": float(value), "shown": shown_value(f)}
              for s, (f, value) in zip(short, charted)]
    return Chart("bar", unit, common, points)


def shorten(labels: list[str]) -> tuple[list[str], str]:
    """(labels without the words they all share, the shared words): '青海…2021年住房公积金' and
    '拉萨…住房公积金' → '青海…2021年', '拉萨…', and '住房公积金'. Cuts only after a year, '的'
    or a bracket, so no word is split; when a label would be left empty all stay whole."""
    if len(labels) < 2:
        return list(labels), ""
    prefix = _common(labels)
    cut = max((k + 1 for k, ch in enumerate(prefix) if ch in _BOUNDARY), default=0)
    suffix = _common([label[::-1] for label in labels])
    tail = next((t for t in range(len(suffix), 0, -1)
                 if all(len(label) > t and label[-t - 1] in _BOUNDARY for label in labels)), 0)
    short = [re.sub(r"(中的|的)$", "", label[cut:len(label) - tail]) for label in labels]
    if any(not s for s in short) or len(set(short)) < len(set(labels)):
        return list(labels), ""
    shared = [part for part in (labels[0][:cut], labels[0][len(labels[0]) - tail:] if tail else "") if part]
    return short, "…".join(shared)


def wrap(label: str, width: int = 12, slack: int = 3) -> str:
    """A bar label in lines of about `width` characters (at most width + slack), joined by
    newlines, broken after a year, '的' or a closing bracket or before an opening one, so a long
    name reads on a phone too."""
    lines: list[str] = []
    rest = label
    while len(rest) > width + slack:
        cuts = [k for k in range(width // 2, width + slack + 1)
                if rest[k - 1] in "年的）)" or rest[k] in "（("]
        cut = max(cuts, default=width)
        lines.append(rest[:cut])
        rest = rest[cut:]
    return "\n".join(lines + [rest])


def _common(texts: list[str]) -> str:
    """The longest start all `texts` share."""
    first = min(texts, key=len)
    for k, ch in enumerate(first):
        if any(text[k] != ch for text in texts):
            return first[:k]
    return first
