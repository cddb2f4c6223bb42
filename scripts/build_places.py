"""Build db/places.tsv, the province / city / county names that place parsing knows.

Source: the administrative-division table (adcodes.csv) shipped inside the PyPI package
`cpca` 0.5.5 (MIT licence; names and codes of the national statistics division codes, 2020).
The list is committed; run this again only to refresh it:

    pip download cpca==0.5.5 --no-deps -d /tmp/cpca
    python scripts/build_places.py /tmp/cpca/cpca-0.5.5-py3-none-any.whl > db/places.tsv
"""
from __future__ import annotations

import csv
import io
import sys
import zipfile

# Rows that are grouping headings of the code table, not names anyone writes.
HEADINGS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read("cpca/resources/adcodes.csv").decode("utf-8")
    rows = sorted((r["adcode"][:6], r["name"]) for r in csv.DictReader(io.StringIO(text))
                  if r["name"] not in HEADINGS)
    out = sys.stdout
    out.write("# adcode\tname — China's provinces, cities and counties. Source: adcodes.csv of the PyPI package\n"
              "# cpca 0.5.5 (MIT). Built by scripts/build_places.py; adcode[:2] is the province, [:4] the city.\n")
    for code, name in rows:
        out.write(f"{code}\t{name}\n")


if __name__ == "__main__":
    main(sys.argv[1])
