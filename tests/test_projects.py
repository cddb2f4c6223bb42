"""Projects and performance indicators from the four printed shapes of the samples."""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import SAMPLES
from ingest.model import RawTable
from ingest.recognise.performance import extract_projects, is_project_table, parse_value
from ingest.readers.text_reader import read_text


def projects_of(name):
    doc = read_text(SAMPLES / f"{name}.txt")
    return [p for t in doc.tables if is_project_table(t) for p in extract_projects(t, t.unit or "万元")]


def by_name(projects, name):
    return [p for p in projects if p.name == name]


def test_pdf_lines_rebuild_wrapped_names_and_amounts_add_up():
    projects = projects_of("qinghai-2021-budget")
    assert len(projects) == 21
    assert sum(p.amount for p in projects) == Decimal("24554.00")
    assert by_name(projects, "个人权益单制作及邮寄")[0].amount == Decimal("43.00")
    assert by_name(projects, "信息化运行维护费用")[0].amount == Decimal("656.45")


def test_pdf_line_indicator_with_operator_value_and_unit():
    project = by_name(projects_of("qinghai-2021-budget"), "商保公司经办服务")[0]
    indicator = next(i for i in project.indicators if i.name == "居民参保人数")
    assert (indicator.operator, indicator.value_num, indicator.value_unit) == ("≥", Decimal(455), "万人")


def test_forms_give_name_amount_and_indicators():
    projects = projects_of("lasa-2022-performance-targets")
    assert by_name(projects, "申报奖励资金")[0].amount == Decimal(3)
    service = by_name(projects, "商业保险机构参与经办服务费")[0]
    assert service.amount == Decimal(620)
    visits = next(i for i in service.indicators if i.name == "门诊特殊病审核报销")
    assert (visits.value_num, visits.value_unit) == (Decimal(63560), "人次")


def test_department_form_tasks_are_projects():
    projects = projects_of("lasa-2022-performance-targets")
    assert by_name(projects, "项目支出")[0].amount == Decimal("36632.664")


def test_project_list_strips_ids_and_keeps_the_code():
    project = by_name(projects_of("lasa-budget-year-unstated"), "医疗保障政策宣传费")
    assert project and project[-1].amount == Decimal("42.00") and project[-1].project_code.startswith("5401")


def test_list_in_yuan_keeps_its_unit():
    project = by_name(projects_of("lianhu-2024-budget"), "医保工作经费补助")
    assert (project[0].amount, project[0].unit) == (Decimal("300000.00"), "元")


def test_cell_per_line_targets_without_amounts():
    projects = projects_of("beidaihe-2021-budget")
    target = by_name(projects, "城乡居民医疗保险专项业务费")[0]
    assert target.amount is None and any(i.value_text == "≤32人" for i in target.indicators)


@pytest.mark.parametrize("text, expected", [
    ("≥90%", ("≥", Decimal(90), "%")), ("401867人", (None, Decimal(401867), "人")),
    ("得以推进", (None, None, None)), ("300元-10万元之间", (None, None, None)),
])
def test_parse_value(text, expected):
    assert parse_value(text) == expected


def test_a_synthetic_form():
    table = RawTable(title="某部门项目支出绩效目标表", columns=[""] * 4, kind_hint="performance_form", rows=[
        ["项目名称", "档案数字化", "", ""], ["项目资金 (万元)", "年度资金总额:", "12.5万", ""],
        ["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "指标1: 扫描页数", "≥20000页"]])
    project = extract_projects(table, "万元")[0]
    assert (project.name, project.amount) == ("档案数字化", Decimal("12.5"))
    assert (project.indicators[0].name, project.indicators[0].value_num) == ("扫描页数", Decimal(20000))
