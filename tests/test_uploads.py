"""Uploaded files are kept beside the database while a document comes from them."""
from __future__ import annotations

from db.store import connect_writer
from fixtures_build import make_poem_pdf, make_ruled_pdf
from ingest.pipeline import ingest_paths
from ingest.uploads import drop_unused, forget, keep_uploads, upload_folder


def test_uploads_live_beside_their_database(tmp_path):
    assert upload_folder(tmp_path / "budgets.db", tmp_path / "data") == tmp_path / "budgets-uploads"
    assert upload_folder("postgresql://u@host/budgets", tmp_path / "data") == tmp_path / "data" / "budgets-uploads"


def test_same_name_different_content_is_kept_apart(tmp_path):
    first, second = keep_uploads(tmp_path, [("a.txt", b"one"), ("a.txt", b"two")])
    assert first != second and first.read_bytes() == b"one" and second.read_bytes() == b"two"


def test_a_failed_upload_is_not_kept_and_a_loaded_one_is(tmp_path):
    folder, db = tmp_path / "store-uploads", tmp_path / "store.db"
    good = make_ruled_pdf(tmp_path / "good.pdf").read_bytes()
    bad = make_poem_pdf(tmp_path / "poem.pdf").read_bytes()
    kept_good, kept_bad = keep_uploads(folder, [("预算.pdf", good), ("诗.pdf", bad)])
    report = ingest_paths([kept_good, kept_bad], db)
    assert [r.status for r in report.results] == ["ingested", "failed"]
    conn = connect_writer(db)
    drop_unused(conn, folder, [kept_good, kept_bad])
    assert kept_good.is_file() and not kept_bad.exists() and not kept_bad.parent.exists()
    assert conn.execute("SELECT source_file FROM documents").fetchone()[0] == str(kept_good.resolve())


def test_forget_never_touches_a_file_outside_the_folder(tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("x")
    forget(tmp_path / "uploads", outside)
    assert outside.exists()
