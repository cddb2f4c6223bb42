"""Read speed of the web-page and Word readers: each bundled sample with tables printed as a
page and as a .docx (tests/fixtures_flow.py), and one large table (N rows) in both formats,
each read against the same file as xlsx. Prints numbers only.

    .venv/bin/python benchmarks/flow_speed.py [N]
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))


def timed(fn, *args) -> tuple[object, float]:
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def main() -> None:
    from fixtures_build import BudgetTable, make_workbook
    from fixtures_flow import make_budget_docx, make_budget_page, printable_tables
    from ingest.readers.docx_reader import read_docx
    from ingest.readers.html_reader import read_html
    from ingest.model import ParsedDocument, RawTable
    from ingest.normalise.normalize import normalize
    from ingest.readers.sheet_reader import read_spreadsheet
    from ingest.readers.text_reader import read_text

    n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    folder = Path(tempfile.mkdtemp())
    for sample in ("lianhu-2024-budget.txt", "lasa-budget-year-unstated.txt"):
        doc = read_text(REPO / "data" / "samples" / sample)
        ref = normalize(doc)
        doc = printable_tables(doc, {i for i, t in enumerate(ref.tables) if t.items or t.projects})
        page = make_budget_page(doc, folder / "p.html")
        word = make_budget_docx(doc, folder / "p.docx")
        _, html_s = timed(read_html, page)
        _, docx_s = timed(read_docx, word)
        rows = sum(len(t.rows) for t in doc.tables)
        print(f"{sample}: {len(doc.tables)} tables, {rows} rows, {len(doc.paragraphs)} paragraphs — "
              f"html {html_s * 1000:.0f} ms ({page.stat().st_size // 1024} KB), "
              f"docx {docx_s * 1000:.0f} ms ({word.stat().st_size // 1024} KB)")
    big = BudgetTable(rows=[[str(2080000 + i), f"项目{i}", f"{i}.00", f"{i}.00", ""] for i in range(n_rows)])
    raw = RawTable(title=big.title, columns=big.columns, column_groups=big.groups, rows=big.rows, unit="万元")
    doc = ParsedDocument("big", "big", [raw], [], heading_lines=["某某区医疗保障局2025年部门预算"])
    page = make_budget_page(doc, folder / "big.html")
    word = make_budget_docx(doc, folder / "big.docx")
    book = make_workbook(folder / "big.xlsx", table=big)
    for name, fn, path in (("html", read_html, page), ("docx", read_docx, word), ("xlsx", read_spreadsheet, book)):
        _, seconds = timed(fn, path)
        print(f"one table of {n_rows} rows as {name}: {seconds:.2f} s ({n_rows / seconds:,.0f} rows/s)")


if __name__ == "__main__":
    main()
