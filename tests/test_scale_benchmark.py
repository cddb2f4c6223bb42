"""The scale benchmark at a small N, as CI runs it: generated budgets in every format ingest
with two workers and every question is answered as the truth file says."""
from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))


def test_generated_budgets_ingest_and_every_answer_matches_the_truth(tmp_path):
    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths
    from scale import check, questions
    from synth import generate

    truth = generate(tmp_path / "corpus", 24)
    report = ingest_paths([tmp_path / "corpus"], tmp_path / "scale.db", jobs=2)
    assert report.count("ingested") == 24, [r.message for r in report.failed]
    assistant = Assistant(tmp_path / "scale.db")
    wrong = [(kind, q, assistant.ask(q).answer) for kind, q, expected in questions(truth, 40)
             if not check(kind, assistant.ask(q), expected)]
    assert wrong == []


def test_generated_budgets_share_place_words_and_cover_every_format(tmp_path):
    from synth import FORMATS, plan

    budgets = plan(120)
    assert {b.fmt for b in budgets} == set(FORMATS)
    places = [b.issuer[:-len(o)] for b in budgets for o in ("财政局", "教育局") if b.issuer.endswith(o)]
    assert len(set(places)) < len(places)  # several offices of one place
    for b in budgets[:10]:
        f = b.function
        assert f["201"]["合计"] == f["201"]["基本支出"] + f["201"]["项目支出"]
        basic = sum(v["基本支出"] for c, v in f.items() if len(c) == 3)
        assert basic == b.economic["301"]["合计"] + b.economic["302"]["合计"]
