"""Lookup: a figure (科目, 项目, 指标, text figure, a table's total) per document, the most
specific table cited, other tables and the text compared."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz

from db.glossary import glossary

from .. import queries
from ..answer import Answer, Figure
from ..compose import (MONEY, exact, item_figures, item_source, label_for, show, text_source, text_states,
                       text_value)
from ..lexicon import Document, Match
from ..queries import Trace
from ..text import squash
from ..understand import Frame
from .common import (GENERIC_TOTALS, _doc_ids, _entities, _not_found, codes_of, find_items,
                     names_of, say, subject_label, uncertain_note)
from .final import blank_column, column_subjects, in_column, in_the_column_asked
from .funds import empty_fund_tables, fund_named, fund_rows
from .side_codes import side_code_total

LAST_YEAR = "上年预算数"  # the measure of last year's column
WANTS_MONEY = re.compile(r"资金|金额|多少钱|花了|经费|万元|(?<!\d)元")  # the question asks for money

def lookup(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    if frame.side_code:  # 50101 printed beside 30101, 30102, 30103: the sum of the rows that carry it
        answer = side_code_total(frame, documents, trace)
        if answer:
            return answer
    if frame.other_measure:  # "基本支出和项目支出分别是多少": each column in turn
        answers = [lookup(replace(frame, measure=m, other_measure=None), documents, trace)
                   for m in (frame.measure, frame.other_measure)]
        found = [a for a in answers if a.status == "answered"]
        if not found:
            return answers[0]
        return Answer("answered", "".join(a.answer for a in answers), [f for a in found for f in a.figures],
                      warnings=[w for a in answers for w in a.warnings])
    fund = fund_named(frame)
    if fund:  # 政府性基金预算…: that fund's own tables, or what they say about being empty
        rows = fund_rows(frame, documents, trace, fund[0])
        return _answer_items(frame, rows, trace) if rows else empty_fund_tables(frame, documents, trace, *fund)
    wants_other = (frame.wants_indicator and names_of(frame, "indicator")) or _indicator_named_alone(frame) or (
        frame.wants_project and names_of(frame, "project") and not codes_of(frame))
    if any(d.kind == "决算" for d in documents):
        frame = in_the_column_asked(frame)
    in_a_column = column_subjects(frame, documents)
    if in_a_column:  # "…支出年初预算" in a 决算: the text names the row and its column
        answer = _answer_text(replace(frame, subjects=in_a_column), documents, trace, ("amount",))
        if answer.status == "answered":
            return answer
    in_a_table_column = None if wants_other or frame.measure else _line_in_a_column(frame, documents, trace)
    if in_a_table_column:  # "行政运行的工资福利支出": the cell of that row in that column
        frame, rows = in_a_table_column
        return _answer_items(frame, rows, trace)
    inner = None if wants_other else _line_within(frame, documents, trace)
    if inner and inner[1] is None:
        return _part_not_printed(frame, documents)
    if inner:  # "三公经费中公务用车购置及运行费": the line inside the one named first, not both
        frame, rows = inner
        return _answer_items(frame, rows, trace)
    rows = [] if wants_other else find_items(frame, documents, trace)
    if rows:
        return _answer_items(frame, rows, trace)
    blank = None if wants_other else blank_column(frame, documents, trace)
    if blank:
        return blank
    if names_of(frame, "indicator") and (frame.wants_indicator or not names_of(frame, "project")
                                         or _indicator_named_alone(frame)):
        return _answer_indicators(frame, documents, trace)
    if frame.wants_indicator and names_of(frame, "project") and not names_of(frame, "indicator"):
        answer = _indicator_of_project(frame, documents, trace)
        if answer:
            return answer
    if names_of(frame, "project"):
        answer = _answer_projects(frame, documents, trace)
        if answer.status == "answered":
            return answer
    if names_of(frame, "indicator"):
        return _answer_indicators(frame, documents, trace)
    if frame.measure and not frame.subjects:
        # 部门整体支出绩效目标表 lists 基本支出 / 项目支出 as its tasks with their amounts
        as_task = _answer_projects(replace(frame, subjects=[Match(0, 0, frame.measure, "project", {frame.measure})]),
                                   documents, trace)
        if as_task.status == "answered":
            return as_task
    if frame.subjects and frame.measure and frame.measure not in glossary()["default_measures"]["measures"] \
            and frame.measure != LAST_YEAR \
            and not any(frame.measure.removesuffix("数") in n for n in names_of(frame, "text")):
        # "一般公共服务支出的年初预算" where no table prints that column: the text states the line's
        # own amount, which is not the column asked — say what is missing, never give that amount
        return _column_not_found(frame, documents)
    if names_of(frame, "text") or frame.measure:
        return _answer_text(frame, documents, trace, ("amount", "count"))
    if names_of(frame, "table"):
        return _answer_table_total(frame, documents, trace)
    return _not_found(frame, documents)


def _line_in_a_column(frame: Frame, documents: list[Document], trace: Trace):
    """"拉萨医保局行政运行的工资福利支出": two lines written one after the other (or joined by
    的 / 中的), where a table prints the second as a column beside the first (支出总表: 行政运行 |
    工资福利支出 793.93), ask for that cell — not for the two lines' own totals.
    (frame with the column as its measure, rows) or None."""
    lines = sorted((m for m in frame.subjects if m.kind in ("item", "code")), key=lambda m: m.start)
    read = frame.read
    for first, second in zip(lines, lines[1:]):
        if second.start < first.end or not re.fullmatch(r"(?:中的|里的|的|中)?", read[first.end:second.start]):
            continue
        cell = replace(frame, subjects=[m for m in frame.subjects if (m.start, m.end) == (first.start, first.end)])
        for column in sorted(second.names, key=len, reverse=True):
            rows = find_items(replace(cell, measure=column), documents, trace)
            if rows:
                return replace(cell, measure=column), rows
    return None


def _line_within(frame: Frame, documents: list[Document], trace: Trace):
    """"A中B", "A中的B", "A里的B": B is asked, A only says where it sits. (frame, rows) of B, or None."""
    lines = sorted((m for m in frame.subjects if m.kind in ("item", "code", "text")), key=lambda m: m.start)
    for first, second in zip(lines, lines[1:]):
        if second.start < first.end or not re.fullmatch(r"(?:支出|费用?|经费|资金)?(?:中的?|里的?|其中)",
                                                        frame.read[first.end:second.start]):
            continue
        inner = replace(frame, subjects=[m for m in frame.subjects if m.start >= second.start])
        rows = find_items(inner, documents, trace)
        if not rows:
            continue
        # B as printed inside A: in A's own table (the 三公 table's 公务接待费) and under A's code
        outer_rows = find_items(replace(frame, subjects=[m for m in frame.subjects if m.start < second.start]),
                                documents, trace)
        tables = {r["table_id"] for r in outer_rows}
        codes = {r["code"] for r in outer_rows if r["code"]}
        coded = [r for r in rows if r["code"]]
        if codes and coded and len(coded) == len(rows) \
                and not any(r["code"].startswith(c) for r in coded for c in codes):
            return inner, None  # 案件审判（2040504）中的差旅费（30211）: no table prints that part of that line
        inside = [r for r in rows if r["table_id"] in tables]
        return inner, inside or rows
    return None


def _part_not_printed(frame: Frame, documents: list[Document]) -> Answer:
    where = "、".join(f"《{d.title}》" for d in documents[:3])
    words = frame.read[min(m.start for m in frame.subjects):max(m.end for m in frame.subjects)]
    return Answer("no_data", say(frame, f"{where}没有印出“{words}”这个数：后一项不是前一项下面的一行，"
                                        "表格里没有两者交叉的数，两项各自的金额都不是所问的数。",
                                 f"{where} prints no figure for '{words}': the second line is not part of the first."))


def _as_typed(frame: Frame, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"收入支出总计" also reads as 财政拨款收入支出 (a money source is dropped when matching), but a
    document whose text states the subject under the very words asked answers with that one only:
    the qualified subject (财政拨款…) is another figure."""
    typed = {squash(frame.read[m.start:m.end]) for m in frame.subjects if m.kind == "text"}
    if not typed:
        return rows
    out = []
    for doc_id in dict.fromkeys(r["doc_id"] for r in rows):
        mine = [r for r in rows if r["doc_id"] == doc_id]
        out += [r for r in mine if squash(r["subject"] or "") in typed] or mine
    return out


