"""Question → Frame: what is asked, about which bureau, year, subject and measure.

The grammar is small and explicit: bureaus and subjects come from the loaded data (lexicon),
measures and units from the glossary, the kind of question from keyword patterns below. A
follow-up ("那北戴河呢？", "其中基本支出是多少", "换成元呢") fills what it leaves out from the
previous question's frame.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from db.glossary import glossary

from .lexicon import Bureau, Lexicon, Match
from .text import is_english, normalize_question, squash

REFUSE = re.compile(r"(?i)\b(delete|drop|update|insert|alter|create|truncate|attach|detach|pragma|vacuum|replace\s+into)\b"
                    r"|删除|删掉|修改|篡改|清空|插入|更新数据|写入|改成\d|改为\d")
INTENTS = [  # first match wins; order matters
    ("consistency", re.compile(r"一致|对得上|相符|吻合|矛盾|核对|不符|consistent|match")),
    ("ratio", re.compile(r"占.{0,12}(比例|比重|百分比|%|几成|百分之)|是.{1,16}的百分之(?:几|多少)|占比|比重|所占"
                          r"|多少倍|几倍|完成率|执行率"
                          r"|是年初预算的(?:百分之|多少|几)|完成(?:了)?(?:年初|全年)?预算的|是全年预算的(?:百分之|多少|几)|share|percentage of")),
    ("change", re.compile(r"比上年|较上年|同比|[与和跟同](?:上年|去年|\d{4}年度?)(?:预算)?相?比|增长率|增幅|降幅|增减|变化|变动|比去年|增加了?多少|减少了?多少|下降了?多少|上升了?多少|增长了?多少"
                           r"|(?:增长|下降|减少|增加)(?:了)?百分之(?:几|多少)|降低了?多少"
                           r"|比\d{4}年度?[^比]{0,8}?(?:增加|减少|增长|下降)")),
    ("rank", re.compile(r"最多|最高|最大|最少|最低|最小|排序|排列|排名|从高到低|从低到高|从大到小|从小到大|哪个|哪家|哪一|\bmost\b|\bhighest\b|\blowest\b|\blargest\b|\bbiggest\b|\bsmallest\b|\bleast\b|\brank")),
    ("difference", re.compile(r"谁(?:的)?(?:更|比较)?(?:多|少|高|低|大|小)|相差|差额|差多少|差距|多了?多少|少了?多少|高了?多少|低了?多少|比较|对比|difference|compare")),
    # "一共有多少个项目" is a count, not a sum
    ("count", re.compile(r"多少个|几个|几项|多少项|几辆|多少辆|几台|多少台|几人|多少人|how many")),
    ("sum", re.compile(r"合计|总和|加起来|一共|总共|共计|之和|\btotal of\b|\bsum\b")),
    ("children", re.compile(r"下有哪些|有哪些|包括哪些|包含哪些|明细|由哪些|构成")),
]
# "这个项目的…" points back at the last question's subject ("这个局…" only at its bureau)
ELLIPTICAL = re.compile(r"呢[?？。]?$|^(那|那么|其中|换成|改成|改用|再看|还有|and\b|what about)"
                        r"|^(?:这个|这项|这一|该|此|上述)(?:项目|科目|指标)")
# "这个项目的绩效指标…": words that point back at what was asked before
POINTING = re.compile(r"^(?:这个|这项|这一|该|此|上述|它的|它)(项目|科目|指标|单位|部门|局)?")
ASCENDING = re.compile(r"最少|最低|最小|从低到高|从小到大|lowest|least|smallest")
WANTS_YUAN = re.compile(r"(多少|几)元|换成元|以元|单位为?元|按元|用元|精确到元|折合元|in yuan")
WANTS_WAN = re.compile(r"万元|in (?:ten )?thousands? (?:of )?yuan")
WANTS_YI = re.compile(r"(多少|几)亿|亿元|hundred million")
FROM_TEXT = re.compile(r"说明|文字|正文|文中")
PROJECT_WORD = re.compile(r"项目")
INDICATOR_WORD = re.compile(r"指标|目标值|绩效目标(?=有哪些|是什么|有什么|都有|清单|列出)")
ALL_BUREAUS = re.compile(r"哪个|哪家|哪一|各|所有|全部|每个|which|each|all")
ORG_MENTION = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:省|市|区|县|州))[\u4e00-\u9fff]{0,8}?(?:医疗保障局|医保局|局|委员会|办公室|政府|委(?!托))")


def _office_words() -> str:
    """The glossary's office words as one regex group: 委员会, 局, … but not 委托."""
    offices = glossary()["office_words"]
    words = "|".join(sorted(map(re.escape, offices["words"]), key=len, reverse=True))
    return rf"(?:(?!{'|'.join(map(re.escape, offices['except']))})(?:{words}))"


def _english_count_units() -> dict[str, str]:
    """'vehicles' → 辆, from the glossary."""
    units = glossary()["english_count_units"]
    return {word: unit for unit, words in units.items() if not unit.startswith("_") for word in words}


