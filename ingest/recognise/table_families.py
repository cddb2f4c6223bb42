"""What a table is: the national families of 部门预算/决算 tables, by title words first, then by
header structure and content.

Every publisher prints the same national forms under its own titles: numbered ("公开01表",
"表一", "附表3"), qualified ("…支出预算表（功能科目）"), or with no title a reader could find.
The title words live in db/glossary.json "table_kinds"; the order below decides between
families whose words overlap (a “三公”经费支出表 is not the 支出表; 基本支出 is not 支出). When
the title says nothing, the columns do: 因公出国 → “三公”; 收入 beside 支出 → the summary;
人员经费/公用经费 → 基本支出; 基本支出 beside 项目支出 over codes → the 支出 table. A table no
family fits is stored as "other", with its rows and labels as printed.
"""
from __future__ import annotations

import re

from db.glossary import glossary

from ingest.textutil import nfkc

# Most specific first: a title holding words of two families belongs to the earlier one.
ORDER = ["performance", "sangong", "operating_costs", "government_fund", "state_capital", "basic_expenditure",
         "procurement", "assets", "income_expenditure_summary", "income", "project", "expenditure"]
_NUMBER = re.compile(r"^(?:部门)?(?:公开|附)?(?:表\s*[\d一二三四五六七八九十]+(?:-\d+)?|[\d一二三四五六七八九十]+\s*表)[:：、.\s]*")


def plain_title(title: str) -> str:
    """The title without its number and spaces: '公开05表 财政拨款支出预算表' → '财政拨款支出预算表'."""
    return _NUMBER.sub("", nfkc(title or "").replace(" ", "").replace("\u3000", ""))


def classify_table(title: str, columns: list[str], kind_hint: str | None = None,
                   groups: list[str] | None = None) -> str:
    if kind_hint and kind_hint.startswith("performance"):
        return "performance"
    kinds = glossary()["table_kinds"]
    text = plain_title(title)
    for kind in ORDER:
        if any(word in text for word in kinds.get(kind, [])):
            return kind
    return _by_content([nfkc(c).replace(" ", "") for c in columns + (groups or [])])


def _by_content(labels: list[str]) -> str:
    joined = "|".join(labels)
    if "因公出国" in joined or "公务接待" in joined:
        return "sangong"
    if "机关运行经费" in joined:
        return "operating_costs"
    if "收入" in joined and "支出" in joined and not re.search(r"基本支出|项目支出", joined):
        return "income_expenditure_summary"
    if "人员经费" in joined or "公用经费" in joined:
        return "basic_expenditure"
    if "基本支出" in joined and "项目支出" in joined:
        return "expenditure"
    if re.search(r"科目编码|功能科目|功能分类|科目名称", joined) and re.search(r"金额|合计|预算数|决算数", joined):
        return "basic_expenditure" if "经济" in joined else "expenditure"
    return "other"
