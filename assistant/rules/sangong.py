"""R06: the “三公”经费 total equals its three items, and the vehicle subtotal its two parts."""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from ingest.textutil import squash

from .base import (DocData, Issue, Item, TextFig, in_unit, item_ref, rounding_slack, rule, show_fen, show_fig, show_item,
                   text_ref, where_fig, where_item)
from .vocabulary import (SANGONG_ABROAD, SANGONG_NAMES, SANGONG_PURCHASE, SANGONG_RECEPTION, SANGONG_RUNNING,
                         SANGONG_TOTAL, SANGONG_VEHICLES)

_PREFIX = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、]|其中[:：])")
_LOOKUP = {squash(spelling): canonical
           for canonical, spellings in SANGONG_NAMES.items() for spelling in spellings + (canonical,)}
# Each sum: the whole, then its parts.
_SUMS = ((SANGONG_TOTAL, (SANGONG_ABROAD, SANGONG_VEHICLES, SANGONG_RECEPTION)),
         (SANGONG_VEHICLES, (SANGONG_PURCHASE, SANGONG_RUNNING)))


def canonical(name: str | None) -> str | None:
    """'一、因公出国（境）费' / '因公出国(境)费用' → '因公出国（境）费'; None when not a “三公” item."""
    if not name:
        return None
    key = _PREFIX.sub("", squash(name))
    return _LOOKUP.get(key)


@rule("R06", "“三公”经费应等于因公出国（境）费、公务用车购置及运行费、公务接待费之和；"
             "公务用车购置及运行费应等于购置费与运行维护费之和（表中与说明中）")
def sangong_adds_up(doc: DocData) -> Iterator[Issue]:
    for group in _table_groups(doc):
        yield from _check(group, lambda item: (item.amount_fen, item.amount_text, item.unit),
                          lambda item: f"{_label(item)}{show_item(item)}",
                          lambda item: f"{where_item(doc, item)}列", item_ref)
    for group in _text_groups(doc):
        yield from _check(group, lambda fig: (fig.fen, str(fig.value), fig.unit),
                          lambda fig: f"{canonical(fig.subject)}{show_fig(fig)}",
                          lambda fig: f"{where_fig(fig)}写", text_ref)


def _label(item: Item) -> str:
    return canonical(item.name) or item.name


def _check(values: dict, amount, show, where, ref) -> Iterator[Issue]:
    """Each sum of the group; `amount` gives (分, text, unit), `show`/`where` word a figure, `ref` cites it."""
    for whole, parts in _SUMS:
        used = _parts(values, parts)
        if whole not in values or not used:
            continue
        total = sum(amount(x)[0] for x in used)
        stated = amount(values[whole])
        if total == stated[0]:
            continue
        diff = abs(total - stated[0])
        unit = stated[2]
        slack = rounding_slack([amount(x)[1:] for x in used] + [stated[1:]])
        note = "，在四舍五入的误差之内" if diff <= slack else ""
        listing = "、".join(show(x) for x in used)
        yield Issue(SANGONG_TOTAL if whole == SANGONG_TOTAL else whole,
                    f"{where(values[whole])}{show(values[whole])}，其中{listing}，合计{show_fen(total, unit)}，"
                    f"相差{show_fen(diff, unit)}{note}。",
                    [ref(values[whole])] + [ref(x) for x in used], "info" if note else None,
                    stated=in_unit(stated[0], unit), expected=in_unit(total, unit), unit=unit)


def _parts(values: dict, parts: tuple[str, ...]) -> list:
    """The printed parts; a missing vehicle subtotal is replaced by its own printed parts."""
    used = []
    for part in parts:
        if part in values:
            used.append(values[part])
        elif part == SANGONG_VEHICLES:
            used += [values[p] for p in (SANGONG_PURCHASE, SANGONG_RUNNING) if p in values]
    return used


def _table_groups(doc: DocData) -> Iterator[dict[str, Item]]:
    """Per “三公” table and column: the amounts by item, read along a row (one row per unit,
    items as columns) or down the table (one row per item)."""
    for table in doc.tables.values():
        if table.kind != "sangong":
            continue
        items = [i for i in doc.items if i.table_id == table.table_id]
        if any(i.uncertain for i in items):
            continue
        broad = any(w in (i.name + i.column_label) for i in items for w in ("会议费", "培训费"))
        by_row: dict[tuple[int, str], dict[str, Item]] = defaultdict(dict)
        for item in items:
            name = canonical(item.name) or (SANGONG_TOTAL if item.is_total and not broad else None)
            if name:
                by_row[(item.row_no, item.measure)][name] = item
        down: dict[str, dict[str, list[Item]]] = defaultdict(lambda: defaultdict(list))
        for (row_no, measure), named in by_row.items():
            if len(named) > 1:
                yield named
            else:
                for name, item in named.items():
                    down[measure][name].append(item)
        for named in down.values():
            # An item printed twice with two values (two units in one table) cannot be summed.
            single = {n: v[0] for n, v in named.items() if len({i.amount_fen for i in v}) == 1}
            if len(single) > 1:
                yield single


def _text_groups(doc: DocData) -> Iterator[dict[str, TextFig]]:
    """Amounts the text states for the “三公” total and its items, from each total to the next."""
    group: dict[str, TextFig] = {}
    section = None
    for fig in doc.figures:
        name = canonical(fig.subject)
        if fig.kind != "amount" or not fig.is_money or not name:
            continue
        if name == SANGONG_TOTAL or fig.section != section:
            if len(group) > 1:
                yield group
            group, section = {}, fig.section
        group.setdefault(name, fig)
    if len(group) > 1:
        yield group
