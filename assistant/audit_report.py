"""The audit's findings as data and as a report a reviewer can print.

`load_findings` reads the stored findings (through any connection, a read-only one will do) with
what each compares — the stated value, the expected one, their difference and unit — and where
each figure sits: document, table or section of the text, page, row or line, with the quoted
sentence and the printed table row. `to_csv`, `to_markdown` and `to_html` shape them; the CLI
(`budgetqa audit --format csv`, `--report FILE.html|FILE.md`) and the app call `build_report`.
"""
from __future__ import annotations

import csv
import html
import io
import json
import sqlite3
from collections import Counter
from pathlib import Path

from .present import SEVERITY_NAMES
from .rules import RULES
from .rules.base import has_table

SEVERITY_ZH = SEVERITY_NAMES  # the words the page uses, kept in one place (assistant/present.py)
SEVERITY_ORDER = ("error", "warning", "info")
CSV_COLUMNS = ("document", "rule_id", "severity", "subject", "stated", "expected", "difference", "unit",
               "location", "message")

__all__ = ["SEVERITY_ZH", "load_findings", "to_csv", "to_markdown", "to_html", "build_report", "report_format"]


def load_findings(conn: sqlite3.Connection, doc_ids: list[int] | None = None) -> list[dict]:
    """Every stored finding of the documents (all when None), in document and finding order,
    each a dict with its values and its resolved locations."""
    where, args = "", ()
    if doc_ids is not None:
        if not doc_ids:
            return []
        where, args = f"WHERE f.doc_id IN ({', '.join('?' for _ in doc_ids)})", tuple(doc_ids)
    # A store written before findings kept their values has no finding_values: the values are then empty.
    values = ("v.stated, v.expected, v.difference, v.unit", "LEFT JOIN finding_values v ON v.finding_id = f.finding_id") \
        if has_table(conn, "finding_values") else ("NULL, NULL, NULL, NULL", "")
    rows = conn.execute(
        "SELECT f.finding_id, f.doc_id, d.title, f.rule_id, f.severity, f.subject, f.message, f.refs_json, "
        f"{values[0]} FROM findings f JOIN documents d ON d.doc_id = f.doc_id "
        f"{values[1]} {where} ORDER BY f.doc_id, f.finding_id", args).fetchall()
    out = []
    for (finding_id, doc_id, title, rule_id, severity, subject, message, refs_json,
         stated, expected, difference, unit) in rows:
        rule = RULES.get(rule_id)
        out.append({
            "finding_id": finding_id, "doc_id": doc_id, "document": title, "rule_id": rule_id,
            "rule": rule.description if rule else None, "severity": severity,
            "severity_zh": SEVERITY_ZH.get(severity, severity), "subject": subject or "", "message": message,
            "stated": stated, "expected": expected, "difference": difference, "unit": unit,
            "refs": json.loads(refs_json or "[]"),
            "locations": [_locate(conn, title, ref) for ref in json.loads(refs_json or "[]")],
        })
    return out


def _locate(conn: sqlite3.Connection, document: str, ref: dict) -> dict:
    """Where a referenced row sits, as fields: a table cell with its printed row, a sentence of
    the text, a table, or a line of the text."""
    kind, ref_id = ref.get("kind"), ref.get("id")
    loc = {"kind": kind, "id": ref_id, "document": document, "table": None, "section": None, "page": None,
           "row": None, "line": None, "column": None, "value": None, "text": None, "cells": None}
    if kind == "item":
        r = conn.execute("SELECT t.title, i.page, i.row_no, i.line, i.column_label, i.amount_text, i.unit, i.name, "
                         "t.table_id, t.page FROM line_items i JOIN source_tables t ON t.table_id = i.table_id "
                         "WHERE i.item_id = ?", (ref_id,)).fetchone()
        if r:
            cells = conn.execute("SELECT cells_json FROM table_rows WHERE table_id = ? AND row_no = ?",
                                 (r[8], r[2])).fetchone()
            loc.update(table=r[0], page=r[1] or r[9], row=r[2], line=r[3], column=r[4], value=f"{r[5]}{r[6]}",
                       text=r[7], cells=json.loads(cells[0]) if cells else None)
    elif kind == "text":
        r = conn.execute("SELECT section, page, line, sentence FROM text_figures WHERE figure_id = ?",
                         (ref_id,)).fetchone()
        if r:
            loc.update(section=r[0], page=r[1], line=r[2], text=r[3])
    elif kind == "line" and has_table(conn, "text_lines"):
        r = conn.execute("SELECT section, page, line, text FROM text_lines WHERE line_id = ?", (ref_id,)).fetchone()
        if r:
            loc.update(section=r[0], page=r[1], line=r[2], text=r[3])
    elif kind == "table":
        r = conn.execute("SELECT title, page, note FROM source_tables WHERE table_id = ?", (ref_id,)).fetchone()
        if r:
            loc.update(table=r[0], page=r[1], text=r[2])
    elif kind == "project":
        r = conn.execute("SELECT t.title, p.page, p.row_no, p.line, p.name FROM projects p LEFT JOIN source_tables t "
                         "ON t.table_id = p.table_id WHERE p.project_id = ?", (ref_id,)).fetchone()
        if r:
            loc.update(table=r[0], page=r[1], row=r[2], line=r[3], text=r[4])
    return loc


