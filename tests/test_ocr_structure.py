"""Where an OCR figure sits: the structure checks flag the right digits in the wrong place
(another column, row or table), which the digit identities cannot see. Tables are crafted as
the OCR reader returns them; no engine runs."""
from __future__ import annotations

from ingest.model import ParsedDocument, RawTable
from ingest.normalise.normalize import normalize
from ingest.normalise.ocr_checks import mark_ocr
from ingest.normalise.ocr_structure import repair_titles, title_repaired

IDENTITY = {"issuer": "某某局", "year": 2025, "kind": "预算", "scope": "部门"}
# 万里街道's 2024 支出总表 rows as printed (元): 合计 = 基本支出 + 项目支出 on every row
ROWS = [["2013202", "一般行政管理事务", "888,700", "0", "888,700"],
        ["2040607", "公共法律服务", "300,000", "0", "300,000"],
        ["2080502", "事业单位离退休", "76,620", "76,620", "0"],
        ["2120101", "行政运行", "76,609,000", "76,609,000", "0"],
        ["2210201", "住房公积金", "5,400,000", "5,400,000", "0"]]
COLUMNS = ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]


def _doc(tables: list[RawTable]) -> ParsedDocument:
    """Every table read by OCR at full confidence, so only the structure can doubt a figure."""
    doc = ParsedDocument("scan.pdf", "pdf", tables, [], heading_lines=["某某局2025年部门预算"])
    doc.ocr = {1: [(c, 0.99) for t in tables for row in t.rows for c in row if c]}
    return doc


def _table(rows, title="2025年部门支出预算总表", columns=COLUMNS) -> RawTable:
    return RawTable(title, list(columns), [list(r) for r in rows], unit="元", page=1, row_pages=[1] * len(rows))


def _flagged(parsed: ParsedDocument) -> set[tuple[int, str, str]]:
    doc = mark_ocr(normalize(parsed, IDENTITY), parsed)
    return {(t.seq, i.code or i.name, i.measure) for t in doc.tables for i in t.items if i.uncertain}


def test_rows_that_add_up_flag_nothing():
    assert _flagged(_doc([_table(ROWS)])) == set()


def test_a_row_whose_parts_do_not_add_up_to_its_total_is_flagged():
    rows = [list(r) for r in ROWS]
    rows[1][3:] = ["300,000", "0"]  # 公共法律服务's 300,000 landed under 基本支出: still adds up
    rows[2][3:] = ["0", "76,620"]  # and a swap adds up too: neither is a sum the digits break
    rows[3][4] = "5,400,000"  # the next row's 项目支出 read into this row: 76,609,000 ≠ 76,609,000 + 5,400,000
    flagged = _flagged(_doc([_table(rows)]))
    assert {(1, "2120101", "合计"), (1, "2120101", "基本支出"), (1, "2120101", "项目支出")} <= flagged
    assert not any(code == "2013202" for _, code, _ in flagged)


def test_columns_that_are_not_parts_of_the_total_flag_nothing():
    # 上年预算数 beside 合计 is no part of it: no row adds up, so the table teaches no identity
    columns = ["科目编码", "科目名称", "合计", "上年预算数"]
    rows = [[c, n, t, "1,000"] for c, n, t, _, _ in ROWS]
    assert _flagged(_doc([_table(rows, columns=columns)])) == set()


def test_a_row_printing_fewer_amounts_than_the_others_is_flagged_where_cells_were_lost():
    # An unruled table (blank cells lost, numbers in print order): 安全监管 prints two of three,
    # so where its second number goes is a guess
    rows = [[code, name, total, base, project] for code, name, total, base, project in ROWS]
    rows.append(["2240106", "安全监管", "120,000", "120,000"])
    table = _table(rows)
    table.cells_positional = False
    flagged = _flagged(_doc([table]))
    assert any(code == "2240106" and measure != "合计" for _, code, measure in flagged)
    assert not any(code == "2013202" for _, code, _ in flagged)


def test_a_blank_cell_of_a_ruled_table_moves_nothing():
    rows = [list(r) for r in ROWS] + [["2240106", "安全监管", "120,000", "", "120,000"]]
    assert _flagged(_doc([_table(rows)])) == set()  # its row still adds up: its place is vouched for


def test_a_code_whose_amount_differs_in_a_table_that_otherwise_agrees_is_flagged_in_both():
    other = [list(r) for r in ROWS]
    other[4][2] = "4,500,000"  # 住房公积金 read from the row below in the second table
    tables = [_table(ROWS), _table([r[:3] for r in other], "2025年财政拨款支出预算表", COLUMNS[:3])]
    flagged = _flagged(_doc(tables))
    assert (2, "2210201", "合计") in flagged
    assert (1, "2210201", "合计") not in flagged  # its row adds up (合计 = 基本 + 项目): vouched for
    assert (2, "2120101", "合计") not in flagged


