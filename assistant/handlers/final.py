"""Rows whose cell in the column asked is blank, and 决算 columns named in the text.

A table may print a column and leave a row's cell in it empty: 青海's 行政运行 has no 项目支出,
a 决算 table may print a row's 年初预算数 and leave its 决算数 blank while the text states the
决算 ("公务接待费支出决算为0.00万元"). Asked for that cell, the answer says it is blank, gives
the columns the row does print, and in a 决算 quotes the text's 决算 with its section. An empty
cell is never read as a number, and the row's total is never given in its place.
"""
from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from db.glossary import canonical_measure

from .. import queries
from ..answer import Answer, Figure, Source
from ..compose import MONEY, exact, item_figures, item_source, label_for, show, text_fen, text_source, text_value
from ..lexicon import Document
from ..queries import Trace
from ..understand import Frame
from .common import _doc_ids, _entities, codes_of, names_of

FINAL = "决算数"
# How a 决算 text names a row's column after the row (see ingest/recognise/narrative.py): 行政运行决算.
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
    suffixes = (TEXT_COLUMN[frame.measure],) if frame.measure is not None and frame.measure in TEXT_COLUMN \
        else tuple(set(TEXT_COLUMN.values()))
    return [m for m in frame.subjects if m.kind == "text" and any(n.endswith(suffixes) for n in m.names)]


def in_the_column_asked(frame: Frame) -> Frame:
    """"行政单位离退休年初预算" → "决算数呢": the follow-up keeps the row, not the previous column."""
    wanted = TEXT_COLUMN.get(frame.measure) if frame.measure else None
    if not wanted:
        return frame
    subjects = []
    for m in frame.subjects:
        other = m.kind == "text" and all(COLUMN_SUFFIX.search(n) and not n.endswith(wanted) for n in m.names)
        if other:
            rows = {COLUMN_SUFFIX.sub("", n) for n in m.names}
            subjects += [replace(m, kind="item", names=rows), replace(m, kind="text", names=rows)]
        else:
            subjects.append(m)
    return replace(frame, subjects=subjects)


