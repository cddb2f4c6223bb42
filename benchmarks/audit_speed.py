"""How long the audit takes per document, and per rule: the audit after ingest runs on the new
document only, so its cost should follow that document's size, not the store's. Prints numbers only.

    .venv/bin/python benchmarks/audit_speed.py [--db FILE]

Without --db, the bundled samples and the published PDFs (../shared/real*/, absent ones skipped)
are ingested into a temporary store first. Then: each document audited alone (load + rules), the
slowest rules, and one document audited alone in a store that holds the samples once and three times
(the same document: the time should not grow with the store).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def build(path: Path) -> None:
    from ingest.pipeline import ingest_paths

    files = [REPO / "data" / "samples"] + sorted((REPO.parent / "shared").glob("real*/*.pdf"))
    ingest_paths(files, path)


def per_document(path: Path) -> None:
    from assistant.rules import RULES, DocData
    from db.store import connect_readonly

    conn = connect_readonly(path)
    by_rule: dict[str, float] = defaultdict(float)
    try:
        for doc_id, title in conn.execute("SELECT doc_id, title FROM documents ORDER BY doc_id").fetchall():
            started = time.perf_counter()
            doc = DocData.load(conn, doc_id)
            loaded = time.perf_counter()
            for rule_id in sorted(RULES):
                t = time.perf_counter()
                RULES[rule_id].run(doc)
                by_rule[rule_id] += time.perf_counter() - t
            done = time.perf_counter()
            print(f"doc {doc_id:>3}  items {len(doc.items):>5}  lines {len(doc.lines):>4}  "
                  f"load {1000 * (loaded - started):7.1f} ms  rules {1000 * (done - loaded):7.1f} ms  {title}")
    finally:
        conn.close()
    slowest = sorted(by_rule.items(), key=lambda kv: -kv[1])[:5]
    print("slowest rules (all documents):", ", ".join(f"{r} {1000 * s:.1f} ms" for r, s in slowest))


def one_in_bigger_store(path: Path, copies: int) -> float:
    """Seconds to audit the store's first document once the store holds `copies` times the samples."""
    from assistant.audit import run_audit
    from ingest.pipeline import ingest_paths

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.db"
        shutil.copy(path, big)
        if copies > 1:
            for n in range(copies - 1):
                folder = Path(tmp) / f"copy{n}"
                folder.mkdir()
                for sample in (REPO / "data" / "samples").glob("*.txt"):
                    text = sample.read_text(encoding="utf-8") + f"\n\n（副本 {n}）\n"
                    (folder / sample.name).write_text(text, encoding="utf-8")
                ingest_paths([folder], big)
        run_audit(big, [1])  # warm the caches once
        started = time.perf_counter()
        for _ in range(3):
            run_audit(big, [1])
        return (time.perf_counter() - started) / 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        if not args.db:
            build(path)
        per_document(path)
        for copies in (1, 3):
            print(f"audit of document 1 alone, store holding the samples x{copies}: "
                  f"{1000 * one_in_bigger_store(path, copies):.1f} ms")


if __name__ == "__main__":
    main()
