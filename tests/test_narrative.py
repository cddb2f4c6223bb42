"""Figures stated in the explanatory text: kind, exact value, unit, subject and source.

Real paragraphs from the sample budgets, plus a few in other bureaus' wording to show the rules
are about phrasing, not about these files.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import pytest

from ingest.model import Paragraph
from ingest.recognise.narrative import extract_text_figures
from ingest.records import TextFigure
from ingest.readers.text_reader import read_text

from conftest import SAMPLES


@lru_cache(maxsize=None)
def sample(name: str) -> tuple[TextFigure, ...]:
    return tuple(extract_text_figures(read_text(str(SAMPLES / name)).paragraphs))


def of(text: str) -> list[TextFigure]:
    return extract_text_figures([Paragraph(text, section="（一）收支预算总体情况", line=7, page=2)])


def triples(figures) -> list[tuple[str, Decimal, str | None]]:
    return [(f.kind, f.value, f.unit) for f in figures]


def about(figures, subject: str, kind: str | None = None) -> list[TextFigure]:
    return [f for f in figures if f.subject == subject and (kind is None or f.kind == kind)]


LIANHU, QINGHAI, BEIDAIHE = "lianhu-2024-budget.txt", "qinghai-2021-budget.txt", "beidaihe-2021-budget.txt"


# Kinds and signs

def test_decrease_gives_negative_change_and_negative_rate_of_the_amount_before():
    figures = [f for f in sample(LIANHU) if f.line == 176]
    change = next(f for f in figures if f.kind == "change")
    percent = next(f for f in figures if f.kind == "percent")
    assert (change.value, change.unit) == (Decimal("-138.44"), "万元")
    assert (percent.value, percent.unit) == (Decimal("-21.21"), "%")
    assert change.subject == percent.subject == "一般公共预算拨款"
    assert change.section == percent.section == "（一）收支预算总体情况"
    assert change.compared_to == percent.compared_to == "上年"


def test_increase_gives_positive_change_and_rate():
    figures = about(sample(LIANHU), "机关运行经费")
    assert triples(figures) == [("amount", Decimal("9.32"), "万元"), ("change", Decimal("3.74"), "万元"),
                                ("percent", Decimal("67.02"), "%")]


def test_change_against_last_years_budget_is_compared_to_last_year():
    figures = about(sample(QINGHAI), "机关运行经费")
    assert triples(figures) == [("amount", Decimal("142.28"), "万元"), ("change", Decimal("-6.85"), "万元"),
                                ("percent", Decimal("-4.59"), "%")]
    assert [f.compared_to for f in figures] == [None, "上年", "上年"]


def test_zeng_jia_before_a_percent_is_a_growth_rate():
    figures = about(sample(QINGHAI), "军队移交政府的离退休人员安置", "percent")
    assert triples(figures) == [("percent", Decimal("8.1"), "%")]


def test_zhan_gives_a_share_of_the_amount_before():
    figures = about(sample(QINGHAI), "基本支出")
    assert ("amount", Decimal("4777.6"), "万元") in triples(figures)
    assert ("share", Decimal("16.29"), "%") in triples(figures)


@pytest.mark.parametrize("phrase", ["与上年一致", "较上年无增减", "与上年持平", "同比持平"])
def test_same_as_last_year_is_a_change_of_zero(phrase):
    figures = of(f"信息化建设（2101504）20.00万元，{phrase}")
    assert triples(figures) == [("amount", Decimal("20.00"), "万元"), ("change", Decimal(0), "万元")]
    assert figures[1].subject == "信息化建设" and figures[1].compared_to == "上年"


def test_same_as_last_year_in_a_sample():
    figures = about(sample(QINGHAI), "其他公共卫生支出")
    assert triples(figures) == [("amount", Decimal("3177"), "万元"), ("change", Decimal(0), "万元")]


def test_not_comparable_is_no_change_figure():
    figures = about(sample(LIANHU), "住房公积金")
    assert triples(figures) == [("amount", Decimal("21.94"), "万元")]


def test_vehicles_are_a_count():
    figures = about(sample(QINGHAI), "车辆")
    assert triples(figures) == [("count", Decimal(2), "辆")]


def test_projects_and_staff_are_counts():
    assert triples(about(sample(QINGHAI), "项目")) == [("count", Decimal(21), "个")]
    assert triples(about(sample(LIANHU), "人员编制")) == [("count", Decimal(20), "人")]


# Subjects

def test_classified_item_is_named_by_its_xiang():
    figures = about(sample(QINGHAI), "军队转业干部安置")
    assert triples(figures) == [("amount", Decimal("667.23"), "万元"), ("change", Decimal("-29.45"), "万元"),
                                ("percent", Decimal("-0.43"), "%")]


def test_code_in_parentheses_becomes_the_code_of_all_three_figures():
    figures = about(sample(LIANHU), "行政运行")
    assert triples(figures) == [("amount", Decimal("215.39"), "万元"), ("change", Decimal("71.74"), "万元"),
                                ("percent", Decimal("49.94"), "%")]
    assert {f.code for f in figures} == {"2101501"}


def test_final_accounts_item_named_once_then_only_its_columns():
    figures = of("3、一般公共服务支出（类）财政事务（款）信息化建设（项）。主要用于：系统维护等支出。"
                 "年初预算为135.90万元，支出决算为135.25万元。决算数小于预算数的主要原因：项目进度。")
    assert [(f.subject, f.value) for f in figures] == [("信息化建设年初预算", Decimal("135.90")),
                                                       ("信息化建设决算", Decimal("135.25"))]


def test_column_word_after_a_named_amount_keeps_that_row_in_one_spelling():
    figures = of("“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的0%")
    assert [f.subject for f in figures if f.kind == "amount"] == ["“三公”经费年初预算", "“三公”经费决算"]


@pytest.mark.parametrize("sentence, subject", [
    ("公务接待费支出决算为0.00万元，完成预算的0%", "公务接待费决算"),  # an expense is spent: 支出 is no part of it
    ("公务用车购置及运行维护费支出决算为0.00万元", "公务用车购置及运行维护费决算"),
    ("一般公共服务支出决算为1,600.00万元", "一般公共服务支出决算"),  # a function class is named …支出
    ("行政运行决算数为1,511.89万元", "行政运行决算"),
])
def test_row_named_with_its_column_word(sentence, subject):
    assert of(sentence)[0].subject == subject


def test_economic_class_code_in_parentheses():
    figure = about(sample(LIANHU), "工资福利支出", "amount")[0]
    assert (figure.value, figure.code) == (Decimal("254.45"), "301")


def test_issuer_year_and_budget_filler_are_not_part_of_the_subject():
    subjects = {f.subject for f in sample(QINGHAI)}
    assert {"机关运行经费", "“三公”经费", "基本支出"} <= subjects
    assert not [s for s in subjects if s and ("青海省医疗保障局" in s or "2021" in s)]


def test_beidaihe_sangong_arranged_by_our_department():
    assert triples(about(sample(BEIDAIHE), "“三公”经费")) == [("amount", Decimal("1.25"), "万元")]


def test_total_and_its_part_keep_their_own_subjects():
    figures = [f for f in sample(LIANHU) if f.line == 176]
    assert ("预算收入", Decimal("514.21")) in [(f.subject, f.value) for f in figures if f.kind == "amount"]
    assert ("一般公共预算拨款", Decimal("514.21")) in [(f.subject, f.value) for f in figures if f.kind == "amount"]


def test_items_listed_with_dun_each_get_their_own_subject():
    figures = [f for f in sample(QINGHAI) if f.line == 858]
    assert [(f.subject, f.value) for f in figures[:3]] == [
        ("人员经费", Decimal("4626.09")), ("基本工资", Decimal("297.89")), ("津贴补贴", Decimal("387.47"))]


def test_parts_joined_by_he_and_zhuyao_shi():
    figures = {f.subject: f.value for f in sample(BEIDAIHE) if f.kind == "amount"}
    assert figures["基本支出"] == Decimal("220.19")
    assert figures["人员经费"] == Decimal("204.25")
    assert figures["日常公用经费"] == Decimal("15.94")
    assert figures["项目支出"] == Decimal("1229.79")


def test_subject_printed_before_a_change_is_its_own():
    figures = of("基本支出100万元，其中人员经费比上年增加5万元，增长3%")
    assert [(f.kind, f.subject) for f in figures] == [
        ("amount", "基本支出"), ("change", "人员经费"), ("percent", "人员经费")]


def test_comparison_stated_once_serves_the_paragraphs_later_items():
    figures = about(sample(QINGHAI), "公务接待费")
    change = next(f for f in figures if f.kind == "change")
    assert (change.value, change.compared_to) == (Decimal("-0.43"), "上年")


# Values and units exactly as printed

def test_text_value_is_kept_even_when_the_table_differs():
    figure = about(sample(QINGHAI), "其他企业改革发展补助", "amount")[0]
    assert figure.value == Decimal("1719.74")  # the table prints 1,719.14; the audit compares


def test_yuan_is_stored_as_printed():
    figure = about(sample(BEIDAIHE), "机关运行经费", "amount")[0]
    assert (figure.value, figure.unit) == (Decimal("8.34"), "元")


def test_full_width_thousands_comma_and_trailing_dot():
    qinghai = sample(QINGHAI)
    assert ("amount", Decimal("24554"), "万元") in triples(about(qinghai, "项目支出"))
    assert ("change", Decimal("16601"), "万元") in triples(about(qinghai, "一般公共预算拨款"))


def test_values_are_exact_decimals():
    figures = sample(BEIDAIHE)
    assert all(isinstance(f.value, Decimal) for f in figures)
    assert Decimal("28.602443") in [f.value for f in figures]
    assert str(about(sample(LIANHU), "信息化建设", "amount")[0].value) == "20.00"


# What is not a figure

def test_years_document_numbers_and_dates_are_not_figures():
    assert of("根据莲字〔2019〕4号文，于2019年3月成立西安市莲湖区医疗保障局") == []


def test_list_markers_and_codes_are_not_figures():
    figures = of("1.社会保障和就业支出（类）退役安置（款）军队转业干部安置（项）2021 年预算数为667.23万元")
    assert triples(figures) == [("amount", Decimal("667.23"), "万元")]
    assert of("（4）行政运行（2101501）215.39万元")[0].subject == "行政运行"


def test_threshold_is_not_a_figure_but_names_the_count():
    figures = of("本部门所属预算单位共有车辆0辆，单价20万元以上的设备0台（套）")
    assert [(f.subject, f.value, f.unit) for f in figures] == [
        ("车辆", Decimal(0), "辆"), ("单价20万元以上的设备", Decimal(0), "台（套）")]


def test_chinese_numeral_articles_are_not_counts():
    assert of("建立一个机制，落实两项制度") == []


# Provenance

def test_every_figure_keeps_its_sentence_section_and_line():
    for figure in sample(LIANHU):
        assert figure.sentence and figure.line is not None
        assert "。" not in figure.sentence and "；" not in figure.sentence
    figure = about(sample(QINGHAI), "行政运行", "amount")[0]
    assert figure.sentence.startswith("11. 卫生健康支出(类)") and "906.7万元" in figure.sentence
    assert (figure.section, figure.page, figure.line) == ("（三）一般公共预算当年拨款具体使用情况", 16, 797)


# Another bureau's wording

def test_other_bureau_amount_change_and_rate_against_a_named_year():
    figures = of("2023年某某县教育局部门收入预算总额为1,234.56万元，比2022年增加12.3万元，增长1.0%。")
    assert triples(figures) == [("amount", Decimal("1234.56"), "万元"), ("change", Decimal("12.3"), "万元"),
                                ("percent", Decimal("1.0"), "%")]
    assert [f.compared_to for f in figures] == [None, "2022年", "2022年"]
    assert "某某县教育局" not in figures[0].subject


def test_other_bureau_full_width_digits_and_jiang_fu():
    figures = of("公务用车购置及运行维护费预算数为１２万元，比上年减少３万元，降幅为20%。")
    assert triples(figures) == [("amount", Decimal(12), "万元"), ("change", Decimal(-3), "万元"),
                                ("percent", Decimal(-20), "%")]
    assert {f.subject for f in figures} == {"公务用车购置及运行维护费"}


def test_other_bureau_counts_in_chinese_numerals():
    figures = of("截至2022年12月31日，本单位共有车辆三辆，人员编制三十五人。")
    assert [(f.kind, f.subject, f.value, f.unit) for f in figures] == [
        ("count", "车辆", Decimal(3), "辆"), ("count", "人员编制", Decimal(35), "人")]


def test_other_bureau_share_and_percentage_points():
    figures = of("其中：财政拨款收入800万元，占64.8%；基本支出占总支出的16.29%，比上年下降了2.5个百分点。")
    assert [(f.kind, f.subject, f.value, f.unit) for f in figures] == [
        ("amount", "财政拨款收入", Decimal(800), "万元"), ("share", "财政拨款收入", Decimal("64.8"), "%"),
        ("share", "基本支出", Decimal("16.29"), "%"), ("change", "基本支出", Decimal("-2.5"), "个百分点")]


def test_wan_closing_a_clause_is_wan_yuan():
    figures = of("2025年度项目总预算1170.00万，其中支持企业规模化发展870.00万，支持企业创新化发展70.00万。")
    assert [(f.subject, f.value, f.unit) for f in figures] == [
        ("项目总预算", Decimal("1170.00"), "万元"), ("支持企业规模化发展", Decimal("870.00"), "万元"),
        ("支持企业创新化发展", Decimal("70.00"), "万元")]
    assert [f.unit for f in of("服务1万人次，覆盖2万人。")] == ["万人次", "万人"]
