"""A real PostgreSQL server for tests, started from Debian's package on a temp dir and port.

`apt-get install postgresql` provides the binaries (/usr/lib/postgresql/<v>/bin); .ci/run
installs it. The server runs as an unprivileged user (initdb refuses root: when the tests run
as root, as in CI, it runs as the `postgres` account the package creates), listens on
127.0.0.1 only, trusts local connections, and is stopped and removed afterwards. Without the
binaries or psycopg the tests that need it are skipped.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_user(command: list[str]) -> list[str]:
    """Run as the unprivileged `postgres` account when we are root."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--"] + command


@pytest.fixture(scope="session")
def pg_url() -> str:
    pytest.importorskip("psycopg")
    bin_dir = _binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL")
    if os.geteuid() == 0:
        import pwd
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres account to run the server as")
    # Its own folder under the system temp dir, owned by the server's user: pytest's own
    # folders are private to the user running the tests.
    base = Path(tempfile.mkdtemp(prefix="budgetqa-pg-"))
    data = base / "data"
    if os.geteuid() == 0:
        import pwd
        account = pwd.getpwnam("postgres")
        os.chown(base, account.pw_uid, account.pw_gid)
    port = _free_port()
    run = dict(check=True, capture_output=True, text=True)
    subprocess.run(_as_user([str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "budgetqa",
                             "-E", "UTF8", "--locale=C"]), **run)
    subprocess.run(_as_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o",
                             f"-p {port} -h 127.0.0.1 -k {base}", "start"]), **run)
    try:
        yield f"postgresql://budgetqa@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture()
def pg_store(pg_url: str) -> str:
    """An empty database on the server for one test, dropped afterwards."""
    import psycopg

    name = f"t{os.getpid()}_{_free_port()}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_url.rsplit("/", 1)[0] + "/" + name
    yield url
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
