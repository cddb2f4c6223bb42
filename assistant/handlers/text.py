"""What the explanatory text states: changes against last year, counts, and whether the text
agrees with the tables (with the audit's findings)."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from .. import queries
from ..answer import Answer, Figure, Source
from ..compose import (MONEY, exact, item_figures, item_source, label_for, show, text_source, text_states,
                       text_value, value_in)
from ..lexicon import Document
from ..queries import Trace
from ..rules.sangong import canonical
from ..rules.vocabulary import SANGONG_PURCHASE, SANGONG_RUNNING, SANGONG_VEHICLES
from ..text import normalize_question, squash
from ..understand import Frame
from .across import children
from .common import _doc_ids, _entities, _fen_per, _not_found, codes_of, find_items, names_of, say, subject_label
from .lookup import lookup
from .resolvers import not_loaded, previous_year_change


def change(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    """The change against last year: as the text states it, else computed from the tables of the
    year asked and the year before (resolvers.previous_year_change). With no year asked, one
    body with several years loaded is read in its latest year, and the answer says so."""
    latest = _latest_year(frame, documents)
    if latest:
        documents = [d for d in documents if d.year == latest]
        frame = replace(frame, year=latest)
    answer = _stated_change(frame, documents, trace)
    if answer.status != "answered":
        answer = _computed_change(frame, documents, trace) or answer
    if answer.status != "answered" and len(frame.years) >= 2 and len(frame.bureaus) == 1:
        early, late = frame.years[0], frame.years[-1]
        by_year = {d.year: [d] for d in frame.bureaus[0].documents if d.year}
        answer = not_loaded(frame, by_year, [early, late], f"{late}年与{early}年的差") or answer
    if latest:
        answer.answer = say(frame, f"没有指明年份：用已载入的最近一年{latest}年与{latest - 1}年比较。",
                            f"No year asked: the latest loaded year {latest} against {latest - 1}. ") + answer.answer
    return answer


def _computed_change(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """Each body's change from the year before, from the tables; for several bodies one
    sentence each, a body whose previous year is not loaded named in its own sentence."""
    if len(frame.bureaus) < 2:
        return previous_year_change(frame, documents, trace)
    answers = [previous_year_change(replace(frame, bureaus=[b]), [d for d in documents if d.issuer == b.issuer], trace)
               for b in frame.bureaus]
    answers = [a for a in answers if a is not None]
    if not any(a.status == "answered" for a in answers):
        return None
    return Answer("answered", "".join(a.answer for a in answers), [f for a in answers for f in a.figures])


def _latest_year(frame: Frame, documents: list[Document]) -> int | None:
    """The latest loaded year of the one body asked about, when several of its years are loaded
    and the question names none ("基本工资比上年增长多少")."""
    if frame.year is not None or frame.years or len(frame.bureaus) != 1:
        return None
    years = sorted({d.year for d in documents if d.year})
    return years[-1] if len(years) >= 2 else None


def _stated_change(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    wants_rate = any(w in frame.question for w in ("率", "幅", "百分", "%", "rate"))
    wants_amount = any(w in frame.question for w in ("多少", "金额", "amount")) and not wants_rate
    kinds = ("percent",) if wants_rate else ("change",) if wants_amount else ("change", "percent")
    subjects = names_of(frame, "text", "item") or ([frame.measure] if frame.measure else [])
    rows = queries.text_figures(trace, _doc_ids(documents), subjects, kinds, codes_of(frame), main=True) \
        or _change_of_an_equal_part(trace, documents, subjects, kinds)
    if not rows:
        return Answer("no_data", say(frame, f"说明中没有找到“{subject_label(frame)}”与上年相比的变化。",
                                     f"The text states no change against last year for '{subject_label(frame)}'."))
    figures, sentences = [], []
    for row in rows[:4]:
        value, unit = text_value(row, frame.unit)
        direction = ("增加" if row["kind"] == "change" else "增长") if value > 0 else \
            ("减少" if row["kind"] == "change" else "下降") if value < 0 else "持平"
        magnitude = abs(value)
        against = row["compared_to"] if re.fullmatch(r"\d{4}年", row["compared_to"] or "") else "上年"
        label = label_for(row, row["subject"], None, frame.english) + f"比{against}{direction}"
        figures.append(Figure(exact(magnitude), unit, label, text_source(row)))
        amount = "" if direction == "持平" else show(magnitude, unit)
        if direction == "持平":  # "与2024年持平", not "比2024年持平0.00万元"
            label = label.removesuffix(f"比{against}持平") + f"与{against}持平"
        sentences.append(say(frame, f"{label}{amount}。来源：{text_source(row).cite()}。",
                             f"{label}: {show(magnitude, unit)}. Source: {text_source(row).cite(True)}."))
    return Answer("answered", "".join(sentences), figures)


def _change_of_an_equal_part(trace: Trace, documents: list[Document], subjects: list[str],
                             kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    """"预算收入514.21万元，其中：一般公共预算拨款514.21万元，较上年减少138.44万元": the change is
    written after the part, and the part is the whole, so it is the whole's change too."""
    if not subjects:
        return []
    amounts = queries.text_figures(trace, _doc_ids(documents), subjects, ("amount",))
    out: list[dict[str, Any]] = []
    for amount in amounts:
        same = queries.same_sentence(trace, amount)
        parts = {r["subject"] for r in same if r["kind"] == "amount" and r["subject"] != amount["subject"]
                 and r["value"] == amount["value"] and r["unit"] == amount["unit"]}
        if any(r["doc_id"] == amount["doc_id"] for r in out):
            continue  # one sentence per document
        out += [{**r, "subject": amount["subject"]} for r in same if r["kind"] in kinds and r["subject"] in parts]
    return out


