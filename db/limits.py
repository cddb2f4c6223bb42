"""Every bound on work that an input can cause, in one place.

A small question or a small file must never cost minutes or gigabytes: each limit below is
checked where the work happens, and a refusal names the limit in Chinese (what was too big,
the limit, what to do). The numbers are far above anything a real budget needs (the published
PDFs here have at most 120 KB of page content, 33 pages; the sample spreadsheets a few thousand
cells), so only crafted or broken inputs reach them.
"""
from __future__ import annotations

MB = 1024 * 1024

# --- the question path ----------------------------------------------------------------------------
QUESTION_MAX_CHARS = 500  # a budget question is a sentence; a pasted document is not a question
SQL_MAX_VALUE_BYTES = 1 * MB  # SQLITE_LIMIT_LENGTH on question connections: printf/zeroblob/|| stop there
RESULT_MAX_BYTES = 8 * MB  # text and numbers of one query's result rows
QUERY_SECONDS = 2.0  # per statement, through SQLite's progress handler
CHAT_HISTORY_KEEP = 4  # exchanges a chat keeps: follow-ups need the last two frames

# --- ingest, per file -------------------------------------------------------------------------------
PDF_MAX_BYTES = 200 * MB
PDF_MAX_PAGES = 2000
PDF_MAX_PAGE_CONTENT_BYTES = 4 * MB  # decompressed content streams (and forms) of one page
PDF_MAX_SECONDS = 600.0  # checked between pages
SHEET_MAX_BYTES = 50 * MB  # .xlsx/.xls/.csv as stored
SHEET_MAX_UNZIPPED_BYTES = 300 * MB  # the XML inside an .xlsx (a zip)
SHEET_MAX_CELLS = 1_000_000  # cells read from one workbook (an empty row counts as one)
CSV_MAX_ROWS = 100_000
TEXT_MAX_BYTES = 20 * MB

# --- the store --------------------------------------------------------------------------------------
WRITER_BUSY_SECONDS = 30.0  # a writer waits this long for another writer to finish
READER_BUSY_SECONDS = 5.0  # a reader waits this long, then says the database is being written
PG_READERS = 8  # server connections one process's question path holds at most (PostgreSQL)
