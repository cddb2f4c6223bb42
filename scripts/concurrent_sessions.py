"""Several browser sessions asking questions of app servers at once; prints what arrived.

    .venv/bin/python scripts/concurrent_sessions.py [--sessions 5] [--seconds 60]
        [--servers 2 --db postgresql://user@host/budgets]

Starts `--servers` copies of `streamlit run app.py` on one store (a temporary SQLite file of
the bundled samples, or the `--db` PostgreSQL store, which gets the samples loaded), opens
`--sessions` headless Chromium pages spread over the servers and has each ask questions (built
from the loaded bureaus) one after the other until `--seconds` have passed. Prints the
questions asked, the answers received, the servers' resident memory (start, peak, end, summed)
and whether every health endpoint still answered at the end. A server that froze shows as
questions without answers and a dead health endpoint.

Needs Debian's chromium and the playwright package (see scripts/screenshot.py); without them
it says so and exits 0.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO))
from screenshot import CHROMIUM, CHROMIUM_ARGS, free_port, wait_for  # noqa: E402

PHRASINGS = ["{b}住房公积金是多少？", "{b}基本支出是多少？", "{b}“三公”经费是多少？", "那{b}的办公费呢？",
             "{b}项目支出是多少？", "哪个单位的基本工资最多？"]
ANSWER_TIMEOUT_MS = 60_000


@dataclass
class Result:
    sessions: int
    sessions_finished: int = 0
    questions: int = 0
    answers: int = 0
    failures: list[str] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    server_alive: bool = False
    health_ok: bool = False

    def lines(self) -> list[str]:
        rss = (f"server memory {self.rss_mb[0]:.0f} MB at start, peak {max(self.rss_mb):.0f} MB, "
               f"{self.rss_mb[-1]:.0f} MB at the end") if self.rss_mb else "server memory not measured"
        return [f"{self.sessions_finished}/{self.sessions} sessions finished; {self.answers} answers "
                f"for {self.questions} questions", rss,
                f"server alive: {self.server_alive}; health endpoint answered: {self.health_ok}"] + \
               [f"failure: {f}" for f in self.failures[:10]]


def rss_mb(pid: int) -> float | None:
    """Resident memory of the server process in MB (Linux /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def health(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def questions_for(store: str) -> list[str]:
    from db.store import connect_readonly

    conn = connect_readonly(store)
    try:
        issuers = [r[0] for r in conn.execute("SELECT DISTINCT issuer FROM documents ORDER BY issuer").fetchall()]
    finally:
        conn.close()
    return [p.format(b=issuer) for issuer in issuers for p in PHRASINGS]


async def session(browser, port: int, questions: list[str], offset: int, seconds: float, result: Result) -> None:
    """Asks until `seconds` after its page is ready (at least one question)."""
    page = await browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        await page.goto(f"http://127.0.0.1:{port}")
        box = page.get_by_test_id("stChatInputTextArea")
        await box.wait_for(timeout=ANSWER_TIMEOUT_MS)
        k = offset
        deadline = time.monotonic() + seconds
        while k == offset or time.monotonic() < deadline:
            question = questions[k % len(questions)]
            k += 1
            before = await page.get_by_test_id("stChatMessage").count()
            await box.fill(question)
            await box.press("Enter")
            result.questions += 1
            try:
                await page.get_by_test_id("stChatMessage").nth(before + 1).wait_for(timeout=ANSWER_TIMEOUT_MS)
                await page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=ANSWER_TIMEOUT_MS)
            except Exception as exc:  # noqa: BLE001 - a missing answer is what this script reports
                result.failures.append(f"session {offset}: no answer to {question!r} ({type(exc).__name__})")
                return
            result.answers += 1
        result.sessions_finished += 1
    finally:
        await page.close()


async def drive(ports: list[int], pids: list[int], questions: list[str], sessions: int, seconds: float,
                result: Result) -> None:
    from playwright.async_api import async_playwright

    async def sample_memory(stop: asyncio.Event) -> None:
        while not stop.is_set():
            values = [rss_mb(pid) for pid in pids]
            if None not in values:
                result.rss_mb.append(sum(values))
            try:
                await asyncio.wait_for(stop.wait(), timeout=1.0)
            except asyncio.TimeoutError:
                pass

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample_memory(stop))
        await asyncio.gather(*(session(browser, ports[k % len(ports)], questions, k * 7, seconds, result)
                               for k in range(sessions)))
        stop.set()
        await sampler
        await browser.close()


def run(sessions: int = 5, seconds: float = 60, workdir: Path | None = None, store: str | None = None,
        servers: int = 1) -> Result:
    """Start the app servers on one store of the samples, drive the sessions, stop the servers;
    the result says what arrived."""
    workdir = Path(workdir or tempfile.mkdtemp(prefix="budgetqa-sessions-"))
    store = store or str(workdir / "samples.db")
    subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(REPO / "data" / "samples"), "--db", store],
                   check=True, capture_output=True, cwd=REPO)
    ports = [free_port() for _ in range(servers)]
    env = {**os.environ, "BUDGETQA_DB": store, "BUDGETQA_UPLOADS": "off"}
    procs = [subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.headless",
                               "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                               "--browser.gatherUsageStats", "false"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for port in ports]
    result = Result(sessions)
    try:
        if not all(wait_for(port, 60) for port in ports):
            result.failures.append("an app server did not start within 60 s")
            return result
        asyncio.run(drive(ports, [p.pid for p in procs], questions_for(store), sessions, seconds, result))
        result.health_ok = all(health(port) for port in ports)
        result.server_alive = all(p.poll() is None for p in procs)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:  # a frozen server ignores SIGTERM: that is a finding too
                result.failures.append("a server ignored SIGTERM for 15 s")
                proc.kill()
                proc.wait()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--servers", type=int, default=1, help="app servers sharing the store")
    parser.add_argument("--db", help="a postgresql:// store to share (default: a temporary SQLite file)")
    args = parser.parse_args()
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("playwright is not installed (pip install playwright): nothing measured.")
        return 0
    if not Path(CHROMIUM).exists():
        print("chromium is not installed (apt-get install chromium fonts-wqy-zenhei): nothing measured.")
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="budgetqa-sessions-"))
    try:
        result = run(args.sessions, args.seconds, workdir, args.db, args.servers)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("\n".join(result.lines()))
    return 0 if result.answers == result.questions and result.sessions_finished == args.sessions else 1


if __name__ == "__main__":
    sys.exit(main())
