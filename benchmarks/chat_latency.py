"""Latency of `budgetqa chat --json` per question, on a store built from the bundled samples.

Prints median, p95 and max in milliseconds. Questions are generated from the loaded data
(every bureau × a set of common subjects and phrasings), so the benchmark does not depend on
the evaluation sentences.

    python benchmarks/chat_latency.py [--db data/budgets.db | --db postgresql://…] [--rounds 3]

A PostgreSQL store gets the samples loaded first (a no-op when they already are).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SUBJECTS = ["住房公积金", "基本工资", "办公费", "行政运行", "卫生健康支出", "社会保障和就业支出", "差旅费",
            "“三公”经费", "机关运行经费", "项目支出"]
PHRASINGS = ["{b}{s}是多少", "{b}的{s}", "哪个医保局{s}最多", "{b}{s}比上年增加多少", "{b}{s}是多少元"]


def questions(store: str) -> list[str]:
    from db.store import connect_readonly
    issuers = [r[0] for r in connect_readonly(store).execute("SELECT DISTINCT issuer FROM documents").fetchall()]
    out = []
    for issuer in issuers:
        for subject in SUBJECTS:
            for phrasing in PHRASINGS:
                out.append(phrasing.format(b=issuer, s=subject))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a SQLite file or a postgresql:// store (default: a new file of the samples)")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    db = args.db
    if db is None or db.startswith(("postgresql://", "postgres://")) or not Path(db).exists():
        db = db or str(Path(tempfile.mkdtemp()) / "bench.db")
        subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(REPO / "data" / "samples"),
                        "--db", str(db)], check=True, capture_output=True)
    qs = questions(db) * args.rounds
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "chat", "--json", "--db", str(db)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    first = proc.stdout  # type: ignore[assignment]
    latencies = []
    for q in qs:
        t0 = time.perf_counter()
        proc.stdin.write(q + "\n")
        proc.stdin.flush()
        json.loads(first.readline())
        latencies.append((time.perf_counter() - t0) * 1000)
    proc.stdin.close()
    proc.wait()
    # The first answer waits for the process to start and load the store: reported on its own.
    first_answer, latencies = latencies[0], sorted(latencies[1:])
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    print(f"start-up + first answer: {first_answer:.0f} ms")
    print(f"questions: {len(latencies)} after the first")
    print(f"latency ms: median {statistics.median(latencies):.1f}  p95 {p95:.1f}  max {latencies[-1]:.1f}")
    print(f"total wall time incl. start-up: {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
