"""Several years of one issuer, made from a sample: the same budget with its year changed and
every amount scaled by a whole factor (so every total still equals the sum of its parts)."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

AMOUNT = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)\.(\d+)(?![\d.])")


def scaled(text: str, factor: int) -> str:
    """Every decimal amount times `factor`, printed with the places and separators it had."""
    def one(m: re.Match) -> str:
        whole, places = m.group(1), m.group(2)
        value = Decimal(whole.replace(",", "") + "." + places) * factor
        shown = f"{value:,.{len(places)}f}" if "," in whole else f"{value:.{len(places)}f}"
        return shown
    return AMOUNT.sub(one, text)


def year_variant(source: Path, out_dir: Path, old_year: int, new_year: int, factor: int,
                 issuer_from: str | None = None, issuer_to: str | None = None) -> Path:
    """A copy of `source` printed for `new_year`, amounts times `factor`; optionally with the
    issuer printed another way (the same body under a changed name)."""
    text = source.read_text(encoding="utf-8")
    text = scaled(text, factor).replace(str(old_year), str(new_year)).replace(str(old_year - 1), str(new_year - 1))
    if issuer_from and issuer_to:
        text = text.replace(issuer_from, issuer_to)
    out = out_dir / f"{source.stem}-{new_year}{source.suffix}"
    out.write_text(text, encoding="utf-8")
    return out
