"""The server register's schema: connecting with Dutch errors and versioned SQL migrations.

The migrations are the files ``geo/aanbod/migrations/NNNN_name.sql`` (package data), applied in
order, each recorded in the table ``schema_versie``. ``migrate`` applies what is missing in ONE
transaction under an advisory lock, so two processes that migrate at once do not collide and
a failure leaves the database as it was. A database whose schema is newer than this program
knows is refused before anything is written.

Examples
--------
>>> applied = migrate("postgresql://wijkkompas:geheim@127.0.0.1/wijkkompas")  # doctest: +SKIP
>>> [m.version for m in applied]  # doctest: +SKIP
[1, 2]
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from geo.errors import DataError

if TYPE_CHECKING:
    import psycopg

logger = logging.getLogger(__name__)

DATABASE_URL_ENV = "WIJKKOMPAS_DATABASE_URL"
_LOCK = 0x57494A4B  # "WIJK": the advisory lock key of schema changes
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    """One versioned SQL file."""

    version: int
    name: str
    sql: str = field(repr=False)


def migrations() -> list[Migration]:
    """The migrations this program knows, oldest first."""
    folder = resources.files("geo.aanbod") / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migraties niet doorlopend genummerd: {versions}")
    return found


def known_version() -> int:
    """The newest schema version this program can use."""
    return migrations()[-1].version


def describe_url(url: str) -> str:
    """``user@host:port/db`` without the password (for messages)."""
    info = _conninfo(url)
    host = info.get("host") or "localhost"
    port = info.get("port") or "5432"
    user = f"{info['user']}@" if info.get("user") else ""
    return f"{user}{host}:{port}/{info.get('dbname', '')}"


def connect(url: str, *, autocommit: bool = True) -> psycopg.Connection[Any]:
    """Open a connection; an unreachable server or a refused login is a Dutch :class:`DataError`.

    Raises
    ------
    DataError
        Not a ``postgresql://`` URL, server unreachable, wrong user or password, no database.
    """
    import psycopg

    if not url.startswith(("postgresql://", "postgres://")):
        raise DataError(
            "geen PostgreSQL-adres.",
            value=_redact(url),
            hint="gebruik postgresql://gebruiker:wachtwoord@host:poort/database.",
        )
    where = describe_url(url)
    try:
        return psycopg.connect(url, autocommit=autocommit, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise DataError(_connect_message(str(exc), where), hint=_connect_hint(str(exc))) from None


def schema_version(conn: psycopg.Connection[Any]) -> int:
    """The schema version of a database (0 when it has no register yet)."""
    exists = conn.execute("SELECT to_regclass('schema_versie') IS NOT NULL").fetchone()
    if exists is None or not exists[0]:
        return 0
    row = conn.execute("SELECT coalesce(max(versie), 0) FROM schema_versie").fetchone()
    return int(row[0]) if row is not None else 0


def check_version(found: int, url: str) -> None:
    """Refuse a database whose schema is newer than this program (or not yet up to date).

    Raises
    ------
    DataError
        The schema is newer than :func:`known_version`, missing or older.
    """
    known = known_version()
    where = describe_url(url)
    if found > known:
        raise DataError(_newer_message(found, known, where), hint=_NEWER_HINT)
    if found == 0:
        raise DataError(
            f"de database {where} bevat nog geen aanbodregister.",
            hint=f"richt hem in met 'wijkkompas database init' (--url of {DATABASE_URL_ENV}).",
        )
    if found < known:
        raise DataError(
            f"de database {where} heeft registerschema versie {found}; "
            f"deze Wijkkompas gebruikt versie {known}.",
            hint="werk de database bij met 'wijkkompas database migreer'.",
        )


def migrate(url: str) -> list[Migration]:
    """Bring the database's schema up to date; returns the migrations applied (may be none).

    Raises
    ------
    DataError
        Connection refused, the schema is newer than this program, PostGIS missing, or a
        migration failed (then nothing was changed).
    """
    import psycopg

    known = migrations()
    with connect(url) as conn:
        try:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_versie ("
                    " versie integer PRIMARY KEY, naam text NOT NULL,"
                    " toegepast timestamptz NOT NULL DEFAULT now())"
                )
                found = schema_version(conn)
                if found > known[-1].version:
                    raise DataError(
                        _newer_message(found, known[-1].version, describe_url(url)),
                        hint=_NEWER_HINT,
                    )
                pending = [m for m in known if m.version > found]
                for migration in pending:
                    logger.info("migratie %04d_%s", migration.version, migration.name)
                    conn.execute(migration.sql.encode())
                    conn.execute(
                        "INSERT INTO schema_versie (versie, naam) VALUES (%s, %s)",
                        (migration.version, migration.name),
                    )
        except psycopg.errors.InsufficientPrivilege as exc:
            raise DataError(
                f"onvoldoende rechten om het register in te richten in {describe_url(url)}: "
                f"{exc.diag.message_primary}.",
                hint="laat een databasebeheerder eenmalig 'CREATE EXTENSION postgis;' uitvoeren "
                "in deze database, of geef de gebruiker rechten op het schema public.",
            ) from None
        except psycopg.errors.FeatureNotSupported as exc:
            raise DataError(
                f"PostGIS ontbreekt op de server: {exc.diag.message_primary}.",
                hint="installeer postgresql-15-postgis-3 op de server.",
            ) from None
    logger.info("schema op versie %d (%d migratie(s) toegepast)", known[-1].version, len(pending))
    return pending


_NEWER_HINT = (
    "werk Wijkkompas bij naar een versie die dit schema kent; de database is niet gewijzigd."
)


def _newer_message(found: int, known: int, where: str) -> str:
    return (
        f"de database {where} heeft registerschema versie {found}, nieuwer dan deze "
        f"Wijkkompas kent (tot versie {known})."
    )


def _conninfo(url: str) -> dict[str, Any]:
    from psycopg.conninfo import conninfo_to_dict

    try:
        return dict(conninfo_to_dict(url))
    except Exception:  # noqa: BLE001  (a malformed URL is reported by connect)
        return {}


def _redact(url: str) -> str:
    return re.sub(r"://([^:/@]*):[^@]*@", r"://\1:***@", url)


def _connect_message(error: str, where: str) -> str:
    lowered = error.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return f"inloggen op de database {where} geweigerd: gebruiker of wachtwoord onjuist."
    if "does not exist" in lowered and "database" in lowered:
        return f"de database {where} bestaat niet."
    if "does not exist" in lowered and "role" in lowered:
        return f"de databasegebruiker van {where} bestaat niet."
    if "no pg_hba.conf entry" in lowered:
        return f"de server {where} laat deze verbinding niet toe (pg_hba.conf)."
    if "resolve host" in lowered or "translate host name" in lowered:
        return f"de databaseserver van {where} is onbekend (hostnaam niet gevonden)."
    return f"de database {where} is niet bereikbaar."


def _connect_hint(error: str) -> str:
    lowered = error.lower()
    if "password" in lowered or "role" in lowered:
        return f"controleer gebruiker en wachtwoord in de URL ({DATABASE_URL_ENV} of --url)."
    if "does not exist" in lowered:
        return "maak de database aan (createdb) of controleer de naam in de URL."
    return "controleer host en poort in de URL en of PostgreSQL draait."
