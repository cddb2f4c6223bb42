"""One normalization pipeline for every reader: ParsedDocument → NormalizedDocument.

Per table: its kind (db/glossary.json), its unit, the role of each column (code, name,
amount), full codes (joining 类/款/项 parts), then one line item per (row, amount column) with
the amount in exact 分. Rows whose blank cells were lost go through ingest/normalise/identities.py.
Projects and performance targets go to ingest/recognise/performance.py, explanatory text to
ingest/recognise/narrative.py.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from db.glossary import canonical_measure, glossary

from ingest.normalise import identities, sangong_lines
from ingest.recognise.identity import Identity, document_title, recognise_identity
from ingest.recognise.table_families import classify_table
from ingest.recognise.narrative import extract_text_figures
from ingest.recognise.performance import extract_projects, is_project_table
from ingest.model import IngestError, Paragraph, ParsedDocument, RawTable
from ingest.records import ProjectRecord, TextFigure
from ingest.textutil import FEN_PER_UNIT, clean_cell, is_code, nfkc, parse_amount, squash

TOTAL_NAMES = {"合计", "总计", "总合计", "本年收入合计", "本年支出合计", "收入总计", "支出总计", "金额合计"}
ORG_NAME = re.compile(r"(局|委员会|办公室|办事处|中心|本级|街道)[)）]?$")
IGNORED_HEADERS = ("备注", "简介", "是否空表", "理由", "拟变动", "时间", "说明", "规格", "目录", "内容",
                   "序号", "报表", "性质", "依据", "方向")
COUNT_HEADERS = ("数量", "人数", "个数")
# A column of rates, not money: 增减%, 增长率, 完成率, 决算数为预算数的%, 占比.
_HEADER_UNIT = re.compile(r"[（(](?:(?:金额)?单位[:：])?\s*(万元|元|亿元|千元)\s*[)）]|单位[:：]\s*(万元|元|亿元|千元)")
_PERCENT_HEADER = re.compile(r"[%％]|百分比|[增长完成执行]率|比率|比例|比重|占比|幅度")
_NUMBERING = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．](?!\d))\s*")
_UNIT_CODE_NAME = re.compile(r"^(\d{3,})\s*[-—]?\s*(\D.*)$")


@dataclass
class Item:
    row_no: int
    name: str
    measure: str
    column_label: str
    amount_fen: int
    amount_text: str
    unit: str
    classification: str
    code: str | None = None
    parent_code: str | None = None
    level: str | None = None
    side: str | None = None
    is_total: bool = False
    uncertain: bool = False
    raw_text: str = ""
    page: int | None = None
    line: int | None = None
    printed_at: int | None = None  # index of the raw cell the amount was read from
    bbox: tuple[float, float, float, float] | None = None  # that cell (or the row) on its page
    ocr_confidence: float | None = None  # read by OCR: the engine's confidence (ingest/normalise/ocr_checks.py)


@dataclass
class NormalizedTable:
    seq: int
    title: str
    table_kind: str
    unit: str | None
    page: int | None
    line: int | None
    columns: list[str]
    rows: list[tuple[int, list[str], int | None, int | None]]  # (row_no, cells, page, line)
    items: list[Item] = field(default_factory=list)
    projects: list[ProjectRecord] = field(default_factory=list)
    is_empty: bool = False
    note: str | None = None


@dataclass
class NormalizedDocument:
    issuer: str
    year: int | None
    kind: str
    scope: str
    title: str
    layout: str
    unit: str | None
    pages: int | None
    tables: list[NormalizedTable]
    text_figures: list[TextFigure]
    identity: Identity | None = None
    part: str = "whole"  # whole | tables | text: a budget published as two files has two parts
    paragraphs: list[Paragraph] = field(default_factory=list)  # the text as read, for the audit
    heading_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the layout left unread, said at ingest


def normalize(parsed: ParsedDocument, overrides: dict | None = None) -> NormalizedDocument:
    """`overrides` are fields the user stated (issuer, year, kind, scope; unit for tables that
    print none); they win over cues."""
    stated_unit = (overrides or {}).get("unit")
    identity = recognise_identity(parsed, {k: v for k, v in (overrides or {}).items() if k != "unit"})
    text_figures = _text_figures(parsed)
    if not parsed.tables and not text_figures:
        raise IngestError(f"{_name(parsed)}：没有找到预算表，说明文字里也没有预算数字，"
                          f"看起来不是部门预算/决算文件。请确认文件内容。")
    issuer, year, kind, scope = identity.issuer, identity.year, identity.kind, identity.scope
    units = Counter(t.unit for t in parsed.tables if t.unit)
    doc_unit = units.most_common(1)[0][0] if units else None
    name_codes = _name_code_map(parsed.tables)
    tables = [_table_shell(i + 1, raw, doc_unit, stated_unit) for i, raw in enumerate(parsed.tables)]
    known: dict[tuple[str, int], set[str]] = {}
    # Tables whose columns are certain first, then the lost-cell ones from the narrowest up, so
    # a code decided in a narrow table decides it in a wider one.
    order = sorted(range(len(tables)), key=lambda i: (not parsed.tables[i].cells_positional,
                                                      len(parsed.tables[i].columns)))
    for i in order:
        _fill_table(tables[i], parsed.tables[i], name_codes, known)
    only_targets = bool(tables) and all(t.table_kind == "performance" for t in tables)
    part = "whole" if tables and text_figures else ("tables" if tables else "text")
    title = document_title(identity, part if part == "text" else None, only_targets)
    return NormalizedDocument(issuer, year, kind, scope, title, parsed.layout, doc_unit, parsed.pages,
                              tables, text_figures, identity, part, parsed.paragraphs, parsed.heading_lines,
                              _unread_tables(tables))


def _unread_tables(tables: list[NormalizedTable]) -> list[str]:
    """Tables that print amounts but no unit anywhere (above, in the header, in other tables):
    their figures are not loaded, and the ingest says so and how to state the unit."""
    return [f"《{t.title or f'第{t.seq}张表'}》印有金额但没有写单位（元/万元），这些数没有导入："
            f"请核对原表后用 --unit 万元（或 --unit 元）重新导入"
            for t in tables if not t.unit and not t.is_empty and t.table_kind not in ("performance", "project")
            and not t.projects]


def _name(parsed: ParsedDocument) -> str:
    return parsed.source_path.rsplit("/", 1)[-1]


def _text_figures(parsed: ParsedDocument) -> list[TextFigure]:
    return extract_text_figures(parsed.paragraphs)


def _table_shell(seq: int, raw: RawTable, doc_unit: str | None, stated_unit: str | None = None) -> NormalizedTable:
    kind = classify_table(raw.title, raw.columns, raw.kind_hint, raw.column_groups)
    rows = []
    for k, cells in enumerate(raw.rows):
        page = raw.row_pages[k] if k < len(raw.row_pages) else raw.page
        line = raw.row_lines[k] if k < len(raw.row_lines) else None
        rows.append((k + 1, [clean_cell(c) for c in cells], page, line))
    has_numbers = any(parse_amount(c) is not None for _, cells, _, _ in rows for c in cells)
    unit = raw.unit or header_unit(raw) or stated_unit or doc_unit
    return NormalizedTable(seq, raw.title, kind, unit, raw.page, raw.line,
                           list(raw.columns), rows, is_empty=not has_numbers, note=raw.note)


def _fill_table(table: NormalizedTable, raw: RawTable, name_codes: dict[str, str],
                known: dict[tuple[str, int], set[str]]) -> None:
    if table.table_kind == "performance" or is_project_table(raw):
        table.projects = extract_projects(raw, table.unit)
        if table.table_kind == "other":
            table.table_kind = "project"
        return
    if not table.unit:
        return  # no unit stated anywhere: amounts cannot be read exactly
    if table.table_kind == "sangong" and any("因公出国" in c for c in raw.columns + raw.column_groups):
        table.items = _wide_sangong_items(table, raw)
    elif raw.cells_positional:
        table.items = _positional_items(table, raw, name_codes)
    else:
        table.items = _lost_cell_items(table, raw, name_codes, known)
    if table.table_kind == "sangong":
        _name_sangong_total(table.items)
    _attach_boxes(table, raw)
    for item in table.items:
        key = "__total__" if item.is_total else item.code
        if not item.uncertain and key:
            known.setdefault((key, item.amount_fen), set()).add(item.measure)


def _attach_boxes(table: NormalizedTable, raw: RawTable) -> None:
    """Each item's place on its page: the cell it was printed in, else its row (PDF only)."""
    for item in table.items:
        k = item.row_no - 1
        cells = raw.cell_boxes[k] if k < len(raw.cell_boxes) else []
        if item.printed_at is not None and item.printed_at < len(cells) and cells[item.printed_at]:
            item.bbox = cells[item.printed_at]
        elif k < len(raw.row_boxes):
            item.bbox = raw.row_boxes[k]


