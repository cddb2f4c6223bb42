"""Scanned copies of the published PDFs, read by OCR, against their text layers.

For each PDF (default: every one in ../shared/real and ../shared/real2) an image-only copy is
made (each page rendered at --dpi, no text layer), both are read and normalized, and the table
figures compared: a text-layer figure is reproduced exactly when the scanned copy has the same
amount in the same table, row label and column (row numbers differ where the text layer splits
a wrapped name into two rows; they are counted apart). A figure under a column the text layer
left unlabelled (its header read one cell off) matches by table, row label and amount. Every
other figure of the copy is wrong, and the benchmark says how many of those the checks
flagged `uncertain` (caught), how many of them the text layer has no figure at all to compare
with, and how many exact figures were flagged (false alarms). It prints OCR pages per second.

    .venv/bin/python benchmarks/ocr_compare.py                      # all published PDFs
    .venv/bin/python benchmarks/ocr_compare.py FILE.pdf --pages 3   # the first 3 pages of one
    .venv/bin/python benchmarks/ocr_compare.py FILE.pdf --pages 11-15 --cache /tmp/ocr-cache  # re-runs in seconds
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.readers import ocr  # noqa: E402
from ingest.model import IngestError  # noqa: E402
from ingest.normalise.normalize import normalize  # noqa: E402
from ingest.normalise.ocr_checks import mark_ocr  # noqa: E402
from ingest.readers.pdf_reader import read_pdf  # noqa: E402

SHARED = ROOT.parent / "shared"


class CachedEngine:
    """The OCR engine with its detections (per page image) and readings (per crop) kept on disk,
    so a change to the reconstruction or the checks is measured again in seconds, not minutes.
    Only the engine's outputs are cached: every step of ours runs again."""

    def __init__(self, engine, folder: Path):
        self.engine, self.folder = engine, folder
        folder.mkdir(parents=True, exist_ok=True)

    def _path(self, kind: str, array) -> Path:
        import hashlib

        return self.folder / f"{kind}-{hashlib.sha1(array.tobytes() + repr(array.shape).encode()).hexdigest()}.pkl"

    def text_det(self, image):
        import pickle

        path = self._path("det", image)
        if not path.is_file():
            path.write_bytes(pickle.dumps(self.engine.text_det(image)))
        return pickle.loads(path.read_bytes())

    def text_rec(self, crops, return_words: bool = False):
        """Crops not seen before are read in one call, as the reader batches them."""
        import pickle

        paths = [self._path(f"rec{int(return_words)}", crop) for crop in crops]
        todo = [k for k, path in enumerate(paths) if not path.is_file()]
        if todo:
            readings, _ = self.engine.text_rec([crops[k] for k in todo], return_words)
            for k, reading in zip(todo, readings):
                paths[k].write_bytes(pickle.dumps(reading))
        return [pickle.loads(path.read_bytes()) for path in paths], 0.0

    def cal_rec_boxes(self, *args):
        return self.engine.cal_rec_boxes(*args)


def use_cache(folder: Path) -> None:
    """Route the reader's engine through `CachedEngine` (worker processes fork with it)."""
    real = ocr._engine
    wrapped: dict = {}

    def engine(threads=None):
        if threads not in wrapped:
            wrapped[threads] = CachedEngine(real(threads), folder)
        return wrapped[threads]

    ocr._engine = engine


def figures(doc) -> dict[tuple, tuple[int, bool, str, int]]:
    """(table title, column, side, row label, occurrence) → (amount in 分, uncertain, name, row).

    A figure is keyed by its row's label (科目 code, else name), not its row number: the text
    layer splits a wrapped name ('七、文化旅游体育与传媒支' / '出') into two rows where OCR
    reads one, which shifts every row number after it while each amount stays under its label.
    A figure OCR put in another row is under another label, so it still counts as wrong."""
    out: dict[tuple, tuple[int, bool, str, int]] = {}
    seen: Counter = Counter()
    for table in doc.tables:
        for item in table.items:
            label = item.code or re.sub(r"\s+", "", item.name)  # '（20 万以上）' in the text layer
            key = (table.title, item.column_label, item.side, label)
            seen[key] += 1
            out[key + (seen[key],)] = (item.amount_fen, item.uncertain, item.name, item.row_no)
    return out


def read(path: Path):
    parsed = read_pdf(path)
    return mark_ocr(normalize(parsed), parsed), parsed


def page_range(text: str) -> tuple[int, int]:
    """'3' → the first 3 pages; '11-15' → pages 11 to 15."""
    first, _, last = text.partition("-")
    return (int(first), int(last)) if last else (1, int(first))


