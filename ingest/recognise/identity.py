"""Who issued a document, for which year, what kind of budget and what scope — from every cue.

A publisher prints its name in one or more places: a cover page (the name on a line of its
own), a title line ("X 2019年部门预算"), a line above each table ("部门：X  单位：万元",
"编制单位：X"), the text's own words ("X是……的部门", "X2019年度部门预算情况说明"), and at worst
the file's name. Each place is a *cue*; the recogniser collects them all, keeps only those
that read as an organisation name (never a unit, a column header or a phrase), merges cues
that name the same body in longer and shorter forms, and records which cue decided and what
stayed uncertain. A document with no cue loads as "issuer unknown": a wrong guess is worse
than none. The user can state any field (`budgetqa ingest --issuer … --year … --kind …`).

Every reader's output goes through this one module, so a fix for one publisher helps every
format.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from db.glossary import glossary

from ingest.model import ParsedDocument
from ingest.textutil import chinese_number, nfkc

UNKNOWN_ISSUER = "发布单位不明"

# Where a cue was read, strongest first; the weight is how much one such cue counts.
CUE_WEIGHTS = {"user": 100, "cover": 6, "title": 6, "table_header": 4, "table_title": 2, "text": 2, "file_name": 1}
CUE_WORDS = {"user": "用户指定", "cover": "封面", "title": "标题行", "table_header": "表头的“部门/单位”行",
             "table_title": "表名", "text": "说明文字", "file_name": "文件名", "default": "默认"}

_LABEL = re.compile(r"(预算主管部门|主管部门|预算单位|部门[(（/]?单位[)）]?名称|部门/单位|部门名称|单位名称|"
                    r"编制部门|编制单位|填报单位|部门|单位)\s*[:：]?\s*")
_LABELLED = re.compile(_LABEL.pattern.replace(r"\s*[:：]?\s*", r"\s*[:：]\s*") +
                       r"(\S+?)(?=\s|(?:金额)?单位[:：]|$)")
_UNIT_CODE = re.compile(r"^\d{3,}\s*")  # 450001秦皇岛市北戴河区医疗保障局（本级）
_QUALIFIER = r"(?:[（(](?:本级|汇总|机关|本部|部门汇总|单位汇总)[)）])?"
# Words no organisation name contains: units, table words, verbs of a sentence.
_NOT_IN_NAME = ("单位：", "单位:", "万元", "合计", "预算", "决算", "公开", "说明", "收入", "支出", "经费",
                "情况", "目录", "及其", "的", "年度", "科目", "项目", "金额", "注：", "其中", "主要", "关于")
_SENTENCE_START = ("对", "向", "由", "在", "按", "经", "根据", "为", "是", "与", "和", "将", "从", "本", "我",
                   "该", "各", "已", "加强", "负责", "围绕", "按照", "贯彻", "落实")
_YEAR_WORD = r"((?:19|20)\d{2})\s*年\s*度?"
_KIND_WORD = r"(?:(部门|单位)(?:综合)?)?\s*(预算|决算)"


@dataclass
class Cue:
    field: str   # issuer | year | kind | scope
    value: object
    source: str  # a key of CUE_WEIGHTS
    text: str    # the words it was read from


@dataclass
class Identity:
    """The decided fields, the cue that decided each, and what a person should check."""

    issuer: str
    year: int | None
    kind: str
    scope: str
    decided_by: dict[str, str] = field(default_factory=dict)  # field → cue source
    uncertain: list[str] = field(default_factory=list)          # plain-language notes

    @property
    def issuer_known(self) -> bool:
        return self.issuer != UNKNOWN_ISSUER

    def as_json(self) -> dict:
        return {"decided_by": self.decided_by, "uncertain": self.uncertain}


# --- organisation names --------------------------------------------------------------------

def _org_suffixes() -> tuple[str, ...]:
    return tuple(sorted(glossary()["org_suffixes"], key=len, reverse=True))


def org_name(text: str) -> str | None:
    """`text` as an organisation name, or None when it reads as something else.

    A name is a run of Chinese characters ending in an organisation word (局, 委员会, 办公厅,
    大学, 法院, 街道办事处 …), optionally with （本级）/（汇总）; a leading label (部门：) or unit
    code (450001) is dropped. A unit ('单位：万元'), a column header or a phrase ('对省人民代表大会及
    其常务委员会') is not a name."""
    t = nfkc(text or "").replace(" ", "").replace("\u3000", "").strip("：:，,。;；“”\"")
    t = t.replace("(", "（").replace(")", "）")
    t = _UNIT_CODE.sub("", t)
    m = _LABEL.match(t)
    if m and len(t) > m.end():
        t = t[m.end():]
    if not 3 <= len(t) <= 40 or re.search(r"[\dA-Za-z、，。；：:]", t):
        return None
    if any(w in t for w in _NOT_IN_NAME) or t.startswith(_SENTENCE_START):
        return None
    base = re.sub(r"[（(][^（）()]*[)）]$", "", t)
    if not re.fullmatch(r"[\u4e00-\u9fff（）]+", t) or not base.endswith(_org_suffixes()):
        return None
    if len(base) < 3:
        return None
    return t


def _prefix_org(line: str) -> str | None:
    """'X 2019年部门预算…' / 'X部门预算' / 'X2021年度单位决算公开' → X, when X is a name."""
    t = nfkc(line).replace(" ", "")
    m = re.match(r"^(.{3,40}?)(?:" + _YEAR_WORD + r")?" + _KIND_WORD, t)
    if m:
        return org_name(m.group(1))
    m = re.match(r"^" + _YEAR_WORD + r"(.{3,40}?)" + _KIND_WORD, t)  # 2021年西南大学部门预算
    if m:
        return org_name(m.group(2))
    return None


# --- cues ----------------------------------------------------------------------------------

def collect_cues(doc: ParsedDocument) -> list[Cue]:
    """Every cue the document offers, in the order a reader meets them."""
    cues: list[Cue] = []
    heading = [ln for ln in doc.heading_lines if ln and ln.strip()]
    for line in heading[:10]:
        t = nfkc(line).replace(" ", "")
        name = org_name(t) if not _LABELLED.search(t) else None
        source = "cover" if doc.has_cover else "title"
        if name:
            cues.append(Cue("issuer", name, source, line))
        elif (prefixed := _prefix_org(t)):
            cues.append(Cue("issuer", prefixed, "title", line))
        cues += _year_kind_scope_cues(t, source)
    table_context = [line for table in doc.tables for line in table.context_lines]
    for line in list(doc.context_lines) + table_context + heading[:10]:
        for m in _LABELLED.finditer(nfkc(line)):
            name = org_name(m.group(2))
            if name:
                cues.append(Cue("issuer", name, "table_header", line))
    for table in doc.tables[:12]:
        # A table title says its kind by the word before 表: 一般公共预算财政拨款支出决算表 is a 决算.
        title = nfkc(table.title).replace(" ", "")
        if (m := re.search(r"(预算|决算)(?:总|明细|情况)?表", title)):
            cues.append(Cue("kind", m.group(1), "table_title", table.title))
        if (m := re.search(_YEAR_WORD + r"[\u4e00-\u9fff（）()“”\"]{0,16}?(?:预算|决算)", title)):
            cues.append(Cue("year", int(m.group(1)), "table_title", table.title))
        for row in table.rows[:3]:  # a 部门名称 row inside the table's first rows
            joined = " ".join(c or "" for c in row)
            if _LABEL.search(joined):
                for m in _LABELLED.finditer(nfkc(joined)):
                    if (name := org_name(m.group(2))):
                        cues.append(Cue("issuer", name, "table_header", joined))
                cells = [c for c in row if c]
                for label, value in zip(cells, cells[1:]):
                    if _LABEL.fullmatch(nfkc(label).replace(" ", "")) and (name := org_name(value)):
                        cues.append(Cue("issuer", name, "table_header", joined))
    for para in doc.paragraphs[:60]:
        cues += _text_cues(para.text)
    cues += _file_name_cues(Path(doc.source_path).stem)
    return cues


def _year_kind_scope_cues(text: str, source: str) -> list[Cue]:
    cues = []
    m = re.search(_YEAR_WORD + r"[\u4e00-\u9fff]{0,6}?" + _KIND_WORD, text)
    year = int(m.group(1)) if m else None
    if year is None:
        cn = re.search(r"([〇零○一二三四五六七八九]{4})\s*年\s*度?[\u4e00-\u9fff]{0,6}?" + _KIND_WORD, text)
        if cn:
            year = chinese_number(cn.group(1))
        elif re.fullmatch(r"[(（]?" + _YEAR_WORD + r"[)）]?", text) or re.fullmatch(r"预算年度[:：]?(\d{4})", text):
            year = int(re.search(r"\d{4}", text).group(0))
    if year and 1990 <= year <= 2100:
        cues.append(Cue("year", year, source, text))
    kind = re.search(_KIND_WORD, text)
    if kind:
        cues.append(Cue("kind", kind.group(2), source, text))
        if kind.group(1):
            cues.append(Cue("scope", kind.group(1), source, text))
    return cues


def _text_cues(text: str) -> list[Cue]:
    t = nfkc(text).replace(" ", "")
    cues = []
    # 'X2019年部门预算情况说明' / 'X2019年度部门预算公开' stated in a sentence or heading
    for m in re.finditer(r"([\u4e00-\u9fff（）()]{3,40}?)" + _YEAR_WORD + _KIND_WORD + r"(?:情况说明|公开|说明)", t):
        # the name runs back to the start of the clause
        name = org_name(re.split(r"[，。；：、]", t[:m.end(1)])[-1][-40:])
        if name:
            cues.append(Cue("issuer", name, "text", m.group(0)))
        cues.append(Cue("year", int(m.group(2)), "text", m.group(0)))
        cues.append(Cue("kind", m.group(4), "text", m.group(0)))
        if m.group(3):
            cues.append(Cue("scope", m.group(3), "text", m.group(0)))
    # 'X是……的部门/单位/机构' at the start of a sentence
    for m in re.finditer(r"(?:^|[。；])([\u4e00-\u9fff（）()]{3,40}?)(?:是|为|系)[^。]{2,80}?的(?:部门|单位|机构|机关|高校|学校)", t):
        if (name := org_name(m.group(1))):
            cues.append(Cue("issuer", name, "text", m.group(0)[:60]))
    return cues


def _file_name_cues(stem: str) -> list[Cue]:
    t = nfkc(stem)
    cues = []
    for part in re.split(r"[\s_\-—.·]+", t):
        if (name := org_name(part) or _prefix_org(part)):
            cues.append(Cue("issuer", name, "file_name", stem))
    m = re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", t)
    if m:
        cues.append(Cue("year", int(m.group(1)), "file_name", stem))
    if "决算" in t or re.search(r"final[-_ ]?accounts?", t, re.I):
        cues.append(Cue("kind", "决算", "file_name", stem))
    return cues


# --- deciding ------------------------------------------------------------------------------

def same_body(a: str, b: str) -> bool:
    """Two spellings of one body: one inside the other once party/qualifier words are dropped
    (江苏省委办公厅 / 中共江苏省委办公厅; 资源局 cut from 上海市普陀区规划和自然资源局)."""
    def core(s: str) -> str:
        return re.sub(r"^(中国共产党|中共)", "", re.sub(r"[（(][^（）()]*[)）]$", "", s))
    ca, cb = core(a), core(b)
    return ca == cb or (len(ca) >= 3 and len(cb) >= 3 and (ca in cb or cb in ca))


def _decide_issuer(cues: list[Cue]) -> tuple[str | None, str | None, list[str]]:
    groups: list[dict] = []  # {names: Counter, weight, sources}
    for cue in (c for c in cues if c.field == "issuer"):
        weight = CUE_WEIGHTS[cue.source]
        for g in groups:
            if any(same_body(cue.value, n) for n in g["names"]):
                break
        else:
            g = {"names": Counter(), "weight": 0, "sources": Counter()}
            groups.append(g)
        g["names"][cue.value] += weight
        g["weight"] += weight
        g["sources"][cue.source] += weight
    if not groups:
        return None, None, []
    groups.sort(key=lambda g: -g["weight"])
    best = groups[0]
    # The fullest spelling among the strongest cues names the body (中共江苏省委办公厅, not 资源局).
    top_source = max(best["sources"], key=lambda s: CUE_WEIGHTS[s])
    strong = [n for n in best["names"] if any(c.value == n and c.source == top_source for c in cues)]
    name = max(strong or best["names"], key=lambda n: (len(re.sub(r"^(中国共产党|中共)", "", n)), best["names"][n]))
    notes = []
    for other in groups[1:]:
        if CUE_WEIGHTS[max(other["sources"], key=lambda s: CUE_WEIGHTS[s])] >= CUE_WEIGHTS["table_header"]:
            notes.append(f"发布单位的线索不一致：也出现了“{max(other['names'], key=other['names'].get)}”"
                         f"（{CUE_WORDS[max(other['sources'], key=lambda s: CUE_WEIGHTS[s])]}）")
    if top_source in ("text", "file_name"):
        notes.append(f"发布单位只由{CUE_WORDS[top_source]}判断，请核对")
    return name, top_source, notes


def _decide(cues: list[Cue], name: str) -> tuple[object, str | None, list[str]]:
    votes: Counter = Counter()
    best_source: dict[object, str] = {}
    for cue in (c for c in cues if c.field == name):
        votes[cue.value] += CUE_WEIGHTS[cue.source]
        if cue.value not in best_source or CUE_WEIGHTS[cue.source] > CUE_WEIGHTS[best_source[cue.value]]:
            best_source[cue.value] = cue.source
    if not votes:
        return None, None, []
    value, _ = votes.most_common(1)[0]
    notes = []
    if best_source[value] == "file_name":
        notes.append(f"{ {'year': '年度', 'kind': '类型', 'scope': '范围'}[name] }只由文件名判断（{value}），请核对")
    strong_others = [v for v in votes if v != value and CUE_WEIGHTS[best_source[v]] >= CUE_WEIGHTS["title"]]
    if strong_others:
        notes.append(f"{ {'year': '年度', 'kind': '类型', 'scope': '范围'}[name] }的线索不一致："
                     + "、".join(str(v) for v in [value] + strong_others))
    return value, best_source[value], notes


def recognise_identity(doc: ParsedDocument, overrides: dict | None = None) -> Identity:
    """Issuer, year, kind and scope of `doc`, each with the cue that decided it."""
    overrides = {k: v for k, v in (overrides or {}).items() if v not in (None, "")}
    cues = collect_cues(doc)
    for key, value in overrides.items():
        cues.append(Cue(key, value, "user", "命令行/上传时指定"))
    uncertain: list[str] = []
    decided: dict[str, str] = {}
    if "issuer" in overrides:
        issuer, issuer_source = overrides["issuer"], "user"
    else:
        issuer, issuer_source, notes = _decide_issuer(cues)
        uncertain += notes
    if issuer is None:
        issuer, issuer_source = UNKNOWN_ISSUER, None
        uncertain.append("文件里没有找到发布单位：请用 --issuer 指定，或在应用的更正表单中填写")
    decided["issuer"] = issuer_source or "none"
    values: dict[str, object] = {}
    for name in ("year", "kind", "scope"):
        value, source, notes = (overrides[name], "user", []) if name in overrides else _decide(cues, name)
        values[name] = value
        decided[name] = source or "default"
        uncertain += notes
    year = int(values["year"]) if values["year"] is not None else None
    if year is None:
        uncertain.append("文件没有写明预算年度：可用 --year 指定，或在应用的更正表单中填写")
    kind = str(values["kind"] or "预算")
    if values["kind"] is None:
        uncertain.append("文件没有写明是预算还是决算，按预算处理：可用 --kind 指定，或在应用的更正表单中填写")
    scope = str(values["scope"] or "部门")
    return Identity(str(issuer), year, kind, scope, decided, uncertain)


def document_title(identity: Identity, part: str | None = None, only_targets: bool = False) -> str:
    year_part = f"{identity.year}年" if identity.year else ""
    suffix = f"{identity.scope}{identity.kind}" + ("绩效目标" if only_targets else "")
    part_word = {"text": "（情况说明）", "tables": "（报表）"}.get(part or "", "")
    return f"{identity.issuer}{year_part}{suffix}{part_word}"
