"""Optional LLM engine: questions the built-in engine cannot parse, with the same guarantees.

The built-in engine always answers first. Only when it found nothing in the question to look
up (see `builtin_could_not_parse`) does a chat model get a turn, and then only to write words
and one SQL statement:

    built-in → (follow-up? rewrite into a standalone question) → model writes SQL
             → extract → run_sql (checker + read-only connection) → one repair on rejection
             → figures composed from the result rows, each with its source
             → optional one-sentence summary whose numbers must all be in the rows

Each step is a LangChain runnable (prompt | model | parser, RunnableLambda for our steps), so
a step can be invoked and inspected alone. The model never computes a number that is stated:
figures come from the rows, a number without provenance columns is not stated, and a number
in the model's own sentence that the rows do not hold is removed with a warning.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import sqlglot
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate, MessagesPlaceholder
from langchain_core.runnables import RunnableLambda
from sqlglot import exp

from . import prompts
from .answer import Answer, Exchange, Figure, Source
from .compose import exact, item_figures, show, text_value, value_in
from .engine import Assistant, finding_warnings, recent, too_long
from .llm_config import LLMConfig, build_chat_model, load_config
from .queries import Trace
from .sqlcheck import QueryInterrupted, QueryResult, SqlError, SqlRejected, run_sql
from .understand import Frame

ENGINE = "llm"
PROVENANCE = ("document", "source_table", "section", "page", "row_no", "line")
STORED = {"amount_fen", "value", "value_num", "unit", "value_unit", *PROVENANCE}  # selected as stored, never rewritten
# Numeric columns that are positions or ids, never figures.
NOT_FIGURES = {"year", "page", "row_no", "line", "seq", "level", "is_total", "uncertain", "code", "parent_code"}
COLUMN_LABELS = {"total": "合计", "sum": "合计", "difference": "差额", "diff": "差额", "change": "变化",
                 "share": "占比", "ratio": "比例", "other": "", "projects": "项目数", "items": "行数"}
UNITS_AFTER_NUMBER = ("万元", "亿元", "千元", "元", "%", "％", "个", "项", "人次", "人", "辆", "家", "倍", "万", "亿")
# A view's row id, and what the audit's finding refs call that kind of row.
ROW_IDS = {"item_id": "item", "figure_id": "text", "project_id": "project", "indicator_id": "indicator"}
MAX_SENTENCES = 12
SUMMARY_CHARS = 160
NO_ANSWER = re.compile(r"^\s*NO_ANSWER\s*[:：]?\s*(.*)", re.S | re.M)
_THINK = re.compile(r"<think>.*?</think>", re.S | re.I)
_FENCE = re.compile(r"```[ \t]*([A-Za-z]*)[^\n]*\n(.*?)(?:```|\Z)", re.S)
_STATEMENT_START = re.compile(r"^\s*(SELECT|WITH|INSERT|UPDATE|DELETE|DROP|CREATE|ALTER|ATTACH|DETACH|PRAGMA|"
                              r"REPLACE|VACUUM)\b", re.I | re.M)
_NUMBER = re.compile(r"(?<![0-9A-Za-z.])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_SENTENCE_END = re.compile(r"[。！？!?\n]")


class NoSqlInReply(ValueError):
    """The model's reply holds no SQL statement."""


# --- when the model gets a turn ----------------------------------------------------------------

def builtin_could_not_parse(answer: Answer, assistant: Assistant) -> bool:
    """True when the built-in engine said no_data because it found nothing to look up.

    That is its "names no budget line, project or indicator" outcome: no subject, no measure,
    not a count, documents exist for the bureau and year asked. Other no_data answers (a bureau
    or year that is not loaded, a subject with no figure) are correct as they are: the model
    would not find data the store does not hold.
    """
    frame = answer.frame
    if answer.status != "no_data" or not isinstance(frame, Frame):
        return False
    if frame.intent == "refuse" or (frame.unknown_bureau and not frame.bureaus) or answer.resolver == "coverage":
        return False  # a part of the question the data cannot answer was named back (assistant/coverage.py)
    if frame.intent == "unknown":
        return True
    if frame.subjects or frame.measure or frame.intent == "count":
        return False
    bureaus = frame.bureaus or assistant.lexicon.bureaus
    documents = [d for b in bureaus for d in b.documents if frame.year is None or d.year == frame.year]
    return bool(documents)


# --- reading the model's reply -------------------------------------------------------------------

