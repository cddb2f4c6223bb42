"""R14: a table that prints figures while the document says it is empty."""
from __future__ import annotations

import re
from typing import Iterator

from ingest.textutil import squash

from .base import DocData, Issue, Item, Table, item_ref, rule, show_item, text_ref, where_fig
from .vocabulary import EMPTY_WORDS

_TABLE_NO = re.compile(r"^(表\s*\d+(?:-\d+)?)")
# Words of a sentence that say which table it is about, by table kind.
_KIND_WORDS = {"sangong": ("三公",), "government_fund": ("政府性基金",), "state_capital": ("国有资本经营",)}


@rule("R14", "文件称为空表（表注、目录“是否空表”或说明）的表不应列示金额", severity="warning")
def empty_table_prints_figures(doc: DocData) -> Iterator[Issue]:
    for table in doc.tables.values():
        printed = _printed(doc, table)
        if not printed:
            continue
        reason = _declared_empty(doc, table)
        if reason:
            shown = "、".join(f"{i.name}{show_item(i)}" for i in printed[:3]) + ("等" if len(printed) > 3 else "")
            yield Issue(table.title, f"{reason}，但《{table.title}》列有金额：{shown}。",
                        [item_ref(i) for i in printed] + _text_refs(doc, table))


def _printed(doc: DocData, table: Table) -> list[Item]:
    return [i for i in doc.items if i.table_id == table.table_id and i.amount_fen]


def _says_empty(text: str | None) -> bool:
    return bool(text) and any(w in squash(text) for w in EMPTY_WORDS)


def _declared_empty(doc: DocData, table: Table) -> str | None:
    """Where the document says the table is empty, in words for the message; None if nowhere."""
    if table.is_empty:
        return f"《{table.title}》标为空表"
    if _says_empty(table.note):
        return f"表注写“{table.note}”"
    for cells in doc.rows.get(table.table_id, []):
        text = "".join(cells)
        if _says_empty(text) and not any(_is_amount(c) for c in cells):
            return f"表内写“{text}”"
    listed = _catalogue_says_empty(doc, table)
    if listed:
        return listed
    fig = _text_says_empty(doc, table)
    if fig:
        return f"{where_fig(fig)}写“{fig.sentence}”"
    return None


def _is_amount(cell: str) -> bool:
    return bool(re.fullmatch(r"-?[\d,，]+(\.\d+)?", cell.strip()))


def _catalogue_says_empty(doc: DocData, table: Table) -> str | None:
    """A 报表目录 with a 是否空表 column that answers 是 for this table."""
    number = _TABLE_NO.match(squash(table.title))
    for catalogue in doc.tables.values():
        if not any("是否空表" in c for c in catalogue.columns):
            continue
        flag = next(i for i, c in enumerate(catalogue.columns) if "是否空表" in c)
        for cells in doc.rows.get(catalogue.table_id, []):
            if flag >= len(cells) or squash(cells[flag]) != "是":
                continue
            if any(_names_table(squash(c), table, number) for c in cells[:flag] if c):
                return f"《{catalogue.title}》把“{''.join(cells[:flag])}”列为空表"
    return None


def _names_table(name: str, table: Table, number) -> bool:
    """'表9' names the table numbered 表9 (not 表9-1 or 表90); a title names a table whose title holds it."""
    if _TABLE_NO.fullmatch(name):
        return bool(number) and number.group(1) == name
    return len(name) >= 4 and name in squash(table.title)


def _text_says_empty(doc: DocData, table: Table):
    words = _KIND_WORDS.get(table.kind)
    if not words:
        return None
    for fig in doc.figures:
        if _says_empty(fig.sentence) and any(w in fig.sentence for w in words):
            return fig
    return None


def _text_refs(doc: DocData, table: Table) -> list[dict]:
    fig = _text_says_empty(doc, table)
    return [text_ref(fig)] if fig else []
