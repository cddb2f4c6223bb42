"""The Word reader: merged header cells (gridSpan/vMerge) read as the workbook reads them,
heading styles as sections, text boxes once, provenance by paragraph and table index and row
number, clear refusals for old .doc and damaged files."""
from __future__ import annotations

import pytest

from fixtures_build import BUDGET, ISSUER, PARAGRAPH, TITLE, make_workbook
from ingest.readers.docx_reader import read_docx
from ingest.model import IngestError
from ingest.readers.sheet_reader import read_spreadsheet

docx = pytest.importorskip("docx")


def _budget_docx(path, title_style: bool = True, table_title_inside: bool = False):
    """Title, a Heading 2 section with a paragraph, then the 支出总表 under its title and unit
    lines: 科目编码/科目名称 merged down two rows, 支出预算 merged across three columns."""
    word = docx.Document()
    if title_style:
        word.add_paragraph(f"{ISSUER}2025年部门预算", style="Title")
    word.add_heading("一、部门预算编制说明", level=2)
    word.add_paragraph(PARAGRAPH)
    extra = 0
    if not table_title_inside:
        word.add_paragraph(TITLE)
        word.add_paragraph(f"编制部门：{ISSUER}\t单位：万元")
    else:
        extra = 1
    table = word.add_table(rows=extra + 2 + len(BUDGET.rows), cols=5)
    if extra:
        table.cell(0, 0).merge(table.cell(0, 4)).text = TITLE
    table.cell(extra, 0).merge(table.cell(extra + 1, 0)).text = "科目编码"
    table.cell(extra, 1).merge(table.cell(extra + 1, 1)).text = "科目名称"
    table.cell(extra, 2).merge(table.cell(extra, 4)).text = "支出预算"
    for c, label in enumerate(BUDGET.columns[2:], start=2):
        table.cell(extra + 1, c).text = label
    for r, row in enumerate(BUDGET.rows, start=extra + 2):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    word.add_paragraph("注：本表金额单位为万元。")
    word.save(str(path))
    return path


def test_merged_header_cells_read_as_the_workbook_does(tmp_path):
    [tab] = read_docx(_budget_docx(tmp_path / "budget.docx")).tables
    [book] = read_spreadsheet(make_workbook(tmp_path / "budget.xlsx")).tables
    assert (tab.title, tab.unit, tab.columns, tab.column_groups, tab.rows) == \
           (book.title, book.unit, book.columns, book.column_groups, book.rows)


def test_table_provenance_is_table_index_and_row_number(tmp_path):
    [tab] = read_docx(_budget_docx(tmp_path / "budget.docx")).tables
    assert tab.line == 1 and tab.row_lines == [3, 4, 5, 6, 7, 8] and tab.page is None
    assert tab.note == "注：本表金额单位为万元。"


def test_title_row_merged_across_the_table_is_its_title(tmp_path):
    [tab] = read_docx(_budget_docx(tmp_path / "budget.docx", table_title_inside=True)).tables
    assert tab.title == TITLE and tab.rows == BUDGET.rows and tab.row_lines[0] == 4


def test_heading_style_is_the_section_and_title_style_a_heading_line(tmp_path):
    doc = read_docx(_budget_docx(tmp_path / "budget.docx"))
    [para] = [p for p in doc.paragraphs if p.text == PARAGRAPH]
    assert para.section == "一、部门预算编制说明" and para.line == 3 and para.page is None
    assert doc.heading_lines[0] == f"{ISSUER}2025年部门预算"


def test_unnumbered_heading_style_is_a_section_too(tmp_path):
    word = docx.Document()
    word.add_heading("收支预算总体情况", level=1)
    word.add_paragraph("2025年收入预算1,566.45万元。")
    word.save(str(tmp_path / "说明.docx"))
    [para] = read_docx(tmp_path / "说明.docx").paragraphs
    assert para.section == "收支预算总体情况"


def test_text_in_a_text_box_is_read_once(tmp_path):
    """Cover pages set the issuer in a text box; Word stores it twice (drawing and fallback)."""
    from docx.oxml import parse_xml

    path = _budget_docx(tmp_path / "budget.docx", title_style=False)
    word = docx.Document(str(path))
    ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
    box = f"<w:txbxContent><w:p><w:r><w:t>{ISSUER}</w:t></w:r></w:p></w:txbxContent>"
    run = parse_xml(f"<w:r {ns}><mc:AlternateContent><mc:Choice Requires=\"wps\"><wps:txbx>{box}</wps:txbx>"
                    f"</mc:Choice><mc:Fallback><v:textbox>{box}</v:textbox></mc:Fallback></mc:AlternateContent></w:r>")
    cover = word.paragraphs[0].insert_paragraph_before("")
    cover._p.append(run)
    word.save(str(path))
    doc = read_docx(path)
    assert [p.text for p in doc.paragraphs].count(ISSUER) == 1
    assert doc.heading_lines[0] == ISSUER