def extract_sql(reply: str) -> str:
    """The one statement in a reply: the first fenced block, else the text from the first line
    that starts a statement to the next blank line. Raises NoSqlInReply when there is none."""
    text = _THINK.sub("", reply or "")
    for language, body in _FENCE.findall(text):
        if language.lower() in ("", "sql", "sqlite") and body.strip():
            return body.strip()
    start = _STATEMENT_START.search(text)
    if not start:
        raise NoSqlInReply("回复中没有 SQL 语句 (no SQL statement in the reply)")
    return re.split(r"\n\s*\n", text[start.start():].strip(), maxsplit=1)[0].strip()


def no_answer_reason(reply: str) -> str | None:
    """The model's own 'NO_ANSWER: reason' (the views cannot answer), if that is its reply."""
    text = _THINK.sub("", reply or "").strip()
    match = NO_ANSWER.match(text) if text.upper().startswith("NO_ANSWER") else None
    return match.group(1).strip() if match else None


def untrusted_columns(sql: str) -> set[str]:
    """Result columns whose values the database did not hand over as stored.

    A figure or a source must come from the views: a constant (`SELECT 999 AS amount_fen`,
    `'…预算' AS document`, any VALUES list) is not data, and the stored columns (amount_fen,
    value, unit, document, page, row_no …) must be selected as they are, not rewritten
    (`amount_fen * 2 AS amount_fen`). Arithmetic belongs in new columns (`total_fen`,
    `share_pct`), which the answer states as computed.
    """
    tree = sqlglot.parse_one(sql, read="sqlite")
    if tree.find(exp.Values) is not None:
        return {"*"}
    untrusted = set()
    for select in tree.find_all(exp.Select):
        for projection in select.expressions:
            if isinstance(projection, exp.Star):
                continue
            name = projection.alias_or_name.lower()
            if name in STORED:
                if not isinstance(projection.unalias(), exp.Column):
                    untrusted.add(name)
            elif projection.find(exp.Column) is None and projection.find(exp.Star) is None:
                untrusted.add(name)  # COUNT(*) reads rows; a bare constant does not
    return untrusted


# --- numbers in model-written text ----------------------------------------------------------------

def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").replace("−", "-")).normalize()
    except InvalidOperation:
        return None


def _with_conversions(values: set[Decimal]) -> set[Decimal]:
    """Each value, its magnitude, and the same amount read in 元 instead of 万元 (or back)."""
    out = set()
    for value in values:
        for v in (value, abs(value)):
            out |= {v.normalize(), (v * 10000).normalize(), (v / 10000).normalize()}
    return out


def numbers_in(text: str) -> set[Decimal]:
    return {d for d in (_decimal(m.group(0)) for m in _NUMBER.finditer(text or "")) if d is not None}


def allowed_numbers(figures: list[Figure], columns: list[str], rows: list[list[Any]]) -> set[Decimal]:
    """What model-written text may quote: stated figures (exact and as shown) and numbers that
    the rows print in their text cells (years, codes, names, amounts as printed)."""
    values: set[Decimal] = set()
    for figure in figures:
        values.add(figure.value)
        values |= numbers_in(show(figure.value, figure.unit))
    for row in rows:
        for column, cell in zip(columns, row):
            if isinstance(cell, str):
                values |= numbers_in(cell)
            elif isinstance(cell, int) and column.lower() in NOT_FIGURES:
                values.add(Decimal(cell))
    return _with_conversions(values)


def remove_unsupported_numbers(text: str, allowed: set[Decimal]) -> tuple[str, list[str]]:
    """The text without the numbers `allowed` does not hold, and the numbers removed."""
    removed: list[str] = []
    units = "|".join(re.escape(u) for u in UNITS_AFTER_NUMBER)

    def replace(match: re.Match) -> str:
        value = _decimal(match.group(1))
        if value is not None and (value in allowed or abs(value) in allowed):
            return match.group(0)
        removed.append(match.group(0))
        return "［数字已删除］"

    cleaned = re.sub(rf"({_NUMBER.pattern})\s*(?:{units})?", replace, text)
    return cleaned, removed


# --- figures from result rows --------------------------------------------------------------------

@dataclass
class Composed:
    figures: list[Figure] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unsourced: list[str] = field(default_factory=list)  # figure columns not stated


