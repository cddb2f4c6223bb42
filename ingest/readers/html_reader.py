"""Read a saved web page (.html/.htm): its text lines and its data tables, in reading order.

Parsed with lxml's HTML parser (forgiving of the broken markup such pages often carry), never
with regular expressions over markup. What is not the document is dropped first: scripts,
styles, forms' controls, hidden elements, <nav>/<footer>/<aside>, a site <header> outside the
article, and link lists (menus, breadcrumbs, "related articles": most of their text is links).
Then the page is walked in order: block elements (<p>, <div>, <li>, <h2> …) and <br> end a
line; a <table> without tables inside it and with two columns or more is a grid (rowspan and
colspan expanded); any other table is page layout and its cells are read as text.

What the lines and grids are is decided by ingest/readers/blocks.py, the same as for Word files; a
page has no pages, so provenance is the text line index, the table index and the row number
inside the table (see ingest/readers/blocks.py).
"""
from __future__ import annotations

import re
from pathlib import Path

from ingest.readers.blocks import Block, GridBlock, Placed, TextBlock, assemble, clean_line, grid_from_cells
from ingest.model import IngestError, ParsedDocument
from ingest.readers.pdf_reader import join_wrapped

SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml")

_DROP = {"script", "style", "noscript", "template", "nav", "footer", "aside", "menu", "select", "option",
         "button", "input", "textarea", "iframe", "frame", "object", "embed", "svg", "canvas", "map",
         "audio", "video", "head", "title", "meta", "link"}
_BLOCK = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "main", "header", "blockquote",
          "pre", "center", "address", "figure", "figcaption", "caption", "hr", "table", "thead", "tbody",
          "tfoot", "tr", "td", "th", "form", "fieldset", "legend", "body", "html",
          "h1", "h2", "h3", "h4", "h5", "h6"}
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_BREAK = "\ue000"  # where a <br> ended a line (a private-use character no page prints)


def read_html(path: str | Path) -> ParsedDocument:
    """Tables and paragraphs of a saved budget page.

    Raises IngestError, naming the file, when it is not a readable web page or holds no
    budget table and no budget text."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"{path}：文件不存在。请检查路径。")
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"{path.name}：文件是空的（0 字节），可能下载或保存没有完成。请重新保存网页。")
    if _is_mhtml(data):
        data = _mhtml_page(path, data)
    _refuse_other_formats(path, data)
    root = parse_page(path, data)
    titles = _title_parts(root)
    body = root.find("body")
    if body is None:
        body = root
    drop_noise(body)
    return assemble(path, "html", page_blocks(body), titles, "网页")


def _is_mhtml(data: bytes) -> bool:
    head = data[:2048].lstrip()
    return head.startswith((b"MIME-Version", b"From:", b"Snapshot-Content-Location", b"Subject:")) \
        and b"multipart/related" in data[:4096].lower()


def _mhtml_page(path: Path, data: bytes) -> bytes:
    """The page of a single-file web archive (.mht/.mhtml: "save as single file"), as bytes
    that declare their charset; pictures and style sheets in the archive are not needed."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            body = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset:
                body = f'<meta charset="{charset}">'.encode("ascii") + body
            return body
    raise IngestError(f"{path.name}：这个单文件网页（.mht）里没有网页正文。请在浏览器里打开后另存为“网页，仅 HTML”再导入。")


def parse_page(path: Path, data: bytes):
    import lxml.html
    from lxml import etree

    text = decode(path, data)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input with an encoding declaration
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(f"{path.name}：网页无法解析（{type(exc).__name__}），文件可能不完整。"
                          f"请在浏览器里重新打开并“另存为网页，仅 HTML”后再导入。") from None


def _refuse_other_formats(path: Path, data: bytes) -> None:
    head = data[:8]
    if head.startswith(b"%PDF-"):
        raise IngestError(f"{path.name}：扩展名是 {path.suffix}，但内容是 PDF。请改名为 .pdf 后再导入。")
    if head.startswith(b"PK"):
        raise IngestError(f"{path.name}：扩展名是 {path.suffix}，但内容是 Word/Excel 等压缩格式文件，不是网页。"
                          f"请按真实格式改名（.docx 或 .xlsx）后再导入。")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(f"{path.name}：扩展名是 {path.suffix}，但内容是旧版 Word/Excel 文件，不是网页。"
                          f"请用 Word/WPS/Excel 打开后另存为 .docx 或 .xlsx 再导入。")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(f"{path.name}：这是无法识别的二进制文件，不是网页。")


def decode(path: Path, data: bytes) -> str:
    """The page's text: a byte-order mark first, then UTF-8 (bytes that decode as UTF-8 are
    UTF-8, whatever a copied <meta> says), then the charset the page declares, then GB18030
    (GB2312/GBK pages are read as GB18030, their superset)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", data[:4096], re.I)
    declared = m.group(1).decode("ascii").lower() if m else None
    if declared in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "hz-gb-2312"):
        declared = "gb18030"
    for encoding in filter(None, ("utf-8", declared, "gb18030")):
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise IngestError(f"{path.name}：无法识别网页的文字编码（既不是 UTF-8 也不是 GB18030）。"
                      f"请在浏览器里打开后另存为 UTF-8 编码的网页再导入。")


def _title_parts(root) -> list[str]:
    """The document's part of the <title>: sites add their own name ("…说明_某某区人民政府",
    "某某区人民政府 - …"), which names the website, not the document; the longest part is the
    document's."""
    title = root.find(".//title")
    if title is None:
        return []
    text = clean_line(title.text_content())
    parts = [p.strip() for p in re.split(r"\s*(?:[_|｜]|\s[-—–]+\s|——)\s*", text) if p.strip()]
    return [max(parts, key=len)] if parts else []


