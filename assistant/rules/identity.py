"""The report's own year and name: R22 every heading, table title and date names the document's
year ("截至X年12月31日" the right year-end), R23 table titles and headings name the issuer as
it is, not a body of another level or place ("上海市商务委员会" in the tables of 上海市普陀区商务委员会)."""
from __future__ import annotations

import re
from typing import Iterator

from ingest.textutil import squash

from .base import DocData, Issue, line_ref, rule, table_ref

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
# A heading that compares with or looks back on another year is right to name it.
_OTHER_YEAR_OK = re.compile(r"上年|上一年|比|较|对比|与|执行|增减|变化|以来|至|—|－|-|~|～|结转|名词")
_AS_OF = re.compile(r"截至\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})?\s*日?")
_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{1,7}?(?:省|自治区|市|自治州|州|盟|地区|区|县|旗))+")


def _headings(doc: DocData) -> Iterator[tuple[str, dict, str]]:
    """(heading, ref, where): title lines, the sections of the text, table titles."""
    seen: set[str] = set()
    for ln in doc.lines:
        if ln.kind == "heading":
            yield ln.text, line_ref(ln), "标题"
        elif ln.section and ln.section not in seen:
            seen.add(ln.section)
            yield ln.section, line_ref(ln), "说明标题"
    for table in doc.tables.values():
        yield table.title, table_ref(table), "表名"


@rule("R22", "标题、表名与“截至X年12月31日”应为本文件的年度（预算：上年年末；决算：本年年末）")
def own_year(doc: DocData) -> Iterator[Issue]:
    if not doc.year:
        return
    for text, ref, where in _headings(doc):
        years = sorted({int(y) for y in _YEAR.findall(text)} - {doc.year})
        if years and not _OTHER_YEAR_OK.search(squash(text)) and len(squash(text)) <= 60:
            shown = "、".join(f"{y}年" for y in years)
            yield Issue(text.strip(), f"{where}“{text.strip()}”写{shown}，而本文件是{doc.year}年{doc.kind}。", [ref],
                        stated=years[0], expected=doc.year)
    for ln in doc.lines:
        for m in _AS_OF.finditer(ln.text):
            year, month, day = int(m.group(1)), int(m.group(2)), m.group(3)
            year_end = month == 12 and day == "31"
            if doc.kind == "决算":
                allowed = {doc.year} if year_end else {doc.year, doc.year + 1}
            else:
                allowed = {doc.year - 1} if year_end else {doc.year - 1, doc.year}
            if year not in allowed:
                want = "、".join(f"{y}年" for y in sorted(allowed))
                yield Issue(m.group(0), f"说明“{ln.section or ''}”写“{m.group(0)}”，{doc.year}年{doc.kind}应为{want}："
                            f"“{ln.text.strip()[:80]}”。", [line_ref(ln)], stated=year, expected=min(allowed))


def split_issuer(issuer: str) -> tuple[str, str]:
    """'上海市普陀区商务委员会' → ('上海市普陀区', '商务委员会')."""
    m = _PLACE.match(issuer or "")
    place = m.group(0) if m else ""
    return place, re.sub(r"[（(][^）)]*[）)]$", "", (issuer or "")[len(place):])


@rule("R23", "表名、标题与表头所写的单位名称应是本单位（区级单位不应写成市级同名机关的名称，"
             "标题不应是另一单位的预决算）")
def own_name(doc: DocData) -> Iterator[Issue]:
    yield from _higher_level_name(doc)
    yield from _another_issuers_title(doc)


# "上海市普陀区财政局2025年部门预算" in the 商务委员会's file: another body's title left in.
_BODY_END = r"(?:局|委员会|委|办公室|办公厅|办事处|中心|院|厅|部|站|所|馆|队|会|社|校|学)"
_OTHER_TITLE = re.compile(rf"(?P<name>[\u4e00-\u9fff（）()]{{2,20}}?{_BODY_END})(?:（本级）|（汇总）)?"
                          rf"\s*(?:(?:19|20)\d{{2}}\s*年度?)\s*(?:部门|单位)?(?:预算|决算)")


def _another_issuers_title(doc: DocData) -> Iterator[Issue]:
    place, body = split_issuer(doc.issuer)
    if not place or len(body) < 2:
        return
    seen: set[str] = set()
    for text, ref, where in _headings(doc):
        plain = squash(text)
        for m in _OTHER_TITLE.finditer(plain):
            name = m.group("name")
            name = name[name.find(place):] if place in name else ""  # "关于上海市普陀区财政局…" → the name
            if not name or name in seen:
                continue
            if body in name or name[len(place):] in doc.issuer:
                continue  # its own name, or a short form of it
            seen.add(name)
            yield Issue(name, f"{where}“{text.strip()[:60]}”是“{name}”的预决算标题，而本文件的单位是“{doc.issuer}”。",
                        [ref])


def _higher_level_name(doc: DocData) -> Iterator[Issue]:
    place, body = split_issuer(doc.issuer)
    units = _UNIT.findall(place)
    if len(units) < 2 or len(body) < 2:
        return
    higher = ["".join(units[:n]) for n in range(1, len(units))]  # 上海市 for 上海市普陀区
    seen: set[str] = set()
    for text, ref, where in list(_headings(doc)) + list(_table_headers(doc)):
        plain = squash(text)
        for m in re.finditer(re.escape(body), plain):
            before = plain[:m.start()]
            if before.endswith(place):
                continue
            named = next((h for h in reversed(higher) if before.endswith(h)), None)
            if not named or (named, text) in seen:
                continue
            seen.add((named, text))
            yield Issue(f"{named}{body}", f"{where}“{text.strip()[:60]}”写“{named}{body}”（上级机关的名称），而本文件的"
                        f"单位是“{doc.issuer}”。", [ref])


_UNIT = re.compile(r"[\u4e00-\u9fff]+?(?:自治区|自治州|省|市|州|盟|地区|区|县|旗)")


_HEADER_FIELD = re.compile(r"^(部门|单位|编制单位|预算单位|填报单位|部门（单位）)(名称)?[：:]")


def _table_headers(doc: DocData) -> Iterator[tuple[str, dict, str]]:
    """Short cells of the first rows of each table, and the header lines read as text above a
    table (部门名称：…, 编制单位：…)."""
    for ln in doc.lines:
        if len(ln.text) <= 40 and _HEADER_FIELD.match(squash(ln.text)):
            yield ln.text, line_ref(ln), "表头"
    for table in doc.tables.values():
        for cells in doc.rows.get(table.table_id, [])[:3]:
            for cell in cells:
                if cell and len(cell) <= 40:
                    yield cell, table_ref(table), f"《{table.title}》表头"
