"""One handler per kind of question. Each runs checked SQL through a Trace and composes an
Answer whose every number is a Figure with its source.

lookup      a figure (科目, 项目, 指标, text figure), per document, most specific table cited
rank        a subject across documents, ordered
sum         a subject added over bureaus, or several subjects added
difference  two figures and their difference
ratio       a figure as a share of another (default: its table's total)
change      the change against last year stated in the text
count       counted things (车辆, 项目)
children    the rows under a 科目
consistency text vs tables, and the document's own arithmetic
"""
from __future__ import annotations

from collections import OrderedDict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

from rapidfuzz import fuzz

from db.glossary import glossary
from ingest.textutil import FEN_PER_UNIT

from . import queries
from .answer import Answer, Figure
from .compose import (MONEY, exact, item_figures, item_source, label_for, show, text_source, text_value,
                      value_in)
from .lexicon import Document
from .queries import Trace
from .understand import Frame

UNCERTAIN_NOTE = "这个数所在的栏目在原文中没有印出空白格，勾稽关系也无法确定，请对照原表核实。"


def say(frame: Frame, zh: str, en: str) -> str:
    return en if frame.english else zh


# --- what the question names ---------------------------------------------------------------

def names_of(frame: Frame, *kinds: str) -> list[str]:
    return sorted({n for m in frame.subjects if m.kind in kinds for n in m.names})


def codes_of(frame: Frame) -> list[str]:
    return sorted({n for m in frame.subjects if m.kind == "code" for n in m.names})


def subject_label(frame: Frame) -> str:
    if frame.subjects:
        first = frame.subjects[0]
        return first.term if first.kind == "code" else min(first.names, key=len)
    return frame.measure or ""


def _doc_ids(documents: list[Document]) -> list[int]:
    return [d.doc_id for d in documents]


def _entities(rows: list[dict[str, Any]]) -> "OrderedDict[tuple[int, str], list[dict[str, Any]]]":
    """Rows grouped per (document, code or name), best citation first."""
    groups: OrderedDict[tuple[int, str], list[dict[str, Any]]] = OrderedDict()
    # A summary table prints 社会保障和就业支出 without its code 208: the same 科目 all the same.
    code_of = {(r["doc_id"], r["name"]): r["code"] for r in rows if r["code"]}
    for row in queries.best_first(rows):
        key = row["code"] or code_of.get((row["doc_id"], row["name"])) or row["name"]
        groups.setdefault((row["doc_id"], key), []).append(row)
    return OrderedDict((k, queries.best_first(v)) for k, v in groups.items())


def find_items(frame: Frame, documents: list[Document], trace: Trace) -> list[dict[str, Any]]:
    codes, names = codes_of(frame), names_of(frame, "item")
    doc_ids = _doc_ids(documents)
    if codes or names:
        return queries.items(trace, doc_ids, codes, names, frame.measure)
    if names_of(frame, "total"):
        return queries.items(trace, doc_ids, [], names_of(frame, "total"), frame.measure, total_rows=True)
    if frame.measure and not frame.subjects:
        rows = queries.totals(trace, doc_ids, frame.measure,
                              ("expenditure", "basic_expenditure", "project", "income_expenditure_summary"))
        own_table = glossary()["measure_tables"].get(frame.measure)
        if not rows and own_table:  # 基本支出 printed only as the total of the 基本支出表
            rows = queries.totals(trace, doc_ids, "合计", (own_table,))
        return rows
    return []


# --- lookup --------------------------------------------------------------------------------

def lookup(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    wants_other = (frame.wants_indicator and names_of(frame, "indicator")) or (
        frame.wants_project and names_of(frame, "project") and not codes_of(frame))
    rows = [] if wants_other else find_items(frame, documents, trace)
    if rows:
        return _answer_items(frame, rows, trace)
    if names_of(frame, "indicator") and (frame.wants_indicator or not names_of(frame, "project")):
        return _answer_indicators(frame, documents, trace)
    if names_of(frame, "project"):
        answer = _answer_projects(frame, documents, trace)
        if answer.status == "answered":
            return answer
    if names_of(frame, "indicator"):
        return _answer_indicators(frame, documents, trace)
    if names_of(frame, "text") or frame.measure:
        return _answer_text(frame, documents, trace, ("amount", "count"))
    if names_of(frame, "table"):
        return _answer_table_total(frame, documents, trace)
    return _not_found(frame, documents)


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
                             f"{label}: {text}. Source: {item_source(row).cite()}."))
    return Answer("answered", "".join(sentences), figures)


