"""Every part of a question is accounted for: what the engine could not place is named back.

understand() blanks (＿) each part of the question it placed: bureaus, years, measures and
subjects (Frame.rest). What is left is read here, against the glossary:

- an organisation named (某县教育局, 莲湖区人民法院, XX局) that is no loaded issuer → no_data
  naming it, never another body's figure;
- a breakdown no budget prints (a month, a quarter, 上半年, 按区县, 每个处室, 人均) → no_data
  saying the budget prints annual figures only;
- the name of a budget line (…费, …支出, …资金) that matches no loaded line → no_data naming it;
- text that tries to change the assistant's rules, or that is about nothing in the budgets →
  refused, with what the assistant does and two example questions.

Each finding is a Gap; the engine answers the first one instead of answering without it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from db.glossary import glossary

from .text import normalize_question, squash

BLANK = "＿"
# Characters that end a name run: function words, punctuation, blanks, digits.
_STOP = "的和与及跟同在中里从对向给把被、，,。？?！!：:；;（）() " + BLANK


@dataclass
class Gap:
    kind: str  # "injection" | "off_topic" | "issuer" | "granularity" | "term"
    text: str  # the words of the question it is about
    detail: str = ""  # for granularity: the kind of breakdown (按月, 按季度 …)


@lru_cache(maxsize=1)
def _org_pattern() -> re.Pattern:
    words = sorted(glossary()["organisation_words"]["words"], key=len, reverse=True)
    stop = re.escape(_STOP)
    return re.compile(rf"(?P<name>[^{stop}\d]{{1,12}}?)(?P<office>{'|'.join(map(re.escape, words))})")


@lru_cache(maxsize=1)
def _granularity() -> list[tuple[str, re.Pattern]]:
    kinds = glossary()["granularity"]["kinds"]
    return [(kind, re.compile("|".join(f"(?:{p})" for p in patterns), re.I)) for kind, patterns in kinds.items()]


@lru_cache(maxsize=1)
def _injection() -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in glossary()["off_topic"]["injection"]), re.I)


def injection(question: str) -> Gap | None:
    """Text that tries to change what the assistant does ("忽略之前的规则…")."""
    m = _injection().search(normalize_question(question))
    return Gap("injection", m.group(0)) if m else None


def off_topic(question: str, frame) -> Gap | None:
    """Nothing of the budgets in the question: no bureau, subject, measure, year or budget word."""
    if frame.bureaus or frame.subjects or frame.measure or frame.year or frame.side_code or frame.unknown_bureau:
        return None
    text = normalize_question(question).lower()
    if any(word in text for word in glossary()["off_topic"]["budget_words"]):
        return None
    if re.search(r"\d", text) and re.search(r"[\u4e00-\u9fff]", text) is None:
        return None  # a bare code or number: let the engine say what it found
    return Gap("off_topic", question.strip())


def _once(fn):
    """Read a frame once per question: the engine asks before and after spelling, and in _gap."""
    def wrapper(frame):
        cache = frame.__dict__.setdefault("_coverage", {})
        key = (fn.__name__, frame.rest, frame.question)
        if key not in cache:
            cache[key] = fn(frame)
        return cache[key]
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


@_once
def unknown_organisations(frame) -> list[str]:
    """Names of bodies in the question that are no loaded issuer (the loaded ones are blanked)."""
    if frame.english:
        return _english_organisations(frame)
    if not frame.rest:
        return []
    org = glossary()["organisation_words"]
    generic = sorted(org["generic_before"], key=len, reverse=True)
    # 莲湖区人民法院: '法院' is also a 科目 name (20405) and was placed as a subject; an office word
    # placed that way is read back here as part of the body's name.
    rest = frame.rest
    for s in frame.subjects:
        word = frame.read[s.start:s.end]
        if s.kind != "code" and word.endswith(tuple(org["words"])) and s.start > 0 and rest[s.start - 1] != BLANK:
            rest = rest[:s.start] + word + rest[s.end:]
    found = []
    for m in _org_pattern().finditer(rest):
        name = m.group("name")
        for lead in sorted(org["lead_in"], key=len, reverse=True):
            name = name.removeprefix(lead)
        # 江苏省人民检察院: a loaded place (blanked) right before the office names one body of
        # that place, never a kind of office — even when the office word alone is one.
        after_place = m.start("name") > 0 and rest[m.start("name") - 1] == BLANK \
            and not re.match(r"[\d年]", frame.read[m.start("name") - 1])
        if not name or (_generic_office(name + m.group("office"), generic) and not after_place):
            continue
        if after_place and name in generic:  # 东城区各局: every body of the place named
            continue
        if frame.office_kind and (name + m.group("office")).endswith(frame.office_kind) \
                and (any(name.startswith(g) for g in generic)  # 哪个财政局: the kind of office ranked over
                     or re.match(r"(?:是|为)?(?:哪个|哪家|哪一个|哪一家)", rest[m.end():])):  # …的财政局是哪个
            continue
        # "莲湖区人民法院": the loaded place before it was blanked; name the body in full
        start = m.start("name")
        while start > 0 and rest[start - 1] == BLANK and not re.match(r"[\d年]", frame.read[start - 1]):
            start -= 1
        found.append(frame.read[start:m.start("name")] + name + m.group("office"))
    return found + [p for p in _placeholders(frame.rest) if not any(p in f or f in p for f in found)]


def _placeholders(rest: str) -> list[str]:
    """"某单位", "XX部门", "某县": a body written as a placeholder."""
    org = glossary()["organisation_words"]
    marks = "|".join(map(re.escape, sorted(org["placeholders"], key=len, reverse=True)))
    out = []
    for m in re.finditer(rf"(?:{marks})[^{re.escape(_STOP)}\d]{{0,8}}", rest):
        if not any(m.group(0).startswith(w) for w in org["not_placeholders"]):
            out.append(re.sub(r"(?:是多少|多少|是|有|呢|吗)+$", "", m.group(0)))
    return out


@lru_cache(maxsize=1)
def _office_kinds() -> list[str]:
    kinds = set(glossary()["generic_offices"]) | set(glossary()["organisation_words"]["words"])
    for long, shorts in glossary()["bureau_abbreviations"].items():
        kinds |= {long, *[s for s in shorts if s]}
    return sorted(kinds, key=len, reverse=True)


def _english_organisations(frame) -> list[str]:
    """"the Qinghai court": an English word for a body that no bureau the question names is."""
    text = frame.question.lower()
    issuers = "".join(b.issuer for b in frame.bureaus)
    found = []
    for word, chinese in sorted(glossary()["english_organisations"]["words"].items(), key=lambda kv: -len(kv[0])):
        m = re.search(rf"(?:\b([a-z]+)\s+)?\b{re.escape(word)}s?\b", text)
        if m and chinese not in issuers and not any(word in f for f in found):
            found.append(m.group(0))
    return found


def _english_unplaced(frame) -> list[str]:
    """"education bureau's xyz expenses": English words before 'expenses' that were not translated
    into a budget line and are no loaded place."""
    stop = set(glossary()["english_stopwords"]["words"])
    endings = "|".join(glossary()["english_stopwords"]["endings"])
    places = {p for b in frame.bureaus for p in b.pinyin}
    text = normalize_question(frame.question).lower()
    out = []
    for m in re.finditer(rf"((?:[a-z'’-]+\s+){{1,3}})(?:{endings})\b", text):
        words = [w.strip("'’") for w in m.group(1).split()]
        own = [w for w in words if w not in stop and w not in places and not w.endswith(("'s", "’s"))]
        if own:
            out.append(" ".join(own) + " " + m.group(0).split()[-1])
    # "spaceship maintenance": an English word left right before a translated line changes which line
    for m in re.finditer(r"\b([a-z][a-z'’-]*)\s+(?=[\u4e00-\u9fff])([\u4e00-\u9fff（）()]+)", text):
        word = m.group(1).strip("'’")
        if word not in stop and word not in places and not word.endswith(("'s", "’s")) \
                and unicodedata.normalize("NFKC", m.group(2)) in _line_words():
            out.append(f"{word} {m.group(2)}")
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _line_words() -> tuple[str, ...]:
    """The Chinese names English words translate to that are budget lines (not offices)."""
    offices = set(glossary()["english_organisations"]["words"].values()) | {"医疗保障局", "商务委员会", "财政局",
                                                                             "政府办公室", "街道办事处", "决算"}
    return tuple(unicodedata.normalize("NFKC", v) for v in glossary()["english"].values() if v not in offices)


def _generic_office(full: str, generic: list[str]) -> bool:
    """"哪个医保局", "各街道办事处", "本局": a kind of office, not the name of one."""
    for kind in _office_kinds():
        if full.endswith(kind):
            stem = full[: -len(kind)]
            if not stem or any(stem.endswith(g) for g in generic):
                return True
    return False


def granularity(frame) -> Gap | None:
    """A breakdown the budgets do not print (按月, 按季度, 人均 …)."""
    text = frame.rest if not frame.english else normalize_question(frame.question).lower()
    for kind, pattern in _granularity():
        m = pattern.search(text)
        if m:
            return Gap("granularity", m.group(0), kind)
    return None


@lru_cache(maxsize=1)
def _unprinted() -> list[tuple[str, re.Pattern]]:
    kinds = glossary()["unprinted_parts"]["kinds"]
    return [(kind, re.compile("|".join(f"(?:{p})" for p in patterns), re.I)) for kind, patterns in kinds.items()]


def unprinted_part(frame) -> Gap | None:
    """A part or state of a line no budget prints ("差旅费的中央部分", "追加的差旅费", "实际支出"):
    answering with the line's own amount would answer something else."""
    if frame.english or not frame.subjects:  # only a line asked can be answered with the wrong part of it
        return None
    final = frame.document_filter.get("kind") == "决算" or any(
        d.kind == "决算" for b in frame.bureaus for d in b.documents)
    for kind, pattern in _unprinted():
        if kind == "实际执行数" and final:
            continue
        m = pattern.search(frame.rest)
        if m:
            return Gap("unprinted", m.group(0), kind)
    return None


