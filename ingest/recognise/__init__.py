"""Recognisers, the same for every format: whose document it is (issuer, year, kind, scope from
every cue), what each table is (the national families), and the figures the text states."""
