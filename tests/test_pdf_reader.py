"""The PDF reader: cell geometry as printed, tables joined across pages, paragraphs under
their headings, and a clear refusal for files it cannot read.

Real published PDFs are read from ../shared/real/ (skipped when absent, never copied here);
small budget PDFs are generated per test with reportlab (tests/fixtures_build.py)."""
from __future__ import annotations

import re
from pathlib import Path

from ingest.recognise.identity import recognise_identity

import pytest

from fixtures_build import (BUDGET, HEADING, ISSUER, PARAGRAPH, SANGONG, TITLE, BudgetTable,
                            make_encrypted_pdf, make_image_only_pdf, make_poem_pdf, make_ruled_pdf,
                            make_truncated_pdf, make_two_tables_pdf, make_unruled_pdf)
from ingest.model import IngestError
from ingest.readers.pdf_reader import read_pdf

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "real"
QZFBAN = "putuo-qzfban-2025-dept-budget.pdf"
QZFBAN_UNIT = "putuo-qzfban-2025-unit-budget.pdf"
SHANGWUWEI = "putuo-shangwuwei-2025-dept-budget.pdf"
WANLI = "putuo-wanli-jiedao-2024-dept-budget.pdf"
CAIZHENGJU = "putuo-caizhengju-2024-final-accounts.pdf"
ALL_REAL = [QZFBAN, QZFBAN_UNIT, SHANGWUWEI, WANLI, CAIZHENGJU]


@pytest.fixture(scope="module")
def real():
    """read_pdf of a real file, parsed once per module (≈2 s a file)."""
    if not REAL.is_dir():
        pytest.skip(f"real PDFs not available ({REAL})")
    cache = {}

    def get(name: str):
        if name not in cache:
            path = REAL / name
            if not path.is_file():
                pytest.skip(f"{name} not available")
            cache[name] = read_pdf(path)
        return cache[name]

    return get


def table(doc, title_part: str):
    found = [t for t in doc.tables if title_part in t.title]
    assert found, f"no table titled …{title_part}… in {[t.title for t in doc.tables]}"
    return found[0]


def row_named(tab, name: str) -> dict[str, str | None]:
    """The first body row holding `name`, as {column label: cell} (first label wins)."""
    for row in tab.rows:
        if name in row:
            out: dict[str, str | None] = {}
            for label, cell in zip(tab.columns, row):
                out.setdefault(label, cell)
            return out
    raise AssertionError(f"no row {name} in {tab.title}")


# --- real PDFs: tables ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL_REAL)
def test_every_table_and_row_has_a_page(real, name):
    doc = real(name)
    assert doc.layout == "pdf" and doc.pages and doc.tables
    for tab in doc.tables:
        assert tab.page and 1 <= tab.page <= doc.pages
        assert len(tab.row_pages) == len(tab.rows)
        assert all(p is not None and tab.page <= p <= doc.pages for p in tab.row_pages)
        assert all(len(row) == len(tab.columns) == len(tab.column_groups) for row in tab.rows)


def test_sangong_blank_vehicle_cells_keep_their_columns(real):
    # The row's text reads "867.50 839.00 28.50 213.28"; only the cells say which is which.
    tab = table(real(QZFBAN), "“三公”经费")
    assert tab.unit == "万元" and tab.page == 20
    assert tab.rows == [["867.50", "839.00", "28.50", "", "", "", "213.28"]]
    assert tab.columns == ["合计", "因公出国(境)费", "公务接待费", "小计", "购置费", "运行费", "机关运行经费预算数"]
    assert tab.column_groups[:6] == ["“三公”经费预算数"] * 3 + ["公务用车购置及运行费"] * 3


def test_function_codes_stay_split_over_lei_kuan_xiang_columns(real):
    tab = table(real(QZFBAN), "部门支出预算总表")
    assert tab.columns[:4] == ["类", "款", "项", "功能分类科目名称"]
    assert tab.column_groups[:3] == ["功能分类科目编码"] * 3
    assert ["201", "03", "01", "行政运行", "12,029,501.84", "11,919,501.84", "110,000.00"] in tab.rows
    # A blank 项目支出 cell stays blank in its column.
    assert ["201", "03", "02", "一般行政管理事务", "46,140,000.00", "", "46,140,000.00"] in tab.rows
    assert ["201", "", "", "一般公共服务支出", "82,096,797.42", "15,686,797.42", "66,410,000.00"] in tab.rows


