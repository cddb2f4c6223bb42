"""Figures and sentences: exact values in the unit asked, each with its citation.

Amounts come from the store as integer 分 and become Decimal in the unit stated (万元 by
default, 元 when asked); text shows two decimals with thousands separators, the figure keeps
the exact value. One citation builder serves every engine (built-in or LLM).
"""
from __future__ import annotations

import re

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ingest.textutil import FEN_PER_UNIT, precision

from .answer import Figure, Source

MONEY = set(FEN_PER_UNIT)


def value_in(amount_fen: int, stored_unit: str, unit: str | None) -> tuple[Decimal, str]:
    """(value, unit) of a stored amount: money in `unit` (default 万元), counts as printed."""
    if stored_unit not in MONEY:
        return (Decimal(amount_fen) / 100).normalize(), stored_unit.split("/")[-1]
    unit = unit or "万元"
    return Decimal(amount_fen) / FEN_PER_UNIT[unit], unit


def show(value: Decimal, unit: str, printed: bool = False) -> str:
    """'1,566.45万元', '2,153,894.44元', '88.25%', '1辆'. Money and rates to two decimals, or,
    for a figure shown in the unit it was printed in (`printed`), to every place it prints:
    661.956万元 stays 661.956万元."""
    if unit in MONEY or unit == "%":
        places = Decimal("0.01")
        if printed and value != value.quantize(places):
            places = Decimal(1).scaleb(value.normalize().as_tuple().exponent)
        text = f"{value.quantize(places, ROUND_HALF_UP):,}"
    else:
        text = f"{value.normalize():,f}"
    return f"{text}{unit}"


def exact(value: Decimal) -> Decimal:
    """The figure's value: exact, no trailing zeros, never in exponent form."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def item_source(row: dict[str, Any]) -> Source:
    kind = next((k for k in ("item", "project", "indicator") if row.get(f"{k}_id")), None)
    return Source(document=row["document"], table=row.get("source_table"), page=row.get("page"),
                  row=row.get("row_no"), line=row.get("line"), table_id=row.get("table_id"),
                  item_id=row.get(f"{kind}_id") if kind else None, ref_kind=kind,
                  ocr_confidence=row.get("ocr_confidence"))


def text_source(row: dict[str, Any]) -> Source:
    return Source(document=row["document"], section=row.get("section") or "说明", page=row.get("page"),
                  line=row.get("line"), item_id=row.get("figure_id"),
                  ref_kind="text" if row.get("figure_id") else None, ocr_confidence=row.get("ocr_confidence"))


def item_figures(row: dict[str, Any], label: str, unit: str | None) -> tuple[list[Figure], str]:
    """Figures and display text for a stored amount; a 元 table quoted in 万元 keeps its 元 too."""
    value, shown_unit = value_in(row["amount_fen"], row["unit"], unit)
    source = item_source(row)
    figures = [Figure(exact(value), shown_unit, label, source)]
    text = show(value, shown_unit, printed=row["unit"] == shown_unit)
    if row["unit"] == "元" and shown_unit != "元":
        yuan = Decimal(row["amount_fen"]) / 100
        figures.append(Figure(exact(yuan), "元", label + "（原表）", source))
        text += f"（原表为{show(yuan, '元')}）"
    return figures, text


def text_fen(row: dict[str, Any]) -> Decimal:
    """A money text figure (a text_figures_v row) in 分, exactly: 142.28万元 → 142280000."""
    return Decimal(row["value"]) * FEN_PER_UNIT[row["unit"]]


def text_value(row: dict[str, Any], unit: str | None) -> tuple[Decimal, str]:
    """A text figure's value in the unit asked (万元 by default for money, unless two decimals of
    万元 would round it: 8.34元 stays 8.34元, never '0.00万元'; % and counts as printed)."""
    value = Decimal(row["value"])
    stated = row["unit"] or ""
    if stated in MONEY:
        fen = text_fen(row)
        target = unit or "万元"
        converted = fen / FEN_PER_UNIT[target]
        if unit is None and converted != converted.quantize(Decimal("0.01")):
            return value, stated
        return converted, target
    return value, stated


def text_states(row: dict[str, Any], amount_fen: int) -> bool:
    """The text figure (a text_figures_v row) is this exact amount, rounded to the places it
    prints: 215.39万元 states the table's 2,153,894.44元."""
    if row["unit"] not in MONEY:
        return False
    printed, per = Decimal(row["value"]), FEN_PER_UNIT[row["unit"]]
    return abs(amount_fen - printed * per) <= precision(printed) * per


def label_for(row: dict[str, Any], subject: str, measure: str | None, english: bool = False) -> str:
    """Who, which year and what: 青海省医疗保障局2021年行政运行. A document other than the
    department budget is named (…2025年单位预算中的…), so two documents never read alike."""
    # The text half of a budget published in two files is still the department budget.
    title = re.sub(r"（(情况说明|报表)）$", "", row.get("document") or row["issuer"])
    measure_text = f"中的{measure}" if measure and measure != "合计" and measure != subject else ""
    if english:
        return f"{title} {subject}" + (f" ({measure})" if measure_text else "")
    if title.endswith("部门预算"):
        who = title[: -len("部门预算")]
        if not row.get("year"):
            who += "（年份未注明）"
    else:
        who = title + "中的"
    return f"{who}{subject}{measure_text}"
