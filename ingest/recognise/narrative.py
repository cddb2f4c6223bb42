"""Figures stated in the explanatory text of a budget disclosure, as TextFigure records.

The text states the figures of the tables and more: changes against last year, growth rates,
shares, counts of vehicles and staff. Each paragraph is cut into sentences (at 。；) and each
sentence is read left to right for a number with a unit (万元, 元, %, 辆, 个, 人 …). What is
printed just before the number says what kind of figure it is (比上年增加 → change, 下降 →
negative growth rate, 占 → share) and, for amounts and counts, what it is about. A change, a
growth rate or a share names no subject of its own: it belongs to the amount before it in the
same sentence ("行政运行（2101501）215.39万元，较上年增加71.74万元，增长49.94%").

A number without a unit is never a figure, so years, dates, document numbers (〔2019〕4号),
list markers and codes in parentheses are skipped without special rules. Values are exact
Decimals of the printed digits; a unit is stored as printed (an audit flags 机关运行经费 8.34元).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from db.glossary import glossary

from ingest.model import Paragraph
from ingest.records import TextFigure
from ingest.textutil import chinese_number, is_code, parse_amount

MONEY_UNITS = ("万元", "亿元", "千元", "元")

# A printed number: thousands separators (also the full-width "24，554"), decimals, and the
# stray trailing dot of "16601.万元". Not the tail of a longer number, nor 第3个 / 每1万元.
_DIGIT = "[0-9０-９]"
_NUMBER = (rf"(?P<num>{_DIGIT}{{1,3}}(?:[,，]{_DIGIT}{{3}})+(?:[.．]{_DIGIT}+)?|{_DIGIT}+(?:[.．]{_DIGIT}+)?)"
           rf"(?:[.．](?!{_DIGIT}))?")
_CN_NUMBER = "(?P<cn>[零〇两一二三四五六七八九十百千]+)"
# Longer units first; 人员 / 项目 / 个人 are words, not a count.
# "项目总预算1170.00万，其中…": 万 closing a clause is 万元 (a project write-up's shorthand).
_UNIT = (r"(?P<unit>万元|亿元|千元|元|万(?=[，。、；,;）)]|$)|[%％]|个百分点|万人次|人次|万人|台[（(]套[)）]|辆|台|套"
         r"|个(?![人体别])|人(?![员民口均])|名|项(?!目)|家|户|所)")
FIGURE = re.compile(rf"(?<![0-9０-９.．,，第每零〇两一二三四五六七八九十百千])(?:{_NUMBER}|{_CN_NUMBER})\s*{_UNIT}"
                    r"(?!\s*(?:及以上|及以下|以上|以下|以内))")  # 单价20万元以上的设备 is a threshold

# 与上年持平 / 较上年无增减: a change of exactly zero. 基本持平 is not exact, so it is no figure.
_BASE = r"(?P<base>上年度?|\d{4}\s*年度?)(?:同期)?(?:预算数?|决算数?)?"
SAME_AS_BEFORE = re.compile(rf"(?:与|和|同|比|较)\s*{_BASE}\s*(?:相比)?\s*"
                            r"(?:持平|一致|相同|无增减|无变化|没有变化|未发生变化)|同比持平")
COMPARED_WITH = re.compile(rf"(?:比|较|与|同)\s*{_BASE}|同比")
# The verb right before a number that makes it a change (万元) or a growth rate (%).
CHANGE_VERB = re.compile(r"(?P<verb>增加|增长|上升|提高|增幅|减少|下降|降低|压减|缩减|降幅)(?:了|为|约|达)?\s*$")
DECREASE = ("减", "下", "降", "压", "缩")
SHARE = re.compile(r"占(?:比)?[^，,、：:]*$")

SENTENCE_END = re.compile(r"[。；;]")
CLAUSE_BREAK = re.compile(r"[，,：:、]")
LIST_MARKER = re.compile(r"^\s*(?:[（(]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）]"
                         r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[.．、](?![0-9０-９]))\s*")
# 社会保障和就业支出（类）退役安置（款）军队转业干部安置（项）: the figure is the 项's.
LEVEL_TAG = re.compile(r"[（(]\s*[类款项]\s*[)）]")
TRAILING_CODE = re.compile(r"[（(]\s*(\d{3,9})\s*[)）]$")
YEAR = re.compile(r"(?:\d{4}|[〇零○一二三四五六七八九]{4})年度?(?:\d{1,2}月(?:底|末)?)?|本年度|当年")

# Words around the core noun phrase of a subject. Each is dropped only when what remains still
# names something (see _is_bare): "一般公共预算基本支出" → "基本支出", but "一般公共预算拨款" stays.
LEADING_WORDS = re.compile(r"^(?:其中|主要包括|主要为|主要是|主要有|包括|均为|以及|和|及|涉及|截至上年[底末]"
                           r"|截止上年[底末]|截至|截止|安排|.*?共有|.*?现有)")
QUALIFIERS = ("一般公共预算", "财政拨款", "部门预算")
# After a qualifier these words say which money it is (财政拨款收入 ≠ 收入): the qualifier stays.
QUALIFIED_MONEY = ("收入", "支出", "收支", "拨款", "当年拨款")
TRAILING_WORDS = re.compile(r"(?:财政拨款预算|预算数为|预算数|预算为|预算安排|共计安排|预算支出|安排|共计|合计|总计"
                            r"|(?<=支出)预算|为|是|共|约|达到|达)$")  # 财政拨款支出预算 is 财政拨款支出
# An amount named by its column alone (年初, 支出决算) and the column word after a row's name.
COLUMN_ONLY = re.compile(r"(?:支出)?(?:(?P<budget>年初|全年|调整)(?:预算数?)?|(?P<final>决算数?))")
COLUMN_WORD = re.compile(r"(?:(?:年初|全年|调整)(?:预算数?)?|决算数?)$")
# A row named with a column word: "公务接待费支出决算", "“三公”经费财政拨款支出年初".
ROW_AND_COLUMN = re.compile(r"(?P<row>.+?)(?P<verb>(?:财政拨款)?支出)?(?:(?P<budget>年初|全年|调整)(?:预算数?)?"
                            r"|(?P<final>决算数?))")
BARE_WORDS = {"支出", "收入", "拨款", "拨款收入", "拨款支出", "收支", "预算", "经费", "资金", "金额", "总额"}


def _issuer_pattern() -> re.Pattern[str]:
    """A body naming itself at the start of a subject: 青海省医疗保障局, 本部门, 我部门 …"""
    places = "|".join(map(re.escape, glossary()["place_suffixes"]))
    suffixes = "|".join(map(re.escape, sorted(glossary()["bureau_suffixes"], key=len, reverse=True)))
    named = (rf"[\u4e00-\u9fff]{{0,12}}?(?:{places})[\u4e00-\u9fff]{{2,16}}?(?:{suffixes})"
             r"(?:[（(](?:本级|汇总|机关)[)）])?")
    return re.compile(rf"^(?:{named}|本部门|我部门|本单位|我单位|本局|我局|部门本级)")


ISSUER = _issuer_pattern()


@dataclass
class _Topic:
    """The amount a following change, growth rate or share belongs to."""

    subject: str | None
    code: str | None
    unit: str | None


def extract_text_figures(paragraphs: list[Paragraph]) -> list[TextFigure]:
    """Every figure stated in the paragraphs, in reading order, with its sentence and source."""
    figures: list[TextFigure] = []
    for para in paragraphs:
        base: str | None = None  # a comparison stated once serves the whole paragraph (三公 items)
        row: str | None = None  # the 科目 the paragraph is about, for "年初预算为…，支出决算为…"
        cursor = 0
        for sentence in _sentences(para.text):
            start = para.text.find(sentence, cursor)
            cursor = start + len(sentence) if start >= 0 else cursor
            found, base = _sentence_figures(sentence, base)
            if not found and LEVEL_TAG.search(sentence):
                row = _subject(sentence)[0]
            placed = para.box_of(start, start + len(sentence)) if start >= 0 else None
            for fig in found:
                fig.section, fig.page, fig.line = para.section, para.page, para.line
                if placed:  # the page the sentence is printed on, and its lines there
                    fig.page, fig.bbox = placed
                row = _name_the_row(fig, row)
            figures.extend(found)
    return figures


def _name_the_row(fig: TextFigure, row: str | None) -> str | None:
    """A 决算 text names a 科目 once and then only its columns ("1、…行政运行（项）。…年初预算为
    1560.05万元，支出决算为1511.89万元"): such an amount is about that row, in that column. Returns
    the row in force after `fig`."""
    if fig.kind != "amount" or not fig.subject:
        return row
    column = COLUMN_ONLY.fullmatch(fig.subject)
    if column:
        if row:
            fig.subject = row + _column_suffix(column)
        return row
    named = ROW_AND_COLUMN.fullmatch(fig.subject)
    if named:
        fig.subject = _row_name(named) + _column_suffix(named)
    return COLUMN_WORD.sub("", fig.subject) or row


def _column_suffix(column: re.Match[str]) -> str:
    """The one spelling of a column after a row's name: 决算, 年初预算, 全年预算, 调整预算."""
    return "决算" if column.group("final") else column.group("budget") + "预算"


def _row_name(named: re.Match[str]) -> str:
    """The row before its column word. An expense (…费) is spent: "公务接待费支出决算" is the row
    公务接待费; a function class keeps 支出 in its name (一般公共服务支出决算)."""
    row, verb = named.group("row"), named.group("verb") or ""
    return row if row.endswith("费") else row + verb


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def _sentence_figures(sentence: str, base: str | None) -> tuple[list[TextFigure], str | None]:
    """Figures of one sentence, and the comparison base in force at its end."""
    marker = LIST_MARKER.match(sentence)
    events = [m for m in FIGURE.finditer(sentence, marker.end() if marker else 0) if _is_figure(m, sentence)]
    events += [m for m in SAME_AS_BEFORE.finditer(sentence)
               if not any(m.start() < f.end() and f.start() < m.end() for f in events)]
    events.sort(key=lambda m: m.start())

    figures: list[TextFigure] = []
    topic = _Topic(None, None, None)
    prev_end = marker.end() if marker else 0
    for m in events:
        gap = sentence[prev_end:m.start()]
        for compared in COMPARED_WITH.finditer(gap):
            base = _base_name(compared)
        lead = CLAUSE_BREAK.split(gap)[-1]
        if m.re is SAME_AS_BEFORE:
            base = _base_name(m)
            own = _own_subject(lead, topic)
            figures.append(_figure(sentence, own, "change", Decimal(0), own.unit, base))
        else:
            topic, fig = _read_figure(sentence, m, lead, topic, base)
            figures.append(fig)
        prev_end = m.end()
    return figures, base


def _is_figure(m: re.Match[str], sentence: str) -> bool:
    """Chinese numerals count only when they close the clause (共有车辆两辆，…): inside prose
    "一个" / "两项" are articles ("建立一个机制"), not figures."""
    if not m.group("cn"):
        return parse_amount(m.group("num")) is not None
    if _unit(m) in MONEY_UNITS + ("%",) or chinese_number(m.group("cn")) is None:
        return False
    after = sentence[m.end():m.end() + 1]
    return after == "" or bool(CLAUSE_BREAK.match(after)) or after in "（(）)"


def _unit(m: re.Match[str]) -> str:
    unit = m.group("unit")
    return "%" if unit in ("%", "％") else "万元" if unit == "万" else unit


def _value(m: re.Match[str]) -> Decimal:
    return parse_amount(m.group("num")) if m.group("num") else Decimal(chinese_number(m.group("cn")))


def _read_figure(sentence: str, m: re.Match[str], lead: str, topic: _Topic,
                 base: str | None) -> tuple[_Topic, TextFigure]:
    """Kind, value and subject of one number with its unit; returns the topic that follows it."""
    unit, value = _unit(m), _value(m)
    verb = CHANGE_VERB.search(lead)
    if verb and (unit in MONEY_UNITS or unit in ("%", "个百分点")):
        own = _own_subject(lead[:verb.start()], topic)
        kind = "percent" if unit == "%" else "change"  # 个百分点 is a difference, not a rate
        return own, _figure(sentence, own, kind, _signed(value, verb), unit, base)
    if unit in MONEY_UNITS:
        subject, code = _subject(lead)
        new = _Topic(subject, code, unit)
        return new, _figure(sentence, new, "amount", value, unit, None)
    if unit in ("%", "个百分点"):
        share = SHARE.search(lead)
        if share and unit == "%":
            own = _own_subject(lead[:share.start()], topic)
            return own, _figure(sentence, own, "share", value, unit, None)
        own = _own_subject(lead, topic)  # a rate stated on its own: 网采金额达到90%
        return own, _figure(sentence, own, "percent", value, unit, None)
    return topic, _figure(sentence, _counted(sentence, m, lead), "count", value, unit, None)


def _counted(sentence: str, m: re.Match[str], lead: str) -> _Topic:
    """What a count counts: the noun before it ("共有车辆2辆，") or after it ("9项便民服务措施")."""
    after = sentence[m.end():]
    if re.match(r"[\u4e00-\u9fff]", after):
        subject, code = _subject(CLAUSE_BREAK.split(after)[0])
    else:
        subject, code = _subject(lead)
    return _Topic(subject, code, _unit(m))


def _figure(sentence: str, topic: _Topic, kind: str, value: Decimal, unit: str | None,
            compared_to: str | None) -> TextFigure:
    return TextFigure(sentence=sentence, subject=topic.subject, kind=kind, value=value, unit=unit,
                      code=topic.code, compared_to=compared_to)


def _signed(value: Decimal, verb: re.Match[str]) -> Decimal:
    return -value if verb.group("verb").startswith(DECREASE) and value != 0 else value


def _base_name(m: re.Match[str]) -> str:
    """比上年预算 / 较上年度 / 同比 → 上年; 比2020年 → 2020年."""
    base = (m.groupdict().get("base") or "上年").replace(" ", "")
    return "上年" if base.startswith("上年") else base.removesuffix("度")


def _own_subject(lead: str, topic: _Topic) -> _Topic:
    """The subject printed before a change or share ("其中人员经费比上年增加…"), else the topic's."""
    lead = COMPARED_WITH.split(lead)[0]
    subject, code = _subject(lead) if lead.strip() else (None, None)
    return _Topic(subject, code, topic.unit) if subject else topic


def _subject(lead: str) -> tuple[str | None, str | None]:
    """The core noun phrase a figure is about, and the 科目 code printed with it."""
    text = re.sub(r"\s+", "", LIST_MARKER.sub("", lead))
    if LEVEL_TAG.search(text):
        text = LEVEL_TAG.split(text)[-2]
    code = None
    m = TRAILING_CODE.search(text)
    if m and is_code(m.group(1)):
        code, text = m.group(1), text[:m.start()]
    text = _strip_fillers(text)
    if len(text) < 2 or LEADING_WORDS.fullmatch(text):
        return None, code  # "将9项…", "安排5万元": nothing printed names the figure
    return text, code


def _strip_fillers(text: str) -> str:
    """Drop issuer names, years and filler words around the noun phrase, never its core."""
    text = _without(text, YEAR, everywhere=True)
    whose, _, head = text.rpartition("的")
    # "机关和1家事业单位财政拨款的机关运行经费", "的机关运行经费": the words before 的 say whose money
    # it is. Only then: in "军队移交政府的离退休人员安置" the 的 is part of the 科目's name.
    if (not whose or whose.endswith(QUALIFIERS)) and len(head) >= 4 and not _is_bare(head):
        text = head
    while True:
        before = text
        for pattern in (ISSUER, LEADING_WORDS, TRAILING_WORDS):
            text = _without(text, pattern)
        for qualifier in QUALIFIERS:
            rest = text[len(qualifier):]
            if text.startswith(qualifier) and not _is_bare(rest) and not rest.startswith(QUALIFIED_MONEY):
                text = text[len(qualifier):]
        if text == before:
            return text


def _without(text: str, pattern: re.Pattern[str], everywhere: bool = False) -> str:
    rest = pattern.sub("", text) if everywhere else pattern.sub("", text, count=1)
    return text if _is_bare(rest) and rest != text else rest


def _is_bare(text: str) -> bool:
    """Too little to name anything: "支出", "拨款", or a stump of a qualifier ("一般公共")."""
    return len(text) < 2 or text in BARE_WORDS or any(q.startswith(text) for q in QUALIFIERS)