OFFICE_WORDS = _office_words()
# An office named after a place: 卫生健康委员会, 财政局 (not 卫生健康支出, 委托业务费).
OFFICE_AFTER_PLACE = re.compile(r"[^\W的和与及跟同在中里\d_＿]{0,10}?" + OFFICE_WORDS)
CHILD_COUNT = re.compile(r"(?:下|下面|下级|其中|包括|包含)[^＿]{0,4}(?:几|多少)个?(?:项|款|类|科目|子科目|下级科目)"
                         r"|(?:几|多少)个(?:项级|款级|下级)?科目")
BOTH = re.compile(r"两者|二者|这两个|这两项|两个|两项|\bboth\b|\bthe two\b")
# A year: "2024年", or the first of a range written with one 年 ("2024到2025年", "2019-2025年").
YEAR = re.compile(r"(?:19|20)\d{2}(?=年|(?:到|至|-|—|–|~|～)(?:19|20)\d{2}年)")
RELATIVE_YEAR = re.compile(r"(?<![比较与同和])(去年|上一年|前年)(?!同期)")  # not 比去年: that is a change
ENGLISH_COUNT = re.compile(r"how many ([a-z]+)")
ENGLISH_COUNT_UNITS = _english_count_units()
TOTAL_AFTER = re.compile(r"合计|总计|小计|总额")
# "三公经费中的公务接待费", "卫生健康支出里行政运行": the words between a container and its part
WITHIN = re.compile(r"的?(?:当中|之中|中|里|内)的?")
COUNT_UNIT = re.compile(rf"(?:几|多少)({'|'.join(map(re.escape, glossary()['count_words']['words']))})")


@dataclass
class Frame:
    intent: str = "lookup"
    bureaus: list[Bureau] = field(default_factory=list)
    year: int | None = None
    years_by_bureau: dict[str, int] = field(default_factory=dict)  # when bureaus are asked for different years
    subjects: list[Match] = field(default_factory=list)
    measure: str | None = None
    unit: str | None = None  # 元 / 万元 when asked
    descending: bool = True
    from_text: bool = False
    wants_project: bool = False
    wants_indicator: bool = False
    count_unit: str | None = None
    whole_measure: str | None = None  # "人员经费占基本支出": the measure of the whole in a share
    side_code: str | None = None  # "工资奖金津补贴（50101）": a code printed only beside rows' own codes
    other_measure: str | None = None  # "人员经费比公用经费多多少": the second column asked of the row
    count_children: bool = False  # "…下有几个项": count the rows under the 科目
    unanchored_year: bool = False  # "去年" with no year to count back from
    document_filter: dict = field(default_factory=dict)  # {"scope": "单位"} / {"kind": "决算"}
    all_bureaus: bool = False
    office_kind: str | None = None  # "哪个医保局…": only bureaus whose name holds 医疗保障局
    unknown_bureau: str | None = None
    ambiguous: list[list[Bureau]] = field(default_factory=list)  # a name that fits bureaus of several places
    english: bool = False
    followup: bool = False
    question: str = ""
    # The question as read, with every part the engine placed (bureaus, years, measures,
    # subjects) blanked by ＿: what is left is checked by assistant/coverage.py.
    rest: str = ""
    # Years as a dimension: "2023到2025年", "2021年和2023年分别", "历年", "近三年" of one bureau.
    # `years` lists the years named (a range filled in); `series` is set for 历年/近N年 too.
    years: list[int] = field(default_factory=list)
    series: bool = False
    last_n_years: int | None = None  # 近三年 → 3
    kind_by_year: dict[int, str] = field(default_factory=dict)
    after_question: bool = False  # there was a question before this one in the conversation  # "2025年预算比2024年决算": each year's kind
    read: str = ""  # the question as read, before blanking (same positions as `rest`)
    average: str | None = None  # over years: "rate" 年均增长率, "growth" 年均增长多少, "mean" 平均每年

    def describe(self) -> str:
        names = "、".join(sorted({n for m in self.subjects for n in m.names})[:3])
        return f"{self.intent}: {[b.issuer for b in self.bureaus]} {self.year} {names} {self.measure or ''}"


