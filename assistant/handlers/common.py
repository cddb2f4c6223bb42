"""What the handlers share: the question's names and codes, finding rows, grouping them per 科目."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any


from db.glossary import glossary
from ingest.textutil import FEN_PER_UNIT

from .. import queries
from ..answer import Answer
from ..lexicon import Document
from ..queries import Trace
from ..understand import Frame
from ..text import squash


UNCERTAIN_NOTE = "这个数所在的栏目在原文中没有印出空白格，勾稽关系也无法确定，请对照原表核实。"
OCR_UNCERTAIN_NOTE = ("这个数由 OCR 从扫描件识别，识别置信度低，或它的数字、所在行列、表名与表内勾稽关系"
                      "或其他表中的同一科目对不上，请对照原件核实。")


def uncertain_note(row: dict[str, Any]) -> str:
    """Why a stored figure is flagged uncertain: a lost column, or an unconfirmed OCR reading."""
    return OCR_UNCERTAIN_NOTE if row.get("ocr_confidence") is not None else UNCERTAIN_NOTE


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


GENERIC_TOTALS = ("合计", "总计", "总合计")


def _nth_of_name(rows: list[dict[str, Any]]) -> dict[int, int]:
    """id(row) → which printing of its name in its table it is (1, 2 …), for codeless
    function/expenditure rows whose table prints the name on several rows with different amounts."""
    seen: dict[tuple, list[tuple[int, int]]] = {}
    for row in rows:
        if row.get("is_total") or row.get("classification") not in ("function", "other", None):
            continue
        key = (row["table_id"], row["name"], row.get("measure"))
        seen.setdefault(key, []).append((row.get("row_no") or 0, id(row)))
    out: dict[int, int] = {}
    for printed in seen.values():
        row_nos = sorted({n for n, _ in printed})
        if len(row_nos) > 1:
            for n, rid in printed:
                out[rid] = row_nos.index(n) + 1
    return out


def _entities(rows: list[dict[str, Any]]) -> "OrderedDict[tuple[int, str], list[dict[str, Any]]]":
    """Rows grouped per (document, code or name), best citation first."""
    groups: OrderedDict[tuple[int, str], list[dict[str, Any]]] = OrderedDict()
    # A summary table prints 社会保障和就业支出 without its code 208: the same 科目 all the same.
    code_of = {(r["doc_id"], r["name"]): r["code"] for r in rows if r["code"]}
    # A table printed without codes may print one name on two rows (行政运行 under 卫生健康管理事务
    # and under 医疗保障管理事务): the second is another item, never dropped in favour of the first.
    nth = _nth_of_name([r for r in rows if not r["code"] and (r["doc_id"], r["name"]) not in code_of])
    for row in queries.best_first(rows):
        # …but a “三公” table's 公务接待费 counts project money too: not the economic 30217.
        borrowed = code_of.get((row["doc_id"], row["name"])) if row["table_kind"] != "sangong" else None
        key = row["code"] or borrowed or row["name"]
        if nth.get(id(row), 1) > 1:
            key = f"{row['name']}#{nth[id(row)]}"
        if row["is_total"] and row["name"] in GENERIC_TOTALS:  # 合计 of one table, 总合计 of another
            key = "合计"
        groups.setdefault((row["doc_id"], key), []).append(row)
    return OrderedDict((k, queries.best_first(v)) for k, v in groups.items())


def find_items(frame: Frame, documents: list[Document], trace: Trace,
               ranking: queries.Ranking | None = None) -> list[dict[str, Any]]:
    """The rows the question asks for; with `ranking`, each document's best row, ranked in SQL
    over every document (trace.ranked counts them) and only the first few returned."""
    codes, names = codes_of(frame), names_of(frame, "item")
    doc_ids = _doc_ids(documents)
    if codes or names:
        return in_fund_asked(frame, queries.items(trace, doc_ids, codes, names, frame.measure, ranking=ranking))
    if names_of(frame, "total"):
        rows = _literal_first(frame, queries.items(trace, doc_ids, [], names_of(frame, "total"), frame.measure,
                                                   total_rows=True, ranking=ranking))
        if ranking:
            found = queries.doc_ids_found(trace, *queries.items_sql(trace, doc_ids, [], names_of(frame, "total"),
                                                                    frame.measure, total_rows=True))
        else:
            found = {r["doc_id"] for r in rows}
        return rows + _grand_total_instead(frame, [i for i in doc_ids if i not in found], trace, ranking)
    if frame.measure and not frame.subjects:
        rows = queries.totals(trace, doc_ids, frame.measure,
                              ("expenditure", "basic_expenditure", "project", "income_expenditure_summary"), ranking)
        own_table = glossary()["measure_tables"].get(frame.measure)
        if not rows and own_table:  # 基本支出 printed only as the total of the 基本支出表
            rows = queries.totals(trace, doc_ids, "合计", (own_table,), ranking)
        if not rows:  # a 决算's 基本支出表 prints 人员经费 as a row '人员经费合计' in its 决算数 column
            rows = queries.items(trace, doc_ids, [], [frame.measure + "合计"], None, ranking=ranking)
        if not rows:  # a summary table's 支出用途 side prints 基本支出 / 项目支出 as rows of their own
            rows = queries.items(trace, doc_ids, [], [frame.measure], "合计", ranking=ranking)
        return rows
    return []


def _literal_first(frame: Frame, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"支出总计" is a word for 本年支出合计 too, but a document that prints a row under the very
    words asked (支出总计 = 本年支出合计 + 结转下年) is answered with that row, never its synonym."""
    typed = {squash(frame.read[m.start:m.end]) for m in frame.subjects if m.kind == "total"}
    out = []
    for doc_id in dict.fromkeys(r["doc_id"] for r in rows):
        mine = [r for r in rows if r["doc_id"] == doc_id]
        out += [r for r in mine if squash(r["name"]) in typed] or mine
    return out