def blank_column(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """The answer for a row whose table prints the column asked but leaves this row's cell blank
    (青海 行政运行's 项目支出; a 决算 row's 决算数), or None when this is not such a question."""
    finals = [d for d in documents if d.kind == "决算"]
    asked = frame.measure or (FINAL if finals else None)
    codes, names = codes_of(frame), names_of(frame, "item")
    if asked in (None, "合计") or frame.english or not (codes or names):
        return None
    rows = queries.items_in_any_column(trace, _doc_ids(documents), codes, names)
    printed_as = {asked, "合计"} if asked == FINAL else {asked}  # a 决算 table's 合计 column is its 决算数
    if not rows or any(r["measure"] in printed_as for r in rows):
        return None
    printed_columns = _columns_of(trace, sorted({r["table_id"] for r in rows}))
    rows = [r for r in rows if asked in printed_columns.get(r["table_id"], set())]
    if not rows:
        return None  # no table of the row has that column: nothing is blank, the question is elsewhere
    subjects = sorted(set(names_of(frame, "text", "item")))
    stated = queries.text_figures(trace, _doc_ids(finals), in_column(frame, finals, subjects), ("amount",), codes) \
        if finals else []
    figures: list[Figure] = []
    sentences: list[str] = []
    for (_, _), group in _entities(rows).items():
        best = group[0]
        printed = [r for r in group if r["table_id"] == best["table_id"] and r["row_no"] == best["row_no"]]
        columns = []
        for row in printed:
            figs, text = item_figures(row, label_for(row, best["name"], row["measure"]), frame.unit)
            figures += figs
            columns.append(f"{row['measure']}为{text}")
        sentences.append(f"{label_for(best, best['name'], None)}：{item_source(best).cite()}，这一行的{asked}一栏空白"
                         f"（没有印数字），只印了{'，'.join(columns)}。")
    for fig in stated:
        value, unit = text_value(fig, frame.unit)
        label = label_for(fig, fig["subject"], None)
        figures.append(Figure(exact(value), unit, label, text_source(fig)))
        sentences.append(f"说明写{fig['subject']}为{show(value, unit)}。来源：{text_source(fig).cite()}。")
    warning = f"表中这一行的{asked}一栏空白；" + ("上面的决算数取自说明文字。" if stated else
                                           "没有把空白当作任何数字。")
    return Answer("answered", "".join(sentences), figures, warnings=[warning])


def _columns_of(trace: Trace, table_ids: list[int]) -> dict[int, set[str]]:
    """Each table's columns as measures (its printed header labels, normalized)."""
    rows = queries.table_headers(trace, table_ids)
    return {r["table_id"]: {canonical_measure(label) for label in json.loads(r["columns_json"] or "[]")}
            for r in rows}


COLUMN_SUFFIX = re.compile(r"(?:年初预算|全年预算|调整预算|决算)$")
COMPLETION = re.compile(r"完成率|执行率|完成(?:了)?(?:年初|全年)?预算的|是(?:年初|全年)预算的(?:百分之|多少|几)")


def completion_rate(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """决算数 ÷ 年初预算数 of a row in a 决算: the 决算数 from the table (else the text's "X决算"),
    the 年初预算 from the table's column (else the text's "X年初预算"), divided exactly. A rate the
    text itself prints for the row is quoted beside it."""
    finals = [d for d in documents if d.kind == "决算"]
    # the row, without a column word a follow-up carried over ("行政运行年初预算" → 行政运行)
    subjects = sorted({COLUMN_SUFFIX.sub("", n) or n for n in names_of(frame, "item", "text")})
    if not finals or not subjects or not COMPLETION.search(frame.question):
        return None
    doc_ids = _doc_ids(finals)
    final = _amount(trace, doc_ids, frame, subjects, FINAL, "决算")
    # 完成全年预算: against the budget as adjusted during the year; otherwise the 年初 budget
    column, word = ("全年预算数", "全年预算") if "全年预算" in frame.question else ("年初预算数", "年初预算")
    budget = _amount(trace, doc_ids, frame, subjects, column, word)
    if final is None or budget is None or not budget[0]:
        return None
    rate = (final[0] * 100 / budget[0]).quantize(Decimal("0.0001"), ROUND_HALF_UP)  # as the share handler states it
    row_name = final[2].get("name") or COLUMN_SUFFIX.sub("", final[2].get("subject") or "") or subjects[0]
    label = label_for(final[2], row_name, None)
    figures = [Figure(exact(rate), "%", f"{label}决算数占{word}的比例", final[1]),
               Figure(exact(final[0] / 1000000), "万元", f"{label}决算数", final[1]),
               Figure(exact(budget[0] / 1000000), "万元", f"{label}{word}", budget[1])]
    text = (f"{label}决算数{show(final[0] / 1000000, '万元')}（{final[1].cite()}），{word}"
            f"{show(budget[0] / 1000000, '万元')}（{budget[1].cite()}），完成{word}的{show(rate, '%')}。")
    return Answer("answered", text, figures)


def _amount(trace: Trace, doc_ids: list[int], frame: Frame, subjects: list[str], measure: str,
            suffix: str) -> tuple[Decimal, Source, dict[str, Any]] | None:
    """(amount in 分, its source, its row) of the subject in one 决算 column: table first, then text."""
    rows = queries.items(trace, doc_ids, codes_of(frame), names_of(frame, "item"), measure) \
        if names_of(frame, "item") or codes_of(frame) else []
    if rows:
        return Decimal(rows[0]["amount_fen"]), item_source(rows[0]), rows[0]
    stated = [f for f in queries.text_figures(trace, doc_ids, [s + suffix for s in subjects], ("amount",))
              if f["unit"] in MONEY]
    if stated:
        fig = stated[0]
        return text_fen(fig), text_source(fig), fig
    return None
