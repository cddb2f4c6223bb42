"""Readers: one per format. Each turns a file into pages of text lines and grids of cells
(`ingest.model.ParsedDocument`) with where each came from; none decides whose document it is or
what a table means — that is `ingest.recognise`, the same for every format."""
