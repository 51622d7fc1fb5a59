"""A throwaway PostgreSQL + PostGIS cluster for the tests (a real server, no mocks).

``pg_cluster`` (session scope, so one per pytest-xdist worker) runs ``initdb`` in a temporary
folder, starts the server on a free local port and creates a role with a password and a
template database with PostGIS. ``pg_url`` gives every test its own database, copied from that
template, as ``postgresql://wijkkompas:PASS@127.0.0.1:PORT/test_N``, and drops it afterwards.

PostgreSQL refuses to run as root (CI runs as root), so as root the server runs as the
``postgres`` system user (``runuser -u postgres --``) in a folder owned by it. Tests marked
``postgres`` are skipped with a reason only when PostgreSQL or PostGIS is not installed.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROLE = "wijkkompas"
TEMPLATE = "wijkkompas_template"
_counter = itertools.count(1)


@dataclass(frozen=True)
class PgCluster:
    """A running throwaway cluster."""

    folder: Path
    port: int
    password: str
    admin_password: str

    @property
    def admin_url(self) -> str:
        """The superuser's URL (database ``postgres``)."""
        return f"postgresql://postgres:{self.admin_password}@127.0.0.1:{self.port}/postgres"

    def url(self, database: str, *, user: str = ROLE, password: str | None = None) -> str:
        """The URL of ``database`` for the test role (or another user/password)."""
        secret = self.password if password is None else password
        return f"postgresql://{user}:{secret}@127.0.0.1:{self.port}/{database}"

    def create_database(self, *, postgis: bool = True) -> str:
        """A new empty database owned by the test role (with PostGIS); returns its name."""
        import psycopg

        name = f"test_{os.getpid()}_{next(_counter)}"
        template = TEMPLATE if postgis else "template0"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" OWNER {ROLE}')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, closing what is still connected to it."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def find_bindir() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl`` of PostgreSQL 15 (or the newest there is)."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    preferred = [c for c in candidates if c.parts[-3] == "15"] + candidates
    for initdb in preferred:
        if (initdb.parent / "pg_ctl").exists():
            return initdb.parent
    initdb_path = shutil.which("initdb")
    if initdb_path and shutil.which("pg_ctl"):
        return Path(initdb_path).parent
    return None


def missing_reason() -> str | None:
    """Why no cluster can start here (None when it can)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is niet geïnstalleerd (pip install 'psycopg[binary]')"
    bindir = find_bindir()
    if bindir is None:
        return "PostgreSQL niet gevonden (apt-get install postgresql-15 postgresql-15-postgis-3)"
    version = bindir.parent.name
    control = Path(f"/usr/share/postgresql/{version}/extension/postgis.control")
    if version.isdigit() and not control.exists():
        return f"PostGIS niet gevonden ({control}; apt-get install postgresql-{version}-postgis-3)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "als root draait PostgreSQL alleen als gebruiker 'postgres', die ontbreekt"
        if shutil.which("runuser") is None:
            return "runuser ontbreekt (nodig om PostgreSQL als 'postgres' te starten)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload,no-any-return]
        _as_server_user(command), check=True, capture_output=True, text=True, **kwargs
    )


# The server user may not be allowed into the working directory (CI checks out under /root):
# every PostgreSQL program runs from the cluster's own folder.


@contextlib.contextmanager
def running_cluster(*, durable: bool = False) -> Iterator[PgCluster]:
    """Start a cluster, yield it, stop it and remove its folder.

    ``durable=False`` (the tests) runs with ``fsync=off``; benchmarks use ``durable=True``, so
    a commit waits for the disk as SQLite's does.
    """
    bindir = find_bindir()
    assert bindir is not None
    # short path: the server's unix socket lives in it (sun_path is ~107 bytes)
    folder = Path(tempfile.mkdtemp(prefix="wkpg-", dir="/tmp"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    os.chmod(folder, 0o700)
    admin_password = secrets.token_hex(12)
    password = secrets.token_hex(12)
    pwfile = folder / "pwfile"
    _run(["sh", "-c", f"umask 077; printf %s {admin_password} > {pwfile}"], cwd=folder)
    datadir = folder / "data"
    started = False
    try:
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(datadir),
                "-U",
                "postgres",
                f"--pwfile={pwfile}",
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
            ],
            cwd=folder,
        )
        port = 0
        for attempt in range(5):  # another worker may take the port between probe and start
            port = _free_port()
            options = (
                f"-c port={port} -c listen_addresses=127.0.0.1 "
                f"-c unix_socket_directories={folder} -c fsync={'on' if durable else 'off'} "
                "-c max_connections=60 -c shared_buffers=32MB"
            )
            result = subprocess.run(
                _as_server_user(
                    [
                        str(bindir / "pg_ctl"),
                        "-D",
                        str(datadir),
                        "-l",
                        str(folder / "log"),
                        "-o",
                        options,
                        "-w",
                        "-t",
                        "60",
                        "start",
                    ]
                ),
                capture_output=True,
                text=True,
                cwd=folder,
            )
            if result.returncode == 0:
                started = True
                break
            if attempt == 4:
                log = (folder / "log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"PostgreSQL start mislukt: {result.stderr}\n{log}")
            time.sleep(0.2)
        cluster = PgCluster(
            folder=folder, port=port, password=password, admin_password=admin_password
        )
        _prepare(cluster)
        yield cluster
    finally:
        if started:
            subprocess.run(
                _as_server_user(
                    [str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "-w", "stop"]
                ),
                capture_output=True,
                cwd=folder,
            )
        shutil.rmtree(folder, ignore_errors=True)


def _prepare(cluster: PgCluster) -> None:
    """The test role (a password, may create databases) and a template database with PostGIS."""
    import psycopg

    with psycopg.connect(cluster.admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {ROLE} LOGIN CREATEDB PASSWORD '{cluster.password}'")
        conn.execute(f"CREATE DATABASE {TEMPLATE} OWNER {ROLE}")
    template_admin = cluster.admin_url.rsplit("/", 1)[0] + f"/{TEMPLATE}"
    with psycopg.connect(template_admin, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION postgis")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """One throwaway PostgreSQL + PostGIS cluster per test session (per xdist worker)."""
    reason = missing_reason()
    if reason is not None:
        pytest.skip(reason)
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture()
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """A fresh database with PostGIS for one test: its URL (role with a password)."""
    name = pg_cluster.create_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)