def figure_kind(column: str, columns: list[str]) -> str | None:
    """How a result column holds figures: 'fen' (money in 分), 'pct', 'count', 'text_value'
    (text_figures_v value + unit), 'indicator' (value_num + value_unit), or None."""
    name = column.lower()
    if name.endswith("_fen"):
        return "fen"
    if name.endswith("_pct"):
        return "pct"
    if name.endswith("_count"):
        return "count"
    if name == "value" and "unit" in columns:
        return "text_value"
    if name == "value_num":
        return "indicator"
    return None


def _stem(column: str) -> str:
    return re.sub(r"_(fen|pct|count)$", "", column.lower())


def _pick(row: dict[str, Any], stem: str, key: str) -> Any:
    """A provenance value for the figure in column `stem_…`: its own (`stem_page`) or the row's."""
    own = row.get(f"{stem}_{key}") if stem not in ("amount", "") else None
    return own if own is not None else row.get(key)


def _own_provenance(row: dict[str, Any], stem: str) -> bool:
    return any(f"{stem}_{key}" in row for key in ("source_table", "page", "row_no", "line", "name"))


def _stored_row(row: dict[str, Any], stem: str) -> tuple[str | None, int | None]:
    """Which stored row the figure in column `stem_…` is (for the audit's findings): the row's
    own id for amount/value, `stem_item_id` and the like for a figure from another row; a
    figure computed in SQL is no stored row."""
    own = stem in ("amount", "value", "value_num")
    for key, kind in ROW_IDS.items():
        value = row.get(key) if own else row.get(f"{stem}_{key}")
        if value is not None:
            return kind, value
    return None, None


def source_of(row: dict[str, Any], stem: str) -> Source | None:
    document = _pick(row, stem, "document")
    if not document:
        return None
    table = _pick(row, stem, "source_table")
    ref_kind, item_id = _stored_row(row, stem)
    return Source(document=str(document), table=table, section=None if table else _pick(row, stem, "section"),
                  page=_pick(row, stem, "page"), row=_pick(row, stem, "row_no"), line=_pick(row, stem, "line"),
                  table_id=_pick(row, stem, "table_id"), item_id=item_id, ref_kind=ref_kind)


def label_of(row: dict[str, Any], stem: str, kind: str) -> str:
    who = row.get("issuer") or ""
    year = f"{row['year']}年" if row.get("year") else ("（年份未注明）" if "year" in row and who else "")
    what = row.get(f"{stem}_name") if stem not in ("amount", "value", "value_num") else None
    if what is None:
        what = row.get("name") or row.get("subject") or row.get("project") or ""
        if stem in ("difference", "diff") and row.get("other_name"):
            what = f"{what}与{row['other_name']}的差额"
        elif stem in ("share", "ratio") and row.get("total_name"):
            what = f"{what}占{row['total_name']}的比例"
        elif stem not in ("amount", "value", "value_num"):
            what += COLUMN_LABELS.get(stem, stem)
    if kind == "fen" and stem == "amount" and row.get("code"):
        what += f"（{row['code']}）"
    measure = row.get("measure")
    if measure and measure != "合计" and stem == "amount":
        what += f"中的{measure}"
    if kind == "text_value" and row.get("compared_to"):
        what += f"比{row['compared_to']}增减"
    return f"{who}{year}{what}" or stem


