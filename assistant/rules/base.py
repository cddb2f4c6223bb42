"""What every audit rule works with: one document's stored figures, and the finding it reports.

A rule is a function from a `DocData` to `Issue`s, registered once with `@rule(id, 说明, severity)`;
the registry stamps each issue with the document, rule id and severity, so a rule never repeats
them. `DocData.load` reads one document through the connection it is given (read-only in use).
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable, Iterator

from ingest.textutil import FEN_PER_UNIT, format_amount

SEVERITIES = ("error", "warning", "info")


@dataclass
class Finding:
    """One consistency problem of one document, with the stored rows it involves."""

    doc_id: int
    rule_id: str
    severity: str  # error / warning / info
    subject: str
    message: str  # short explanation in Chinese
    refs: list[dict] = field(default_factory=list)  # [{"kind": "item"|"text"|"project"|"table"|"line", "id": 12}]
    finding_id: int | None = None  # set once stored
    stated: Decimal | None = None  # the figure the document states
    expected: Decimal | None = None  # what its own tables or arithmetic give
    unit: str | None = None  # of both: 万元 / 元 / %

    @property
    def difference(self) -> Decimal | None:
        if self.stated is None or self.expected is None:
            return None
        return self.stated - self.expected

    def to_json(self) -> dict:
        return {"finding_id": self.finding_id, "doc_id": self.doc_id, "rule_id": self.rule_id,
                "severity": self.severity, "subject": self.subject, "message": self.message,
                "refs": list(self.refs), "stated": _dec(self.stated), "expected": _dec(self.expected),
                "difference": _dec(self.difference), "unit": self.unit}


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


@dataclass
class Issue:
    """What a rule reports; the registry turns it into a Finding."""

    subject: str
    message: str
    refs: list[dict] = field(default_factory=list)
    severity: str | None = None  # overrides the rule's, e.g. "info" for a rounding difference
    stated: Decimal | None = None  # the figure compared, as the document states it …
    expected: Decimal | None = None  # … and as its tables or arithmetic give it
    unit: str | None = None


@dataclass(frozen=True)
class Item:
    item_id: int
    table_id: int
    row_no: int
    code: str | None
    name: str
    classification: str
    side: str | None
    parent_code: str | None
    level: str | None
    is_total: bool
    measure: str
    column_label: str
    amount_fen: int
    amount_text: str
    unit: str
    uncertain: bool


@dataclass(frozen=True)
class Table:
    table_id: int
    seq: int
    title: str
    kind: str
    unit: str | None
    is_empty: bool
    note: str | None
    columns: tuple[str, ...]
    line: int | None
    page: int | None


@dataclass(frozen=True)
class TextFig:
    figure_id: int
    section: str | None
    sentence: str
    subject: str | None
    code: str | None
    kind: str  # amount | change | percent | share | count
    value: Decimal
    unit: str | None
    compared_to: str | None
    line: int | None
    page: int | None

    @property
    def is_money(self) -> bool:
        return self.unit in FEN_PER_UNIT

    @property
    def fen(self) -> int:
        """Exact 分 of a money figure (a stated figure is always a whole number of 分)."""
        return int(self.value * FEN_PER_UNIT[self.unit])


@dataclass(frozen=True)
class TextLine:
    """A title line or a paragraph of the text, as read."""

    line_id: int
    kind: str  # heading | paragraph
    section: str | None
    text: str
    page: int | None
    line: int | None


@dataclass
class DocData:
    doc_id: int
    issuer: str
    year: int | None
    kind: str  # 预算 / 决算
    title: str
    tables: dict[int, Table]
    items: list[Item]
    figures: list[TextFig]
    rows: dict[int, list[list[str]]]  # table_id → body rows as printed
    cache: dict = field(default_factory=dict, repr=False)  # rules share derived views here
    scope: str | None = None  # 部门 / 单位
    lines: list["TextLine"] = field(default_factory=list)  # title lines and paragraphs as read
    part: str = "whole"  # whole | tables | text (one half of a budget published as two files)
    companion_refs: set = field(default_factory=set)  # (kind, id) of rows read from the other half

    @classmethod
    def load(cls, conn: sqlite3.Connection, doc_id: int) -> "DocData":
        """The document's rows; for one half of a budget published as two files (说明 and 报表),
        the other half's tables (for the text half) or text (for the tables half) too, so the
        text is read against the tables it describes. `companion_refs` names the rows that came
        from the other half."""
        doc = conn.execute("SELECT doc_id, issuer, year, kind, title, scope FROM documents WHERE doc_id = ?",
                           (doc_id,)).fetchone()
        tables, items, rows = _tables_of(conn, doc_id)
        figures, lines = _text_of(conn, doc_id)
        data = cls(doc[0], doc[1], doc[2], doc[3], doc[4], tables, items, figures, rows, scope=doc[5], lines=lines)
        part, others = _companions(conn, doc_id)
        for other in others:
            if part == "text":
                more_tables, more_items, more_rows = _tables_of(conn, other)
                data.tables.update(more_tables)
                data.items += more_items
                data.rows.update(more_rows)
                data.companion_refs |= {("table", t) for t in more_tables} | {("item", i.item_id) for i in more_items}
            else:
                more_figures, more_lines = _text_of(conn, other)
                data.figures += more_figures
                data.lines += more_lines
                data.companion_refs |= {("text", f.figure_id) for f in more_figures} | \
                    {("line", ln.line_id) for ln in more_lines}
        data.part = part
        return data

    def own(self, finding: "Finding") -> bool:
        """The finding is this document's to report: the text half reports what involves its text
        (not what only the tables half's rows show), the tables half what involves none of the text."""
        if not self.companion_refs:
            return True
        refs = {(r.get("kind"), r.get("id")) for r in finding.refs}
        if self.part == "text":
            return not refs or not refs <= self.companion_refs
        return not refs & self.companion_refs

    def table_of(self, item: Item) -> Table:
        return self.tables[item.table_id]

    def certain_items(self) -> Iterator[Item]:
        return (i for i in self.items if not i.uncertain)

    def cached(self, key, compute: Callable):
        """`compute()` once per document and key (rules share table views and text matches)."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


def _tables_of(conn: sqlite3.Connection, doc_id: int):
    tables = {r[0]: Table(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], tuple(json.loads(r[7])), r[8], r[9])
              for r in conn.execute(
                  "SELECT table_id, seq, title, table_kind, unit, is_empty, note, columns_json, line, page "
                  "FROM source_tables WHERE doc_id = ? ORDER BY seq", (doc_id,))}
    items = [Item(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], bool(r[9]), r[10], r[11], r[12],
                  r[13], r[14], bool(r[15]))
             for r in conn.execute(
                 "SELECT item_id, table_id, row_no, code, name, classification, side, parent_code, level, "
                 "is_total, measure, column_label, amount_fen, amount_text, unit, uncertain "
                 "FROM line_items WHERE doc_id = ? ORDER BY table_id, row_no, item_id", (doc_id,))]
    rows: dict[int, list[list[str]]] = {}
    for table_id, cells in conn.execute(
            "SELECT r.table_id, r.cells_json FROM table_rows r JOIN source_tables t ON t.table_id = r.table_id "
            "WHERE t.doc_id = ? ORDER BY r.table_id, r.row_no", (doc_id,)):
        rows.setdefault(table_id, []).append([c or "" for c in json.loads(cells)])
    return tables, items, rows


def _text_of(conn: sqlite3.Connection, doc_id: int):
    figures = [TextFig(r[0], r[1], r[2], r[3], r[4], r[5], Decimal(r[6]), r[7], r[8], r[9], r[10])
               for r in conn.execute(
                   "SELECT figure_id, section, sentence, subject, code, kind, value, unit, compared_to, "
                   "line, page FROM text_figures WHERE doc_id = ? ORDER BY figure_id", (doc_id,))]
    lines = [TextLine(*r) for r in conn.execute(
        "SELECT line_id, kind, section, text, page, line FROM text_lines WHERE doc_id = ? ORDER BY seq",
        (doc_id,))] if has_table(conn, "text_lines") else []  # a store written before the text was kept
    return figures, lines


def _companions(conn: sqlite3.Connection, doc_id: int) -> tuple[str, list[int]]:
    """The document's part and the ids of the other half of the same budget (same issuer, year,
    kind and scope, the other part)."""
    if not any(r[1] == "part" for r in conn.execute("PRAGMA table_info(documents)")):
        return "whole", []
    part = conn.execute("SELECT part FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()[0] or "whole"
    if part not in ("text", "tables"):
        return part, []
    other = "tables" if part == "text" else "text"
    ids = [r[0] for r in conn.execute(
        "SELECT o.doc_id FROM documents d JOIN documents o ON o.issuer = d.issuer "
        "AND (o.year = d.year OR (o.year IS NULL AND d.year IS NULL)) AND o.kind = d.kind "
        "AND (o.scope = d.scope OR (o.scope IS NULL AND d.scope IS NULL)) AND o.part = ? WHERE d.doc_id = ?",
        (other, doc_id))]
    return part, ids


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    """The store has the table (one written before it was added has not). PRAGMA table_info,
    not sqlite_master: the read-only connection may not read sqlite_master."""
    assert name.isidentifier(), name
    return bool(conn.execute(f"PRAGMA table_info({name})").fetchall())


# ---- the registry -------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    rule_id: str
    description: str  # what the rule checks, in Chinese
    severity: str
    check: Callable[[DocData], Iterable[Issue]]

    def run(self, doc: DocData) -> list[Finding]:
        return [Finding(doc.doc_id, self.rule_id, tolerated(i, i.severity or self.severity), i.subject, i.message,
                        i.refs, stated=i.stated, expected=i.expected, unit=i.unit)
                for i in self.check(doc)]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, description: str, severity: str = "error"):
    """Register a check under its id; one place per rule."""
    assert severity in SEVERITIES, severity

    def register(check: Callable[[DocData], Iterable[Issue]]):
        assert rule_id not in RULES, f"rule {rule_id} registered twice"
        RULES[rule_id] = Rule(rule_id, description, severity, check)
        return check

    return register


# ---- rounding ------------------------------------------------------------------------------

ROUNDING_STEP = Decimal("0.01")


def tolerated(issue: Issue, severity: str) -> str:
    """The one tolerance rule of the audit: a stated figure that differs from the expected one
    by no more than 0.01 of its unit (a rounding difference, 326.71 vs 326.72万元, 71.64% vs
    71.65%) is a note (info), whatever rule found it."""
    if issue.stated is None or issue.expected is None or issue.stated == issue.expected:
        return severity
    return "info" if abs(issue.stated - issue.expected) <= ROUNDING_STEP else severity


def rounding_slack(amounts: list[tuple[str, str]]) -> int:
    """How far (in 分) a sum of printed amounts can drift from the printed total by rounding alone.

    `amounts` are (text as printed, unit). An amount printed in 元 with its 分 is exact; one in
    万元 to two decimals may be off by half a 0.01万元 (50元) each way."""
    slack = Decimal(0)
    for text, unit in amounts:
        if unit not in FEN_PER_UNIT:
            continue
        decimals = len(text.split(".")[1]) if "." in text else 0
        half = Decimal(1).scaleb(-decimals) / 2 * FEN_PER_UNIT[unit]
        slack += half if half >= 1 else 0
    return int(slack)


# ---- how findings name figures --------------------------------------------------------------

def item_ref(item: Item) -> dict:
    return {"kind": "item", "id": item.item_id}


def table_ref(table: Table) -> dict:
    return {"kind": "table", "id": table.table_id}


def line_ref(line: TextLine) -> dict:
    return {"kind": "line", "id": line.line_id}


def in_unit(fen: int, unit: str | None) -> Decimal | None:
    """分 as a Decimal in the unit printed: 2,016,500 分 → 201.65 (万元); None for another unit."""
    return Decimal(fen) / FEN_PER_UNIT[unit] if unit in FEN_PER_UNIT else None


def text_ref(fig: TextFig) -> dict:
    return {"kind": "text", "id": fig.figure_id}


def show_fen(fen: int, unit: str) -> str:
    """An amount in the unit a source printed: 2,016,500 分 in 万元 → '201.65万元'."""
    return f"{format_amount(Decimal(fen) / FEN_PER_UNIT[unit])}{unit}"


def show_item(item: Item) -> str:
    """'1,566.45万元' as printed."""
    return f"{item.amount_text}{item.unit}"


def where_item(doc: DocData, item: Item) -> str:
    """'《一般公共预算支出表》第7行'."""
    return f"《{doc.table_of(item).title}》第{item.row_no}行"


def show_fig(fig: TextFig) -> str:
    """'1,719.74万元', to the places the text printed."""
    return f"{format_amount(fig.value, 0)}{fig.unit or ''}"


def where_fig(fig: TextFig) -> str:
    """'说明“二、单位预算安排的总体情况”'."""
    return f"说明“{fig.section}”" if fig.section else "说明"


def subject_of(item: Item) -> str:
    """'其他企业改革发展补助（2080699）' — the row's name with its code, as the text writes it."""
    return f"{item.name}（{item.code}）" if item.code else item.name
