"""The spreadsheet reader: merged header cells as leaf labels and groups, title and unit from
the rows above the header, sheet row numbers kept, the same reading as the PDFs."""
from __future__ import annotations

import pytest

from ingest.recognise.identity import recognise_identity

from fixtures_build import (BUDGET, ISSUER, TITLE, BudgetTable, make_csv, make_ruled_pdf,
                            make_unrelated_workbook, make_workbook, make_xls)
from ingest.model import IngestError
from ingest.readers.pdf_reader import read_pdf
from ingest.readers.sheet_reader import _format_number, read_spreadsheet


def only_table(doc):
    assert len(doc.tables) == 1, [t.title for t in doc.tables]
    return doc.tables[0]


def test_workbook_reads_title_unit_merged_header_and_rows(tmp_path):
    doc = read_spreadsheet(make_workbook(tmp_path / "budget.xlsx"))
    tab = only_table(doc)
    assert (tab.title, tab.unit) == (TITLE, "万元")
    assert tab.columns == BUDGET.columns
    assert tab.column_groups == BUDGET.groups
    assert tab.rows == BUDGET.rows
    assert tab.row_lines == [5, 6, 7, 8, 9, 10]  # sheet row numbers
    assert doc.layout == "spreadsheet"
    ident = recognise_identity(doc)
    assert (ident.issuer, ident.year, ident.kind) == (ISSUER, 2025, "预算")


def test_workbook_reads_the_same_as_the_ruled_pdf(tmp_path):
    sheet = only_table(read_spreadsheet(make_workbook(tmp_path / "budget.xlsx")))
    pdf = only_table(read_pdf(make_ruled_pdf(tmp_path / "budget.pdf")))
    assert (sheet.title, sheet.unit, sheet.columns, sheet.column_groups, sheet.rows) == \
           (pdf.title, pdf.unit, pdf.columns, pdf.column_groups, pdf.rows)


def test_amounts_typed_as_text_read_the_same(tmp_path):
    tab = only_table(read_spreadsheet(make_workbook(tmp_path / "text.xlsx", numbers_as_text=True)))
    assert tab.rows == BUDGET.rows


def test_csv_spanning_label_followed_by_blanks_is_a_group(tmp_path):
    tab = only_table(read_spreadsheet(make_csv(tmp_path / "budget.csv")))
    assert tab.columns == BUDGET.columns and tab.column_groups == BUDGET.groups
    assert tab.rows == BUDGET.rows and tab.unit == "万元"


def test_csv_in_gb18030_is_decoded(tmp_path):
    tab = only_table(read_spreadsheet(make_csv(tmp_path / "gbk.csv", encoding="gb18030")))
    assert tab.title == TITLE and tab.rows == BUDGET.rows


def test_legacy_xls_reads_the_same(tmp_path):
    pytest.importorskip("xlwt")
    tab = only_table(read_spreadsheet(make_xls(tmp_path / "budget.xls")))
    assert tab.columns == BUDGET.columns and tab.column_groups == BUDGET.groups
    assert tab.rows == BUDGET.rows and tab.title == TITLE and tab.unit == "万元"


@pytest.mark.parametrize("value, fmt, shown", [
    (1566.45, "#,##0.00", "1,566.45"),
    (1566.4499999999998, "#,##0.00", "1,566.45"),  # a formula's float noise
    (800.0, "0.00", "800.00"),
    (156211123, "#,##0", "156,211,123"),
    (156211123.0, "General", "156211123"),
    (0.125, "0.00%", "12.50%"),
    (254.453809, "0.00", "254.453809"),  # more digits than shown: kept exactly
])
def test_numbers_are_shown_as_the_sheet_displays_them(value, fmt, shown):
    assert _format_number(value, fmt) == shown


def test_two_tables_stacked_in_one_sheet_are_two_tables(tmp_path):
    from openpyxl import load_workbook

    path = make_workbook(tmp_path / "two.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    ws.append([])
    ws.append(["2025年部门“三公”经费预算表"])
    ws.append(["单位：万元"])
    ws.append(["合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"])
    ws.append([12.5, None, 10, 2.5])
    wb.save(path)
    doc = read_spreadsheet(path)
    assert [t.title for t in doc.tables] == [TITLE, "2025年部门“三公”经费预算表"]
    sangong = doc.tables[1]
    assert sangong.columns == ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"]
    assert sangong.rows == [["12.5", "", "10", "2.5"]]
    assert sangong.row_lines == [15]


@pytest.mark.parametrize("build, says", [
    (make_unrelated_workbook, "没有找到预算表"),
    (lambda p: (p.write_bytes(b""), p)[1], "空"),
    (lambda p: (p.write_bytes(b"PK\x03\x04 not really a zip"), p)[1], "损坏"),
    (lambda p: (p.write_bytes(b"%PDF-1.4\n%%EOF\n"), p)[1], "PDF"),
    (lambda p: (p.write_text("表一 收支总表\t单位：万元\n", encoding="utf-8"), p)[1], "不是 Excel 工作簿"),
], ids=["unrelated", "zero-bytes", "corrupt", "pdf-named-xlsx", "text-named-xlsx"])
def test_unusable_workbooks_are_refused_with_the_file_named(tmp_path, build, says):
    path = build(tmp_path / "通讯录.xlsx")
    with pytest.raises(IngestError) as err:
        read_spreadsheet(path)
    assert "通讯录.xlsx" in str(err.value) and says in str(err.value)
