"""Read pages that are only images (scanned budgets, .png/.jpg page photos) with an offline OCR
engine, into the same characters and ruled-table cells the PDF reader builds from a text layer.

The PDF reader's recogniser then sees no difference: OCR text boxes become `Char`s in PDF points
(one per character, its box from the engine's per-character positions), ruling lines found in
the image become the cells of ruled tables, and the unruled-table and paragraph steps work on
the lines as they do for born-digital pages. What the reader cannot carry, the engine's
confidence, is kept per page as (text, confidence) runs in `ParsedDocument.ocr`; ingest/normalise/ocr_checks.py
gives each stored figure its confidence from them and checks OCR digits against the budget
identities.

The engine is `rapidocr-onnxruntime` 1.4.x (Apache-2.0): its PP-OCRv4 Chinese models ship inside
the wheel, so nothing is downloaded at run time. It is an optional extra; without it a scanned
page gets a message saying how to enable OCR.
"""
from __future__ import annotations

import io
import multiprocessing
import os
import re
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import IngestError
from ingest.readers.pdf_reader import Char, norm_text

DPI = 200  # scanned budgets print 9–12 pt figures: ≥ 20 px tall at this resolution
MIN_GLYPH_PX = DPI // 12  # the height of a 6 pt character: ink bands lower than this are specks or clipped strokes
MIN_TEXT_CHARS = 20  # a page with fewer text-layer characters than this and an image is scanned
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"}
INSTALL_HINT = ("需要 OCR 才能读取扫描件/图片，但没有安装 OCR 组件。请运行 "
                "pip install 'budgetqa[ocr]'（在项目目录里运行 make setup 也会安装），然后重新导入。")

PageProgress = Callable[[str, int, int], None]  # (file name, pages read, pages to read)


@dataclass
class Settings:
    """How OCR runs in this process: worker processes across pages, and who hears of each page."""

    jobs: int = 1
    progress: PageProgress | None = None


settings = Settings()


def configure(jobs: int | None = None, progress: PageProgress | None = None) -> None:
    """Set by the CLI (`--jobs`, a progress line on stderr) or the app (a progress bar)."""
    if jobs is not None:
        settings.jobs = max(1, jobs)
    settings.progress = progress


def stderr_progress(name: str, done: int, total: int) -> None:
    """One line per page on stderr: OCR takes seconds a page."""
    sys.stderr.write(f"OCR {name}：第 {done}/{total} 页\n")
    sys.stderr.flush()


@dataclass
class OcrChar(Char):
    conf: float = 1.0


@dataclass
class CellBox:
    """A ruled-table cell group found in the image, shaped like pdfplumber's `Table` (the reader
    uses only `.cells` and `.bbox`)."""

    cells: list[tuple[float, float, float, float]]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (min(c[0] for c in self.cells), min(c[1] for c in self.cells),
                max(c[2] for c in self.cells), max(c[3] for c in self.cells))


@dataclass
class OcrPage:
    chars: list[OcrChar]
    tables: list[CellBox]
    runs: list[tuple[str, float]] = field(default_factory=list)  # text boxes and their confidence


def available() -> bool:
    """Whether the [ocr] extra is installed (found, not imported: text PDFs never pay for it)."""
    from importlib.util import find_spec

    return find_spec("rapidocr_onnxruntime") is not None


# --- the engine -----------------------------------------------------------------------------

_ENGINE = None
_ENGINE_THREADS: int | None = None


def _engine(threads: int | None = None):
    global _ENGINE, _ENGINE_THREADS
    if _ENGINE is None or threads != _ENGINE_THREADS:
        _engine_check()
        from rapidocr_onnxruntime import RapidOCR

        kwargs = {"intra_op_num_threads": threads} if threads else {}
        # Detection on the page scaled to 1500 px at most finds the same boxes as at full size in
        # a third of the time; recognition reads the full-resolution crops.
        _ENGINE = RapidOCR(det_limit_type="max", det_limit_side_len=1500, **kwargs)
        _ENGINE_THREADS = threads
    return _ENGINE


