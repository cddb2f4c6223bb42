"""Start the app on the bundled samples, ask a question in headless Chromium, save a PNG.

    .venv/bin/python scripts/screenshot.py [--question "…" ...] [--expand] [--upload FILE ...]
                                           [--without SAMPLE] [--out screenshots/app.png]
    .venv/bin/python scripts/screenshot.py --all [--out-dir screenshots]

`--all` takes the five pictures of the app's main views (landing.png, source-page.png,
ranking.png, year-series.png, sidebar.png) on the samples plus two years of one issuer built as
small PDFs (tests/series_build.py, needs reportlab from the test extra); `--add FILE` loads more
files (a published PDF, say) into the database first, `--series` the two-year PDFs.

`--question` may be given several times (a conversation: the later ones are follow-ups);
`--expand` opens the "SQL 与来源行" expander under the last answer; `--upload` sends files
through the sidebar's uploader and presses 导入 (to see the progress and error messages);
`--without` leaves a bundled sample out of the database, so that it can be uploaded.
It prints how long the page took to be ready (chat box and document list shown).

Needs Debian's chromium (`apt-get install chromium fonts-wqy-zenhei`) and the playwright
package (`pip install playwright`; no `playwright install`: the system browser is used).
Without them it says so and exits 0.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
DEFAULT_QUESTION = "青海省医疗保障局2021年“三公”经费是多少？"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.2)
    return False


def wait_idle(page, timeout_ms: int = 30000) -> None:
    """Wait until Streamlit has finished the current script run (no 'Running…' widget)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-stale=\"true\"]')", timeout=timeout_ms)
    page.wait_for_timeout(300)


def ask(page, question: str) -> None:
    before = page.get_by_test_id("stChatMessage").count()
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")
    page.get_by_test_id("stChatMessage").nth(before + 1).wait_for(timeout=30000)
    wait_idle(page)


def open_source(page, label: str = "原文") -> None:
    """Open the first source expander of the last answer and wait for its page image or table."""
    page.get_by_test_id("stExpander").filter(has_text=label).first.click()
    wait_idle(page)
    page.wait_for_timeout(800)


SERIES_QUESTION = "某某区医疗保障局行政事业单位养老支出"
SCENARIOS = {  # name → (questions, open the first source, a chart to wait for, sidebar only)
    "landing": ([], False, False, False),
    "source-page": (["某某区医疗保障局2025年机关事业单位基本养老保险缴费支出是多少？"], True, False, False),
    "ranking": (["哪个单位的机关运行经费最多？"], False, True, False),
    "year-series": ([SERIES_QUESTION], False, True, False),
    "sidebar": ([], False, False, True),
}


def wait_ready(page) -> None:
    """The chat box and the sidebar's list of documents (lines, or one table past 30) are drawn."""
    page.get_by_test_id("stChatInputTextArea").wait_for(timeout=30000)
    page.get_by_test_id("stSidebar").get_by_text("一致性检查发现").first.wait_for(timeout=30000)


