"""Kinds of question answered by small resolvers, tried in order before the intent handlers.

Each resolver says which frames it answers (`applies`) and answers them, or returns None to let
the next one try. A new kind of question is a new entry here with its own tests, not another
branch inside lookup(). The answer records which resolver answered (Answer.resolver).

series          one bureau over several loaded years: each year's figure (Answer.series for a chart)
year_change     the difference (and growth) between two loaded years, computed in SQL
indicator_list  the performance indicators of a project or of the department, with a count
project_list    the projects of a department with their amounts, with a count
project_rank    a department's projects by amount, the first few
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

from .. import queries
from ..answer import Answer, Figure
from ..compose import FEN_PER_UNIT, MONEY, exact, item_figures, item_source, label_for, show
from ..lexicon import Document
from ..queries import Trace
from ..understand import Frame
from .common import _doc_ids, _fen_per, names_of, say, subject_label
from .lookup import lookup

LIST_WORDS = re.compile(r"有哪些|哪些|是什么|有什么|列出|列一下|清单|明细|都有|list|which")
GROWTH_WORDS = re.compile(r"增长率|增幅|降幅|百分之|%|几成|growth|rate")
SHOWN = 20  # rows written out in a list; the count covers all


@dataclass
class Resolver:
    name: str
    applies: Callable[[Frame, list[Document]], bool]
    answer: Callable[[Frame, list[Document], Trace], Answer | None]


# --- years as a dimension --------------------------------------------------------------------

def _by_year(frame: Frame, documents: list[Document]) -> dict[int, list[Document]]:
    """The documents of each year; a year the question gives a kind (2024年决算) keeps only that kind."""
    by_year: dict[int, list[Document]] = {}
    for doc in documents:
        wanted = frame.kind_by_year.get(doc.year)
        if doc.year and (wanted is None or doc.kind == wanted):
            by_year.setdefault(doc.year, []).append(doc)
    return dict(sorted(by_year.items()))


def _years_asked(frame: Frame, by_year: dict[int, list[Document]]) -> list[int]:
    if frame.years:
        return frame.years
    loaded = list(by_year)
    return loaded[-frame.last_n_years:] if frame.last_n_years else loaded


def _is_series(frame: Frame, documents: list[Document]) -> bool:
    return frame.series and len(frame.bureaus) == 1 and frame.intent not in ("difference", "change", "ratio") \
        and len(_by_year(frame, documents)) >= 1


def series(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """Each asked year's figure, in year order; years not loaded are named."""
    by_year = _by_year(frame, documents)
    years = _years_asked(frame, by_year)
    points, figures, sentences, missing, firsts = [], [], [], [], []
    for year in years:
        if year not in by_year:
            missing.append(year)
            continue
        one = lookup(replace(frame, year=year, years=[], series=False, intent="lookup"), by_year[year], trace)
        if one.status != "answered" or not one.figures:
            missing.append(year)
            continue
        first = one.figures[0]
        firsts.append(first)
        points.append({"year": year, "value": first.value, "unit": first.unit, "label": first.label})
        figures += one.figures
        sentences.append(one.answer)
    if not points:
        return Answer("no_data", say(frame, f"{frame.bureaus[0].short}{'、'.join(f'{y}年' for y in years)}的预算中都没有找到"
                                            f"{subject_label(frame)}。", f"No figure for {subject_label(frame)} in {years}."))
    what = subject_label(frame)
    who = frame.bureaus[0].short
    if frame.intent == "rank" and CHANGE_WORDS.search(frame.question):
        return _year_of_largest_change(frame, firsts, points, trace)
    line = "；".join(f"{p['year']}年{show(p['value'], p['unit'])}" for p in points)
    head = say(frame, f"{who}{what}按年份：{line}。", f"{who} {what} by year: {line}. ")
    if frame.intent == "rank" and len(points) > 1:  # "哪一年最多": the year, then the series
        top = (max if frame.descending else min)(points, key=lambda p: p["value"])
        head = say(frame, f"{what}{'最多' if frame.descending else '最少'}的是{top['year']}年（{show(top['value'], top['unit'])}）。",
                   f"Highest {what}: {top['year']}. ") + head
    tail = say(frame, f"已载入的预算中没有{'、'.join(f'{y}年' for y in missing)}的这个数。" if missing else "",
               f"Not in the loaded budgets: {', '.join(map(str, missing))}. " if missing else "")
    if frame.intent == "sum" and len(points) > 1:  # "2023年到2025年基本工资合计": the years added in SQL
        total = _sum_of_items(trace, firsts)
        if total is None:
            return Answer("no_data", say(frame, f"{who}{what}有的年份只在说明文字中写明，没有逐年相加。",
                                         f"Some years of {what} are stated only in the text; not added."))
        unit = frame.unit or "万元"
        total = Decimal(total)
        figures.append(Figure(exact(total / _fen_per(unit)), unit, f"{what}{points[0]['year']}年至{points[-1]['year']}年合计",
                              figures[0].source))
        head += say(frame, f"{len(points)}个年份合计{show(total / _fen_per(unit), unit)}。", f"Total: {show(total / _fen_per(unit), unit)}. ")
    answer = Answer("answered", head + "".join(sentences) + tail, figures)
    answer.series = points
    return answer


