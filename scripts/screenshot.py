"""Start the app on the bundled samples, ask a question in headless Chromium, save a PNG.

    .venv/bin/python scripts/screenshot.py [--question "…"] [--out screenshots/app.png]

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--question", default="青海省医疗保障局2021年“三公”经费是多少？")
    parser.add_argument("--out", type=Path, default=REPO / "screenshots" / "app.png")
    parser.add_argument("--expand", action="store_true", help="open the SQL and source rows under the answer")
    args = parser.parse_args()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is not installed (pip install playwright): no screenshot taken.")
        return 0
    if not Path(CHROMIUM).exists():
        print("chromium is not installed (apt-get install chromium fonts-wqy-zenhei): no screenshot taken.")
        return 0
    db = Path(tempfile.mkdtemp()) / "samples.db"
    subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(REPO / "data" / "samples"), "--db", str(db)],
                   check=True, capture_output=True, cwd=REPO)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.headless",
                               "true", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                              cwd=REPO, env={**os.environ, "BUDGETQA_DB": str(db)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not wait_for(port):
            print("the app did not start within 30 s")
            return 1
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}", wait_until="networkidle")
            box = page.get_by_test_id("stChatInputTextArea")
            box.wait_for(timeout=30000)
            box.fill(args.question)
            box.press("Enter")
            page.get_by_test_id("stChatMessage").nth(1).wait_for(timeout=30000)
            if args.expand:
                page.get_by_text("SQL 与来源行").first.click()
            page.wait_for_timeout(1500)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out), full_page=True)
            browser.close()
        print(f"saved {args.out}")
        return 0
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
