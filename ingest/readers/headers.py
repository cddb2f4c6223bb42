"""Turn printed header rows (merged cells left blank) into one leaf label per column.

A header cell that spans several columns is printed once, at its leftmost column, with blanks
to its right; a blank counts as part of the span when a lower header row has something under
it. The leaf label of a column is its lowest non-blank header cell; its group is the label
above that.
"""
from __future__ import annotations

import re

from ingest.textutil import clean_cell, is_code, parse_amount

TOTAL_WORDS = ("合计", "总计", "合 计", "总 计", "小计")


def leaf_columns(header_rows: list[list[str]], width: int) -> tuple[list[str], list[str]]:
    grid = [[clean_cell(c) for c in row] + [""] * (width - len(row)) for row in header_rows]
    for r, row in enumerate(grid):
        for c in range(1, width):
            below = any(grid[r2][c] for r2 in range(r + 1, len(grid)))
            if not row[c] and row[c - 1] and below:
                row[c] = row[c - 1]
    leaves, groups = [], []
    for c in range(width):
        labels = [grid[r][c] for r in range(len(grid)) if grid[r][c]]
        leaf = labels[-1] if labels else ""
        group = next((lab for lab in reversed(labels[:-1]) if lab != leaf), "") if labels else ""
        leaves.append(leaf.replace(" ", "") if _is_cjk_spaced(leaf) else leaf)
        groups.append(group.replace(" ", "") if _is_cjk_spaced(group) else group)
    return leaves, groups


def _is_cjk_spaced(label: str) -> bool:
    """'项 目', '收 入' are printed with spaces between characters; '因公出国 (境) 费用' too."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in label)


def looks_like_body_row(cells: list[str]) -> bool:
    """The first row that is data rather than header: an amount, a code, a total or '一、…'."""
    texts = [clean_cell(c) for c in cells]
    nonblank = [t for t in texts if t]
    if not nonblank:
        return False
    first = nonblank[0]
    first_index = texts.index(first)
    if first_index <= 1 and any(first.replace(" ", "").startswith(w.replace(" ", "")) for w in TOTAL_WORDS):
        return True
    if re.match(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[、.]\s*\S)", first):
        return True
    if is_code(first) and len(first) >= 3:
        return True
    if first.startswith("栏次"):
        return False
    return any(parse_amount(t) is not None and "." in t for t in texts[1:])


def split_header(rows: list[list[str]], max_header_rows: int = 6) -> int:
    """How many leading rows of a table block are header rows."""
    for i, row in enumerate(rows[: max_header_rows + 1]):
        if looks_like_body_row(row):
            return i
    return min(len(rows), 1)
