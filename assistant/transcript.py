"""Exports of a conversation, for filing with one's work: Markdown, JSON, CSV, printable HTML.

Every figure is written with its exact value, unit and full source, so a reader of the file
can check it against the published document without the app.
"""
from __future__ import annotations

import csv
import html
import io
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from . import present
from .answer import Exchange, Figure
from .audit import findings_for

EXTENSIONS = {"markdown": "md", "json": "json", "csv": "csv", "html": "html"}


def export_filename(kind: str, when: datetime | None = None) -> str:
    when = when or datetime.now()
    return f"budgetqa-transcript-{when:%Y-%m-%d}.{EXTENSIONS[kind]}"


def shown_value(figure: Figure) -> str:
    return present.shown_value(figure)


def _exact(value: Decimal) -> str:
    return format(value, "f")


@dataclass
class DocumentFinding:
    """An audit finding as exported: which document, which rule, how grave, what it says."""

    document: str
    rule_id: str
    severity: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"document": self.document, "rule_id": self.rule_id, "severity": self.severity,
                "severity_text": present.severity_name(self.severity), "message": self.message}


def cited_findings(conn: sqlite3.Connection, exchanges: Sequence[Exchange]) -> list[DocumentFinding]:
    """The audit findings of every document the conversation cites (contradictions first)."""
    titles = {f.source.document for ex in exchanges for f in ex.answer.figures}
    if not titles:
        return []
    marks = ", ".join("?" for _ in titles)
    docs = dict(conn.execute(f"SELECT doc_id, title FROM documents WHERE title IN ({marks})", tuple(titles)))
    found = findings_for(conn, sorted(docs))
    found.sort(key=lambda f: (f.severity == "info", f.doc_id, f.finding_id or 0))
    return [DocumentFinding(docs[f.doc_id], f.rule_id, f.severity, f.message) for f in found]


def location(figure: Figure) -> str:
    """Every place marker of a figure: 第7页，第29行，原文第357行."""
    s = figure.source
    parts = [f"第{s.page}页" if s.page else "", f"第{s.row}行" if s.row else "", f"原文第{s.line}行" if s.line else ""]
    return "，".join(p for p in parts if p)


def _cell(text: str) -> str:
    """Text inside a Markdown table cell: one line (the text is escaped, so a bar is no column)."""
    return " ".join(str(text).split())


def to_markdown(exchanges: Sequence[Exchange], findings: Sequence[DocumentFinding] = ()) -> str:
    lines = ["# budgetqa 问答记录", ""]
    for n, ex in enumerate(exchanges, 1):
        lines += [f"## {n}. {present.md(ex.question)}", "",
                  f"*{ex.asked_at:%Y-%m-%d %H:%M}* · 状态：{present.status_name(ex.answer.status)}", "",
                  present.md(ex.answer.answer), ""]
        if ex.answer.figures:
            lines += ["| 数值 | 说明 | 来源 | 页、行 |", "|---|---|---|---|"]
            for f in ex.answer.figures:
                lines.append(f"| {_cell(shown_value(f))} | {_cell(present.md(f.label))} | "
                             f"{_cell(present.md(f.source.cite()))} | {_cell(location(f))} |")
            lines.append("")
        for warning in ex.answer.warnings:
            lines.append(f"> 注意：{present.md(warning)}")
        if ex.answer.sql:
            lines += ["", "```sql", ex.answer.sql, "```", ""]
    if findings:
        lines += ["", "## 引用文档的一致性检查发现", ""]
        for f in findings:
            lines.append(f"- **{f.rule_id}**（{present.severity_name(f.severity)}）《{present.md(f.document)}》："
                         f"{present.md(f.message)}")
    return "\n".join(lines) + "\n"


