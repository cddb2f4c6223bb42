"""Load the budget glossary (db/glossary.json) once; ingest and the engine share it."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def glossary() -> dict[str, Any]:
    return json.loads(resources.files("db").joinpath("glossary.json").read_text(encoding="utf-8"))


def canonical_measure(label: str) -> str:
    """'人员经费支出' → '人员经费'; a label not in the glossary stays as printed."""
    squashed = label.replace(" ", "")
    for canonical, synonyms in glossary()["measures"].items():
        if squashed in synonyms or squashed == canonical:
            return canonical
    return squashed