def _column_not_found(frame: Frame, documents: list[Document]) -> Answer:
    where = "、".join(f"《{d.title}》" for d in documents[:3])
    line = subject_label(frame)
    return Answer("no_data", say(frame, f"在{where}中没有找到“{line}”的{frame.measure}（没有表格印出它这一列的数），"
                                        f"无法给出数字；{line}本身的金额不是所问的数。",
                                 f"No {frame.measure} of '{line}' in {where}: no table prints that column for it."))


def _indicator_named_alone(frame: Frame) -> bool:
    """"系统运维服务费的驻场工程师人数", "医保信息化建设技术点位": words that name only a performance
    indicator say what is asked; the project (or 科目) beside them says whose target it is."""
    other_spans = {(m.start, m.end) for m in frame.subjects if m.kind != "indicator"}
    return any(m.kind == "indicator" and (m.start, m.end) not in other_spans for m in frame.subjects)


def _answer_table_total(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    rows = queries.table_totals(trace, _doc_ids(documents), names_of(frame, "table"))
    if not rows:
        return _not_found(frame, documents)
    figures, sentences, seen = [], [], set()
    for row in rows:
        if row["table_id"] in seen:
            continue
        seen.add(row["table_id"])
        label = label_for(row, row["source_table"].removesuffix("表"), None, frame.english)
        label += "合计" if row["measure"] == "合计" else row["measure"]
        figs, text = item_figures(row, label, frame.unit)
        figures += figs
        sentences.append(say(frame, f"{label}为{text}。来源：{item_source(row).cite()}。",
                             f"{label}: {text}. Source: {item_source(row).cite(True)}."))
    return Answer("answered", "".join(sentences), figures)


def _answer_items(frame: Frame, rows: list[dict[str, Any]], trace: Trace) -> Answer:
    figures: list[Figure] = []
    sentences: list[str] = []
    warnings: list[str] = []
    measure = frame.measure
    entities = _entities(rows)
    names = [(doc_id, group[0]["name"]) for (doc_id, _), group in entities.items()]
    for (_, key), group in entities.items():
        best = group[0]
        generic_total = best["is_total"] and best["name"] in GENERIC_TOTALS
        if generic_total:
            name = measure or "合计"
        elif best["is_total"] and measure:
            name = f"{measure}（{best['name']}行）"
        else:
            name = best["name"]
        in_name = measure and best["name"].startswith(measure)  # the row '人员经费合计' is the measure
        label = label_for(best, name, measure if not best["is_total"] and not in_name else None, frame.english)
        code = f"（{best['code']}）" if best["code"] else ""
        if code and names.count((best["doc_id"], best["name"])) > 1:
            # 住房公积金 is both 2210201 (function) and 30113 (economic): the label tells them apart
            label, code = label + _classified(best, frame.english), ""
        figs, text = item_figures(best, label, frame.unit)
        figures += figs
        others = [r for r in group[1:] if r["amount_fen"] == best["amount_fen"] and r["table_id"] != best["table_id"]]
        # Compare like with like: the 合计 of a basic-expenditure table is only the 基本 part, a
        # 财政拨款 table only the appropriations.
        # …and a table never prints one item twice: a second row of the same name in the same
        # table is another item (一般公共预算财政拨款 under 年初结转和结余), not a contradiction.
        differing = [r for r in group[1:] if r["amount_fen"] != best["amount_fen"] and not r["uncertain"]
                     and _same_scope(r, best) and r["table_id"] != best["table_id"]]
        also = ""
        if others:
            also = "；另见" + "、".join(sorted({r["source_table"] for r in others})) + "，数值相同"
        sentences.append(say(frame, f"{label}{code}为{text}。来源：{item_source(best).cite()}{also}。",
                             f"{label}{code}: {text}. Source: {item_source(best).cite(True)}. "))
        for other in differing:
            ofigs, otext = item_figures(other, label + "（另表）", frame.unit)
            figures += ofigs
            sentences.append(say(frame, f"但{item_source(other).cite()}中为{otext}，两处不一致。",
                                 f"But {item_source(other).cite(True)} gives {otext}: the two differ."))
            warnings.append(f"{label}在同一文档的两张表中数值不同：{text} 与 {otext}。")
        if best["uncertain"]:
            warnings.append(f"{label}：{uncertain_note(best)}")
    _compare_with_text(frame, rows, trace, figures, sentences, warnings)
    return Answer("answered", "".join(sentences), figures, warnings=warnings)


CLASSIFICATIONS = {"function": ("功能分类", "function"), "dept_economic": ("经济分类", "economic"),
                   "gov_economic": ("政府经济分类", "government economic")}


def _classified(row: dict[str, Any], english: bool) -> str:
    """（功能分类2210201）: the code, and which classification it is in when that is known."""
    zh, en = CLASSIFICATIONS.get(row["classification"], ("", ""))
    return f" ({en + ' ' if en else ''}{row['code']})" if english else f"（{zh}{row['code']}）"


def _same_scope(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["table_kind"] == b["table_kind"] and all(
        (word in a["source_table"]) == (word in b["source_table"]) for word in ("财政拨款", "一般公共预算", "基本"))


def _compare_with_text(frame: Frame, rows: list[dict[str, Any]], trace: Trace, figures: list[Figure],
                       sentences: list[str], warnings: list[str]) -> None:
    """The same subject stated in the explanatory text with another value: show both. The text
    states this year's amounts and a row's total, so last year's column and a row's 基本支出 /
    项目支出 column are not compared with them."""
    subjects = names_of(frame, "text", "item") or ([frame.measure] if frame.measure else [])
    if not subjects or frame.measure == LAST_YEAR:
        return
    if frame.measure not in (None, "合计") and names_of(frame, "text", "item"):
        return  # the text states a row's total: its 基本支出 or 项目支出 column is another number
    doc_ids = sorted({r["doc_id"] for r in rows})
    stated = queries.text_figures(trace, doc_ids, subjects, ("amount",), codes_of(frame))
    for fig in stated:
        value, unit = text_value(fig, frame.unit)
        if unit not in MONEY:
            continue
        if any(r["doc_id"] == fig["doc_id"] and text_states(fig, r["amount_fen"]) for r in rows):
            continue
        label = f"{fig['issuer']}说明中的{fig['subject']}"
        figures.append(Figure(exact(value), unit, label, text_source(fig)))
        sentences.append(say(frame, f"说明中写作{show(value, unit)}（{text_source(fig).cite()}），与表格数不一致。",
                             f"The explanatory text states {show(value, unit)} ({text_source(fig).cite(True)}), "
                             "which differs from the table."))
        warnings.append(f"{fig['subject']}：说明写{fig['value']}{fig['unit']}，表格为另一数值。")


def _answer_projects(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    rows = queries.projects(trace, _doc_ids(documents), names_of(frame, "project"))
    if not rows:
        return _not_found(frame, documents)
    figures, sentences, seen = [], [], set()
    for row in rows:
        key = (row["doc_id"], row["name"], row["amount_fen"])
        if key in seen:
            continue
        seen.add(key)
        label = label_for(row, f"“{row['name']}”项目", None, frame.english)
        figs, text = item_figures(row, label, frame.unit)
        figures += figs
        sentences.append(say(frame, f"{label}金额为{text}。来源：{item_source(row).cite()}。",
                             f"{label}: {text}. Source: {item_source(row).cite(True)}."))
    return Answer("answered", "".join(sentences), figures)


ASKING_WORDS = set("的是多少几个年度指标目标值要达到为有呢吗")


def _indicator_of_project(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """"城乡居民基本医疗保险补助资金覆盖人数指标": the project is named, its indicator only by some
    of its words. Each document's indicator of that project sharing most of the remaining words
    answers; None when no indicator of the project shares any."""
    projects = names_of(frame, "project")
    rows = queries.project_indicators(trace, _doc_ids(documents), projects)
    named = set("".join(projects)) | {ch for d in documents for ch in d.issuer}
    words = {ch for ch in frame.question if "\u4e00" <= ch <= "\u9fff"} - named - ASKING_WORDS
    best: dict[int, tuple[tuple[int, float], dict[str, Any]]] = {}
    for row in rows:
        fit = (len(words & set(row["name"])), fuzz.partial_ratio("".join(sorted(words)), row["name"]))
        if fit[0] and (row["doc_id"] not in best or fit > best[row["doc_id"]][0]):
            best[row["doc_id"]] = (fit, row)
    if not best:
        return None
    chosen = [row for _, row in best.values()]
    return _answer_indicators(replace(frame, subjects=[Match(0, 0, r["name"], "indicator", {r["name"]})
                                                       for r in chosen]), documents, trace, chosen)


def _answer_indicators(frame: Frame, documents: list[Document], trace: Trace,
                       chosen: list[dict[str, Any]] | None = None) -> Answer:
    rows = chosen or queries.indicators(trace, _doc_ids(documents), names_of(frame, "indicator"))
    if not rows:
        return _not_found(frame, documents)
    question = frame.question
    projects = [p for p in names_of(frame, "project") if p not in {r["name"] for r in rows}]
    if projects and chosen is None:
        # the project named picks among projects with this indicator; a project that has no such
        # indicator is said so, never answered with another project's target
        own = [r for r in rows if r["project"] in projects]
        if not own:
            return Answer("no_data", say(frame, f"“{'、'.join(projects)}”没有名为“{rows[0]['name']}”的绩效指标"
                                                f"（{len({r['project'] for r in rows})}个其他项目有）。",
                                         f"'{', '.join(projects)}' has no indicator '{rows[0]['name']}'."))
        rows = own
    elif names_of(frame, "project"):
        best_score = max(fuzz.partial_ratio(r["project"] or "", question) for r in rows)
        rows = [r for r in rows if fuzz.partial_ratio(r["project"] or "", question) >= best_score - 5]
    figures, sentences = [], []
    if len({r["project"] for r in rows}) > 1:  # one indicator name in several projects: each, counted
        sentences.append(say(frame, f"{len({r['project'] for r in rows})}个项目都有这个指标：",
                             f"{len({r['project'] for r in rows})} projects have this indicator: "))
    for row in rows[:8]:
        project = f"“{row['project']}”的" if row["project"] else ""
        label = label_for(row, f"{project}指标“{row['name']}”", None, frame.english)
        if row["value_num"] is not None:
            figures.append(Figure(exact(Decimal(row["value_num"])), row["value_unit"] or "", label,
                                  item_source(row)))
        op = row["operator"] if row["operator"] and row["operator"] not in ("定性",) else ""
        value = row["value_text"] or ""
        sentences.append(say(frame, f"{label}目标值为{op if op and not value.startswith(op) else ''}{value}。"
                                    f"来源：{item_source(row).cite()}。",
                             f"{label}: target {value}. Source: {item_source(row).cite(True)}."))
    return Answer("answered", "".join(sentences), figures)


def _answer_text(frame: Frame, documents: list[Document], trace: Trace, kinds: tuple[str, ...]) -> Answer:
    subjects = names_of(frame, "text") or ([frame.measure] if frame.measure else [])
    if frame.measure == LAST_YEAR and names_of(frame, "text"):
        return _last_year_from_text(frame, documents, trace, subjects)
    subjects += in_column(frame, documents, subjects)
    rows = _as_typed(frame, queries.text_figures(trace, _doc_ids(documents), subjects, kinds, codes_of(frame),
                                                 main=True))
    if not rows:
        return _not_found(frame, documents)
    if WANTS_MONEY.search(frame.question) and not any(r["unit"] in MONEY for r in rows):
        # "编报绩效目标的项目涉及多少资金": the subject is counted (25个); the money is the amount
        # the same sentence states ("…25个，涉及项目预算资金11,381.60万元")
        money = [m for r in rows for m in queries.same_sentence(trace, r) if m["unit"] in MONEY and m["kind"] == "amount"]
        rows = list({m["figure_id"]: m for m in money}.values()) or rows
    # One amount stated in two sections of one document is one figure, cited where first stated.
    same: dict[tuple, list[dict]] = {}
    for row in rows:
        same.setdefault((row["doc_id"], row["subject"], row["kind"], row["value"], row["unit"]), []).append(row)
    figures, sentences = [], []
    for row, *again in list(same.values())[:3]:
        value, unit = text_value(row, frame.unit)
        label = label_for(row, row["subject"], None, frame.english)
        figures.append(Figure(exact(value), unit, label, text_source(row)))
        # 37,151.47万元 asked in 元 is exact only to the 百元 the text printed: say what it printed
        printed = "" if unit == row["unit"] else f"（说明原文为{show(Decimal(row['value']), row['unit'], printed=True)}）"
        also = "、".join(dict.fromkeys(f"“{r['section']}”" for r in again if r["section"] and r["section"] != row["section"]))
        also_zh = f"；另见说明{also}，数值相同" if also else ""
        also_en = f"; also stated in {also}" if also else ""
        sentences.append(say(frame, f"{label}为{show(value, unit)}{printed}。来源：{text_source(row).cite()}{also_zh}。",
                             f"{label}: {show(value, unit)}. Source: {text_source(row).cite(True)}{also_en}."))
    return Answer("answered", "".join(sentences), figures)


def _last_year_from_text(frame: Frame, documents: list[Document], trace: Trace, subjects: list[str]) -> Answer:
    """Last year's figure when no table prints it: the text's amount less its stated change
    ("9.82万元，比上年减少2.08万元" → 11.90万元), with both printed figures cited."""
    rows = queries.text_figures(trace, _doc_ids(documents), subjects, ("amount", "change"), codes_of(frame), main=True)
    figures, sentences = [], []
    for amount in (r for r in rows if r["kind"] == "amount" and r["unit"] in MONEY):
        change = next((r for r in rows if r["kind"] == "change" and r["sentence"] == amount["sentence"]
                       and r["subject"] == amount["subject"] and r["compared_to"] == "上年" and r["unit"] in MONEY), None)
        if change is None:
            continue
        now, unit = text_value(amount, frame.unit)
        delta, _ = text_value(change, unit)
        before = now - delta
        label = label_for(amount, amount["subject"], None, frame.english)
        source = text_source(amount)
        figures += [Figure(exact(before), unit, f"{label}上年数（由说明推算）", source),
                    Figure(exact(now), unit, label, source), Figure(exact(delta), unit, f"{label}比上年增减", source)]
        sentences.append(say(frame, f"已载入的表格中没有{amount['subject']}的上年数；说明写本年{show(now, unit)}、比上年"
                                    f"{'减少' if delta < 0 else '增加'}{show(abs(delta), unit)}，即上年为{show(before, unit)}。"
                                    f"来源：{source.cite()}。",
                             f"No table prints last year's {amount['subject']}; the text states {show(now, unit)}, "
                             f"a change of {show(delta, unit)}, so last year was {show(before, unit)}. "
                             f"Source: {source.cite(True)}."))
        break
    if not figures:
        return _not_found(frame, documents)
    return Answer("answered", "".join(sentences), figures)


# --- across documents ----------------------------------------------------------------------
