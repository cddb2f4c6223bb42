"""Pages per second of `read_pdf` against bare pdfplumber `page.extract_tables()` over the same
real budget PDFs (../shared/real/, files that are absent are skipped). Prints numbers only.

    .venv/bin/python benchmarks/pdf_speed.py [more.pdf ...]

Then the whole ingest of the same files with --jobs 1 and --jobs 2, and the speed-up.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

REAL = REPO.parent / "shared" / "real"
FILES = ["putuo-qzfban-2025-dept-budget.pdf", "putuo-qzfban-2025-unit-budget.pdf",
         "putuo-shangwuwei-2025-dept-budget.pdf", "putuo-wanli-jiedao-2024-dept-budget.pdf",
         "putuo-caizhengju-2024-final-accounts.pdf"]


def bare(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def reader(path: Path) -> int:
    from ingest.readers.pdf_reader import read_pdf

    return read_pdf(path).pages or 0


def timed(fn, path: Path) -> tuple[int, float]:
    start = time.perf_counter()
    pages = fn(path)
    return pages, time.perf_counter() - start


def main(extra: list[str]) -> None:
    paths = [REAL / name for name in FILES] + [Path(p) for p in extra]
    paths = [p for p in paths if p.is_file()]
    if not paths:
        print(f"no PDFs found (looked in {REAL})")
        return
    timed(reader, paths[0])  # imports and glossary load out of the measurement
    totals = {"bare": [0, 0.0], "read_pdf": [0, 0.0]}
    print(f"{'file':45} {'pages':>5} {'bare p/s':>9} {'read_pdf p/s':>13} {'ratio':>6}")
    for path in paths:
        pages, t_bare = timed(bare, path)
        _, t_read = timed(reader, path)
        totals["bare"][0] += pages
        totals["bare"][1] += t_bare
        totals["read_pdf"][0] += pages
        totals["read_pdf"][1] += t_read
        print(f"{path.name:45} {pages:5d} {pages / t_bare:9.2f} {pages / t_read:13.2f} {t_read / t_bare:6.2f}")
    b_pages, b_time = totals["bare"]
    r_pages, r_time = totals["read_pdf"]
    print(f"{'all':45} {b_pages:5d} {b_pages / b_time:9.2f} {r_pages / r_time:13.2f} {r_time / b_time:6.2f}")
    print("ratio = read_pdf time / bare extract_tables time (target ≤ 1.30)")
    jobs_speedup(paths)


def jobs_speedup(paths: list[Path]) -> None:
    """Whole ingest (parse, normalize, store) of the files with one and with two worker processes."""
    import tempfile

    from ingest.pipeline import ingest_paths

    seconds, pages = {}, sum(_pages(p) for p in paths)
    for jobs in (1, 2):
        store = Path(tempfile.mkdtemp()) / "speed.db"
        start = time.perf_counter()
        ingest_paths(paths, store, jobs=jobs)
        seconds[jobs] = time.perf_counter() - start
        print(f"ingest --jobs {jobs}: {seconds[jobs]:.2f} s, {pages / seconds[jobs]:.1f} pages/s")
    print(f"--jobs 2 speed-up: {seconds[1] / seconds[2]:.2f}× (whole files per worker; the largest bounds it)")


def _pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


if __name__ == "__main__":
    main(sys.argv[1:])
