"""The engine's vocabulary, derived from what is loaded — never a hard-coded list.

Bureaus: each issuer with the short forms people use (青海医保局, 北戴河, 莲湖区医保局) and the
pinyin of its place names (for English questions). Subjects: every row name, project,
indicator and text subject stored, plus the glossary's synonyms. Finding them in a question is
a longest-match scan over these sets.
"""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from dataclasses import dataclass, field

from db.glossary import glossary

from .sqlcheck import run_sql
from .text import squash

_PLACE_SPLIT = re.compile(r"(.+?(?:自治区|自治州|省|市|区|县|州))")


@dataclass
class Document:
    doc_id: int
    issuer: str
    year: int | None
    title: str
    kind: str
    scope: str | None = None
    part: str = "whole"  # whole | tables | text: a budget published as a tables file and a text file


@dataclass
class Bureau:
    issuer: str
    aliases: set[str] = field(default_factory=set)
    pinyin: set[str] = field(default_factory=set)
    places: list[str] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    org_forms: set[str] = field(default_factory=set)  # the office without its place: 商务委员会, 商务委

    @property
    def short(self) -> str:
        """The name people use: the most specific place + the bureau kind (北戴河区医疗保障局)."""
        base = re.sub(r"[（(].*?[)）]$", "", self.issuer)
        return base[len("".join(self.places[:-1])):] if len(self.places) > 1 else base


@dataclass
class Match:
    start: int
    end: int
    term: str  # squashed text matched in the question
    kind: str  # "item" | "total" | "project" | "indicator" | "text" | "table" | "code"
    names: set[str]  # stored names (or codes) it stands for


