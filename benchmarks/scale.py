"""How budgetqa holds up with many documents: generate N, ingest them, ask, check against the truth.

    .venv/bin/python benchmarks/scale.py 1000 [--jobs 2] [--questions 200] [--keep DIR]

Prints ingest time per document (with the audit), the store's size, start-up time, `docs`
time, chat latency p50 / p95 / max per kind of question, and how many answers matched the
truth file (benchmarks/synth.py wrote it). Nothing is asserted: the numbers are for people.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from synth import OFFICES, generate  # noqa: E402

WAN = Decimal(1_000_000)


def questions(truth: list[dict], count: int) -> list[tuple[str, str, dict]]:
    """(kind, question, expected) over the corpus: lookups, text figures, rankings, sums, no_data."""
    import random

    rng = random.Random(5)
    texts = [d for d in truth if d["format"] == "txt"]  # only the .txt print the explanatory text
    out: list[tuple[str, str, dict]] = []
    for k in range(count):
        kind = ("lookup", "rank_text", "code", "text", "rank", "sum", "no_data", "unknown_body")[k % 8]
        pool = texts if kind in ("text", "rank_text") else truth
        doc = pool[rng.randrange(len(pool))]
        who, year = doc["issuer"], doc["year"]
        if kind == "lookup":
            out.append((kind, f"{who}{year}年基本工资是多少？", {"value": doc["economic_fen"]["30101"]}))
        elif kind == "code":
            out.append((kind, f"{who}{year}年2010301是多少？", {"value": doc["function_fen"]["2010301"]}))
        elif kind == "text":
            out.append((kind, f"{who}{year}年机关运行经费是多少？", {"value": doc["operating_fen"]}))
        elif kind == "rank":
            same = [d for d in truth if d["year"] == year]
            top = max(same, key=lambda d: (d["economic_fen"]["30101"], -truth.index(d)))
            out.append((kind, f"{year}年哪个单位的基本工资最高？", {"value": top["economic_fen"]["30101"],
                                                                  "issuer": top["issuer"], "count": len(same)}))
        elif kind == "rank_text":  # stated only in the .txt documents' text
            same = [d for d in texts if d["year"] == year]
            top = max(same, key=lambda d: (d["operating_fen"], -truth.index(d)))
            out.append((kind, f"{year}年哪个单位的机关运行经费最高？", {"value": top["operating_fen"],
                                                                    "issuer": top["issuer"], "count": len(same)}))
        elif kind == "sum":
            same = [d for d in truth if d["year"] == year]
            out.append((kind, f"{year}年所有单位的基本工资合计是多少？",
                        {"value": sum(d["economic_fen"]["30101"] for d in same), "count": len(same)}))
        elif kind == "no_data":
            out.append((kind, f"{who}{year}年的土地出让收入是多少？", {"status": "no_data"}))
        else:  # an office of the same place that is not loaded
            place = who[: -len(next(o for o in OFFICES if who.endswith(o)))]
            out.append((kind, f"{place}审计局{year}年基本工资是多少？", {"status": "no_data"}))
    return out


def check(kind: str, answer, expected: dict) -> bool:
    if "status" in expected:
        return answer.status == expected["status"] and not answer.figures
    if answer.status != "answered" or not answer.figures:
        return False
    value = Decimal(expected["value"]) / WAN
    if kind == "sum":
        return answer.figures[-1].value == value and f"{expected['count']}个单位" in answer.answer
    if kind in ("rank", "rank_text"):
        return answer.figures[0].value == value and expected["issuer"] in answer.answer.split("。")[0]
    return answer.figures[0].value == value


def fresh_startup(db: Path) -> float:
    """Seconds to build the engine on `db` in a new process (the modules already imported)."""
    code = ("import sys, time; from assistant.engine import Assistant; t = time.perf_counter(); "
            "Assistant(sys.argv[1]); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip() or "nan")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="documents to generate")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    parser.add_argument("--reuse", action="store_true", help="with --keep: reuse the documents generated there before")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="budgetqa-scale-"))
    corpus, db = work / "corpus", work / "scale.db"
    if db.exists():
        db.unlink()
    started = time.perf_counter()
    if args.reuse and (corpus / "truth.json").is_file():
        truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
        assert len(truth) == args.n, f"{corpus} holds {len(truth)} documents, not {args.n}"
    else:
        truth = generate(corpus, args.n)
    print(f"generated {args.n} documents (txt/xlsx/csv) in {time.perf_counter() - started:.1f} s → {corpus}")

    budgetqa = str(Path(sys.executable).with_name("budgetqa"))
    started = time.perf_counter()
    run = subprocess.run([budgetqa, "ingest", str(corpus), "--db", str(db), "--jobs", str(args.jobs)],
                         capture_output=True, text=True)
    ingest_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"ingest --jobs {args.jobs}: {ingest_s:.1f} s, {ingest_s / args.n * 1000:.1f} ms per document "
          f"(with the audit); largest process {peak_mb:.0f} MB; exit {run.returncode}")
    if run.returncode:
        print(run.stderr[-2000:])
    print(f"store: {os.path.getsize(db) / 1e6:.1f} MB")

    from assistant.catalog import list_documents
    from assistant.engine import Assistant

    startups = [fresh_startup(db) for _ in range(3)]
    print(f"start-up (a fresh process, imports aside): {min(startups) * 1000:.0f} ms best of 3, "
          f"{max(startups) * 1000:.0f} ms worst")
    assistant = Assistant(db)
    started = time.perf_counter()
    listed = list_documents(assistant.conn)
    print(f"docs: {len(listed)} documents listed in {(time.perf_counter() - started) * 1000:.0f} ms")

    times: dict[str, list[float]] = defaultdict(list)
    right: dict[str, int] = defaultdict(int)
    wrong: list[str] = []
    for kind, question, expected in questions(truth, args.questions):
        started = time.perf_counter()
        answer = assistant.ask(question)
        times[kind].append((time.perf_counter() - started) * 1000)
        if check(kind, answer, expected):
            right[kind] += 1
        else:
            wrong.append(f"  {kind}: {question} → {answer.status}: {answer.answer[:120]}")
    every = [t for ts in times.values() for t in ts]
    print(f"chat: {len(every)} questions, p50 {percentile(every, 50):.1f} ms, p95 {percentile(every, 95):.1f} ms, "
          f"max {max(every):.1f} ms")
    for kind, ts in times.items():
        print(f"  {kind:<13} n={len(ts):<4} p50 {percentile(ts, 50):7.1f} ms  p95 {percentile(ts, 95):7.1f} ms  "
              f"max {max(ts):7.1f} ms  right {right[kind]}/{len(ts)}")
    print(f"answers right: {sum(right.values())}/{len(every)}")
    for line in wrong[:10]:
        print(line)
    print(json.dumps({"n": args.n, "ingest_s": round(ingest_s, 1), "startup_ms": round(min(startups) * 1000),
                      "p50_ms": round(percentile(every, 50), 1), "p95_ms": round(percentile(every, 95), 1),
                      "max_ms": round(max(every), 1), "right": sum(right.values()), "asked": len(every)}))


if __name__ == "__main__":
    main()
