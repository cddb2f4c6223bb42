"""Budget files → SQLite, in four steps that a newcomer can follow:

- `readers/`: one per format (txt, pdf, xlsx/xls/csv, html, docx, OCR for scanned pages) — a
  file becomes pages of text lines and grids of cells (`model.ParsedDocument`), nothing more;
- `recognise/`: the same for every format — whose document it is (`identity.py`), what each
  table is (`table_families.py`), figures in the text (`narrative.py`), projects and targets;
- `normalise/`: exact amounts per row and column; the budget identities decide what a layout lost;
- `writer.py`: one transaction per document; `pipeline.py` runs the steps over files.
"""
