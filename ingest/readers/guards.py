"""Bounds on what one file may cost to read (the limits themselves are in db/limits.py).

Checked before a reader starts (a regular file, not too large) and while it runs (PDF pages,
decompressed page content, time; spreadsheet cells; CSV rows). Each refusal is an IngestError
naming the file and the limit, so the rest of the run goes on.
"""
from __future__ import annotations

import stat
import time
import zipfile
import zlib
from pathlib import Path

from db import limits

from ingest.model import IngestError

PDF_SUFFIXES = {".pdf"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv"}


def _mb(n: float) -> str:
    return f"{n / limits.MB:.0f} MB"


def max_bytes_for(path: Path) -> int:
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return limits.PDF_MAX_BYTES
    if suffix in SHEET_SUFFIXES:
        return limits.SHEET_MAX_BYTES
    return limits.TEXT_MAX_BYTES


def check_input_file(path: Path) -> int:
    """The file's size, after making sure it is a regular file within its size limit.

    A device or a pipe (/dev/zero, a FIFO) would be read forever; it is refused before a
    byte is read."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IngestError(f"{path}：文件或文件夹不存在。请检查路径。") from None
    except OSError as exc:
        raise IngestError(f"{path}：无法读取（{exc.strerror}）。") from None
    if not stat.S_ISREG(info.st_mode):
        raise IngestError(f"{path}：不是普通文件（设备、管道或套接字），不能导入。请给出预算文件本身。")
    limit = max_bytes_for(path)
    if info.st_size > limit:
        raise IngestError(f"{path.name}：文件有 {_mb(info.st_size)}，超过这类文件的大小上限 {_mb(limit)}"
                          f"（文件大小限制）。请确认是预算文件，或拆分后再导入。")
    return info.st_size


class PdfBudget:
    """Time and content bounds while a PDF is read page by page."""

    def __init__(self, path: Path, pages: int):
        self.path = path
        self.started = time.monotonic()
        if pages > limits.PDF_MAX_PAGES:
            raise IngestError(f"{path.name}：PDF 有 {pages} 页，超过页数上限 {limits.PDF_MAX_PAGES} 页（页数限制）。"
                              f"请只导入预算部分，或拆分后再导入。")

    def check_page(self, page, page_no: int) -> None:
        """Before a page is parsed: the time so far, and its decompressed content size."""
        elapsed = time.monotonic() - self.started
        if elapsed > limits.PDF_MAX_SECONDS:
            raise IngestError(f"{self.path.name}：读到第 {page_no} 页已用 {elapsed:.0f} 秒，超过单个 PDF 的时间上限 "
                              f"{limits.PDF_MAX_SECONDS:.0f} 秒（时间限制），已停止。请拆分文件后再导入。")
        size = page_content_bytes(page.page_obj, limits.PDF_MAX_PAGE_CONTENT_BYTES)
        if size > limits.PDF_MAX_PAGE_CONTENT_BYTES:
            raise IngestError(f"{self.path.name}：第 {page_no} 页的内容解压后超过 "
                              f"{_mb(limits.PDF_MAX_PAGE_CONTENT_BYTES)}（解压内容限制），不像正常的预算页面，已停止。"
                              f"请从原始文件重新导出 PDF。")


def page_content_bytes(page_obj, limit: int) -> int:
    """Decompressed size of a page's content streams and the form XObjects it draws, counted
    up to just past `limit` without ever inflating more than that (a 200 KB stream can
    inflate to 100 MB, whose parsing would take minutes and gigabytes)."""
    from pdfminer.pdftypes import resolve1

    total = 0
    seen: set[int] = set()
    pending = list(_as_list(resolve1(getattr(page_obj, "contents", None))))
    pending += _forms(resolve1(getattr(page_obj, "resources", None)))
    while pending and total <= limit:
        stream = resolve1(pending.pop())
        if id(stream) in seen or not hasattr(stream, "rawdata"):
            continue
        seen.add(id(stream))
        total += _stream_size(stream, limit - total + 1)
        pending += _forms(resolve1(stream.get("Resources")))
    return total


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _forms(resources) -> list:
    """Form XObjects (drawn like pages) among `resources`; images are not parsed, so not counted."""
    from pdfminer.pdftypes import resolve1

    if not isinstance(resources, dict):
        return []
    xobjects = resolve1(resources.get("XObject"))
    if not isinstance(xobjects, dict):
        return []
    out = []
    for ref in xobjects.values():
        obj = resolve1(ref)
        subtype = getattr(resolve1(obj.get("Subtype")), "name", None) if hasattr(obj, "get") else None
        if subtype == "Form":
            out.append(obj)
    return out


def _stream_size(stream, cap: int) -> int:
    """Decoded length of a stream, inflating at most `cap` bytes of a Flate stream."""
    if stream.data is not None:  # already decoded by the parser
        return len(stream.data)
    filters = [f[0] if isinstance(f, tuple) else f for f in stream.get_filters()]  # (filter, params)
    filters = [getattr(f, "name", f) for f in filters]  # PSLiteral → its name
    raw = stream.rawdata or b""
    if not filters:
        return len(raw)
    if filters == ["FlateDecode"] or filters == ["Fl"]:
        inflater = zlib.decompressobj()
        try:
            return len(inflater.decompress(raw, cap))
        except zlib.error:
            return len(raw)  # pdfminer reports the broken stream itself
    return len(stream.get_data())  # other filters (rare in content streams) expand modestly


def check_xlsx_archive(path: Path) -> None:
    """The XML inside an .xlsx or .docx is a zip's content: bounded before openpyxl or
    python-docx reads any of it (a small zip can hold gigabytes)."""
    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return  # openpyxl says the file is damaged, with the reader's own message
    if unzipped > limits.SHEET_MAX_UNZIPPED_BYTES:
        raise IngestError(f"{path.name}：文件解压后有 {_mb(unzipped)}，超过上限 {_mb(limits.SHEET_MAX_UNZIPPED_BYTES)}"
                          f"（解压大小限制）。请只保留预算部分后另存再导入。")


class CellBudget:
    """Counts the cells read from one workbook; past the cap the reading stops."""

    def __init__(self, path: Path):
        self.path = path
        self.cells = 0

    def take(self, n: int) -> None:
        self.cells += max(1, n)
        if self.cells > limits.SHEET_MAX_CELLS:
            raise IngestError(f"{self.path.name}：表格超过 {limits.SHEET_MAX_CELLS:,} 个单元格（单元格数量限制），"
                              f"不像预算表（可能格式延伸到了整张表）。请只保留预算表的区域后另存再导入。")


def check_csv_rows(path: Path, rows: int) -> None:
    if rows > limits.CSV_MAX_ROWS:
        raise IngestError(f"{path.name}：CSV 超过 {limits.CSV_MAX_ROWS:,} 行（行数限制），不像预算表。"
                          f"请只保留预算表的行后再导入。")