def _side_names(frame) -> list[tuple[str, str]]:
    """(code, printed name) of a side code, read from the question itself: the name next to it."""
    m = re.search(rf"([\u4e00-\u9fff]+)[（(]?{frame.side_code}", frame.rest)
    return [(frame.side_code, m.group(1))] if m else []


@_once
def unplaced_terms(frame) -> list[str]:
    """Words shaped like the name of a budget line (…费, …支出) that the engine did not place."""
    if frame.english:
        return _english_unplaced(frame)
    if not frame.rest:
        return []
    endings = tuple(glossary()["term_endings"]["words"])
    generic = set(glossary()["generic_subjects"]["words"])
    lead_in = sorted(glossary()["organisation_words"]["lead_in"], key=len, reverse=True)
    rest = frame.rest
    placed = [w for kind in glossary()["fund_tables"]["kinds"] for w in glossary()["table_kinds"][kind]]
    if frame.side_code:  # 工资奖金津补贴（50101）: a code printed beside rows, placed by its own resolver
        placed += [frame.side_code] + [n for c, n in _side_names(frame) if c == frame.side_code]
    for word in placed:  # a fund with its own tables (政府性基金支出) is placed by the fund resolver
        rest = rest.replace(word, BLANK * len(word))
    runs = re.split(rf"[{re.escape(_STOP)}\d]+", rest)
    out = []
    for run in runs:
        run = re.sub(r"^(?:是|为|有|请问|问|查|看|那|那么|其中|还有|再看|一共|总共|合计|共|全年|本年|今年|当年|涉及|用了|花了"
                     r"|多少|几)+", "", run)
        run = re.sub(r"(?:是多少|多少钱?|是几|几|为|呢|吗|是|有|合计|总计|之和|加起来|一共|总共|共计|相差|差额|分别|"
                     r"各|占比|比例|比重|最多|最少|最高|最低|排名|排序)+$", "", run)
        for lead in lead_in:
            run = run.removeprefix(lead)
        own = run
        for word in sorted(generic, key=len, reverse=True):  # 项目资金: generic words only
            own = own.replace(word, "")
        if len(run) >= 3 and run.endswith(endings) and len(own) >= 2 and squash(run) == run:
            out.append(run)
    return out + ([] if frame.side_code else _unplaced_modifiers(frame, rest) + _unplaced_after(frame, rest)) \
        + _parts_of_a_table(frame, rest, generic)


