"""What an answer shows: escaped Markdown, the cited-figure table, charts that read."""
from __future__ import annotations

from decimal import Decimal

import pytest

from assistant import catalog
from assistant.answer import Answer, Figure, Source
from assistant.present import CITED_COLUMNS, chart_for, cited_rows, md, shorten, status_name, wrap


@pytest.fixture(scope="module")
def years(assistant):
    return {d.title: d.year for d in catalog.list_documents(assistant.conn)}


@pytest.mark.parametrize("text", ["![x](http://127.0.0.1:9/p.png)", "<img src=http://127.0.0.1:9/p.png>",
                                  "[点我](http://example.org)", ":red[红字]", "$x^2$"])
def test_markdown_from_a_document_cannot_make_a_link_image_or_html(text):
    escaped = md(text)
    for mark in "[]<>:$!":
        assert mark not in escaped.replace(f"\\{mark}", "")


def test_markdown_escape_keeps_numbers_and_chinese():
    assert md("住房公积金为1,566.45万元（2101504）") == "住房公积金为1,566.45万元（2101504）"


@pytest.mark.parametrize("line, escaped", [("# 标题", "\\# 标题"), ("- 一项", "\\- 一项"), ("1. 一项", "1\\. 一项")])
def test_markdown_escape_stops_headings_and_lists(line, escaped):
    assert md(line) == escaped


def test_statuses_are_in_chinese():
    assert [status_name(s) for s in ("answered", "no_data", "clarify", "refused", "error")] == \
        ["已回答", "数据中没有", "需要补充", "已拒绝", "出错"]


def test_ranking_with_a_figure_in_yuan_draws_three_bars_in_one_unit(assistant, years):
    answer = assistant.ask("哪个单位的机关运行经费最多？")
    chart = chart_for(answer, years)
    assert chart.kind == "bar" and chart.unit == "万元" and len(chart.points) == 3
    beidaihe = chart.points[2]
    assert beidaihe["value"] == pytest.approx(0.000834) and beidaihe["shown"] == "8.34元"
    assert [p["value"] for p in chart.points] == sorted((p["value"] for p in chart.points), reverse=True)


def test_bars_have_short_labels_and_keep_the_full_name(assistant, years):
    chart = chart_for(assistant.ask("哪个医保局住房公积金最多"), years)
    assert chart.title == "住房公积金"
    assert chart.points[0]["label"] == "青海省医疗保障局2021年"
    assert chart.points[0]["full"] == "青海省医疗保障局2021年住房公积金"
    assert len(chart.points) == 4  # the 元 repeat of 莲湖 (（原表）) is no bar of its own


def test_one_figure_printed_in_two_tables_draws_no_chart(assistant, years):
    answer = assistant.ask("青海省医疗保障局2021年住房公积金是多少？")
    assert len(answer.figures) == 2 and chart_for(answer, years) is None


def _figure(value, label, document):
    return Figure(Decimal(value), "万元", label, Source(document, table="支出总表", row=2))


def test_one_label_over_years_draws_a_line():
    answer = Answer("answered", "…", [_figure("1050", "某局2024年养老支出", "某局2024年部门预算"),
                                      _figure("1200", "某局2025年养老支出", "某局2025年部门预算")])
    chart = chart_for(answer, {"某局2024年部门预算": 2024, "某局2025年部门预算": 2025})
    assert chart.kind == "line" and chart.title == "某局养老支出"
    assert [(p["year"], p["value"]) for p in chart.points] == [("2024", 1050.0), ("2025", 1200.0)]


def test_shorten_cuts_only_at_word_boundaries():
    assert shorten(["青海省医疗保障局2021年办公费", "青海省医疗保障局2021年差旅费"]) == \
        (["办公费", "差旅费"], "青海省医疗保障局2021年")
    assert shorten(["行政运行", "行政管理"]) == (["行政运行", "行政管理"], "")


def test_cited_rows_hold_every_figure_with_the_columns_a_person_reads(assistant):
    answer = assistant.ask("哪个医保局住房公积金最多")
    rows = cited_rows(answer, assistant.conn)
    assert all(list(r) == CITED_COLUMNS for r in rows)
    assert len(rows) == len(answer.figures)
    first = rows[0]
    assert first == {"文档": "青海省医疗保障局2021年部门预算", "表": "支出总表", "行": "29", "名称": "住房公积金",
                     "栏目": "合计", "金额": "87.86万元", "单位": "万元", "页": "7"}


def test_cited_rows_of_text_figures_give_section_and_line(assistant):
    rows = cited_rows(assistant.ask("哪个单位的机关运行经费最多？"), assistant.conn)
    beidaihe = rows[2]
    assert beidaihe["表"] == "说明“三、机关运行经费安排情况”" and beidaihe["行"] == "原文第1798行"
    assert beidaihe["金额"] == "8.34元"


def test_long_bar_labels_wrap_at_brackets_and_years():
    assert wrap("秦皇岛市北戴河区医疗保障局（本级）2021年单位预算") == "秦皇岛市北戴河区医疗保障局\n（本级）2021年单位预算"
    assert wrap("青海省医疗保障局2021年") == "青海省医疗保障局2021年"