CHANGE_WORDS = re.compile(r"增长|增加|增幅|上涨|涨幅|下降|减少|降幅|变化|变动")


def _sum_of_items(trace: Trace, figures: list[Figure]) -> int | None:
    """The sum in 分 of each year's figure, in SQL; None when one is no table row."""
    if any(f.source.ref_kind != "item" or not f.source.item_id for f in figures):
        return None
    ids = [f.source.item_id for f in figures]
    return trace.run(f"SELECT SUM(amount_fen) AS total_fen FROM items_v WHERE item_id IN ({', '.join('?' for _ in ids)})",
                     tuple(ids), main=True)[0]["total_fen"]


def _year_of_largest_change(frame: Frame, figures: list[Figure], points: list[dict], trace: Trace) -> Answer:
    """"哪年增长最多": each loaded year against the calendar year before it (both loaded), the
    changes computed in SQL, the largest increase (or, asked 下降/减少, the largest fall)."""
    who, what = frame.bureaus[0].short, subject_label(frame)
    by_year = {p["year"]: f for p, f in zip(points, figures) if f.source.ref_kind == "item" and f.source.item_id}
    pairs = [(y - 1, y) for y in by_year if y - 1 in by_year]
    if not pairs:
        years = "、".join(f"{y}年" for y in by_year)
        return Answer("no_data", say(frame, f"{who}已载入的年份（{years}）中没有相邻的两年，无法比较每年的变化。",
                                     f"No two consecutive years of {who} are loaded."))
    changes = []
    for early, late in pairs:
        row = trace.run("SELECT b.amount_fen - a.amount_fen AS difference_fen FROM items_v a, items_v b "
                        "WHERE a.item_id = ? AND b.item_id = ?",
                        (by_year[early].source.item_id, by_year[late].source.item_id), main=True)[0]
        changes.append((early, late, row["difference_fen"]))
    falling = bool(re.search(r"下降|减少|降幅", frame.question))
    pick = (min if falling else max)(changes, key=lambda c: c[2])
    unit = frame.unit or "万元"
    line = "；".join(f"{late}年比{early}年{'增加' if d >= 0 else '减少'}{show(abs(Decimal(d)) / _fen_per(unit), unit)}"
                     for early, late, d in changes)
    early, late, d = pick
    cited = [by_year[early], by_year[late]]
    sources = "；".join(f.source.cite() for f in cited)
    skipped = [y for y in by_year if y - 1 not in by_year and y != min(by_year)]
    note = f"（{'、'.join(f'{y}年' for y in skipped)}的上一年没有载入，未计入）" if skipped else ""
    figures_out = cited + [Figure(exact(abs(Decimal(d)) / _fen_per(unit)), unit,
                                  f"{what}{late}年比{early}年{'增加' if d >= 0 else '减少'}", cited[1].source)]
    verb = "下降最多" if falling else "增长最多"
    return Answer("answered", say(frame, f"{who}{what}{verb}的是{late}年（比{early}年{'增加' if d >= 0 else '减少'}"
                                         f"{show(abs(Decimal(d)) / _fen_per(unit), unit)}）。逐年变化：{line}{note}。来源：{sources}。",
                                  f"{who} {what}: largest change in {late}."), figures_out)


