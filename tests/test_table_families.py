"""Tables by what they are: title words tolerant of numbering and qualifiers, then the header."""
from __future__ import annotations

import pytest

from ingest.recognise.table_families import classify_table, plain_title


@pytest.mark.parametrize("title, kind", [
    ("公开01表 收支预算总表", "income_expenditure_summary"),
    ("表一 部门收入总表", "income"),
    ("附表3", "other"),
    ("财政拨款支出预算表（功能科目）", "expenditure"),
    ("一般公共预算基本支出预算表（经济科目）", "basic_expenditure"),
    ("一般公共预算“三公”经费、会议费、培训费支出预算表", "sangong"),
    ("一般公共预算机关运行经费支出预算表", "operating_costs"),
    ("政府性基金财政拨款支出预算表", "government_fund"),
    ("国有资本经营预算财政拨款支出表", "state_capital"),
    ("政府采购支出预算表", "procurement"),
    ("一般公共预算财政拨款支出决算表", "expenditure"),
    ("收入支出决算总表", "income_expenditure_summary"),
])
def test_title_words_name_the_family(title, kind):
    assert classify_table(title, []) == kind


@pytest.mark.parametrize("columns, groups, kind", [
    (["合计", "小计", "因公出国（境）费", "公务接待费"], [], "sangong"),
    (["项目", "金额", "项目", "金额"], ["收入", "收入", "支出", "支出"], "income_expenditure_summary"),
    (["科目编码", "科目名称", "人员经费", "公用经费"], [], "basic_expenditure"),
    (["功能科目编码", "功能科目名称", "合计", "基本支出", "项目支出"], [], "expenditure"),
    (["序号", "单位名称"], [], "other"),
])
def test_an_untitled_table_is_known_by_its_header(columns, groups, kind):
    assert classify_table("", columns, None, groups) == kind


def test_numbering_is_not_part_of_the_title():
    assert plain_title("公开05表 财政拨款支出预算表") == "财政拨款支出预算表"
    assert plain_title("表1-2 部门收支总表") == "部门收支总表"
