"""Codes a table prints only as a second classification beside its rows' own codes.

莲湖's 表6 lists each 部门经济分类 row with the 政府经济分类 it falls in: 30101 基本工资 | 50101
工资奖金津补贴, 30102 津贴补贴 | 50101 …. The store keeps each row under its own code, and the
raw text of the row as printed; 50101 is the sum of the rows that print it, per table, added
in SQL and cited row by row.
"""
from __future__ import annotations

from .. import queries
from ..answer import Answer, Figure
from ..compose import exact, item_figures, item_source, label_for, show, value_in
from ..lexicon import Document
from ..queries import Trace
from ..understand import Frame
from .common import _doc_ids


def side_code_total(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    code = frame.side_code
    rows = queries.items_printing(trace, _doc_ids(documents), code, frame.measure or "合计")
    if not rows:
        return None
    name = _name_printed_after(rows[0]["raw_text"], code)
    by_table: dict[int, list[dict]] = {}
    for row in rows:
        by_table.setdefault(row["table_id"], []).append(row)
    first_table = next(iter(by_table.values()))
    totals = {t: queries.sum_items(trace, [r["item_id"] for r in group]) for t, group in by_table.items()}
    total_fen = totals[first_table[0]["table_id"]]
    label = label_for(first_table[0], f"{name}（{code}）", None, frame.english)
    value, unit = value_in(total_fen, first_table[0]["unit"], frame.unit)
    figures = [Figure(exact(value), unit, label, item_source(first_table[0]))]
    parts = []
    for row in first_table:
        figs, text = item_figures(row, label_for(row, f"{row['name']}（{row['code']}）", None, frame.english), frame.unit)
        figures += figs[:1]
        parts.append(f"{row['code']} {row['name']} {text}（第{row['row_no']}行）")
    same = [g[0]["source_table"] for t, g in by_table.items() if g is not first_table and totals[t] == total_fen]
    differ = [g[0]["source_table"] for t, g in by_table.items() if g is not first_table and totals[t] != total_fen]
    also = f"；另见{'、'.join(same)}，合计相同" if same else ""
    where = f"《{first_table[0]['document']}》{first_table[0]['source_table']}"
    page = f"（第{first_table[0]['page']}页）" if first_table[0]["page"] else ""
    text = (f"{label}为{show(value, unit)}：{where}{page}把{code}印在"
            f"{len(first_table)}行旁边，这些行之和为 " + " + ".join(parts) + f"{also}。")
    warnings = [f"{'、'.join(differ)}中印{code}的各行之和与此不同。"] if differ else []
    return Answer("answered", text, figures, warnings=warnings)


def _name_printed_after(raw: str, code: str) -> str:
    cells = [c.strip() for c in raw.split("|")]
    return cells[cells.index(code) + 1] if code in cells and cells.index(code) + 1 < len(cells) else code