def understand(question: str, lexicon: Lexicon, previous: Frame | None = None,
               earlier: Frame | None = None) -> Frame:
    """The frame of `question`; `previous` and `earlier` are the frames of the last two questions
    (a follow-up fills from the last; "两者" means the last two)."""
    frame = Frame(question=question, english=is_english(question), after_question=previous is not None)
    if REFUSE.search(question):
        frame.intent = "refuse"
        return frame
    text = squash(normalize_question(question))
    frame.read = text
    frame.side_code = _side_code(text, lexicon)
    years = list(YEAR.finditer(text))
    for m in years:  # the year and its 年 (none after the first of "2024到2025年")
        end = m.end() + (text[m.end():m.end() + 1] == "年")
        text = text[:m.start()] + "＿" * (end - m.start()) + text[end:]
    bureaus = lexicon.find_bureaus(text)
    frame.year, frame.years_by_bureau = _years(years, bureaus, frame.read)
    _year_dimension(frame, text, years, bureaus)
    if frame.english:
        words = re.findall(r"[a-z]+", question.lower())
        words += _english_name_pinyin(words)  # Southwest University → xinandaxue
        # "Putuo District Commerce Commission": the office named picks one of the place's bureaus
        named_places = {p for h in bureaus for p in h[0].pinyin}
        hits = [b for b in lexicon.bureau_by_pinyin(words)
                if all(b is not h[0] for h in bureaus) and not (b.pinyin & named_places)]
        # "Jiangsu High People's Court": the body whose own name is named too, not every body of Jiangsu
        most = max((len(b.pinyin & set(words)) for b in hits), default=0)
        bureaus += [(b, 0, 0) for b in hits if len(b.pinyin & set(words)) == most]
    frame.bureaus = [b for b, _, _ in bureaus]
    if frame.english:
        frame.unknown_bureau = _unknown_english_name(question, lexicon)
    named = text
    for _, start, end in bureaus:
        text = text[:start] + "＿" * (end - start) + text[end:]
    mention = ORG_MENTION.search(text)
    if mention and "＿" not in mention.group(0):
        frame.unknown_bureau = mention.group(0)
    unknown_from: int | None = None  # where the unknown body's name starts
    for bureau, start, end in sorted(bureaus, key=lambda h: -h[1]):  # right to left
        if start == end:  # found by the pinyin of an English question: no Chinese name to read on from
            continue
        office = OFFICE_AFTER_PLACE.match(text, end)
        if re.search(OFFICE_WORDS + "$", named[start:end]):
            continue
        if office and re.fullmatch(r"(?:各个?|所有|全部|每个)" + OFFICE_WORDS, office.group(0)):
            continue  # "东城区各局": every body of the place, not an unknown one
        if office:  # "青海省卫生健康委员会": the place is loaded, this office of it is not
            frame.unknown_bureau = named[start:end] + office.group(0)
        elif end == unknown_from and frame.unknown_bureau:  # "北京市" of "北京市朝阳区教育局": part of it
            frame.unknown_bureau = named[start:end] + frame.unknown_bureau
        else:
            continue
        unknown_from = start
        frame.bureaus = [b for b in frame.bureaus if b is not bureau]
    frame.ambiguous = lexicon.ambiguous([h for h in bureaus if h[0] in frame.bureaus], named)
    for intent, pattern in INTENTS:
        if pattern.search(text) or (frame.english and pattern.search(question.lower())):
            frame.intent = intent
            break
    frame.descending = not ASCENDING.search(text)
    frame.all_bureaus = bool(ALL_BUREAUS.search(text)) and not frame.bureaus
    if frame.all_bureaus:
        frame.office_kind = _office_kind(text)
    asked = text + " " + question.lower()  # "in yuan" keeps its space only in the question
    frame.unit = "元" if WANTS_YUAN.search(asked) else "亿元" if WANTS_YI.search(asked) else \
        "万元" if WANTS_WAN.search(asked) else None
    frame.from_text = bool(FROM_TEXT.search(text))
    frame.wants_project = bool(PROJECT_WORD.search(text)) and "项目支出" not in text
    frame.wants_indicator = bool(INDICATOR_WORD.search(text))
    unit_match = COUNT_UNIT.search(text)
    frame.count_unit = unit_match.group(1) if unit_match else None
    english_count = ENGLISH_COUNT.search(question.lower()) if frame.english else None
    if english_count and english_count.group(1) in ENGLISH_COUNT_UNITS:  # "how many vehicles" → 辆
        frame.count_unit = ENGLISH_COUNT_UNITS[english_count.group(1)]
    frame.kind_by_year = _kind_by_year(frame.read, years) if len(frame.years) >= 2 else {}
    for word, wanted in glossary()["document_words"].items():
        if not word.startswith("_") and word in text:
            frame.document_filter.update(wanted)
            text = _mask_document_word(text, word)
    if len(set(frame.kind_by_year.values())) > 1:  # a 决算 against a 预算: each year keeps its own kind
        frame.document_filter.pop("kind", None)
    frame.count_children = frame.intent == "count" and bool(CHILD_COUNT.search(text))
    longer = [(m.start, m.end) for m in lexicon.find_subjects(text)]
    if frame.intent == "ratio":
        (frame.measure, frame.whole_measure), text = _part_and_whole(text, longer)
    elif frame.intent in ("difference", "sum", "lookup") and _two_measures(text, longer, frame.intent):
        (frame.measure, frame.other_measure), text = _part_and_whole(text, longer)
    else:
        frame.measure, text = _measure(text, longer)
    if frame.measure:  # 一般公共预算基本支出: the money source qualifies the measure, it is not a subject
        for word in glossary()["qualifiers"]["words"]:
            text = re.sub(word + r"(?=＿)", "＿" * len(word), text)
    frame.subjects = [m for m in lexicon.find_subjects(text) if not _is_measure_word(m.term)]
    if not frame.measure and frame.intent == "lookup":
        frame.measure, frame.subjects = _income_column(text, frame.subjects)
        if frame.measure:
            at = text.find(frame.measure)
            text = text[:at] + "＿" * len(frame.measure) + text[at + len(frame.measure):]
    if frame.intent in ("difference", "change") and len({m.term for m in frame.subjects}) == 1:
        frame.subjects += _compared_sibling(text, frame.subjects, lexicon)
    placed = [(m.start, m.end) for m in frame.subjects]  # a container (三公经费中…) is placed too
    if frame.intent in ("sum", "difference") and frame.subjects:
        frame.subjects = _subjects_of_a_list(text, frame.subjects, lexicon)
    frame.rest = _blank_spans(text, placed + [(m.start, m.end) for m in frame.subjects])
    frame.average = next((kind for kind, pattern in AVERAGES if pattern.search(text)), None)
    if frame.average and len(frame.bureaus) == 1:  # "2022到2025年年均增长率": across the years asked
        frame.series = frame.series or not frame.year
    if frame.series:  # "历年基本工资": the years asked across are placed, not a kind of 基本工资
        frame.rest = SERIES_WORDS.sub(lambda m: "＿" * len(m.group(0)), frame.rest)
        frame.rest = re.sub(r"(?<=＿)(?:以来|至今|到现在|到今年|迄今)", lambda m: "＿" * len(m.group(0)), frame.rest)
        frame.rest = AVERAGE_WORDS.sub(lambda m: "＿" * len(m.group(0)), frame.rest)
    whole = glossary()["whole_budget_words"]
    if not frame.subjects and not frame.measure and frame.bureaus and _only_says(text, whole["words"], whole["filler"]):
        # "青海省医疗保障局2021年的预算": the budget as a whole, i.e. its expenditure total
        frame.subjects = [m for m in lexicon.find_subjects(whole["total_row"]) if m.kind == "total"]
    if previous and earlier and BOTH.search(question) and not frame.subjects and not frame.bureaus:
        frame = _the_last_two(frame, previous, earlier)
    elif previous:
        if not frame.subjects and not frame.bureaus:
            frame.subjects = _sibling_of_previous(text, previous, lexicon)
            if frame.subjects:  # "购置费呢": the words name the part that changes, all placed
                frame.rest = BLANK_ALL.sub(lambda m: "＿" * len(m.group(0)), frame.rest)
        frame = _fill_from_previous(frame, previous)
    frame.unanchored_year = bool(RELATIVE_YEAR.search(question)) and frame.year is None
    return frame


