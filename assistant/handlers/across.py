"""Across rows and documents: rank, sum, difference, share, and the rows under a 科目.
Arithmetic runs in SQL or in Decimal on integer 分, never on floats."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from db.glossary import glossary

from .. import queries
from ..answer import Answer, Figure
from ..compose import MONEY, exact, item_figures, item_source, label_for, show, text_fen, text_source, text_value
from ..lexicon import Document
from ..queries import Trace
from ..text import normalize_question, squash
from ..understand import WITHIN, Frame
from .common import (GENERIC_TOTALS, _doc_ids, codes_of, _entities, _fen_per, _not_found, _one_per_document,
                     find_items, names_of, subject_label, say, uncertain_note)
from .final import COMPLETION, completion_rate, in_column
from .lookup import lookup

# A ranking lists every department when there are at most RANK_LISTED; past that, the first
# RANK_SHOWN, and says how many were ranked.
RANK_LISTED = 20
RANK_SHOWN = 10
# "哪个单位的三公经费最多" asks for one department: past WHICH_LISTED ranked, it and the next
# WHICH_SHOWN - 1 are shown, and how many were ranked; "排名" / "从高到低排列" asks for them all.
WHICH_LISTED = 8
WHICH_SHOWN = 5
WHICH_ONE = re.compile(r"哪个|哪家|哪一|\bwhich\b", re.I)
WHOLE_RANKING = re.compile(r"排名|排序|排列|名次|列出|前\s*\d+|前[一二三四五六七八九十]+|\brank", re.I)


def rank(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    if len(frame.bureaus) == 1:  # "青海…商品和服务支出中哪一项最多": the rows under the 科目, ranked
        return _rank_children(frame, documents, trace)
    ranking = _ranking(frame, frame.descending)
    rows = find_items(frame, documents, trace, ranking)
    rows += _stated_only_in_text(frame, documents, trace, ranking)
    if not rows:
        return _not_found(frame, documents)
    kept = _once_per_body(rows, ranking.latest_per_body)
    ranked = trace.ranked - (len(rows) - len(kept))  # a body counted once
    rows = sorted(kept, key=lambda r: (r["amount_fen"], -r["doc_id"]), reverse=frame.descending)
    rows = rows[:RANK_LISTED if ranked <= RANK_LISTED else RANK_SHOWN]
    if WHICH_ONE.search(frame.question) and not WHOLE_RANKING.search(frame.question) and len(rows) > WHICH_LISTED:
        rows = rows[:WHICH_SHOWN]  # "哪个单位最多" of many: the one asked for and the next few, not all of them
    subject = subject_label(frame) + (frame.measure or "" if frame.subjects else "")
    figures, parts = [], []
    for k, row in enumerate(rows, 1):
        label = label_for(row, subject, None, frame.english)
        if "figure_id" in row:  # stated only in the explanatory text
            value, unit = text_value(row, frame.unit)
            source = text_source(row)
            figs, text = [Figure(exact(value), unit, label, source)], show(value, unit)
        else:
            source = item_source(row)
            figs, text = item_figures(row, label, frame.unit)
        figures += figs
        if frame.english:
            parts.append(f"{k}. {row['issuer']} ({row['year'] or 'year not stated'}) {text}, {source.cite(True)}")
        else:
            year = f"{row['year']}年" if row["year"] else "年份未注明"
            parts.append(f"{k}. {row['issuer']}（{year}）{text}，{source.cite()}")
    top = rows[0]
    word = "最多" if frame.descending else "最少"
    order = "从高到低" if frame.descending else "从低到高"
    first = say(frame, f"共{ranked}个单位，列出前{len(rows)}名", f"{ranked} ranked; the first {len(rows)}") \
        if ranked > len(rows) else ""
    head = say(frame, f"{subject}{word}的是{top['issuer']}。按{subject}{order}" + (f"（{first}）" if first else "") + "：",
               f"{'Highest' if frame.descending else 'Lowest'} {subject}: {top['issuer']}. Ranking"
               + (f" ({first})" if first else "") + ": ")
    head = _latest_note(frame, trace) + head
    answer = Answer("answered", head + ("; ".join(parts) + "." if frame.english else "；".join(parts) + "。"), figures)
    answer.warnings = [f"{r['issuer']}：{uncertain_note(r)}" for r in rows if r["uncertain"]]
    return answer


def _once_per_body(rows: list[dict[str, Any]], latest_only: bool) -> list[dict[str, Any]]:
    """One entry per body and year: the text half of a two-file budget restates what its tables
    half prints, so a figure stated only in the text of a body ranked by its table (same year,
    or with `latest_only` an older year) is dropped."""
    def outranks(other: dict[str, Any], row: dict[str, Any]) -> bool:
        if other is row or other["issuer"] != row["issuer"]:
            return False
        if other["year"] == row["year"]:
            return "figure_id" in row and "figure_id" not in other
        return latest_only and (other["year"] or 0) > (row["year"] or 0)
    return [r for r in rows if not any(outranks(o, r) for o in rows)]


def _stated_only_in_text(frame: Frame, documents: list[Document], trace: Trace,
                         ranking: queries.Ranking) -> list[dict[str, Any]]:
    """Documents whose tables lack the subject but whose text states it as an amount
    (财政局's 机关运行经费支出 184.65万元): ranked with the table figures, cited to the text."""
    subjects = names_of(frame, "text")
    if not documents or not subjects or frame.measure:
        return []
    doc_ids = _doc_ids(documents)
    found = []  # the queries find_items ran: a document with a table row is ranked by it
    if codes_of(frame) or names_of(frame, "item"):
        found.append(queries.items_sql(trace, doc_ids, codes_of(frame), names_of(frame, "item"), frame.measure))
    elif names_of(frame, "total"):
        found.append(queries.items_sql(trace, doc_ids, [], names_of(frame, "total"), frame.measure, total_rows=True))
    return [{**fig, "amount_fen": int(text_fen(fig)), "uncertain": 0}
            for fig in queries.text_amounts_ranked(trace, doc_ids, subjects, ranking, found)]


def _one_per_subject(frame: Frame, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The figure for each subject the question names, once: "运行费和购置费合计" adds two
    figures, not the 运行费 of the 三公 table and the same money as economic 30231 besides."""
    named: dict[str, set[str]] = {}  # the words asked → every stored name they match (item, text …)
    for match in sorted(frame.subjects, key=lambda m: m.start):
        named.setdefault(match.term, set()).update(match.names)
    picked: list[dict[str, Any]] = []
    for names in named.values():
        mine = [r for r in queries.best_first(rows) if r["code"] in names or r["name"] in names]
        if mine and all(mine[0]["item_id"] != p["item_id"] for p in picked):
            picked.append(mine[0])
    return picked if len(picked) == len(named) else [g[0] for g in _entities(rows).values()]


def measure_rows(frame: Frame, documents: list[Document], trace: Trace) -> list[dict[str, Any]]:
    """"人员经费比公用经费多多少": the row asked in each of the two columns named, in the order named
    (the document's total row when no subject is named). Empty unless two columns are asked of
    one document."""
    if not frame.other_measure or len(documents) != 1:
        return []
    rows = []
    for measure in (frame.measure, frame.other_measure):
        found = find_items(replace(frame, measure=measure, other_measure=None), documents, trace)
        if not found:
            return []
        best = next(iter(_entities(found).values()))[0]
        rows.append({**best, "name": measure if best["is_total"] else f"{best['name']}中的{measure}"})
    return rows


def total(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    by_measure = measure_rows(frame, documents, trace)
    if not by_measure and not frame.bureaus and len(documents) > 1:  # "各单位的基本工资合计"
        summed = _sum_over_departments(frame, documents, trace)
        if summed:
            return summed
    if not by_measure and len(documents) == 1 and len({n for m in frame.subjects for n in m.names}) <= 1:
        # "单位预算的公用经费合计", "项目支出一共多少": one figure, printed in several tables (or
        # in two classifications) — adding those copies would count it twice
        return lookup(frame, documents, trace)
    rows = by_measure or (_one_per_document(frame, find_items(frame, documents, trace)) if len(frame.bureaus) > 1
                          else _one_per_subject(frame, find_items(frame, documents, trace)))
    if len(rows) < 2:
        return lookup(frame, documents, trace)
    total_fen = queries.sum_items(trace, [r["item_id"] for r in rows])
    unit = frame.unit or "万元"
    figures, parts = [], []
    for row in rows:
        label = _operand_label(frame, row, bool(by_measure))
        figs, text = item_figures(row, label, frame.unit)
        figures += figs[:1]
        parts.append(f"{label}{text}（{item_source(row).cite()}）")
    value = Decimal(total_fen) / _fen_per(unit)
    names = list(dict.fromkeys(r["name"] for r in rows))  # 基本工资 + 津贴补贴: both named
    what = "、".join(names) if len(names) > 1 else subject_label(frame)
    label = "、".join(sorted({r["issuer"] for r in rows})) + what + ("" if what.endswith("合计") else "合计")
    figures.append(Figure(exact(value), unit, label, item_source(rows[0])))
    return Answer("answered", say(frame, f"{label}为{show(value, unit)}：" + " + ".join(parts) + "。",
                                  f"Total: {show(value, unit)} = " + " + ".join(parts) + "."), figures)


def difference(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    by_measure = measure_rows(frame, documents, trace)
    found = [] if by_measure else find_items(frame, documents, trace)
    rows = by_measure or (_one_per_document(frame, found) if len(frame.bureaus) > 1
                          else [g[0] for g in _entities(found).values()])
    if not by_measure and frame.other_measure:  # the second column stated only in a 决算's text
        rows = [g[0] for g in _entities(find_items(replace(frame, other_measure=None), documents, trace)).values()]
        subjects = names_of(frame, "text", "item")
        columns = in_column(replace(frame, measure=frame.other_measure), documents, subjects)
        stated = queries.text_figures(trace, _doc_ids(documents), columns, ("amount",)) if rows and columns else []
        if stated:
            return _table_minus_text(frame, rows[0], stated[0])
    if len(rows) == 1:
        stated = _text_figure_beside(frame, documents, trace, rows[0])
        if stated:
            return _table_minus_text(frame, rows[0], stated)
    unmatched = _bodies_without_a_figure(frame, rows)
    if unmatched:
        return Answer("no_data", say(frame, f"无法比较：{unmatched}。", f"Cannot compare: {unmatched}."))
    if len(rows) < 2:
        return lookup(frame, documents, trace)
    a, b = _in_question_order(frame, rows[0], rows[1])
    diff = trace.run("SELECT (SELECT amount_fen FROM items_v WHERE item_id = ?) - "
                     "(SELECT amount_fen FROM items_v WHERE item_id = ?) AS difference_fen",
                     (a["item_id"], b["item_id"]))[0]["difference_fen"]
    unit = frame.unit or "万元"
    figures = []
    parts = []
    for row in (a, b):
        label = _operand_label(frame, row, bool(by_measure))
        figs, text = item_figures(row, label, frame.unit)
        figures += figs[:1]
        parts.append(f"{label}{text}（{item_source(row).cite()}）")
    value = Decimal(abs(diff)) / _fen_per(unit)
    figures.append(Figure(exact(value), unit, "两者之差", item_source(a)))
    return Answer("answered", say(frame, f"{parts[0]}，{parts[1]}，两者相差{show(value, unit)}{_which_more(a, b, diff)}。",
                                  f"{parts[0]}; {parts[1]}; difference {show(value, unit)}."), figures)


def _bodies_without_a_figure(frame: Frame, rows: list[dict[str, Any]]) -> str:
    """"东城区医保局和朝阳区医保局2024年谁多" with 朝阳区's 2024 not loaded: a comparison of two
    bodies with one side missing names that side (and its loaded years) instead of answering
    with the other body's figure alone. '' when every body asked has its figure."""
    if len(frame.bureaus) < 2:
        return ""
    found = {r["issuer"] for r in rows}
    missing = [b for b in frame.bureaus if b.issuer not in found]
    if not missing or not found:
        return ""
    parts = []
    for b in missing:
        year = frame.years_by_bureau.get(b.issuer, frame.year)
        loaded = "、".join(f"{y}年" for y in sorted({d.year for d in b.documents if d.year}))
        if year is not None and all(d.year != year for d in b.documents):
            parts.append(f"没有载入{b.issuer}{year}年的预算（已载入：{loaded}）")
        else:
            parts.append(f"{b.issuer}{f'{year}年' if year else ''}的预算中没有找到{subject_label(frame)}")
    return "；".join(parts)


def _in_question_order(frame: Frame, a: dict[str, Any], b: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two bodies' figures in the order the question names the bodies ("东城区…和西城区…")."""
    order = [x.issuer for x in frame.bureaus]
    if a["issuer"] != b["issuer"] and a["issuer"] in order and b["issuer"] in order \
            and order.index(a["issuer"]) > order.index(b["issuer"]):
        return b, a
    return a, b


def _which_more(a: dict[str, Any], b: dict[str, Any], diff: int) -> str:
    """"谁多": of two bodies' figures, which is larger and by how much (the difference computed in
    SQL); '' for two figures of one body, where the labels already say which is which."""
    if a["issuer"] == b["issuer"]:
        return ""
    if diff == 0:
        return f"，{a['issuer']}与{b['issuer']}相等"
    more, less = (a, b) if diff > 0 else (b, a)
    return f"，{more['issuer']}较多"


def _sum_over_departments(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """The subject added over every department: each document's best row, summed in SQL over
    all of them; the operands are listed when there are few, else the largest few."""
    rows = find_items(frame, documents, trace, _ranking(frame, True))
    if len(rows) < 2:
        return None
    count, unit = trace.ranked, frame.unit or "万元"
    value = Decimal(trace.ranked_fen) / _fen_per(unit)
    subject = subject_label(frame) + (frame.measure or "" if frame.subjects else "")
    shown = rows if count <= RANK_LISTED else rows[:RANK_SHOWN]
    figures, parts = [], []
    for row in shown:
        label = label_for(row, subject, None, frame.english)
        figs, text = item_figures(row, label, frame.unit)
        figures += figs[:1]
        year = f"{row['year']}年" if row["year"] else "年份未注明"
        parts.append(f"{row['issuer']}（{year}）{text}（{item_source(row).cite()}）")
    label = f"{count}个单位的{subject}合计"
    figures.append(Figure(exact(value), unit, label, item_source(rows[0])))
    listed = "：" + " + ".join(parts) if count <= RANK_LISTED else f"。其中最多的{len(shown)}个：" + "；".join(parts)
    return Answer("answered", _latest_note(frame, trace) + say(frame, f"{label}为{show(value, unit)}{listed}。",
                                  f"Total over {count} departments: {show(value, unit)}."), figures)


def _ranking(frame: Frame, descending: bool) -> queries.Ranking:
    """With no year asked, each department once, by its latest loaded year."""
    return queries.Ranking(descending, RANK_LISTED, latest_per_body=frame.year is None and not frame.years_by_bureau)


def _latest_note(frame: Frame, trace: Trace) -> str:
    """Said first when a department had several years loaded and only its latest was used."""
    if trace.ranked_documents <= trace.ranked:
        return ""
    return say(frame, "问题没有指明年份，每个单位只用已载入的最近一年。",
               "No year asked: each department's latest loaded year is used. ")


def _operand_label(frame: Frame, row: dict[str, Any], named_by_measure: bool) -> str:
    """A summed or subtracted row's label: a 合计 row is named by the column asked ('基本支出',
    not '合计中的基本支出'); a row from measure_rows already carries its column in its name."""
    generic = row["is_total"] and row["name"] in GENERIC_TOTALS and frame.measure
    return label_for(row, frame.measure if generic else row["name"],
                     None if named_by_measure or generic else frame.measure, frame.english)


def _text_figure_beside(frame: Frame, documents: list[Document], trace: Trace,
                        row: dict[str, Any]) -> dict[str, Any] | None:
    """The other figure of a difference when only the text states it: "行政运行决算数" (table)
    and "行政运行年初预算" (a 决算's text), asked as "两者相差多少"."""
    other = [n for m in frame.subjects if m.kind == "text" and row["name"] not in m.names for n in m.names]
    if not other:
        return None
    figures = queries.text_figures(trace, [row["doc_id"]], sorted(set(other)), ("amount",))
    return next((f for f in figures if f["unit"] in MONEY), None)


def _table_minus_text(frame: Frame, row: dict[str, Any], stated: dict[str, Any]) -> Answer:
    unit = frame.unit or "万元"
    label = label_for(row, row["name"], frame.measure, frame.english)
    figures, text = item_figures(row, label, frame.unit)
    value, shown = text_value(stated, unit)
    stated_label = label_for(stated, stated["subject"], None, frame.english)
    fen = abs(Decimal(row["amount_fen"]) - text_fen(stated))
    difference = fen / _fen_per(unit)
    figures = figures[:1] + [Figure(exact(value), shown, stated_label, text_source(stated)),
                             Figure(exact(difference), unit, "两者之差", item_source(row))]
    return Answer("answered", say(
        frame, f"{label}{text}（{item_source(row).cite()}），{stated_label}{show(value, shown)}（{text_source(stated).cite()}），"
               f"两者相差{show(difference, unit)}。",
        f"{label} {text}; {stated_label} {show(value, shown)}; difference {show(difference, unit)}."), figures)


def _mentioned_at(frame: Frame, row: dict[str, Any]) -> int:
    """Where the question names this row's subject (its code or one of its names)."""
    for match in frame.subjects:
        if row["code"] in match.names or row["name"] in match.names:
            return match.start
    return 10_000


def ratio(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    """A part as a share of a whole. The part is the subject named first (or its measure column:
    项目支出 of the total row); the whole is the second subject, the total the question names
    (总支出), the same row in the whole's measure (人员经费 of 基本支出), or the table's total.
    In a 决算, a completion rate (完成率) is 决算数 ÷ 年初预算 of the row."""
    issuers = list(dict.fromkeys(d.issuer for d in documents))
    if len(issuers) > 1:  # "哪个医保局的人员经费占比最高": each body's share, not the first body's
        return _ratio_of_each(frame, documents, issuers, trace)
    completion = completion_rate(frame, documents, trace)
    if completion:
        return completion
    if COMPLETION.search(frame.question):  # 执行率 needs a 决算数 over a 预算数: never a share of the total instead
        return _no_completion(frame, documents)
    totals_named = [m for m in frame.subjects if m.kind == "total"]
    # "基本支出占支出合计": the words 支出合计 read as a line too are the whole, not the part
    total_spans = {(m.start, m.end) for m in totals_named}
    part_frame = replace(frame, subjects=[m for m in frame.subjects
                                          if m.kind != "total" and (m.start, m.end) not in total_spans]) \
        if totals_named and (len(totals_named) < len(frame.subjects) or frame.measure) else frame
    entities = _distinct_subjects(list(_entities(find_items(part_frame, documents, trace)).values()))
    if not entities:
        return _not_found(frame, documents)
    if not part_frame.subjects:  # a measure alone (项目支出): the document's own total row
        entities = entities[:1]
    entities.sort(key=lambda group: _mentioned_at(frame, group[0]))  # "A 占 B": A is mentioned first
    if len(entities) > 1 and _whole_named_first(frame, entities[0][0], entities[1][0]):
        entities[0], entities[1] = entities[1], entities[0]  # "三公经费中公务接待费占比": the part comes second
    numerator = entities[0][0]
    denominator = entities[1][0] if len(entities) > 1 else _whole(frame, part_frame, numerator, trace)
    if denominator is None or not denominator["amount_fen"]:
        return _not_found(frame, documents)
    share = (Decimal(numerator["amount_fen"]) * 100 / Decimal(denominator["amount_fen"]))
    num_label = label_for(numerator, _part_name(numerator, frame.measure), None, frame.english)
    den_name = _part_name(denominator, denominator["measure"] if denominator["measure"] != "合计" else None)
    nfigs, ntext = item_figures(numerator, num_label, frame.unit)
    dfigs, dtext = item_figures(denominator, label_for(denominator, den_name, None, frame.english), frame.unit)
    cites = list(dict.fromkeys([item_source(numerator).cite(), item_source(denominator).cite()]))
    sources = f"来源：{'；'.join(cites)}。"
    if "倍" in frame.question:  # "基本工资是津贴补贴的多少倍"
        times = share / 100
        figures = [Figure(times.quantize(Decimal("0.0001"), ROUND_HALF_UP), "倍", f"{num_label}是{den_name}的倍数",
                          item_source(numerator)), nfigs[0], dfigs[0]]
        return Answer("answered", f"{num_label}{ntext}，是{den_name}{dtext}的{times.quantize(Decimal('0.01'))}倍。"
                      + sources, figures)
    figures = [Figure(share.quantize(Decimal("0.0001"), ROUND_HALF_UP), "%", f"{num_label}占{den_name}的比例",
                      item_source(numerator)), nfigs[0], dfigs[0]]
    text = say(frame, f"{num_label}{ntext}，占{den_name}{dtext}的{show(share, '%')}。" + sources,
               f"{num_label} {ntext} is {show(share, '%')} of {den_name} {dtext}.")
    return Answer("answered", text, figures)


def _ratio_of_each(frame: Frame, documents: list[Document], issuers: list[str], trace: Trace) -> Answer:
    """The share for each body asked about, each computed and cited as for one body, listed
    from the highest (the lowest first when the question asks for the lowest); the bodies
    without one are named."""
    shares, missing = [], []
    for issuer in issuers:
        answer = ratio(frame, [d for d in documents if d.issuer == issuer], trace)
        if answer.status == "answered" and answer.figures[0].unit == "%":
            shares.append((issuer, answer))
        else:
            missing.append(issuer)
    if not shares:
        return _not_found(frame, documents)
    shares.sort(key=lambda pair: pair[1].figures[0].value, reverse=frame.descending)
    word = "最高" if frame.descending else "最低"
    issuer, first = shares[0]
    share = show(first.figures[0].value, "%")
    head = say(frame, f"{len(shares)}个单位中，比例{word}的是{issuer}（{share}）。", f"{word}: {issuer} ({share}). ") \
        if len(shares) > 1 else ""
    parts = [f"{k}. {answer.answer}" for k, (_, answer) in enumerate(shares, 1)]
    gone = say(frame, f"没有算出比例的单位：{'、'.join(missing)}。", f" No share for: {', '.join(missing)}.") \
        if missing else ""
    return Answer("answered", head + "".join(parts) + gone, [f for _, answer in shares for f in answer.figures])


def _no_completion(frame: Frame, documents: list[Document]) -> Answer:
    """A completion rate (执行率, 完成率) asked where no 决算 prints the row and its budget."""
    finals = [d for d in documents if d.kind == "决算"]
    where = "、".join(f"《{d.title}》" for d in documents[:3])
    why = (f"{where}中没有同时找到“{subject_label(frame)}”的决算数和预算数" if finals else
           f"{where}是预算，没有执行（决算）数")
    return Answer("no_data", say(frame, f"{why}，无法计算执行率（决算数 ÷ 预算数）。要看执行率，需要载入同一单位同一年度的决算。",
                                 f"No final-accounts figure and budget for '{subject_label(frame)}' in {where}: "
                                 "a completion rate needs the final accounts (决算) of that year."))


def _whole_named_first(frame: Frame, first: dict[str, Any], second: dict[str, Any]) -> bool:
    """"A中B占比", "A里B的比重": B is the part of A. Only when both subjects were read from this
    question (a follow-up's subjects have positions in another one)."""
    text = squash(normalize_question(frame.question))
    a, b = _match_of(frame, first), _match_of(frame, second)
    if a is None or b is None or text[a.start:a.end] != a.term or text[b.start:b.end] != b.term:
        return False
    between = text[a.end:b.start]
    return "占" not in between and WITHIN.fullmatch(between) is not None


def _match_of(frame: Frame, row: dict[str, Any]):
    return next((m for m in frame.subjects if row["code"] in m.names or row["name"] in m.names), None)


def _distinct_subjects(entities: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """One entity per name and document: 住房公积金 is a function 科目 (2210201) and an economic
    one (30113) of the same money, not a part and a whole. The function 科目 is kept."""
    kept: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for group in entities:
        key = (group[0]["doc_id"], group[0]["name"])
        if key not in kept or (kept[key][0]["classification"] != "function" and group[0]["classification"] == "function"):
            kept[key] = group
    return list(kept.values())


def _whole(frame: Frame, part_frame: Frame, part: dict[str, Any], trace: Trace) -> dict[str, Any] | None:
    if part_frame is not frame:  # the question names the whole: 总支出, 本年支出合计
        totals = [m for m in frame.subjects if m.kind == "total"]
        named = find_items(replace(frame, subjects=totals, measure=frame.whole_measure), [_doc(part)], trace)
        if not named:  # 支出合计 printed as a plain row (江苏 收支预算总表): the same words read as a line
            spans = {(m.start, m.end) for m in totals}
            lines = [m for m in frame.subjects if m.kind != "total" and (m.start, m.end) in spans]
            named = find_items(replace(frame, subjects=lines, measure=frame.whole_measure), [_doc(part)], trace) \
                if lines else []
        wanted = frame.whole_measure or "合计"
        named = [r for r in named if r["measure"] == wanted] or [r for r in named if r["measure"] != part["measure"]]
        return queries.best_first(named)[0] if named else None
    if frame.whole_measure and not frame.measure and part_frame.subjects and not part["is_total"]:
        # "办公费占公用经费的比例": a line over a column's total (the document's 公用经费), not over
        # the line's own cell in that column
        wholes = find_items(replace(frame, subjects=[], measure=frame.whole_measure), [_doc(part)], trace)
        wholes = [r for r in queries.best_first(wholes) if r["item_id"] != part["item_id"]]
        return {**wholes[0], "measure": frame.whole_measure} if wholes else None
    if frame.whole_measure or (frame.measure and part["measure"] != "合计"):
        for measure in ([frame.whole_measure] if frame.whole_measure else []) + ["合计"]:
            # 基本支出 printed only as the 合计 of the 基本支出表
            if measure == "合计" and frame.whole_measure and \
                    glossary()["measure_tables"].get(frame.whole_measure) != part["table_kind"]:
                continue
            rows = queries.same_row(trace, part, measure)
            if rows and rows[0]["item_id"] != part["item_id"]:
                return {**rows[0], "measure": frame.whole_measure or measure}  # named as the whole asked
        if frame.whole_measure and not part_frame.subjects:
            # a 决算 prints 人员经费 as its own row ('人员经费合计'): the whole is the document's 基本支出
            wholes = find_items(replace(frame, subjects=[], measure=frame.whole_measure), [_doc(part)], trace)
            wholes = [r for r in queries.best_first(wholes) if r["item_id"] != part["item_id"]]
            return {**wholes[0], "measure": frame.whole_measure} if wholes else None
        return None
    rows = trace.run(f"SELECT {queries.ITEM_COLUMNS} FROM items_v WHERE table_id = ? AND is_total = 1 AND measure = ? "
                     "ORDER BY row_no", (part["table_id"], part["measure"]))
    if rows and rows[0]["item_id"] != part["item_id"]:
        return rows[0]
    if part["is_total"] or part["code"]:
        return None
    # 基本支出 / 项目支出 printed as rows of a summary table with no total row of their own
    # side: the document's expenditure (or income) total, by the words tables print for it
    printed = "本年收入合计" if part["classification"] == "income" else "本年支出合计"
    names = [printed] + [w for w in glossary()["total_rows"][printed] if w.endswith(("合计", "总计"))]
    for total_rows in (True, False):
        found = [r for r in queries.items(trace, [part["doc_id"]], [], names, "合计", total_rows=total_rows)
                 if r["item_id"] != part["item_id"]]
        if found:
            return queries.best_first(found)[0]
    return None


def _doc(row: dict[str, Any]) -> Document:
    return Document(row["doc_id"], row["issuer"], row["year"], row["document"], "")


def _part_name(row: dict[str, Any], measure: str | None) -> str:
    """'项目支出' for the total row's 项目支出 column; a total row by its own name (收入总计), or
    '总支出（表内合计）' / '总收入（表内合计）' when it is printed as a bare 合计; else the row."""
    if row["is_total"]:
        if measure:
            return measure
        if row["name"] not in GENERIC_TOTALS:
            return row["name"]
        return "总收入（表内合计）" if row["classification"] == "income" else "总支出（表内合计）"
    if measure and row["name"].startswith(measure):  # the row '人员经费合计' is the measure
        return row["name"]
    return row["name"] + (measure or "")


def _rank_children(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    parents = [g[0] for g in _entities(find_items(frame, documents, trace)).values() if g[0]["code"]]
    kids = queries.children(trace, parents[0]["table_id"], parents[0]["code"], parents[0]["measure"]) if parents else []
    if not kids:
        return lookup(frame, documents, trace)
    parent = parents[0]
    kids.sort(key=lambda r: r["amount_fen"], reverse=frame.descending)
    figures, parts = [], []
    for k, kid in enumerate(kids, 1):
        figs, text = item_figures(kid, label_for(kid, kid["name"], None, frame.english), frame.unit)
        figures += figs[:1]
        parts.append(f"{k}. {kid['name']}（{kid['code']}）{text}")
    word = "最多" if frame.descending else "最少"
    head = label_for(parent, parent["name"], None, frame.english)
    return Answer("answered", f"{head}（{parent['code']}）下{word}的是{kids[0]['name']}。"
                  f"按金额{'从高到低' if frame.descending else '从低到高'}：" + "；".join(parts)
                  + f"。来源：{item_source(parent).cite()}起各行。", figures)


# --- text figures --------------------------------------------------------------------------

def children(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    rows = find_items(frame, documents, trace)
    parents = [g[0] for g in _entities(rows).values() if g[0]["code"]]
    if not parents:
        return lookup(frame, documents, trace)
    parent = parents[0]
    kids = queries.children(trace, parent["table_id"], parent["code"], parent["measure"])
    if not kids:
        return Answer("no_data", f"{parent['name']}（{parent['code']}）在{item_source(parent).cite()}中没有下级科目。")
    figures, parts = [], []
    for kid in kids:
        figs, text = item_figures(kid, label_for(kid, kid["name"], None, frame.english), frame.unit)
        figures += figs[:1]
        parts.append(f"{kid['name']}（{kid['code']}）{text}")
    head = label_for(parent, parent["name"], None, frame.english)
    count = ""
    if frame.count_children:  # "…下有几个项": the number first, then the rows it counts
        figures.insert(0, Figure(Decimal(len(kids)), "个", f"{head}（{parent['code']}）下级科目数", item_source(parent)))
        count = f"共有{len(kids)}个下级科目"
    return Answer("answered", f"{head}（{parent['code']}）下{count or '有'}：" + "；".join(parts)
                  + f"。来源：{item_source(parent).cite()}起各行。", figures)
