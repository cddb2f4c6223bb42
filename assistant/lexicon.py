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
from db.places import known_places, pinyin_words, place_stem, split_places
from ingest.vocabulary import SIDE_CODE

from .text import squash



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
    org_aliases: set[str] = field(default_factory=set)  # those of them that name this bureau alone

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
        self.documents = [Document(*row) for row in conn.execute(
            "SELECT doc_id, issuer, year, title, kind, scope, part FROM documents ORDER BY doc_id")]
        vocabulary = read_vocabulary(conn)
        pinyin: dict[str, list[str]] = {}  # recorded at ingest: no pinyin dictionary at start-up
        for issuer, word in vocabulary.get("pinyin", ()):
            pinyin.setdefault(issuer, []).append(word)
        self.bureaus = _bureaus(self.documents, pinyin)
        self.terms: dict[str, dict[str, set[str]]] = {}  # squashed term → kind → stored names
        for kind in ("item", "project", "indicator", "text", "table"):
            for name in vocabulary.get(kind, ()):
                self._add(name, kind, name)
                if kind == "table":  # 政府购买服务预算表 is asked for as 政府购买服务预算
                    self._add(re.sub(r"^表\s*[\d-]+\s*", "", re.sub(r"(预算)?表$", "", name)), kind, name)
        for canonical, synonyms in glossary()["subject_synonyms"].items():
            stored = self.terms.get(squash(canonical), {})
            for synonym in synonyms + [canonical]:
                for kind, names in stored.items():
                    for name in names:
                        self._add(synonym, kind, name)
        totals = set(vocabulary.get("total", ()))
        for printed, words in glossary()["total_rows"].items():
            if printed in totals:
                for word in [printed] + [w for w in words if not w.startswith("_")]:
                    self._add(word, "total", printed)
        self.codes = set(vocabulary.get("code", ()))
        self.side_codes: dict[str, str] = {}
        for code, name in sorted(vocabulary.get("side_code", ())):
            if code not in self.codes:
                self.side_codes.setdefault(code, name)
        self.max_len = max((len(t) for t in self.terms), default=0)
        self.by_alias: dict[str, list[Bureau]] = {}  # alias → the bureaus it names, in load order
        for bureau in self.bureaus:
            for alias in bureau.aliases:
                self.by_alias.setdefault(alias, []).append(bureau)
        self.max_alias = max(map(len, self.by_alias), default=0)

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
        # "打击欺诈骗保 维护基金安全 专项治理全覆盖检查经费": a project named in spaced parts is asked
        # by a part or two of it; each long part names it (the lookup lists every project it fits)
        if kind == "project" and len(text.split()) > 1:
            forms += [squash(part) for part in text.split() if len(squash(part)) >= 6]
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
        # The longest term starting at each position, all its kinds together: grouped by span
        # once, so choosing among them stays linear in the question's length.
        by_span: dict[tuple[int, int], list[Match]] = {}
        for i in range(len(text)):
            for j in range(min(len(text), i + self.max_len), i + 1, -1):
                entry = self.terms.get(text[i:j])
                if entry:
                    by_span[(i, j)] = [Match(i, j, text[i:j], kind, set(names)) for kind, names in entry.items()]
                    break
        for start, end in sorted(by_span, key=lambda span: (span[0] - span[1], span[0])):
            if not any(taken[start:end]):
                found += by_span[(start, end)]
                for k in range(start, end):
                    taken[k] = True
        return sorted(found, key=lambda m: m.start)

    def find_bureaus(self, text: str) -> list[tuple[Bureau, int, int]]:
        """Bureaus named in `text` (squashed), longest alias first, with their spans. An alias
        several bureaus share (普陀 for every 普陀区 department) names all of them."""
        by_alias = self.by_alias
        hits: list[tuple[Bureau, int, int]] = []
        taken = [False] * len(text)
        # Longest first; of equal length, the one named first ("区府办…其他政府办公厅…": 区府办, not
        # the 政府办 inside a 科目 name). Never set order: answers must not depend on the hash seed.
        # The question's substrings are looked up, not every alias of every loaded bureau.
        present = {text[i:j] for i in range(len(text)) for j in range(i + 2, min(len(text), i + self.max_alias) + 1)
                   if text[i:j] in by_alias}
        for alias in sorted(present, key=lambda a: (-len(a), text.find(a), a)):
            start = text.find(alias)
            while start != -1:
                end = start + len(alias)
                owners = [b for b in by_alias[alias] if (alias not in b.org_aliases or not _after_place(text, start, alias))
                          and not _cut_from_place(text, end, alias, b)]
                if owners and not any(taken[start:end]):
                    for bureau in owners:
                        if all(h[0] is not bureau for h in hits):
                            hits.append((bureau, start, end))
                    for k in range(start, end):
                        taken[k] = True
                start = text.find(alias, end)
        return sorted(hits, key=lambda h: h[1])

    @staticmethod
    def ambiguous(hits: list[tuple[Bureau, int, int]], text: str) -> list[list[Bureau]]:
        """Names that fit bodies of different places (朝阳区财政局: Beijing's and Changchun's):
        the bureaus of each such name. Bureaus of one place sharing a name (普陀 for each 普陀区
        department) are not ambiguous: the name means all of them."""
        spans: dict[tuple[int, int], list[Bureau]] = {}
        for bureau, start, end in hits:
            spans.setdefault((start, end), []).append(bureau)
        return [group for (start, end), group in spans.items()
                if end > start and len({_place_named(b, text[start:end]) for b in group}) > 1]

    def bureau_by_pinyin(self, words: list[str]) -> list[Bureau]:
        return [b for b in self.bureaus if b.pinyin & set(words)]