SERIES_WORDS = re.compile(r"历年|各年|每年|逐年|每一年|各年度|历年来|这几年|哪一年|哪年|哪个年度|(?:近|最近|过去)([一二两三四五六七八九十\d]{1,2})年")
# An average over the years asked: the annual (compound) growth rate, the mean yearly change, or
# the mean of the years' figures. First match wins.
AVERAGES = [
    ("rate", re.compile(r"年均(?:增长|增幅|递增|增速|下降)?(?:率|幅度?|百分之|速度)|年均增幅|年均增速|平均(?:每年的?|年)?增长率|复合增长率")),
    ("growth", re.compile(r"年均(?:增长|增加|减少|递增|下降)|平均每年(?:增长|增加|减少|下降)")),
    ("mean", re.compile(r"平均每年|每年平均|年平均|平均值|平均数|年均|平均")),
]
AVERAGE_WORDS = re.compile(r"年均|平均每年|每年平均|年平均|平均值|平均数|平均|复合增长率|增长率|增幅|增速")
YEAR_SINCE = re.compile(r"＿(?:年度?)?(?:以来|至今|到现在|到今年|迄今)")
YEAR_RANGE = re.compile(r"＿+(?:年度?)?(?:到|至|-|—|–|~|～)＿+")
CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


BLANK_ALL = re.compile(r"[\u4e00-\u9fff（）()]+")


def _year_dimension(frame: "Frame", text: str, years: list[re.Match], bureaus: list) -> None:
    """Several years of one bureau: the question asks across its documents, not of one of them."""
    one_bureau = len({id(b) for b, _, _ in bureaus}) <= 1
    values = sorted({int(m.group(0)) for m in years})
    series = SERIES_WORDS.search(text)
    if not one_bureau:
        if series and not values:  # "东城区医保局和西城区医保局近三年…": each body's series (resolvers.series_each)
            frame.series = True
            n = series.group(1)
            if n:
                frame.last_n_years = int(n) if n.isdigit() else CN_DIGITS.get(n)
        return
    if len(values) >= 2:
        if YEAR_RANGE.search(text) and len(values) == 2:  # 2023到2025年: every year between
            values = list(range(values[0], values[1] + 1))
        frame.years, frame.year, frame.years_by_bureau = values, None, {}
        frame.series = True
    elif len(values) == 1 and bureaus and YEAR_SINCE.search(text):  # "2019年以来": to the latest loaded year
        latest = max((d.year for d in bureaus[0][0].documents if d.year), default=values[0])
        if latest > values[0]:
            frame.years, frame.year, frame.years_by_bureau = list(range(values[0], latest + 1)), None, {}
            frame.series = True
    elif series and not values:
        frame.series = True
        n = series.group(1)
        if n:
            frame.last_n_years = int(n) if n.isdigit() else CN_DIGITS.get(n)


