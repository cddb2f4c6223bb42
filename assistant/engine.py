"""Assistant: question → frame → checked SQL → cited answer. Shared by the CLI and the app.

Stateless between calls: the caller passes the conversation so far, and a follow-up reuses the
previous answer's frame. Nothing here guesses: when the loaded budgets do not hold what was
asked, the answer says so (status "no_data") and lists what is loaded for that bureau.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from db.store import connect_readonly

from . import handlers, queries
from .answer import Answer, Exchange
from .lexicon import Bureau, Document, Lexicon
from .queries import Trace
from .sqlcheck import QueryInterrupted, SqlError, SqlRejected
from .understand import Frame, understand


OPINION = re.compile(r"你觉得|你认为|合理吗|是否合理|合不合理|应不应该|值不值|浪费|do you think|reasonable")


class Assistant:
    engine_name = "builtin"

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)
        self.conn = connect_readonly(self.db_path)
        self.lexicon = Lexicon(self.conn)

    def ask(self, question: str, history: Sequence[Exchange] = ()) -> Answer:
        previous, earlier = (_previous_frames(history) + [None, None])[:2]
        frame = understand(question, self.lexicon, previous, earlier)
        try:
            answer = self._answer(frame)
        except (SqlRejected, QueryInterrupted, SqlError) as exc:
            answer = Answer("error", f"查询没有完成：{exc}")
        except Exception as exc:  # an engine bug must reach the user as a message, not a traceback
            answer = Answer("error", f"处理这个问题时出错（{type(exc).__name__}）。请换个问法，或把问题报告给维护者。")
        if OPINION.search(question) and answer.status == "answered":
            answer.answer += handlers.say(frame, "（这个助手只报告预算中写明的数字和出处，不评价是否合理。）",
                                          " (This assistant reports what the budgets state; it gives no opinion.)")
        answer.frame = frame
        answer.engine = self.engine_name
        return answer

    def _answer(self, frame: Frame) -> Answer:
        if frame.intent == "refuse":
            return Answer("refused", handlers.say(frame, "这个助手只读取已载入的预算，不会删除、修改或写入任何数据。",
                                                  "This assistant only reads the loaded budgets; it never deletes or changes data."))
        if frame.unknown_bureau and not frame.bureaus:
            return Answer("no_data", handlers.say(
                frame, f"已载入的预算中没有“{frame.unknown_bureau}”。{self.loaded_summary()}",
                f"'{frame.unknown_bureau}' is not in the loaded budgets. {self.loaded_summary()}"))
        bureaus = frame.bureaus or [b for b in self.lexicon.bureaus
                                    if not frame.office_kind or frame.office_kind in b.issuer]
        if not bureaus:  # "哪个医保局…" with no 医疗保障局 loaded
            return Answer("no_data", handlers.say(
                frame, f"已载入的预算中没有{frame.office_kind}。{self.loaded_summary()}",
                f"No {frame.office_kind} is among the loaded budgets. {self.loaded_summary()}"))
        if frame.unanchored_year:  # "去年的基本工资" with no year to count back from
            years = "；".join(f"{b.issuer}：" + "、".join(_year_text(d) for d in b.documents) for b in bureaus)
            return Answer("clarify", handlers.say(
                frame, f"“去年”是哪一年？问题里没有可以往前推的年份。已载入的是：{years}。请写明年份再问。",
                f"Which year is 'last year'? The question gives no year to count back from. Loaded: {years}."))
        documents = [d for b in bureaus for d in b.documents
                     if d.year == frame.years_by_bureau.get(b.issuer, frame.year) or
                     frame.years_by_bureau.get(b.issuer, frame.year) is None]
        documents = [d for d in documents
                     if all(getattr(d, key) == value for key, value in frame.document_filter.items())]
        if not documents:
            return Answer("no_data", self._no_year(frame, bureaus))
        if not frame.subjects and not frame.measure and frame.intent not in ("count", "consistency") \
                and not handlers.fund_named(frame) and not frame.side_code:
            return Answer("no_data", handlers.say(
                frame, f"没有在问题里找到已载入预算中的科目、项目或指标，无法给出数字。{self.loaded_summary()}",
                f"The question names no budget line, project or indicator found in the loaded budgets. "
                f"{self.loaded_summary()}"))
        notes: list[tuple[str, str]] = []
        if frame.intent in COMBINING and not frame.document_filter:
            documents, notes = one_per_department(documents, frame.english)
        trace = Trace(self.conn)
        handler = handlers.HANDLERS.get(frame.intent, handlers.lookup)
        answer = handler(frame, documents, trace)
        cited = {f.source.document for f in answer.figures}
        notes = [note for title, note in notes if title in cited]  # only where the department is in the answer
        answer.warnings += notes + finding_warnings(trace, answer, documents)
        answer.sql = trace.sql
        answer.columns, answer.rows = trace.columns, trace.rows
        if answer.status == "no_data" and not frame.english:
            answer.answer += self.loaded_summary([d for d in documents])
        return answer

    def _no_year(self, frame: Frame, bureaus: list[Bureau]) -> str:
        loaded = "；".join(f"{b.issuer}：" + "、".join(_year_text(d) for d in b.documents) for b in bureaus)
        return handlers.say(frame, f"已载入的预算中没有{frame.year}年的这份预算。已载入的是：{loaded}。",
                            f"No {frame.year} budget of that bureau is loaded. Loaded: {loaded}.")

    def loaded_summary(self, documents: list[Document] | None = None) -> str:
        docs = documents or self.lexicon.documents
        return "已载入：" + "；".join(f"《{d.title}》" for d in docs) + "。"


# Questions that add, order, compare or count over documents: one document per department and year.
COMBINING = ("sum", "rank", "difference", "ratio", "count")


def one_per_department(documents: list[Document], english: bool = False) -> tuple[list[Document], list[tuple[str, str]]]:
    """A department that published both its 部门预算 and its 单位预算 for one year prints the same
    money twice (区政府办公室 2025: 部门 = 本级 单位). Added or ranked, it would count twice, so
    the 部门预算 stands for it, and the answer says which document was left out: (title of the
    document used, note), so that only an answer citing it carries the note."""
    kept: dict[tuple, Document] = {}
    for doc in documents:
        # The tables file and the text file of one budget are its two halves: both stay.
        key = (doc.issuer, doc.year, doc.kind, doc.part)
        if key not in kept or (kept[key].scope == "单位" and doc.scope != "单位"):
            kept[key] = doc
    notes = []
    for d in documents:
        if d in kept.values():
            continue
        used = kept[(d.issuer, d.year, d.kind, d.part)]
        notes.append((used.title, (f"{d.issuer} {d.year or ''} has two documents; only its department budget is used, "
                                   f"not '{d.title}', so its figures are not counted twice.") if english else
                      f"{d.issuer}{_year_text(d)}有部门预算和单位预算两份文件，这里只用部门预算，未计入《{d.title}》，以免重复计算。"))
    return [d for d in documents if d in kept.values()], notes


def finding_warnings(trace: Trace, answer: Answer, documents: list[Document]) -> list[str]:
    """An answer citing a figure that the audit found contradicted says so."""
    cited = {(f.source.ref_kind, f.source.item_id) for f in answer.figures if f.source.item_id}
    titles = {f.source.document for f in answer.figures}
    doc_ids = sorted(d.doc_id for d in documents if d.title in titles)
    if not cited or not doc_ids:
        return []
    warnings = []
    for finding in queries.findings(trace, doc_ids):
        refs = {(r.get("kind"), r.get("id")) for r in json.loads(finding["refs_json"] or "[]")}
        message = f"一致性检查（{finding['rule_id']}）：{finding['message']}"
        if refs & cited and finding["severity"] != "info" and message not in answer.warnings + warnings:
            warnings.append(message)
    return warnings


def _year_text(doc: Document) -> str:
    return f"{doc.year}年" if doc.year else "年份未注明"


def _previous_frames(history: Sequence[Exchange]) -> list[Frame]:
    """The frames of the conversation's questions, the last first."""
    frames = [getattr(exchange.answer, "frame", None) for exchange in reversed(history)]
    return [f for f in frames if isinstance(f, Frame)]
