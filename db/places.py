"""Place names in bodies' names, read against a list of real ones, and their pinyin.

Shared below ingest and the assistant: ingest records each issuer's pinyin words when it
stores a document (so start-up need not load a pinyin dictionary), the engine splits issuers
into places to derive the short forms people use.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

# A place the list does not know (a 街道, a renamed county): up to its level word. A bare 州
# ends a place only when no level word follows (甘孜州 yes; 福州市, 冀州区 are known names).
_PLACE_GUESS = re.compile(r"[\u4e00-\u9fff]+?(?:自治区|自治州|自治县|省|市|区|县|旗|州(?![市区县]))")
_AUTONOMOUS = re.compile(r"自治[区州县旗]$")
_OFFICE_END = re.compile(r"(?:街道办事处|办事处|委员会|办公室|局|委|办)$")


@lru_cache(maxsize=1)
def division_names() -> dict[str, str]:
    """Division code → name (db/places.tsv, built from public division codes): 350102 → 鼓楼区."""
    text = resources.files("db").joinpath("places.tsv").read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))


def county_places() -> list[str]:
    """County-level places with their province and city, in code order: 福建省福州市鼓楼区 …"""
    names = division_names()
    return [names[code[:2] + "0000"] + names.get(code[:4] + "00", "") + name
            for code, name in names.items() if not code.endswith("00")]


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """China's province, city and county names."""
    return frozenset(division_names().values())


@lru_cache(maxsize=1)
def _longest_place() -> int:
    return max(map(len, known_places()))


@lru_cache(maxsize=None)
def _pinyin(text: str) -> str:
    """'beidaihe' for 北戴河; places repeat across a province's bureaus, so each is read once."""
    from pypinyin import lazy_pinyin
    return "".join(lazy_pinyin(text))


def split_places(name: str) -> list[str]:
    """The places a body's name starts with, most general first: 福建省福州市鼓楼区医疗保障局 →
    [福建省, 福州市, 鼓楼区]. A known name is taken whole, longest first, so 福州市 is not cut
    after its 州; a place the list lacks is read up to its level word."""
    known, places, i = known_places(), [], 0
    longest = _longest_place()
    while i < len(name):
        hit = next((name[i:j] for j in range(min(len(name), i + longest), i + 1, -1) if name[i:j] in known), None)
        if hit is None:
            guess = _PLACE_GUESS.match(name, i)
            if guess is None or len(guess.group(0)) > 10:
                break
            hit = guess.group(0)
        places.append(hit)
        i += len(hit)
    return places


def place_stem(place: str) -> str:
    """The place as people shorten it: 福州市 → 福州, 甘孜藏族自治州 → 甘孜; 东城区 stays short
    only when two characters remain (北戴河区 → 北戴河, but 城区 stays 城区)."""
    if _AUTONOMOUS.search(place):
        return place[:2]
    return place[:-1] if len(place) > 2 else place


def pinyin_words(issuer: str) -> set[str]:
    """The pinyin English questions name a body by: each place (北戴河 → beidaihe) and the
    office's own name (万里街道办事处 → wanli)."""
    base = re.sub(r"\(.*?\)$", "", re.sub(r"\s+", "", unicodedata.normalize("NFKC", issuer)))
    base = re.sub(r"^(中国共产党|中共)", "", base)  # the party prefix is no place
    places = split_places(base)
    org = base[len("".join(places)):]
    words = {_pinyin(place_stem(place)) for place in places}
    own = _OFFICE_END.sub("", org.removeprefix("人民政府"))
    if len(own) >= 2:
        words.add(_pinyin(own))
    return {w for w in words if w}