# --- column roles --------------------------------------------------------------------------

def _is_code_col(label: str) -> bool:
    return "编码" in label or label in ("类", "款", "项")


def _is_name_col(label: str) -> bool:
    """项目 / 科目名称 / 单位（项目）名称 / 支出功能分类科目（按大类） / 预算单位 — not 项目支出."""
    label = label.replace(" ", "")
    return "编码" not in label and (label in ("项目", "预算单位", "采购项目") or label.endswith(("名称", "科目"))
                                   or "按大类" in label or bool(_SIDE_NAME.fullmatch(label)))


# The name column of one half of a 收支总表: 收入项目, 支出项目 (a bare 收入 may hold amounts).
_SIDE_NAME = re.compile(r"(收入|支出)(项目|科目)")


def _is_ignored_col(label: str) -> bool:
    return any(h in label for h in IGNORED_HEADERS) and not _is_name_col(label)


def header_unit(raw: RawTable) -> str | None:
    """The unit a table prints in its header instead of above it: '支出预算（万元）' spanning
    the amounts, '金额（元）', '合计(万元)'. One unit, or None when the labels name none or
    disagree (each column then keeps its own, `_column_unit`)."""
    units = set()
    for label in raw.columns + raw.column_groups:
        m = _HEADER_UNIT.search(label or "")
        if m:
            units.add(m.group(1) or m.group(2))
    return units.pop() if len(units) == 1 else None


