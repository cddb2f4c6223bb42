"""Questions written the way officials, auditors and journalists ask, over all fourteen loaded
documents (the five samples and the nine published PDFs), each with the figure read off the
source by hand (tests/data/unseen_questions.jsonl). The engine must state that figure, cited,
or — for what the budgets do not hold — answer with no figure at all.

Each expectation is one of:
  {"value": v, "unit": u[, "tol": t]}   the answer states v (in u, or a unit convertible to it)
  {"values": [...], "unit": u}          it states every one of them
  {"status": "no_answer"}               no figure: no_data, clarify or refused
  {"status": "answered"}                an answer (a list), whatever figures it holds
  "or_refuse": true                     beside a value: a refusal is right too (the document
                                        prints the cell blank), any other figure is not
An item marked "known_miss" is a question the engine still refuses though the data holds the
answer (never one it answers wrongly): it is expected to fail until the mechanism exists.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.answer import Exchange

from conftest import SAMPLES, SHARED

QUESTIONS = Path(__file__).parent / "data" / "unseen_questions.jsonl"
SOURCES = [SAMPLES, SHARED / "real", SHARED / "real2"]
MONEY = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}
PEOPLE = {"人": Decimal(1), "万人": Decimal(10000)}

pytestmark = pytest.mark.skipif(not all(p.is_dir() for p in SOURCES), reason="../shared/real or real2 absent")


def _items() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    """One store holding every loaded document, as a user who loaded them all has it."""
    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths

    path = tmp_path_factory.mktemp("unseen") / "all.db"
    report = ingest_paths(SOURCES, path, jobs=2)
    assert not report.failed, [r.message for r in report.failed]
    return Assistant(path)


def _in_unit(value: Decimal, unit: str, target: str) -> Decimal | None:
    for family in (MONEY, PEOPLE):
        if unit in family and target in family:
            return value * family[unit] / family[target]
    if unit == target or (target not in MONEY and unit not in MONEY and "%" not in (unit, target)):
        return value  # counts (个, 辆, 人次) compare by number
    return None


def _states(answer, want: float, unit: str, tol: float | None) -> bool:
    want_d = Decimal(str(want))
    slack = Decimal(str(tol)) if tol is not None else max(Decimal("0.5") if unit == "元" else Decimal("0.005"),
                                                          abs(want_d) * Decimal("0.000001"))
    for figure in answer.figures:
        got = _in_unit(Decimal(str(figure.value)), figure.unit or "", unit)
        if got is not None and abs(got - want_d) <= slack:
            return True
    return False


def _check(answer, expect: dict) -> str:
    """'' when the answer meets the expectation, else what is wrong."""
    if expect.get("status") == "no_answer":
        return "" if answer.status != "answered" or not answer.figures else \
            f"answered with {[f.value for f in answer.figures][:4]}: {answer.answer[:120]}"
    if answer.status != "answered":
        return "" if expect.get("or_refuse") else f"{answer.status}: {answer.answer[:120]}"
    wants = expect.get("values") or ([expect["value"]] if "value" in expect else [])
    missing = [w for w in wants if not _states(answer, w, expect["unit"], expect.get("tol"))]
    if missing:
        return f"missing {missing} {expect['unit']}: {answer.answer[:160]}"
    if "text" in expect and expect["text"] not in answer.answer:
        return f"answer lacks {expect['text']!r}"
    if any(not (f.source.document and (f.source.table or f.source.section)) for f in answer.figures):
        return "a figure lacks its document and table or section"
    return ""


@pytest.mark.parametrize("item", _items(), ids=lambda item: item["id"])
def test_unseen_question(everything, item):
    if item.get("known_miss"):
        pytest.xfail(item["known_miss"])
    turns = item.get("turns") or [{"q": item["q"], "expect": item["expect"]}]
    history: list[Exchange] = []
    for turn in turns:
        answer = everything.ask(turn["q"], history)
        problem = _check(answer, turn["expect"])
        assert not problem, f"{turn['q']}: {problem}"
        history.append(Exchange(turn["q"], answer))