def test_old_binary_doc_is_refused_with_save_as_docx(tmp_path):
    path = tmp_path / "预算.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(IngestError) as err:
        read_docx(path)
    assert "预算.doc" in str(err.value) and "旧版 Word" in str(err.value) and "另存为” .docx" in str(err.value)


def test_docx_named_doc_is_read(tmp_path):
    path = _budget_docx(tmp_path / "budget.docx")
    renamed = path.rename(tmp_path / "budget.doc")
    assert read_docx(renamed).tables[0].rows == BUDGET.rows


def test_web_page_saved_by_word_as_doc_is_read_as_a_page(tmp_path):
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in BUDGET.rows)
    page = (f"<html><body><p>{TITLE}</p><p>单位：万元</p><table><tr><td>科目编码</td><td>科目名称</td>"
            f"<td>合计</td><td>基本支出</td><td>项目支出</td></tr>{rows}</table></body></html>")
    path = tmp_path / "预算.doc"
    path.write_text(page, encoding="utf-8")
    doc = read_docx(path)
    assert doc.layout == "html" and doc.tables[0].rows == BUDGET.rows


@pytest.mark.parametrize("build, says", [
    (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 64), "Word 文件已损坏或不完整"),
    (lambda p: p.write_bytes(b""), "文件是空的"),
    (lambda p: p.write_bytes(b"%PDF-1.7\n"), "内容是 PDF"),
    (lambda p: p.write_text("只是一段文字", encoding="utf-8"), "内容不是 Word 文档"),
], ids=["corrupt-zip", "empty", "pdf", "text"])
def test_damaged_or_misnamed_docx_is_refused_in_chinese(tmp_path, build, says):
    path = tmp_path / "预算.docx"
    build(path)
    with pytest.raises(IngestError) as err:
        read_docx(path)
    assert "预算.docx" in str(err.value) and says in str(err.value)


def test_truncated_docx_is_refused_in_chinese(tmp_path):
    data = _budget_docx(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "预算.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError) as err:
        read_docx(path)
    assert "预算.docx" in str(err.value) and "另存为 .docx" in str(err.value)


def test_word_file_without_budget_content_is_refused(tmp_path):
    word = docx.Document()
    word.add_paragraph("会议通知：请于周一上午九点到三楼会议室开会。")
    word.save(str(tmp_path / "通知.docx"))
    with pytest.raises(IngestError) as err:
        read_docx(tmp_path / "通知.docx")
    assert "通知.docx" in str(err.value) and "Word 文件里没有找到预算表格或预算说明文字" in str(err.value)


def test_contents_entries_and_deleted_text_are_not_read(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    word = docx.Document()
    word.styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    word.add_paragraph("一、部门预算编制说明\t3", style="TOC 1")
    para = word.add_paragraph("2025年部门预算支出1,566.45万元。")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    para._p.append(parse_xml(f'<w:del {ns} w:id="1" w:author="x"><w:r><w:delText>（删去的旧数字 999.00万元）'
                             f'</w:delText></w:r></w:del>'))
    para._p.append(parse_xml(f'<w:moveFrom {ns} w:id="2" w:author="x"><w:r><w:t>移走的文字</w:t></w:r></w:moveFrom>'))
    word.save(str(tmp_path / "说明.docx"))
    doc = read_docx(tmp_path / "说明.docx")
    assert [p.text for p in doc.paragraphs] == ["2025年部门预算支出1,566.45万元。"]


def _numbered_docx(path):
    """Headings numbered by Word's multi-level list (一、 then （一）), not typed."""
    from docx.oxml import parse_xml

    word = docx.Document()
    numbering = word.part.numbering_part.element
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {ns} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text, level):
        para = word.add_paragraph(text)
        para._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {ns}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    numbered("部门主要职责", 0)
    word.add_paragraph("负责全区医疗保障工作。")
    numbered("收支预算情况", 0)
    numbered("收入预算", 1)
    word.add_paragraph("2025年收入预算1,566.45万元。")
    numbered("支出预算", 1)
    word.add_paragraph("2025年支出预算1,566.45万元。")
    word.save(str(path))
    return path


def test_headings_numbered_by_word_read_with_their_numbers(tmp_path):
    doc = read_docx(_numbered_docx(tmp_path / "说明.docx"))
    assert [(p.section, p.text) for p in doc.paragraphs] == [
        ("一、部门主要职责", "负责全区医疗保障工作。"),
        ("（一）收入预算", "2025年收入预算1,566.45万元。"),
        ("（二）支出预算", "2025年支出预算1,566.45万元。"),
    ]


@pytest.mark.parametrize("n, shown", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五"),
                                      (100, "一百"), (105, "一百零五"), (115, "一百一十五")])
def test_chinese_counting_as_word_shows_it(n, shown):
    from ingest.readers.docx_numbering import chinese_count

    assert chinese_count(n) == shown
