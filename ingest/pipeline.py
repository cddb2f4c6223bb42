"""Ingest files or folders: read → normalize in worker processes, write through one writer.

Each file is its own transaction; a bad file gets one clear message naming it and the rest of
the run goes on. A file already stored (same sha256) is skipped as unchanged. A revision of a
loaded document (same issuer, year, kind, scope and title, other content) is not stored beside it:
it is reported as "revision" and the loaded one kept, unless `replace` is set, in which case
it replaces the loaded one in the same transaction. Worker processes end with their parent.
"""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from db.store import connect_writer, describe_error

from ingest.readers.guards import check_input_file, check_xlsx_archive
from ingest.model import IngestError, ParsedDocument
from ingest.normalise.normalize import NormalizedDocument, normalize
from ingest.readers.ocr import IMAGE_SUFFIXES
from ingest.normalise.ocr_checks import mark_ocr
from ingest.vocabulary import backfill
from ingest.writer import AfterWrite, find_existing, find_revisions, write_document

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
    status: str  # "ingested" | "unchanged" | "revision" (not stored: --replace to replace) | "failed"
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
    check_input_file(path)
    if suffix in PDF_SUFFIXES | IMAGE_SUFFIXES:  # a page image is read as a scanned PDF page
        from ingest.readers.pdf_reader import read_pdf
        return read_pdf(path)
    if suffix in HTML_SUFFIXES or (suffix in SHEET_SUFFIXES and _is_web_page(path)):
        from ingest.readers.html_reader import read_html  # many sites serve an HTML table as '.xls'
        return read_html(path)
    if suffix in SHEET_SUFFIXES:
        from ingest.readers.sheet_reader import read_spreadsheet
        return read_spreadsheet(path)
    if suffix in WORD_SUFFIXES:
        from ingest.readers.docx_reader import read_docx
        check_xlsx_archive(path)  # a .docx is a zip too
        return read_docx(path)
    if suffix in TEXT_SUFFIXES:
        from ingest.readers.text_reader import read_text
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
    """The file's sha256, read in blocks; only a regular file within its size limit is read."""
    check_input_file(path)
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ingest_paths(paths: Iterable[Path], db_path: Path, jobs: int = 1,
                 progress: Progress | None = None, overrides: dict | None = None, replace: bool = False,
                 after_write: AfterWrite | None = None) -> IngestReport:
    """Ingest files and folders into the store at `db_path` (raises db.store.StoreError when the
    store cannot be opened for writing). `replace`: a revision replaces the loaded document.
    `after_write(conn, doc_id)` runs in each document's transaction (the CLI's audit)."""
    started = time.perf_counter()
    files = expand(paths)
    report = IngestReport()
    conn = connect_writer(db_path)
    try:
        _backfill_vocabulary(conn)
        todo: list[tuple[Path, str]] = []
        first_with: dict[str, Path] = {}
        for path in files:
            try:
                digest = sha256_of(path)
            except OSError as exc:
                report.results.append(FileResult(path, "failed", f"{path}：无法读取（{exc.strerror}）。"))
                continue
            except IngestError as exc:
                report.results.append(FileResult(path, "failed", str(exc)))
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
            report.results.append(_store(conn, db_path, path, digests[path], result, replace, after_write))
            done += 1
            if progress:
                progress(done, len(files), path.name)
    finally:
        conn.close()
    report.seconds = time.perf_counter() - started
    return report


def _backfill_vocabulary(conn) -> None:
    """A store written before the vocabulary table existed gets it once, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        backfill(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _parse_all(paths: list[Path], jobs: int,
               overrides: dict | None = None) -> Iterator[tuple[Path, NormalizedDocument | str]]:
    """(path, parsed document or error message) as each file is done. Workers parse; the caller
    is the one writer. The largest files go first so the workers finish together. At most a few
    files per worker are in flight, and a result is dropped once stored, so memory stays flat
    however many files there are."""
    if jobs <= 1 or len(paths) <= 1:
        yield from ((p, parse_file(p, overrides)) for p in paths)
        return
    queue = iter(sorted(paths, key=lambda p: -p.stat().st_size))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_end_with_parent, initargs=(os.getpid(),)) as pool:
        pending: dict = {}
        while True:
            for path in itertools.islice(queue, max(0, IN_FLIGHT_PER_JOB * jobs - len(pending))):
                pending[pool.submit(parse_file, path, overrides)] = path
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield pending.pop(future), future.result()


IN_FLIGHT_PER_JOB = 4


def _end_with_parent(parent: int) -> None:
    """In each worker: end when the parent process is gone (killed, not only stopped cleanly),
    instead of waiting forever for work that will never come."""
    def watch() -> None:
        first = os.getppid()
        while True:
            time.sleep(0.5)
            if os.getppid() != first or not _alive(parent):
                os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _companion_note(conn, identity: dict) -> str:
    """What joining the other half of a two-file budget did: which document it joined, and the
    name that document now carries when this file spelled the issuer more fully."""
    companion = identity.get("companion")
    if companion is None:
        return ""
    row = conn.execute("SELECT title FROM documents WHERE doc_id = ?", (companion,)).fetchone()
    if row is None:
        return ""
    note = f"与已载入的《{row[0]}》（文档 {companion}）是同一预算的两部分"
    renamed = identity.get("companion_renamed_from")
    if renamed and renamed != row[0]:
        note += f"，它原名《{renamed}》，已改用本文件的单位全称"
    return note


def _store(conn, db_path: Path, path: Path, digest: str, result: NormalizedDocument | str,
           replace: bool = False, after_write: AfterWrite | None = None) -> FileResult:
    if isinstance(result, str):
        return FileResult(path, "failed", result)
    source_file = str(path.resolve())
    try:
        revises = find_revisions(conn, result, source_file)
        if revises and not replace:
            doc_id, title = revises[-1]
            return FileResult(path, "revision",
                              f"是已载入的《{title}》（文档 {doc_id}）的修订版本（单位、年度、类别、范围和标题相同，内容不同），"
                              f"未导入，已载入的保持不变。要用新文件替换它：budgetqa ingest --replace {path}",
                              doc_id, result.title)
        doc_id = write_document(conn, result, source_file, digest, [d for d, _ in revises], after_write)
    except sqlite3.Error as exc:  # nothing of this document was kept: the transaction rolled back
        return FileResult(path, "failed", f"{path.name}：写入数据库失败，未保存任何内容。{describe_error(exc, db_path)}")
    except Exception as exc:  # nothing of this document was kept: the transaction rolled back
        return FileResult(path, "failed", f"{path.name}：写入数据库失败（{exc}），未保存任何内容。")
    items = sum(len(t.items) for t in result.tables)
    message = "替换了" + "、".join(f"《{title}》（文档 {d}）" for d, title in revises) if revises else ""
    uncertain = (result.identity.uncertain if result.identity else []) + result.notes
    # The title as stored: the half of a two-file budget takes the issuer's fuller spelling.
    title, identity_json = conn.execute("SELECT title, identity_json FROM documents WHERE doc_id = ?",
                                        (doc_id,)).fetchone()
    message = "；".join(m for m in (message, _companion_note(conn, json.loads(identity_json or "{}"))) if m)
    return FileResult(path, "ingested", message, doc_id, title, len(result.tables), items, uncertain,
                      len(result.text_figures))
