"""Ingest files or folders: read → normalize in worker processes, write through one writer.

Each file is its own transaction; a bad file gets one clear message naming it and the rest of
the run goes on. A file already stored (same sha256) is skipped as unchanged.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from db.store import connect_writer

from .model import IngestError, ParsedDocument
from .normalize import NormalizedDocument, normalize
from .ocr import IMAGE_SUFFIXES
from .ocr_checks import mark_ocr
from .writer import find_existing, write_document

TEXT_SUFFIXES = {".txt", ".text"}
PDF_SUFFIXES = {".pdf"}
SHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".mht", ".mhtml"}
WORD_SUFFIXES = {".docx", ".docm", ".doc"}  # .doc: read when it is really .docx or a web page, else told to convert
# Page images (IMAGE_SUFFIXES) are read when named, not gathered from folders: a folder's logos
# and screenshots are no budgets.
SUPPORTED = TEXT_SUFFIXES | PDF_SUFFIXES | SHEET_SUFFIXES | HTML_SUFFIXES | WORD_SUFFIXES

Progress = Callable[[int, int, str], None]


@dataclass
class FileResult:
    path: Path
    status: str  # "ingested" | "unchanged" | "failed"
    message: str = ""
    doc_id: int | None = None
    title: str | None = None
    tables: int = 0
    items: int = 0
    uncertain: list[str] = field(default_factory=list)  # what the identity cues left open
    text_figures: int = 0  # figures read from the explanatory text


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders as the supported files inside them (sorted, recursive)."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
        else:
            out.append(path)
    return out


def read_any(path: Path) -> ParsedDocument:
    """The reader for the file's format."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise IngestError(f"{path}：文件不存在。")
    if suffix in PDF_SUFFIXES | IMAGE_SUFFIXES:  # a page image is read as a scanned PDF page
        from .pdf_reader import read_pdf
        return read_pdf(path)
    if suffix in HTML_SUFFIXES or (suffix in SHEET_SUFFIXES and _is_web_page(path)):
        from .html_reader import read_html  # many sites serve an HTML table as '.xls'
        return read_html(path)
    if suffix in SHEET_SUFFIXES:
        from .sheet_reader import read_spreadsheet
        return read_spreadsheet(path)
    if suffix in WORD_SUFFIXES:
        from .docx_reader import read_docx
        return read_docx(path)
    if suffix in TEXT_SUFFIXES:
        from .text_reader import read_text
        return read_text(path)
    raise IngestError(f"{path.name}：不支持的文件类型“{suffix or '无扩展名'}”。"
                      f"可导入 .txt、.pdf、.xlsx、.xls、.csv、.html、.htm、.mht、.docx，以及扫描页图片 .png、.jpg。")


def _is_web_page(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(1024).lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in head[:300]


def parse_file(path: Path, overrides: dict | None = None) -> NormalizedDocument | str:
    """Read and normalize one file; a failure comes back as its message (picklable).
    `overrides`: issuer/year/kind/scope the user stated, which win over the document's cues."""
    try:
        parsed = read_any(path)
        return mark_ocr(normalize(parsed, overrides), parsed)
    except IngestError as exc:
        return str(exc)
    except Exception as exc:  # a reader bug must not stop the other files
        return f"{path.name}：读取时出错（{type(exc).__name__}: {exc}）。请检查文件是否完整。"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ingest_paths(paths: Iterable[Path], db_path: Path, jobs: int = 1,
                 progress: Progress | None = None, overrides: dict | None = None) -> IngestReport:
    started = time.perf_counter()
    files = expand(paths)
    report = IngestReport()
    conn = connect_writer(db_path)
    try:
        todo: list[tuple[Path, str]] = []
        first_with: dict[str, Path] = {}
        for path in files:
            try:
                digest = sha256_of(path)
            except OSError as exc:
                report.results.append(FileResult(path, "failed", f"{path}：无法读取（{exc.strerror}）。"))
                continue
            doc_id = find_existing(conn, digest)
            if doc_id is not None:
                report.results.append(FileResult(path, "unchanged", "已导入过，内容未变。", doc_id))
            elif digest in first_with:
                report.results.append(FileResult(path, "unchanged", f"与 {first_with[digest].name} 内容相同，只导入一次。"))
            else:
                first_with[digest] = path
                todo.append((path, digest))
        done = len(report.results)
        if progress:
            progress(done, len(files), "")
        digests = dict(todo)
        for path, result in _parse_all([p for p, _ in todo], jobs, overrides):
            report.results.append(_store(conn, path, digests[path], result))
            done += 1
            if progress:
                progress(done, len(files), path.name)
    finally:
        conn.close()
    report.seconds = time.perf_counter() - started
    return report


def _parse_all(paths: list[Path], jobs: int,
               overrides: dict | None = None) -> Iterator[tuple[Path, NormalizedDocument | str]]:
    """(path, parsed document or error message) as each file is done. Workers parse; the caller
    is the one writer. The largest files go first so the workers finish together."""
    if jobs <= 1 or len(paths) <= 1:
        yield from ((p, parse_file(p, overrides)) for p in paths)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(parse_file, p, overrides): p for p in sorted(paths, key=lambda p: -p.stat().st_size)}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _store(conn, path: Path, digest: str, result: NormalizedDocument | str) -> FileResult:
    if isinstance(result, str):
        return FileResult(path, "failed", result)
    try:
        doc_id = write_document(conn, result, str(path.resolve()), digest)
    except Exception as exc:  # nothing of this document was kept: the transaction rolled back
        return FileResult(path, "failed", f"{path.name}：写入数据库失败（{exc}），未保存任何内容。")
    items = sum(len(t.items) for t in result.tables)
    uncertain = result.identity.uncertain if result.identity else []
    return FileResult(path, "ingested", "", doc_id, result.title, len(result.tables), items, uncertain,
                      len(result.text_figures))