def _unplaced_after(frame, rest: str) -> list[str]:
    """"绩效工资的发放标准", "信息化建设中产业政策扶持资金管理系统的支出": words joined to a placed line
    by 的 / 中的 / 中 that nothing placed ask for something of the line the budgets do not print;
    answering with the line's own amount would answer something else, so they are named back.
    Words that only say how the line is asked (的金额, 的比例 …, glossary after_line_ok) pass."""
    ok = sorted(glossary()["after_line_ok"]["words"], key=len, reverse=True)
    out = []
    for m in sorted(frame.subjects, key=lambda m: m.start):
        if frame.read[m.start:m.end] != m.term:
            continue
        after = re.match(r"(?:中的|里的|的|中)([\u4e00-\u9fff]+)", rest[m.end:])
        if not after:
            continue
        words = re.sub(r"(?:是多少|多少钱?|是几|几|为|呢|吗|是|有|分别|情况)+$", "", after.group(1))
        stripped = True
        while stripped and words:  # 的预算数是多少: every ok word in turn
            stripped = False
            for word in ok:
                if words.startswith(word) or words.endswith(word):
                    words = words[len(word):] if words.startswith(word) else words[:-len(word)]
                    stripped = True
                    break
        if len(words) >= 2:
            out.append(frame.read[m.start:m.end] + rest[m.end:m.end + after.end()])
    return list(dict.fromkeys(out))