# --- what is not the document ------------------------------------------------------------------

def drop_noise(body) -> None:
    """Remove scripts, controls, hidden parts, navigation and link lists, keeping text after them."""
    for el in list(body.iter()):
        if not isinstance(el.tag, str):
            if el.getparent() is not None:
                el.drop_tree()  # comments and processing instructions (their tail text stays)
            continue
        tag = el.tag.lower()
        hidden = _HIDDEN.search(el.get("style") or "") or el.get("hidden") is not None
        site_header = tag == "header" and not any(a.tag in ("article", "main") for a in el.iterancestors())
        if hidden and tag in ("td", "th"):  # emptied, not dropped: its row keeps its columns
            el.text = None
            for child in list(el):
                el.remove(child)
        elif (tag in _DROP or hidden or site_header) and _attached(el, body):
            el.drop_tree()
    # Never a single cell: dropping a <td> would shift the cells right of it into wrong columns.
    for el in list(body.iter("ul", "ol", "div", "table", "p", "span", "dl")):
        if _attached(el, body) and _is_link_list(el):
            el.drop_tree()


def _attached(el, body) -> bool:
    return el is body or any(a is body for a in el.iterancestors())


def _is_link_list(el) -> bool:
    links = el.findall(".//a")
    if len(links) < 3:
        return False
    text = re.sub(r"\s+", "", el.text_content())
    linked = sum(len(re.sub(r"\s+", "", a.text_content())) for a in links)
    return bool(text) and linked >= 0.7 * len(text)


# --- reading order ---------------------------------------------------------------------------

def page_blocks(body) -> list[Block]:
    walker = _Walker()
    walker.walk(body)
    walker.flush()
    return walker.blocks


class _Walker:
    """Walk the tree in order, collecting inline text until a block element or <br> ends the line."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.level = 0  # inside <hN>

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)

    def flush(self) -> None:
        for line in _page_text("".join(self.parts)).split(_BREAK):
            if line.strip():
                self.blocks.append(TextBlock(line, heading=self.level >= 2, title=self.level == 1))
        self.parts = []

    def walk(self, el) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag == "br":
            self.parts.append(_BREAK)
        elif tag == "table" and is_data_table(el):
            self.flush()
            caption = el.find("caption")
            if caption is not None and clean_line(caption.text_content()):
                self.blocks.append(TextBlock(clean_line(caption.text_content())))
            self.blocks.append(table_grid(el))
        elif tag in _BLOCK:
            self.flush()
            outer = self.level
            if re.fullmatch(r"h[1-6]", tag):
                self.level = int(tag[1])
            self.add(el.text)
            for child in el:
                self.walk(child)
            self.flush()
            self.level = outer
        else:
            self.add(el.text)
            for child in el:
                self.walk(child)
        if el.getparent() is not None:
            self.add(el.tail)


def _page_text(text: str) -> str:
    """HTML white space: a line break in the source between two Chinese characters is nothing
    (the browser shows none), any other run of white space one space."""
    text = re.sub(rf"(?<=[{_CJK}])[ \t\r]*\n\s*(?=[{_CJK}])", "", text)
    return re.sub(r"[^\S\ue000]+", " ", text)


# --- tables ------------------------------------------------------------------------------------

def _rows(table) -> list:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def is_data_table(table) -> bool:
    """A grid of cells, not page layout: no table inside it and two columns or more somewhere."""
    if table.find(".//table") is not None:
        return False
    return any(sum(_span(c, "colspan") for c in row.xpath("./td|./th")) >= 2 for row in _rows(table))


def _span(cell, attr: str) -> int:
    try:
        value = int(re.sub(r"\D", "", cell.get(attr) or "1") or 1)
    except ValueError:
        return 1
    return min(max(value, 1), 200)  # rowspan="0" (to the end) reads as 1; a runaway span is capped


def table_grid(table) -> GridBlock:
    """The cells at the positions a browser lays them out in, spans expanded."""
    taken: set[tuple[int, int]] = set()
    cells: list[Placed] = []
    rows = _rows(table)
    for r, row in enumerate(rows):
        c = 0
        for cell in row.xpath("./td|./th"):
            while (r, c) in taken:
                c += 1
            rs, cs = _span(cell, "rowspan"), _span(cell, "colspan")
            taken.update((rr, cc) for rr in range(r, r + rs) for cc in range(c, c + cs))
            cells.append((r, c, rs, cs, cell_text(cell)))
            c += cs
    return grid_from_cells(cells, len(rows))


def cell_text(cell) -> str:
    """A cell's lines (<br>, <p> inside it) joined as one wrapped cell: nothing between Chinese
    characters or digits."""
    walker = _Walker()
    walker.add(cell.text)
    for child in cell:
        walker.walk(child)
    walker.flush()
    return join_wrapped([clean_line(b.text) for b in walker.blocks if isinstance(b, TextBlock)])
