"""The saved-web-page reader: tables with rowspan/colspan headers read as the workbook reads
them, text as paragraphs under their headings, the page's noise left out, provenance by table
index, row number and text line index, clear refusals."""
from __future__ import annotations

import pytest

from fixtures_build import BUDGET, ISSUER, PARAGRAPH, TITLE, make_workbook
from fixtures_flow import NOISE_FOOTER, NOISE_HIDDEN, NOISE_SCRIPT, make_text_only_page
from ingest.readers.html_reader import read_html
from ingest.model import IngestError
from ingest.readers.sheet_reader import read_spreadsheet

HEADER = ('<tr><th rowspan="2">科目编码</th><th rowspan="2">科目名称</th><th colspan="3">支出预算</th></tr>'
          '<tr><th>合计</th><th>基本支出</th><th>项目支出</th></tr>')


def _page(body: str, title: str = f"{ISSUER}2025年部门预算", charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}_某某区人民政府</title>'
            f"<script>{NOISE_SCRIPT}</script></head><body>{body}</body></html>")


def _table(rows=BUDGET.rows) -> str:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table border="1">{HEADER}{body}</table>'


def _budget_page() -> str:
    return _page(f"<h1>{ISSUER}2025年部门预算</h1><h2>一、部门预算编制说明</h2><p>{PARAGRAPH}</p>"
                 f"<p>{TITLE}</p><p>编制部门：{ISSUER}　　单位：万元</p>{_table()}<p>注：本表金额单位为万元。</p>")


def _write(tmp_path, text: str, name: str = "budget.html", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_table_with_rowspan_colspan_header_reads_as_the_workbook_does(tmp_path):
    page = read_html(_write(tmp_path, _budget_page()))
    sheet = read_spreadsheet(make_workbook(tmp_path / "budget.xlsx"))
    [tab], [book] = page.tables, sheet.tables
    assert (tab.title, tab.unit, tab.columns, tab.column_groups, tab.rows) == \
           (book.title, book.unit, book.columns, book.column_groups, book.rows)


def test_table_provenance_is_table_index_and_row_number_without_pages(tmp_path):
    [tab] = read_html(_write(tmp_path, _budget_page())).tables
    assert tab.line == 1  # the page's first table
    assert tab.row_lines == [3, 4, 5, 6, 7, 8]  # <tr> numbers: two header rows, then the body
    assert tab.page is None and not tab.row_pages


def test_note_under_the_table_belongs_to_it(tmp_path):
    [tab] = read_html(_write(tmp_path, _budget_page())).tables
    assert tab.note == "注：本表金额单位为万元。"


def test_paragraphs_keep_their_section_heading_and_line_index(tmp_path):
    doc = read_html(_write(tmp_path, _budget_page()))
    [para] = [p for p in doc.paragraphs if "支出预算" in p.text]
    assert para.text == PARAGRAPH and para.section == "一、部门预算编制说明"
    assert para.line == 3 and para.page is None  # h1, h2, then this paragraph


def test_h1_then_the_documents_part_of_the_title_are_the_heading_lines(tmp_path):
    page = _page(f"<h1>预算公开</h1><p>{PARAGRAPH}</p>", title=f"{ISSUER}2025年部门预算情况说明")
    doc = read_html(_write(tmp_path, page))
    assert doc.heading_lines[:2] == ["预算公开", f"{ISSUER}2025年部门预算情况说明"]
    assert "某某区人民政府" not in doc.heading_lines  # the website's name, not the issuer


def test_source_line_breaks_inside_chinese_text_are_not_spaces(tmp_path):
    wrapped = PARAGRAPH[:30] + "\n      " + PARAGRAPH[30:]
    doc = read_html(_write(tmp_path, _page(f"<p>{wrapped}</p>")))
    assert doc.paragraphs[0].text == PARAGRAPH


def test_br_splits_a_block_into_lines(tmp_path):
    doc = read_html(_write(tmp_path, _page(f"<div>{PARAGRAPH}<br>第二行：预算支出10.00万元。</div>")))
    assert [p.text for p in doc.paragraphs] == [PARAGRAPH, "第二行：预算支出10.00万元。"]
    assert [p.line for p in doc.paragraphs] == [1, 2]


def test_scripts_hidden_blocks_menus_and_footer_are_not_read(tmp_path):
    noise = ('<ul><li><a href="/">首页</a></li><li><a href="/a">政务公开</a></li><li><a href="/b">2019年预算</a></li></ul>'
             f'<div style="display: none">{NOISE_HIDDEN}</div><footer>{NOISE_FOOTER}</footer>'
             f"<nav>财政预决算 2018年部门预算</nav><!-- 2017年部门预算 100.00万元 -->")
    doc = read_html(_write(tmp_path, _page(noise + f"<p>{PARAGRAPH}</p>")))
    text = " ".join(p.text for p in doc.paragraphs) + " ".join(doc.heading_lines)
    for word in ("9,999.99", "8,888.88", "首页", "备案号", "2018年", "2017年"):
        assert word not in text
    assert [p.text for p in doc.paragraphs] == [PARAGRAPH]


def test_gbk_page_is_decoded_by_its_meta_charset(tmp_path):
    path = _write(tmp_path, _budget_page().replace('charset="utf-8"', 'charset="gb2312"'), encoding="gbk")
    doc = read_html(path)
    assert doc.tables[0].rows == BUDGET.rows and any(p.text == PARAGRAPH for p in doc.paragraphs)


def test_page_laid_out_in_a_table_reads_its_text_and_the_table_inside(tmp_path):
    layout = (f'<table width="100%"><tr><td><p>{PARAGRAPH}</p></td></tr>'
              f"<tr><td><p>{TITLE}</p><p>单位：万元</p>{_table()}</td></tr></table>")
    doc = read_html(_write(tmp_path, _page(layout)))
    assert [t.title for t in doc.tables] == [TITLE] and doc.tables[0].rows == BUDGET.rows
    assert [p.text for p in doc.paragraphs] == [PARAGRAPH]


def test_title_and_unit_rows_inside_the_table_are_read(tmp_path):
    inside = (f'<table><tr><td colspan="5">{TITLE}</td></tr><tr><td colspan="4">编制部门：{ISSUER}</td>'
              f"<td>单位：万元</td></tr>{HEADER}"
              + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in BUDGET.rows)
              + "</table>")
    [tab] = read_html(_write(tmp_path, _page(inside))).tables
    assert (tab.title, tab.unit, tab.columns, tab.rows) == (TITLE, "万元", BUDGET.columns, BUDGET.rows)
    assert tab.row_lines[0] == 5


