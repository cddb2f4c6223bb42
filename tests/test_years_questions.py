"""Questions a finance official asks of a store holding several years of many bodies: changes
against last year, year ranges, series, averages, the highest year, rankings within a year, two
bodies compared, follow-ups and years not loaded (tests/data/years_questions.jsonl).

The store is the five samples plus the synthetic corpus of benchmarks/synth.py (N=200, seed 17:
40 Beijing bodies × five of the years 2019–2025). Every expected figure was computed from the
corpus's truth file, never read off the engine; the expectations are those of
tests/test_unseen_questions.py, plus "bodies": the documents every figure may come from. An item marked "known_miss" is one the engine still refuses
though the data holds the answer (never one it answers wrongly).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from assistant.answer import Exchange

from conftest import SAMPLES
from test_unseen_questions import _check

QUESTIONS = Path(__file__).parent / "data" / "years_questions.jsonl"
BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _items() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """The samples and 200 generated budgets of 40 bodies, several years each, in one store."""
    sys.path.insert(0, str(BENCHMARKS))
    from synth import generate

    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("years")
    generate(folder / "corpus", 200)
    report = ingest_paths([SAMPLES, folder / "corpus"], folder / "store.db", jobs=2)
    assert not report.failed, [r.message for r in report.failed]
    return Assistant(folder / "store.db")


def _problem(answer, expect: dict) -> str:
    """_check's verdict, and with "bodies": every figure cited from a document of those bodies
    (a follow-up "那西城区呢？" answered with every 西城区 body is not the answer)."""
    problem = _check(answer, expect)
    if problem or "bodies" not in expect:
        return problem
    strays = {f.source.document for f in answer.figures
              if not any(f.source.document.startswith(body) for body in expect["bodies"])}
    return f"figures from other bodies: {sorted(strays)[:3]}" if strays else ""


@pytest.mark.parametrize("item", _items(), ids=lambda item: item["id"])
def test_years_question(province, item):
    if item.get("known_miss"):
        pytest.xfail(item["known_miss"])
    turns = item.get("turns") or [{"q": item["q"], "expect": item["expect"]}]
    history: list[Exchange] = []
    for turn in turns:
        answer = province.ask(turn["q"], history)
        problem = _problem(answer, turn["expect"])
        assert not problem, f"{turn['q']}: {problem}"
        history.append(Exchange(turn["q"], answer))
