"""Print a budget read from a sample text file again as a saved web page or a Word file.

The printers take what the text reader found (a ParsedDocument: tables with their leaf
labels and spanning groups, paragraphs under their section headings, title lines) and lay it
out the way publishers do: the title as <title>/<h1> (Word's Title style), section headings as
<h3> (Word's Heading 2), paragraphs as <p>, each table under its title and unit lines with a
two-row header whose spanning labels are merged cells (colspan/rowspan, gridSpan/vMerge). The
web page also gets the noise a saved page carries: a script, a style sheet, a navigation menu,
a breadcrumb, a hidden block and a footer. Nothing is written that the tests do not generate.
"""
from __future__ import annotations

import html
from pathlib import Path

from ingest.model import ParsedDocument, RawTable

# Text a reader must not take for the document: it holds figures and budget words on purpose.
NOISE_SCRIPT = "var stats = '2019年部门预算 9,999.99万元';"
NOISE_HIDDEN = "隐藏的旧版本：2018年部门预算支出8,888.88万元。"
NOISE_FOOTER = "主办单位：某某市人民政府办公室 网站标识码 1234567890 备案号 12345678号"


def document_order(doc: ParsedDocument) -> list[tuple[str, object]]:
    """("text", Paragraph) and ("table", RawTable) in the order the source printed them."""
    items = [(p.line or 0, 0, "text", p) for p in doc.paragraphs]
    items += [(t.line or 0, 1, "table", t) for t in doc.tables]
    return [(kind, obj) for _, _, kind, obj in sorted(items, key=lambda x: (x[0], x[1]))]


def printable_tables(doc: ParsedDocument, understood: set[int]) -> ParsedDocument:
    """`doc` without the tables the text layout garbled: figures in their rows but no line
    item or project read from them (`understood`: indexes of the tables that gave some).
    Printed again they would be garbage in, garbage out."""
    from ingest.readers.pdf_reader import is_amount_cell

    keep = [t for i, t in enumerate(doc.tables)
            if i in understood or not any(is_amount_cell(c) for row in t.rows for c in row)]
    return ParsedDocument(doc.source_path, doc.layout, keep, doc.paragraphs, heading_lines=doc.heading_lines)


def header_rows(table: RawTable) -> list[list[tuple[str, int, int]]]:
    """One or two header rows of (label, rowspan, colspan): a run of columns under the same
    group gets one spanning cell; a column without a group spans both rows."""
    columns = table.columns
    groups = table.column_groups or [""] * len(columns)
    if not any(groups):
        return [[(c, 1, 1) for c in columns]] if any(columns) else []
    top: list[tuple[str, int, int]] = []
    low: list[tuple[str, int, int]] = []
    c = 0
    while c < len(columns):
        if not groups[c]:
            top.append((columns[c], 2, 1))
            c += 1
            continue
        end = c
        while end + 1 < len(columns) and groups[end + 1] == groups[c]:
            end += 1
        if end == c and groups.count(groups[c]) > 1:
            # A group broken by another one (部门预算 | 公共预算拨款 | 部门预算 …) had a header row
            # above both that RawTable does not keep: the lone column prints as its own label.
            top.append((columns[c], 2, 1))
            c += 1
            continue
        top.append((groups[c], 1, end - c + 1))
        low += [(label, 1, 1) for label in columns[c:end + 1]]
        c = end + 1
    return [top, low]


def _title_text(doc: ParsedDocument) -> str:
    return "".join(doc.heading_lines[:2])


# --- web page ----------------------------------------------------------------------------------

def make_budget_page(doc: ParsedDocument, path: Path, encoding: str = "utf-8") -> Path:
    """`doc` as a saved government web page in `encoding` (declared in a <meta> tag)."""
    esc = html.escape
    title = _title_text(doc)
    out = [f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset={encoding}">',
           f"<title>{esc(title)}_某某市人民政府</title>",
           "<style>.TRS_Editor p { text-indent: 2em; }</style>",
           f"<script>{NOISE_SCRIPT}</script></head><body>",
           '<div class="top"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>'
           '<li><a href="/czyjs">财政预决算</a></li><li><a href="/hd">互动交流</a></li></ul></div>',
           '<div class="crumb"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/czyjs">部门预算</a></div>',
           f'<div class="article"><h1>{esc(title)}</h1>',
           f'<div style="display:none">{esc(NOISE_HIDDEN)}</div>',
           '<div class="TRS_Editor">']
    section = None
    for kind, obj in document_order(doc):
        if kind == "text":
            if obj.section and obj.section != section:
                section = obj.section
                out.append(f"<h3>{esc(section)}</h3>")
            out.append(f"<p>{esc(obj.text)}</p>")
        else:
            out.append(_html_table(obj))
    out += ["</div></div>", f"<footer><p>{esc(NOISE_FOOTER)}</p></footer>", "</body></html>"]
    path.write_bytes("\n".join(out).encode(encoding))
    return path