def test_a_code_printed_beside_another_rows_name_is_flagged():
    second = [r[:3] for r in ROWS]
    second[1][1:] = ["事业单位离退休", "76,620"]  # the row below's name and amount beside 2040607
    tables = [_table(ROWS), _table(second, "2025年财政拨款支出预算表", COLUMNS[:3]),
              _table([r[:3] for r in ROWS], "2025年一般公共预算支出预算表", COLUMNS[:3])]
    flagged = _flagged(_doc(tables))
    assert (2, "2040607", "合计") in flagged and (1, "2040607", "合计") not in flagged


def test_a_misread_title_word_is_put_right_when_one_look_alike_character_away():
    assert title_repaired("2019年部门收人预算总表") == "2019年部门收入预算总表"  # not 收支预算总表
    assert title_repaired("收入预算总表") is None
    assert title_repaired("项目支出绩效目标表") is None


def test_a_table_placed_by_a_repaired_title_is_flagged_unless_an_identity_confirms_it():
    table = _table([r[:3] for r in ROWS[:2]], "2025年部门收人预算总表", COLUMNS[:3])
    repair_titles([table])
    assert table.title == "2025年部门收入预算总表" and table.title_as_read == "2025年部门收人预算总表"
    assert _flagged(_doc([table])) == {(1, "2013202", "合计"), (1, "2040607", "合计")}


def test_figures_of_a_table_whose_title_was_not_read_are_flagged_unless_confirmed():
    columns = ["科目编码", "科目名称", "合计"]
    table = _table([["2013202", "一般行政管理事务", "888,700"], ["2040607", "公共法律服务", "300,000"]], "", columns)
    assert _flagged(_doc([table])) == {(1, "2013202", "合计"), (1, "2040607", "合计")}


def test_an_answer_from_a_misplaced_ocr_figure_says_to_check_the_original(tmp_path):
    from assistant.engine import Assistant
    from assistant.handlers.common import OCR_UNCERTAIN_NOTE
    from db.store import connect_writer
    from ingest.writer import write_document

    rows = [list(r) for r in ROWS]
    rows[3][4] = "5,400,000"  # 行政运行's row no longer adds up: a figure from the row below
    parsed = _doc([_table(rows)])
    doc = mark_ocr(normalize(parsed, IDENTITY), parsed)
    conn = connect_writer(tmp_path / "ocr.db")
    write_document(conn, doc, "scan.pdf", "0" * 64)
    conn.close()
    answer = Assistant(tmp_path / "ocr.db").ask("某某局2025年行政运行项目支出是多少")
    assert OCR_UNCERTAIN_NOTE in answer.answer + "".join(answer.warnings), answer.answer


def test_a_wan_yuan_parent_off_by_its_childrens_rounding_is_not_flagged():
    # 普陀区财政局 2024 决算, 基本支出决算表 (万元): 301 prints 2,082.85, its 30101… add to 2,082.86
    rows = [["301", "工资福利支出", "2,082.85"], ["30101", "基本工资", "262.33"], ["30102", "津贴补贴", "1,820.53"]]
    table = _table(rows, "2024年一般公共预算财政拨款基本支出决算表", COLUMNS[:3])
    table.unit = "万元"
    assert _flagged(_doc([table])) == set()


def test_a_yuan_parent_off_by_one_yuan_is_flagged():
    rows = [["301", "工资福利支出", "2,082,859"], ["30101", "基本工资", "262,330"], ["30102", "津贴补贴", "1,820,530"]]
    flagged = _flagged(_doc([_table(rows, "2024年一般公共预算财政拨款基本支出决算表", COLUMNS[:3])]))
    assert (1, "301", "合计") in flagged


def test_straight_quotes_read_in_a_title_are_put_back_as_the_printed_pair():
    # 江苏省高级人民法院 公开09表: OCR reads the closing ” of “三公” as a straight quote
    table = _table([], '“三公"经费、会议费、培训费支出预算表')
    repair_titles([table])
    assert table.title == "“三公”经费、会议费、培训费支出预算表" and table.title_as_read is None


def test_a_unit_label_whose_unit_wrapped_to_the_next_line_does_not_hide_the_title():
    # 江苏省高级人民法院 公开09表 prints '单位：万' above '元': the title above it is still the table's
    from ingest.readers.pdf_reader import _is_context

    assert _is_context("单位：万") and _is_context("金额单位:") and not _is_context("单位工资")