def _kind_by_year(read: str, years: list[re.Match]) -> dict[int, str]:
    """"2025年预算…比2024年决算": the kind of document written right after each year."""
    kinds: dict[int, str] = {}
    for m in years:
        after = re.match(r"年度?(?:的|部门|单位)*(预算|决算)", read[m.end():])
        if after:
            kinds[int(m.group(0))] = after.group(1)
    return kinds


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for k in range(max(0, start), min(len(chars), end)):
            chars[k] = "＿"
    return "".join(chars)


def _years(years: list[re.Match], bureaus: list, read: str) -> tuple[int | None, dict[str, int]]:
    """One year for the question, or (青海2021年 和 莲湖2024年) each bureau its own: the year
    printed after a bureau's name and before the next one's."""
    values = {int(m.group(0)) for m in years}
    if len(values) <= 1:
        return (values.pop() if values else None), {}
    mapping: dict[str, int] = {}
    # "2021年青海省医保局和2024年莲湖区医保局": a year written right before a name is that body's
    before = {k: m for k, (_, start, _) in enumerate(bureaus) for m in years
              if re.fullmatch(r"年度?的?", read[m.end():start])}
    for k, (bureau, start, _) in enumerate(bureaus):
        end = bureaus[k + 1][1] if k + 1 < len(bureaus) else 10_000
        near = [before[k]] if k in before else \
            [m for m in years if start <= m.start() < end and m not in before.values()]
        if not near:  # "2021年的青海省医保局": a year a few words before the name
            near = [m for m in years if start - 8 <= m.start() < end and m not in before.values()]
        if near:
            mapping[bureau.issuer] = int(near[0].group(0))
    return None, mapping


def _only_says(text: str, words: list[str], filler: str) -> bool:
    """The text (bureau and year already blanked) holds one of `words` and nothing but filler."""
    for word in words:
        if word in text:
            rest = text.replace(word, "", 1).replace("＿", "")
            return all(ch in filler for ch in rest)
    return False


def _measure_words(text: str, longer: list[tuple[int, int]]) -> list[tuple[int, str, str]]:
    """(position, measure, word as printed) of each measure word (基本支出, 人员经费, 上年预算数 …),
    leaving out those inside a longer subject name (劳务派遣人员经费 is a subject of its own)."""
    found: list[tuple[int, str, str]] = []
    for canonical, synonyms in glossary()["measures"].items():
        if canonical == "合计":
            continue
        for word in sorted(synonyms, key=len, reverse=True):
            if len(word) < 2 or word == "上年" and re.search(r"[比较同]上年|上年[增减]", text):
                continue
            for m in re.finditer(re.escape(word), text):
                # 劳务派遣人员经费 is a name of its own; 人员经费合计 is the measure's total
                inside = any(s <= m.start() and m.end() <= e and e - s > len(word)
                             and not TOTAL_AFTER.fullmatch(text[m.end():e]) for s, e in longer)
                overlaps = any(p < m.end() and m.start() < p + len(w) for p, _, w in found)
                if not inside and not overlaps and not re.match(r"(绩效|的项目|项目)", text[m.end():]):
                    found.append((m.start(), canonical, word))
    return found


def _unknown_english_name(question: str, lexicon: Lexicon) -> str | None:
    """A capitalised word of an English question that is no budget term, no word for a kind of
    place or body, and no loaded body's pinyin ("Chengdu" when no Chengdu body is loaded): a body
    that is not loaded. Said back, it is never replaced by the body the question before asked
    about. The sentence's first word is skipped (it is capitalised anyway)."""
    known = _english_known_words()
    for word in re.findall(r"[A-Za-z][A-Za-z']*", question)[1:]:
        lower = word.lower().removesuffix("'s")
        if word[0].isupper() and lower not in known and not lexicon.bureau_by_pinyin([lower]) \
                and not lexicon.bureau_by_pinyin(_english_name_pinyin([lower])):
            return word
    return None


@lru_cache(maxsize=1)
def _english_known_words() -> frozenset[str]:
    g = glossary()
    words = {w for term in g["english"] for w in re.findall(r"[a-z']+", term.lower())}
    return frozenset(words | set(g["english_place_words"]["words"]) | set(g["english_generic_name_words"]["words"]))


def _english_name_pinyin(words: list[str]) -> list[str]:
    """The pinyin of each run of English words the glossary translates (High People's Court →
    gaoji + renmin + fayuan): every word, and every run of consecutive ones joined."""
    table = glossary()["english_place_words"]["words"]
    out, run = [], []
    for word in words + [""]:
        if word in table:
            run.append(table[word])
            continue
        if word == "s" and run:  # people's → people + s
            continue
        out += ["".join(run[i:j]) for i in range(len(run)) for j in range(i + 1, len(run) + 1)]
        run = []
    return out