def compose_rows(columns: list[str], rows: list[tuple], unit: str | None, made_up: set[str]) -> Composed:
    """Figures with sources from the result rows; numbers that cannot be sourced are not stated.

    The same figure printed in several tables is stated once, citing the first and naming the
    others ("另见…，数值相同"), as the built-in engine does.
    """
    out = Composed()
    lowered = [c.lower() for c in columns]
    dicts = [dict(zip(lowered, row)) for row in rows]
    sourceless = "*" in made_up or any(p in made_up for p in (*PROVENANCE, "unit"))
    stated: dict[tuple[str, str], list[Any]] = {}  # (label, text) → [source, how, other tables]
    for column in lowered:
        kind = figure_kind(column, lowered)
        if kind is None:
            continue
        if sourceless or column in made_up:
            out.unsourced.append(column)
            continue
        stem = _stem(column)
        values = [r.get(column) for r in dicts if r.get(column) is not None]
        # One value repeated in every row, with no source of its own: a total over the rows.
        aggregate = (len(dicts) > 1 and len(set(values)) == 1 and len(values) == len(dicts)
                     and stem not in ("amount", "value", "value_num") and not _own_provenance(dicts[0], stem))
        for row in dicts[:1] if aggregate else dicts:
            if row.get(column) is None:
                continue
            source = source_of(row, stem)
            if source is None:
                out.unsourced.append(column)
                continue
            label = (COLUMN_LABELS.get(stem) or stem) if aggregate else label_of(row, stem, kind)
            figures, text = _figures(row, column, kind, stem, label, source, unit)
            if not figures:
                continue
            if (label, text) in stated:
                first = stated[(label, text)]
                if source.table and source.table != first[0].table and source.table not in first[2]:
                    first[2].append(source.table)
                continue
            computed = stem not in ("amount", "value", "value_num") and not _own_provenance(row, stem)
            how = "（按查询结果各行计算）" if aggregate else "（由查询计算）" if computed else ""
            stated[(label, text)] = [source, how, []]
            out.figures += figures
    for (label, text), (source, how, others) in stated.items():
        also = f"；另见{'、'.join(others)}，数值相同" if others else ""
        out.sentences.append(f"{label}为{text}{how}。来源：{source.cite()}{also}。")
    if out.unsourced:
        names = "、".join(sorted(set(out.unsourced)))
        reason = "不是数据库中原样存储的值（查询中写定或改写了它或它的出处）" if sourceless or set(out.unsourced) & made_up \
            else "没有出处列（document 等）"
        out.warnings.append(f"结果列 {names} 的数字{reason}，只在结果表中列出，没有作为答案陈述。")
    return out


def _figures(row: dict[str, Any], column: str, kind: str, stem: str, label: str, source: Source,
             unit: str | None) -> tuple[list[Figure], str]:
    cell = row[column]
    if kind == "fen":
        if not isinstance(cell, int):
            return [], ""
        printed_unit = row.get("unit") if stem == "amount" else row.get(f"{stem}_unit")
        if printed_unit:  # an amount as a table printed it: quoted in 万元, and in 元 as printed
            figures, text = item_figures({"amount_fen": cell, "unit": printed_unit, "document": source.document},
                                         label, unit)
            for figure in figures:
                figure.source = source
            return figures, text
        value, shown_unit = value_in(cell, "元", unit)  # computed in SQL from amounts in 分
        return [Figure(exact(value), shown_unit, label, source)], show(value, shown_unit)
    if kind == "pct":
        value = _decimal(str(cell))
        return ([Figure(exact(value), "%", label, source)], show(value, "%")) if value is not None else ([], "")
    if kind == "count":
        if not isinstance(cell, int):
            return [], ""
        return [Figure(Decimal(cell), "个", label, source)], f"{cell}个"
    if kind == "text_value":
        if _decimal(str(cell)) is None:
            return [], ""
        value, shown_unit = text_value({"value": str(cell), "unit": row.get("unit")}, unit)
        return [Figure(exact(value), shown_unit, label, source)], show(value, shown_unit)
    value = _decimal(str(cell))  # indicator target
    if value is None:
        return [], ""
    indicator_unit = row.get("value_unit") or ""
    return [Figure(exact(value), indicator_unit, label, source)], row.get("value_text") or show(value, indicator_unit)


def _text_rows(columns: list[str], rows: list[tuple]) -> str:
    """A short listing of text-only rows (names of what was found), for answers without figures."""
    lowered = [c.lower() for c in columns]
    for key in ("name", "subject", "project", "title", "document"):
        if key in lowered:
            index = lowered.index(key)
            names = list(dict.fromkeys(str(r[index]) for r in rows if r[index]))
            more = f"等{len(names)}项" if len(names) > 10 else ""
            return "、".join(names[:10]) + more
    return ""


# --- the engine ------------------------------------------------------------------------------------

@dataclass
class Turn:
    """One question on its way through the steps; each step fills what it found."""
    question: str
    history: list[Exchange]
    builtin: Answer | None = None
    standalone: str = ""
    sql: str = ""
    result: QueryResult | None = None
    answer: Answer | None = None
    warnings: list[str] = field(default_factory=list)