def _is_percent_col(label: str, group: str = "") -> bool:
    """A rate column (增减%, 完成率): its figures are percentages, never money."""
    return bool(_PERCENT_HEADER.search(label)) or (not label and bool(_PERCENT_HEADER.search(group)))


def _column_unit(label: str, table_unit: str) -> str:
    m = re.search(r"(万元|元)", label)
    if m and ("单位" in label or "（" in label or "(" in label):
        return m.group(1)
    return table_unit


def _classification_of_header(label: str, group: str) -> str | None:
    text = label + group
    if "单位编码" in text or "单位名称" in text or "预算单位" in text:
        return "unit"
    if "功能" in text:
        return "function"
    if "部门" in text and "经济" in text:
        return "dept_economic"
    if "政府" in text and "经济" in text:
        return "gov_economic"
    return None


def _classify_code(code: str, name: str, hint: str | None) -> str:
    if hint == "unit" or len(code) == 6 or ORG_NAME.search(name):
        return "unit"
    if hint in ("function", "dept_economic", "gov_economic"):
        return hint
    return {"2": "function", "3": "dept_economic", "5": "gov_economic"}.get(code[0], "other")


def _level_and_parent(code: str, classification: str) -> tuple[str | None, str | None]:
    if classification not in ("function", "dept_economic", "gov_economic"):
        return None, None
    return {3: ("类", None), 5: ("款", code[:3]), 7: ("项", code[:5])}.get(len(code), (None, None))


