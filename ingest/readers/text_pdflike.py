"""The PDF-text layout: text extracted from a PDF, cells separated by spaces.

What the extraction lost, and how it is recovered:
- Blank cells vanished, so a row is handed on as its text cells followed by its numbers
  (`cells_positional=False`); the normalizer places the numbers with the budget identities.
- Header words wrapped over several lines ("一般公\\n共预算\\n拨款\\n收入"); the header text is
  joined and cut into the known column labels of db/glossary.json.
- A line that starts with a space begins a new page, which gives every row its page.
- Codes are printed as 类/款/项 parts ("208", then "05", "05"); the parts stay as printed and
  the normalizer joins them into full codes.
"""
from __future__ import annotations

import re
from pathlib import Path

from db.glossary import glossary

from ingest.model import Paragraph, ParsedDocument, RawTable
from ingest.readers.text_reader import is_heading
from ingest.textutil import clean_cell, find_unit, nfkc, parse_amount

TABLE_MARK = re.compile(r"^部门公开表\s*\d+")
TITLE_END = re.compile(r"(表|总表|明细表|公开表)$")
PART_MARK = re.compile(r"^第[一二三四五六七八九十]+部分")
_TOKEN_AMOUNT = re.compile(r"^[-−]?\d{1,3}(,\d{3})*(\.\d+)?$|^[-−]?\d+\.\d+$")


def page_numbers(lines: list[str]) -> list[int]:
    page, pages = 0, []
    for idx, line in enumerate(lines):
        if idx == 0 or (line.startswith(" ") and line.strip()):
            page += 1
        pages.append(page)
    return pages


def read_pdf_text(path: Path, lines: list[str]) -> ParsedDocument:
    pages = page_numbers(lines)
    tables: list[RawTable] = []
    prose: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        s = clean_cell(lines[i])
        if TABLE_MARK.match(s):
            i += 1  # '部门公开表 N': the title line follows
            continue
        title = _table_title(lines, i)
        if title is not None:
            end = _table_end(lines, i + 1)
            tables.append(_parse_table(lines[i:end], i, pages, title))
            i = end
            continue
        if s:
            prose.append((i + 1, s))
        i += 1
    paragraphs = _join_paragraphs(prose, pages)
    headings = [clean_cell(ln) for ln in lines[:10] if clean_cell(ln)]
    return ParsedDocument(str(path), "pdf-text", tables, paragraphs, heading_lines=headings,
                          pages=pages[-1] if pages else None)


def _table_title(lines: list[str], i: int) -> str | None:
    """A table starts at '部门公开表 N' or at a '…表' title line followed by a unit line."""
    s = clean_cell(lines[i])
    if s and TITLE_END.search(s) and len(s) <= 30 and not is_heading(s):
        nxt = [clean_cell(x) for x in lines[i + 1:i + 5] if clean_cell(x)]
        if nxt and (find_unit(nxt[0]) or "预算" in nxt[0] and "单位" in nxt[0]):
            return s
    return None


def _table_end(lines: list[str], start: int) -> int:
    for j in range(start, len(lines)):
        s = clean_cell(lines[j])
        if j > start and (TABLE_MARK.match(s) or PART_MARK.match(s) or _table_title(lines, j)):
            return j
        if lines[j].startswith(" ") and PART_MARK.match(s):
            return j
    return len(lines)


