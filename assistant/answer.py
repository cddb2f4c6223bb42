"""The answer object every engine returns, and its chat-protocol JSON form.

The JSON form is a public interface (see README, "Chat protocol"): status, answer, figures,
sql, columns, rows, warnings. Values are Decimals internally and become JSON numbers only at
the edge, so no float ever takes part in arithmetic.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

STATUSES = ("answered", "no_data", "clarify", "refused", "error")


@dataclass
class Source:
    document: str
    table: str | None = None
    section: str | None = None  # heading of the explanatory-text section
    page: int | None = None
    row: int | None = None
    line: int | None = None  # line in the source text file
    table_id: int | None = None  # store ids, so the app can show the row in its table
    item_id: int | None = None
    ref_kind: str | None = None  # what item_id points at: "item" | "text" | "project" | "indicator"
    ocr_confidence: float | None = None  # the figure was read by OCR from a scanned page

    def ocr_note(self, english: bool = False) -> str:
        """'OCR识别，置信度0.98' beside a figure read from a scanned page; '' for printed text."""
        if self.ocr_confidence is None:
            return ""
        if english:
            return f"OCR-read, confidence {self.ocr_confidence:.2f}"
        return f"OCR识别，置信度{self.ocr_confidence:.2f}"

    def cite(self, english: bool = False) -> str:
        """Human citation: 《文档》表名，第5页，第3行 / 《文档》说明“节名” (or the English form)."""
        if english:
            where = f"table “{self.table}”" if self.table else f"text section “{self.section}”"
            extra = "".join(f", {name} {value}" for name, value in
                            (("page", self.page), ("row", self.row)) if value)
            ocr = f" ({self.ocr_note(True)})" if self.ocr_confidence is not None else ""
            return f"《{self.document}》, {where}{extra}{ocr}"
        parts = [f"《{self.document}》"]
        if self.table:
            parts.append(self.table)
        elif self.section:
            parts.append(f"说明“{self.section}”")
        if self.page:
            parts.append(f"第{self.page}页")
        if self.row:
            parts.append(f"第{self.row}行")
        elif self.line and not self.page:
            parts.append(f"原文第{self.line}行")
        text = "，".join([parts[0] + parts[1]] + parts[2:]) if len(parts) > 1 else parts[0]
        return text + (f"（{self.ocr_note()}）" if self.ocr_confidence is not None else "")

    def to_json(self) -> dict[str, Any]:
        out = {"document": self.document, "table": self.table, "section": self.section,
               "page": self.page, "row": self.row}
        if self.ocr_confidence is not None:  # only for scanned sources: the protocol stays as it was
            out["ocr_confidence"] = self.ocr_confidence
        return out


@dataclass
class Figure:
    value: Decimal
    unit: str
    label: str
    source: Source

    def to_json(self) -> dict[str, Any]:
        return {"value": _number(self.value), "unit": self.unit, "label": self.label,
                "source": self.source.to_json()}


@dataclass
class Answer:
    status: str
    answer: str
    figures: list[Figure] = field(default_factory=list)
    sql: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    engine: str = "builtin"
    options: list[str] = field(default_factory=list)  # for status "clarify"
    # What the engine understood (bureau, year, subject, …); a follow-up question reuses it.
    # Internal: not part of the chat-protocol JSON.
    frame: Any = None
    # Years as a dimension: [{"year", "value", "unit", "label"}] in year order, for a line chart.
    # Internal: not part of the chat-protocol JSON.
    series: list[dict[str, Any]] = field(default_factory=list)
    resolver: str | None = None  # which resolver answered (assistant/handlers/resolvers.py), if one did

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "answer": self.answer,
            "figures": [f.to_json() for f in self.figures],
            "sql": self.sql,
            "columns": list(self.columns),
            "rows": [[_jsonable(v) for v in row] for row in self.rows],
            "warnings": list(self.warnings),
            "engine": self.engine,
        }


@dataclass
class Exchange:
    """One turn of a conversation: what was asked, what was answered, and when."""

    question: str
    answer: Answer
    asked_at: datetime = field(default_factory=lambda: datetime.now().astimezone())


def _number(value: Decimal | int | float) -> float | int:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _number(value)
    return value
