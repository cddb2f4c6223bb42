"""决算 rows whose 决算数 the table leaves blank.

A final-accounts table may print a row's 年初预算数 and leave its 决算数 cell empty, while the
explanatory text states the 决算 ("公务接待费支出决算为0.00万元"). Asked for the figure, the
answer says the cell is blank, gives the columns the table does print, and quotes the text's
决算 with its section — it never reads an empty cell as a number.
"""
from __future__ import annotations

from typing import Any

from .. import queries
from ..answer import Answer, Figure
from ..compose import exact, item_figures, item_source, label_for, show, text_source, text_value
from ..lexicon import Document
from ..queries import Trace
from ..understand import Frame
from .common import _doc_ids, _entities, codes_of, names_of

FINAL = "决算数"
# How a 决算 text names a row's column after the row (see ingest/narrative.py): 行政运行决算.
TEXT_COLUMN = {None: "决算", FINAL: "决算", "年初预算数": "年初预算", "全年预算数": "全年预算"}


def in_column(frame: Frame, documents: list[Document], subjects: list[str]) -> list[str]:
    """The text subjects that state `subjects` in the column asked, in 决算 documents; none
    in a budget, whose text states the figures themselves."""
    suffix = TEXT_COLUMN.get(frame.measure)
    if not suffix or not any(d.kind == "决算" for d in documents):
        return []
    return [s + suffix for s in subjects]


def column_subjects(frame: Frame, documents: list[Document]) -> list:
    """The question's matches that name a text subject with its 决算 column (财政拨款支出年初预算),
    when a 决算 is asked: they say both the row and the column, which a table row alone does not."""
    if not any(d.kind == "决算" for d in documents):
        return []
    suffixes = tuple(set(TEXT_COLUMN.values()))
    return [m for m in frame.subjects if m.kind == "text" and any(n.endswith(suffixes) for n in m.names)]


def blank_final_column(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """The answer for rows that print no 决算数, or None when this is not such a question."""
    finals = [d for d in documents if d.kind == "决算"]
    codes, names = codes_of(frame), names_of(frame, "item")
    if not finals or frame.measure not in (None, FINAL) or frame.english or not (codes or names):
        return None
    rows = queries.items_in_any_column(trace, _doc_ids(finals), codes, names)
    if not rows or any(r["measure"] == FINAL for r in rows):
        return None
    subjects = sorted(set(names_of(frame, "text", "item")))
    stated = queries.text_figures(trace, _doc_ids(finals), in_column(frame, finals, subjects), ("amount",), codes)
    figures: list[Figure] = []
    sentences: list[str] = []
    for (_, _), group in _entities(rows).items():
        best = group[0]
        name = best["name"]
        printed = [r for r in group if r["table_id"] == best["table_id"] and r["row_no"] == best["row_no"]]
        columns = []
        for row in printed:
            figs, text = item_figures(row, label_for(row, name, row["measure"]), frame.unit)
            figures += figs
            columns.append(f"{row['measure']}为{text}")
        sentences.append(f"{label_for(best, name, None)}：{item_source(best).cite()}，这一行的决算数一栏空白，"
                         f"只印了{'，'.join(columns)}。")
    for fig in stated:
        value, unit = text_value(fig, frame.unit)
        label = label_for(fig, fig["subject"], None)
        figures.append(Figure(exact(value), unit, label, text_source(fig)))
        sentences.append(f"说明写{fig['subject']}为{show(value, unit)}。来源：{text_source(fig).cite()}。")
    warning = ("表中的决算数一栏空白；" + ("上面的决算数取自说明文字。" if stated else "说明文字中也没有找到这一项的决算数。"))
    return Answer("answered", "".join(sentences), figures, warnings=[warning])