def shoot_all(browser, port: int, out_dir: Path, width: int) -> None:
    for name, (questions, source, chart, sidebar_only) in SCENARIOS.items():
        page = browser.new_page(viewport={"width": width, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}")
        wait_ready(page)
        wait_idle(page)
        for question in questions:
            ask(page, question)
        if chart:
            page.locator('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg').first.wait_for(
                timeout=30000)
            page.wait_for_timeout(1000)
        if source:
            open_source(page)
            page.get_by_test_id("stImage").first.wait_for(timeout=30000)
        out = out_dir / f"{name}.png"
        if sidebar_only:
            page.get_by_test_id("stSidebar").get_by_test_id("stExpander").filter(has_text="更正或删除").click()
            wait_idle(page)
            whole_page(page, out, width, selector='[data-testid="stSidebar"]')
        else:
            whole_page(page, out, width)
        print(f"saved {out}")
        page.close()


def whole_page(page, out: Path, width: int, selector: str | None = None) -> None:
    """Streamlit scrolls inside its own containers, so grow the viewport to the content first."""
    height = page.evaluate("""() => Math.max(...[
        '[data-testid="stMain"]', '[data-testid="stSidebarContent"]', '[data-testid="stAppViewContainer"]']
        .map(s => document.querySelector(s)).filter(Boolean).map(e => e.scrollHeight))""")
    page.set_viewport_size({"width": width, "height": min(max(int(height) + 40, 1000), 6000)})
    page.wait_for_timeout(1500)  # tables and charts draw on canvases again after the resize
    out.parent.mkdir(parents=True, exist_ok=True)
    if selector:
        page.locator(selector).screenshot(path=str(out))
    else:
        page.screenshot(path=str(out), full_page=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--question", action="append", help="a question to ask; repeat for follow-ups")
    parser.add_argument("--out", type=Path, default=REPO / "screenshots" / "app.png")
    parser.add_argument("--expand", action="store_true", help="open the SQL and source rows under the last answer")
    parser.add_argument("--upload", type=Path, action="append", default=[], help="a file to upload and import")
    parser.add_argument("--without", action="append", default=[], metavar="SAMPLE",
                        help="leave this bundled sample out of the database (to upload it, for instance)")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--source", action="store_true", help="open the first figure's source under the last answer")
    parser.add_argument("--add", type=Path, action="append", default=[], help="another file to load first")
    parser.add_argument("--series", action="store_true", help="load two years of one issuer (small PDFs)")
    parser.add_argument("--all", action="store_true", help="the five pictures of the main views, into --out-dir")
    parser.add_argument("--out-dir", type=Path, default=REPO / "screenshots")
    args = parser.parse_args()
    questions = args.question if args.question is not None else ([] if args.upload else [DEFAULT_QUESTION])
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is not installed (pip install playwright): no screenshot taken.")
        return 0
    if not Path(CHROMIUM).exists():
        print("chromium is not installed (apt-get install chromium fonts-wqy-zenhei): no screenshot taken.")
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="budgetqa-shot-"))
    db = workdir / "samples.db"
    samples = [str(f) for f in sorted((REPO / "data" / "samples").iterdir())
               if f.suffix != ".md" and f.name not in args.without]
    extra = [str(f) for f in args.add]
    if args.series or args.all:
        sys.path.insert(0, str(REPO / "tests"))
        from series_build import make_series

        extra += [str(f) for f in make_series(workdir / "series")]
    ingest = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", *samples, *extra, "--db", str(db)],
                            capture_output=True, text=True, cwd=REPO)
    if ingest.returncode != 0:
        print(f"ingesting the samples failed:\n{ingest.stderr.strip()}")
        return 1
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.headless",
                               "true", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                              cwd=REPO, env={**os.environ, "BUDGETQA_DB": str(db)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_for(port):
            print("the app did not start within 30 s")
            return 1
        listening = time.perf_counter() - started
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            if args.all:
                shoot_all(browser, port, args.out_dir, args.width)
                browser.close()
                return 0
            page = browser.new_page(viewport={"width": args.width, "height": 1000})
            t0 = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}")
            wait_ready(page)
            ready = time.perf_counter() - t0
            print(f"server listening after {listening:.2f} s; page ready {ready:.2f} s after opening it")
            for question in questions:
                t1 = time.perf_counter()
                ask(page, question)
                print(f"answered in {time.perf_counter() - t1:.2f} s: {question}")
            if args.source and questions:
                open_source(page)
                page.locator('[data-testid="stImage"], [data-testid="stDataFrame"] >> visible=true').first.wait_for(timeout=30000)
                page.wait_for_timeout(800)
            if args.expand and questions:
                page.get_by_test_id("stExpander").filter(has_text="SQL 与来源行").last.click()
                page.wait_for_timeout(1000)
            if args.upload:
                page.get_by_test_id("stSidebar").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
                    [str(f) for f in args.upload])
                page.get_by_role("button", name="导入").wait_for(timeout=30000)
                page.get_by_role("button", name="导入").click()
                wait_idle(page)
                page.get_by_test_id("stSidebar").get_by_test_id("stAlert").last.scroll_into_view_if_needed()
            whole_page(page, args.out, args.width)
            browser.close()
        print(f"saved {args.out}")
        return 0
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