def in_fund_asked(frame: Frame, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """'高等教育财政拨款基本支出': a document printing the row both in its all-funds 支出预算表 and in
    its 财政拨款支出预算表 answers from the table of the money source named, never the other."""
    words = [w for w in glossary()["qualifiers"]["words"] if w in frame.question and w not in ("本年", "当年")]
    if not words:
        return rows
    kept = []
    for doc_id in dict.fromkeys(r["doc_id"] for r in rows):
        mine = [r for r in rows if r["doc_id"] == doc_id]
        named = [r for r in mine if any(w in (r["source_table"] or "") for w in words)]
        kept += named or mine
    return kept


def _grand_total_instead(frame: Frame, doc_ids: list[int], trace: Trace,
                         ranking: queries.Ranking | None = None) -> list[dict[str, Any]]:
    """本年收入合计 asked of documents that print no such row: their 收入总计, where nothing is
    carried over from last year, is the same amount (收入总计 = 本年收入合计 + 上年结转)."""
    fallbacks = glossary()["total_row_fallbacks"]
    names = sorted({fallbacks[n] for n in names_of(frame, "total") if n in fallbacks})
    if not doc_ids or not names:
        return []
    plain = [i for i in doc_ids if i not in queries.carrying_over(trace, doc_ids)]
    rows = queries.items(trace, plain, [], names, frame.measure, total_rows=True, ranking=ranking) if plain else []
    return rows + _table_total_instead(frame, [i for i in doc_ids if i not in {r["doc_id"] for r in rows}], trace, ranking)


def _table_total_instead(frame: Frame, doc_ids: list[int], trace: Trace,
                         ranking: queries.Ranking | None = None) -> list[dict[str, Any]]:
    """本年支出合计 asked of documents that print neither it nor 支出总计 (glossary
    total_row_tables): the plain 合计 row of their 支出总表, which adds up every 科目."""
    kinds = glossary()["total_row_tables"]
    wanted = sorted({kinds[n] for n in names_of(frame, "total") if n in kinds})
    if not doc_ids or not wanted:
        return []
    return [r for kind in wanted for r in queries.plain_totals(trace, doc_ids, frame.measure or "合计", kind, ranking)]


# --- lookup --------------------------------------------------------------------------------

def _not_found(frame: Frame, documents: list[Document]) -> Answer:
    where = "、".join(f"《{d.title}》" for d in documents)
    return Answer("no_data", say(frame, f"在{where}中没有找到“{subject_label(frame)}”的数字。",
                                 f"No figure for '{subject_label(frame)}' in {where}."))


def _fen_per(unit: str) -> int:
    return int(FEN_PER_UNIT[unit])


def _one_per_document(frame: Frame, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The figure each document gives for the subject: function 科目 first, certain first."""
    best: dict[int, dict[str, Any]] = {}
    for row in queries.best_first(rows):
        current = best.get(row["doc_id"])
        rank = (row["uncertain"], row["classification"] != "function")
        if current is None or rank < (current["uncertain"], current["classification"] != "function"):
            best[row["doc_id"]] = row
    return list(best.values())
