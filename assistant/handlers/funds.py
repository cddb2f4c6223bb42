"""Questions about one budget fund that has its own table: 政府性基金预算, 国有资本经营预算.

"政府性基金预算财政拨款支出" is not the 财政拨款支出 of the general budget: only that fund's own
table answers it. Most departments print that table empty with a note ("本部门无政府性基金预算
财政拨款安排的预算，故本表为空表"); the answer then says so and quotes the note, never a
number from another table.
"""
from __future__ import annotations

from typing import Any

from db.glossary import glossary

from .. import queries
from ..answer import Answer
from ..lexicon import Document
from ..queries import Trace
from ..understand import Frame
from .common import _doc_ids, codes_of, names_of, say


def fund_named(frame: Frame) -> tuple[str, str] | None:
    """(table kind, the word the question used) when it names a fund with its own table."""
    kinds = glossary()["table_kinds"]
    for kind in glossary()["fund_tables"]["kinds"]:
        for word in kinds[kind]:
            if word in frame.question:
                return kind, word
    return None


def fund_rows(frame: Frame, documents: list[Document], trace: Trace, kind: str) -> list[dict[str, Any]]:
    """Rows of the fund's tables: the subject asked, else their total rows."""
    return queries.fund_items(trace, _doc_ids(documents), kind, frame.measure or "合计", codes_of(frame),
                              names_of(frame, "item"))


def empty_fund_tables(frame: Frame, documents: list[Document], trace: Trace, kind: str, word: str) -> Answer:
    """No figure in the fund's tables: which tables were read, and what their notes say."""
    tables = queries.tables_of_kind(trace, _doc_ids(documents), kind)
    if not tables:
        where = "、".join(f"《{d.title}》" for d in documents)
        return Answer("no_data", say(frame, f"{where}中没有{word}预算的表，无法给出数字。",
                                     f"{where} has no table of the {word} budget."))
    lines = []
    for t in tables:
        page = f"第{t['page']}页" if t["page"] else ""
        note = f"表注：“{t['note'].strip().rstrip('。')}”" if t["note"] else "表中没有印数字"
        lines.append(f"《{t['document']}》{t['title']}{('（' + page + '）') if page else ''}没有列出数字，{note}。")
    return Answer("no_data", "".join(lines) + f"所以已载入的预算中没有这项{word}的数字。")
