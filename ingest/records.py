"""Records the normalizer hands to the writer: exact values with where they were printed."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class TextFigure:
    """A figure stated in the explanatory text.

    kind: "amount" (预算数为906.7万元), "change" (比上年增加123.96万元 → +123.96; 减少 → negative),
    "percent" (增长15.84% → +15.84; 下降 → negative; the growth rate against compared_to),
    "share" (占16.29%), "count" (共有车辆2辆)."""

    sentence: str
    subject: str | None
    kind: str
    value: Decimal
    unit: str | None
    section: str | None = None
    code: str | None = None
    compared_to: str | None = None  # "上年" for changes and growth rates
    page: int | None = None
    line: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # the sentence on its page (PDF)
    ocr_confidence: float | None = None  # read by OCR: the engine's confidence


@dataclass
class IndicatorRecord:
    """One performance indicator (绩效指标) of a project or of the whole department."""

    name: str  # 三级指标 / 指标内容, without "指标1:" prefixes
    level1: str | None = None  # 产出指标 / 效益指标 / 满意度指标 / 成本指标
    level2: str | None = None  # 数量指标 / 质量指标 / …
    operator: str | None = None  # ≥ ≤ = > < 定性
    value_text: str | None = None  # as printed: "≥90%", "401867人", "63560人次"
    value_num: Decimal | None = None
    value_unit: str | None = None  # % 人 人次 万元 万人 …
    weight: str | None = None
    direction: str | None = None  # 正向指标 / 反向指标
    raw_text: str = ""
    row_no: int | None = None
    page: int | None = None
    line: int | None = None


@dataclass
class ProjectRecord:
    """A project (项目) with its amount, from a project list or a performance form/table."""

    name: str
    amount: Decimal | None = None  # in `unit`
    unit: str | None = None  # 万元 / 元
    project_code: str | None = None
    category: str | None = None
    raw_text: str = ""
    row_no: int | None = None
    page: int | None = None
    line: int | None = None
    indicators: list[IndicatorRecord] = field(default_factory=list)