def to_json(exchanges: Sequence[Exchange], findings: Sequence[DocumentFinding] = ()) -> str:
    """The chat protocol's answer per exchange, plus the question, when it was asked, the status
    in Chinese and each figure's line in the source text; the cited documents' findings after."""
    items = []
    for ex in exchanges:
        item = {"question": ex.question, "asked_at": ex.asked_at.isoformat(timespec="seconds")}
        item.update(ex.answer.to_json())
        item["status_text"] = present.status_name(ex.answer.status)
        for figure, data in zip(ex.answer.figures, item["figures"]):
            data["source"]["line"] = figure.source.line
        items.append(item)
    return json.dumps({"exchanges": items, "findings": [f.to_json() for f in findings]},
                      ensure_ascii=False, indent=1)


CSV_COLUMNS = ["record", "turn", "question", "status", "answer", "label", "value", "unit", "document", "table",
               "section", "page", "row", "line", "warnings", "ocr_confidence"]
RECORDS = {"figure": "数字", "answer": "回答", "finding": "一致性检查"}


def to_csv(exchanges: Sequence[Exchange], findings: Sequence[DocumentFinding] = ()) -> str:
    """One row per figure (an answer without figures gets one row of its own), each with its
    answer's warnings; then one row per finding of the cited documents."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for n, ex in enumerate(exchanges, 1):
        a = ex.answer
        common = [n, ex.question, present.status_name(a.status), a.answer]
        warnings = "；".join(a.warnings)
        for f in a.figures:
            s = f.source
            writer.writerow([RECORDS["figure"], *common, f.label, _exact(f.value), f.unit, s.document,
                             s.table or "", s.section or "", s.page or "", s.row or "", s.line or "", warnings,
                             "" if s.ocr_confidence is None else f"{s.ocr_confidence:.2f}"])
        if not a.figures:
            writer.writerow([RECORDS["answer"], *common, "", "", "", "", "", "", "", "", "", warnings, ""])
    for f in findings:
        writer.writerow([RECORDS["finding"], "", "", present.severity_name(f.severity), f.message, f.rule_id, "", "",
                         f.document, "", "", "", "", "", "", ""])
    return out.getvalue()


def to_csv_for_excel(exchanges: Sequence[Exchange], findings: Sequence[DocumentFinding] = ()) -> bytes:
    """The CSV as UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    return to_csv(exchanges, findings).encode("utf-8-sig")


_STYLE = """
body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif; margin: 2em; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .5em 0; } td, th { border: 1px solid #bbb; padding: .25em .5em; }
pre { background: #f5f5f5; padding: .5em; white-space: pre-wrap; }
.warning { color: #8a4b00; } .meta { color: #666; font-size: .9em; }
@media print { pre { font-size: 8pt; } h2 { page-break-after: avoid; } }
"""


def to_html(exchanges: Sequence[Exchange], findings: Sequence[DocumentFinding] = ()) -> str:
    e = html.escape
    parts = [f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>budgetqa 问答记录</title>"
             f"<style>{_STYLE}</style></head><body><h1>budgetqa 问答记录</h1>"]
    for n, ex in enumerate(exchanges, 1):
        parts.append(f"<h2>{n}. {e(ex.question)}</h2><p class='meta'>{ex.asked_at:%Y-%m-%d %H:%M} · "
                     f"状态：{e(present.status_name(ex.answer.status))}</p><p>{e(ex.answer.answer)}</p>")
        if ex.answer.figures:
            parts.append("<table><tr><th>数值</th><th>说明</th><th>来源</th><th>页、行</th></tr>")
            for f in ex.answer.figures:
                parts.append(f"<tr><td>{e(shown_value(f))}</td><td>{e(f.label)}</td><td>{e(f.source.cite())}</td>"
                             f"<td>{e(location(f))}</td></tr>")
            parts.append("</table>")
        for warning in ex.answer.warnings:
            parts.append(f"<p class='warning'>注意：{e(warning)}</p>")
        if ex.answer.sql:
            parts.append(f"<pre>{e(ex.answer.sql)}</pre>")
    if findings:
        parts.append("<h2>引用文档的一致性检查发现</h2><ul>")
        for f in findings:
            parts.append(f"<li><b>{e(f.rule_id)}</b>（{e(present.severity_name(f.severity))}）《{e(f.document)}》："
                         f"{e(f.message)}</li>")
        parts.append("</ul>")
    parts.append("</body></html>")
    return "".join(parts)