def _not_found(frame: Frame, documents: list[Document]) -> Answer:
    where = "、".join(f"《{d.title}》" for d in documents)
    return Answer("no_data", say(frame, f"在{where}中没有找到“{subject_label(frame)}”的数字。",
                                 f"No figure for '{subject_label(frame)}' in {where}."))


def _answer_items(frame: Frame, rows: list[dict[str, Any]], trace: Trace) -> Answer:
    figures: list[Figure] = []
    sentences: list[str] = []
    warnings: list[str] = []
    measure = frame.measure
    for (_, key), group in _entities(rows).items():
        best = group[0]
        generic_total = best["is_total"] and best["name"] in ("合计", "总计", "总合计")
        if generic_total:
            name = measure or "合计"
        elif best["is_total"] and measure:
            name = f"{measure}（{best['name']}行）"
        else:
            name = best["name"]
        label = label_for(best, name, measure if not best["is_total"] else None, frame.english)
        figs, text = item_figures(best, label, frame.unit)
        figures += figs
        code = f"（{best['code']}）" if best["code"] else ""
        others = [r for r in group[1:] if r["amount_fen"] == best["amount_fen"] and r["table_id"] != best["table_id"]]
        # Compare like with like: the 合计 of a basic-expenditure table is only the 基本 part, a
        # 财政拨款 table only the appropriations.
        differing = [r for r in group[1:] if r["amount_fen"] != best["amount_fen"] and not r["uncertain"]
                     and _same_scope(r, best)]
        also = ""
        if others:
            also = "；另见" + "、".join(sorted({r["source_table"] for r in others})) + "，数值相同"
        sentences.append(say(frame, f"{label}{code}为{text}。来源：{item_source(best).cite()}{also}。",
                             f"{label}{code}: {text}. Source: {item_source(best).cite()}. "))
        for other in differing:
            ofigs, otext = item_figures(other, label + "（另表）", frame.unit)
            figures += ofigs
            sentences.append(say(frame, f"但{item_source(other).cite()}中为{otext}，两处不一致。",
                                 f"But {item_source(other).cite()} gives {otext}: the two differ."))
            warnings.append(f"{label}在同一文档的两张表中数值不同：{text} 与 {otext}。")
        if best["uncertain"]:
            warnings.append(f"{label}：{UNCERTAIN_NOTE}")
    _compare_with_text(frame, rows, trace, figures, sentences, warnings)
    return Answer("answered", "".join(sentences), figures, warnings=warnings)


def _same_scope(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["table_kind"] == b["table_kind"] and all(
        (word in a["source_table"]) == (word in b["source_table"]) for word in ("财政拨款", "一般公共预算", "基本"))


def _compare_with_text(frame: Frame, rows: list[dict[str, Any]], trace: Trace, figures: list[Figure],
                       sentences: list[str], warnings: list[str]) -> None:
    """The same subject stated in the explanatory text with another value: show both."""
    subjects = names_of(frame, "text", "item") or ([frame.measure] if frame.measure else [])
    if not subjects:
        return
    doc_ids = sorted({r["doc_id"] for r in rows})
    stated = queries.text_figures(trace, doc_ids, subjects, ("amount",), codes_of(frame))
    table_values = {(r["doc_id"], r["amount_fen"]) for r in rows}
    for fig in stated:
        value, unit = text_value(fig, frame.unit)
        if unit not in MONEY:
            continue
        fen = int(Decimal(fig["value"]) * _fen_per(fig["unit"]))
        if (fig["doc_id"], fen) in table_values:
            continue
        label = f"{fig['issuer']}说明中的{fig['subject']}"
        figures.append(Figure(exact(value), unit, label, text_source(fig)))
        sentences.append(say(frame, f"说明中写作{show(value, unit)}（{text_source(fig).cite()}），与表格数不一致。",
                             f"The explanatory text states {show(value, unit)} ({text_source(fig).cite()}), "
                             "which differs from the table."))
        warnings.append(f"{fig['subject']}：说明写{fig['value']}{fig['unit']}，表格为另一数值。")


def _fen_per(unit: str) -> int:
    return int(FEN_PER_UNIT[unit])


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
                             f"{label}: {text}. Source: {item_source(row).cite()}."))
    return Answer("answered", "".join(sentences), figures)