def clean_name(text: str) -> str:
    """'八、社会保障和就业支出' → '社会保障和就业支出'; '合 计' → '合计'; '总合计：' → '总合计'."""
    s = clean_cell(text)
    s = _NUMBERING.sub("", s)
    s = re.sub(r"^其中[:：]\s*", "", s).rstrip("：:")
    if re.fullmatch(r"[\u4e00-\u9fff](\s[\u4e00-\u9fff])+", s):
        s = s.replace(" ", "")
    return s.strip()


def _is_total(name: str) -> bool:
    return name.replace(" ", "") in TOTAL_NAMES


def _name_code_map(tables: list[RawTable]) -> dict[str, str]:
    """name → full code, from rows that print a full code next to a name (for 类/款/项 parts)."""
    out: dict[str, str] = {}
    for table in tables:
        for row in table.rows:
            cells = [clean_cell(c) for c in row if clean_cell(c)]
            if len(cells) >= 2 and is_code(cells[0]) and len(cells[0]) in (5, 7):
                out.setdefault(clean_name(cells[1]), cells[0])
    return out


class _CodeJoiner:
    """Joins 类/款/项 parts printed in one cell ("208", "05", "05") into full codes.

    A two-digit part after a 款 is a 项 while the 款's children have not yet added up to it;
    a name printed elsewhere in the document with its full code decides first."""

    def __init__(self, name_codes: dict[str, str]):
        self.name_codes = name_codes
        self.lei: str | None = None
        self.kuan: str | None = None
        self.kuan_amount = 0
        self.kuan_children = 0

    def full_code(self, part: str, name: str, first_amount: int) -> str:
        if len(part) != 2 or self.lei is None:
            if len(part) == 3:
                self.lei, self.kuan = part, None
            elif len(part) == 5:
                self.lei, self.kuan, self.kuan_amount, self.kuan_children = part[:3], part, first_amount, 0
            return part
        known = self.name_codes.get(name)
        economic = self.lei[0] in "35"
        if known and known.startswith(self.lei):
            as_item = len(known) == 7
        else:
            as_item = (not economic and self.kuan is not None
                       and self.kuan_children + first_amount <= self.kuan_amount
                       and self.kuan_children < self.kuan_amount)
        if as_item and self.kuan:
            self.kuan_children += first_amount
            return self.kuan + part
        self.kuan, self.kuan_amount, self.kuan_children = self.lei + part, first_amount, 0
        return self.kuan


# --- positional tables ---------------------------------------------------------------------

def _roles(raw: RawTable) -> tuple[int | None, list[int], dict[int, int], list[int]]:
    """(code column, label-group columns, amount column → its label column, code-part columns)."""
    cols = raw.columns
    parts = [i for i, c in enumerate(cols) if c in ("类", "款", "项")]
    code_col = next((i for i, c in enumerate(cols) if "编码" in c), parts[0] if parts else None)
    groups: list[int] = []
    owner: dict[int, int] = {}
    last_was_amount = True
    for i, label in enumerate(cols):
        if _is_code_col(label):
            continue
        if _is_name_col(label) and not _is_ignored_col(label):
            if last_was_amount or not groups:
                groups.append(i)
            last_was_amount = False
            continue
        if _is_ignored_col(label) or not label and not _column_has_amounts(raw, i):
            continue
        if groups or code_col is not None:
            owner[i] = groups[-1] if groups else code_col  # type: ignore[assignment]
            last_was_amount = True
    if not groups:
        # No header said which column holds names: the first mostly-text column does.
        text_col = next((i for i in range(len(cols)) if i != code_col and not _column_has_amounts(raw, i)), None)
        if text_col is not None:
            groups = [text_col]
            owner = {i: text_col for i in range(text_col + 1, len(cols))
                     if _column_has_amounts(raw, i) and not _is_ignored_col(cols[i])}
    return code_col, groups, owner, parts