def test_caption_is_the_table_title(tmp_path):
    table = _table().replace('<table border="1">', f'<table border="1"><caption>{TITLE}</caption>')
    [tab] = read_html(_write(tmp_path, _page(f"<p>单位：万元</p>{table}"))).tables
    assert tab.title == TITLE


def test_text_only_explanation_page_reads_its_paragraphs(tmp_path):
    """A 情况说明 published alone: no tables, the figures are in the sentences."""
    paragraphs = [("一、收支预算总体情况", "2025年收入预算1,566.45万元，支出预算1,566.45万元。"),
                  ("二、“三公”经费预算情况", "2025年“三公”经费预算12.50万元，比上年减少2.00万元。")]
    path = make_text_only_page(paragraphs, f"{ISSUER}2025年部门预算情况说明", tmp_path / "说明.html")
    doc = read_html(path)
    assert doc.tables == []
    assert [(p.section, p.text) for p in doc.paragraphs if "万元" in p.text] == paragraphs
    assert f"{ISSUER}2025年部门预算情况说明" in doc.heading_lines
    # the info box (索引号/发布日期) above the text is text, not a table
    assert any(p.text.startswith("索引号") for p in doc.paragraphs)


def test_page_without_budget_content_is_refused_in_chinese(tmp_path):
    path = _write(tmp_path, _page("<p>床前明月光，疑是地上霜。</p><table><tr><td>姓名</td><td>电话</td></tr>"
                                  "<tr><td>张三</td><td>13800000000</td></tr></table>", title="通讯录"), "通讯录.html")
    with pytest.raises(IngestError) as err:
        read_html(path)
    assert "通讯录.html" in str(err.value) and "没有找到预算表格或预算说明文字" in str(err.value)