def test_wrapped_header_cells_become_one_label(real):
    tab = table(real(QZFBAN), "部门收入预算总表")
    assert tab.columns[4:] == ["合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"]
    assert set(tab.column_groups[4:]) == {"收入预算"}


def test_table_running_over_two_pages_is_one_table(real):
    tab = table(real(QZFBAN), "部门收入预算总表")
    assert sorted(set(tab.row_pages)) == [9, 10]
    assert len(tab.rows) == 21
    assert tab.rows[-1][0] == "合计" and tab.rows[-1][4] == "91,016,775.35"


def test_repeated_header_on_the_next_page_is_dropped(real):
    tab = table(real(QZFBAN), "一般公共预算支出功能分类预算表")
    assert sorted(set(tab.row_pages)) == [14, 15]
    header_words = {"类", "款", "项", "功能分类科目名称", "一般公共预算支出", "基本支出"}
    assert not any(header_words & set(row) for row in tab.rows)
    assert sum(1 for row in tab.rows if row[0] == "合计") == 1
    assert len(tab.rows) == 21


def test_summary_table_reads_both_sides(real):
    tab = table(real(QZFBAN), "部门财务收支预算总表")
    assert tab.unit == "元"
    assert tab.columns == ["项目", "预算数", "项目", "预算数"]
    assert tab.column_groups == ["本年收入", "本年收入", "本年支出", "本年支出"]
    assert ["收入总计", "91,016,775.35", "支出总计", "91,016,775.35"] in tab.rows
    assert ["一、财政拨款收入", "91,016,775.35", "一、一般公共服务支出", "82,096,797.42"] in tab.rows


@pytest.mark.parametrize("name, table_part, row_name, column, value", [
    (QZFBAN_UNIT, "财务收支预算总表", "一、一般公共服务支出", "项目支出", "66,410,000.00"),
    (QZFBAN_UNIT, "财务收支预算总表", "一、一般公共服务支出", "人员经费", "13,819,399.88"),
    (SHANGWUWEI, "部门财务收支预算总表", "收入总计", "预算数", "371,514,655.00"),
    (SHANGWUWEI, "部门支出预算总表", "资源勘探工业信息等支出", "合计", "293,810,000.00"),
    (SHANGWUWEI, "部门支出预算总表", "商业服务业等支出", "合计", "31,364,000.00"),
    (WANLI, "部门财务收支预算总表", "收入总计", "预算数", "156,211,123"),
    (WANLI, "部门支出预算总表", "城乡社区支出", "合计", "119,385,303"),
    (WANLI, "部门支出预算总表", "社会保障和就业支出", "合计", "19,604,064"),
])
def test_figures_from_the_readme_sit_under_their_column(real, name, table_part, row_name, column, value):
    assert row_named(table(real(name), table_part), row_name)[column] == value


def test_shangwuwei_sangong_has_only_reception(real):
    tab = table(real(SHANGWUWEI), "“三公”经费")
    assert dict(zip(tab.columns, tab.rows[0])) == {
        "合计": "1.00", "因公出国(境)费": "", "公务接待费": "1.00", "小计": "", "购置费": "", "运行费": "",
        "机关运行经费预算数": "171.01"}


def test_wanli_sangong_keeps_figures_and_its_note(real):
    tab = table(real(WANLI), "“三公”经费")
    assert tab.rows == [["47.91", "0", "1.35", "46.56", "25", "21.56", "443.18"]]
    assert tab.note and "空表" in tab.note


def test_empty_table_keeps_its_note(real):
    tab = table(real(QZFBAN), "政府性基金预算支出功能分类预算表")
    assert tab.note == "注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。"
    assert all(cell in ("", None, "合计") for row in tab.rows for cell in row)


# --- real PDFs: the 决算 --------------------------------------------------------------------

def test_final_accounts_cover(real):
    doc = real(CAIZHENGJU)
    ident = recognise_identity(doc)
    assert (ident.issuer, ident.year, ident.kind) == ("上海市普陀区财政局", 2024, "决算")
    assert all(t.unit == "万元" for t in doc.tables if t.title)


def test_final_accounts_summary_joined_over_pages(real):
    tab = table(real(CAIZHENGJU), "收入支出决算总表")
    assert tab.columns == ["项目", "决算数", "项目", "决算数"]
    assert tab.column_groups == ["收入", "收入", "支出", "支出"]
    assert sorted(set(tab.row_pages)) == [6, 7]
    assert ["本年收入合计", "2,946.25", "本年支出合计", "2,940.05"] in tab.rows
    assert ["年初结转和结余", "49.14", "年末结转和结余", "55.34"] in tab.rows