def _is_series_each(frame: Frame, documents: list[Document]) -> bool:
    return frame.series and len(frame.bureaus) > 1 and not frame.years and frame.intent in ("lookup", "sum", "rank")


def series_each(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """"东城区医保局和西城区医保局近三年基本工资": each body's own series, one after the other."""
    answers = [series(replace(frame, bureaus=[b]), [d for d in documents if d.issuer == b.issuer], trace)
               for b in frame.bureaus]
    answers = [a for a in answers if a is not None]
    if not any(a.status == "answered" for a in answers):
        return answers[0] if answers else None
    answer = Answer("answered", "".join(a.answer for a in answers), [f for a in answers for f in a.figures])
    answer.series = [dict(p, label=f"{b.short}{p['label']}") for b, a in zip(frame.bureaus, answers) for p in (a.series or [])]
    return answer


def _is_year_change(frame: Frame, documents: list[Document]) -> bool:
    return len(frame.years) >= 2 and len(frame.bureaus) == 1 and frame.intent in ("difference", "change") \
        and bool(_by_year(frame, documents))


def not_loaded(frame: Frame, by_year: dict[int, list[Document]], years: list[int], what: str) -> Answer | None:
    """The answer naming the years asked that are not loaded for the body, with those that are."""
    missing = [y for y in years if y not in by_year]
    if not missing:
        return None
    bureau = frame.bureaus[0]
    loaded = "、".join(sorted({f"{d.year}年" for d in bureau.documents if d.year}))
    gone = "、".join(f"{y}年" for y in missing)
    return Answer("no_data", say(frame, f"没有载入{bureau.issuer}{gone}的预算（已载入：{loaded}），无法计算{what}。",
                                 f"{bureau.issuer}: {gone} not loaded; cannot compute {what}."))


def _is_series_change(frame: Frame, documents: list[Document]) -> bool:
    return frame.series and not frame.years and len(frame.bureaus) == 1 \
        and frame.intent in ("difference", "change") and len(_by_year(frame, documents)) >= 2


def series_change(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """"近三年基本工资增长了多少", "历年变化": the first of the years asked (or loaded) against the
    last, said explicitly."""
    years = _years_asked(frame, _by_year(frame, documents))
    if len(years) < 2:
        return None
    answer = year_change(replace(frame, years=[years[0], years[-1]]), documents, trace)
    if answer and answer.status == "answered":
        answer.answer = say(frame, f"按已载入的{years[0]}年至{years[-1]}年比较（{'、'.join(f'{y}年' for y in years)}）：",
                            f"Loaded years {years[0]}–{years[-1]}: ") + answer.answer
    return answer


def year_change(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """"2025年比2023年增加了多少": the later year's figure less the earlier one's, in SQL, both cited."""
    by_year = _by_year(frame, documents)
    early, late = frame.years[0], frame.years[-1]
    if not_loaded(frame, by_year, [early, late], ""):
        return None  # the later year's text may state the change against the other (handlers.text.change)
    rows, stated = [], []
    for year in (early, late):
        one = lookup(replace(frame, year=year, years=[], series=False, intent="lookup"), by_year[year], trace)
        item = next((f for f in one.figures if f.source.ref_kind == "item" and f.source.item_id), None)
        found = queries.items_by_id(trace, [item.source.item_id]) if one.status == "answered" and item else []
        text = next((f for f in one.figures if f.source.ref_kind == "text" and f.unit in MONEY), None) \
            if one.status == "answered" and not found else None
        if text:  # "机关运行经费" stated only in each year's text
            stated.append((year, text))
            continue
        if not found:  # one side of the comparison is missing: say which, state nothing
            kind = frame.kind_by_year.get(year, "")
            return Answer("no_data", say(frame, f"{frame.bureaus[0].short}{year}年{kind}中没有找到{subject_label(frame)}"
                                                f"（表格中的数），无法计算{late}年与{early}年的差。",
                                         f"No table figure for {subject_label(frame)} in {year}; "
                                         f"the change from {early} to {late} cannot be computed."))
        rows.append(found[0])
    if stated:
        return _stated_years_change(frame, stated, rows) if len(stated) == 2 else Answer(
            "no_data", say(frame, f"{frame.bureaus[0].short}{subject_label(frame)}一年只在说明文字中写明、另一年只在表格中列出，"
                                  f"不是同一口径，无法计算{late}年与{early}年的差。",
                           f"{subject_label(frame)} is stated in the text one year and in a table the other."))
    a, b = rows
    result = trace.run("SELECT b.amount_fen - a.amount_fen AS difference_fen, a.amount_fen AS earlier_fen, "
                       "b.amount_fen AS later_fen FROM items_v a, items_v b WHERE a.item_id = ? AND b.item_id = ?",
                       (a["item_id"], b["item_id"]), main=True)[0]
    unit = frame.unit or "万元"
    diff = Decimal(result["difference_fen"]) / _fen_per(unit)
    figures, parts = [], []
    what = subject_label(frame)
    for row in (a, b):
        figs, text = item_figures(row, label_for(row, row["name"] if not row["is_total"] else what, None, frame.english),
                                  frame.unit)
        figures += figs[:1]
        parts.append(f"{row['year']}年{_kind_of(row)}{text}（{item_source(row).cite()}）")
    direction = "增加" if diff > 0 else "减少" if diff < 0 else "持平"
    figures.append(Figure(exact(abs(diff)), unit, f"{what}{late}年比{early}年{direction}", item_source(b)))
    text = f"{frame.bureaus[0].short}{what}：{parts[0]}，{parts[1]}；{late}年比{early}年{direction}{show(abs(diff), unit)}"
    if GROWTH_WORDS.search(frame.question) and result["earlier_fen"]:
        rate = (Decimal(result["difference_fen"]) * 100 / Decimal(result["earlier_fen"])).quantize(
            Decimal("0.0001"), ROUND_HALF_UP)
        figures.append(Figure(exact(rate), "%", f"{what}{late}年比{early}年增长率", item_source(b)))
        text += f"，{'增长' if rate >= 0 else '下降'}{show(abs(rate), '%')}"
    answer = Answer("answered", text + "。", figures)
    answer.series = [{"year": r["year"], "value": f.value, "unit": f.unit, "label": f.label}
                     for r, f in zip(rows, figures[:2])]
    return answer


def _stated_years_change(frame: Frame, stated: list[tuple[int, Figure]], rows: list) -> Answer:
    """Two years' figures each stated only in its document's text (机关运行经费 …): the change
    in exact decimals, both sentences cited."""
    (early, a), (late, b) = stated
    unit = frame.unit or "万元"
    first, second = (value_in_unit(f, unit) for f in (a, b))
    diff = second - first
    what = subject_label(frame)
    direction = "增加" if diff > 0 else "减少" if diff < 0 else "持平"
    parts = [f"{year}年{show(v, unit)}（{f.source.cite()}）" for (year, f), v in zip(stated, (first, second))]
    figures = [Figure(exact(first), unit, f"{a.label}", a.source), Figure(exact(second), unit, f"{b.label}", b.source),
               Figure(exact(abs(diff)), unit, f"{what}{late}年比{early}年{direction}", b.source)]
    text = f"{frame.bureaus[0].short}{what}：{parts[0]}，{parts[1]}；{late}年比{early}年{direction}{show(abs(diff), unit)}"
    if GROWTH_WORDS.search(frame.question) and first:
        rate = (diff * 100 / first).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        figures.append(Figure(exact(rate), "%", f"{what}{late}年比{early}年增长率", b.source))
        text += f"，{'增长' if rate >= 0 else '下降'}{show(abs(rate), '%')}"
    answer = Answer("answered", text + "。", figures)
    answer.series = [{"year": y, "value": f.value, "unit": f.unit, "label": f.label} for y, f in zip((early, late), figures)]
    return answer


def value_in_unit(figure: Figure, unit: str) -> Decimal:
    """A money figure's value in `unit` (元, 万元, 亿元), exact."""
    return Decimal(figure.value) * FEN_PER_UNIT[figure.unit] / FEN_PER_UNIT[unit]


def previous_year_change(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """"2025年基本工资比上年增长多少" when the text states no such change: the body's figure in
    the year asked against its figure in the year before, both from the loaded tables
    (year_change). A previous year that is not loaded is named, with the years that are;
    None when the question names no single body and year to count back from."""
    if len(frame.bureaus) != 1 or frame.year is None:
        return None
    bureau, year = frame.bureaus[0], frame.year
    asked = [d for d in documents if d.year == year and d.issuer == bureau.issuer]
    kinds = {d.kind for d in asked}
    before = [d for d in bureau.documents if d.year == year - 1 and (not kinds or d.kind in kinds)
              and all(getattr(d, key) == value for key, value in frame.document_filter.items())]
    if not asked:
        return None
    if not before:
        loaded = "、".join(sorted({f"{d.year}年" for d in bureau.documents if d.year}))
        return Answer("no_data", say(frame, f"说明中没有写{subject_label(frame)}与上年相比的变化，也没有载入{bureau.issuer}"
                                            f"{year - 1}年的预算（已载入：{loaded}），无法计算{year}年比上年的变化。",
                                     f"The text states no change and {bureau.issuer}'s {year - 1} budget is not loaded."))
    return year_change(replace(frame, years=[year - 1, year], year=None, kind_by_year={}), asked + before, trace)


def _is_year_ratio(frame: Frame, documents: list[Document]) -> bool:
    return len(frame.years) == 2 and len(frame.bureaus) == 1 and frame.intent == "ratio" \
        and bool(_by_year(frame, documents))


def year_ratio(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """"2025年基本工资是2024年的多少倍 / 占2024年的百分之几": the year written first over the
    other, both table figures, the ratio in SQL."""
    written = [int(y) for y in re.findall(r"(?:19|20)\d{2}", frame.read)]
    part = written[0] if written and written[0] in frame.years else frame.years[-1]
    whole = next(y for y in frame.years if y != part)
    by_year = _by_year(frame, documents)
    gap = not_loaded(frame, by_year, [part, whole], f"{part}年与{whole}年之比")
    if gap:
        return gap
    rows = []
    for year in (part, whole):
        one = lookup(replace(frame, year=year, years=[], series=False, intent="lookup"), by_year[year], trace)
        item = next((f for f in one.figures if f.source.ref_kind == "item" and f.source.item_id), None)
        found = queries.items_by_id(trace, [item.source.item_id]) if one.status == "answered" and item else []
        if not found:
            return Answer("no_data", say(frame, f"{frame.bureaus[0].short}{year}年的预算中没有找到{subject_label(frame)}（表格中的数），"
                                                f"无法计算{part}年与{whole}年之比。", f"No table figure for {year}."))
        rows.append(found[0])
    a, b = rows
    result = trace.run("SELECT a.amount_fen AS part_fen, b.amount_fen AS whole_fen FROM items_v a, items_v b "
                       "WHERE a.item_id = ? AND b.item_id = ?", (a["item_id"], b["item_id"]), main=True)[0]
    what = subject_label(frame)
    if not result["whole_fen"]:
        return Answer("no_data", say(frame, f"{whole}年的{what}为零，无法计算比例。", f"{what} is zero in {whole}."))
    times = "倍" in frame.question
    ratio = Decimal(result["part_fen"]) / Decimal(result["whole_fen"]) * (1 if times else 100)
    ratio = ratio.quantize(Decimal("0.0001"), ROUND_HALF_UP)
    unit = "倍" if times else "%"
    figures, parts = [], []
    for row in rows:
        figs, text = item_figures(row, label_for(row, row["name"] if not row["is_total"] else what, None, frame.english),
                                  frame.unit)
        figures += figs[:1]
        parts.append(f"{row['year']}年{_kind_of(row)}{text}（{item_source(row).cite()}）")
    figures.append(Figure(exact(ratio), unit, f"{what}{part}年与{whole}年之比", item_source(a)))
    said = f"{ratio.quantize(Decimal('0.01'), ROUND_HALF_UP)}倍" if times else show(ratio, "%")
    return Answer("answered", say(frame, f"{frame.bureaus[0].short}{what}：{parts[0]}，{parts[1]}；{part}年是{whole}年的{said}。",
                                  f"{what}: {part} is {said} of {whole}."), figures)


def _kind_of(row: dict[str, Any]) -> str:
    """'决算' for a row of final accounts, '' for a budget (the default)."""
    return "决算" if "决算" in (row.get("document") or "") else ""


def _is_year_average(frame: Frame, documents: list[Document]) -> bool:
    return bool(frame.average) and len(frame.bureaus) == 1 and frame.series and len(_by_year(frame, documents)) >= 2


def year_average(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """"2022到2025年年均增长率", "年均增长多少", "平均每年多少": each year's table figure as the
    series resolver finds it, then the average in SQL over those rows — the compound annual
    rate (last ÷ first)^(1/years) − 1, the yearly change (last − first) ÷ years, or the mean
    of the years loaded. A year asked but not loaded is named instead of averaging without it."""
    by_year = _by_year(frame, documents)
    years = _years_asked(frame, by_year)
    missing = [y for y in years if y not in by_year] if frame.years else []
    if frame.average != "mean":  # a growth needs its two ends only
        missing = [y for y in missing if y in (years[0], years[-1])]
    years = [y for y in years if y in by_year]
    who, what = frame.bureaus[0].short, subject_label(frame)
    if missing or len(years) < 2:
        loaded = "、".join(f"{y}年" for y in by_year)
        gone = "、".join(f"{y}年" for y in missing) or "两个以上年份"
        return Answer("no_data", say(frame, f"已载入的预算中没有{who}{gone}的预算（已载入：{loaded}），无法计算{what}的年均数。",
                                     f"{who}: {gone} not loaded; the average cannot be computed."))
    rows, figures, parts = [], [], []
    for year in years:
        one = lookup(replace(frame, year=year, years=[], series=False, intent="lookup", average=None), by_year[year], trace)
        item = next((f for f in one.figures if f.source.ref_kind == "item" and f.source.item_id), None)
        found = queries.items_by_id(trace, [item.source.item_id]) if one.status == "answered" and item else []
        if not found:
            return Answer("no_data", say(frame, f"{who}{year}年的预算中没有找到{what}（表格中的数），无法计算年均数。",
                                         f"No table figure for {what} in {year}; no average."))
        row = found[0]
        rows.append(row)
        figs, text = item_figures(row, label_for(row, row["name"] if not row["is_total"] else what, None, frame.english),
                                  frame.unit)
        figures += figs[:1]
        parts.append(f"{row['year']}年{_kind_of(row)}{text}（{item_source(row).cite()}）")
    ids = [r["item_id"] for r in rows]
    first, last = rows[0], rows[-1]
    result = trace.run(f"SELECT SUM(amount_fen) AS sum_fen, COUNT(*) AS n, "
                       f"(SELECT amount_fen FROM items_v WHERE item_id = ?) AS first_fen, "
                       f"(SELECT amount_fen FROM items_v WHERE item_id = ?) AS last_fen "
                       f"FROM items_v WHERE item_id IN ({', '.join('?' for _ in ids)})",
                       (first["item_id"], last["item_id"], *ids), main=True)[0]
    span = years[-1] - years[0]
    unit = frame.unit or "万元"
    head = f"{who}{what}：{'，'.join(parts)}；"
    if frame.average == "mean":
        value = Decimal(result["sum_fen"]) / Decimal(result["n"]) / _fen_per(unit)
        label = f"{what}{years[0]}年至{years[-1]}年已载入{result['n']}年的平均数"
        tail = f"已载入的{result['n']}个年份（{'、'.join(f'{y}年' for y in years)}）平均每年{show(value, unit)}"
        figures.append(Figure(exact(value.quantize(Decimal('0.000001'), ROUND_HALF_UP)), unit, label, item_source(last)))
    elif frame.average == "growth":
        value = (Decimal(result["last_fen"]) - Decimal(result["first_fen"])) / span / _fen_per(unit)
        direction = "增加" if value >= 0 else "减少"
        tail = f"{years[0]}年至{years[-1]}年共{span}年，平均每年{direction}{show(abs(value), unit)}"
        figures.append(Figure(exact(value.quantize(Decimal('0.000001'), ROUND_HALF_UP)), unit,
                              f"{what}{years[0]}年至{years[-1]}年年均增长额", item_source(last)))
    else:
        if not result["first_fen"] or result["last_fen"] / result["first_fen"] <= 0:
            return Answer("no_data", say(frame, f"{who}{what}{years[0]}年为零或与{years[-1]}年符号不同，年均增长率无法计算。",
                                         f"The annual growth rate of {what} cannot be computed."))
        ratio = Decimal(result["last_fen"]) / Decimal(result["first_fen"])
        rate = ((ratio ** (Decimal(1) / span) - 1) * 100).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        direction = "增长" if rate >= 0 else "下降"
        tail = (f"{years[0]}年至{years[-1]}年共{span}年，年均{direction}{show(abs(rate), '%')}"
                f"（按（{years[-1]}年÷{years[0]}年）的{span}次方根减1计算）")
        figures.append(Figure(exact(rate), "%", f"{what}{years[0]}年至{years[-1]}年年均增长率", item_source(last)))
    unlisted = [y for y in range(years[0], years[-1] + 1) if y not in years] if frame.average == "mean" else []
    note = f"（{'、'.join(f'{y}年' for y in unlisted)}的预算没有载入，不在平均之内）" if unlisted else ""
    answer = Answer("answered", say(frame, head + tail + note + "。", f"{who} {what}: {tail}."), figures)
    answer.series = [{"year": r["year"], "value": f.value, "unit": f.unit, "label": f.label} for r, f in zip(rows, figures)]
    return answer


# --- lists -----------------------------------------------------------------------------------

def _is_indicator_list(frame: Frame, documents: list[Document]) -> bool:
    return frame.wants_indicator and bool(LIST_WORDS.search(frame.question)) and not names_of(frame, "indicator")


def indicator_list(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """The indicators of the project named (or of every project of the documents), grouped by project."""
    projects = names_of(frame, "project")
    if projects:
        rows = queries.project_indicators(trace, _doc_ids(documents), projects)
    else:
        rows = trace.run("SELECT indicator_id, doc_id, document, issuer, year, table_id, source_table, page, line, "
                         "row_no, project, level1, level2, name, operator, value_text, value_num, value_unit "
                         f"FROM indicators_v WHERE doc_id IN ({', '.join('?' for _ in documents)}) "
                         "ORDER BY doc_id, table_id, row_no", tuple(_doc_ids(documents)), main=True)
    if not rows:
        return None
    figures, groups_text = [], {}
    for row in rows[:SHOWN]:
        value = (row["operator"] if row["operator"] and row["operator"] != "定性" and
                 not (row["value_text"] or "").startswith(row["operator"]) else "") + (row["value_text"] or "")
        groups_text.setdefault((row["project"], row["document"], row["source_table"]), []).append(
            f"{row['name']} {value}（第{row['row_no']}行）" if row["row_no"] else f"{row['name']} {value}")
        if row["value_num"] is not None:
            label = label_for(row, f"“{row['project']}”的指标“{row['name']}”" if row["project"] else row["name"], None)
            figures.append(Figure(exact(Decimal(row["value_num"])), row["value_unit"] or "", label, item_source(row)))
    lines = [f"【{project or '部门整体'}】" + "；".join(items) + f"（《{document}》{table}）"
             for (project, document, table), items in groups_text.items()]
    count = len(rows)
    groups = len({r["project"] for r in rows})
    more = f"（以上列出前{SHOWN}项）" if count > SHOWN else ""
    head = f"共{count}项绩效指标" + (f"，分属{groups}个项目" if groups > 1 else "") + f"{more}："
    figures.insert(0, Figure(Decimal(count), "项", "绩效指标数", item_source(rows[0])))
    return Answer("answered", head + "".join(lines) + "。", figures)


def _is_project_list(frame: Frame, documents: list[Document]) -> bool:
    return frame.wants_project and not frame.wants_indicator and bool(LIST_WORDS.search(frame.question)) \
        and not names_of(frame, "project") and not frame.subjects


def project_list(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """The projects each document lists (its project table first), with amounts and a count."""
    figures, parts = [], []
    for doc in documents:
        rows = trace.run("SELECT project_id, doc_id, document, issuer, year, table_id, source_table, page, line, "
                         "row_no, name, amount_fen, unit, table_kind FROM projects_v WHERE doc_id = ? "
                         "ORDER BY table_kind <> 'project', table_id, row_no", (doc.doc_id,), main=True)
        if not rows:
            continue
        kind = rows[0]["table_kind"]
        seen: dict[str, dict[str, Any]] = {}
        for r in rows:
            if r["table_kind"] == kind and r["name"] not in seen:
                seen[r["name"]] = r
        listed = list(seen.values())
        lines = []
        figures.append(Figure(Decimal(len(listed)), "个", f"{doc.title}项目数", item_source(listed[0])))
        for r in listed[:SHOWN]:
            if r["amount_fen"] is not None:
                figs, text = item_figures(r, label_for(r, f"“{r['name']}”项目", None), frame.unit)
                figures += figs[:1]
                lines.append(f"{r['name']} {text}")
            else:
                lines.append(r["name"])
        more = f"（以上列出前{SHOWN}个）" if len(listed) > SHOWN else ""
        parts.append(f"《{doc.title}》{listed[0]['source_table']}列出{len(listed)}个项目{more}：" + "；".join(lines)
                     + f"。来源：{item_source(listed[0]).cite()}起各行。")
    if not parts:
        return None
    return Answer("answered", "".join(parts), figures)


PROJECTS_ASKED = re.compile(r"(的|个)项目|项目(是|有|的金额|金额)|哪个项目|哪一个项目|哪些项目")
TOP_N = re.compile(r"前\s*(\d+)|(\d+)\s*个项目|([一二三四五六七八九十])个项目")
RANKED_SHOWN = 5  # projects named by a ranking unless the question asks for another number


def _is_project_rank(frame: Frame, documents: list[Document]) -> bool:
    """"青海省医疗保障局2021年哪个项目的金额最多", "项目支出最多的项目是哪个": the projects ranked,
    not the 项目支出 total; a ranking across bodies ("哪个单位的项目支出最多") is not this."""
    return frame.intent == "rank" and bool(frame.bureaus) and not frame.subjects \
        and not names_of(frame, "project") and bool(PROJECTS_ASKED.search(frame.question))


def project_rank(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """Each document's projects by amount, in SQL, from its project table (else its performance
    table): the first few, each cited, and how many were ranked."""
    m = TOP_N.search(frame.question)
    limit = int(m.group(1) or m.group(2)) if m and (m.group(1) or m.group(2)) else \
        ("一二三四五六七八九十".index(m.group(3)) + 1 if m and m.group(3) else RANKED_SHOWN)
    order = "DESC" if frame.descending else "ASC"
    figures, parts = [], []
    for doc in documents:
        rows = trace.run(
            "SELECT project_id, doc_id, document, issuer, year, table_id, source_table, page, line, row_no, name, "
            "amount_fen, unit, table_kind, count(*) OVER () AS ranked FROM projects_v WHERE doc_id = ? "
            "AND amount_fen IS NOT NULL AND table_kind = (SELECT table_kind FROM projects_v WHERE doc_id = ? "
            "AND amount_fen IS NOT NULL ORDER BY table_kind <> 'project' LIMIT 1) "
            f"ORDER BY amount_fen {order}, row_no LIMIT {int(limit)}", (doc.doc_id, doc.doc_id), main=True)
        if not rows:
            continue
        lines = []
        for k, r in enumerate(rows, 1):
            figs, text = item_figures(r, label_for(r, f"“{r['name']}”项目", None), frame.unit)
            figures += figs[:1]
            lines.append(f"{k}. {r['name']} {text}（{item_source(r).cite()}）")
        word = "最多" if frame.descending else "最少"
        parts.append(f"《{doc.title}》{rows[0]['source_table']}的{rows[0]['ranked']}个项目中，金额{word}的是"
                     f"“{rows[0]['name']}”：" + "；".join(lines) + "。")
    if not parts:
        return None
    return Answer("answered", "".join(parts), figures)


RESOLVERS: list[Resolver] = [
    Resolver("year_average", _is_year_average, year_average),
    Resolver("year_change", _is_year_change, year_change),
    Resolver("series_change", _is_series_change, series_change),
    Resolver("year_ratio", _is_year_ratio, year_ratio),
    Resolver("series", _is_series, series),
    Resolver("series_each", _is_series_each, series_each),
    Resolver("indicator_list", _is_indicator_list, indicator_list),
    Resolver("project_list", _is_project_list, project_list),
    Resolver("project_rank", _is_project_rank, project_rank),
]


def resolve(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """The answer of the first resolver that applies and answers, marked with its name."""
    for resolver in RESOLVERS:
        if resolver.applies(frame, documents):
            answer = resolver.answer(frame, documents, trace)
            if answer is not None:
                answer.resolver = resolver.name
                return answer
    return None