def _column_has_amounts(raw: RawTable, col: int) -> bool:
    return any(col < len(r) and parse_amount(r[col]) is not None for r in raw.rows)


def _code_columns(raw: RawTable, groups: list[int], code_col: int | None) -> dict[int, list[int]]:
    """Each name column's own code columns: the 类/款/项 (or 编码) columns just before it. Tables
    printed as two halves side by side (决算 基本支出表) have a set for each half."""
    out: dict[int, list[int]] = {}
    for g in groups:
        cols, i = [], g - 1
        while i >= 0 and _is_code_col(raw.columns[i]):
            cols.insert(0, i)
            i -= 1
        out[g] = cols
    if groups and not out[groups[0]] and code_col is not None:
        out[groups[0]] = [code_col]
    return out


def _positional_items(table: NormalizedTable, raw: RawTable, name_codes: dict[str, str]) -> list[Item]:
    code_col, groups, owner, _ = _roles(raw)
    header_class = {g: _classification_of_header(raw.columns[g], _group(raw, g)) for g in groups}
    code_hint = _classification_of_header(raw.columns[code_col], _group(raw, code_col)) if code_col is not None else None
    code_cols = _code_columns(raw, groups, code_col)
    carried: dict[int, list[str]] = {g: ["", ""] for g in groups}  # (类, 款) printed once, used below
    items: list[Item] = []
    for row_no, cells, page, line in table.rows:
        get = lambda i: cells[i] if i is not None and i < len(cells) else ""  # noqa: E731
        for g in groups:
            name = clean_name(get(g))
            code, label = _row_code([get(i) for i in code_cols[g]], [raw.columns[i] for i in code_cols[g]],
                                    carried[g])
            name = name or label  # 合计 printed in a merged code cell
            if not name and not code and g == groups[0]:
                name = _name_elsewhere(cells, owner)
            m = _UNIT_CODE_NAME.match(name)
            if not code and m:
                code, name = m.group(1), clean_name(m.group(2))
            if not name and not code:
                continue
            for col, own in owner.items():
                if own != g:
                    continue
                text = get(col)
                value = parse_amount(text)
                if value is None:
                    continue
                items.append(_make_item(table, raw, row_no, code or None, name, col, value, text,
                                        header_class.get(g) or code_hint, cells, page, line))
    return items


def _name_elsewhere(cells: list[str], owner: dict[int, int]) -> str:
    """A row whose name column is blank but which prints its label in another text column
    (政府采购表: '合计' and '一、货物' sit under 采购品目大类, the items under 专项名称): that
    label, so nothing printed is dropped."""
    for col, text in enumerate(cells):
        if col in owner:
            break
        if text and parse_amount(text) is None and not is_code(text):
            return clean_name(text)
    return ""


def _row_code(values: list[str], labels: list[str], carried: list[str]) -> tuple[str, str]:
    """(full code, text printed where the code goes) from a row's code cells: one 编码 cell, or
    类/款/项 parts joined ("201", "03", "01" → 2010301), a blank 类 taken from the row above.
    A 款 or 项 printed as one digit ("301 2 津贴补贴", a spreadsheet that dropped the leading
    zero) is that part with its zero put back: 30102."""
    values = [v.zfill(2) if label in ("款", "项") and re.fullmatch(r"\d", v or "") else v
              for label, v in zip(labels, values)] + values[len(labels):]
    texts = [v for v in values if v]
    if texts and not all(is_code(v) for v in texts):
        return "", clean_name(" ".join(t for t in texts if not is_code(t)))
    if not labels or labels[0] not in ("类", "款", "项"):
        return (texts[0] if texts else ""), ""
    parts = dict(zip(labels, values))
    if parts.get("类"):
        carried[0], carried[1] = parts["类"], ""
    if parts.get("款"):
        carried[1] = carried[0] + parts["款"]
    if not any(values):
        return "", ""
    if parts.get("项") and carried[1]:
        return carried[1] + parts["项"], ""
    return (carried[1] if parts.get("款") else carried[0]), ""