def _parse_table(block: list[str], offset: int, pages: list[int], title: str) -> RawTable:
    numbered = [(offset + k, clean_cell(x)) for k, x in enumerate(block) if clean_cell(x)]
    if numbered and TABLE_MARK.match(numbered[0][1]):
        numbered = numbered[1:]
    if not title and numbered:
        title = numbered[0][1]
    title_line = numbered[0][0] + 1 if numbered else offset + 1
    numbered = numbered[1:]
    unit = None
    while numbered and (find_unit(numbered[0][1]) or numbered[0][1].startswith(("预算年度", "预算算度"))):
        unit = unit or find_unit(numbered[0][1])
        numbered = numbered[1:]
    if "绩效" in title:
        return RawTable(title=title, columns=[""], rows=[[t] for _, t in numbered], unit=unit,
                        line=title_line, page=pages[title_line - 1], cells_positional=False,
                        row_lines=[ln + 1 for ln, _ in numbered],
                        row_pages=[pages[ln] for ln, _ in numbered], kind_hint="performance_lines")
    head_end = next((k for k, (_, t) in enumerate(numbered) if _is_body_line(t)
                     and not _is_header_total(numbered, k)), len(numbered))
    header_text = " ".join(t for _, t in numbered[:head_end])
    body = numbered[head_end:]
    if body and body[0][1].startswith("类 款 项"):
        header_text += " 类 款 项"
        body[0] = (body[0][0], body[0][1][len("类 款 项"):].strip())
    columns, groups = _columns_from_header(header_text)
    side_by_side = columns.count("项目") >= 2
    rows, row_lines = _rows(body)
    if side_by_side:
        rows = [_pair_sides(r, columns) for r in rows]
    return RawTable(title=title, columns=columns, column_groups=groups, rows=rows, unit=unit,
                    line=title_line, page=pages[title_line - 1],
                    row_lines=[ln + 1 for ln in row_lines], row_pages=[pages[ln] for ln in row_lines],
                    cells_positional=side_by_side)


def _is_header_total(numbered: list[tuple[int, str]], k: int) -> bool:
    """'合计' alone on its line with header words after it (一般公共预算“三公”经费支出表: 合计 /
    因公出国(境)费用 / …) is a column label, not the total row, whose numbers follow it."""
    text = numbered[k][1]
    after = numbered[k + 1][1] if k + 1 < len(numbered) else ""
    return text.replace(" ", "") == "合计" and bool(after) and not _is_body_line(after) \
        and not any(_is_amount(t) for t in after.split(" "))


def _is_body_line(text: str) -> bool:
    first = text.split(" ")[0]
    if re.match(r"^(\d{3,}|一、|（一）|\(一\)|合计|总合计|合 计|类 款 项 合计)", text):
        return True
    return bool(_TOKEN_AMOUNT.match(first)) or first.startswith(("本 年", "收 入"))


# Spanning header labels that are not columns themselves.
_GROUP_PHRASES = re.compile(r"支出(功能|经济)分类科目|\d{4}年(预算数|基本支出)|\(按功能分类\)")


def _columns_from_header(text: str) -> tuple[list[str], list[str]]:
    """Cut joined header text into known column labels, longest label first at each point.

    '类 款 项' printed as separate tokens means the code column holds 类/款/项 parts."""
    code_parts = bool(re.search(r"(^|\s)类\s+款\s+项(\s|$)", text))
    text = re.sub(r"(^|\s)类\s+款\s+项(\s|$)", " ", text)
    squashed = nfkc(text).replace(" ", "").replace("（", "(").replace("）", ")")
    squashed = _GROUP_PHRASES.sub("", squashed)
    vocab = sorted({nfkc(v).replace("（", "(").replace("）", ")") for v in
                    glossary()["column_labels"] + ["收入", "支出"]}, key=len, reverse=True)
    labels: list[str] = []
    i = 0
    while i < len(squashed):
        hit = next((v for v in vocab if squashed.startswith(v, i)), None)
        if hit:
            labels.append(hit)
            i += len(hit)
        else:
            i += 1
    if "收入" in labels and "支出" in labels and labels.count("项目") >= 2:
        leaves = [lab for lab in labels if lab not in ("收入", "支出")]
        half = leaves.index("项目", 1)
        return leaves, ["收入"] * half + ["支出"] * (len(leaves) - half)
    leaves = [lab for lab in labels if lab not in ("收入", "支出")]
    if code_parts and "科目编码" not in leaves:
        leaves = ["科目编码"] + leaves
    return leaves, [""] * len(leaves)