@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    """Generic words that name no subject; read once, not once per name at start-up."""
    return frozenset(glossary()["generic_subjects"]["words"])


# The vocabulary of a store written before the `vocabulary` table existed: the old scans, read
# once without the question path's time limit (a `budgetqa ingest` run fills the table).
_SCANS = (
    ("item", "SELECT DISTINCT name, '' FROM line_items WHERE is_total = 0"),
    ("total", "SELECT DISTINCT name, '' FROM line_items WHERE is_total = 1"),
    ("code", "SELECT DISTINCT code, '' FROM line_items WHERE code IS NOT NULL"),
    ("project", "SELECT DISTINCT name, '' FROM projects"),
    ("indicator", "SELECT DISTINCT name, '' FROM indicators"),
    ("text", "SELECT DISTINCT subject, '' FROM text_figures WHERE subject IS NOT NULL"),
    ("table", "SELECT DISTINCT title, '' FROM source_tables WHERE is_empty = 0"),
)


def read_vocabulary(conn: sqlite3.Connection) -> dict[str, list]:
    """kind → names (for side codes: (code, name) pairs), from the table ingest writes.

    Start-up reads this small table whole; it is not a question, so it runs without the
    questions' time limit, and its size grows with distinct names, not with documents."""
    out: dict[str, list] = {}
    try:
        rows = conn.execute("SELECT kind, name, detail FROM vocabulary ORDER BY kind, name, detail").fetchall()
    except sqlite3.OperationalError:  # a store older than the table
        rows = []
    if not rows and conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone():
        rows = [(kind, name, detail) for kind, sql in _SCANS for name, detail in conn.execute(sql) if name]
        rows += [("side_code", code, name.strip())
                 for (raw,) in conn.execute("SELECT DISTINCT raw_text FROM line_items WHERE raw_text LIKE '%| 5%'")
                 for code, name in SIDE_CODE.findall(raw or "")]
    for kind, name, detail in rows:
        out.setdefault(kind, []).append((name, detail) if kind in ("side_code", "pinyin") else name)
    return out


def _bureaus(documents: list[Document], pinyin: dict[str, list[str]] | None = None) -> list[Bureau]:
    by_issuer: dict[str, Bureau] = {}
    for doc in documents:
        # One body across years even when printed another way: 莲湖区医疗保障局（汇总） in one year,
        # 莲湖区医疗保障局 in the next, 青海省 医疗保障局 with a space.
        key = identity_key(doc.issuer)
        bureau = by_issuer.get(key)
        if bureau is None:
            bureau = by_issuer[key] = Bureau(doc.issuer)
            _derive_aliases(bureau, (pinyin or {}).get(doc.issuer))
        bureau.documents.append(doc)
    bureaus = list(by_issuer.values())
    # The office alone (商务委, 区政府办公室, 万里街道) names a bureau when no other bureau has it.
    org_counts: dict[str, int] = {}
    for bureau in bureaus:
        for form in bureau.org_forms:
            org_counts[form] = org_counts.get(form, 0) + 1
    for bureau in bureaus:
        bureau.org_aliases = {f for f in bureau.org_forms if org_counts[f] == 1 and len(f) >= 3}
        bureau.aliases |= bureau.org_aliases
    return bureaus


def _place_named(bureau: Bureau, alias: str) -> tuple[str, ...]:
    """The place `alias` names of the bureau, as its chain down to the deepest place written:
    朝阳区财政局 → (北京市, 朝阳区) for Beijing's, (吉林省, 长春市, 朝阳区) for Changchun's."""
    deepest = max((k + 1 for k, p in enumerate(bureau.places) if p in alias or place_stem(p) in alias), default=0)
    return tuple(bureau.places[:deepest or len(bureau.places)])