def _stated_project_count(frame: Frame, documents: list[Document], trace: Trace) -> Answer | None:
    """"编报绩效目标的项目有几个": the text states that count ("编报绩效目标的项目11个"); the
    project table would count every project instead. Only a text subject that the question
    names in full, beyond the word 项目, answers."""
    rows = [r for r in queries.count_figures(trace, _doc_ids(documents), frame.count_unit)
            if "item_id" not in r and (r["subject"] or "").endswith("项目")]
    question = squash(normalize_question(frame.question))
    rows = [r for r in rows if len(r["subject"]) > len("项目") + 1 and squash(r["subject"]) in question]
    if not rows:
        return None
    figures = [Figure(Decimal(r["value"]), r["unit"], label_for(r, r["subject"], None), text_source(r)) for r in rows]
    return Answer("answered", "".join(f"{f.label}为{r['value']}{r['unit']}。来源：{f.source.cite()}。"
                                      for f, r in zip(figures, rows)), figures)


def _count_projects(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    """Projects a document lists, counted in its project table (项目支出表, 专项业务经费支出表);
    only a document without one is counted in its performance tables, which also list
    department-wide tasks. A table whose rows include subtotals (a row equal to the sum of the
    rows after it) is counted by name with a warning: which rows are projects is not printed."""
    figures, sentences, warnings = [], [], []
    for doc in documents:
        rows = queries.project_rows(trace, doc.doc_id)
        if not rows:
            continue
        kind = rows[0]["table_kind"]
        rows = [r for r in rows if r["table_kind"] == kind]
        names = list(dict.fromkeys(r["name"] for r in rows))
        tables = list(dict.fromkeys(r["source_table"] for r in rows))
        first = rows[0]
        source = Source(document=first["document"], table=tables[0], page=first["page"], table_id=first["table_id"])
        where = "、".join(tables[:3]) + (f"等{len(tables)}张表" if len(tables) > 3 else "")
        figures.append(Figure(Decimal(len(names)), "个", f"{first['document']}项目数", source))
        sentences.append(f"《{first['document']}》{where}列出{len(names)}个项目。")
        by_table = {t: [r["amount_fen"] for r in rows if r["table_id"] == t] for t in {r["table_id"] for r in rows}}
        if any(_has_subtotals(amounts) for amounts in by_table.values()):
            warnings.append(f"《{first['document']}》{where}中有分类小计行（某行金额等于其后几行之和），"
                            f"这里按不同名称计数，实际项目数可能更少。")
    if not figures:
        return Answer("no_data", "已载入的预算中没有找到项目表。")
    return Answer("answered", "".join(sentences), figures, warnings=warnings)


def _name(row: dict[str, Any]) -> str:
    return row.get("name") or row.get("subject") or ""


def _has_subtotals(amounts: list[int | None]) -> bool:
    """Some row's amount is the sum of the rows right after it (a group heading with its items)."""
    values = [a or 0 for a in amounts]
    for i, amount in enumerate(values):
        total = 0
        for following in values[i + 1:]:
            total += following
            if amount and total == amount:
                return True
            if total > amount:
                break
    return False


def count(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    if frame.count_children and (names_of(frame, "item") or codes_of(frame)):
        return children(frame, documents, trace)
    if frame.count_unit in ("项", "个") and ("项目" in frame.question):
        stated = _stated_project_count(frame, documents, trace)
        return stated or _count_projects(frame, documents, trace)
    if not frame.count_unit:
        return lookup(frame, documents, trace)
    rows = queries.count_figures(trace, _doc_ids(documents), frame.count_unit)
    words = {ch for ch in frame.question if "\u4e00" <= ch <= "\u9fff"} - set("几多少个有是的局区市省")
    # The counted thing the question names best: 购置车辆 for "购置车辆几辆", not the fleet's 车辆
    # (characters shared, fewer characters not asked): "有几辆车" is 车辆, not 购置车辆
    fit = [(len(words & set(_name(r))), -len(set(_name(r)) - words)) for r in rows]
    rows = [r for r, f in zip(rows, fit) if f[0] and f == max(fit)] or rows
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
                             f"{label}: {show(value, unit)}. Source: {source.cite(True)}."))
    return Answer("answered", "".join(sentences), figures)


