"""Print one sample budget table in the layouts other publishers use, ingest each, and say which
come out with the sample's own figures.

    .venv/bin/python benchmarks/layout_variants.py [--ask] [--only NAME]

For each variant (layout × PDF / turned PDF / PDF running over pages / workbook), one line:
`ok` when every figure of the sample table is read under its code (or name, for a layout
without codes) and measure and nothing else is stated under those measures; otherwise what is
missing or wrong. `--ask` also ingests each variant into a store and asks the same questions
of every one: the answers must carry the same figure. Needs the test extras (reportlab,
openpyxl); builds the files in a temporary folder.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from layout_variants import (LAYOUTS, MEASURES, SANGONG_LAYOUTS, SUMMARY_LAYOUTS,  # noqa: E402
                             expected_items, read_items, sample_rows, summary_sides, write_html, write_pdf,
                             write_workbook)

SAMPLE = REPO / "data" / "samples" / "qinghai-2021-budget.txt"
ISSUER = "青海省医疗保障局"
TITLE = "2021年部门支出预算总表"
CONTEXT = f"编制部门：{ISSUER}"
QUESTIONS = [f"{ISSUER}2021年其他公共卫生支出是多少？", f"{ISSUER}2021年军队转业干部安置是多少？",
             f"{ISSUER}2021年项目支出是多少？"]

FORMATS = {
    "pdf": lambda path, t: write_pdf(path.with_suffix(".pdf"), [t]),
    "pdf-rotate": lambda path, t: write_pdf(path.with_suffix(".pdf"), [t], rotate=True),
    "pdf-sideways": lambda path, t: write_pdf(path.with_suffix(".pdf"), [t], sideways=True),
    "pdf-pages": lambda path, t: write_pdf(path.with_suffix(".pdf"), [t], rows_per_page=8),
    "pdf-pages-nohead": lambda path, t: write_pdf(path.with_suffix(".pdf"), [t], rows_per_page=8, repeat_header=False),
    "pdf-pages-cont": lambda path, t: write_pdf(path.with_suffix(".pdf"), [t], rows_per_page=8, continued_title=True),
    "pdf-sideways-down": lambda path, t: write_pdf(path.with_suffix(".pdf"), [t], sideways=True, turn=270),
    "pdf-rotate-270": lambda path, t: write_pdf(path.with_suffix(".pdf"), [t], rotate=True, turn=270),
    "pdf-unruled": lambda path, t: write_pdf(path.with_suffix(".pdf"), [t], ruled=False),
    "pdf-unruled-pages": lambda path, t: write_pdf(path.with_suffix(".pdf"), [t], ruled=False, rows_per_page=8),
    "pdf-unruled-nohead": lambda path, t: write_pdf(path.with_suffix(".pdf"), [t], ruled=False, rows_per_page=8,
                                                    repeat_header=False),
    "html": lambda path, t: write_html(path.with_suffix(".html"), [t]),
    "xlsx": lambda path, t: write_workbook(path.with_suffix(".xlsx"), [t]),
    "xlsx-text": lambda path, t: write_workbook(path.with_suffix(".xlsx"), [t], numbers_as_text=True),
    "xlsx-contents": lambda path, t: write_workbook(path.with_suffix(".xlsx"), [t], contents=True),
}


def printed_values(table) -> dict[str, Counter]:
    """Row name → the amounts printed on that row (value, is a rate), blanks, dashes and zeros left out."""
    from ingest.normalise.normalize import clean_name
    from ingest.textutil import parse_amount

    rates = {c for c in range(table.width) if any("%" in row[c] or "率" in row[c] for row in table.header)}
    out: dict[str, Counter] = {}
    for row in table.rows:
        name = clean_name(row[table.name_col].split(" ")[-1])
        for c in range(table.numeric_from, table.width):
            value = parse_amount(row[c])
            if value:
                out.setdefault(name, Counter())[(value.normalize(), c in rates)] += 1
    return out


def stored_values(items) -> dict[str, Counter]:
    from ingest.textutil import FEN_PER_UNIT

    out: dict[str, Counter] = {}
    for i in items:
        if not i.amount_fen:
            continue
        rate = i.unit == "%"
        value = Decimal(i.amount_fen) / (100 if rate else FEN_PER_UNIT[i.unit])
        out.setdefault(i.name, Counter())[(value.normalize(), rate)] += 1
    return out


def check(path: Path, rows, with_codes: bool, table=None) -> tuple[str, list[str]]:
    from ingest.pipeline import parse_file

    doc = parse_file(path)
    if isinstance(doc, str):
        return "refused", [doc]
    items = [i for t in doc.tables for i in t.items]
    got = read_items(doc, with_codes)
    want = expected_items(rows, with_codes)
    missing, wrong = want - got, got - want
    flagged = sum(1 for i in items if i.uncertain)
    others = sorted({f"{i.measure}({i.unit})" for i in items if i.measure not in MEASURES})
    notes = []
    if table is not None:
        printed, stored = printed_values(table), stored_values(items)
        scale = 10000 if table.unit_line == "单位：元" else 1
        misread = [name for name, values in printed.items()
                   if values != stored.get(name) and _in_wan(values, scale) != stored.get(name)]
        if misread:
            notes.append(f"cells misread on {len(misread)} rows: {misread[:2]} "
                         f"printed {dict(printed[misread[0]])} stored {dict(stored.get(misread[0], {}))}")
    if missing:
        notes.append(f"missing {len(missing)}: {sorted(missing, key=str)[:2]}")
    if wrong:
        notes.append(f"wrong {len(wrong)}: {sorted(wrong, key=str)[:2]}")
    if flagged:
        notes.append(f"uncertain {flagged}")
    if others:
        notes.append(f"other measures {others}")
    notes.append(f"issuer={doc.issuer} year={doc.year} kind={doc.kind}")
    return ("ok" if not missing and not wrong and not (table is not None and misread) else "FAIL"), notes


def _in_wan(values: Counter, scale: int) -> Counter:
    return Counter({(v if rate else (v / scale).normalize(), rate): n for (v, rate), n in values.items()})


def check_summary(path: Path, income, spending) -> tuple[str, list[str]]:
    """Every figure of both halves under its side (收入/支出) and name, this year's measure."""
    from ingest.pipeline import parse_file

    doc = parse_file(path)
    if isinstance(doc, str):
        return "refused", [doc]
    items = [i for t in doc.tables for i in t.items if i.measure == "合计"]
    got = {(i.side, i.name, i.amount_fen) for i in items}
    want = {(side, name, int(v * 1_000_000)) for side, half in (("收入", income), ("支出", spending)) for name, v in half}
    missing, wrong = want - got, got - want
    kinds = sorted({t.table_kind for t in doc.tables})
    notes = [f"kinds {kinds}"]
    if missing:
        notes.append(f"missing {len(missing)}: {sorted(missing, key=str)[:2]}")
    if wrong:
        notes.append(f"wrong {len(wrong)}: {sorted(wrong, key=str)[:2]}")
    return ("ok" if not missing and not wrong else "FAIL"), notes