def compare(pdf: Path, dpi: int, pages: tuple[int, int] | None, show: int) -> dict:
    import pypdfium2 as pdfium

    n_pages = len(pdfium.PdfDocument(str(pdf)))
    first, last = pages or (1, n_pages)
    numbers = list(range(first, min(n_pages, last) + 1))
    with tempfile.TemporaryDirectory() as folder:
        original_path = pdf
        if pages:  # the same pages as a text PDF, so both sides hold the same tables
            original_path = Path(folder) / "original.pdf"
            src = pdfium.PdfDocument(str(pdf))
            part = pdfium.PdfDocument.new()
            part.import_pages(src, [n - 1 for n in numbers])
            part.save(str(original_path))
        scan = ocr.scanned_copy(original_path, Path(folder) / f"{pdf.stem}-scan.pdf", dpi=dpi)
        try:
            original, _ = read(original_path)
        except IngestError as exc:  # nothing to compare with: the text layer is not read either
            print(f"{pdf.name}: skipped, its text layer is not read ({exc})", flush=True)
            return {}
        started = time.perf_counter()
        try:
            scanned, parsed = read(scan)
        except IngestError as exc:
            print(f"{pdf.name}: the scanned copy failed: {exc}")
            return {"expected": len(figures(original)), "exact": 0, "wrong": 0, "wrong_flagged": 0,
                    "pages": len(numbers), "seconds": time.perf_counter() - started}
        seconds = time.perf_counter() - started
    want, got = figures(original), figures(scanned)
    exact = [k for k, v in want.items() if k in got and got[k][0] == v[0]]
    relabelled = _relabelled(want, got)
    wrong = [k for k, v in got.items() if (k not in want or want[k][0] != v[0]) and k not in relabelled]
    flagged = [k for k in wrong if got[k][1]]
    untwinned = sum(1 for k in wrong if k not in want)  # the text layer has no figure there to compare
    missing = [k for k in want if k not in got and k not in relabelled.values()]
    uncertain_exact = sum(1 for k in exact + list(relabelled) if got[k][1])
    # Also at the same row number (what citations print): the text layer's split rows shift it.
    same_row = sum(1 for k in exact if got[k][3] == want[k][3])
    text_want = Counter((f.page, f.kind, f.value, f.unit) for f in original.text_figures)
    text_got = Counter((f.page, f.kind, f.value, f.unit) for f in scanned.text_figures)
    text_exact = sum((text_want & text_got).values())
    print(f"{pdf.name}: {len(numbers)} pages in {seconds:.1f} s ({len(numbers) / seconds:.2f} pages/s); "
          f"table figures {len(exact)}/{len(want)} exact ({_pct(len(exact), len(want))}), "
          f"{len(relabelled)} more under a column the text layer left unlabelled, "
          f"{len(wrong)} wrong ({untwinned} where the text layer has no figure) of which {len(flagged)} "
          f"flagged uncertain, {len(missing)} missing, "
          f"{uncertain_exact} exact but flagged; exact and at the same row number "
          f"{same_row}/{len(want)}; text figures {text_exact}/{sum(text_want.values())}", flush=True)
    for k in [k for k in wrong if not got[k][1]][:show]:
        print(f"   unflagged wrong: {k} → {got[k][0]} (text layer: {want.get(k, ('—',))[0]})")
    for k in missing[:show]:
        print(f"   missing: {k} = {want[k][0]}")
    return {"expected": len(want), "exact": len(exact), "relabelled": len(relabelled), "wrong": len(wrong), "wrong_flagged": len(flagged),
            "untwinned": untwinned, "missing": len(missing),
            "pages": len(numbers), "seconds": seconds, "text_expected": sum(text_want.values()),
            "text_exact": text_exact, "uncertain_exact": uncertain_exact, "same_row": same_row}


def _relabelled(want: dict, got: dict) -> dict[tuple, tuple]:
    """OCR figures whose text-layer twin sits under a column the text layer left unlabelled
    (its header cell read one column off, 政府采购表's 总计): same table, row label and
    amount. The text layer is the one that is wrong there, so the figure is not counted wrong."""
    spare: dict[tuple, list[tuple]] = {}
    for k, v in want.items():
        if k[1] == "" and k not in got:
            spare.setdefault((k[0], k[2], k[3], v[0]), []).append(k)
    out = {}
    for k, v in got.items():
        if k not in want and spare.get((k[0], k[2], k[3], v[0])):
            out[k] = spare[(k[0], k[2], k[3], v[0])].pop(0)
    return out


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "—"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--dpi", type=int, default=ocr.DPI, help="resolution of the scanned copy")
    parser.add_argument("--pages", type=page_range, default=None,
                        help="only the first N pages of each PDF, or pages A-B")
    parser.add_argument("--jobs", type=int, default=1, help="OCR worker processes across pages")
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep the engine's outputs in this folder (re-runs take seconds)")
    parser.add_argument("--show", type=int, default=5, help="wrong/missing figures to list per PDF")
    args = parser.parse_args()
    if not ocr.available():
        sys.exit(ocr.INSTALL_HINT)
    ocr.configure(jobs=args.jobs)
    if args.cache:
        use_cache(args.cache)
    pdfs = args.pdfs or sorted((SHARED / "real").glob("*.pdf")) + sorted((SHARED / "real2").glob("*.pdf"))
    totals: Counter = Counter()
    for pdf in pdfs:
        totals.update(compare(pdf, args.dpi, args.pages, args.show))
    print(f"\nall: {totals['pages']} pages, {totals['seconds']:.0f} s of OCR reading "
          f"({totals['pages'] / max(totals['seconds'], 1e-9):.2f} pages/s, {args.dpi} dpi, --jobs {args.jobs}); "
          f"table figures exact {totals['exact']}/{totals['expected']} ({_pct(totals['exact'], totals['expected'])}), "
          f"with those under a column the text layer left unlabelled {totals['exact'] + totals['relabelled']} "
          f"({_pct(totals['exact'] + totals['relabelled'], totals['expected'])}); "
          f"missing {totals['missing']}; wrong {totals['wrong']} ({totals['untwinned']} where the text layer has no figure), flagged uncertain {totals['wrong_flagged']} "
          f"({_pct(totals['wrong_flagged'], totals['wrong'])} caught); "
          f"exact but flagged uncertain (false alarms) {totals['uncertain_exact']}; exact at the same row number "
          f"{totals['same_row']}/{totals['expected']} ({_pct(totals['same_row'], totals['expected'])}); "
          f"text figures exact {totals['text_exact']}/{totals['text_expected']} "
          f"({_pct(totals['text_exact'], totals['text_expected'])})")


if __name__ == "__main__":
    main()