def _group(raw: RawTable, col: int) -> str:
    return raw.column_groups[col] if col < len(raw.column_groups) else ""


def _side(raw: RawTable, col: int) -> str | None:
    """收入 / 支出 for side-by-side summary tables: from the spanning label (收入, 本年支出,
    财政拨款收入 …), else by position (the second 项目 column starts the 支出 side)."""
    names = [i for i, c in enumerate(raw.columns)
             if c.replace(" ", "") == "项目" or _SIDE_NAME.fullmatch(c.replace(" ", ""))]
    if len(names) < 2:
        return None  # not a side-by-side table: 基本支出 over its columns is not a side
    group = _group(raw, col)
    for side in ("收入", "支出"):
        if group.endswith(side):
            return side
    owner = max(i for i in names if i < col) if any(i < col for i in names) else None
    m = _SIDE_NAME.fullmatch(raw.columns[owner].replace(" ", "")) if owner is not None else None
    if m:
        return m.group(1)  # the half's own name column says: 支出项目
    return "收入" if col < names[1] else "支出"


def _make_item(table: NormalizedTable, raw: RawTable, row_no: int, code: str | None, name: str,
               col: int, value: Decimal, text: str, hint: str | None, cells: list[str],
               page: int | None, line: int | None, uncertain: bool = False,
               printed_at: int | None = None) -> Item:
    label = raw.columns[col] if col < len(raw.columns) else ""
    unit = _column_unit(label, table.unit or "元")
    measure = canonical_measure(re.sub(r"[（(].*?单位.*?[)）]", "", label) or "合计")
    group = _group(raw, col).replace(" ", "")
    if measure == "合计" and label.replace(" ", "") in ("金额", "小计") and group in _INCOME_COLUMNS:
        measure = group  # 事业收入 over 金额 | 其中：教育收费: the 金额 is the 事业收入, not the row's 合计
    elif group in _INCOME_COLUMNS and re.match(r"其中[:：]", label):
        measure = re.sub(r"^其中[:：]", "", label.replace(" ", ""))  # 其中：教育收费 → 教育收费
    if any(h in label for h in COUNT_HEADERS):
        m = re.search(r"[（(]([^）)]*)[)）]", name)
        unit = m.group(1).replace("、", "/") if m else "个"
        fen = int(value * 100)
    elif _is_percent_col(label, _group(raw, col)):
        unit, fen = "%", int(value * 100)
    else:
        fen = int(value * FEN_PER_UNIT[unit])
    side = _side(raw, col)
    if code:
        classification = _classify_code(code, name, hint)
    elif hint:
        classification = hint
    elif side == "收入":
        classification = "income"
    elif side == "支出":
        classification = "expenditure"
    else:
        classification = "sangong" if table.table_kind == "sangong" else "other"
    level, parent = _level_and_parent(code, classification) if code else (None, None)
    return Item(row_no, name, measure, label, fen, text, unit, classification, code, parent, level,
                side, _is_total(name), uncertain, " | ".join(c for c in cells if c), page, line,
                printed_at=col if raw.cells_positional else printed_at)


# --- rows whose blank cells were lost ------------------------------------------------------

