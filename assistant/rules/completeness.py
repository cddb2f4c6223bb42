"""Completeness: R16 the tables a 部门预算 / 单位预算 / 部门决算 must publish, R17 an empty table
says it is empty, R18 the table of contents against the tables found, R19 the sections the text
must have. What is required is data (db/audit_requirements.json), not code."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ingest.textutil import squash

from .base import DocData, Issue, Table, line_ref, rule, table_ref
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


def variant_set(doc: DocData) -> dict | None:
    """The documented local format the document follows (a university's four tables), if any."""
    for variant in requirements().get("variant_sets", []):
        if variant["kind"] == doc.kind and re.search(variant["issuer"], doc.issuer or ""):
            return variant
    return None


def _meets(table: Table, need: dict) -> bool:
    key = title_key(table.title)
    if need.get("title_not") and re.search(need["title_not"], key):
        return False
    if table.kind in need.get("kinds", ()) and (not need.get("title") or re.search(need["title"], key)):
        return True
    return any(re.search(v["title"], key) for v in need.get("variants", ()))


@rule("R16", "文件应包含全国公开格式要求的各张表（部门预算、单位预算八张，部门决算九张，允许有据可查的地方格式）",
      severity="warning")
def required_tables_present(doc: DocData) -> Iterator[Issue]:
    variant = variant_set(doc)
    needs = variant["tables"] if variant else requirements()["required_tables"].get(doc.kind, [])
    tables = list(doc.tables.values())
    if not tables or all(t.kind == "performance" for t in tables) or doc.part == "text":
        return  # performance targets alone are no disclosure of the tables; the tables half reports its own
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
    listed_tables = {id(t) for t in tables if _is_contents(t)}
    for entry in entries:
        if not any(_same_title(entry.key, title_key(t.title)) for t in tables if id(t) not in listed_tables):
            note = "（目录注明为空表）" if entry.empty else ""
            yield Issue(entry.name, f"目录列有“{entry.name}”{note}，文件中没有找到这张表。", [entry.ref],
                        severity="info" if entry.empty else None)
    for table in tables:
        if id(table) in listed_tables or table.kind in ("performance", "other"):
            continue  # project target forms are listed as one entry, or not at all; "other" may be a fragment
        if not any(_same_title(entry.key, title_key(table.title)) for entry in entries):
            yield Issue(table.title, f"《{table.title}》不在目录中。", [table_ref(table)])


@dataclass
class ContentsEntry:
    name: str  # as printed
    key: str  # title_key of the name
    ref: dict
    empty: bool  # the contents mark it 是否空表: 是


def contents_entries(doc: DocData) -> list[ContentsEntry]:
    """The table titles a contents lists: a 报表目录 table, else the text lines after a line
    reading 目录 that name a table."""
    for table in doc.tables.values():
        if _is_contents(table):
            return _table_entries(doc, table)
    out: list[ContentsEntry] = []
    started = False
    for ln in doc.lines:
        text = squash(ln.text)
        if not started:
            started = text == "目录"
            continue
        if len(text) > 60:
            break
        key = title_key(_PAGE.sub("", _NUMBERING.sub("", text)))
        if _names_a_table(key):
            out.append(ContentsEntry(ln.text.strip(), key, line_ref(ln), False))
    return out


def _is_contents(table: Table) -> bool:
    return title_key(table.title).endswith("目录")


def _table_entries(doc: DocData, table: Table) -> list[ContentsEntry]:
    flag = next((i for i, c in enumerate(table.columns) if "是否空表" in c), None)
    out = []
    for cells in doc.rows.get(table.table_id, []):
        names = [c for c in cells if _names_a_table(title_key(c))]
        if names:
            empty = flag is not None and flag < len(cells) and squash(cells[flag]) == "是"
            out.append(ContentsEntry(names[0].strip(), title_key(_NUMBERING.sub("", squash(names[0]))),
                                     table_ref(table), empty))
    return out


def _same_title(a: str, b: str) -> bool:
    """One title holds the other once numbering and years are gone ('一、部门收支总表' and
    '2025年部门收支总表'); near-misses such as 收入总表 / 收支总表 are different tables."""
    a, b = _NUMBERING.sub("", a), _NUMBERING.sub("", b)
    return bool(a and b) and (a in b or b in a)


def _names_a_table(key: str) -> bool:
    """'部门综合预算一般公共预算支出明细表（按支出功能分类科目）' names a table."""
    return len(key) >= 4 and _TRAILING_NOTE.sub("", key).endswith("表")


_TRAILING_NOTE = re.compile(r"[（(][^）)]*[）)]$")


@rule("R19", "说明（或其所附的表）应包含“三公”经费、机关运行经费、政府采购、国有资产占用、绩效等部分",
      severity="warning")
def required_sections_present(doc: DocData) -> Iterator[Issue]:
    paragraphs = [ln for ln in doc.lines if ln.kind == "paragraph"]
    tables = list(doc.tables.values())
    if len(paragraphs) < _MIN_PARAGRAPHS or (tables and all(t.kind == "performance" for t in tables)):
        return
    # A heading whose content is a table (五、预算绩效信息 → 绩效目标表) is stored with no
    # paragraph under it: the table titles count as the section.
    text = "".join(squash(f"{ln.section or ''}{ln.text}") for ln in paragraphs)
    text = _QUOTES.sub("", text + "".join(squash(t.title) for t in doc.tables.values()))
    needs = {k: v for k, v in requirements()["required_sections"].items() if not k.startswith("_")}
    variant = variant_set(doc)
    if variant is not None:
        needs = {k: v for k, v in needs.items() if k in variant["sections"]}
    missing = [name for name, words in needs.items() if not any(_QUOTES.sub("", w) in text for w in words)]
    if missing:
        yield Issue("说明", f"说明中没有{'、'.join(missing)}的内容（公开要求说明这些事项）。", [])