def test_final_accounts_code_labels_printed_in_the_total_row(real):
    # 决算 forms print 类 | 款 | 项 in the 合计 row: labels for the columns, blanks in the row.
    tab = table(real(CAIZHENGJU), "收入决算表")
    assert tab.columns[:4] == ["类", "款", "项", "科目名称"]
    assert tab.columns[4] == "本年收入合计"
    assert tab.rows[0][:6] == ["", "", "", "合计", "2,946.25", "2,940.05"]
    assert ["201", "06", "01", "行政运行", "1,511.90", "1,511.89", "", "", "", "", "0.01"] in tab.rows


def test_final_accounts_measure_labels(real):
    doc = real(CAIZHENGJU)
    sangong = table(doc, "三公")
    assert sangong.title == "财政拨款“三公”经费支出决算表"
    assert sangong.columns == ["预算数", "决算数"] * 6
    assert sangong.column_groups[2:4] == ["因公出国（境）费"] * 2
    assert sangong.rows == [["0.95", "", "", "", "", "", "", "", "", "", "0.95", ""]]
    basic = table(doc, "基本支出决算表")
    assert basic.columns == ["类", "款", "科目名称", "决算数"] * 2
    assert row_named(basic, "人员经费合计")["决算数"] == "2,152.26"
    assert basic.rows[-1][4] == "公用经费合计" and basic.rows[-1][7] == "184.65"


def test_final_accounts_text_keeps_only_printed_figures(real):
    """The figures of the 财政局 text sit a few points below the baseline; the reader keeps
    each in its sentence and never makes one up: every number in a paragraph is printed on
    its page, and no sentence is left with '总计 万元' (a figure dropped)."""
    import pdfplumber

    doc = real(CAIZHENGJU)
    with pdfplumber.open(REAL / CAIZHENGJU) as pdf:
        printed = {n: re.sub(r"\s", "", pdf.pages[n - 1].extract_text() or "") for n in range(20, 26)}
    text = [p for p in doc.paragraphs if p.page and p.page >= 21]
    assert text
    for para in text:
        for number in re.findall(r"\d[\d,.]*\d|\d", para.text):
            assert any(number in printed[n] for n in (para.page, para.page + 1) if n in printed), number
        assert not re.search(r"(总计|合计|经费)\s*万元", para.text), para.text
    first = next(p for p in text if p.section == "一、收入支出决算总体情况说明")
    assert first.text.startswith("上海市普陀区财政局2024年度收入支出总计2995.39万元。")


# --- real PDFs: text -----------------------------------------------------------------------

@pytest.mark.parametrize("name, issuer, year, kind", [
    (QZFBAN, "上海市普陀区人民政府办公室", 2025, "预算"),
    (QZFBAN_UNIT, "上海市普陀区人民政府办公室", 2025, "预算"),
    (SHANGWUWEI, "上海市普陀区商务委员会", 2025, "预算"),
    (WANLI, "上海市普陀区人民政府万里街道办事处", 2024, "预算"),
])
def test_cover_names_issuer_year_kind(real, name, issuer, year, kind):
    doc = real(name)
    ident = recognise_identity(doc)
    assert (ident.issuer, ident.year, ident.kind) == (issuer, year, kind)
    assert any("部门预算" in h or "单位预算" in h for h in doc.heading_lines)


def test_paragraphs_sit_under_their_section(real):
    doc = real(QZFBAN)
    sangong = [p.text for p in doc.paragraphs if p.section == "一、2025年“三公”经费预算情况说明"]
    assert "（一）因公出国（境）费839万元，与2024年预算持平。" in sangong
    running = [p for p in doc.paragraphs if p.section == "二、机关运行经费预算"]
    assert running and "213.28万元" in running[0].text and running[0].page == 21


def test_lines_broken_by_the_layout_are_joined(real):
    doc = real(QZFBAN)
    # Printed as "…减少2,389.52万" at the end of one line and "元；事业收入0万元…" on the next.
    assert any("比2024年预算减少2,389.52万元；事业收入0万元；" in p.text for p in doc.paragraphs)
    assert not any("……" in p.text for p in doc.paragraphs)  # the table of contents is no text


