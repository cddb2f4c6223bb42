"""db/audit_requirements.json read once: what a disclosure must contain, and template residue."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def requirements() -> dict:
    return json.loads(resources.files("db").joinpath("audit_requirements.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def residue_patterns() -> list[re.Pattern]:
    return [re.compile(p) for p in requirements()["template_residue"]["patterns"]]
