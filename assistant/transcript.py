"""Exports of a conversation, for filing with one's work: Markdown, JSON, CSV, printable HTML.

Every figure is written with its exact value, unit and full source, so a reader of the file
can check it against the published document without the app.
"""
from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from .answer import Exchange, Figure
from .compose import show

EXTENSIONS = {"markdown": "md", "json": "json", "csv": "csv", "html": "html"}


def export_filename(kind: str, when: datetime | None = None) -> str:
    when = when or datetime.now()
    return f"budgetqa-transcript-{when:%Y-%m-%d}.{EXTENSIONS[kind]}"


def shown_value(figure: Figure) -> str:
    return show(figure.value, figure.unit) if isinstance(figure.value, Decimal) else f"{figure.value}{figure.unit}"


def _exact(value: Decimal) -> str:
    return format(value, "f")


def to_markdown(exchanges: Sequence[Exchange]) -> str:
    lines = ["# budgetqa 问答记录", ""]
    for n, ex in enumerate(exchanges, 1):
        lines += [f"## {n}. {ex.question}", "", f"*{ex.asked_at:%Y-%m-%d %H:%M}* · 状态：{ex.answer.status}", "",
                  ex.answer.answer, ""]
        if ex.answer.figures:
            lines += ["| 数值 | 说明 | 来源 |", "|---|---|---|"]
            for f in ex.answer.figures:
                lines.append(f"| {shown_value(f)} | {f.label} | {f.source.cite()} |")
            lines.append("")
        for warning in ex.answer.warnings:
            lines.append(f"> 注意：{warning}")
        if ex.answer.sql:
            lines += ["", "```sql", ex.answer.sql, "```", ""]
    return "\n".join(lines)


def to_json(exchanges: Sequence[Exchange]) -> str:
    items = []
    for ex in exchanges:
        item = {"question": ex.question, "asked_at": ex.asked_at.isoformat(timespec="seconds")}
        item.update(ex.answer.to_json())
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=1)


CSV_COLUMNS = ["turn", "question", "status", "label", "value", "unit", "document", "table", "section",
               "page", "row", "ocr_confidence"]


def to_csv(exchanges: Sequence[Exchange]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for n, ex in enumerate(exchanges, 1):
        for f in ex.answer.figures:
            s = f.source
            writer.writerow([n, ex.question, ex.answer.status, f.label, _exact(f.value), f.unit, s.document,
                             s.table or "", s.section or "", s.page or "", s.row or "",
                             "" if s.ocr_confidence is None else f"{s.ocr_confidence:.2f}"])
    return out.getvalue()


def to_csv_for_excel(exchanges: Sequence[Exchange]) -> bytes:
    """The CSV as UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    return to_csv(exchanges).encode("utf-8-sig")


_STYLE = """
body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif; margin: 2em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .5em 0; } td, th { border: 1px solid #bbb; padding: .25em .5em; }
pre { background: #f5f5f5; padding: .5em; white-space: pre-wrap; }
.warning { color: #8a4b00; } .meta { color: #666; font-size: .9em; }
@media print { pre { font-size: 8pt; } h2 { page-break-after: avoid; } }
"""


def to_html(exchanges: Sequence[Exchange]) -> str:
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>budgetqa 问答记录</title>"
             f"<style>{_STYLE}</style></head><body><h1>budgetqa 问答记录</h1>"]
    for n, ex in enumerate(exchanges, 1):
        parts.append(f"<h2>{n}. {e(ex.question)}</h2><p class='meta'>{ex.asked_at:%Y-%m-%d %H:%M} · "
                     f"{e(ex.answer.status)}</p><p>{e(ex.answer.answer)}</p>")
        if ex.answer.figures:
            parts.append("<table><tr><th>数值</th><th>说明</th><th>来源</th></tr>")
            for f in ex.answer.figures:
                parts.append(f"<tr><td>{e(shown_value(f))}</td><td>{e(f.label)}</td><td>{e(f.source.cite())}</td></tr>")
            parts.append("</table>")
        for warning in ex.answer.warnings:
            parts.append(f"<p class='warning'>注意：{e(warning)}</p>")
        if ex.answer.sql:
            parts.append(f"<pre>{e(ex.answer.sql)}</pre>")
    parts.append("</body></html>")
    return "".join(parts)