def check_sangong(path: Path, parts: dict) -> tuple[str, list[str]]:
    """The “三公” total and each part under the names questions use."""
    from ingest.pipeline import parse_file

    doc = parse_file(path)
    if isinstance(doc, str):
        return "refused", [doc]
    got = {(i.name, i.amount_fen) for t in doc.tables for i in t.items if i.measure == "合计" and i.amount_fen}
    want = {(name, int(v * 1_000_000)) for name, v in parts.items() if v}
    want.add(("“三公”经费合计", int(sum(parts.values()) * 1_000_000)))
    missing = want - got
    return ("ok" if not missing else "FAIL"), [f"missing {sorted(missing)}"] if missing else []


def ask_all(paths: list[Path], folder: Path) -> None:
    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths

    first = None
    differ = 0
    for path in paths:
        store = folder / f"{path.stem}.db"
        report = ingest_paths([path], store)
        if report.failed:
            print(f"  {path.name}: {report.failed[0].message}")
            continue
        engine = Assistant(store)
        answers = []
        for q in QUESTIONS:
            a = engine.ask(q)
            answers.append(f"{a.status}:{','.join(f'{f.value}{f.unit}' for f in a.figures[:1])}")
        first = first or answers
        differ += answers != first
        print(f"  {'same' if answers == first else 'DIFF'} {path.stem:36s} {' | '.join(answers)}")
    print(f"{differ} variant(s) answered differently from the first")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ask", action="store_true", help="also ingest each variant and ask the same questions")
    ap.add_argument("--only", help="layouts whose name contains this")
    ap.add_argument("--formats", help="comma-separated formats (default: all)")
    args = ap.parse_args()
    rows = sample_rows(SAMPLE, "支出总表")
    formats = args.formats.split(",") if args.formats else list(FORMATS)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        built = []
        for name, layout in LAYOUTS.items():
            if args.only and args.only not in name:
                continue
            table = layout(rows, TITLE, CONTEXT)
            for fmt in formats:
                started = time.perf_counter()
                path = FORMATS[fmt](folder / f"{name}--{fmt}", table)
                status, notes = check(path, rows, with_codes=not name.startswith("names"), table=table)
                failures += status != "ok"
                built.append(path)
                print(f"{status:7s} {name:16s} {fmt:16s} {time.perf_counter() - started:5.2f}s  {'; '.join(notes)}")
        income, spending = summary_sides(SAMPLE, "部门收支总表")
        for name, layout in SUMMARY_LAYOUTS.items():
            if args.only and args.only not in name:
                continue
            table = layout(income, spending, "2021年部门收支预算总表", CONTEXT)
            for fmt in formats:
                path = FORMATS[fmt](folder / f"{name}--{fmt}", table)
                status, notes = check_summary(path, income, spending)
                failures += status != "ok"
                print(f"{status:7s} {name:16s} {fmt:16s}        {'; '.join(notes)}")
        # Qinghai's 2021 上年 “三公” figures (its own table lost which column held this year's parts).
        sangong = {"因公出国（境）费": Decimal("5.18"), "公务用车购置费": Decimal("0"),
                   "公务用车运行费": Decimal("5.04"), "公务接待费": Decimal("1.68")}
        for name, layout in SANGONG_LAYOUTS.items():
            if args.only and args.only not in name:
                continue
            table = layout(sangong, "2021年一般公共预算“三公”经费支出预算表", CONTEXT)
            for fmt in formats:
                path = FORMATS[fmt](folder / f"{name}--{fmt}", table)
                status, notes = check_sangong(path, sangong)
                failures += status != "ok"
                print(f"{status:7s} {name:16s} {fmt:16s}        {'; '.join(notes)}")
        if args.ask:
            ask_all(built, folder)
    print(f"{failures} variant(s) not read right")


if __name__ == "__main__":
    main()
