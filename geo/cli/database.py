"""``wijkkompas database init|migreer``: set up and update the server register's schema."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from geo.cli._common import app
from geo.errors import DataError

database_app = typer.Typer(
    help="Het aanbodregister op een PostgreSQL/PostGIS-server inrichten en bijwerken.",
    no_args_is_help=True,
)
app.add_typer(database_app, name="database")

UrlOpt = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="postgresql://gebruiker:wachtwoord@host:poort/database "
        "(standaard $WIJKKOMPAS_DATABASE_URL).",
    ),
]


def database_url(url: str | None) -> str:
    """The URL given, else ``$WIJKKOMPAS_DATABASE_URL``.

    Raises
    ------
    DataError
        Neither is set.
    """
    from geo.aanbod.migrate import DATABASE_URL_ENV

    chosen = url or os.environ.get(DATABASE_URL_ENV)
    if not chosen:
        raise DataError(
            "geen database opgegeven.",
            hint=f"geef --url postgresql://gebruiker:wachtwoord@host/database of zet "
            f"{DATABASE_URL_ENV}.",
        )
    return chosen


@database_app.command("init")
def init_command(url: UrlOpt = None) -> None:
    """Richt het aanbodregister in een database in; herhalen kan veilig (niets dubbel)."""
    from geo.aanbod.migrate import describe_url, known_version, migrate

    chosen = database_url(url)
    applied = migrate(chosen)
    where = describe_url(chosen)
    if applied:
        typer.echo(
            f"Aanbodregister ingericht in {where}: schema versie {known_version()} "
            f"({len(applied)} migratie(s) toegepast)."
        )
    else:
        typer.echo(f"{where} was al ingericht (schema versie {known_version()}); niets gewijzigd.")


@database_app.command("migreer")
def migreer_command(url: UrlOpt = None) -> None:
    """Werk het schema van een ingericht aanbodregister bij naar deze versie van Wijkkompas."""
    from geo.aanbod.migrate import connect, describe_url, known_version, migrate, schema_version

    chosen = database_url(url)
    where = describe_url(chosen)
    with connect(chosen) as conn:
        found = schema_version(conn)
    if found == 0:
        raise DataError(
            f"de database {where} bevat nog geen aanbodregister.",
            hint="richt hem eerst in met 'wijkkompas database init'.",
        )
    applied = migrate(chosen)
    if applied:
        names = ", ".join(f"{m.version:04d}_{m.name}" for m in applied)
        typer.echo(f"{where} bijgewerkt naar schema versie {known_version()}: {names}.")
    else:
        typer.echo(f"{where} is bij (schema versie {known_version()}); niets gewijzigd.")
