"""The cell-per-line layout: every cell on its own tab-indented line, blank cells gone.

A table is a title line, meta lines (unit code, 预算年度, 单位), the header cells flattened
(level-1 labels, then level-2 labels), `栏次` with the column numbers, then body rows, each
starting with its 序号. Because blank cells vanished, a row is handed on as its text cells
followed by its numbers (`cells_positional=False`) and the normalizer places the numbers with
the budget identities. Side-by-side 收入/支出 tables pair each number with the label before it.
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.model import ParsedDocument, RawTable
from ingest.readers.text_reader import paragraphs_from_lines
from ingest.textutil import clean_cell, find_unit, is_code, parse_amount

GROUP_LABELS = {"收入", "支出", "本年收入", "资金性质", "一般公共预算基本支出", "绩效目标"}
NAME_LABELS = {"项目", "科目名称", "单位名称"}
CODE_LABELS = {"科目编码"}


def _norm_label(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _is_group(label: str) -> bool:
    return label in GROUP_LABELS or label.endswith("科目")


def read_cell_per_line(path: Path, lines: list[str]) -> ParsedDocument:
    blocks: list[tuple[int, str, list[tuple[int, str]]]] = []  # (title line, title, cells)
    text_lines: list[tuple[int, str]] = []
    last_text = (0, "")  # the last plain line: the title of the cells that follow it
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t") and clean_cell(line):
            if not blocks or blocks[-1][0] != last_text[0]:
                title_line, title = last_text
                if text_lines and text_lines[-1][0] == title_line:
                    text_lines.pop()  # a title, not a paragraph
                blocks.append((title_line, title, []))
            blocks[-1][2].append((i + 1, clean_cell(line)))
        elif clean_cell(line).startswith("注") and blocks and _follows_block(lines, i):
            blocks[-1][2].append((i + 1, clean_cell(line)))  # the table's own note
        elif clean_cell(line) and _wrapped_cell(lines, i):
            blocks[-1][2][-1] = (blocks[-1][2][-1][0], blocks[-1][2][-1][1] + clean_cell(line))
        elif clean_cell(line):
            last_text = (i + 1, clean_cell(line))
            text_lines.append((i + 1, line))
        i += 1
    tables = [t for t in (_block_to_table(*b) for b in blocks) if t is not None]
    headings = [clean_cell(ln) for ln in lines[:40] if clean_cell(ln)][:12]
    return ParsedDocument(str(path), "cell-per-line", tables, paragraphs_from_lines(text_lines),
                          heading_lines=headings)


def _follows_block(lines: list[str], i: int) -> bool:
    """Only blank lines between this line and the last cell of a table."""
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j >= 0 and lines[j].startswith("\t")


def _wrapped_cell(lines: list[str], i: int) -> bool:
    """'\t科目' then '编码' on its own line: a cell whose text wrapped, not a new title."""
    prev = lines[i - 1] if i else ""
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    return (prev.startswith("\t") and nxt.startswith("\t") and len(clean_cell(lines[i])) <= 4
            and not lines[i].startswith("\t"))


def _block_to_table(title_line: int, title: str, cells: list[tuple[int, str]]) -> RawTable | None:
    title = re.sub(r"^\d+[、.]", "", title).strip() or title
    unit = None
    body_start = None
    header: list[str] = []
    n_columns = None
    k = 0
    while k < len(cells):
        text = cells[k][1]
        if find_unit(text) and len(text) < 25:
            unit = find_unit(text)
        elif text.startswith("预算年度") or re.match(r"^\d{3,6}\D", text) and not header:
            pass  # unit code + name, budget year: document metadata
        elif text == "栏次":
            j = k + 1
            while j < len(cells) and cells[j][1].isdigit() and int(cells[j][1]) == j - k:
                j += 1
            n_columns = j - k - 1
            body_start = j
            break
        else:
            header.append(text)
        k += 1
    if body_start is None:
        return _block_without_column_numbers(title_line, title, cells, unit)
    columns, groups = _leaf_columns(header, n_columns)
    rows, row_lines = _rows_by_serial(cells[body_start:])
    side_by_side = columns.count("项目") >= 2
    if side_by_side:
        rows = [_pair_side_by_side(r, columns) for r in rows]
    return RawTable(title=title, columns=columns, column_groups=groups, rows=rows, unit=unit,
                    line=title_line, row_lines=row_lines, cells_positional=side_by_side,
                    note=_note_after(cells))


def _note_after(cells: list[tuple[int, str]]) -> str | None:
    notes = [t for _, t in cells if t.startswith("注")]
    return notes[0] if notes else None


def _leaf_columns(header: list[str], n_columns: int | None) -> tuple[list[str], list[str]]:
    """Flattened two-level header → leaf labels in column order (see module docstring)."""
    labels = [_norm_label(h) for h in header if _norm_label(h) != "序号"]
    split = next((i for i, lab in enumerate(labels) if lab in CODE_LABELS | NAME_LABELS), len(labels))
    level1, level2 = labels[:split], labels[split:]
    groups = [lab for lab in level1 if _is_group(lab)]
    children: dict[str, list[str]] = {g: [] for g in groups}
    if groups and all(g in ("收入", "支出") for g in groups):
        segments: list[list[str]] = []
        for lab in level2:
            if lab in NAME_LABELS or not segments:
                segments.append([])
            segments[-1].append(lab)
        for g, seg in zip(groups, segments):
            children[g] = seg
    else:
        code_groups = [g for g in groups if g.endswith("科目")]
        other_groups = [g for g in groups if not g.endswith("科目")]
        for lab in level2:
            if _is_group(lab):
                continue
            if lab in CODE_LABELS | NAME_LABELS and code_groups:
                children[code_groups[0]].append(lab)
            elif other_groups:
                children[other_groups[0]].append(lab)
            elif code_groups:
                children[code_groups[0]].append(lab)
    leaves: list[str] = []
    leaf_groups: list[str] = []
    for lab in level1:
        if lab in children:
            leaves += children[lab]
            leaf_groups += [lab] * len(children[lab])
        else:
            leaves.append(lab)
            leaf_groups.append("")
    if not level1:
        leaves = [lab for lab in level2 if not _is_group(lab)]
        leaf_groups = [""] * len(leaves)
    if n_columns and len(leaves) != n_columns:
        # Unexpected shape: keep code/name first, then the rest in printed order.
        rest = [lab for lab in labels if not _is_group(lab)]
        front = [lab for lab in rest if lab in CODE_LABELS | NAME_LABELS]
        leaves = (front + [lab for lab in rest if lab not in front])[:n_columns]
        leaves += [""] * (n_columns - len(leaves))
        leaf_groups = [""] * n_columns
    return leaves, leaf_groups


def _rows_by_serial(cells: list[tuple[int, str]]) -> tuple[list[list[str]], list[int]]:
    """Split body cells into rows at each 序号 (the next serial number, or a repeat of 1)."""
    rows: list[list[str]] = []
    row_lines: list[int] = []
    last = 0
    for idx, (line_no, text) in enumerate(cells):
        if text.startswith("注"):
            break
        nxt = cells[idx + 1][1] if idx + 1 < len(cells) else ""
        # Amounts here always print decimals; a bare integer after the serial is a code.
        nxt_is_amount = parse_amount(nxt) is not None and "." in nxt
        starts_row = text.isdigit() and (not rows or int(text) in (last + 1, 1, last)
                                         and bool(nxt) and not nxt_is_amount)
        if starts_row and (not rows or len(rows[-1]) > 0):
            last = int(text)
            rows.append([])
            row_lines.append(line_no)
            continue
        if rows:
            rows[-1].append(text)
    return rows, row_lines


def _pair_side_by_side(cells: list[str], columns: list[str]) -> list[str]:
    """收入/支出 side by side: each label starts the next group; its numbers follow it."""
    starts = [i for i, c in enumerate(columns) if c == "项目"]
    out = [""] * len(columns)
    group = -1
    pos = 0
    for text in cells:
        if parse_amount(text) is None:
            group += 1
            if group >= len(starts):
                break
            pos = starts[group]
            out[pos] = text
        elif group >= 0:
            pos += 1
            if pos < len(columns) and (group + 1 >= len(starts) or pos < starts[group + 1]):
                out[pos] = text
    return out


def _block_without_column_numbers(title_line: int, title: str, cells: list[tuple[int, str]],
                                  unit: str | None) -> RawTable | None:
    """Blocks with no 栏次: small label/number tables (资产占用) and performance targets."""
    texts = [t for _, t in cells]
    if "一级指标" in texts or any("绩效" in t for t in texts[:2]) or "绩效目标" in title:
        return RawTable(title=title, columns=[""], rows=[[t] for t in texts], unit=unit,
                        line=title_line, row_lines=[ln for ln, _ in cells],
                        cells_positional=False, kind_hint="performance_cells")
    first_data = next((i for i in range(len(texts) - 1)
                       if parse_amount(texts[i]) is None and parse_amount(texts[i + 1]) is not None
                       and not is_code(texts[i])), None)
    if first_data is None:
        return RawTable(title=title, columns=[""], rows=[[t] for t in texts], unit=unit,
                        line=title_line, row_lines=[ln for ln, _ in cells], cells_positional=False)
    head = [t for t in texts[:first_data] if not re.match(r"^(\d{3}|截止|单位)", t)]
    start = next((i for i, t in enumerate(head) if _norm_label(t) in NAME_LABELS), 0)
    columns = [_norm_label(t) if _norm_label(t) in NAME_LABELS else t for t in head[start:]]
    for col in columns:
        unit = unit or find_unit(col)
    rows: list[list[str]] = []
    row_lines: list[int] = []
    for (line_no, text) in cells[first_data:]:
        if parse_amount(text) is None:
            rows.append([text])
            row_lines.append(line_no)
        elif rows:
            rows[-1].append(text)
    positional = all(len(r) in (1, len(columns)) for r in rows)
    return RawTable(title=title, columns=columns or ["项目"], rows=rows, unit=unit, line=title_line,
                    row_lines=row_lines, cells_positional=positional)