_LEVEL_END = re.compile(r"[\u4e00-\u9fff](?:省|市|区|县|州|旗)$")


_LEVELS = "省市区县州旗"


def _cut_from_place(text: str, end: int, alias: str, bureau: Bureau) -> bool:
    """The alias is the first part of another place the question writes: 河北 (天津市河北区's
    short form) in 河北省, 邯郸 (邯郸县's) in 邯郸市. An alias that ends at a place ends at the
    bureau's own, most specific one."""
    if end >= len(text) or text[end] not in _LEVELS or not bureau.places:
        return False
    return not (alias + text[end]).endswith(bureau.places[-1])


def _after_place(text: str, start: int, alias: str) -> bool:
    """A place is written right before `start` (通州区 before 教育局; 通州 before 区教育局, 西安
    before 市财政局): an office named there belongs to that place, not to the one loaded bureau
    holding the office."""
    before = text[max(0, start - 12):start]
    known = known_places()
    if _LEVEL_END.search(before) or any(before[-k:] in known for k in range(2, len(before) + 1)):
        return True
    # the alias starts with a level word (市财政局) that closes a place written before it (西安市)
    written = before + alias[0]
    return alias[0] in _LEVELS and any(written[-k:] in known for k in range(2, len(written) + 1))


@lru_cache(maxsize=None)  # a dozen offices per place, the same offices in every place: each read once
def _org_forms(org: str) -> frozenset[str]:
    """The office as printed and in its usual short forms: 医疗保障局 → 医保局, 医保."""
    forms = {org}
    for long, shorts in glossary()["bureau_abbreviations"].items():
        for form in list(forms):
            if long in form:
                forms |= {form.replace(long, short, 1) for short in shorts}
    return frozenset(f for f in forms if f)


@lru_cache(maxsize=None)
def _place_forms(places: tuple[str, ...]) -> frozenset[str]:
    """Each tail of the place chain, each place written whole or short: 福州鼓楼区, 福州市鼓楼, 鼓楼 …"""
    out: set[str] = set()
    for k in range(len(places)):
        forms = [""]
        for place in places[k:]:
            forms = [f + p for f in forms for p in dict.fromkeys((place, place_stem(place)))]
        out.update(forms)
    return frozenset(out)


@lru_cache(maxsize=None)  # start-up asks it once per document: thousands share an issuer
def identity_key(issuer: str) -> str:
    """The issuer as one entity: squashed, without a trailing scope in brackets (（汇总）, （本级）),
    its office in the glossary's full form (青海省医保局 is 青海省医疗保障局)."""
    key = re.sub(r"[（(][^（）()]*[)）]$", "", squash(issuer))
    for long, shorts in glossary()["bureau_abbreviations"].items():
        for short in sorted((s for s in shorts if len(s) >= 2), key=len, reverse=True):
            if key.endswith(short) and not key.endswith(long):
                return key[: -len(short)] + long
    return key


def _derive_aliases(bureau: Bureau, pinyin: list[str] | None = None) -> None:
    """青海省医疗保障局 → 青海省医疗保障局, 青海医疗保障局, 青海省医保局, 青海医保局, 青海省, 青海 …"""
    full = squash(bureau.issuer)
    # 中共江苏省委办公厅 is asked as 江苏省委办公厅: the party prefix is no place and often left out.
    base = re.sub(r"^(中国共产党|中共)", "", re.sub(r"（.*?）$", "", full))
    places = split_places(base)
    org = base[len("".join(places)):]
    bureau.places = places
    org_forms = _org_forms(org)
    # The office alone names the bureau only when it says which office (商务委员会, 财政局,
    # 万里街道), not when it is a kind every bureau shares (医疗保障局, 办公室, 局).
    kinds = set(glossary()["generic_offices"])
    specific = {f for f in org_forms if f not in kinds and len(f) >= 3}
    if places:  # 区政府办公室: the place's level word before the office
        level = places[-1][-1]
        specific |= {level + f for f in specific if not f.startswith(level)}
    bureau.org_forms = specific
    bureau.aliases = {full, base}
    for place in _place_forms(tuple(places)):
        for form in org_forms:
            bureau.aliases.add(place + form)
    # The most specific place alone (北戴河, 莲湖区, 青海) names the bureau too.
    if places:
        last = places[-1]
        bureau.aliases |= {last, place_stem(last)}
    bureau.aliases = {a for a in bureau.aliases if len(a) >= 2}
    bureau.pinyin = set(pinyin) if pinyin is not None else pinyin_words(bureau.issuer)