class Lexicon:
    def __init__(self, conn: sqlite3.Connection):
        self.documents = [Document(*row) for row in _rows(conn, "SELECT doc_id, issuer, year, title, kind, scope, part FROM documents ORDER BY doc_id")]
        self.bureaus = _bureaus(self.documents)
        self.terms: dict[str, dict[str, set[str]]] = {}  # squashed term → kind → stored names
        for kind, sql in (
            ("item", "SELECT DISTINCT name FROM items_v WHERE is_total = 0"),
            ("project", "SELECT DISTINCT name FROM projects_v"),
            ("indicator", "SELECT DISTINCT name FROM indicators_v"),
            ("text", "SELECT DISTINCT subject FROM text_figures_v WHERE subject IS NOT NULL"),
            ("table", "SELECT DISTINCT title FROM source_tables WHERE is_empty = 0"),
        ):
            for (name,) in _rows(conn, sql):
                self._add(name, kind, name)
                if kind == "table":  # 政府购买服务预算表 is asked for as 政府购买服务预算
                    self._add(re.sub(r"^表\s*[\d-]+\s*", "", re.sub(r"(预算)?表$", "", name)), kind, name)
        for canonical, synonyms in glossary()["subject_synonyms"].items():
            stored = self.terms.get(squash(canonical), {})
            for synonym in synonyms + [canonical]:
                for kind, names in stored.items():
                    for name in names:
                        self._add(synonym, kind, name)
        totals = {name for (name,) in _rows(conn, "SELECT DISTINCT name FROM items_v WHERE is_total = 1")}
        for printed, words in glossary()["total_rows"].items():
            if printed in totals:
                for word in [printed] + [w for w in words if not w.startswith("_")]:
                    self._add(word, "total", printed)
        self.codes = {code for (code,) in _rows(conn, "SELECT DISTINCT code FROM items_v WHERE code IS NOT NULL")}
        # A table may print a second classification beside each row's own (莲湖 表6: 30101 基本工资
        # | 50101 工资奖金津补贴): those codes are stored only in the row's raw text.
        self.side_codes: dict[str, str] = {}
        for (raw,) in _rows(conn, "SELECT DISTINCT raw_text FROM items_v WHERE raw_text LIKE '%| 5%'"):
            for code, name in SIDE_CODE.findall(raw or ""):
                if code not in self.codes:
                    self.side_codes.setdefault(code, name.strip())
        self.max_len = max((len(t) for t in self.terms), default=0)

    def _add(self, text: str, kind: str, stored: str) -> None:
        term = squash(text)
        forms = [term]
        # 车辆（台、辆）, 参保人数(人): the bracket says the unit, people ask without it.
        forms.append(re.sub(r"（[^（）]*）$", "", term))
        # A year printed in a column label (2024年机关运行经费) is not part of the name.
        forms.append(re.sub(r"^\d{4}年度?", "", term))
        # The text qualifies subjects by their money source: 财政拨款“三公”经费 is asked as 三公经费.
        forms += [term[len(q):] for q in ("财政拨款", "一般公共预算", "当年")
                  if term.startswith(q) and len(term) - len(q) >= 4]
        # Names printed with a trailing 支出/费用 are also asked for without it.
        forms += [term[: -len(s)] for s in ("支出", "费用", "项目", "资金")
                  if term.endswith(s) and len(term) - len(s) >= 3]
        # The text states a total by its size word: 政府采购预算总金额 / 政府采购支出预算总额 are
        # asked as 政府采购预算.
        for size in ("总金额", "总额", "总计", "金额"):
            if term.endswith(size) and len(term) - len(size) >= 4:
                forms += [term[: -len(size)], term[: -len(size)].replace("支出预算", "预算")]
        for form in dict.fromkeys(forms):
            # A form that is only a generic word (财政拨款 from 一般公共预算财政拨款) names nothing.
            if len(form) >= 2 and form not in _generic():
                self.terms.setdefault(form, {}).setdefault(kind, set()).add(stored)

    def find_subjects(self, text: str) -> list[Match]:
        """Longest non-overlapping subject terms and 科目 codes in `text` (already squashed)."""
        found: list[Match] = []
        for m in re.finditer(r"(?<!\d)(\d{3}|\d{5}|\d{7})(?![\d年])", text):
            if m.group(1) in self.codes:
                found.append(Match(m.start(), m.end(), m.group(1), "code", {m.group(1)}))
        taken = [False] * len(text)
        for match in found:
            for k in range(match.start, match.end):
                taken[k] = True
        candidates: list[Match] = []
        for i in range(len(text)):
            for j in range(min(len(text), i + self.max_len), i + 1, -1):
                entry = self.terms.get(text[i:j])
                if entry:
                    for kind, names in entry.items():
                        candidates.append(Match(i, j, text[i:j], kind, set(names)))
                    break
        for match in sorted(candidates, key=lambda m: (-(m.end - m.start), m.start)):
            if not any(taken[match.start:match.end]):
                same_span = [c for c in candidates if (c.start, c.end) == (match.start, match.end)]
                found += same_span
                for k in range(match.start, match.end):
                    taken[k] = True
        return sorted(found, key=lambda m: m.start)

    def find_bureaus(self, text: str) -> list[tuple[Bureau, int, int]]:
        """Bureaus named in `text` (squashed), longest alias first, with their spans. An alias
        several bureaus share (普陀 for every 普陀区 department) names all of them."""
        by_alias: dict[str, list[Bureau]] = {}
        for bureau in self.bureaus:
            for alias in bureau.aliases:
                by_alias.setdefault(alias, []).append(bureau)
        hits: list[tuple[Bureau, int, int]] = []
        taken = [False] * len(text)
        # Longest first; of equal length, the one named first ("区府办…其他政府办公厅…": 区府办, not
        # the 政府办 inside a 科目 name). Never set order: answers must not depend on the hash seed.
        present = [a for a in by_alias if a in text]
        for alias in sorted(present, key=lambda a: (-len(a), text.find(a), a)):
            start = text.find(alias)
            while start != -1:
                end = start + len(alias)
                if not any(taken[start:end]):
                    for bureau in by_alias[alias]:
                        if all(h[0] is not bureau for h in hits):
                            hits.append((bureau, start, end))
                    for k in range(start, end):
                        taken[k] = True
                start = text.find(alias, end)
        return sorted(hits, key=lambda h: h[1])

    def bureau_by_pinyin(self, words: list[str]) -> list[Bureau]:
        return [b for b in self.bureaus if b.pinyin & set(words)]


SIDE_CODE = re.compile(r"\| (5\d{4}) \| ([^|\d][^|]*?) \|")
_OFFICE_END = re.compile(r"(?:街道办事处|办事处|委员会|办公室|局|委|办)$")


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    """Generic words that name no subject; read once, not once per name at start-up."""
    return frozenset(glossary()["generic_subjects"]["words"])