def _income_column(text: str, subjects: list[Match]) -> tuple[str | None, list[Match]]:
    """"高等教育事业收入": a source of income (glossary income_columns) written right after a line
    (or after 中的 / 的) is the column of that line asked — not a second line of its own."""
    for word in sorted(glossary()["income_columns"]["words"], key=len, reverse=True):
        for at in (m.start() for m in re.finditer(re.escape(word), text)):
            end = at + len(word)
            before = [s for s in subjects if s.end <= at and not (s.start >= at)
                      and re.fullmatch(r"(?:中的|里的|的|中|其中)?", text[s.end:at])]
            if before:
                return word, [s for s in subjects if s.end <= at or s.start >= end]
    return None, subjects


def _measure(text: str, longer: list[tuple[int, int]]) -> tuple[str | None, str]:
    """The measure the question asks for (the glossary's order decides between two) and the
    text without its word."""
    found = _measure_words(text, longer)
    if not found:
        return None, text
    order = list(glossary()["measures"])
    start, canonical, word = min(found, key=lambda f: order.index(f[1]))
    return canonical, text[:start] + "＿" * len(word) + text[start + len(word):]


def _part_and_whole(text: str, longer: list[tuple[int, int]]) -> tuple[tuple[str | None, str | None], str]:
    """"人员经费占基本支出的比例": the part's measure is named first, the whole's second."""
    found = sorted(_measure_words(text, longer))[:2]
    for start, _, word in found:
        text = text[:start] + "＿" * len(word) + text[start + len(word):]
    measures = [canonical for _, canonical, _ in found]
    if len(found) == 1 and re.search(r"占(?:了|到)?(?:本单位|全部|总)?$", text[:found[0][0]]):
        measures = [None, measures[0]]  # "办公费占公用经费的比例": the one measure named is the whole
    return (measures + [None, None])[:2], text


def _side_code(text: str, lexicon: Lexicon) -> str | None:
    """A code (or its name) that tables print only as a second classification beside their rows."""
    for code, name in sorted(lexicon.side_codes.items(), key=lambda kv: -len(kv[1])):
        if re.search(rf"(?<!\d){code}(?!\d)", text) or (len(name) >= 4 and name in text):
            return code
    return None


def _office_kind(text: str) -> str | None:
    """The kind of office a question over all bureaus names (哪个医保局, 各街道), as the glossary's
    full suffix (医疗保障局, 街道办事处); None when it names none (哪个单位)."""
    for long, shorts in glossary()["bureau_abbreviations"].items():
        for word in sorted([long] + [s for s in shorts if s], key=len, reverse=True):
            if len(word) >= 2 and (re.search(rf"(?:哪个|哪家|哪一个|哪一家|各个?|所有|全部|每个|{ENGLISH_WHICH}){re.escape(word)}", text)
                                   or re.search(rf"(?:^|的){re.escape(word)}(?:是|为)?{WHICH_ONE}", text)):
                return long
    # an office the glossary has no short form for (哪个财政局): the office as written
    named = re.search(rf"(?:哪个|哪家|哪一个|哪一家|各个?|所有|全部|每个|{ENGLISH_WHICH})([\u4e00-\u9fff]{{1,10}}?(?:局|委员会|厅|办公室|办事处))", text) \
        or re.search(rf"(?:^|的)([\u4e00-\u9fff]{{1,8}}?(?:局|委员会|厅|办公室|办事处))(?:是|为)?{WHICH_ONE}", text)
    return named.group(1) if named else None


# "which 医疗保障局 has the most …": an English question's office kind, after its terms are translated
ENGLISH_WHICH = r"\bwhich\s*|\beach\s*|\bevery\s*|\ball\s*"
# "…最少的财政局是哪个": the office kind named before the question word
WHICH_ONE = r"(?:哪个|哪家|哪一个|哪一家)"


def _mask_document_word(text: str, word: str) -> str:
    """Hide a word that picks a kind of document (决算), except where it is part of a column's
    name (决算数, 支出决算): "决算数呢" asks for that column."""
    if FOLLOW_UP_WORDS.sub("", text) == word and any(word in ws for ws in glossary()["measures"].values()):
        return text  # "决算呢" after a 决算 row: the column, in the documents already asked about
    columns = [w for words in glossary()["measures"].values() for w in words if word in w and w != word]
    for m in reversed(list(re.finditer(re.escape(word), text))):
        inside = any(text[max(0, m.start() - c.index(word)):].startswith(c) for c in columns)
        if not inside:
            text = text[:m.start()] + "＿" * len(word) + text[m.end():]
    return text


def _two_measures(text: str, longer: list[tuple[int, int]], intent: str) -> bool:
    """"人员经费比公用经费多多少", "基本支出和项目支出分别是多少": two columns of one row are asked.
    A lookup needs the two joined (和, 与, 及, 、)."""
    found = sorted(_measure_words(text, longer))
    if len({canonical for _, canonical, _ in found}) < 2:
        return False
    (first, _, word), (second, _, _) = found[:2]
    return intent != "lookup" or JOINED.fullmatch(text[first + len(word):second]) is not None


# "基本支出和项目支出", "基本支出多少、项目支出多少", "年初预算是多少，决算是多少": two asked together
JOINED = re.compile(r"(?:是|为)?(?:多少钱?|几何)?(?:的)?(?:和|与|及|以及|、|跟|，|,|;|；)(?:其)?")