def _lost_cell_items(table: NormalizedTable, raw: RawTable, name_codes: dict[str, str],
                     known: dict[tuple[str, int], set[str]]) -> list[Item]:
    cols = raw.columns
    amount_cols = [i for i, c in enumerate(cols) if not _is_code_col(c) and not _is_name_col(c)
                   and not _is_ignored_col(c) and c]
    if not amount_cols:
        return []
    width = len(amount_cols)
    code_col = next((i for i, c in enumerate(cols) if _is_code_col(c)), None)
    hint = _classification_of_header(cols[code_col], _group(raw, code_col)) if code_col is not None else None
    joiner = _CodeJoiner(name_codes)
    parsed_rows = []
    for row_no, cells, page, line in table.rows:
        texts = [c for c in cells if c and parse_amount(c) is None or (c and is_code(c) and "." not in c
                                                                         and cells.index(c) == 0)]
        at = [i for i, c in enumerate(cells) if c and parse_amount(c) is not None and c not in texts]
        numbers = [cells[i] for i in at]
        if not numbers:
            continue
        code, name = None, ""
        if texts and is_code(texts[0]):
            code, name = texts[0], clean_name(" ".join(texts[1:]))
        elif texts:
            name = clean_name(" ".join(texts))
            m = _UNIT_CODE_NAME.match(name)
            if m:
                code, name = m.group(1), clean_name(m.group(2))
        fens = [int(parse_amount(n) * FEN_PER_UNIT[table.unit or "元"]) for n in numbers]
        if code and len(code) <= 7 and not ORG_NAME.search(name):
            code = joiner.full_code(code, name, fens[0])
        parsed_rows.append((row_no, cells, page, line, code, name, numbers, fens, at))
    solver_rows = []
    for row_no, cells, page, line, code, name, numbers, fens, _ in parsed_rows:
        is_total = _is_total(name)
        key = "__total__" if is_total else code
        classification = _classify_code(code, name, hint) if code else None
        parent = _level_and_parent(code, classification)[1] if code and classification else None
        solver_rows.append(identities.SolverRow(key, parent, fens))
    known_cols = {(k, v): {amount_cols.index(i) for i in amount_cols
                           if canonical_measure(cols[i]) in measures}
                  for (k, v), measures in known.items()}
    placements = identities.solve(solver_rows, width, known_cols)
    items: list[Item] = []
    name_col = next((i for i, c in enumerate(cols) if _is_name_col(c)), None)
    for (row_no, cells, page, line, code, name, numbers, fens, at), (placement, certain) in zip(parsed_rows, placements):
        placed = [""] * len(cols)  # the row as the identities placed it, for showing the table back
        if code_col is not None:
            placed[code_col] = code or ""
        if name_col is not None:
            placed[name_col] = name
        elif code_col is None and cols:
            placed[0] = name
        for k, (text, col) in enumerate(zip(numbers, placement)):
            sure = certain or k == 0  # the first number is the row's 合计 whatever else is unsure
            items.append(_make_item(table, raw, row_no, code, name, amount_cols[col], parse_amount(text),
                                    text, hint, cells, page, line, uncertain=not sure, printed_at=at[k]))
            placed[amount_cols[col]] = text if sure else f"{text}?"
        table.rows[row_no - 1] = (row_no, placed, page, line)
    return items


# --- "三公" tables printed wide: the items are the columns ----------------------------------

