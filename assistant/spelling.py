"""Names typed with a pinyin keyboard's slip: 卫生建康 → 卫生健康, 医疗保樟局 → 医疗保障局.

A word of the question that is no loaded name but sounds exactly like one (same pinyin, tones
ignored) and differs from it in one character is read as that name. Two different loaded names
that both fit are not guessed between: the engine asks which was meant. Only characters that are
not part of an exactly matched name are ever changed, and the index is built the first time a
question needs it (most questions never do).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from db.glossary import glossary

from .lexicon import Lexicon

MIN_LEN, MAX_LEN = 3, 14


@lru_cache(maxsize=20_000)
def _syllable(ch: str) -> str:
    if not "\u4e00" <= ch <= "\u9fff":
        return ch
    from pypinyin import lazy_pinyin

    return lazy_pinyin(ch)[0]


@dataclass
class Correction:
    text: str  # the question with the slips corrected
    fixes: list[tuple[str, str]] = field(default_factory=list)  # (as typed, as read)
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)  # (as typed, names it could be)


class Speller:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self._index: dict[tuple[str, ...], set[str]] | None = None
        self._names: set[str] = set()

    def _build(self) -> None:
        names = {t for t in self.lexicon.terms if MIN_LEN <= len(t) <= MAX_LEN}
        names |= {a for b in self.lexicon.bureaus for a in b.aliases if MIN_LEN <= len(a) <= MAX_LEN}
        g = glossary()
        names |= {w for w in g["bureau_suffixes"] + g["generic_offices"] + list(g["bureau_abbreviations"])
                  if len(w) >= MIN_LEN}
        names = {n for n in names if all("\u4e00" <= ch <= "\u9fff" for ch in n)}
        index: dict[tuple[str, ...], set[str]] = {}
        for name in names:
            index.setdefault(tuple(_syllable(ch) for ch in name), set()).add(name)
        self._index, self._names = index, names

    def correct(self, text: str) -> Correction:
        """`text` (squashed question) with each one-character homophone slip of a loaded name fixed."""
        if self._index is None:
            self._build()
        exact = [False] * len(text)
        for m in self.lexicon.find_subjects(text):
            for k in range(m.start, m.end):
                exact[k] = True
        for _, start, end in self.lexicon.find_bureaus(text):
            for k in range(start, end):
                exact[k] = True
        syllables = [_syllable(ch) for ch in text]
        hits: list[tuple[int, int, set[str]]] = []
        for length in range(min(MAX_LEN, len(text)), MIN_LEN - 1, -1):
            for i in range(len(text) - length + 1):
                window = text[i:i + length]
                if window in self._names:
                    continue
                fits = set()
                for name in self._index.get(tuple(syllables[i:i + length]), ()):
                    differ = [k for k in range(length) if name[k] != window[k]]
                    if len(differ) == 1 and not exact[i + differ[0]]:
                        fits.add(name)
                if fits:
                    hits.append((i, i + length, fits))
        out = Correction(text)
        taken = [False] * len(text)
        chars = list(text)
        for start, end, fits in hits:  # longest first, as found
            if any(taken[start:end]):
                continue
            for k in range(start, end):
                taken[k] = True
            typed = text[start:end]
            # a name and its own longer forms are one name; two different names are a question
            if len(fits) > 1:
                out.ambiguous.append((typed, sorted(fits)))
                continue
            name = next(iter(fits))
            chars[start:end] = list(name)
            out.fixes.append((typed, name))
        out.text = "".join(chars)
        return out