def _is_measure_word(term: str) -> bool:
    measures = glossary()["measures"]
    return any(term in synonyms for name, synonyms in measures.items() if name != "合计")


def _asked(frame: Frame) -> list[Match]:
    """The subjects a question asked for: in "三公经费中的公务用车运行费" only the part after 中."""
    return _after_container(squash(normalize_question(frame.question)), frame.subjects)


def _after_container(text: str, subjects: list[Match]) -> list[Match]:
    """The subjects after the last container named before them ("A中B" → B), else all."""
    ordered = sorted(subjects, key=lambda m: m.start)
    for k in range(1, len(ordered)):
        if WITHIN.fullmatch(text[ordered[k - 1].end:ordered[k].start]):
            return ordered[k:]
    return ordered


def _the_last_two(frame: Frame, previous: Frame, earlier: Frame) -> Frame:
    """"两者合计/相差多少/哪个多" after two questions: both bureaus, or both subjects, of them."""
    bureaus = list(earlier.bureaus) + [b for b in previous.bureaus if b not in earlier.bureaus]
    subjects = list(previous.subjects)
    if len(bureaus) == len(previous.bureaus):  # the same bureau twice: two subjects
        subjects = [replace(m, start=k, end=k + 1)  # the earlier subject first, as if asked so
                    for k, m in enumerate([m for m in _asked(earlier) if m.names not in [p.names for p in previous.subjects]]
                                          + list(previous.subjects))]
    years = {b.issuer: f.year for f in (earlier, previous) for b in f.bureaus if f.year is not None}
    same_row = [m.names for m in earlier.subjects] == [m.names for m in previous.subjects]
    if len(bureaus) == len(previous.bureaus) and same_row and earlier.measure != previous.measure \
            and not frame.measure:
        # "行政运行决算数" then "年初预算呢": one row in two columns
        return replace(frame, bureaus=bureaus, subjects=list(previous.subjects), measure=earlier.measure,
                       other_measure=previous.measure, unit=frame.unit or previous.unit, year=previous.year,
                       document_filter=frame.document_filter or previous.document_filter, followup=True)
    return replace(frame, bureaus=bureaus, subjects=subjects, measure=frame.measure or previous.measure,
                   unit=frame.unit or previous.unit, year=None, years_by_bureau=years,
                   document_filter=frame.document_filter or previous.document_filter, followup=True)


FOLLOW_UP_WORDS = re.compile(r"^(?:那么|那|还有|再看|其中|另外)|(?:的|是多少|多少|呢|吗)*[?？。]?$")


def _sibling_of_previous(text: str, previous: Frame, lexicon: Lexicon) -> list[Match]:
    """"公务用车运行费" → "购置费呢", "政府采购服务预算" → "货物呢": the follow-up names only the
    part of the previous subject that changes."""
    fragment = FOLLOW_UP_WORDS.sub("", re.sub(r"[＿\s]", "", text))
    name = _sibling(fragment, [m.term for m in previous.subjects], lexicon)
    return lexicon.find_subjects(name) if name else []


def _sibling(fragment: str, terms: list[str], lexicon: Lexicon) -> str | None:
    """The loaded name that keeps most of one of `terms` with `fragment` in place of a part of it."""
    if len(fragment) < 2 or not re.fullmatch(r"[\u4e00-\u9fff（）()]+", fragment) or _is_measure_word(fragment):
        return None
    best: tuple[int, str] | None = None
    for term in terms:
        for i in range(len(term) + 1):
            for j in range(i, len(term) + 1):
                candidate = term[:i] + fragment + term[j:]
                kept = i + len(term) - j
                if kept >= 1 and candidate != term and candidate in lexicon.terms and (best is None or kept > best[0]):
                    best = (kept, candidate)
    return best[1] if best else None


COMPARED = re.compile(r"(?:比|较|与|和|跟)([\u4e00-\u9fff]{2,10}?)(?:的)?(?:多了?|少了?|高了?|低了?|增加了?|减少了?|相比|相差|差|增长了?|下降了?)")


def _compared_sibling(text: str, subjects: list[Match], lexicon: Lexicon) -> list[Match]:
    """"年末结转和结余比年初多了多少": the thing compared with is the named subject with the
    words after 比 in place of a part of it (年初结转和结余)."""
    m = COMPARED.search(text, subjects[0].end)
    if not m:
        return []
    name = _sibling(m.group(1), [subjects[0].term], lexicon)
    if not name or name == subjects[0].term:
        return []
    return [replace(found, start=m.start(1), end=m.end(1)) for found in lexicon.find_subjects(name)]