def describe(loc: dict) -> str:
    """'《支出决算表》第15页第7行' / '说明“三、支出决算情况说明”第21页'."""
    where = f"《{loc['table']}》" if loc.get("table") else (f"说明“{loc['section']}”" if loc.get("section") else "说明")
    if loc.get("page"):
        where += f"第{loc['page']}页"
    if loc.get("row"):
        where += f"第{loc['row']}行"
    elif loc.get("line"):
        where += f"（原文第{loc['line']}行）"
    if loc.get("column") and loc.get("value"):
        where += f"“{loc['column']}”{loc['value']}"
    return where


# ---- shapes ----------------------------------------------------------------------------------

def to_csv(findings: list[dict]) -> str:
    """One row per finding, the columns a spreadsheet filters on; locations joined by '；'."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for f in findings:
        writer.writerow([f["document"], f["rule_id"], f["severity_zh"], f["subject"], f["stated"] or "",
                         f["expected"] or "", f["difference"] or "", f["unit"] or "",
                         "；".join(dict.fromkeys(describe(loc) for loc in f["locations"])), f["message"]])
    return buf.getvalue()


def _summary(findings: list[dict], documents: list[tuple[int, str]]) -> list[tuple[str, Counter]]:
    return [(title, Counter(f["severity"] for f in findings if f["doc_id"] == doc_id)) for doc_id, title in documents]


def _quotes(f: dict) -> list[dict]:
    seen, out = set(), []
    for loc in f["locations"]:
        if loc["kind"] in ("text", "line") and loc["text"] and loc["text"] not in seen:
            seen.add(loc["text"])
            out.append(loc)
    return out


def _cells(f: dict) -> list[dict]:
    return [loc for loc in f["locations"] if loc["kind"] in ("item", "table", "project")]


def _values(f: dict) -> str:
    if f["stated"] is None and f["expected"] is None:
        return ""
    unit = f["unit"] or ""
    return f"所写 {f['stated']}{unit}；应为 {f['expected']}{unit}；差 {f['difference']}{unit}"


def to_markdown(findings: list[dict], documents: list[tuple[int, str]]) -> str:
    lines = ["# 预决算公开审核报告", "", "## 汇总", "", "| 文件 | 错误 | 警告 | 提示 |", "|---|---:|---:|---:|"]
    for title, counts in _summary(findings, documents):
        lines.append(f"| {title} | {counts['error']} | {counts['warning']} | {counts['info']} |")
    for doc_id, title in documents:
        mine = _sorted([f for f in findings if f["doc_id"] == doc_id])
        lines += ["", f"## 《{title}》", ""]
        if not mine:
            lines.append("未发现问题。")
        for n, f in enumerate(mine, 1):
            lines += [f"### {n}. {f['severity_zh']} {f['rule_id']} {f['subject']}", "", f["message"], ""]
            if _values(f):
                lines += [f"- 数值：{_values(f)}"]
            for loc in _quotes(f):
                lines.append(f"- 原文（{describe(loc)}）：“{loc['text']}”")
            for loc in _cells(f):
                cells = " | ".join(loc["cells"]) if loc.get("cells") else (loc.get("text") or "")
                lines.append(f"- 表中（{describe(loc)}）：{cells}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.6em}h2{font-size:1.3em;border-bottom:2px solid #444;margin-top:1.6em}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.25em .6em;vertical-align:top}
.finding{border:1px solid #ccc;border-radius:4px;padding:.6em 1em;margin:1em 0;page-break-inside:avoid}
.sev{font-weight:bold;padding:0 .4em;border-radius:3px;color:#fff}
.error{background:#b3261e}.warning{background:#b26a00}.info{background:#4a6fa5}
.side{display:grid;grid-template-columns:1fr 1fr;gap:1em;margin-top:.5em}
.side h4{margin:.2em 0;font-size:.95em;color:#555}.quote{background:#f6f6f6;padding:.3em .6em;margin:.3em 0}
.values{color:#333;font-family:monospace}
@media print{body{margin:0}.finding{border-color:#888}a{color:inherit}}
"""