def _html_table(table: RawTable) -> str:
    esc = html.escape
    out = [f'<p align="center"><strong>{esc(table.title)}</strong></p>']
    if table.unit:
        out.append(f'<p align="right">单位：{esc(table.unit)}</p>')
    out.append('<table border="1" cellspacing="0">')
    for row in header_rows(table):
        out.append("<tr>" + "".join(f'<th rowspan="{rs}" colspan="{cs}">{esc(label)}</th>'
                                     for label, rs, cs in row) + "</tr>")
    for row in table.rows:
        out.append("<tr>" + "".join(f"<td>{esc(cell or '')}</td>" if cell else "<td>&nbsp;</td>"
                                     for cell in row) + "</tr>")
    out.append("</table>")
    if table.note:
        out.append(f"<p>{esc(table.note)}</p>")
    return "\n".join(out)


def make_text_only_page(paragraphs: list[tuple[str | None, str]], title: str, path: Path) -> Path:
    """A 情况说明 published as a page of paragraphs only, under an info box (a two-column
    table of 索引号/发布机构 a page shows above the text)."""
    esc = html.escape
    out = [f"<html><head><meta charset='utf-8'><title>{esc(title)}</title></head><body>",
           "<table class='info'><tr><td>索引号：</td><td>000000000/2024-00001</td></tr>"
           "<tr><td>发布日期：</td><td>2024-02-01</td></tr></table>",
           f"<h1>{esc(title)}</h1>"]
    section = None
    for heading, text in paragraphs:
        if heading and heading != section:
            section = heading
            out.append(f"<p><strong>{esc(heading)}</strong></p>")
        out.append(f"<p>{esc(text)}</p>")
    out.append("</body></html>")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


# --- Word ----------------------------------------------------------------------------------------

def make_budget_docx(doc: ParsedDocument, path: Path) -> Path:
    """`doc` as a Word file: Title style, Heading 2 sections, tables with merged header cells."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    word = docx.Document()
    word.add_paragraph(_title_text(doc), style="Title")
    section = None
    for kind, obj in document_order(doc):
        if kind == "text":
            if obj.section and obj.section != section:
                section = obj.section
                word.add_heading(section, level=2)
            word.add_paragraph(obj.text)
            continue
        title = word.add_paragraph(obj.title)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if obj.unit:
            word.add_paragraph(f"单位：{obj.unit}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _docx_table(word, obj)
        if obj.note:
            word.add_paragraph(obj.note)
    word.save(str(path))
    return path


def _docx_table(word, table: RawTable) -> None:
    header = header_rows(table)
    width = max([len(table.columns)] + [len(r) for r in table.rows])
    grid = word.add_table(rows=len(header), cols=width)
    grid.style = "Table Grid"
    for r, row in enumerate(header):
        c = 0
        for label, rs, cs in row:
            while grid.cell(r, c).text or _covered(header, r, c):
                c += 1
            cell = grid.cell(r, c)
            if rs > 1 or cs > 1:
                cell = cell.merge(grid.cell(r + rs - 1, c + cs - 1))
            cell.text = label
            c += cs
    for row in table.rows:  # row by row: python-docx's table.cell() walks the whole table each call
        cells = grid.add_row().cells
        for c, text in enumerate(row):
            if text:
                cells[c].text = text


def _covered(header: list[list[tuple[str, int, int]]], r: int, c: int) -> bool:
    """Whether position (r, c) lies under a cell of an earlier header row that spans down."""
    if r == 0:
        return False
    col = 0
    for label, rs, cs in header[0]:
        if col <= c < col + cs:
            return rs > 1
        col += cs
    return False
