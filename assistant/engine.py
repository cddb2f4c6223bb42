"""Assistant: question → frame → checked SQL → cited answer. Shared by the CLI and the app.

Stateless between calls: the caller passes the conversation so far, and a follow-up reuses the
previous answer's frame. Nothing here guesses: when the loaded budgets do not hold what was
asked, the answer says so (status "no_data") and lists what is loaded for that bureau.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from db import limits
from db.pg import is_pg_url
from db.store import ReadOnlyConnections, StoreError, store_label

from . import coverage, handlers, queries
from .handlers import resolvers
from .examples import example_questions
from .answer import Answer, Exchange
from .lexicon import Bureau, Document, Lexicon
from .queries import Trace
from .sqlcheck import QueryInterrupted, SqlError, SqlRejected
from .spelling import Speller
from .text import normalize_question, squash
from .understand import POINTING, Frame, understand


# "那北戴河呢？" with nothing asked before it: a follow-up marker and no figure named.
ELLIPTICAL_ALONE = re.compile(r"呢[?？。]?$|^(?:那|那么|还有|再看|and\b|what about)")
BOTH_ALONE = re.compile(r"两者|二者|这两个|这两项|\bboth\b|\bthe two\b")
OPINION = re.compile(r"你觉得|你认为|合理吗|是否合理|合不合理|应不应该|值不值|浪费|do you think|reasonable")


class Assistant:
    engine_name = "builtin"

    def __init__(self, db_path: str | Path):
        self.db_path = db_path if is_pg_url(db_path) else Path(db_path)  # a file, or a shared PostgreSQL store
        self._connections = ReadOnlyConnections(self.db_path)
        try:
            self.lexicon = Lexicon(self.conn)
        except StoreError:
            raise
        except Exception as exc:  # damaged, written by another version: a message, not a traceback
            raise StoreError(f"无法读取数据库 {store_label(self.db_path)}（{exc}）：请稍后再试，或用 budgetqa ingest 重新生成。") from exc
        self.speller = Speller(self.lexicon)

    @property
    def conn(self) -> sqlite3.Connection:
        """The calling thread's read-only connection: one Assistant may serve many threads
        (the app's sessions), but no connection is ever used by two of them."""
        return self._connections.get()

    def ask(self, question: str, history: Sequence[Exchange] = ()) -> Answer:
        refused = too_long(question, self.engine_name)
        if refused:
            return refused
        parts = split_asks(question)
        if len(parts) == 1:
            parts = self._split_each(question)
        if len(parts) > 1:  # "年初预算多少、决算多少": each part in turn, the second as a follow-up
            return self._ask_parts(parts, history)
        return self._ask_one(question, history)

    def _split_each(self, question: str) -> list[str]:
        """"行政运行年初预算和决算数分别是多少": two things of one subject joined by 和 — asked as
        "…年初预算是多少" and then "决算数是多少" (a follow-up). Only when the words before 和
        name a line or column by themselves and the words after it name no bureau."""
        m = EACH.search(question)
        if not m or not history_free_subject(self.lexicon, m.group(1)):
            return [question]
        second = understand(m.group(3), self.lexicon)
        if second.bureaus or second.unknown_bureau or m.group(3).strip() == "":
            return [question]
        return [m.group(1) + "是多少", m.group(3) + "是多少"]

    def _ask_parts(self, parts: list[str], history: Sequence[Exchange]) -> Answer:
        """One answer for "A多少、B多少": every part answered, or the first part that is not (its
        status, no figure), so no part is ever dropped."""
        answers, turns = [], recent(history)  # only what follow-ups need
        for part in parts:
            answer = self._ask_one(part, turns)
            turns.append(Exchange(part, answer))
            answers.append(answer)
            if answer.status != "answered":
                return answer
        joined = Answer("answered", "".join(a.answer for a in answers), [f for a in answers for f in a.figures],
                        sql=";\n\n".join(dict.fromkeys(a.sql for a in answers if a.sql)),
                        warnings=list(dict.fromkeys(w for a in answers for w in a.warnings)))
        joined.columns, joined.rows = answers[0].columns, answers[0].rows
        joined.frame, joined.engine = answers[-1].frame, self.engine_name
        return joined

    def _ask_one(self, question: str, history: Sequence[Exchange] = ()) -> Answer:
        previous, earlier = (_previous_frames(history) + [None, None])[:2]
        frame = understand(question, self.lexicon, previous, earlier)
        fixes: list[tuple[str, str]] = []
        if _may_be_misspelt(frame):
            correction = self.speller.correct(squash(normalize_question(question)))
            if correction.ambiguous:
                typed, names = correction.ambiguous[0]
                answer = Answer("clarify", "“" + typed + "”是指" + "还是".join(f"“{n}”" for n in names) + "？请写明再问。",
                                options=names)
                answer.frame, answer.engine = frame, self.engine_name
                return answer
            if correction.fixes:
                fixed = understand(correction.text, self.lexicon, previous, earlier)
                if not _may_be_misspelt(fixed):
                    frame, fixes = fixed, correction.fixes
        try:
            answer = self._answer(frame)
        except (SqlRejected, QueryInterrupted, SqlError) as exc:
            answer = Answer("error", f"查询没有完成：{exc}")
        except Exception as exc:  # an engine bug must reach the user as a message, not a traceback
            answer = Answer("error", f"处理这个问题时出错（{type(exc).__name__}）。请换个问法，或把问题报告给维护者。")
        if answer.status == "answered" and _money_for_a_count(question, answer):
            answer = Answer("no_data", handlers.say(
                frame, f"问题问的是人数或个数（“{COUNT_ASKED.search(question).group(0)}”），已载入的预算中只找到金额："
                       f"{answer.answer}这不是所问的数，所以不作为答案。",
                "The question asks for a count; the loaded budgets give only an amount of money for it."))
        if OPINION.search(question) and answer.status == "answered":
            answer.answer += handlers.say(frame, "（这个助手只报告预算中写明的数字和出处，不评价是否合理。）",
                                          " (This assistant reports what the budgets state; it gives no opinion.)")
        if fixes and answer.status in ("answered", "no_data"):
            read = "、".join(f"“{typed}”为“{name}”" for typed, name in fixes)
            answer.answer = handlers.say(frame, f"（按{read}理解。）", f"(Read {read}.) ") + answer.answer
        answer.frame = frame
        answer.engine = self.engine_name
        return answer

    def _answer(self, frame: Frame) -> Answer:
        if frame.intent == "refuse":
            return Answer("refused", handlers.say(frame, "这个助手只读取已载入的预算，不会删除、修改或写入任何数据。",
                                                  "This assistant only reads the loaded budgets; it never deletes or changes data."))
        if frame.ambiguous and not frame.unknown_bureau:  # "朝阳区财政局", Beijing's and Changchun's loaded
            names = "；".join("、".join(b.issuer for b in group[:CLARIFY_NAMES]) + ("等" if len(group) > CLARIFY_NAMES else "")
                             for group in frame.ambiguous)
            return Answer("clarify", handlers.say(
                frame, f"问题里的单位名称对应多个已载入的单位：{names}。请写明是哪个地方的哪个单位再问。",
                f"The name fits several loaded bodies: {names}. Which one do you mean?"))
        gap = self._gap(frame)
        if gap:
            gap.resolver = "coverage"  # a part named back: final, not a question for a model either
            return gap
        bureaus = frame.bureaus or [b for b in self.lexicon.bureaus
                                    if not frame.office_kind or frame.office_kind in b.issuer]
        if not bureaus:  # "哪个医保局…" with no 医疗保障局 loaded
            return Answer("no_data", handlers.say(
                frame, f"已载入的预算中没有{frame.office_kind}。{self.loaded_summary()}",
                f"No {frame.office_kind} is among the loaded budgets. {self.loaded_summary()}"))
        if frame.unanchored_year:  # "去年的基本工资" with no year to count back from
            years = _years_loaded(bureaus)
            return Answer("clarify", handlers.say(
                frame, f"“去年”是哪一年？问题里没有可以往前推的年份。已载入的是：{years}。请写明年份再问。",
                f"Which year is 'last year'? The question gives no year to count back from. Loaded: {years}."))
        if frame.years_by_bureau:
            documents = [d for b in bureaus for d in b.documents
                         if d.year == frame.years_by_bureau.get(b.issuer, frame.year) or
                         frame.years_by_bureau.get(b.issuer, frame.year) is None]
        else:  # one year, or none, for every bureau: this runs over every loaded document
            documents = [d for b in bureaus for d in b.documents if frame.year is None or d.year == frame.year]
        if frame.document_filter:
            documents = [d for d in documents
                         if all(getattr(d, key) == value for key, value in frame.document_filter.items())]
        documents = latest_revisions(documents)
        if not documents:
            return Answer("no_data", self._no_year(frame, bureaus))
        resolved = self._resolve(frame, documents)
        if resolved:
            return resolved
        if not frame.subjects and not frame.measure and frame.intent not in ("count", "consistency") \
                and not handlers.fund_named(frame) and not frame.side_code:
            return Answer("no_data", handlers.say(
                frame, (f"问题中的{'、'.join(f'“{w}”' for w in coverage.leftover_words(frame))}不是已载入预算中的科目、项目或指标，"
                        if coverage.leftover_words(frame) else "没有在问题里找到已载入预算中的科目、项目或指标，")
                + f"无法给出数字。{self.unread_tables(documents)}{self.loaded_summary(documents)}",
                f"The question names no budget line, project or indicator found in the loaded budgets. "
                f"{self.loaded_summary(documents)}"))
        notes: list[tuple[str, str]] = []
        if frame.intent in COMBINING and not frame.document_filter:
            documents, notes = one_per_department(documents, frame.english)
        trace = Trace(self.conn)
        if not frame.bureaus and not frame.years_by_bureau:  # every department (of a kind), by this filter
            trace.scope = queries.DocScope(
                frozenset(d.doc_id for d in documents), frame.year, frame.office_kind,
                tuple(sorted(frame.document_filter.items())),
                frame.intent in COMBINING and not frame.document_filter)
        handler = handlers.HANDLERS.get(frame.intent, handlers.lookup)
        answer = handler(frame, documents, trace)
        cited = {f.source.document for f in answer.figures}
        notes = [note for title, note in notes if title in cited]  # only where the department is in the answer
        answer.warnings += notes + finding_warnings(trace, answer, documents)
        if trace.capped:
            answer.warnings.append(handlers.say(
                frame, f"查询结果超过{queries.MAX_ROWS}行，只用了前{queries.MAX_ROWS}行：答案可能不完整，请限定单位或年份再问。",
                f"A query returned more than {queries.MAX_ROWS} rows and only the first {queries.MAX_ROWS} were used: "
                "the answer may be incomplete; name a department or a year."))
        answer.sql = trace.sql
        answer.columns, answer.rows = trace.columns, trace.rows
        if answer.status == "no_data" and not frame.english:
            answer.answer += self.unread_tables(documents) + self.loaded_summary([d for d in documents])
        elif answer.status == "answered":
            answer.answer += _without_the_year(frame, documents)
        return answer

    def _resolve(self, frame: Frame, documents: list[Document]) -> Answer | None:
        """A kind of question one of the ordered resolvers answers (series, lists …)."""
        trace = Trace(self.conn)
        answer = resolvers.resolve(frame, documents, trace)
        if answer is None:
            return None
        answer.warnings += finding_warnings(trace, answer, documents)
        answer.sql = trace.sql
        answer.columns, answer.rows = trace.columns, trace.rows
        return answer

    def _gap(self, frame: Frame) -> Answer | None:
        """The answer when part of the question cannot be placed (assistant/coverage.py): a
        refusal, an unknown body, a breakdown no budget prints, a line not loaded, or a
        follow-up with nothing before it."""
        if coverage.injection(frame.question):
            return self.refusal(frame)
        if not frame.after_question and not frame.bureaus and BOTH_ALONE.search(frame.question) and not frame.subjects:
            return Answer("clarify", handlers.say(
                frame, "“两者”指哪两个数字？前面没有可以接着问的问题。请写明单位、年份和科目再问，"
                       "例如：“A局和B局2021年的办公费合计多少？”",
                "Which two figures do you mean? There is no earlier question to refer to."))
        if not frame.followup and coverage.off_topic(frame.question, frame):
            return self.refusal(frame)
        unknown = list(dict.fromkeys(([frame.unknown_bureau] if frame.unknown_bureau else [])
                                     + coverage.unknown_organisations(frame)))
        if unknown:
            names = "、".join(f"“{u}”" for u in unknown)
            return Answer("no_data", handlers.say(
                frame, f"已载入的预算中没有{names}的预算，无法给出它的数字。{self.near_matches(unknown[0])}",
                f"{names} is not in the loaded budgets. {self.near_matches(unknown[0], english=True)}"))
        pointing = POINTING.search(frame.question.strip())
        if pointing and not frame.after_question and not (frame.subjects or frame.bureaus):
            what = pointing.group(1) or "内容"
            return Answer("clarify", handlers.say(
                frame, f"“{pointing.group(0)}”指哪个{what}？前面没有可以接着问的问题，请写明单位、年份和{what}名称再问。",
                f"Which {what} do you mean? There is no earlier question to refer to."))
        if frame.bureaus and not frame.after_question and ELLIPTICAL_ALONE.search(frame.question.strip()) \
                and not (frame.subjects or frame.measure or frame.side_code):
            who = "、".join(b.short for b in frame.bureaus)
            return Answer("clarify", handlers.say(
                frame, f"想问{who}的哪个数字？前面没有可以接着问的问题。例如：“{who}的办公费是多少？”",
                f"Which figure of {who} do you mean? There is no earlier question to follow."))
        step = coverage.granularity(frame)
        if step:
            annual = re.sub(rf"(?:第[一二三四1-4])?{re.escape(step.text)}(?:的)?", "", normalize_question(frame.question),
                            count=1, flags=re.I).strip()
            return Answer("no_data", handlers.say(
                frame, f"预算只列全年数，没有{step.detail}的数（问题中的“{step.text}”），已载入的预算中没有这个数。"
                       f"要看全年数，可以问：“{annual}”",
                f"The budgets print annual amounts only; there is no figure {step.text}. "
                f"Ask for the annual amount instead."))
        part = coverage.unprinted_part(frame)
        if part:
            return Answer("no_data", handlers.say(
                frame, f"已载入的预算没有“{part.detail}”的数（问题中的“{part.text}”）：预算表只列每一项当年的预算数，"
                       "该项本身的金额不是所问的数。",
                f"The budgets print each line's budgeted amount only, not '{part.text}'."))
        terms = coverage.unplaced_terms(frame)
        if terms:
            names = "、".join(f"“{t}”" for t in terms)
            where = "、".join(b.short for b in frame.bureaus[:3]) or "已载入的预算"
            return Answer("no_data", handlers.say(
                frame, f"在{where}中没有找到{names}这一项，无法给出数字。",
                f"No line {names} was found in the loaded budgets."))
        return None

    def refusal(self, frame: Frame) -> Answer:
        examples = example_questions(self.lexicon, limit=2)
        asks = "；".join(f"“{q}”" for q in examples)
        return Answer("refused", handlers.say(
            frame, "这个助手只回答已载入的部门预算和决算中的数字（金额、项目、绩效指标），并注明出处。"
                   + (f"可以这样问：{asks}。" if asks else ""),
            "This assistant answers questions about the figures in the loaded department budgets, with sources."
            + (f" For example: {asks}." if asks else "")))

    def near_matches(self, name: str, limit: int = 3, english: bool = False) -> str:
        """A few loaded issuers that look like `name` (same place or office), never the whole list."""
        from rapidfuzz import fuzz, process

        # a loaded body of the same place first (莲湖区人民法院 → 莲湖区医疗保障局), then look-alikes;
        # rapidfuzz scores all issuers in one C loop (thousands of issuers in well under a millisecond)
        same_place = [b.issuer for b in self.lexicon.bureaus if b.places and b.places[-1] in name]
        ranked = [issuer for issuer, _, _ in process.extract(name, same_place, scorer=fuzz.partial_ratio, limit=limit)]
        ranked += [issuer for issuer, _, _ in process.extract(
            name, [b.issuer for b in self.lexicon.bureaus], scorer=fuzz.partial_ratio, limit=limit, score_cutoff=50)]
        near = list(dict.fromkeys(ranked))[:limit]
        total = len(self.lexicon.documents)
        if english:
            return (f"Loaded bodies nearby: {', '.join(near)}. " if near else "") + \
                f"{total} documents are loaded (budgetqa docs lists them)."
        if near:
            return f"相近的已载入单位：{'、'.join(near)}（共载入{total}份文件）。"
        return f"共载入{total}份文件（budgetqa docs 可列出）。"

    def _no_year(self, frame: Frame, bureaus: list[Bureau]) -> str:
        loaded = "；".join(f"{b.issuer}：" + _years_of(b) for b in bureaus[:3])
        if len(bureaus) > 3:
            loaded += f"等{len(bureaus)}个单位"
        kind = frame.document_filter.get("kind") or ""
        scope = frame.document_filter.get("scope") or ""
        if (kind or scope) and any(d.year == frame.year for b in bureaus for d in b.documents):
            # "2024年决算" of a body whose 2024 预算 alone is loaded: say which document is missing
            what = f"{scope}{kind}" if kind else f"{scope}预算"
            return handlers.say(frame, f"已载入的文件中没有{frame.year or ''}年的{what}（问题中问的是{what}）。已载入的是：{_doc_list(bureaus)}。",
                                f"No {frame.year} {what} of that bureau is loaded. Loaded: {_doc_list(bureaus)}.")
        return handlers.say(frame, f"已载入的预算中没有{frame.year}年的这份预算。已载入的是：{loaded}。",
                            f"No {frame.year} budget of that bureau is loaded. Loaded: {loaded}.")

    def unread_tables(self, documents: list[Document]) -> str:
        """What the ingest could not load from the few documents asked about (a table printing
        amounts with no unit): a line missing from them may be in it."""
        if not documents or len(documents) > SUMMARY_TITLES:
            return ""
        marks = ", ".join("?" for _ in documents)
        notes = [note for (identity,) in self.conn.execute(
                     f"SELECT identity_json FROM documents WHERE doc_id IN ({marks}) ORDER BY doc_id",
                     tuple(d.doc_id for d in documents)).fetchall()
                 for note in json.loads(identity or "{}").get("unread_tables", [])]
        return "注意：" + "；".join(notes) + "。" if notes else ""

    def loaded_summary(self, documents: list[Document] | None = None, limit: int = 3) -> str:
        """The documents near the question (at most `limit`), and how many are loaded: never
        the whole list, which at thousands of documents would bury the answer."""
        docs = documents or self.lexicon.documents
        total = len(self.lexicon.documents)
        named = "；".join(f"《{d.title}》" for d in docs[:limit])
        more = f"等{len(docs)}份" if len(docs) > limit else ""
        return f"已载入：{named}{more}（共{total}份文件，budgetqa docs 可列出）。"


# A count asked for ("培训人数", "多少辆"): an answer holding only money answers something else.
COUNT_ASKED = re.compile(r"人数|人次|多少人|几人|多少辆|几辆|多少台|几台|多少家|几家|多少次|几次|how many", re.I)
MONEY_UNITS = ("元", "万元", "亿元", "千元")


def _money_for_a_count(question: str, answer: Answer) -> bool:
    return bool(COUNT_ASKED.search(question)) and bool(answer.figures) \
        and all(f.unit in MONEY_UNITS for f in answer.figures)


def _doc_list(bureaus: list[Bureau]) -> str:
    return "；".join("、".join(f"《{d.title}》" for d in b.documents[:3]) for b in bureaus[:3])


CLARIFY_NAMES = 6  # a clarify answer names this many of the bodies a name fits
SUMMARY_TITLES = 8  # a list of loaded bureaus names this many, then how many there are


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
    kept_ids = {d.doc_id for d in kept.values()}  # a set: this runs over every loaded document
    notes = []
    for d in documents:
        if d.doc_id in kept_ids:
            continue
        used = kept[(d.issuer, d.year, d.kind, d.part)]
        notes.append((used.title, (f"{d.issuer} {d.year or ''} has two documents; only its department budget is used, "
                                   f"not '{d.title}', so its figures are not counted twice.") if english else
                      f"{d.issuer}{_year_text(d)}有部门预算和单位预算两份文件，这里只用部门预算，未计入《{d.title}》，以免重复计算。"))
    return [d for d in documents if d.doc_id in kept_ids], notes


def latest_revisions(documents: list[Document]) -> list[Document]:
    """One document per (issuer, year, kind, scope, part, title): the one loaded last. A store that
    holds two revisions of one budget (loaded before ingest refused revisions) must not state
    each figure twice with the same citation."""
    def key(doc: Document) -> tuple:
        return (doc.issuer, doc.year, doc.kind, doc.scope, doc.part, doc.title) if doc.year is not None else (doc.doc_id,)

    latest: dict[tuple, Document] = {}
    for doc in documents:
        if key(doc) not in latest or doc.doc_id > latest[key(doc)].doc_id:
            latest[key(doc)] = doc
    return [d for d in documents if latest[key(d)] is d]


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


def _without_the_year(frame: Frame, documents: list[Document]) -> str:
    """'东城区医保局和西城区医保局2025年…' with 西城区's 2025 not loaded: the answer names the body
    it could not include and the years it has, instead of leaving it out unsaid."""
    if len(frame.bureaus) < 2 or frame.year is None:
        return ""
    used = {d.issuer for d in documents}
    missing = [b for b in frame.bureaus if b.issuer not in used]
    if not missing:
        return ""
    if len(missing) > SUMMARY_TITLES // 2:  # a place's many bodies: how many, not each one
        return handlers.say(frame, f"另：所问的单位中有{len(missing)}个没有载入{frame.year}年的预算。",
                            f" {len(missing)} of the bodies asked have no {frame.year} budget loaded.")
    return handlers.say(frame, "另：" + "；".join(f"{b.issuer}没有载入{frame.year}年的预算（已载入："
                                                 + _years_of(b) + "）"
                                                 for b in missing) + "。",
                        " " + "; ".join(f"No {frame.year} budget of {b.issuer} is loaded" for b in missing) + ".")


def _years_loaded(bureaus: list[Bureau]) -> str:
    """'青海省医疗保障局：2021年；…' for the first few bureaus, then how many there are."""
    shown = "；".join(f"{b.issuer}：" + _years_of(b) for b in bureaus[:SUMMARY_TITLES])
    return shown + (f"等{len(bureaus)}个单位" if len(bureaus) > SUMMARY_TITLES else "")


def _years_of(bureau: Bureau) -> str:
    """'2019年、2022年、2023年': a body's loaded years in order, each once (a 预算 and a 决算 of
    one year are one year here)."""
    return "、".join(dict.fromkeys(_year_text(d) for d in sorted(bureau.documents, key=lambda d: d.year or 0)))


def _year_text(doc: Document) -> str:
    return f"{doc.year}年" if doc.year else "年份未注明"


def too_long(question: str, engine: str) -> Answer | None:
    """A question past the length limit is answered with the limit, before any work is done
    on it (matching subjects in a pasted document would take minutes)."""
    if len(question) <= limits.QUESTION_MAX_CHARS:
        return None
    answer = Answer("error", f"问题太长（{len(question):,} 个字），超过问题长度上限 {limits.QUESTION_MAX_CHARS} 个字"
                             f"（问题长度限制）。请一次只问一个预算数字，例如某单位某年某个科目是多少。")
    answer.engine = engine
    return answer


def recent(history: Sequence[Exchange]) -> list[Exchange]:
    """The exchanges a follow-up can need (the last CHAT_HISTORY_KEEP), without walking the
    rest: a long conversation must not make every question slower."""
    return list(history[max(0, len(history) - limits.CHAT_HISTORY_KEEP):])


# "A多少、B多少", "A是多少，B是多少": two asks in one question (the second may leave out what the
# first said: "年初预算多少、决算多少")
ASK_END = re.compile(r"(?:是|为)?(?:多少钱?|几[个项辆人]?)(?:呢)?[、，,；;]\s*(?=\S)")


EACH = re.compile(r"^(.+?)(和|与|以及|及|、)([^和与及、]{2,12}?)(?:的)?分别(?:是|为)?(?:多少|几)")


def history_free_subject(lexicon: Lexicon, text: str) -> bool:
    """The words name a line or a column (and something beside the bureau) on their own."""
    frame = understand(text, lexicon)
    return bool(frame.subjects or frame.measure) and frame.intent == "lookup" and len(frame.bureaus) <= 1


def split_asks(question: str) -> list[str]:
    """The asks of a question, each ending in its 多少; one ask stays whole."""
    pieces, start = [], 0
    for m in ASK_END.finditer(question):
        pieces.append(question[start:m.end()].rstrip("、，,；; "))
        start = m.end()
    rest = question[start:].strip()
    if not pieces or len(rest) < 2:
        return [question]
    return pieces + [rest]


def _may_be_misspelt(frame: Frame) -> bool:
    """Something in the question was not placed: an unknown body, an unplaced line, or nothing
    at all named. Only then is the question read again for pinyin slips."""
    if frame.english or frame.intent == "refuse":
        return False
    return bool(frame.unknown_bureau or not (frame.subjects or frame.measure or frame.side_code)
                or coverage.unknown_organisations(frame) or coverage.unplaced_terms(frame))


def _previous_frames(history: Sequence[Exchange]) -> list[Frame]:
    """The frames of the conversation's last questions, the last first."""
    frames = [getattr(exchange.answer, "frame", None) for exchange in reversed(recent(history))]
    return [f for f in frames if isinstance(f, Frame)]
