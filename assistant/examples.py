"""Example questions for the app, made from what is loaded (bureaus, years, common subjects).

`example_questions` proposes questions from the vocabulary of the loaded documents;
`answered_examples` keeps those the assistant actually answers, so an example a user clicks
never comes back "not in the loaded budgets".
"""
from __future__ import annotations

from .lexicon import Lexicon
from .text import squash

# Subjects nearly every department budget prints; only those found in the loaded data are used.
# Candidates of one kind tried before giving that kind up: the page waits for these.
TRIES_PER_KIND = 12
COMMON_SUBJECTS = ("住房公积金", "基本支出", "“三公”经费", "机关运行经费", "办公费", "差旅费", "行政运行")


def example_questions(lexicon: Lexicon, limit: int = 6) -> list[str]:
    """Candidate questions, varied: a lookup per dated document, a ranking, a change on the
    year before, a text-against-tables check; then more lookups as spares."""
    subjects = [s for s in COMMON_SUBJECTS if squash(s) in lexicon.terms]
    if not subjects or not lexicon.bureaus:
        return []
    questions: list[str] = []
    dated = [(b, d) for b in lexicon.bureaus for d in b.documents if d.year]
    for k, (bureau, doc) in enumerate(dated[:3]):
        questions.append(f"{bureau.short}{doc.year}年{subjects[k % len(subjects)]}是多少？")
    if len(lexicon.bureaus) > 1:
        questions += [f"哪个单位的{subject}最多？" for subject in subjects[:2]]
    for bureau, doc in dated:
        questions += [f"{bureau.short}{doc.year}年{subject}比上年增加多少？" for subject in reversed(subjects)]
    if dated:
        bureau, doc = dated[0]
        questions.append(f"{bureau.short}{doc.year}年说明中的基本支出和表格一致吗？")
    for k, (bureau, doc) in enumerate(dated):
        questions += [f"{bureau.short}{doc.year}年{subject}是多少？" for subject in subjects[k + 1:] + subjects[:k]]
    unique = list(dict.fromkeys(questions))
    return unique[:limit]


def answered_examples(assistant, limit: int = 6) -> list[str]:
    """Up to `limit` example questions that the assistant answers (status "answered") on the
    loaded data, at most one of each kind (lookup per document, ranking, change, check) first."""
    kept: list[str] = []
    kinds: set[str] = set()
    spares: list[str] = []
    failed: dict[str, int] = {}
    for question in example_questions(assistant.lexicon, limit=200):
        if len(kept) >= limit:
            break
        kind = _kind(question)
        if kind in kinds and kind != "lookup":
            spares.append(question)
            continue
        if failed.get(kind, 0) >= TRIES_PER_KIND:  # a store with one year per body has no change to show
            continue
        try:
            answered = assistant.ask(question).status == "answered"
        except Exception:  # an example that fails is simply not offered
            answered = False
        if answered:
            kept.append(question)
            kinds.add(kind)
        else:
            failed[kind] = failed.get(kind, 0) + 1
    for question in spares:
        if len(kept) >= limit:
            break
        if assistant.ask(question).status == "answered":
            kept.append(question)
    return kept


def _kind(question: str) -> str:
    if question.startswith("哪个"):
        return "rank"
    if "比上年" in question:
        return "change"
    if "一致吗" in question:
        return "check"
    return "lookup"