def _parts_of_a_table(frame, rest: str, generic: set[str]) -> list[str]:
    """"政府采购货物": words right after a table's name ask for a part of the table, not its total
    (which is what a table named alone is answered with); they are named back, never dropped."""
    out = []
    for m in frame.subjects:
        if m.kind != "table" or frame.read[m.start:m.end] != m.term:
            continue
        after = re.match(rf"[^{re.escape(_STOP)}\d]+", rest[m.end:])
        if not after:
            continue
        words = re.sub(r"(?:是多少|多少钱?|是几|几|为|呢|吗|是|有|合计|总计|总额|总金额|金额|一共|总共|共计|分别|情况)+$", "",
                       after.group(0))
        own = words
        for word in sorted(generic | {"表", "预算表", "明细", "明细表"}, key=len, reverse=True):
            own = own.replace(word, "")
        if len(own) >= 2:
            out.append(m.term + words)
    return out


def _unplaced_modifiers(frame, rest: str) -> list[str]:
    """"飞机维修费" read as 维修费: the words right before a placed line that are not a known
    qualifier (全年, 财政拨款, 各单位 …, glossary term_endings.modifier_ok) change which line is
    asked; they are named back with it, never dropped."""
    # 哪个医保局住房公积金: a kind of office before the line says whose, not which line
    ok = sorted(set(glossary()["term_endings"]["modifier_ok"]) | set(_office_kinds()), key=len, reverse=True)
    out = []
    for m in sorted(frame.subjects, key=lambda m: m.start):
        if m.kind == "code" or m.start <= 0 or frame.read[m.start:m.end] != m.term:
            continue
        before = re.search(rf"[^{re.escape(_STOP)}\d]+$", rest[:m.start])
        if not before:
            continue
        words = before.group(0)
        stripped = True
        while stripped and words:
            stripped = False
            for word in ok:
                if words.startswith(word):
                    words, stripped = words[len(word):], True
                    break
        if len(words) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in words):
            out.append(words + m.term)
    return list(dict.fromkeys(out))


def leftover_words(frame) -> list[str]:
    """The words of the question nothing placed ("天气" in "青海医保局2021年的天气"), for saying
    what was not understood."""
    if frame.english or not frame.rest:
        return []
    out = []
    for run in re.split(rf"[{re.escape(_STOP)}\d]+", frame.rest):
        run = re.sub(r"^(?:是|为|有|请问|问|查|看|那|那么|其中|还有|再看|一共|总共|共|全年|本年|今年|当年|"
                     r"这个|这项|该|此|上述|它的|它|项目|科目|指标|单位|部门|局|花在|用在|用于|在)+", "", run)
        run = re.sub(r"(?:是多少|多少钱?|是几|几|为|呢|吗|是|有|怎么样|如何|情况|预算|决算|数|金额|上|方面)+$", "", run)
        if len(run) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in run):
            out.append(run)
    return out
