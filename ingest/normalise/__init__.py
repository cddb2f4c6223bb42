"""Normalising: exact amounts per row and column, with the budget identities (totals, parents,
the same code twice) deciding what a layout lost, and OCR digits checked by them."""