def _wide_sangong_items(table: NormalizedTable, raw: RawTable) -> list[Item]:
    """Columns 因公出国（境）费 / 公务用车购置费 / … are the items; the 合计 row holds the
    department's figures (unit rows repeat them). Year groups (上年/当年) become the measure."""
    items: list[Item] = []
    rows = [r for r in table.rows if any(_is_total(clean_name(c)) for c in r[1][:3] if c)] or table.rows[:1]
    for row_no, cells, page, line in rows[:1]:
        if not raw.cells_positional:
            items += _lost_cell_sangong_items(table, raw, row_no, cells, page, line)
            continue
        # A table that adds 会议费/培训费 to the 三公 prints a 合计 of all of them: that is not the
        # “三公” total, which is the 小计 of the 三公 columns.
        extra = [c for c in raw.columns if "会议费" in c or "培训费" in c]
        for col, label in enumerate(raw.columns):
            value = parse_amount(cells[col]) if col < len(cells) else None
            if value is None or _is_code_col(label) or _is_name_col(label):
                continue
            group = _group(raw, col)
            if label in _COLUMN_MEASURES and group:  # 决算: 因公出国（境）费 over 预算数 | 决算数
                name = "公务用车购置及运行费" if group == "小计" else _sangong_name(group, "")
                measure = _COLUMN_MEASURES[label]
            elif extra and label in ("合计", "总计") and "三公" not in group:
                name = "“三公”经费、" + "、".join(dict.fromkeys(("会议费" if "会议费" in c else "培训费") for c in extra)) + "合计"
                measure = "上年预算数" if "上年" in group else "合计"
            else:
                name = _sangong_name(label, group)
                measure = "上年预算数" if "上年" in group else "合计"
            fen = int(value * FEN_PER_UNIT[table.unit or "元"])
            items.append(Item(row_no, name, measure, label, fen, cells[col], table.unit or "元",
                              "sangong", is_total=False, raw_text=" | ".join(c for c in cells if c),
                              page=page, line=line, printed_at=col))
    return items


def _name_sangong_total(items: list[Item]) -> None:
    """The 合计 row of a “三公” table printed down the rows (项目 | 预算数) is the “三公”经费合计,
    or, when the table adds 会议费/培训费 rows, the total of all of them: named so, as the wide
    layout names its 合计 column, so that a question for the “三公” total finds it (or not)."""
    names = {squash(i.name) for i in items}
    extra = [w for w in ("会议费", "培训费") if any(w in n for n in names)]
    name = "“三公”经费、" + "、".join(extra) + "合计" if extra else "“三公”经费合计"
    for item in items:
        if item.is_total and item.classification == "sangong":
            item.name, item.is_total = name, False


def _lost_cell_sangong_items(table: NormalizedTable, raw: RawTable, row_no: int, cells: list[str],
                             page: int | None, line: int | None) -> list[Item]:
    """The PDF-text 三公 row: numbers only, placed by the table's identities (ingest/normalise/sangong_lines.py)."""
    groups = sangong_lines.year_groups(raw.columns)
    at = [i for i, c in enumerate(cells) if parse_amount(c) is not None]
    numbers = [cells[i] for i in at]
    placed = sangong_lines.place([parse_amount(c) for c in numbers], len(groups)) if groups else None
    unit = table.unit or "元"
    return [Item(row_no, name, "上年预算数" if "上年" in groups[g] else "合计", groups[g],
                 int(parse_amount(numbers[k]) * FEN_PER_UNIT[unit]), numbers[k], unit, "sangong", is_total=False,
                 raw_text=" | ".join(c for c in cells if c), page=page, line=line, printed_at=at[k])
            for g, name, k in placed or []]


# Sources of income a 收入预算表 prints as a group over 金额 and its 其中 columns.
_INCOME_COLUMNS = frozenset(glossary()["income_columns"]["words"])

# Leaf labels that say which figure of an item a column holds, not which item.
_COLUMN_MEASURES = {"预算数": "年初预算数", "年初预算数": "年初预算数", "全年预算数": "全年预算数", "决算数": "决算数"}


def _sangong_name(label: str, group: str) -> str:
    label = nfkc(label).replace(" ", "").replace("(", "（").replace(")", "）")
    if label in ("小计", "合计") and group and "三公" not in group and "上年" not in group and "当年" not in group:
        return clean_name(nfkc(group).replace(" ", ""))
    if label in ("合计", "小计") or "三公" in label:
        return "“三公”经费合计"
    if label in ("购置费", "运行费", "运行维护费") and "公务用车" in group:
        return "公务用车" + label
    label = re.sub(r"预算数?$", "", label)  # 机关运行经费预算数 → 机关运行经费
    label = re.sub(r"^\d{4}年度?", "", label)  # 2024年机关运行经费 → 机关运行经费
    return label.replace("因公出国（境）费用", "因公出国（境）费")
