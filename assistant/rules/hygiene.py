"""Text hygiene: R20 what the template left in (placeholders, instructions, "下降（增长）" with both
words), R21 doubled punctuation and repeated words. Read from the text as stored, the table
titles and their notes."""
from __future__ import annotations

import re
from typing import Iterator

from .base import DocData, Issue, line_ref, rule, table_ref
from .requirements import residue_patterns

_DOUBLED_PUNCTUATION = re.compile(r"([。，、；：！？])\1+|[，、；：][。]|[。][，、；]")
# A word of two to six characters printed twice in a row ("支出支出"), or a particle doubled ("的的").
_REPEATED_WORD = re.compile(r"([\u4e00-\u9fff]{2,6})\1|([的了和与及在对为是将])\2")
# Words that are rightly doubled in budget prose.
_RIGHTLY_DOUBLED = ("万万", "常常", "年年", "人人", "天天", "层层", "件件", "项项", "处处", "步步", "逐步逐步")


def _texts(doc: DocData) -> Iterator[tuple[str, dict, str]]:
    """(text, ref, where) for every line of the text, each table title and each table note. A
    line too short to say where it stands ("[值]" under a chart) is placed after the line before it."""
    previous = ""
    for ln in doc.lines:
        where = f"说明“{ln.section}”" if ln.section else ("标题" if ln.kind == "heading" else "说明")
        if len(ln.text.strip()) < 8 and previous:
            where += f"“{previous[-20:]}”之后"
        yield ln.text, line_ref(ln), where
        previous = ln.text.strip()
    for table in doc.tables.values():
        yield table.title, table_ref(table), f"《{table.title}》标题"
        if table.note:
            yield table.note, table_ref(table), f"《{table.title}》表注"


def _quote(text: str, start: int, end: int, around: int = 12) -> str:
    left, right = max(0, start - around), min(len(text), end + around)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


@rule("R20", "模板残留：占位符（XX、××、待填写、[值]）、“下降（增长）”两词并存、留给填表人的说明（仍保留该表格式…）")
def template_residue(doc: DocData) -> Iterator[Issue]:
    seen: set[tuple[str, str]] = set()
    for text, ref, where in _texts(doc):
        for pattern in residue_patterns():
            for m in pattern.finditer(text):
                if (m.group(0), text) in seen:
                    continue
                seen.add((m.group(0), text))
                yield Issue(m.group(0), f"{where}留有模板文字“{m.group(0)}”：“{_quote(text, m.start(), m.end())}”。", [ref])


@rule("R21", "文字：重复的标点（。。，，）与重复的词语（支出支出、的的）", severity="warning")
def doubled_marks(doc: DocData) -> Iterator[Issue]:
    for text, ref, where in _texts(doc):
        for m in _DOUBLED_PUNCTUATION.finditer(text):
            yield Issue(m.group(0), f"{where}标点重复“{m.group(0)}”：“{_quote(text, m.start(), m.end())}”。", [ref])
        for m in _REPEATED_WORD.finditer(text):
            if m.group(0) in _RIGHTLY_DOUBLED or _is_name_list(text, m):
                continue
            yield Issue(m.group(0), f"{where}词语重复“{m.group(0)}”：“{_quote(text, m.start(), m.end())}”。", [ref])


def _is_name_list(text: str, m: re.Match) -> bool:
    """'部门集中采购 部门集中采购' in a row read as text is two cells, not a typo: only words
    printed back to back count, so a space between them already excludes it; a doubled word
    right after a digit is a table row run together."""
    return m.start() > 0 and text[m.start() - 1].isdigit()
