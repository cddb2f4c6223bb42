"""Files uploaded through the app, kept beside the database so their pages can be shown later.

Each upload is stored as <folder>/<first 12 hex of its sha256>/<its own name>: two uploads of
the same name with different content never overwrite each other, and the same content lands
in the same place. A file no document refers to (it failed, or it was loaded before from
elsewhere) is not kept.
"""
from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlparse

from db.pg import is_pg_url


def upload_folder(store: str | Path, data_dir: Path) -> Path:
    """Where the uploads of a store are kept: <db folder>/<db name>-uploads beside a SQLite
    file; <data_dir>/<database name>-uploads for a PostgreSQL store."""
    if is_pg_url(store):
        return data_dir / f"{urlparse(str(store)).path.strip('/') or 'postgres'}-uploads"
    path = Path(store)
    return path.parent / f"{path.stem}-uploads"


def keep_uploads(folder: Path, files: Iterable[tuple[str, bytes]]) -> list[Path]:
    """Write each (file name, content) under `folder`; returns the paths, in order."""
    paths = []
    for name, data in files:
        path = folder / hashlib.sha256(data).hexdigest()[:12] / Path(name).name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


def drop_unused(conn: sqlite3.Connection, folder: Path, paths: Iterable[Path]) -> None:
    """Delete the kept uploads among `paths` that no document's source_file names."""
    used = {f for (f,) in conn.execute("SELECT source_file FROM documents")}
    for path in paths:
        if str(path.resolve()) not in used:
            forget(folder, path)


def forget(folder: Path, path: Path) -> None:
    """Delete an upload (and its now empty folder); a file outside `folder` is never touched."""
    try:
        if folder.resolve() in path.resolve().parents:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
    except OSError:
        pass
