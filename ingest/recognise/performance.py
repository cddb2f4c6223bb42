"""Projects and their performance targets (绩效目标) from the tables and forms that list them.

Four printed shapes, one vocabulary: a project has a name (often behind an id like
"54010024T000001507528-"), an amount, and indicators 一级/二级/三级指标 with an operator
(≥ ≤ = 定性) and a value such as "≥90%", "63560人次", "455 万人".
- project lists (项目支出, 专项业务经费支出表): a name column and an amount column;
- grids (项目支出绩效表): a project row, then indicator rows across blank cells;
- forms (绩效目标申报表): label/value rows (项目名称, 年度资金总额) then an indicator block;
- cells or lines (cell-per-line and PDF-text layouts): one token per row, names wrapped.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ingest.model import RawTable
from ingest.records import IndicatorRecord, ProjectRecord
from ingest.textutil import clean_cell, nfkc, parse_amount

LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
OPERATORS = {"≥": "≥", "≤": "≤", "=": "=", "＝": "=", ">": ">", "<": "<", "定性": "定性"}
_VALUE = re.compile(r"^(≥|≤|=|＝|>|<)?\s*([\d,]+(?:\.\d+)?)\s*([^\d\s].*)?$")
_ID_NAME = re.compile(r"^(?:[0-9A-Z]{6,}\s*)?(?:[0-9A-Z]{4,}-)?(\d{4})-(.+)$")
_LIST_NAME = re.compile(r"^([0-9A-Z]{10,})-(.+)$")
_PREFIX = re.compile(r"^指标\d+\s*[:：]\s*")
_FORM_AMOUNT = re.compile(r"(年度资金总额|实施期资金总额)")
_AMOUNT_LINE = re.compile(r"^\d{1,3}(,\d{3})*\.\d{2}$|^\d+\.\d{2}$")
_INDICATOR_LINE = re.compile(r"^(.+?)\s+(≥|≤|＝|=|>|<|定性)\s+(\S+)\s*(.*)$")


def is_project_table(table: RawTable) -> bool:
    if table.kind_hint and table.kind_hint.startswith("performance"):
        return True
    title = table.title.replace(" ", "")
    columns = "".join(table.columns)
    return ("绩效" in title or "专项业务经费" in title or title.endswith("项目支出")
            or "项目支出表" in title) and ("名称" in columns or "绩效" in title)


def extract_projects(table: RawTable, default_unit: str | None) -> list[ProjectRecord]:
    unit = table.unit or default_unit
    if table.kind_hint == "performance_lines":
        return _from_lines(table, unit)
    if table.kind_hint == "performance_cells":
        return _from_cells(table)
    if table.kind_hint == "performance_form":
        return _from_form(table, "万元" if "万元" in _all_text(table) else unit)
    if any(cell in LEVEL1 for row in table.rows for cell in row):
        return _from_grid(table, unit)
    return _from_list(table, unit)


def _all_text(table: RawTable) -> str:
    return " ".join(clean_cell(c) for row in table.rows for c in row if c)


def _where(table: RawTable, k: int) -> tuple[int | None, int | None]:
    line = table.row_lines[k] if k < len(table.row_lines) else None
    page = table.row_pages[k] if k < len(table.row_pages) else table.page
    return line, page


def parse_value(text: str) -> tuple[str | None, Decimal | None, str | None]:
    """'≥90%' → ('≥', 90, '%'); '63560人次' → (None, 63560, '人次'); '得以推进' → (None, None, None)."""
    m = _VALUE.match(nfkc(clean_cell(text)).replace(" ", "") if text else "")
    if not m:
        return None, None, None
    unit = (m.group(3) or "").strip() or None
    if unit and (len(unit) > 4 or re.search(r"\d", unit)):
        return None, None, None  # "300元-10万元之间": a range, not one value
    op = OPERATORS.get(m.group(1)) if m.group(1) else None
    return op, Decimal(m.group(2).replace(",", "")), unit


def _indicator(name: str, level1: str | None, level2: str | None, value_text: str, raw: list[str],
               row_no: int, line: int | None, page: int | None, operator: str | None = None,
               weight: str | None = None, direction: str | None = None, unit: str | None = None
               ) -> IndicatorRecord | None:
    name = _PREFIX.sub("", clean_cell(name)).strip()
    if not name or name.startswith("(须量化)"):
        return None
    op, num, value_unit = parse_value(value_text)
    if unit and num is not None and not value_unit:
        value_unit = unit
    shown = value_text if not operator or operator == "定性" else f"{operator}{value_text}{unit or ''}"
    return IndicatorRecord(name=name, level1=level1, level2=_level2(level2), operator=operator or op,
                           value_text=clean_cell(shown) or None, value_num=num, value_unit=value_unit,
                           weight=weight or None, direction=direction or None,
                           raw_text=" | ".join(c for c in raw if c), row_no=row_no, page=page, line=line)


def _level2(text: str | None) -> str | None:
    return re.sub(r"\s*[(（](必填|选填)[)）]", "", text).replace(" ", "") if text else None


# --- project lists ---------------------------------------------------------------------------

def _from_list(table: RawTable, unit: str | None) -> list[ProjectRecord]:
    name_col = next((i for i, c in enumerate(table.columns) if "名称" in c), None)
    amount_col = next((i for i, c in enumerate(table.columns) if c in ("合计", "项目金额", "金额", "预算数")), None)
    if name_col is None or amount_col is None:
        return []
    projects = []
    for k, row in enumerate(table.rows):
        name = clean_cell(row[name_col]) if name_col < len(row) else ""
        amount = parse_amount(row[amount_col]) if amount_col < len(row) else None
        code_cell = clean_cell(row[0]) if row else ""
        if not name or name in ("合计", "总计") or re.fullmatch(r"\d{3,}", code_cell) or amount is None:
            continue
        code = None
        m = _LIST_NAME.match(name)
        if m:
            code, name = m.group(1), _strip_number(m.group(2))
        line, page = _where(table, k)
        category = clean_cell(row[0]) if row and not code_cell.isdigit() else None
        projects.append(ProjectRecord(name=name, amount=amount, unit=unit, project_code=code,
                                      category=re.sub(r"^\d-", "", category) if category else None,
                                      raw_text=" | ".join(c for c in row if c), row_no=k + 1, line=line, page=page))
    return projects


def _strip_number(name: str) -> str:
    return re.sub(r"^\d{4}-", "", name).replace(" ", "")


# --- grids -----------------------------------------------------------------------------------

def _from_grid(table: RawTable, unit: str | None) -> list[ProjectRecord]:
    projects: list[ProjectRecord] = []
    for k, row in enumerate(table.rows):
        cells = [clean_cell(c) for c in row]
        line, page = _where(table, k)
        start = next((i for i, c in enumerate(cells) if c in LEVEL1), None)
        head = cells[:start] if start is not None else cells
        named = next((c for c in head if _ID_NAME.match(c.replace(" ", ""))), None)
        amount = next((parse_amount(c) for c in head if parse_amount(c) is not None and "." in c), None)
        if named:
            m = _ID_NAME.match(named.replace(" ", ""))
            code = re.match(r"^([0-9A-Z]{10,})", named)
            projects.append(ProjectRecord(name=m.group(2), amount=amount, unit=unit,
                                          project_code=code.group(1) if code else None,
                                          raw_text=" | ".join(c for c in cells if c), row_no=k + 1, line=line, page=page))
        if start is not None and projects:
            rest = cells[start:] + [""] * 8
            indicator = _indicator(rest[2], rest[0], rest[1], rest[4], cells, k + 1, line, page,
                                   operator=OPERATORS.get(rest[3]), unit=rest[5] or None, weight=rest[6],
                                   direction=rest[7])
            if indicator:
                projects[-1].indicators.append(indicator)
    return projects


# --- forms -----------------------------------------------------------------------------------

def _from_form(table: RawTable, unit: str | None) -> list[ProjectRecord]:
    rows = [[clean_cell(c) for c in row] for row in table.rows]
    name = None
    amount = None
    tasks: list[ProjectRecord] = []
    for k, cells in enumerate(rows):
        texts = [c for c in cells if c]
        if not texts:
            continue
        if texts[0] == "项目名称" and len(texts) > 1:
            name = texts[1]
        for i, c in enumerate(texts):
            if _FORM_AMOUNT.search(c):
                following = [parse_value(t)[1] for t in texts[i + 1:] if parse_value(t)[1] is not None]
                if following and amount is None:
                    amount = following[0]
        numbers = [parse_amount(c) for c in texts if parse_amount(c) is not None]
        label = next((t for t in texts if not parse_amount(t) and not re.match(r"^(年度|任务\d+$)", t)), None)
        if numbers and label and ("任务" in "".join(texts[:2]) or label in ("基本支出", "项目支出")
                                  or (k > 0 and "任务名称" in " ".join(rows[k - 1] + rows[max(0, k - 2)]))):
            line, page = _where(table, k)
            tasks.append(ProjectRecord(name=label, amount=numbers[0], unit=unit, category="年度主要任务",
                                       raw_text=" | ".join(texts), row_no=k + 1, line=line, page=page))
    indicators = _form_indicators(table, rows)
    if name:
        line, page = _where(table, 0)
        return [ProjectRecord(name=name, amount=amount, unit=unit, raw_text=f"项目名称 | {name}",
                              row_no=1, line=line, page=page, indicators=indicators)]
    if tasks:
        tasks[0].indicators = indicators
    return tasks


def _form_indicators(table: RawTable, rows: list[list[str]]) -> list[IndicatorRecord]:
    out: list[IndicatorRecord] = []
    started = False
    level1 = level2 = None
    for k, cells in enumerate(rows):
        texts = [c for c in cells if c]
        if not started:
            started = "一级指标" in texts
            continue
        half = _first_half(texts)
        rest = []
        for c in half:
            if c.replace(" ", "") in LEVEL1:
                level1 = c.replace(" ", "")
            elif re.search(r"指标\s*([(（](必填|选填)[)）])?$", c) and not c.startswith("指标"):
                level2 = c
            else:
                rest.append(c)
        if len(rest) >= 2:
            line, page = _where(table, k)
            value = rest[-1] if parse_value(rest[-1])[1] is not None or len(rest) == 2 else rest[1]
            indicator = _indicator(rest[0], level1, level2, value, texts, k + 1, line, page)
            if indicator:
                out.append(indicator)
    return out


def _first_half(texts: list[str]) -> list[str]:
    """Forms that print the medium-term and the annual targets side by side repeat themselves."""
    n = len(texts)
    for size in range(2, n // 2 + 1):
        if texts[size:2 * size] and texts[size:] == texts[1:size + 1][: n - size] and n == 2 * size + 1:
            return texts[: size + 1]
    return texts


# --- one token per row (cell-per-line) -----------------------------------------------------

def _from_cells(table: RawTable) -> list[ProjectRecord]:
    tokens = [clean_cell(r[0]) for r in table.rows if r and clean_cell(r[0])]
    name = re.sub(r"(绩效目标)?表?$", "", table.title) or table.title
    project = ProjectRecord(name=name, raw_text=table.title, row_no=1, line=table.line, page=table.page)
    try:
        start = tokens.index("指标值确定依据") + 1
    except ValueError:
        return [project]
    level1 = level2 = None
    row: list[str] = []
    for k, token in enumerate(tokens[start:], start=start):
        if token in LEVEL1:
            level1 = token
            continue
        if not row and token.endswith("指标") and len(token) <= 12:
            level2 = token
            continue
        row.append(token)
        if token == "单位申报" or len(row) == 4:
            if len(row) >= 3:
                indicator = _indicator(row[0], level1, level2, row[2], row, k + 1, None, table.page)
                if indicator:
                    project.indicators.append(indicator)
            row = []
    return [project]


# --- one PDF line per row, names wrapped over lines ----------------------------------------

def _from_lines(table: RawTable, unit: str | None) -> list[ProjectRecord]:
    """Lines of a PDF table: a project's name wraps over short lines before (or, when its
    amount shares the first line, after) its amount; an indicator's name may wrap before its
    "≥ 95 %" line. Short lines join the project name only while the name is visibly unfinished
    (an open bracket, or a name cut short by the amount on its line)."""
    lines = [(k, clean_cell(r[0])) for k, r in enumerate(table.rows) if r and clean_cell(r[0])]
    projects: list[ProjectRecord] = []
    fragments: list[str] = []
    pending: list[str] = []  # an indicator name waiting for its operator line
    level1 = level2 = None
    header_words = ("项目名", "预算资金", "绩效指", "标性质", "本年绩效", "指标值", "绩效度量", "单位", "称")

    growing = False  # the last project's name was cut by its amount on the same line

    def unfinished(name: str) -> bool:
        return growing or name.count("（") > name.count("）")

    def flush_to_indicator() -> None:
        """Short lines followed by more indicators wrapped the last indicator's name, not a project's."""
        nonlocal fragments
        if fragments and projects and projects[-1].indicators:
            projects[-1].indicators[-1].name += "".join(fragments)
        fragments = []

    after_indicator = False

    for k, text in lines:
        line, page = _where(table, k)
        if not projects and not fragments and any(text.startswith(w) for w in header_words):
            continue
        tokens = text.split(" ")
        was_after_indicator, after_indicator = after_indicator, False
        cut_name = len(tokens) > 1 and bool(_AMOUNT_LINE.match(tokens[1])) and tokens[0] not in LEVEL1
        if not cut_name and not (len(text) <= 8 and re.search(r"[\u4e00-\u9fff]", text) and " " not in text):
            growing_next = False
        else:
            growing_next = growing
        if _AMOUNT_LINE.match(tokens[0]) or (len(tokens) > 1 and _AMOUNT_LINE.match(tokens[1])
                                             and tokens[0] not in LEVEL1):
            if not _AMOUNT_LINE.match(tokens[0]):
                fragments.append(tokens[0])
                tokens = tokens[1:]
            projects.append(ProjectRecord(name="".join(fragments), amount=parse_amount(tokens[0]), unit=unit,
                                          raw_text=text, row_no=k + 1, line=line, page=page))
            fragments, pending = [], []
            tokens = tokens[1:]
            growing_next = cut_name
        growing = growing_next
        while tokens and (tokens[0] in LEVEL1 or re.fullmatch(r"\S*指标|服务对象满意度", tokens[0])):
            flush_to_indicator()
            if tokens[0] in LEVEL1:
                level1 = tokens[0]
            else:
                level2 = tokens[0]
            tokens = tokens[1:]
        text = " ".join(tokens)
        if not text or text == "指标":
            continue
        m = _INDICATOR_LINE.match(text) or re.match(r"^()(≥|≤|＝|=|>|<|定性)\s+(\S+)\s*(.*)$", text)
        if m and projects:
            flush_to_indicator()
            name = "".join(pending) + m.group(1).replace(" ", "")
            pending = []
            indicator = _indicator(name, level1, level2, m.group(3), [text], k + 1, line, page,
                                   operator=OPERATORS.get(m.group(2)), unit=m.group(4).strip() or None)
            if indicator:
                projects[-1].indicators.append(indicator)
            after_indicator = True
            continue
        if pending or len(text) > 8:
            pending.append(text.replace(" ", ""))
        elif was_after_indicator and len(text) <= 2 or "/" in text:
            pass  # the tail of a wrapped unit ("元/平方" "米")
        elif re.search(r"[\u4e00-\u9fff]", text):
            if projects and unfinished(projects[-1].name) and not fragments:
                projects[-1].name += text
            else:
                fragments.append(text)
    return [p for p in projects if p.name]
