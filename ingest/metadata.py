"""Who issued a document, for which year, and what kind of budget it is.

Read from the document's own words: its title lines, 部门名称/预算年度 lines, and the names
its tables print. A year the text does not state stays None: never guessed.
"""
from __future__ import annotations

import re
from collections import Counter

from db.glossary import glossary

from .model import ParsedDocument
from .textutil import chinese_number, nfkc

_YEAR_PATTERNS = [
    re.compile(r"预算年度[:：]\s*(\d{4})"),
    re.compile(r"(\d{4})\s*年\s*(?:度)?\s*(?:部门|单位)(?:综合)?\s*(?:预算|决算)"),
    re.compile(r"[（(]\s*(\d{4})\s*年度\s*[)）]"),
    re.compile(r"(\d{4})\s*年\s*(?:部门|单位)?(?:预算|决算)\s*(?:公开|信息公开|情况说明)"),
    re.compile(r"(\d{4})\s*年[\u4e00-\u9fff]{0,4}?(?:部门|单位)(?:预算|决算)"),
]
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})年")
_DELIMS = r"(?:^|[\s:：、，,()（）\[\]“”\"#\-]|\d)"


def _org_pattern() -> re.Pattern[str]:
    suffixes = sorted(glossary()["bureau_suffixes"], key=len, reverse=True)
    places = "|".join(glossary()["place_suffixes"])
    return re.compile(
        _DELIMS + r"([\u4e00-\u9fff]{1,12}?(?:" + places + r")[\u4e00-\u9fff]{0,16}?(?:"
        + "|".join(map(re.escape, suffixes)) + r")(?:[（(](?:本级|汇总|机关)[)）])?)")


def detect_issuer(doc: ParsedDocument) -> str | None:
    """The issuing body: the first organisation named in the title lines, else the commonest."""
    if doc.issuer:
        return doc.issuer
    pattern = _org_pattern()
    title_hits = [m.group(1) for line in doc.heading_lines for m in pattern.finditer(line)]
    if title_hits:
        return _tidy(title_hits[0])
    counts: Counter[str] = Counter()
    for table in doc.tables[:6]:
        for row in table.rows[:4]:
            for cell in row:
                for m in pattern.finditer(cell or ""):
                    counts[_tidy(m.group(1))] += 1
    for para in doc.paragraphs[:20]:
        for m in pattern.finditer(para.text):
            counts[_tidy(m.group(1))] += 1
    return counts.most_common(1)[0][0] if counts else None


def _tidy(name: str) -> str:
    name = re.sub(r"^(部门|单位|部门/单位|部门名称|单位名称)", "", name)
    return name.replace("(", "（").replace(")", "）")


def detect_year(doc: ParsedDocument) -> int | None:
    if doc.year:
        return doc.year
    texts = list(doc.heading_lines) + [t.title for t in doc.tables] + [p.text for p in doc.paragraphs[:40]]
    for table in doc.tables:
        texts += [" ".join(c or "" for c in row) for row in table.rows[:2]]
    votes: Counter[int] = Counter()
    for line in doc.heading_lines[:6]:  # a cover printing the year on a line of its own
        if re.fullmatch(r"(19|20)\d{2}\s*年?(度)?", nfkc(line).strip()):
            votes[int(nfkc(line).strip()[:4])] += 2
    for text in texts:
        text = nfkc(text)
        for pattern in _YEAR_PATTERNS:
            for m in pattern.finditer(text):
                votes[int(m.group(1))] += 1
        for m in _CN_YEAR.finditer(text):
            value = chinese_number(m.group(1))
            if value and 1990 <= value <= 2100 and re.search(m.group(0) + r"\s*(?:部门|单位)?(?:预算|决算)", text):
                votes[value] += 1
    return votes.most_common(1)[0][0] if votes else None


def detect_kind(doc: ParsedDocument) -> str:
    if doc.kind:
        return doc.kind
    head = " ".join(doc.heading_lines[:8] + [t.title for t in doc.tables[:3]])
    return "决算" if "决算" in head else "预算"


def detect_scope(doc: ParsedDocument) -> str:
    head = " ".join(doc.heading_lines[:8] + [t.title for t in doc.tables[:3]])
    return "单位" if "单位预算" in head or "单位决算" in head else "部门"


def document_title(issuer: str, year: int | None, scope: str, kind: str, only_targets: bool) -> str:
    year_part = f"{year}年" if year else ""
    suffix = f"{scope}{kind}" + ("绩效目标" if only_targets else "")
    return f"{issuer}{year_part}{suffix}"