def to_html(findings: list[dict], documents: list[tuple[int, str]]) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8"><title>预决算公开审核报告</title>',
           f"<style>{_CSS}</style></head><body>", "<h1>预决算公开审核报告</h1>", "<h2>汇总</h2>",
           "<table><tr><th>文件</th><th>错误</th><th>警告</th><th>提示</th></tr>"]
    for title, counts in _summary(findings, documents):
        out.append(f"<tr><td>{e(title)}</td><td>{counts['error']}</td><td>{counts['warning']}</td>"
                   f"<td>{counts['info']}</td></tr>")
    out.append("</table>")
    for doc_id, title in documents:
        mine = _sorted([f for f in findings if f["doc_id"] == doc_id])
        out.append(f"<h2>《{e(title)}》</h2>")
        if not mine:
            out.append("<p>未发现问题。</p>")
        for n, f in enumerate(mine, 1):
            out.append(f'<div class="finding"><div><span class="sev {e(f["severity"])}">{e(f["severity_zh"])}</span> '
                       f'{n}. <b>{e(f["rule_id"])}</b> {e(f["subject"])}</div><p>{e(f["message"])}</p>')
            if _values(f):
                out.append(f'<div class="values">{e(_values(f))}</div>')
            out.append('<div class="side"><div><h4>说明原文</h4>')
            if not _quotes(f):
                out.append("<p>（无）</p>")
            for loc in _quotes(f):
                out.append(f'<div class="quote"><small>{e(describe(loc))}</small><br>{e(loc["text"])}</div>')
            out.append("</div><div><h4>表中单元格</h4>")
            if not _cells(f):
                out.append("<p>（无）</p>")
            for loc in _cells(f):
                out.append(f'<div class="quote"><small>{e(describe(loc))}</small>')
                if loc.get("cells"):
                    out.append("<table><tr>" + "".join(f"<td>{e(c)}</td>" for c in loc["cells"]) + "</tr></table>")
                elif loc.get("text"):
                    out.append(f"<br>{e(loc['text'])}")
                out.append("</div>")
            out.append("</div></div></div>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _sorted(findings: list[dict]) -> list[dict]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER.index(f["severity"]) if f["severity"] in SEVERITY_ORDER
                                           else 9, f["finding_id"]))


def report_format(path: str | Path) -> str:
    """'html' for .html/.htm, 'markdown' for .md/.markdown; anything else is a ValueError."""
    suffix = Path(path).suffix.lower()
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    raise ValueError(f"报告文件应以 .html 或 .md 结尾：{path}")


def build_report(conn: sqlite3.Connection, doc_ids: list[int] | None = None, fmt: str = "html") -> str:
    """The report of the documents' stored findings (all documents when None): 'html' (printable)
    or 'markdown'. The app offers the same text as a download."""
    where, args = "", ()
    if doc_ids is not None:
        where, args = f"WHERE doc_id IN ({', '.join('?' for _ in doc_ids) or 'NULL'})", tuple(doc_ids)
    documents = conn.execute(f"SELECT doc_id, title FROM documents {where} ORDER BY doc_id", args).fetchall()
    findings = load_findings(conn, [d[0] for d in documents])
    if fmt == "markdown":
        return to_markdown(findings, documents)
    if fmt == "html":
        return to_html(findings, documents)
    raise ValueError(f"unknown report format {fmt!r}")