def _subjects_of_a_list(text: str, subjects: list[Match], lexicon: Lexicon) -> list[Match]:
    """"三公经费中公务用车购置费和运行费合计": the container before 中 is context, and a listed
    name shortened after 和 ("运行费") is the sibling of the name before it (公务用车运行费)."""
    ordered = _after_container(text, subjects)
    tail = re.match(r"(?:和|与|及|以及|、|跟)([\u4e00-\u9fff]{2,12}?)(?=合计|之和|加起来|一共|相差|的差|差额|$|[，。？?])",
                    text[max(m.end for m in ordered):])
    if tail:
        name = _sibling(tail.group(1), [m.term for m in ordered], lexicon)
        if name:
            start = max(m.end for m in ordered) + tail.start(1)
            ordered += [replace(m, start=start, end=start + len(tail.group(1))) for m in lexicon.find_subjects(name)]
    return ordered


def _same_office(frame: Frame, previous: Frame) -> list[Bureau]:
    """"东城区医保局…" then "那丰台区呢？": a follow-up naming only a place means that place's body
    of the office asked before, not every body of the place."""
    offices = {_office_of(b) for b in previous.bureaus} - {""}
    if len(frame.bureaus) < 2 or not offices or re.search(OFFICE_WORDS, frame.read):
        return frame.bureaus
    same = [b for b in frame.bureaus if _office_of(b) in offices]
    return same or frame.bureaus


def _office_of(bureau: Bureau) -> str:
    """The body's name after its places: 医疗保障局 of 北京市丰台区医疗保障局（本级）."""
    return re.sub(r"[（(].*?[)）]$", "", bureau.issuer)[len("".join(bureau.places)):]


def _fill_from_previous(frame: Frame, previous: Frame) -> Frame:
    """An elliptical follow-up keeps what the previous question said and it did not."""
    if previous.intent in ("refuse", "unknown"):
        return frame
    followup = False
    said_something = bool(frame.subjects or frame.measure or frame.bureaus or frame.unit or frame.year
                          or frame.intent != "lookup")
    if not said_something and not ELLIPTICAL.search(frame.question.strip()):
        return frame  # not a follow-up: a new question that names nothing from the budgets
    # "那北戴河呢？" is elliptical; so is a question naming no body at all ("基本支出呢"), but not
    # one that asks across an office kind with its own measure ("哪个医保局的人员经费…最高")
    elliptical = bool(ELLIPTICAL.search(frame.question.strip())) or not (
        frame.bureaus or (frame.office_kind and frame.measure))
    if not frame.subjects and frame.intent not in ("count",) and elliptical:
        frame.subjects = previous.subjects
        if frame.measure is None and not frame.bureaus:
            frame.measure = previous.measure
        elif frame.measure is None:
            frame.measure = previous.measure
        if frame.intent == "lookup":
            frame.intent = previous.intent if previous.intent not in ("difference",) else "lookup"
        followup = True
    if not frame.bureaus and not frame.all_bureaus and not frame.unknown_bureau:
        frame.bureaus = previous.bureaus
        frame.year = frame.year or previous.year
        frame.all_bureaus = previous.all_bureaus
        frame.office_kind = frame.office_kind or previous.office_kind
        followup = True
    elif frame.bureaus and frame.year is None and previous.year is not None:
        if followup:  # "那丰台区呢？": not a new question that names its own line
            frame.bureaus = _same_office(frame, previous)
        if all(any(d.year == previous.year for d in b.documents) for b in frame.bureaus) \
                or (followup and any(len({d.year for d in b.documents}) > 1 for b in frame.bureaus)):
            # a body with several years loaded: the year asked before still holds (and a
            # missing one is named); a body of one year is read in that year
            frame.year = previous.year
    elif frame.bureaus and followup:
        frame.bureaus = _same_office(frame, previous)
    if frame.unit is None and followup:
        frame.unit = previous.unit
    if followup and not frame.document_filter:
        frame.document_filter = previous.document_filter
    relative = RELATIVE_YEAR.search(frame.question)
    if relative and previous.year and not re.search(r"(19|20)\d{2}", frame.question):
        frame.year = previous.year - (2 if relative.group(1) == "前年" else 1)
    frame.followup = followup
    if frame.intent == "difference" and not frame.subjects and not frame.other_measure:
        frame.subjects = previous.subjects
    if frame.intent == "ratio" and not frame.subjects and frame.measure and previous.measure \
            and previous.measure != frame.measure and not frame.whole_measure:
        # "其中人员经费是多少" → "占基本支出的比例": the part is the measure asked before
        frame.measure, frame.whole_measure = previous.measure, frame.measure
        frame.subjects = previous.subjects
    if frame.intent == "ratio" and frame.subjects and all(m.kind == "total" for m in frame.subjects) \
            and not previous.subjects and previous.measure and not frame.measure:
        # "财政局基本支出" → "占本年支出合计的比例": the 基本支出 of the 本年支出合计 row, over that row
        frame.measure = previous.measure
        frame.bureaus = frame.bureaus or previous.bureaus
        frame.year = frame.year or previous.year
    elif frame.intent == "ratio" and frame.subjects and all(m.kind == "total" for m in frame.subjects) \
            and previous.subjects:
        # "占总支出的比例呢": the part is what was asked before; the whole is the table's total.
        frame.subjects = previous.subjects
        frame.bureaus = frame.bureaus or previous.bureaus
        frame.year = frame.year or previous.year
    return replace(frame)
