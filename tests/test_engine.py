"""The question engine on the sample store: every kind of question, phrased differently from
the evaluation set, answered with real values and their sources."""
from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from assistant.answer import Exchange


def ask(assistant, question, history=()):
    return assistant.ask(question, list(history))


def values(answer, unit=None):
    return {f.value for f in answer.figures if unit is None or f.unit == unit}


def converse(assistant, *questions):
    history, answers = [], []
    for q in questions:
        answer = assistant.ask(q, history)
        history.append(Exchange(q, answer))
        answers.append(answer)
    return answers


# lookup -------------------------------------------------------------------------------------

def test_lookup_by_name_cites_document_table_page_and_row(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年的信息化建设预算数是多少？")
    assert answer.status == "answered"
    assert Decimal("1566.45") in values(answer, "万元")
    source = answer.figures[0].source
    assert source.document == "青海省医疗保障局2021年部门预算"
    assert source.table and source.page and source.row
    assert "1,566.45万元" in answer.answer and "第" in answer.answer


def test_lookup_by_code_alone(assistant):
    answer = ask(assistant, "北戴河医保局2101399")
    assert values(answer) == {Decimal("10")}


def test_lookup_economic_item_of_another_bureau(assistant):
    assert Decimal("1.74") in values(ask(assistant, "北戴河区医疗保障局邮电费多少"))


def test_answer_shows_the_sql_it_ran(assistant):
    answer = ask(assistant, "拉萨医保局的培训费")
    assert "FROM items_v" in answer.sql and "培训费" in answer.sql
    assert Decimal("2") in values(answer)


def test_same_name_under_two_codes_gives_both(assistant):
    answer = ask(assistant, "北戴河区医疗保障局2021年行政运行")
    assert {Decimal("9.51"), Decimal("146.95")} <= values(answer)


# units --------------------------------------------------------------------------------------

def test_yuan_table_quoted_in_wan_by_default_exactly(assistant):
    answer = ask(assistant, "莲湖区医保局行政运行是多少")
    assert Decimal("215.389444") in values(answer, "万元")
    assert Decimal("2153894.44") in values(answer, "元")


def test_yuan_when_asked(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年办公费折合多少元")
    assert values(answer, "元") == {Decimal("137500")}


def test_unit_switch_as_follow_up(assistant):
    first, second = converse(assistant, "拉萨市医疗保障局的印刷费", "换成元呢")
    assert Decimal("1") in values(first, "万元")
    assert Decimal("10000") in values(second, "元")


# measures -----------------------------------------------------------------------------------

def test_measure_of_a_subject(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年医疗保障管理事务的项目支出")
    assert Decimal("21377") in values(answer)


def test_measure_alone_reads_the_total_row(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年公用经费是多少")
    assert Decimal("151.51") in values(answer)


# projects and indicators --------------------------------------------------------------------

def test_project_amount(assistant):
    answer = ask(assistant, "青海医保局2021年医保业务能力提升项目多少钱")
    assert Decimal("250.4") in values(answer)


def test_indicator_target(assistant):
    answer = ask(assistant, "2022年拉萨市医保局城乡居民基本医疗保险补助资金的参保人数指标")
    assert Decimal("401867") in values(answer)


# explanatory text ---------------------------------------------------------------------------

def test_change_against_last_year_from_the_text(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年信息化建设比上年增加了多少")
    assert Decimal("846.45") in values(answer, "万元")
    assert answer.figures[0].source.section


def test_growth_rate_from_the_text(assistant):
    answer = ask(assistant, "莲湖区医保局2024年医疗保障经办事务的增幅")
    assert Decimal("33.71") in values(answer, "%")


def test_count_of_vehicles(assistant):
    answer = ask(assistant, "青海省医疗保障局有多少辆车")
    assert Decimal("2") in values(answer)


# aggregates ---------------------------------------------------------------------------------

def test_rank_lowest(assistant):
    answer = ask(assistant, "哪个医保局的基本工资最少")
    assert answer.status == "answered"
    assert "北戴河" in answer.answer.split("。")[0]
    assert Decimal("60.86") in values(answer)


def test_sum_over_two_bureaus_done_in_sql(assistant):
    answer = ask(assistant, "青海省医疗保障局和北戴河区医疗保障局的办公费加起来是多少")
    assert Decimal("17.58") in values(answer)
    assert "SUM(amount_fen)" in answer.sql


def test_difference_between_two_bureaus(assistant):
    answer = ask(assistant, "青海省医疗保障局和拉萨市医疗保障局的差旅费相差多少")
    assert Decimal("3.04") in values(answer)


def test_difference_as_follow_up(assistant):
    _, second = converse(assistant, "拉萨市医疗保障局和北戴河区医疗保障局的住房公积金合计", "两者相差多少")
    assert Decimal("63.71") in values(second)


def test_children_of_a_subject(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年退役安置下有哪些科目")
    assert {Decimal("830.52"), Decimal("667.23")} <= values(answer)


def test_share_of_total(assistant):
    answer = ask(assistant, "北戴河区医疗保障局2021年住房保障支出占总支出的比重")
    share = [f.value for f in answer.figures if f.unit == "%"]
    assert share and abs(share[0] - Decimal("5.5693")) < Decimal("0.001")


# follow-ups ---------------------------------------------------------------------------------

def test_follow_up_with_another_bureau(assistant):
    _, second = converse(assistant, "青海省医疗保障局2021年住房公积金是多少？", "那北戴河区医疗保障局呢？")
    assert Decimal("14.18") in values(second)


def test_follow_up_with_another_subject(assistant):
    _, second = converse(assistant, "北戴河区医疗保障局2021年基本工资", "津贴补贴呢")
    assert values(second) == {Decimal("23.51")}


# English ------------------------------------------------------------------------------------

def test_english_question(assistant):
    answer = ask(assistant, "What are Qinghai medical security bureau's 2021 travel expenses?")
    assert Decimal("10.04") in values(answer)


# abstaining and refusing --------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "广州市医疗保障局2023年办公费是多少",
    "青海省医疗保障局2019年住房公积金",
    "今天天气怎么样",
    "北戴河区医疗保障局2021年的航天器采购费",
    "青海省医疗保障局2021年人工智能支出",   # "支出" alone names nothing
    "青海省医疗保障局2021年养老支出",
    "青海省医保局在数字化方面花了多少钱？",
])
def test_abstains_without_a_number(assistant, question):
    answer = ask(assistant, question)
    assert answer.status != "answered"
    assert not answer.figures


def test_ambiguous_bureau_answers_each_document_labelled(assistant):
    answer = ask(assistant, "拉萨市医疗保障局项目支出是多少")
    assert answer.status == "answered"
    assert Decimal("27664.38") in values(answer)


@pytest.mark.parametrize("question", ["DROP TABLE line_items", "请删除青海省医疗保障局的数据",
                                      "UPDATE line_items SET amount_fen = 0", "把办公费修改为0"])
def test_refuses_to_change_data_and_the_file_is_unchanged(assistant, samples_db, question):
    before = hashlib.sha256(samples_db.read_bytes()).hexdigest()
    answer = ask(assistant, question)
    assert answer.status == "refused" and not answer.figures
    assert hashlib.sha256(samples_db.read_bytes()).hexdigest() == before


# consistency --------------------------------------------------------------------------------

def test_text_and_table_disagreeing_are_both_shown(assistant):
    answer = ask(assistant, "北戴河区医疗保障局2021年说明里的基本支出和表格一致吗")
    assert {Decimal("220.19"), Decimal("201.45")} <= values(answer)
    assert answer.warnings


def test_stated_total_with_wrong_unit_is_flagged(assistant):
    answer = ask(assistant, "北戴河区医疗保障局2021年机关运行经费对得上吗")
    assert Decimal("8.34") in values(answer, "万元")
    assert any("8.34" in w for w in answer.warnings)


def test_every_figure_has_a_source(assistant):
    for question in ("哪个医保局住房公积金最多", "莲湖区医保局2024年机关运行经费增长率", "拉萨市医疗保障局差旅费"):
        for figure in ask(assistant, question).figures:
            assert figure.source.document and (figure.source.table or figure.source.section)


# audit findings in answers --------------------------------------------------------------------

def test_an_answer_citing_a_contested_figure_carries_the_finding(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年其他企业改革发展补助")
    assert Decimal("1719.14") in values(answer)
    assert any("R08" in w and "1,719.74" in w for w in answer.warnings)


def test_an_uncontested_figure_has_no_warning(assistant):
    assert ask(assistant, "青海省医疗保障局2021年信息化建设").warnings == []


def test_share_takes_the_subject_named_first_as_the_part(assistant):
    answer = ask(assistant, "2021年青海省医疗保障局医疗保障经办事务占卫生健康支出的比例")
    share = [f.value for f in answer.figures if f.unit == "%"]
    assert share and abs(share[0] - Decimal("15.0519")) < Decimal("0.001")


def test_two_bureaus_each_with_its_own_year(assistant):
    answer = ask(assistant, "莲湖区医保局2024年的住房公积金和青海省医保局2021年的住房公积金相差多少")
    assert Decimal("65.916165") in values(answer, "万元")  # 87.86 − 21.943835


def test_money_source_qualifier_is_not_a_subject(assistant):
    assert Decimal("1193.77") in values(ask(assistant, "拉萨市医疗保障局一般公共预算基本支出合计"))


def test_share_as_follow_up_keeps_the_previous_subject(assistant):
    _, second = converse(assistant, "北戴河区医疗保障局2021年卫生健康支出", "占总支出的比例呢")
    share = [f.value for f in second.figures if f.unit == "%"]
    assert share and abs(share[0] - Decimal("78.0759")) < Decimal("0.001")  # 198.79 / 254.61


def test_a_bureaus_budget_as_a_whole_is_its_expenditure_total(assistant):
    assert Decimal("29331.6") in values(ask(assistant, "青海省医疗保障局2021年的预算"))


def test_english_budget_terms(assistant):
    assert Decimal("0.336") in values(ask(assistant, "How much did Lianhu spend on training in 2024?"), "万元")


def test_spending_on_something_unknown_is_not_answered_with_a_total(assistant):
    answer = ask(assistant, "青海省医保局在数字化方面花了多少钱？")
    assert answer.status != "answered" and not answer.figures


def test_english_question_gets_an_english_citation(assistant):
    answer = ask(assistant, "What is the Beidaihe medical security bureau's 2021 housing provident fund?")
    assert "Source:" in answer.answer and "table “" in answer.answer and "row" in answer.answer


# shares of a measure, and bureaus that are not loaded ----------------------------------------

def _share(answer):
    return [f.value for f in answer.figures if f.unit == "%"][0]


@pytest.mark.parametrize("question, share", [
    ("北戴河区医疗保障局2021年人员经费占基本支出的比例", "92.62"),      # 186.59 / 201.45, one row, two columns
    ("青海医保局2021年公用经费占基本支出多少比重", "3.17"),             # 151.51 / 4,777.60
    ("青海省医疗保障局2021年项目支出占总支出的比例", "83.71"),           # 24,554.00 / 29,331.60
    ("莲湖区医保局2024年住房公积金占总支出的比例", "4.27"),              # 219,438.35 / 5,142,114.94 元
])
def test_share_of_a_measure_or_a_named_total_is_not_the_row_over_itself(assistant, question, share):
    answer = ask(assistant, question)
    assert answer.status == "answered", answer.answer
    assert _share(answer).quantize(Decimal("0.01")) == Decimal(share)


def test_a_measure_word_inside_a_longer_name_stays_part_of_the_name(assistant):
    answer = ask(assistant, "北戴河区医疗保障局2021年劳务派遣人员经费")
    assert Decimal("17") in values(answer, "万元") and Decimal("186.59") not in values(answer)


@pytest.mark.parametrize("question", ["青海省卫生健康委员会2021年办公费", "北戴河区财政局的办公费是多少"])
def test_another_office_of_a_loaded_place_is_not_the_loaded_bureau(assistant, question):
    answer = ask(assistant, question)
    assert answer.status == "no_data" and not answer.figures


@pytest.mark.parametrize("question, value, unit", [
    ("拉萨系统运维服务费的驻场工程师人数", "2", "人"),
    ("莲湖医保信息化建设技术点位有多少", "151", "个"),
    ("青海医药管理经费与定点医药机构签订服务协议数", "1500", "家"),
])
def test_indicator_named_without_the_word_zhibiao_is_the_target_not_the_project_amount(assistant, question,
                                                                                       value, unit):
    answer = ask(assistant, question)
    assert Decimal(value) in values(answer, unit) and not values(answer, "万元"), answer.answer


@pytest.mark.parametrize("question, number, first_child", [
    ("青海省医疗保障局2021年医疗保障管理事务下有多少个项", 7, "2101501"),
    ("青海医保局2021年社会保障和就业支出下面有几个款", 3, "20805"),
])
def test_counting_the_rows_under_a_kemu_counts_its_children(assistant, question, number, first_child):
    answer = ask(assistant, question)
    assert answer.figures[0].value == number and answer.figures[0].unit == "个"
    assert f"共有{number}个下级科目" in answer.answer and first_child in answer.answer


def test_text_rounding_a_yuan_table_to_wan_is_not_a_contradiction(assistant):
    # 莲湖's text: 行政运行（2101501）215.39万元; its 表5: 2,153,894.44元.
    answer = ask(assistant, "莲湖区医疗保障局2024年行政运行是多少")
    assert "215.39万元" in answer.answer
    assert "不一致" not in answer.answer and not answer.warnings


def test_consistency_of_a_rounded_text_figure_says_it_agrees(assistant):
    answer = ask(assistant, "莲湖区医保局2024年说明中的行政运行与表格一致吗")
    assert "与说明一致" in answer.answer and "不一致" not in answer.answer


def test_a_text_figure_too_small_for_wan_is_shown_as_printed(assistant):
    # Beidaihe's text writes 机关运行经费 8.34元 (its items add up to 8.34万元): never '0.00万元'.
    answer = ask(assistant, "北戴河区医疗保障局2021年机关运行经费是多少")
    assert "8.34元" in answer.answer and "0.00万元" not in answer.answer
    assert any("8.34万元" in w for w in answer.warnings)


def test_both_after_two_bureaus_adds_the_two_bureaus(assistant):
    answers = converse(assistant, "拉萨市医疗保障局住房公积金", "北戴河呢", "两者合计多少")
    assert Decimal("92.07") in values(answers[-1], "万元")  # 77.89 + 14.18


def test_both_after_two_subjects_of_one_bureau_compares_the_two_subjects(assistant):
    answers = converse(assistant, "青海省医疗保障局2021年办公费", "差旅费呢", "两者相差多少")
    assert Decimal("3.71") in values(answers[-1], "万元")  # 13.75 − 10.04


def test_last_year_with_no_year_to_count_back_from_asks_which_year(assistant):
    answer = ask(assistant, "莲湖区医保局去年的基本工资")
    assert answer.status == "clarify" and not answer.figures and "2024年" in answer.answer


def test_bi_qunian_is_a_change_not_a_relative_year(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年机关运行经费比去年减少多少")
    assert answer.status == "answered" and Decimal("6.85") in values(answer, "万元") and "减少" in answer.answer


def test_last_year_asked_of_a_text_figure_is_derived_from_its_stated_change(assistant):
    answers = converse(assistant, "青海省医疗保障局2021年机关运行经费", "上年呢")
    assert Decimal("149.13") in values(answers[-1], "万元")  # 142.28 + 6.85, both cited from the text
    assert "142.28万元" in answers[-1].answer and "6.85万元" in answers[-1].answer


def test_last_year_of_the_sangong_table_is_not_called_a_contradiction_of_this_years_text(assistant):
    answers = converse(assistant, "青海省医疗保障局2021年三公经费", "上年呢")
    assert Decimal("11.9") in values(answers[-1], "万元") and "不一致" not in answers[-1].answer


def test_which_row_is_largest_within_one_bureau_ranks_the_rows_under_the_kemu(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年商品和服务支出中哪一项最多")
    assert "最多的是其他交通费用" in answer.answer
    assert answer.figures[0].value == Decimal("56.82")


def test_a_money_source_word_alone_does_not_name_a_subject(assistant):
    # '财政拨款' derived from the row name 一般公共预算财政拨款 must not be answered for '财政拨款“三公”经费'.
    answer = ask(assistant, "青海省医疗保障局2021年财政拨款三公经费")
    assert Decimal("9.82") in values(answer, "万元") and Decimal("29331.6") not in values(answer)


@pytest.mark.parametrize("question, value", [
    ("拉萨医保局公积金多少", "77.89"),
    ("拉萨医保局职业年金", "30"),
    ("北戴河养老保险", "18.9"),
])
def test_everyday_names_of_budget_lines_from_the_glossary(assistant, question, value):
    assert Decimal(value) in values(ask(assistant, question), "万元")


@pytest.mark.parametrize("question, value, unit", [
    ("What is Lianhu's 2024 office expense in yuan?", "467448", "元"),   # singular term, 'in yuan'
    ("How many vehicles does Qinghai have?", "2", "辆"),
    ("青海省医疗保障局2021年卫生健康支出是多少亿元", "2.5883810", "亿元"),
])
def test_english_singulars_counts_and_units_other_than_wan(assistant, question, value, unit):
    answer = ask(assistant, question)
    assert Decimal(value) in values(answer, unit), answer.answer


def test_change_written_after_a_part_equal_to_the_whole_is_the_wholes_change(assistant):
    # 莲湖: "预算收入514.21万元，其中：一般公共预算拨款514.21万元，较上年减少138.44万元，下降21.21%"
    answer = ask(assistant, "莲湖区医保局2024年预算收入比上年变化了多少，变化率呢")
    assert values(answer) & {Decimal("138.44"), Decimal("21.21")}


@pytest.mark.parametrize("question, value, unit", [
    ("青海省医疗保障局2021年医疗保障经办事务增长了多少", "324.7", "万元"),
    ("青海医保局2021年三公经费下降百分之几", "17.48", "%"),
])
def test_change_asked_as_grown_by_how_much_or_what_percent(assistant, question, value, unit):
    assert Decimal(value) in values(ask(assistant, question), unit)


def test_basic_and_project_expenditure_of_a_performance_targets_document(assistant):
    # 拉萨 2022 prints them only as the tasks of its 部门整体支出预算绩效目标申报表, to three decimals.
    answer = ask(assistant, "拉萨市医疗保障局2022年基本支出是多少")
    assert Decimal("661.956") in values(answer, "万元") and "661.956万元" in answer.answer


def test_consistency_counts_the_vehicle_parts_once_in_their_subtotal(assistant):
    answer = ask(assistant, "北戴河区医疗保障局2021年三公经费说明和表格一致吗")
    assert "合计1.25万元，一致" in answer.answer and "2.50万元" not in answer.answer


def test_times_asked_as_duo_shao_bei(assistant):
    answer = ask(assistant, "青海医保局2021年基本工资是津贴补贴的多少倍")
    assert "0.77倍" in answer.answer  # 297.89 / 387.47


def test_how_many_projects_in_all_is_a_count_not_a_sum(assistant):
    answer = ask(assistant, "拉萨市医疗保障局2022年项目一共有多少个")
    assert answer.status == "answered" and Decimal("11") in values(answer, "个")


def test_sum_of_two_subjects_names_both(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年基本工资和津贴补贴一共多少")
    assert "基本工资、津贴补贴合计为685.36万元" in answer.answer


def test_one_name_in_two_classifications_is_labelled_with_each_code(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年住房公积金是多少？")
    labels = {f.label: (f.value, f.source.table) for f in answer.figures}
    assert labels == {
        "青海省医疗保障局2021年住房公积金（功能分类2210201）": (Decimal("87.86"), "支出总表"),
        "青海省医疗保障局2021年住房公积金（经济分类30113）": (Decimal("87.86"), "一般公共预算基本支出表")}


def test_column_of_a_row_is_not_compared_with_the_text_total_of_the_row(assistant):
    answer = ask(assistant, "青海省医保局2021年卫生健康支出中的项目支出")
    assert values(answer) == {Decimal("24554")} and answer.warnings == []  # the text's 25,883.81 is the 合计


def test_share_with_the_whole_named_first(assistant):
    answer = ask(assistant, "青海省医保局2021年卫生健康支出中行政运行占比")
    share = next(f for f in answer.figures if f.unit == "%")
    assert share.label.startswith("青海省医疗保障局2021年行政运行") and share.value < 100


def test_share_in_tenths_is_a_share(assistant):
    answer = ask(assistant, "青海省医保局2021年的信息化建设在总支出里占几成？")
    assert Decimal("5.3405") in values(answer, "%")


def test_follow_up_share_of_the_measure_asked_before(assistant):
    _, _, third = converse(assistant, "青海省医疗保障局2021年基本支出是多少", "其中人员经费是多少", "占基本支出的比例是多少")
    assert Decimal("96.8287") in values(third, "%")  # 4,626.09 ÷ 4,777.60


def test_one_total_printed_as_合计_and_总合计_is_stated_once(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年基本支出是多少")
    assert answer.answer.count("为4,777.60万元") == 1 and "另见一般公共预算支出表" in answer.answer


def test_text_figure_asked_in_a_finer_unit_says_what_the_text_printed(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年机关运行经费是多少元")
    assert values(answer, "元") == {Decimal("1422800")} and "（说明原文为142.28万元）" in answer.answer


def test_fund_named_alone_reads_only_that_funds_table(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年政府性基金支出")
    assert answer.status == "no_data" and answer.figures == [] and "政府性基金预算支出表" in answer.answer


def test_projects_are_counted_in_the_project_table_with_its_source(assistant):
    answer = ask(assistant, "拉萨市医保局那份没写年份的预算一共有几个项目")
    counted = {f.source.document: (f.value, f.source.table) for f in answer.figures}
    assert counted["拉萨市医疗保障局部门预算"] == (Decimal(15), "项目支出")  # not 36: performance rows are not added


def test_project_count_over_a_table_with_subtotal_rows_says_so(assistant):
    answer = ask(assistant, "莲湖区医保局2024年的预算一共列了几个项目？")
    assert any("分类小计行" in w for w in answer.warnings)


def test_difference_of_two_columns(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年人员经费比公用经费多多少")
    assert values(answer, "万元") == {Decimal("4626.09"), Decimal("151.51"), Decimal("4474.58")}


def test_sum_of_two_columns(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年基本支出和项目支出合计")
    assert Decimal("29331.6") in values(answer, "万元")


def test_two_columns_asked_together_are_both_given(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年基本支出和项目支出")
    assert {Decimal("4777.6"), Decimal("24554")} <= values(answer, "万元")


def test_blank_cell_of_a_printed_column_is_said_to_be_blank_not_the_row_total(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年行政运行的项目支出是多少")
    assert "项目支出一栏空白" in answer.answer
    assert {(f.label, f.source.table) for f in answer.figures} == {  # the columns printed, from the table
        ("青海省医疗保障局2021年行政运行", "支出总表"), ("青海省医疗保障局2021年行政运行中的基本支出", "支出总表")}


def test_two_columns_asked_in_turn_then_their_difference(assistant):
    *_, third = converse(assistant, "青海省医疗保障局2021年基本支出是多少", "项目支出呢", "两者相差多少")
    assert Decimal("19776.4") in values(third, "万元")  # 24,554.00 − 4,777.60


def test_indicator_named_by_some_of_its_words_beside_its_project(assistant):
    answer = ask(assistant, "拉萨市医保局城乡居民基本医疗保险补助资金覆盖人数指标")
    assert {(f.value, f.unit) for f in answer.figures} == {(Decimal("401867"), "人"), (Decimal("386579"), "人")}
    assert all(f.source.table for f in answer.figures)  # performance tables, not the project amounts


@pytest.mark.parametrize("question, total", [
    ("莲湖区医保局2024年工资奖金津补贴（50101）", "1945048.94"),  # 670,307.40 + 482,898.80 + 791,842.74
    ("莲湖区医保局2024年50101是多少元", "1945048.94"),
    ("莲湖区医保局2024年办公经费（50201）", "685007.06"),
])
def test_code_printed_beside_rows_is_the_sum_of_those_rows(assistant, question, total):
    answer = ask(assistant, question)
    assert Decimal(total) in values(answer, "元") | {v * 10000 for v in values(answer, "万元")}
    assert all(f.source.table and f.source.table.startswith("表6") for f in answer.figures)


def test_opinion_question_gets_the_figures_and_no_opinion(assistant):
    answer = ask(assistant, "你觉得青海省医疗保障局2021年的三公经费合理吗")
    assert Decimal("9.82") in values(answer, "万元") and "不评价是否合理" in answer.answer


# a share over several bodies; what a new question does not take from the one before ---------

def test_a_share_asked_across_bodies_is_each_bodys_share_highest_first(assistant):
    answer = ask(assistant, "哪个医保局的人员经费占基本支出比重最高？")
    assert answer.answer.startswith("3个单位中，比例最高的是青海省医疗保障局（96.83%）。1. 青海省医疗保障局")
    assert [f.value for f in answer.figures if f.unit == "%"] == [Decimal("96.8287"), Decimal("96.6118"),
                                                                  Decimal("92.6235")]
    assert answer.answer.endswith("没有算出比例的单位：拉萨市医疗保障局。")


def test_a_question_across_an_office_kind_keeps_its_own_line_after_another_question(assistant):
    first, second = converse(assistant, "莲湖区医保局2024年会议费和培训费合计", "哪个医保局的人员经费占基本支出比重最高？")
    assert second.answer.startswith("3个单位中，比例最高的是青海省医疗保障局")
    assert "会议费" not in second.answer


def test_a_new_body_asked_without_a_year_is_not_held_to_the_year_asked_before(assistant):
    _, second = converse(assistant, "青海省医疗保障局2021年住房公积金是多少？", "拉萨市医疗保障局住房公积金是多少？")
    assert second.status == "answered"
    assert values(second, "万元") == {Decimal("77.89")}


# a department's projects ranked ---------------------------------------------------------------

@pytest.mark.parametrize("question", ["青海省医疗保障局2021年哪个项目的金额最多？",
                                      "青海省医疗保障局2021年项目支出最多的项目是哪个？"])
def test_the_largest_project_of_a_department_is_named_not_its_project_total(assistant, question):
    answer = ask(assistant, question)
    assert answer.answer.startswith("《青海省医疗保障局2021年部门预算》部门预算项目支出绩效目标公开表的21个项目中，"
                                    "金额最多的是“医疗服务和保障能力提升补助资金（存量资金）”")
    assert [f.value for f in answer.figures][:3] == [Decimal("13962"), Decimal("3792"), Decimal("3177")]
    assert Decimal("24554") not in values(answer)  # the 项目支出 total is not the answer


def test_the_n_smallest_projects_when_asked_for_n(assistant):
    answer = ask(assistant, "青海省医疗保障局2021年金额最少的三个项目")
    assert [f.value for f in answer.figures] == [Decimal("11"), Decimal("23"), Decimal("30")]


# English: a place's conventional spelling, a name not loaded, rankings -----------------------

def test_an_english_conventional_place_spelling_names_its_body(assistant):
    answer = ask(assistant, "How much is the housing provident fund of Lhasa?")
    assert values(answer, "万元") == {Decimal("77.89")}


def test_an_english_name_not_loaded_is_said_never_the_body_asked_before(assistant):
    _, second = converse(assistant, "Total expenditure of Beidaihe in 2021",
                         "How much is the housing provident fund of Chengdu?")
    assert second.status == "no_data" and not second.figures
    assert "Chengdu" in second.answer


def test_an_english_ranking_lowest_first(assistant):
    answer = ask(assistant, "Which healthcare security bureau has the smallest office expenses?")
    assert answer.answer.startswith("Lowest 办公费: 秦皇岛市北戴河区医疗保障局（本级）. Ranking: 1.")
