"""Decide which column each printed number belongs to when the layout lost blank cells.

A row printed as "20801 人力资源和社会保障管理事务 20.50 20.50" under the columns
合计 / 基本支出 / 项目支出 could mean 基本 or 项目. The budget identities decide:
- the first number is the row's 合计 (numbers keep their left-to-right order);
- a parent row equals the sum of its children in every column (208 = 20801 + 20805);
- the total row equals the sum of the 类 rows;
- the same code printed in another table of the document with its columns known.
Each row starts with every placement its numbers allow; placements that cannot satisfy an
identity are struck out until nothing changes. A row left with one placement is certain; a
row left with several keeps the leftmost one and is marked uncertain.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations, product

Placement = tuple[int, ...]  # column index of each number, in order
MAX_COMBINATIONS = 20000


@dataclass
class SolverRow:
    key: str | None  # full code, "__total__" for the total row, None when it has neither
    parent: str | None
    numbers: list[int]  # amounts in 分, in printed order
    candidates: list[Placement] = field(default_factory=list)

    def vector(self, placement: Placement, width: int) -> list[int]:
        out = [0] * width
        for value, col in zip(self.numbers, placement):
            out[col] = value
        return out


def initial_candidates(n_numbers: int, width: int) -> list[Placement]:
    """First number in column 0, the rest in order among the remaining columns."""
    if n_numbers == 0:
        return [()]
    if n_numbers > width:
        return [tuple(range(width))]
    return [(0,) + rest for rest in combinations(range(1, width), n_numbers - 1)]


def solve(rows: list[SolverRow], width: int, known: dict[tuple[str, int], set[int]] | None = None
          ) -> list[tuple[Placement, bool]]:
    """(placement, certain) for each row."""
    for row in rows:
        row.candidates = initial_candidates(len(row.numbers), width)
        if known and row.key:
            # The same code with the same amount, in a table where its column is certain.
            allowed = [c for c in row.candidates
                       if all(col in known[(row.key, v)] for v, col in zip(row.numbers, c)
                              if (row.key, v) in known)]
            if allowed:
                row.candidates = allowed
    groups = _family_groups(rows)
    changed = True
    while changed:
        changed = False
        for parent, children in groups:
            changed |= _enforce_sum(parent, children, width)
    return [(row.candidates[0], len(row.candidates) == 1) for row in rows]


def _family_groups(rows: list[SolverRow]) -> list[tuple[SolverRow, list[SolverRow]]]:
    by_key = {row.key: row for row in rows if row.key}
    children: dict[str, list[SolverRow]] = {}
    top_level: list[SolverRow] = []
    for row in rows:
        if row.key == "__total__" or not row.key:
            continue
        if row.parent and row.parent in by_key:
            children.setdefault(row.parent, []).append(row)
        elif row.parent is None or row.parent not in by_key:
            top_level.append(row)
    groups = [(by_key[key], kids) for key, kids in children.items()]
    total = by_key.get("__total__")
    if total and top_level:
        groups.insert(0, (total, top_level))
    return groups


def _enforce_sum(parent: SolverRow, children: list[SolverRow], width: int) -> bool:
    """Strike out placements of parent and children that no combination can make add up."""
    # Cheap pruning first: a child cannot put money where every parent placement has none.
    parent_cols = set().union(*({c for c, v in zip(p, parent.numbers) if v} for p in parent.candidates))
    changed = False
    for child in children:
        kept = [c for c in child.candidates
                if all(col in parent_cols for col, v in zip(c, child.numbers) if v)]
        if kept and len(kept) < len(child.candidates):
            child.candidates = kept
            changed = True
    size = len(parent.candidates)
    for child in children:
        size *= len(child.candidates)
    if size > MAX_COMBINATIONS or size == 1:
        return changed
    ok_parent: set[Placement] = set()
    ok_child: list[set[Placement]] = [set() for _ in children]
    child_vectors = [[(c, child.vector(c, width)) for c in child.candidates] for child in children]
    for p in parent.candidates:
        target = parent.vector(p, width)
        for combo in product(*child_vectors):
            if all(sum(vec[j] for _, vec in combo) == target[j] for j in range(width)):
                ok_parent.add(p)
                for k, (c, _) in enumerate(combo):
                    ok_child[k].add(c)
    if not ok_parent:
        return changed  # the document itself does not add up here: an audit finding, not ours
    if len(ok_parent) < len(parent.candidates):
        parent.candidates = [p for p in parent.candidates if p in ok_parent]
        changed = True
    for child, ok in zip(children, ok_child):
        if len(ok) < len(child.candidates):
            child.candidates = [c for c in child.candidates if c in ok]
            changed = True
    return changed
