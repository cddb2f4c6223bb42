"""The Qinghai sample's 支出总表 and 收支总表 printed the way other publishers print them
(tests/layout_variants.py): each variant must load with the sample's own figures, or load
none of them; never a figure under the wrong code, name, measure, side or unit."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SAMPLES
from layout_variants import (LAYOUTS, expected_items, read_items, sample_rows, summary_flat, summary_sides,
                             summary_years, write_pdf, write_workbook)

pytest.importorskip("reportlab")
pytest.importorskip("openpyxl")

SAMPLE = SAMPLES / "qinghai-2021-budget.txt"
TITLE = "2021年部门支出预算总表"
CONTEXT = "编制部门：青海省医疗保障局"


@pytest.fixture(scope="module")
def rows():
    return sample_rows(SAMPLE, "支出总表")


def _read(path: Path):
    from ingest.pipeline import parse_file

    doc = parse_file(path)
    assert not isinstance(doc, str), doc
    return doc


def _items_named(doc, name: str) -> dict[str, tuple[int, str]]:
    return {i.measure: (i.amount_fen, i.unit) for t in doc.tables for i in t.items if i.name == name}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_layout_loads_the_sample_figures(tmp_path, rows, layout, fmt):
    table = LAYOUTS[layout](rows, TITLE, CONTEXT)
    path = (write_pdf(tmp_path / "t.pdf", [table]) if fmt == "pdf" else write_workbook(tmp_path / "t.xlsx", [table]))
    with_codes = not layout.startswith("names")
    assert read_items(_read(path), with_codes) == expected_items(rows, with_codes)


def test_sideways_page_without_rotate_is_read_turned(tmp_path, rows):
    path = write_pdf(tmp_path / "sideways.pdf", [LAYOUTS["base"](rows, TITLE, CONTEXT)], sideways=True)
    assert read_items(_read(path)) == expected_items(rows)


def test_page_turned_by_rotate_reads_like_a_landscape_page(tmp_path, rows):
    path = write_pdf(tmp_path / "rotate.pdf", [LAYOUTS["base"](rows, TITLE, CONTEXT)], rotate=True)
    assert read_items(_read(path)) == expected_items(rows)


@pytest.mark.parametrize("repeat_header", [True, False])
def test_table_running_over_pages_keeps_every_row(tmp_path, rows, repeat_header):
    path = write_pdf(tmp_path / "pages.pdf", [LAYOUTS["code_parts"](rows, TITLE, CONTEXT)], rows_per_page=8,
                     repeat_header=repeat_header, continued_title=True)
    assert read_items(_read(path)) == expected_items(rows)


def test_unit_printed_in_the_header_is_the_tables_unit(tmp_path, rows):
    path = write_workbook(tmp_path / "unit.xlsx", [LAYOUTS["unit_in_header"](rows, TITLE, CONTEXT)])
    doc = _read(path)
    assert doc.tables[0].unit == "万元"
    assert _items_named(doc, "信息化建设")["合计"] == (1_566_450_000, "万元")


def test_rate_column_is_a_percentage_not_money(tmp_path, rows):
    path = write_workbook(tmp_path / "rates.xlsx", [LAYOUTS["change_columns"](rows, TITLE, CONTEXT)])
    items = _items_named(_read(path), "行政运行")
    assert items["增减%"] == (-1667, "%")  # -16.67%
    assert items["增减额"] == (-181_340_000, "万元")  # -181.34万元


def test_bracketed_negative_is_read_as_negative(tmp_path, rows):
    path = write_pdf(tmp_path / "brackets.pdf", [LAYOUTS["paren_negatives"](rows, TITLE, CONTEXT)])
    assert _items_named(_read(path), "行政运行")["增减额"] == (-181_340_000, "万元")


def test_bracketed_item_number_stays_text():
    from ingest.textutil import parse_amount

    assert parse_amount("(12.30)") == Decimal("-12.30")
    assert parse_amount("（1,234.00）") == Decimal("-1234.00")
    assert parse_amount("(1)") is None


def test_final_accounts_rate_column_is_not_money(tmp_path, rows):
    path = write_pdf(tmp_path / "final.pdf", [LAYOUTS["final_accounts"](rows, TITLE, CONTEXT)])
    units = {i.unit for t in _read(path).tables for i in t.items if "%" in i.column_label}
    assert units == {"%"}


def test_unruled_tight_header_reads_group_labels_as_spans(tmp_path, rows):
    path = write_pdf(tmp_path / "unruled.pdf", [LAYOUTS["base"](rows, TITLE, CONTEXT)], ruled=False)
    assert read_items(_read(path)) == expected_items(rows)


def test_unruled_group_label_over_a_gap_is_no_column(tmp_path, rows):
    """金额 centred over six amount columns has nothing printed under it; it must not take the
    项目支出 figures as a 合计 column of its own."""
    path = write_pdf(tmp_path / "gap.pdf", [LAYOUTS["change_columns"](rows, TITLE, CONTEXT)], ruled=False)
    assert read_items(_read(path)) == expected_items(rows)


def test_unruled_code_label_over_lei_kuan_xiang(tmp_path, rows):
    path = write_pdf(tmp_path / "parts.pdf", [LAYOUTS["code_parts_sparse"](rows, TITLE, CONTEXT)], ruled=False)
    assert read_items(_read(path)) == expected_items(rows)


def test_contents_sheet_holds_no_figures(tmp_path, rows):
    path = write_workbook(tmp_path / "contents.xlsx", [LAYOUTS["base"](rows, TITLE, CONTEXT)], contents=True)
    doc = _read(path)
    assert [len(t.items) for t in doc.tables if t.title.replace(" ", "") == "目录"] == [0]
    assert read_items(doc) == expected_items(rows)


def _sides(doc) -> set[tuple]:
    return {(i.side, i.name, i.amount_fen) for t in doc.tables for i in t.items if i.measure == "合计"}


def _expected_sides(income, spending) -> set[tuple]:
    return {(side, name, int(v * 1_000_000)) for side, half in (("收入", income), ("支出", spending))
            for name, v in half}


def test_summary_halves_named_income_and_spending_items_keep_their_sides(tmp_path):
    income, spending = summary_sides(SAMPLE, "部门收支总表")
    path = write_workbook(tmp_path / "flat.xlsx", [summary_flat(income, spending, "2021年部门收支预算总表", CONTEXT)])
    assert _sides(_read(path)) == _expected_sides(income, spending)


def test_summary_this_year_column_is_the_total_measure(tmp_path):
    income, spending = summary_sides(SAMPLE, "部门收支总表")
    path = write_pdf(tmp_path / "years.pdf", [summary_years(income, spending, "2021年部门收支预算总表", CONTEXT)])
    assert _sides(_read(path)) == _expected_sides(income, spending)


def test_every_layout_answers_the_same_question_with_the_same_figure(tmp_path, rows):
    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths

    answers = set()
    for layout in ("base", "code_in_name", "in_yuan", "names_indented"):
        path = write_pdf(tmp_path / f"{layout}.pdf", [LAYOUTS[layout](rows, TITLE, CONTEXT)], sideways=layout == "in_yuan")
        store = tmp_path / f"{layout}.db"
        assert not ingest_paths([path], store).failed
        answer = Assistant(store).ask("青海省医疗保障局2021年军队转业干部安置是多少？")
        answers.add((answer.status, tuple((f.value, f.unit) for f in answer.figures[:1])))
    assert answers == {("answered", ((Decimal("667.23"), "万元"),))}


def test_unruled_summary_halves_keep_their_sides(tmp_path):
    """Unruled, a half's right-aligned amount and the next half's name sit closer than a cell
    gap, and 收入/支出 are centred over columns of unequal widths."""
    from layout_variants import summary_grouped

    income, spending = summary_sides(SAMPLE, "部门收支总表")
    table = summary_grouped(income, spending, "2021年部门收支预算总表", CONTEXT)
    path = write_pdf(tmp_path / "halves.pdf", [table], ruled=False)
    assert _sides(_read(path)) == _expected_sides(income, spending)


def test_amount_before_wan_yuan_in_a_sentence_stays_one_run():
    from ingest.readers.pdf_reader import Char, Line

    chars = [Char(10 + 6 * k, 15 + 6 * k, 0, 10, 10, ch) for k, ch in enumerate("支出906.7")]
    chars += [Char(chars[-1].x1 + 4, chars[-1].x1 + 14, 0, 10, 10, "万"), Char(chars[-1].x1 + 14, chars[-1].x1 + 24, 0, 10, 10, "元")]
    assert [s[2] for s in Line(1, 0, 10, chars).finish().segments(1.0)] == ["支出906.7 万元"]


def test_unruled_column_numbers_row_is_no_header_label(tmp_path, rows):
    path = write_pdf(tmp_path / "lanci.pdf", [LAYOUTS["column_numbers"](rows, TITLE, CONTEXT)], ruled=False)
    assert read_items(_read(path)) == expected_items(rows)


def test_column_numbers_without_the_word_lanci_are_no_amounts():
    from ingest.readers.pdf_reader import is_column_numbers

    assert is_column_numbers(["", "", "1", "2", "3"])
    assert is_column_numbers(["栏次", None, "1", "2"])
    assert not is_column_numbers(["208", "社会保障和就业支出", "3", "3"])


SANGONG = {"因公出国（境）费": Decimal("5.18"), "公务用车购置费": Decimal("0"), "公务用车运行费": Decimal("5.04"),
           "公务接待费": Decimal("1.68")}  # Qinghai's 2021 上年 “三公” figures (11.90 in all)


@pytest.mark.parametrize("layout", ["sangong_wide", "sangong_long"])
def test_sangong_total_is_named_the_sangong_total_in_either_layout(tmp_path, layout):
    from layout_variants import SANGONG_LAYOUTS

    table = SANGONG_LAYOUTS[layout](SANGONG, "2021年一般公共预算“三公”经费支出预算表", CONTEXT)
    items = _items_named(_read(write_workbook(tmp_path / "sg.xlsx", [table])), "“三公”经费合计")
    assert items["合计"] == (11_900_000, "万元")


def test_sangong_total_with_meeting_and_training_rows_is_not_the_sangong_total():
    from ingest.normalise.normalize import Item, _name_sangong_total

    items = [Item(1, "合计", "合计", "预算数", 5_000_000, "5.00", "万元", "sangong", is_total=True),
             Item(2, "公务接待费", "合计", "预算数", 1_000_000, "1.00", "万元", "sangong"),
             Item(3, "会议费", "合计", "预算数", 4_000_000, "4.00", "万元", "sangong")]
    _name_sangong_total(items)
    assert items[0].name == "“三公”经费、会议费合计"


def test_codeless_table_with_one_name_on_two_rows_answers_both(tmp_path):
    """Beidaihe prints 行政运行 under 卫生健康管理事务 (9.51) and under 医疗保障管理事务 (146.95);
    printed without codes, the question must get both rows, never the first alone."""
    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths

    rows = sample_rows(SAMPLES / "beidaihe-2021-budget.txt", "单位预算支出总表")
    table = LAYOUTS["names_indented"](rows, "2021年单位预算支出总表", "编制单位：秦皇岛市北戴河区医疗保障局（本级）")
    store = tmp_path / "codeless.db"
    assert not ingest_paths([write_pdf(tmp_path / "codeless.pdf", [table])], store).failed
    answer = Assistant(store).ask("秦皇岛市北戴河区医疗保障局2021年行政运行是多少？")
    assert sorted(f.value for f in answer.figures) == [Decimal("9.51"), Decimal("146.95")]


def _no_unit_pdf(tmp_path: Path, rows) -> Path:
    from dataclasses import replace

    return write_pdf(tmp_path / "nounit.pdf", [replace(LAYOUTS["base"](rows, TITLE, CONTEXT), unit_line="")])


def test_table_without_any_unit_loads_no_figure_and_says_so(tmp_path, rows):
    from ingest.pipeline import ingest_paths

    [result] = ingest_paths([_no_unit_pdf(tmp_path, rows)], tmp_path / "nounit.db").results
    assert result.items == 0
    assert any("没有写单位" in note and "--unit" in note for note in result.uncertain)


def test_a_question_about_a_table_left_unread_says_why(tmp_path, rows):
    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths

    store = tmp_path / "nounit.db"
    ingest_paths([_no_unit_pdf(tmp_path, rows)], store)
    answer = Assistant(store).ask("青海省医疗保障局2021年信息化建设是多少？")
    assert answer.status == "no_data" and not answer.figures
    assert "注意：《" in answer.answer and "没有写单位" in answer.answer and "--unit" in answer.answer


def test_unit_stated_at_ingest_reads_a_table_that_prints_none(tmp_path, rows):
    from click.testing import CliRunner

    from assistant.cli import main

    store = tmp_path / "stated.db"
    done = CliRunner().invoke(main, ["ingest", str(_no_unit_pdf(tmp_path, rows)), "--db", str(store), "--unit", "万元"])
    assert done.exit_code == 0, done.output
    asked = CliRunner().invoke(main, ["ask", "青海省医疗保障局2021年信息化建设是多少？", "--db", str(store)])
    assert "1,566.45万元" in asked.output


def test_sideways_page_with_text_running_down_is_read_turned(tmp_path, rows):
    path = write_pdf(tmp_path / "down.pdf", [LAYOUTS["base"](rows, TITLE, CONTEXT)], sideways=True, turn=270)
    assert read_items(_read(path)) == expected_items(rows)


def test_unruled_table_over_pages_with_a_repeated_column_numbers_row(tmp_path, rows):
    path = write_pdf(tmp_path / "lanci-pages.pdf", [LAYOUTS["column_numbers"](rows, TITLE, CONTEXT)], ruled=False,
                     rows_per_page=8)
    assert read_items(_read(path)) == expected_items(rows)


@pytest.mark.parametrize("layout", ["change_columns", "code_parts", "summary"])
def test_web_page_layout_loads_the_sample_figures(tmp_path, rows, layout):
    from layout_variants import summary_grouped, write_html

    if layout == "summary":
        income, spending = summary_sides(SAMPLE, "部门收支总表")
        path = write_html(tmp_path / "s.html", [summary_grouped(income, spending, "2021年部门收支预算总表", CONTEXT)])
        assert _sides(_read(path)) == _expected_sides(income, spending)
    else:
        path = write_html(tmp_path / "t.html", [LAYOUTS[layout](rows, TITLE, CONTEXT)])
        assert read_items(_read(path)) == expected_items(rows)
