"""One handler per kind of question. Each runs checked SQL through a Trace and composes an
Answer whose every number is a Figure with its source.

lookup      a figure (科目, 项目, 指标, text figure), per document, most specific table cited
rank        a subject across documents, ordered
sum         a subject added over bureaus, or several subjects added
difference  two figures and their difference
ratio       a figure as a share of another (default: its table's total)
change      the change against last year stated in the text
count       counted things (车辆, 项目)
children    the rows under a 科目
consistency text vs tables, and the audit's findings
"""
from __future__ import annotations

from typing import Callable

from ..answer import Answer
from ..lexicon import Document
from ..queries import Trace
from ..understand import Frame
from .across import children, difference, rank, ratio, total
from .common import say
from .funds import fund_named
from .lookup import lookup
from .text import change, consistency, count

HANDLERS: dict[str, Callable[[Frame, list[Document], Trace], Answer]] = {
    "lookup": lookup, "rank": rank, "sum": total, "difference": difference, "ratio": ratio,
    "change": change, "count": count, "children": children, "consistency": consistency,
}

__all__ = ["HANDLERS", "say", "lookup", "fund_named"]