def _rows(conn: sqlite3.Connection, sql: str) -> list[tuple]:
    return run_sql(conn, sql, max_rows=100_000).rows


def _bureaus(documents: list[Document]) -> list[Bureau]:
    by_issuer: dict[str, Bureau] = {}
    for doc in documents:
        # One body across years even when printed another way: 莲湖区医疗保障局（汇总） in one year,
        # 莲湖区医疗保障局 in the next, 青海省 医疗保障局 with a space.
        key = identity_key(doc.issuer)
        bureau = by_issuer.get(key)
        if bureau is None:
            bureau = by_issuer[key] = Bureau(doc.issuer)
            _derive_aliases(bureau)
        bureau.documents.append(doc)
    bureaus = list(by_issuer.values())
    # The office alone (商务委, 区政府办公室, 万里街道) names a bureau when no other bureau has it.
    org_counts: dict[str, int] = {}
    for bureau in bureaus:
        for form in bureau.org_forms:
            org_counts[form] = org_counts.get(form, 0) + 1
    for bureau in bureaus:
        bureau.aliases |= {f for f in bureau.org_forms if org_counts[f] == 1 and len(f) >= 3}
    return bureaus


def identity_key(issuer: str) -> str:
    """The issuer as one entity: squashed, without a trailing scope in brackets (（汇总）, （本级）),
    its office in the glossary's full form (青海省医保局 is 青海省医疗保障局)."""
    key = re.sub(r"[（(][^（）()]*[)）]$", "", squash(issuer))
    for long, shorts in glossary()["bureau_abbreviations"].items():
        for short in sorted((s for s in shorts if len(s) >= 2), key=len, reverse=True):
            if key.endswith(short) and not key.endswith(long):
                return key[: -len(short)] + long
    return key


def _derive_aliases(bureau: Bureau) -> None:
    """青海省医疗保障局 → 青海省医疗保障局, 青海医疗保障局, 青海省医保局, 青海医保局, 青海省, 青海 …"""
    full = squash(bureau.issuer)
    # 中共江苏省委办公厅 is asked as 江苏省委办公厅: the party prefix is no place and often left out.
    base = re.sub(r"^(中国共产党|中共)", "", re.sub(r"（.*?）$", "", full))
    places = _PLACE_SPLIT.findall(base)
    org = base[len("".join(places)):]
    bureau.places = places
    org_forms = {org}
    for long, shorts in glossary()["bureau_abbreviations"].items():
        for form in list(org_forms):
            if long in form:
                org_forms |= {form.replace(long, short, 1) for short in shorts}
    org_forms = {f for f in org_forms if f}
    # The office alone names the bureau only when it says which office (商务委员会, 财政局,
    # 万里街道), not when it is a kind every bureau shares (医疗保障局, 办公室, 局).
    kinds = set(glossary()["generic_offices"])
    specific = {f for f in org_forms if f not in kinds and len(f) >= 3}
    if places:  # 区政府办公室: the place's level word before the office
        level = places[-1][-1]
        specific |= {level + f for f in specific if not f.startswith(level)}
    bureau.org_forms = specific
    place_forms: set[str] = set()
    for k in range(len(places)):
        chain = "".join(places[k:])
        place_forms.add(chain)
        place_forms.add("".join(p[:-1] if len(p) > 2 else p for p in places[k:]))
    bureau.aliases = {full, base}
    for place in place_forms:
        for form in org_forms:
            bureau.aliases.add(place + form)
    # The most specific place alone (北戴河, 莲湖区, 青海) names the bureau too.
    if places:
        last = places[-1]
        bureau.aliases |= {last, last[:-1]} if len(last) > 2 else {last}
    bureau.aliases = {a for a in bureau.aliases if len(a) >= 2}
    try:
        from pypinyin import lazy_pinyin
        for place in places:
            stem = place[:-1] if len(place) > 2 else place
            bureau.pinyin.add("".join(lazy_pinyin(stem)))
        own = _OFFICE_END.sub("", org.removeprefix("人民政府"))
        if len(own) >= 2:  # "Wanli subdistrict office": the office's own name (万里) in pinyin
            bureau.pinyin.add("".join(lazy_pinyin(own)))
    except ImportError:  # pragma: no cover - pypinyin is a dependency
        pass