def read_image(image, scale: float, threads: int | None = None) -> OcrPage:
    """OCR of one page image (numpy array, RGB or grey); `scale` turns pixels into PDF points.

    Ruling lines are found first and painted out, so a cell border is never read as a '1' and
    a text box the detector ran across a border is cut there: a box holds one cell's text."""
    import cv2
    import numpy as np

    arr = np.asarray(image)
    grey = (arr if arr.ndim == 2 else arr[..., :3].mean(axis=2)).astype(np.uint8)
    h_runs, v_runs = _ruling_runs(grey)
    clean = grey.copy()
    for x, y, w, h in h_runs + v_runs:
        clean[max(y - 1, 0):y + h + 1, max(x - 1, 0):x + w + 1] = 255
    bgr = cv2.cvtColor(clean, cv2.COLOR_GRAY2BGR)
    engine = _engine(threads)
    quads, _ = engine.text_det(bgr)
    pieces = _split_at_lines([_rect(q) for q in (quads if quads is not None else [])], v_runs)
    ink = clean < 160
    # A box the detector stretched over a border leaves a blank piece, which the recogniser
    # would read as a stray digit: keep pieces with at least a thin character's worth of ink.
    pieces = [(x0, y0, x1, y1) for x0, y0, x1, y1 in _drop_covered(pieces)
              if ink[y0:y1, x0:x1].sum() >= 0.04 * (y1 - y0) ** 2]
    pieces = _pad(_merge_close(pieces, v_runs), v_runs, bgr.shape[1])
    tables = ruled_tables(h_runs, v_runs, scale)
    pieces += _unread_cells(ink, pieces, [[tuple(v / scale for v in cell) for cell in t.cells] for t in tables])
    crops = [bgr[y0:y1, x0:x1] for x0, y0, x1, y1 in pieces]
    chars: list[OcrChar] = []
    runs: list[tuple[str, float]] = []
    if crops:
        rec, _ = engine.text_rec(crops, True)
        boxes = [np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
                 for x0, y0, x1, y1 in pieces]
        try:
            words = engine.cal_rec_boxes(crops, boxes, rec)
        except Exception:  # per-character positions are a refinement: spread over the box instead
            words = [[r[0], r[1]] for r in rec]
        for piece, entry in zip(pieces, words):
            text, score = _clean(entry[0]), float(entry[1])
            if not text.strip() or score < 0.1:  # a lone "0" in a cell reads at 0.2–0.5
                continue
            runs.append((text, score))
            chars += _box_chars(piece, text, score, entry[2:], scale)
    return OcrPage(chars, tables, runs)


def _unread_cells(ink, pieces: list[tuple[int, int, int, int]], tables: list[list[tuple]]) -> list[tuple[int, int, int, int]]:
    """Ink inside ruled cells that no text box covers, one box per line of it, to be read too.

    The detector misses short lone glyphs (a "0" or "-" alone in a cell, which a table prints
    for nothing) and sometimes one line of a wrapped header ('公务用车购置' above '费'); a lost
    line is a lost figure or a wrong column label. The cell's borders say where its text is, so
    the ink left in them is read line by line as it is."""
    out = []
    for cells in tables:  # in pixels
        for x0, y0, x1, y1 in cells:
            a0, b0, a1, b1 = int(x0) + 3, int(y0) + 3, int(x1) - 3, int(y1) - 3
            if a1 - a0 < 6 or b1 - b0 < 6:
                continue
            box = ink[b0:b1, a0:a1].copy()
            for p0, q0, p1, q1 in pieces:  # with the strokes a box clips (a comma's tail, a 了's hook)
                m = (q1 - q0) // 3
                box[max(q0 - m - b0, 0):max(q1 + m - b0, 0), max(p0 - m - a0, 0):max(p1 + m - a0, 0)] = False
            out += [(a0 + left, b0 + top, a0 + right, b0 + bottom) for left, top, right, bottom in _ink_lines(box)]
    return out


