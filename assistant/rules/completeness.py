"""Completeness: R16 the tables a 部门预算 / 单位预算 / 部门决算 must publish, R17 an empty table
says it is empty, R18 the table of contents against the tables found, R19 the sections the text
must have. What is required is data (db/audit_requirements.json), not code."""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Iterator

from ingest.textutil import squash

from .base import DocData, Issue, Table, TextLine, line_ref, rule, table_ref
from .empty import _declared_empty, _printed
from .requirements import requirements

_QUOTES = re.compile(r"[“”\"'‘’「」]")
_YEAR = re.compile(r"\d{4}\s*年度?")
_NUMBERING = re.compile(r"^(附件\d*|第[一二三四五六七八九十]+部分|[（(]?[一二三四五六七八九十\d]+[)）、.．]?|表\d+(-\d+)?)\s*")
_PAGE = re.compile(r"[.…·\s\d-]+$")
_MIN_PARAGRAPHS = 5  # a file of tables alone (the text published apart) is not checked for sections


def title_key(title: str) -> str:
    """'2025年部门“三公”经费和机关运行经费预算表' → '部门三公经费和机关运行经费预算表'."""
    return _YEAR.sub("", _QUOTES.sub("", squash(title or "")))


def _meets(table: Table, need: dict) -> bool:
    key = title_key(table.title)
    if need.get("title_not") and re.search(need["title_not"], key):
        return False
    if table.kind in need.get("kinds", ()) and (not need.get("title") or re.search(need["title"], key)):
        return True
    return any(re.search(v["title"], key) for v in need.get("variants", ()))


@rule("R16", "文件应包含全国公开格式要求的各张表（部门预算、单位预算、部门决算各九张，允许有据可查的地方格式）",
      severity="warning")
def required_tables_present(doc: DocData) -> Iterator[Issue]:
    needs = requirements()["required_tables"].get(doc.kind, [])
    tables = list(doc.tables.values())
    if not tables or all(t.kind == "performance" for t in tables):
        return  # a file of performance targets alone is not a disclosure of the nine tables
    untitled = [t for t in tables if not title_key(t.title)]
    missing = [n["name"] for n in needs
               if (not n.get("from_year") or not doc.year or doc.year >= n["from_year"])
               and not any(_meets(t, n) for t in tables)]
    if not missing:
        return
    shown = "、".join(f"《{m}》" for m in missing)
    if untitled:  # a table whose title was not read may be one of them: a note, not a warning
        yield Issue("公开表格", f"未找到{shown}；另有{len(untitled)}张表未读到标题，可能即为其中之一，请核对。",
                    [table_ref(t) for t in untitled], severity="info")
        return
    yield Issue("公开表格", f"{doc.kind}公开应包含{shown}，文件中未找到。", [])


@rule("R17", "无数据的表（政府性基金、国有资本经营、“三公”经费）应注明“本表无数据／无此项”", severity="warning")
def empty_table_has_note(doc: DocData) -> Iterator[Issue]:
    kinds = requirements()["empty_table_kinds"]
    for table in doc.tables.values():
        if table.kind not in kinds or _printed(doc, table) or _declared_empty(doc, table):
            continue
        if _explained_in_text(doc, kinds[table.kind]):
            continue
        yield Issue(table.title, f"《{table.title}》没有列示金额，也没有注明“本表无数据”或“无此项”等说明。",
                    [table_ref(table)])


def _explained_in_text(doc: DocData, words: str) -> bool:
    """The text says the department has none ("本部门无政府性基金预算财政拨款收入和支出", "政府性基金
    支出预算支出0万元")."""
    plain = _QUOTES.sub("", words)
    none = re.compile(rf"(无|没有|未安排|不涉及)[^。；]{{0,20}}{plain}|{plain}[^。；]{{0,20}}?(为|是)?(?<![\d.])0(\.0+)?万?元")
    return any(none.search(_QUOTES.sub("", squash(ln.text))) for ln in doc.lines)


@rule("R18", "目录所列的表应与文件中的表一致", severity="warning")
def contents_match_tables(doc: DocData) -> Iterator[Issue]:
    entries = contents_entries(doc)
    tables = [t for t in doc.tables.values() if title_key(t.title)]
    if len(entries) < 3 or not tables:
        return
    for line, key in entries:
        if not any(_same_title(key, title_key(t.title)) for t in tables):
            yield Issue(line.text.strip(), f"目录列有“{line.text.strip()}”，文件中没有找到这张表。", [line_ref(line)])
    for table in tables:
        if not any(_same_title(key, title_key(table.title)) for _, key in entries):
            yield Issue(table.title, f"《{table.title}》不在目录中。", [table_ref(table)])


def contents_entries(doc: DocData) -> list[tuple[TextLine, str]]:
    """The table titles a 目录 lists: the lines after a line reading 目录 that name a table."""
    out: list[tuple[TextLine, str]] = []
    started = False
    for ln in doc.lines:
        text = squash(ln.text)
        if not started:
            started = text == "目录"
            continue
        if len(text) > 60:
            break
        key = title_key(_PAGE.sub("", _NUMBERING.sub("", text)))
        if key.endswith("表"):
            out.append((ln, key))
    return out


def _same_title(a: str, b: str) -> bool:
    return a in b or b in a or SequenceMatcher(None, a, b).ratio() >= 0.85


@rule("R19", "说明应包含“三公”经费、机关运行经费、政府采购、国有资产占用、绩效等部分", severity="warning")
def required_sections_present(doc: DocData) -> Iterator[Issue]:
    paragraphs = [ln for ln in doc.lines if ln.kind == "paragraph"]
    if len(paragraphs) < _MIN_PARAGRAPHS:
        return
    text = "".join(squash(f"{ln.section or ''}{ln.text}") for ln in paragraphs)
    text = _QUOTES.sub("", text)
    needs = {k: v for k, v in requirements()["required_sections"].items() if not k.startswith("_")}
    missing = [name for name, words in needs.items() if not any(_QUOTES.sub("", w) in text for w in words)]
    if missing:
        yield Issue("说明", f"说明中没有{'、'.join(missing)}的内容（公开要求说明这些事项）。", [])