@pytest.mark.parametrize("content, says", [
    (b"", "文件是空的"),
    (b"%PDF-1.7\n...", "内容是 PDF"),
    (b"PK\x03\x04....", "不是网页"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 Word/Excel"),
], ids=["empty", "pdf", "zip", "ole"])
def test_files_that_are_not_web_pages_are_refused_with_what_to_do(tmp_path, content, says):
    path = tmp_path / "page.htm"
    path.write_bytes(content)
    with pytest.raises(IngestError) as err:
        read_html(path)
    assert "page.htm" in str(err.value) and says in str(err.value)


def test_web_page_saved_as_xls_is_read_as_a_page(tmp_path):
    """Many sites serve an HTML table under an .xls name."""
    from ingest.pipeline import read_any

    doc = read_any(_write(tmp_path, _budget_page(), name="支出总表.xls"))
    assert doc.layout == "html" and doc.tables[0].rows == BUDGET.rows


def test_office_exported_markup_reads_the_same(tmp_path):
    """Word's and Excel's "save as web page": cells wrapped in <p class=MsoNormal><span>, <o:p>
    tags, &nbsp; padding, conditional comments, a <col> list, amounts with x:num."""
    def cell(text, attrs=""):
        inner = f"<span lang=EN-US style='font-family:仿宋'>{text}</span>" if text else "&nbsp;"
        return f"<td {attrs} x:num><p class=MsoNormal align=center>{inner}<o:p></o:p></p></td>"

    header = (f"<tr>{cell('科目编码', 'rowspan=2')}{cell('科目名称', 'rowspan=2')}{cell('支出预算', 'colspan=3')}</tr>"
              f"<tr>{cell('合计')}{cell('基本支出')}{cell('项目支出')}</tr>")
    body = "".join("<tr>" + "".join(cell(c) for c in row) + "</tr>" for row in BUDGET.rows)
    page = (f"<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><!--[if gte mso 9]><xml><o:Doc/></xml>"
            f"<![endif]--><title>{ISSUER}</title></head><body lang=ZH-CN><div class=WordSection1>"
            f"<p class=MsoNormal align=center><b><span style='font-size:16pt'>{TITLE}<o:p></o:p></span></b></p>"
            f"<p class=MsoNormal align=right><span>单位：万元</span></p>"
            f"<table class=MsoTableGrid border=1><col width=80><col width=200>{header}{body}</table></div></body></html>")
    [tab] = read_html(_write(tmp_path, page)).tables
    assert (tab.title, tab.unit, tab.columns, tab.column_groups, tab.rows) == \
           (TITLE, "万元", BUDGET.columns, BUDGET.groups, BUDGET.rows)


def test_table_right_after_another_takes_no_title_from_above_the_first(tmp_path):
    page = _page(f"<p>项目支出</p><p>单位：万元</p>{_table()}{_table()}")
    first, second = read_html(_write(tmp_path, page)).tables
    assert first.title == "项目支出" and second.title == "（无标题表格）"
    assert (first.line, second.line) == (1, 2)


def test_page_title_heading_right_above_a_table_is_not_its_title(tmp_path):
    page = _page(f"<h1>{ISSUER}2025年部门预算</h1>{_table()}")
    doc = read_html(_write(tmp_path, page))
    assert doc.tables[0].title == "（无标题表格）"
    assert doc.heading_lines[0] == f"{ISSUER}2025年部门预算"


def test_single_file_web_archive_is_read_as_its_page(tmp_path):
    """Browsers' "save as single file" (.mht/.mhtml): a MIME archive whose text/html part is
    quoted-printable in the page's charset."""
    from email.message import EmailMessage

    archive = EmailMessage()
    archive["Subject"] = TITLE
    archive["MIME-Version"] = "1.0"
    archive.make_related()
    archive.add_related(_budget_page().encode("gb18030"), maintype="text", subtype="html",
                        cte="quoted-printable", params={"charset": "gb18030"})
    archive.add_related(b"\x89PNG....", maintype="image", subtype="png", cte="base64")
    path = tmp_path / "预算.mhtml"
    path.write_bytes(archive.as_bytes())
    doc = read_html(path)
    assert doc.tables[0].rows == BUDGET.rows and any(p.text == PARAGRAPH for p in doc.paragraphs)


def test_a_cell_full_of_links_keeps_its_place_in_the_row(tmp_path):
    """A cell is never dropped as a link list: the cells right of it would shift columns."""
    links = '<a href="/1">社会</a><a href="/2">保障</a><a href="/3">支出</a>'
    rows = [["208", links, "1,566.45", "1,200.00", "366.45"]] + BUDGET.rows[1:]
    [tab] = read_html(_write(tmp_path, _page(f"<p>{TITLE}</p>{_table(rows)}"))).tables
    assert tab.rows[0] == ["208", "社会保障支出", "1,566.45", "1,200.00", "366.45"]


def test_utf8_page_whose_meta_says_gb2312_is_read_as_utf8(tmp_path):
    """A template's <meta charset=gb2312> copied onto a page saved as UTF-8."""
    path = _write(tmp_path, _budget_page().replace('charset="utf-8"', 'charset="gb2312"'))
    assert any(p.text == PARAGRAPH for p in read_html(path).paragraphs)