def consistency(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    """Text vs table for the subject; a total stated in the text vs the items it lists. With no
    subject ("收入和支出的增加额一致吗"), what the audit found in the documents."""
    if not frame.subjects and not frame.measure:
        return _document_findings(frame, documents, trace)
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
        agrees = any(text_states(f, best["amount_fen"]) for f in stated)
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


def _document_findings(frame: Frame, documents: list[Document], trace: Trace) -> Answer:
    rows = [r for r in queries.findings(trace, _doc_ids(documents)) if r["severity"] != "info"]
    if not rows:
        checked = "、".join(f"《{d.title}》" for d in documents)
        return Answer("answered", f"一致性检查没有在{checked}中发现前后矛盾之处（只提示性的问题未列出）。")
    shown = rows[:8]
    lines = [f"《{r['document']}》（{r['rule_id']}）{r['message']}" for r in shown]
    more = f"另有{len(rows) - 8}条，见 budgetqa audit。" if len(rows) > 8 else ""
    return Answer("answered", f"一致性检查发现{len(rows)}处前后不一致：" + "".join(lines) + more,
                  _figures_of_findings(shown, trace),
                  warnings=[f"一致性检查（{r['rule_id']}）：{r['message']}" for r in rows])


def _figures_of_findings(findings: list[dict[str, Any]], trace: Trace) -> list[Figure]:
    """The figures the findings cite, each with its own source (table row or text section)."""
    refs = [ref for f in findings for ref in json.loads(f["refs_json"] or "[]")]
    text_ids = [r["id"] for r in refs if r.get("kind") == "text"]
    item_ids = [r["id"] for r in refs if r.get("kind") == "item"]
    figures: list[Figure] = []
    if text_ids:
        for row in queries.text_figures_by_id(trace, text_ids):
            value, unit = text_value(row, None)
            what = row["subject"] + ({"change": "比上年增减", "percent": "增减幅度", "share": "占比"}.get(row["kind"], ""))
            figures.append(Figure(exact(value), unit, label_for(row, what, None), text_source(row)))
    if item_ids:
        for row in queries.items_by_id(trace, item_ids):
            figs, _ = item_figures(row, label_for(row, row["name"], row["measure"] if row["is_total"] else None), None)
            figures += figs[:1]
    return figures


def _findings_about(frame: Frame, documents: list[Document], trace: Trace) -> list[str]:
    """What `budgetqa audit` found about the subject in these documents."""
    from ..audit import subject_matches

    asked = [subject_label(frame)] + codes_of(frame)
    return [f"一致性检查（{row['rule_id']}）：{row['message']}" for row in queries.findings(trace, _doc_ids(documents))
            if any(subject_matches(row["subject"], a) for a in asked if a)]


def _listed_parts(trace: Trace, fig: dict[str, Any]) -> list[dict[str, Any]]:
    """Amounts listed after a total in the same paragraph ("…8.34元…。其中：办公费3.83万元、…")."""
    if fig["line"] is None:
        return []  # PDF text keeps no paragraphs: a section's later sentences are not this total's parts
    rows = trace.run("SELECT figure_id, subject, sentence, value, unit FROM text_figures_v WHERE doc_id = ? "
                     "AND line = ? AND kind = 'amount' AND figure_id > ? ORDER BY figure_id",
                     (fig["doc_id"], fig["line"], fig["figure_id"]))
    listed = [r for r in rows if r["sentence"] != fig["sentence"] and "其中" in r["sentence"]]
    listed = [r for r in listed if r["subject"] and r["subject"] != fig["subject"]]
    return _without_sub_items(listed)


def _without_sub_items(parts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """公务用车购置费 and 公务用车运行维护费 listed after 公务用车购置及运行维护费 are its own parts:
    counted once, in their subtotal."""
    names = {canonical(p["subject"]) for p in parts}
    if SANGONG_VEHICLES not in names:
        return parts
    return [p for p in parts if canonical(p["subject"]) not in (SANGONG_PURCHASE, SANGONG_RUNNING)]
