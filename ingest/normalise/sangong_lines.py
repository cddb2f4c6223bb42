"""A “三公” table whose blank cells were lost (PDF text): which printed number is which item.

The header is printed as year groups (上年预算数, 2021预算数), then each group's items
(合计, 因公出国(境)费用, 公务用车购置及运行费, 公务接待费), then the vehicle subtotal's two parts
(公务用车购置费, 公务用车运行维护费) for each group. The row keeps only its numbers, in column
order. Each group's numbers are placed on its columns by the two identities of the table:
合计 = 出国 + 用车 + 接待 and 用车 = 购置 + 运行. A group is placed only when exactly one placement
keeps the 合计 identity; otherwise only its first number (the 合计, printed first) is kept, and
nothing at all when no split of the row into its groups is decided.
"""
from __future__ import annotations

from decimal import Decimal
from itertools import combinations

TOTAL, ABROAD, VEHICLES, RECEPTION, PURCHASE, RUNNING = (
    "“三公”经费合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费", "公务用车购置费", "公务用车运行维护费")
_SLOTS = (TOTAL, ABROAD, VEHICLES, PURCHASE, RUNNING, RECEPTION)  # the columns of one group, left to right
_SLACK = Decimal("0.015")  # three items rounded to 0.01 each


def year_groups(columns: list[str]) -> list[str]:
    """The leading labels that name a year's figures (上年预算数, 预算数) before the first 合计."""
    groups = []
    for label in columns:
        if label == "合计" or "预算数" not in label:
            break
        groups.append(label)
    return groups


def place(values: list[Decimal], n_groups: int) -> list[tuple[int, str, int]] | None:
    """(group, item, index into `values`) for each number placed, or None when no split of the
    row into its groups lets the first group keep its identity."""
    best: list[tuple[int, str, int]] | None = None
    for cuts in combinations(range(1, len(values)), n_groups - 1):
        bounds = (0,) + cuts + (len(values),)
        placed, decided = [], 0
        for g in range(n_groups):
            start, end = bounds[g], bounds[g + 1]
            found = _placements(values[start:end])
            if len(found) == 1:
                decided += 1
                placed += [(g, item, start + k) for k, item in enumerate(found[0])]
            else:
                placed.append((g, TOTAL, start))
        if decided and (best is None or decided > best[0]):
            best = (decided, placed)
        elif decided and best and decided == best[0]:
            best = (decided, None)  # two splits decide as much: neither is known
    return best[1] if best else None


def _placements(group: list[Decimal]) -> list[tuple[str, ...]]:
    """Every way to put the group's numbers on its columns (the first on 合计) that keeps
    合计 = 出国 + 用车 + 接待, and 用车 = 购置 + 运行 where both sides are printed."""
    out = []
    for rest in combinations(_SLOTS[1:], len(group) - 1):
        items = (TOTAL,) + rest
        amount = dict(zip(items, group))
        parts = amount.get(ABROAD, 0) + amount.get(VEHICLES, 0) + amount.get(RECEPTION, 0)
        if abs(amount[TOTAL] - parts) > _SLACK:
            continue
        if VEHICLES in amount and (PURCHASE in amount or RUNNING in amount) and \
                abs(amount[VEHICLES] - amount.get(PURCHASE, 0) - amount.get(RUNNING, 0)) > _SLACK:
            continue
        out.append(items)
    return out