# --- generated PDFs: two visual styles, one reading -----------------------------------------

def expected_rows(table: BudgetTable = BUDGET) -> list[list[str]]:
    return [list(row) for row in table.rows]


@pytest.mark.parametrize("make", [make_ruled_pdf, make_unruled_pdf], ids=["ruled", "unruled"])
def test_ruled_and_unruled_pdfs_read_the_same_cells(tmp_path, make):
    doc = read_pdf(make(tmp_path / "budget.pdf"))
    assert len(doc.tables) == 1
    tab = doc.tables[0]
    assert (tab.title, tab.unit, tab.page) == (TITLE, "万元", 1)
    assert tab.columns == BUDGET.columns
    assert tab.column_groups == BUDGET.groups
    assert tab.rows == expected_rows()
    assert tab.note == "注：本表金额单位为万元。"


@pytest.mark.parametrize("make, repeat_header", [
    (make_ruled_pdf, True), (make_ruled_pdf, False), (make_unruled_pdf, True)],
    ids=["ruled-repeated-header", "ruled-no-header", "unruled-repeated-header"])
def test_table_continued_on_the_next_page_is_joined(tmp_path, make, repeat_header):
    doc = read_pdf(make(tmp_path / "two-pages.pdf", split_after=3, repeat_header=repeat_header))
    assert doc.pages == 2 and len(doc.tables) == 1
    tab = doc.tables[0]
    assert tab.rows == expected_rows()
    assert tab.row_pages == [1, 1, 1, 2, 2, 2]
    assert tab.columns == BUDGET.columns


@pytest.mark.parametrize("make", [make_ruled_pdf, make_unruled_pdf], ids=["ruled", "unruled"])
def test_paragraph_wrapped_by_the_layout_is_one_paragraph(tmp_path, make):
    doc = read_pdf(make(tmp_path / "budget.pdf"))
    assert [(p.text, p.section, p.page) for p in doc.paragraphs] == [(PARAGRAPH, HEADING, 1)]
    assert doc.heading_lines[0] == f"{ISSUER}2025年部门预算"
    ident = recognise_identity(doc)
    assert (ident.issuer, ident.year, ident.kind) == (ISSUER, 2025, "预算")


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_two_tables_on_one_page_keep_their_own_titles_and_columns(tmp_path, ruled):
    doc = read_pdf(make_two_tables_pdf(tmp_path / "two.pdf", ruled=ruled))
    assert [t.title for t in doc.tables] == [TITLE, SANGONG.title]
    budget, sangong = doc.tables
    assert budget.rows == expected_rows()
    assert sangong.columns == SANGONG.columns
    assert sangong.rows == SANGONG.rows  # blank 出国/购置 cells stay in their columns
    assert sangong.unit == "万元"


def test_full_width_digits_are_read_as_plain_digits(tmp_path):
    wide = BudgetTable(rows=[["208", "社会保障和就业支出", "２５,５０８．００", "２５,５０８．００", ""],
                             ["", "合计", "２５,５０８．００", "２５,５０８．００", ""]])
    tab = read_pdf(make_ruled_pdf(tmp_path / "wide.pdf", table=wide)).tables[0]
    assert tab.rows[0] == ["208", "社会保障和就业支出", "25,508.00", "25,508.00", ""]


# --- files that are refused ----------------------------------------------------------------

def _text_named_pdf(path: Path) -> Path:
    path.write_text("这是一个文本文件，不是 PDF。\n", encoding="utf-8")
    return path


def _zero_bytes(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _truncated(path: Path) -> Path:
    return make_truncated_pdf(path, make_ruled_pdf(path.with_name("whole.pdf")))


@pytest.mark.parametrize("build, says", [
    (make_encrypted_pdf, "密码"),
    (make_image_only_pdf, "OCR"),
    (_truncated, "不完整"),
    (_zero_bytes, "空"),
    (_text_named_pdf, "不是 PDF"),
    (make_poem_pdf, "没有找到预算表"),
], ids=["encrypted", "scanned", "truncated", "zero-bytes", "text-named-pdf", "poem"])
def test_unreadable_files_are_refused_with_the_file_named(tmp_path, build, says):
    path = build(tmp_path / "坏文件.pdf")
    with pytest.raises(IngestError) as err:
        read_pdf(path)
    assert "坏文件.pdf" in str(err.value) and says in str(err.value)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(IngestError, match="不存在"):
        read_pdf(tmp_path / "nothing.pdf")