def _rows(body: list[tuple[int, str]]) -> tuple[list[list[str]], list[int]]:
    """Lines → rows of text cells then numbers; wrapped labels and stray number lines rejoin."""
    rows: list[list[str]] = []
    row_lines: list[int] = []
    for line_no, text in body:
        tokens = _tokens(text)
        has_numbers = any(_is_amount(t) for t in tokens)
        starts_row = not all(_is_amount(t) for t in tokens) and bool(re.match(r"^(\d{2,}|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|合|总|本|上年|收|支)", text))
        if rows and not starts_row and (not has_numbers or all(_is_amount(t) for t in tokens)):
            prev = rows[-1]
            if all(_is_amount(t) for t in tokens):
                prev.extend(tokens)
            elif not any(_is_amount(t) for t in prev):
                prev[-1] = prev[-1] + "".join(tokens)
            else:
                rows.append(tokens)
                row_lines.append(line_no)
            continue
        rows.append(tokens)
        row_lines.append(line_no)
    return rows, row_lines


_NUMBERED = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")


def _tokens(text: str) -> list[str]:
    """Split on spaces; rejoin characters printed spaced out ('本 年 收 入 合 计' → one label).

    Two words stay apart ('上年结转 结转下年'), and so does a numbered label ('二、外交支出')."""
    out: list[str] = []
    spaced_out: list[bool] = []  # was this text token built one character at a time?
    for tok in text.split(" "):
        if not tok:
            continue
        is_text = not _is_amount(tok) and not re.fullmatch(r"\d{2,}", tok)
        prev_text = bool(out) and not _is_amount(out[-1]) and not re.fullmatch(r"\d{2,}", out[-1])
        if is_text and prev_text and not _NUMBERED.match(tok) and len(tok) == 1 and (
                spaced_out[-1] or len(out[-1]) == 1):
            out[-1] += tok
            spaced_out[-1] = True
        else:
            out.append(tok)
            spaced_out.append(False)
    return out


def _is_amount(token: str) -> bool:
    return bool(_TOKEN_AMOUNT.match(token)) and "." in token or bool(re.fullmatch(r"\d{1,3}(,\d{3})+", token))


def _pair_sides(cells: list[str], columns: list[str]) -> list[str]:
    """Side-by-side 收入/支出: place each label and its numbers under their own side."""
    starts = [i for i, c in enumerate(columns) if c == "项目"]
    out = [""] * len(columns)
    groups: list[list[str]] = []
    for tok in cells:
        if parse_amount(tok) is None or not _is_amount(tok):
            groups.append([tok])
        elif groups:
            groups[-1].append(tok)
    if len(groups) == 1 and len(starts) == 2:
        label = groups[0][0]
        side = 1 if "支出" in label or "结转下年" in label else 0
        groups = [[""]] * side + groups
    for g, start in zip(groups, starts):
        end = starts[starts.index(start) + 1] if start != starts[-1] else len(columns)
        for k, val in enumerate(g[: end - start]):
            out[start + k] = val
    return out


_ITEM_START = re.compile(r"^(\d{1,2}\s*[.．、](?!\d)|[（(]\d{1,2}[)）]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")


def _join_paragraphs(prose: list[tuple[int, str]], pages: list[int]) -> list[Paragraph]:
    """PDF lines → paragraphs. A paragraph ends at '。' or where a numbered item or heading
    starts; a heading wrapped onto a short next line ('…的总体' / '说明') is put back together."""
    paragraphs: list[Paragraph] = []
    section: str | None = None
    buf: list[str] = []
    start: int | None = None

    def flush() -> None:
        nonlocal buf, start, section
        if buf:
            text = "".join(buf)
            if is_heading(text) and "万元" not in text:
                section = text.rstrip("。")
            else:
                paragraphs.append(Paragraph(text, section, start, pages[start - 1]))
        buf, start = [], None

    for k, (line_no, text) in enumerate(prose):
        if _ITEM_START.match(text) or PART_MARK.match(text):
            flush()
        if start is None:
            start = line_no
        buf.append(text)
        nxt = prose[k + 1][1] if k + 1 < len(prose) else ""
        heading_so_far = is_heading("".join(buf))
        if heading_so_far and len(nxt) <= 8 and not _ITEM_START.match(nxt) and nxt:
            continue  # the heading's last words wrapped onto the next line
        if text.endswith(("。", "：")) or heading_so_far:
            flush()
    flush()
    return paragraphs
