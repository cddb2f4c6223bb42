"""Example questions for the app, made from what is loaded (bureaus, years, common subjects)."""
from __future__ import annotations

from .lexicon import Lexicon
from .text import squash

# Subjects nearly every department budget prints; only those found in the loaded data are used.
COMMON_SUBJECTS = ("住房公积金", "基本支出", "“三公”经费", "机关运行经费", "办公费", "差旅费", "行政运行")


def example_questions(lexicon: Lexicon, limit: int = 6) -> list[str]:
    subjects = [s for s in COMMON_SUBJECTS if squash(s) in lexicon.terms]
    if not subjects or not lexicon.bureaus:
        return []
    questions: list[str] = []
    dated = [(b, d) for b in lexicon.bureaus for d in b.documents if d.year]
    for k, (bureau, doc) in enumerate(dated[:3]):
        questions.append(f"{bureau.short}{doc.year}年{subjects[k % len(subjects)]}是多少？")
    if len(lexicon.bureaus) > 1:
        questions.append(f"哪个单位的{subjects[0]}最多？")
    if dated:
        bureau, doc = dated[0]
        questions.append(f"{bureau.short}{doc.year}年{subjects[-1]}比上年增加多少？")
        questions.append(f"{bureau.short}{doc.year}年说明中的基本支出和表格一致吗？")
    return questions[:limit]
