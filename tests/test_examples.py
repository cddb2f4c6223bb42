"""The app's example questions are all answered on the bundled samples."""
from __future__ import annotations

from assistant.examples import answered_examples, example_questions


def test_every_example_question_is_answered(assistant):
    questions = answered_examples(assistant)
    assert len(questions) == 6
    for question in questions:
        assert assistant.ask(question).status == "answered", question


def test_examples_are_varied(assistant):
    questions = answered_examples(assistant)
    assert any(q.startswith("哪个") for q in questions)  # a ranking
    assert len({q[:4] for q in questions}) >= 3  # several departments


def test_candidates_come_from_the_loaded_vocabulary(assistant):
    candidates = example_questions(assistant.lexicon, limit=200)
    issuers = [b.short for b in assistant.lexicon.bureaus]
    assert all(any(i in q for i in issuers) or q.startswith("哪个") for q in candidates)
