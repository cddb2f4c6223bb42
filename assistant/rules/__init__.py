"""The audit rules, one module per group; importing this package registers all of them.

R01 R03 R04 R05  tables.py      arithmetic inside one table
R02 R07          crosstable.py  one figure printed in two tables
R06              sangong.py     “三公”经费 total and its items, in tables and in the text
R08 R13          text.py        text vs tables; units 10,000× off
R09 R10 R11 R12  changes.py     stated changes, growth rates, shares, years and reasons
R14              empty.py       tables declared empty that print figures
R15              final.py       决算: completion rates against 决算数 / 全年预算数
R16–R19          completeness.py  required tables, empty-table notes, contents, required sections
R20 R21          hygiene.py     template residue; doubled punctuation and words
R22 R23          identity.py    the document's own year and issuer in headings, dates, table headers
R24–R29          outturn.py     text vs blank cells, 决算 wording / completion / reasons, 人员·公用经费, impossible %
"""
from __future__ import annotations

from . import changes, completeness, crosstable, empty, final, hygiene, identity, outturn, sangong, tables, text  # noqa: F401  (registration)
from .base import RULES, DocData, Finding, Issue, Rule

__all__ = ["RULES", "DocData", "Finding", "Issue", "Rule"]