class LLMAssistant:
    """The built-in Assistant, with a chat model for the questions it cannot parse.

    Same interface as Assistant (`ask`, `conn`, `lexicon`, `loaded_summary`, …), so the CLI
    and the app can hold either.
    """

    engine_name = ENGINE

    def __init__(self, builtin: Assistant, model: BaseChatModel, config: LLMConfig | None = None):
        self.builtin = builtin
        self.model = model
        self.config = config or LLMConfig(provider="custom")
        self.system = prompts.system_prompt(builtin.lexicon.documents)
        self.examples = prompts.few_shot_messages()
        parse = StrOutputParser()
        self.rewrite_chain = (ChatPromptTemplate.from_messages([("system", "{instructions}"),
                                                                ("human", "对话：\n{history}\n\n追问：{question}")])
                              | model | parse | RunnableLambda(_first_line))
        self.sql_chain = (ChatPromptTemplate.from_messages([("system", "{system}"), MessagesPlaceholder("examples"),
                                                            ("human", "{question}"),
                                                            MessagesPlaceholder("repair", optional=True)])
                          | model | parse)
        self.summary_chain = (ChatPromptTemplate.from_messages([("system", "{instructions}"),
                                                                ("human", "问题：{question}\n\n已核对的数字：\n{figures}")])
                              | model | parse)
        self.chain = (RunnableLambda(self._builtin_first) | RunnableLambda(self._standalone)
                      | RunnableLambda(self._query) | RunnableLambda(self._compose))

    def __getattr__(self, name: str) -> Any:  # conn, lexicon, db_path, loaded_summary …
        if name == "builtin":
            raise AttributeError(name)
        return getattr(self.builtin, name)

    def ask(self, question: str, history: Sequence[Exchange] = ()) -> Answer:
        refused = too_long(question, ENGINE)
        if refused:
            return refused
        turn = Turn(question, recent(history))
        try:
            return self.chain.invoke(turn).answer
        except Exception as exc:  # a model or network failure reaches the user as a message
            answer = Answer("error", f"语言模型没有完成这个问题（{type(exc).__name__}）：{_short(exc)}。"
                                     "请换个问法，或用内置引擎能识别的科目、项目名称提问。")
            answer.engine, answer.frame = ENGINE, turn.builtin.frame if turn.builtin else None
            return answer

    # steps: each takes the Turn and returns it; a step that sets `answer` ends the turn

    def _builtin_first(self, turn: Turn) -> Turn:
        turn.builtin = self.builtin.ask(turn.question, turn.history)
        if not builtin_could_not_parse(turn.builtin, self.builtin):
            turn.answer = turn.builtin
        return turn

    def _standalone(self, turn: Turn) -> Turn:
        turn.standalone = turn.question
        if turn.answer or not turn.history:
            return turn
        rewritten = self.rewrite_chain.invoke({"instructions": prompts.prompt_text("rewrite.md"),
                                               "history": prompts.history_text(turn.history),
                                               "question": turn.question})
        if not rewritten:
            return turn
        said = turn.question + "".join(e.question + e.answer.answer for e in turn.history)
        if numbers_in(rewritten) - _with_conversions(numbers_in(said)):
            turn.warnings.append("改写后的问题含有对话中没有出现的数字，已按原问题查询。")
            return turn
        turn.standalone = rewritten
        return turn

    def _query(self, turn: Turn) -> Turn:
        if turn.answer:
            return turn
        inputs = {"system": self.system, "examples": self.examples, "question": turn.standalone}
        reply = self.sql_chain.invoke(inputs)
        first = self._attempt(turn, reply)
        if first is None:
            return turn
        # One repair: the model sees its reply and the checker's (or SQLite's) reason.
        repair = [AIMessage(reply), HumanMessage(prompts.prompt_text("repair.md").replace("{error}", first))]
        second = self._attempt(turn, self.sql_chain.invoke({**inputs, "repair": repair}))
        if second is not None:
            turn.warnings += [f"第一次：{first}", f"修正后：{second}"]
            turn.answer = self._failed(turn, "error", "没能回答这个问题：语言模型两次都没有写出可以执行的只读查询。")
        return turn

    def _attempt(self, turn: Turn, reply: str) -> str | None:
        """Run the SQL in `reply`. Returns why it was not run (worth the one repair), else None;
        a NO_ANSWER reply or a query past its time limit ends the turn with an honest answer."""
        try:
            reason = no_answer_reason(reply)
            if reason is not None:
                reason = remove_unsupported_numbers(reason, set())[0] or "模型没有说明原因"
                turn.answer = self._failed(turn, "no_data", f"这个问题无法用已载入的预算回答：{reason}")
                return None
            turn.sql = extract_sql(reply)
            turn.result = run_sql(self.builtin.conn, turn.sql)
        except QueryInterrupted as slow:
            turn.answer = self._failed(turn, "error", f"没能回答这个问题：{slow}")
        except (SqlRejected, SqlError, NoSqlInReply) as exc:
            return str(exc)
        return None

    def _compose(self, turn: Turn) -> Turn:
        if turn.answer:
            return turn
        result = turn.result
        frame = turn.builtin.frame if turn.builtin else None
        unit = frame.unit if isinstance(frame, Frame) else None
        composed = compose_rows(result.columns, result.rows, unit, untrusted_columns(result.sql))
        rows = [list(r) for r in result.rows]
        lead = f"问题理解为：{turn.standalone}。" if turn.standalone != turn.question else ""
        if not result.rows:
            answer = Answer("no_data", lead + "查询没有找到数据，无法给出数字。" + self.builtin.loaded_summary())
        elif composed.figures:
            sentences = composed.sentences[:MAX_SENTENCES]
            more = len(composed.sentences) - len(sentences)
            body = "".join(sentences) + (f"另有{more}个数字见结果表。" if more > 0 else "")
            summary = self._summary(turn, composed.figures, result, composed.warnings)
            answer = Answer("answered", lead + summary + body, composed.figures)
        elif composed.unsourced:
            answer = Answer("no_data", lead + f"查询返回了{len(rows)}行，但其中的数字没有出处，不能作为答案给出；结果见下表。")
        else:
            listing = _text_rows(result.columns, result.rows)
            answer = Answer("answered", lead + f"查询返回{len(rows)}行" + (f"：{listing}。" if listing else "，见下表。"))
        answer.sql, answer.columns, answer.rows = result.sql, list(result.columns), rows
        contested = finding_warnings(Trace(self.builtin.conn), answer, self.builtin.lexicon.documents)
        answer.warnings = turn.warnings + composed.warnings + answer.warnings + contested
        answer.engine, answer.frame = ENGINE, frame
        turn.answer = answer
        return turn

    def _summary(self, turn: Turn, figures: list[Figure], result: QueryResult, warnings: list[str]) -> str:
        """The model's one sentence, without code and without numbers the rows do not hold."""
        if not self.config.summary:
            return ""
        listing = "\n".join(f"- {prompts.as_data(f.label)}：{show(f.value, f.unit)}" for f in figures[:MAX_SENTENCES])
        text = self.summary_chain.invoke({"instructions": prompts.prompt_text("summary.md"),
                                          "question": turn.standalone, "figures": listing})
        text = _THINK.sub("", text or "").strip()
        if not text:
            return ""
        if "```" in text or _STATEMENT_START.search(text):
            warnings.append("模型的概括中含有代码或 SQL，已略去。")
            return ""
        sentence = _first_sentence(text)
        cleaned, removed = remove_unsupported_numbers(sentence, allowed_numbers(figures, result.columns, result.rows))
        if removed:
            warnings.append(f"模型的概括中有查询结果里没有的数字（{'、'.join(removed)}），已删除。")
        return cleaned

    def _failed(self, turn: Turn, status: str, message: str) -> Answer:
        answer = Answer(status, message + " " + self.builtin.loaded_summary(), sql="",
                        warnings=list(turn.warnings))
        answer.engine = ENGINE
        answer.frame = turn.builtin.frame if turn.builtin else None
        return answer


def _first_line(text: str) -> str:
    text = _THINK.sub("", text or "").strip().strip("`").strip()
    line = text.splitlines()[0].strip() if text else ""
    return re.sub(r"^(改写后的问题|独立问题|问题)\s*[:：]\s*", "", line).strip("“”\"' ")


def _first_sentence(text: str) -> str:
    match = _SENTENCE_END.search(text)
    sentence = text[:match.end()] if match else text
    sentence = sentence.strip()
    if len(sentence) > SUMMARY_CHARS:
        sentence = sentence[:SUMMARY_CHARS] + "…"
    return sentence if sentence.endswith(("。", "！", "？", "…", ".", "!", "?")) else sentence + "。"


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200].rstrip("。.") if str(exc) else "无详细信息"


def make_assistant(db_path: str | Path, env: dict[str, str] | None = None) -> Assistant | LLMAssistant:
    """The assistant the settings ask for: the built-in one unless an LLM is configured.

    Raises LLMConfigError (with what to install or fix) when an LLM is configured but cannot be
    built; StoreError when the database is missing.
    """
    config = load_config(env)
    model = build_chat_model(config) if config.enabled else None
    builtin = Assistant(db_path)
    return LLMAssistant(builtin, model, config) if model is not None else builtin
