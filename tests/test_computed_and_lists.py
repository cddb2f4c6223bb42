"""Computed answers (differences of two columns, both of two asked) and lists (indicators,
projects) on the samples, each figure cited."""
from __future__ import annotations

from decimal import Decimal

from assistant.answer import Exchange


def values(answer):
    return {f.value for f in answer.figures}


def test_difference_of_two_columns(assistant):
    answer = assistant.ask("青海省医疗保障局2021年项目支出比基本支出多多少")
    assert {Decimal("24554"), Decimal("4777.6"), Decimal("19776.4")} <= values(answer)


def test_difference_of_two_columns_after_another_question_ignores_its_subject(assistant):
    first = assistant.ask("青海省医疗保障局2021年办公费")
    answer = assistant.ask("青海省医疗保障局2021年项目支出比基本支出多多少", [Exchange("青海省医疗保障局2021年办公费", first)])
    assert Decimal("19776.4") in values(answer) and Decimal("13.75") not in values(answer)


def test_a_how_much_b_how_much_answers_both_columns(assistant):
    answer = assistant.ask("青海省医疗保障局2021年基本支出多少、项目支出多少")
    assert {Decimal("4777.6"), Decimal("24554")} <= values(answer)


def test_a_how_much_b_how_much_answers_both_lines(assistant):
    answer = assistant.ask("青海省医疗保障局2021年办公费多少、差旅费多少")
    assert {Decimal("13.75"), Decimal("10.04")} <= values(answer)


def test_indicators_of_the_department_are_listed_with_a_count(assistant):
    answer = assistant.ask("拉萨市医疗保障局2022年有哪些绩效指标")
    assert answer.status == "answered" and answer.resolver == "indicator_list"
    count = answer.figures[0]
    assert count.unit == "项" and count.value > 20 and f"共{count.value}项" in answer.answer


def test_projects_of_a_department_are_listed_with_amounts(assistant):
    answer = assistant.ask("拉萨市医疗保障局有哪些项目")
    assert answer.resolver == "project_list"
    assert Decimal("8.13") in values(answer) and "个项目" in answer.answer


def test_indicators_of_the_project_asked_before(assistant):
    first = assistant.ask("拉萨市医疗保障局系统运维服务费项目")
    answer = assistant.ask("这个项目有哪些绩效指标", [Exchange("拉萨市医疗保障局系统运维服务费项目", first)])
    assert answer.status == "answered" and "系统运维服务费" in answer.answer


def test_two_asks_in_one_question_the_second_following_the_first(assistant):
    answer = assistant.ask("莲湖区医保局2024年预算收入比上年变化了多少，变化率呢")
    assert answer.status == "answered" and len(answer.figures) >= 2
    assert {f.unit for f in answer.figures} >= {"万元", "%"}


def test_each_of_two_asks_with_a_trap_in_one_gives_no_figure(assistant):
    answer = assistant.ask("青海省医疗保障局2021年办公费多少、某县教育局办公费多少")
    assert answer.status == "no_data" and answer.figures == [] and "某县教育局" in answer.answer


def test_lines_joined_by_and_each_answered(assistant):
    answer = assistant.ask("青海省医疗保障局2021年办公费和差旅费分别是多少")
    assert {Decimal("13.75"), Decimal("10.04")} <= values(answer)


def test_indicator_shared_by_many_projects_lists_each(assistant):
    answer = assistant.ask("拉萨市医疗保障局的及时支付率指标是多少")
    assert answer.status == "answered" and "11个项目都有这个指标" in answer.answer and len(answer.figures) >= 4


def test_indicator_of_a_project_that_has_none_is_not_another_projects(assistant):
    answer = assistant.ask("拉萨市医疗保障局系统运维服务费的及时支付率")
    assert answer.status == "no_data" and answer.figures == [] and "系统运维服务费" in answer.answer


def test_no_data_names_the_words_it_could_not_place(assistant):
    answer = assistant.ask("青海省医疗保障局2021年的天气")
    assert answer.status in ("no_data", "refused") and answer.figures == []
    assert "天气" in answer.answer or answer.status == "refused"