def _ink_lines(box) -> list[tuple[int, int, int, int]]:
    """Lines of text in a cell's leftover ink: bands of inked rows, each as tall as a character
    (specks and stray border pixels are not), padded a little as the detector's boxes are."""
    rows = box.any(axis=1)
    out, k = [], 0
    while k < len(rows):
        if not rows[k]:
            k += 1
            continue
        top = k
        while k < len(rows) and rows[k]:
            k += 1
        band = box[top:k]
        height = k - top
        cols = band.any(axis=0).nonzero()[0]
        if height >= MIN_GLYPH_PX and band.sum() >= 0.04 * height ** 2:
            pad = height // 3
            out.append((max(0, cols[0] - pad), max(0, top - pad // 2),
                        min(box.shape[1], cols[-1] + 1 + pad), min(box.shape[0], k + pad // 2)))
    return out


def _rect(quad) -> tuple[int, int, int, int]:
    xs = [int(round(p[0])) for p in quad]
    ys = [int(round(p[1])) for p in quad]
    return min(xs), min(ys), max(xs), max(ys)


def _split_at_lines(rects: list[tuple[int, int, int, int]], v_runs) -> list[tuple[int, int, int, int]]:
    """Text boxes cut where a vertical ruling line crosses them."""
    out = []
    for x0, y0, x1, y1 in rects:
        cuts = sorted(x + w / 2 for x, y, w, h in v_runs
                      if x0 + 2 < x + w / 2 < x1 - 2 and min(y1, y + h) - max(y0, y) > 0.5 * (y1 - y0))
        left = x0
        for cut in cuts + [x1]:
            a, b = left, int(cut)
            left = int(cut) + 1
            if b - a >= max(4, 0.25 * (y1 - y0)):
                out.append((a, y0, b, y1))
    return out


def _merge_close(pieces: list[tuple[int, int, int, int]], v_runs) -> list[tuple[int, int, int, int]]:
    """Boxes on one line that overlap, or are closer than ⅖ of their height, with no ruling line
    between them, are one run of text the detector broke (a number split in two loses the digit
    at the break; two overlapping boxes read the shared digits twice: '3,808,，085.00')."""
    out: list[list[int]] = []
    for x0, y0, x1, y1 in sorted(pieces, key=lambda p: (p[0], p[1])):
        for run in out:
            a0, b0, a1, b1 = run
            same_line = min(y1, b1) - max(y0, b0) > 0.6 * min(y1 - y0, b1 - b0)
            gap = x0 - a1
            ruled = any(a1 - 2 <= x + w / 2 <= x0 + 2 and min(y1, y + h) - max(y0, y) > 0 for x, y, w, h in v_runs)
            if same_line and gap < 0.4 * max(y1 - y0, b1 - b0) and not ruled:  # overlapping too: one run read twice
                run[:] = [a0, min(y0, b0), max(x1, a1), max(y1, b1)]
                break
        else:
            out.append([x0, y0, x1, y1])
    return [tuple(run) for run in out]  # type: ignore[misc]


def _pad(pieces: list[tuple[int, int, int, int]], v_runs, width: int) -> list[tuple[int, int, int, int]]:
    """Each piece widened by up to a third of its height on both sides, never over a ruling line
    or into another piece: the detector's boxes can clip a thin first character ('一')."""
    out = []
    for k, (x0, y0, x1, y1) in enumerate(pieces):
        pad = (y1 - y0) // 3
        left, right = max(0, x0 - pad), min(width, x1 + pad)
        for j, (a0, b0, a1, b1) in enumerate(pieces):
            if j != k and min(y1, b1) - max(y0, b0) > 0.3 * (y1 - y0):
                if a1 <= x0:
                    left = max(left, (a1 + x0) // 2)
                elif a0 >= x1:
                    right = min(right, (x1 + a0) // 2)
        for x, y, w, h in v_runs:
            if min(y1, y + h) - max(y0, y) > 0:
                if x + w <= x0:
                    left = max(left, x + w + 1)
                elif x >= x1:
                    right = min(right, x - 1)
        out.append((left, y0, right, y1))
    return out


def _drop_covered(pieces: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Pieces lying mostly inside a wider piece on the same line: overlapping detector boxes
    would read the shared characters twice."""
    out = []
    for k, (x0, y0, x1, y1) in enumerate(pieces):
        covered = any(j != k and b1 - b0 > x1 - x0 and min(x1, b1) - max(x0, b0) >= 0.6 * (x1 - x0)
                      and min(y1, c1) - max(y0, c0) >= 0.5 * (y1 - y0)
                      for j, (b0, c0, b1, c1) in enumerate(pieces))
        if not covered:
            out.append((x0, y0, x1, y1))
    return out


def _clean(text: str) -> str:
    """The engine's forms to the text layer's: full-width digits, a comma between digits, no
    space inside a number ('1, 097, 073.43', '680. 00')."""
    text = norm_text(text).lstrip("、")  # '一、' whose 一 was lost: the 、 alone means nothing
    if text in ("O", "o", "〇", "。", "°", "º", "о", "О"):  # the recogniser's readings of a lone "0"
        return "0"  # a box holding one round glyph is a table's zero
    text = re.sub(r"(?<=\d)[，,](?=\s?\d)", ",", text)
    return re.sub(r"(?<=\d[,.])\s+(?=\d)|(?<=\d)\s+(?=[,.]\d)", "", text)


def _box_chars(box, text: str, score: float, word_info: list, scale: float) -> list[OcrChar]:
    """One character per letter of a text box, in reading order, tiling the box.

    The engine's per-character positions (where it gives one for every character) place the
    characters; the boundary between two is halfway between their centres, so characters
    touch (a gap would print as a space inside a name or a number, an overlap would read as a
    glyph printed twice) unless their centres are more than 1½ em apart (two cells in one
    box). Positions out of order, or none, spread the text over the box by width instead."""
    x0, top, x1, bottom = box
    em = bottom - top
    size = em * scale
    boxes, words, confs = (list(word_info[:3]) + [[], [], []])[:3] if word_info else ([], [], [])
    spans: list[list] = []
    if words and len(words) == len(boxes) and "".join(_clean(w) for w in words).replace(" ", "") == text.replace(" ", ""):
        for word, wbox, conf in zip(words, boxes, confs if len(confs) == len(words) else [score] * len(words)):
            wx0, wx1 = min(p[0] for p in wbox), max(p[0] for p in wbox)
            spans += _spread(_clean(word), wx0, wx1, float(conf))
    spans = [s for s in spans if not s[2].isspace()]
    centres = [(a + b) / 2 for a, b, _, _ in spans]
    if not spans or any(c2 <= c1 for c1, c2 in zip(centres, centres[1:])):
        spans = [s for s in _spread(text, x0, x1, score) if not s[2].isspace()]
        centres = [(a + b) / 2 for a, b, _, _ in spans]
    for k in range(len(spans) - 1):
        c1, c2 = centres[k], centres[k + 1]
        if c2 - c1 <= 1.5 * em:
            spans[k][1] = spans[k + 1][0] = (c1 + c2) / 2
        else:
            spans[k][1], spans[k + 1][0] = c1 + 0.5 * em, c2 - 0.5 * em
    return [OcrChar(a * scale, b * scale, top * scale, bottom * scale, size, ch, conf)
            for a, b, ch, conf in spans]


def _spread(text: str, x0: float, x1: float, conf: float) -> list[list]:
    weights = [1.0 if ord(ch) > 0x2E80 else 0.5 for ch in text]
    total = sum(weights) or 1.0
    out, x = [], x0
    for ch, w in zip(text, weights):
        step = (x1 - x0) * w / total
        out.append([x, x + step, ch, conf])
        x += step
    return out


# --- ruling lines ---------------------------------------------------------------------------

def _ruling_runs(grey) -> tuple[list, list]:
    """Long thin dark runs of the image, horizontal and vertical, as (x, y, w, h) in pixels.
    A horizontal rule is at least half an inch long (longer than any stroke of a 12 pt
    character or a dash), a vertical one a fifth of an inch (one table row)."""
    import cv2
    import numpy as np

    dark = (grey < 160).astype(np.uint8)
    runs: dict[str, list] = {"h": [], "v": []}
    for orientation, kernel in (("h", (DPI // 2, 1)), ("v", (1, DPI // 5))):
        lines = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        n, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        for x, y, w, h, _area in stats[1:n]:
            thin = h <= DPI // 24 if orientation == "h" else w <= DPI // 24
            if thin:
                runs[orientation].append((int(x), int(y), int(w), int(h)))
    # A vertical rule ends on a horizontal one; a long stroke of a large character does not.
    near = DPI // 40
    ruled_v = [(x, y, w, h) for x, y, w, h in runs["v"]
               if any(hx - near <= x <= hx + hw + near and (abs(hy - y) <= near or abs(hy - (y + h)) <= near
                                                             or hy - near <= y <= hy + hh + near
                                                             or hy - near <= y + h <= hy + hh + near)
                      for hx, hy, hw, hh in runs["h"])]
    return runs["h"], ruled_v


def ruled_tables(h_runs, v_runs, scale: float) -> list[CellBox]:
    """Ruled tables from the ruling lines, through pdfplumber's own steps (edges →
    intersections → cells → tables), in PDF points."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    if not h_runs or not v_runs:
        return []
    edges = [_edge("h", x * scale, (x + w) * scale, (y + h / 2) * scale, (y + h / 2) * scale)
             for x, y, w, h in h_runs]
    edges += [_edge("v", (x + w / 2) * scale, (x + w / 2) * scale, y * scale, (y + h) * scale)
              for x, y, w, h in v_runs]
    edges = merge_edges(edges, 3, 3, 3, 3)
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    return [CellBox(group) for group in cells_to_tables(cells)]


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict:
    return {"orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top, "object_type": "line"}


# --- pages of a file ------------------------------------------------------------------------

def image_as_pdf(path: Path) -> io.BytesIO:
    """A page image as a one-page image-only PDF, so it goes through the PDF reader like a scan."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as img:
            dpi = img.info.get("dpi", (DPI, DPI))[0] or DPI
            frames = []
            for k in range(getattr(img, "n_frames", 1)):
                img.seek(k)
                frames.append(img.convert("RGB"))
    except (UnidentifiedImageError, OSError) as exc:
        raise IngestError(f"{path.name}：图片无法打开（{type(exc).__name__}），文件可能已损坏。"
                          f"请重新扫描或导出后再导入。") from None
    out = io.BytesIO()
    frames[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=frames[1:])
    out.seek(0)
    return out


def missing_hint() -> str:
    """What to do about pages without a text layer that were not read."""
    if not available():
        return INSTALL_HINT
    return "OCR 没有从这些页面读出文字：请确认扫描清晰、页面方向正确，或找到带文字层的原始 PDF。"


def scans_of(source, name: str) -> "PageOcr | NoScans":
    """The OCR reader for a PDF's scanned pages; nothing to read when OCR is not installed (the
    reader then says so if the pages were needed) or pdfium cannot open the file."""
    if not available():
        return NoScans()
    try:
        return PageOcr(source, name)
    except Exception:  # pdfplumber opened it; let its own checks speak for the file
        return NoScans()


class NoScans:
    pages: list[int] = []

    def needs(self, page_no: int, text_chars: int, has_images: bool) -> bool:
        return False

    def close(self) -> None:
        pass


class PageOcr:
    """The pages of one PDF that need OCR (an image and almost no text layer), read on demand,
    or all at once across `settings.jobs` worker processes."""

    def __init__(self, source, name: str):
        self.name = name
        self.source = source.getvalue() if isinstance(source, io.BytesIO) else str(source)
        self.done = 0
        self._pages: list[int] | None = None
        self._futures: dict[int, Future] = {}
        self._pool: ProcessPoolExecutor | None = None

    @property
    def pages(self) -> list[int]:
        """Every page that needs OCR (1-based), found with pdfium's fast text layer."""
        if self._pages is None:
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(self.source)
            try:
                self._pages = [k + 1 for k in range(len(pdf)) if _is_scanned(pdf[k])]
            finally:
                pdf.close()
        return self._pages

    @staticmethod
    def needs(page_no: int, text_chars: int, has_images: bool) -> bool:
        """A page with an image and (almost) no text layer: what the PDF reader saw on it."""
        return has_images and text_chars < MIN_TEXT_CHARS

    def page(self, page_no: int) -> OcrPage:
        """OCR of one page (1-based), chars and tables in the page's PDF points. With more
        than one job, the first call starts every scanned page in worker processes."""
        _engine_check()
        jobs = min(settings.jobs, len(self.pages))
        in_worker = multiprocessing.current_process().name != "MainProcess"  # files already in parallel
        if jobs > 1 and self._pool is None and not in_worker:
            self._pool = ProcessPoolExecutor(max_workers=jobs)
            self._futures = {p: self._pool.submit(_ocr_page, self.source, p, 1) for p in self.pages}
        future = self._futures.get(page_no)
        result = future.result() if future is not None else _ocr_page(self.source, page_no, None)
        self.done += 1
        if settings.progress:
            settings.progress(self.name, self.done, max(self.done, len(self.pages)))
        return result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def scanned_copy(source: str | Path, target: str | Path, pages: list[int] | None = None,
                 dpi: int = DPI) -> Path:
    """What a scanner makes of a PDF: its pages (1-based `pages`, default all) rendered at `dpi`
    into an image-only PDF with no text layer. Tests and benchmarks/ocr_compare.py compare
    reading the copy with reading the original."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(source))
    try:
        numbers = pages or list(range(1, len(pdf) + 1))
        images = [pdf[n - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for n in numbers]
    finally:
        pdf.close()
    target = Path(target)
    images[0].save(target, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return target


def _engine_check() -> None:
    """The engine imports (a clear message if it cannot) before any worker starts."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except Exception as exc:  # ImportError, or OpenCV missing a system library (libGL)
        raise IngestError(f"{INSTALL_HINT}（导入 OCR 组件失败：{type(exc).__name__}: {exc}）") from None


def _is_scanned(page) -> bool:
    import pypdfium2.raw as pdfium_c

    text = page.get_textpage()
    try:
        n_chars = sum(1 for ch in text.get_text_range() if not ch.isspace())
    finally:
        text.close()
    if n_chars >= MIN_TEXT_CHARS:
        return False
    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))


def _ocr_page(source, page_no: int, threads: int | None) -> OcrPage:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(source)
    try:
        page = pdf[page_no - 1]
        image = page.render(scale=DPI / 72, grayscale=True).to_numpy()
        if image.ndim == 3:
            image = image[..., 0]
        page.close()
    finally:
        pdf.close()
    return read_image(image, 72 / DPI, threads or _threads())


def _threads() -> int | None:
    return None if "OMP_NUM_THREADS" not in os.environ else int(os.environ["OMP_NUM_THREADS"])