def _answer_indicators(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    rows = queries.indicators(trace, _doc_ids(documents), names_of(frame, "indicator"))
    if not rows:
        return _not_found(frame, documents)
    question = frame.question
    best_score = max(fuzz.partial_ratio(r["project"] or "", question) for r in rows)
    rows = [r for r in rows if fuzz.partial_ratio(r["project"] or "", question) >= best_score - 5]
    figures, sentences = [], []
    for row in rows[:4]:
        project = f"“{row['project']}”的" if row["project"] else ""
        label = label_for(row, f"{project}指标“{row['name']}”", None, frame.english)
        if row["value_num"] is not None:
            figures.append(Figure(exact(Decimal(row["value_num"])), row["value_unit"] or "", label,
                                  item_source(row)))
        op = row["operator"] if row["operator"] and row["operator"] not in ("定性",) else ""
        value = row["value_text"] or ""
        sentences.append(say(frame, f"{label}目标值为{op if op and not value.startswith(op) else ''}{value}。"
                                    f"来源：{item_source(row).cite()}。",
                             f"{label}: target {value}. Source: {item_source(row).cite()}."))
    return Answer("answered", "".join(sentences), figures)


def _answer_text(frame: Frame, documents: list[Document], trace: Trace, kinds: tuple[str, ...]) -> Answer:
    subjects = names_of(frame, "text") or ([frame.measure] if frame.measure else [])
    rows = queries.text_figures(trace, _doc_ids(documents), subjects, kinds, codes_of(frame), main=True)
    if not rows:
        return _not_found(frame, documents)
    figures, sentences = [], []
    for row in rows[:3]:
        value, unit = text_value(row, frame.unit)
        label = label_for(row, row["subject"], None, frame.english)
        figures.append(Figure(exact(value), unit, label, text_source(row)))
        sentences.append(say(frame, f"{label}为{show(value, unit)}。来源：{text_source(row).cite()}。",
                             f"{label}: {show(value, unit)}. Source: {text_source(row).cite()}."))
    return Answer("answered", "".join(sentences), figures)


# --- across documents ----------------------------------------------------------------------

def _one_per_document(frame: Frame, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The figure each document gives for the subject: function 科目 first, certain first."""
    best: dict[int, dict[str, Any]] = {}
    for row in queries.best_first(rows):
        current = best.get(row["doc_id"])
        rank = (row["uncertain"], row["classification"] != "function")
        if current is None or rank < (current["uncertain"], current["classification"] != "function"):
            best[row["doc_id"]] = row
    return list(best.values())


def rank(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    rows = _one_per_document(frame, find_items(frame, documents, trace))
    if not rows:
        return _not_found(frame, documents)
    rows.sort(key=lambda r: r["amount_fen"], reverse=frame.descending)
    subject = subject_label(frame) + (frame.measure or "" if frame.subjects else "")
    figures, parts = [], []
    for k, row in enumerate(rows, 1):
        label = label_for(row, subject, None, frame.english)
        figs, text = item_figures(row, label, frame.unit)
        figures += figs
        year = f"{row['year']}年" if row["year"] else "年份未注明"
        parts.append(f"{k}. {row['issuer']}（{year}）{text}，{item_source(row).cite()}")
    top = rows[0]
    word = "最多" if frame.descending else "最少"
    head = say(frame, f"{subject}{word}的是{top['issuer']}。按{subject}{'从高到低' if frame.descending else '从低到高'}：",
               f"Highest {subject}: {top['issuer']}. Ranking: ")
    answer = Answer("answered", head + "；".join(parts) + "。", figures)
    answer.warnings = [f"{r['issuer']}：{UNCERTAIN_NOTE}" for r in rows if r["uncertain"]]
    return answer


def total(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    rows = _one_per_document(frame, find_items(frame, documents, trace)) if len(frame.bureaus) > 1 \
        else [g[0] for g in _entities(find_items(frame, documents, trace)).values()]
    if len(rows) < 2:
        return lookup(frame, documents, trace)
    total_fen = queries.sum_items(trace, [r["item_id"] for r in rows])
    unit = frame.unit or "万元"
    figures, parts = [], []
    for row in rows:
        label = label_for(row, row["name"], frame.measure, frame.english)
        figs, text = item_figures(row, label, frame.unit)
        figures += figs[:1]
        parts.append(f"{label}{text}（{item_source(row).cite()}）")
    value = Decimal(total_fen) / _fen_per(unit)
    label = "、".join(sorted({r["issuer"] for r in rows})) + f"{subject_label(frame)}合计"
    figures.append(Figure(exact(value), unit, label, item_source(rows[0])))
    return Answer("answered", say(frame, f"{label}为{show(value, unit)}：" + " + ".join(parts) + "。",
                                  f"Total: {show(value, unit)} = " + " + ".join(parts) + "."), figures)


def difference(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    found = find_items(frame, documents, trace)
    rows = _one_per_document(frame, found) if len(frame.bureaus) > 1 else [g[0] for g in _entities(found).values()]
    if len(rows) < 2:
        return lookup(frame, documents, trace)
    a, b = rows[0], rows[1]
    diff = trace.run("SELECT (SELECT amount_fen FROM items_v WHERE item_id = ?) - "
                     "(SELECT amount_fen FROM items_v WHERE item_id = ?) AS difference_fen",
                     (a["item_id"], b["item_id"]))[0]["difference_fen"]
    unit = frame.unit or "万元"
    figures = []
    parts = []
    for row in (a, b):
        label = label_for(row, row["name"], frame.measure, frame.english)
        figs, text = item_figures(row, label, frame.unit)
        figures += figs[:1]
        parts.append(f"{label}{text}（{item_source(row).cite()}）")
    value = Decimal(abs(diff)) / _fen_per(unit)
    figures.append(Figure(exact(value), unit, "两者之差", item_source(a)))
    return Answer("answered", say(frame, f"{parts[0]}，{parts[1]}，两者相差{show(value, unit)}。",
                                  f"{parts[0]}; {parts[1]}; difference {show(value, unit)}."), figures)


def ratio(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    items_found = find_items(frame, documents, trace)
    entities = list(_entities(items_found).values())
    if not entities:
        return _not_found(frame, documents)
    numerator = entities[0][0]
    if len(entities) > 1:
        denominator = entities[1][0]
    else:
        denominator_rows = trace.run(
            f"SELECT {queries.ITEM_COLUMNS} FROM items_v WHERE table_id = ? AND is_total = 1 AND measure = ? "
            "ORDER BY row_no", (numerator["table_id"], numerator["measure"]))
        if not denominator_rows:
            return _not_found(frame, documents)
        denominator = denominator_rows[0]
    share = (Decimal(numerator["amount_fen"]) * 100 / Decimal(denominator["amount_fen"]))
    share_exact = share.quantize(Decimal("0.0001"), ROUND_HALF_UP)
    num_label = label_for(numerator, numerator["name"], frame.measure, frame.english)
    den_name = denominator["name"] if not denominator["is_total"] else "总支出（表内合计）"
    nfigs, ntext = item_figures(numerator, num_label, frame.unit)
    dfigs, dtext = item_figures(denominator, label_for(denominator, den_name, None, frame.english), frame.unit)
    figures = [Figure(share_exact, "%", f"{num_label}占{den_name}的比例", item_source(numerator)),
               nfigs[0], dfigs[0]]
    text = say(frame, f"{num_label}{ntext}，占{den_name}{dtext}的{show(share, '%')}。"
                      f"来源：{item_source(numerator).cite()}；{item_source(denominator).cite()}。",
               f"{num_label} {ntext} is {show(share, '%')} of {den_name} {dtext}.")
    return Answer("answered", text, figures)


# --- text figures --------------------------------------------------------------------------

def change(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    wants_rate = any(w in frame.question for w in ("率", "幅", "百分", "%", "rate"))
    wants_amount = any(w in frame.question for w in ("多少", "金额", "amount")) and not wants_rate
    kinds = ("percent",) if wants_rate else ("change",) if wants_amount else ("change", "percent")
    subjects = names_of(frame, "text", "item") or ([frame.measure] if frame.measure else [])
    rows = queries.text_figures(trace, _doc_ids(documents), subjects, kinds, codes_of(frame), main=True)
    if not rows:
        return Answer("no_data", say(frame, f"说明中没有找到“{subject_label(frame)}”与上年相比的变化。",
                                     f"The text states no change against last year for '{subject_label(frame)}'."))
    figures, sentences = [], []
    for row in rows[:4]:
        value, unit = text_value(row, frame.unit)
        direction = ("增加" if row["kind"] == "change" else "增长") if value > 0 else \
            ("减少" if row["kind"] == "change" else "下降") if value < 0 else "持平"
        magnitude = abs(value)
        label = label_for(row, row["subject"], None, frame.english) + ("比上年" + direction)
        figures.append(Figure(exact(magnitude), unit, label, text_source(row)))
        sentences.append(say(frame, f"{label}{show(magnitude, unit)}。来源：{text_source(row).cite()}。",
                             f"{label}: {show(magnitude, unit)}. Source: {text_source(row).cite()}."))
    return Answer("answered", "".join(sentences), figures)


def count(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    if frame.count_unit in ("项", "个") and ("项目" in frame.question):
        rows = trace.run("SELECT doc_id, document, count(*) AS projects FROM projects_v WHERE doc_id IN ("
                         + ", ".join("?" for _ in documents) + ") GROUP BY doc_id, document",
                         tuple(_doc_ids(documents)))
        figures, sentences = [], []
        for row in rows:
            source = text_source({"document": row["document"], "section": "项目表"})
            figures.append(Figure(Decimal(row["projects"]), "个", f"{row['document']}项目数", source))
            sentences.append(f"《{row['document']}》列出{row['projects']}个项目。")
        return Answer("answered" if figures else "no_data", "".join(sentences) or "没有找到项目。", figures)
    if not frame.count_unit:
        return lookup(frame, documents, trace)
    rows = queries.count_figures(trace, _doc_ids(documents), frame.count_unit)
    words = {ch for ch in frame.question if "\u4e00" <= ch <= "\u9fff"} - set("几多少个有是的局区市省")
    rows = [r for r in rows if words & set((r.get("name") or r.get("subject") or ""))] or rows
    if not rows:
        return _not_found(frame, documents)
    figures, sentences = [], []
    for row in rows[:3]:
        if "item_id" in row:
            value, unit = value_in(row["amount_fen"], row["unit"], None)
            source, name = item_source(row), row["name"]
        else:
            value, unit = Decimal(row["value"]), row["unit"]
            source, name = text_source(row), row["subject"]
        label = label_for(row, name, None, frame.english)
        figures.append(Figure(exact(value), frame.count_unit or unit, label, source))
        sentences.append(say(frame, f"{label}：{show(value, frame.count_unit or unit)}。来源：{source.cite()}。",
                             f"{label}: {show(value, unit)}. Source: {source.cite()}."))
    return Answer("answered", "".join(sentences), figures)


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
    return Answer("answered", f"{head}（{parent['code']}）下有：" + "；".join(parts)
                  + f"。来源：{item_source(parent).cite()}起各行。", figures)


def consistency(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    """Text vs table for the subject; a total stated in the text vs the items it lists."""
    subjects = names_of(frame, "text", "item") or ([frame.measure] if frame.measure else [])
    stated = queries.text_figures(trace, _doc_ids(documents), subjects, ("amount",), codes_of(frame), main=True)
    table_rows = find_items(frame, documents, trace) if (names_of(frame, "item") or codes_of(frame) or frame.measure) else []
    figures: list[Figure] = []
    sentences: list[str] = []
    warnings: list[str] = []
    for fig in stated[:2]:
        value, unit = Decimal(fig["value"]), fig["unit"] or ""
        label = f"说明中的{fig['subject']}"
        figures.append(Figure(exact(value), unit, label, text_source(fig)))
        sentences.append(f"{fig['issuer']}说明写{fig['subject']}{show(value, unit)}（{text_source(fig).cite()}）。")
        parts = _listed_parts(trace, fig)
        if parts:
            parts_fen = sum(int(Decimal(p["value"]) * _fen_per(p["unit"])) for p in parts if p["unit"] in MONEY)
            parts_value = Decimal(parts_fen) / _fen_per("万元")
            figures.append(Figure(exact(parts_value), "万元", f"说明所列{fig['subject']}各项之和", text_source(fig)))
            stated_fen = int(value * _fen_per(unit)) if unit in MONEY else None
            listing = "、".join(f"{p['subject']}{show(Decimal(p['value']), p['unit'])}" for p in parts)
            if stated_fen != parts_fen:
                same_digits = parts_value == value
                sentences.append(f"其所列各项（{listing}）合计{show(parts_value, '万元')}，与所写的"
                                 f"{show(value, unit)}不一致" + ("：数字相同而单位不同，应为万元，疑为笔误。" if same_digits else "。"))
                warnings.append(f"{fig['subject']}：说明写{show(value, unit)}，所列各项合计{show(parts_value, '万元')}。")
            else:
                sentences.append(f"其所列各项合计{show(parts_value, '万元')}，一致。")
    for group in list(_entities(table_rows).values())[:2]:
        best = group[0]
        label = label_for(best, best["name"] if not best["is_total"] else (frame.measure or "合计"), None)
        figs, text = item_figures(best, label, None)
        figures += figs[:1]
        agrees = any(int(Decimal(f["value"]) * _fen_per(f["unit"])) == best["amount_fen"]
                     for f in stated if f["unit"] in MONEY)
        sentences.append(f"表格中{label}为{text}（{item_source(best).cite()}），"
                         + ("与说明一致。" if agrees else "与说明不一致。" if stated else "说明中没有写这个数。"))
        if stated and not agrees:
            warnings.append(f"{label}：说明与表格不一致。")
    for finding in _findings_about(frame, documents, trace):
        if finding not in warnings:
            warnings.append(finding)
    if not figures:
        return Answer("no_data", f"没有在说明或表格中找到“{subject_label(frame)}”可供核对的数字。")
    return Answer("answered", "".join(sentences), figures, warnings=warnings)


def _findings_about(frame: Frame, documents: list[Document], trace: Trace) -> list[str]:
    """What `budgetqa audit` found about the subject in these documents."""
    from .audit import subject_matches

    asked = [subject_label(frame)] + codes_of(frame)
    return [f"一致性检查（{row['rule_id']}）：{row['message']}" for row in queries.findings(trace, _doc_ids(documents))
            if any(subject_matches(row["subject"], a) for a in asked if a)]


def _listed_parts(trace: Trace, fig: dict[str, Any]) -> list[dict[str, Any]]:
    """Amounts listed after a total in the same paragraph ("…8.34元…。其中：办公费3.83万元、…")."""
    rows = trace.run("SELECT figure_id, subject, sentence, value, unit FROM text_figures_v WHERE doc_id = ? "
                     "AND line = ? AND kind = 'amount' AND figure_id > ? ORDER BY figure_id",
                     (fig["doc_id"], fig["line"], fig["figure_id"]))
    listed = [r for r in rows if r["sentence"] != fig["sentence"] and "其中" in r["sentence"]]
    return [r for r in listed if r["subject"] and r["subject"] != fig["subject"]]


HANDLERS: dict[str, Callable[[Frame, list[Document], Trace], Answer]] = {
    "lookup": lookup, "rank": rank, "sum": total, "difference": difference, "ratio": ratio,
    "change": change, "count": count, "children": children, "consistency": consistency,
}
