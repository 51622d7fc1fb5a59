"""``wijkkompas gebruiker``: accounts of the aanbod register (toevoegen, lijst, verwijderen)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from geo.cli._common import JsonOpt, app, echo_json
from geo.errors import DataError

if TYPE_CHECKING:
    from geo.aanbod.register import AanbodRegister

gebruiker_app = typer.Typer(
    help="Accounts van het aanbodregister: wie mag wat wijzigen.", no_args_is_help=True
)
app.add_typer(gebruiker_app, name="gebruiker")

DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data", help="Datamap (standaard data/); met WIJKKOMPAS_DATABASE_URL de server."
    ),
]
StdinOpt = Annotated[
    bool,
    typer.Option("--wachtwoord-stdin", help="Lees het wachtwoord van stdin (één regel)."),
]


@gebruiker_app.command("toevoegen")
def add_command(
    naam: Annotated[str, typer.Argument(help="Inlognaam (komt in de geschiedenis).")],
    rol: Annotated[str, typer.Option("--rol", help="beheerder of redacteur.")],
    organisatie: Annotated[
        str | None,
        typer.Option("--organisatie", help="Organisatie van een redacteur (kolom 'organisatie')."),
    ] = None,
    email: Annotated[
        str | None, typer.Option("--email", help="E-mailadres (voor inloggen via OpenID).")
    ] = None,
    data: DataOpt = None,
    wachtwoord_stdin: StdinOpt = False,
    zonder_wachtwoord: Annotated[
        bool,
        typer.Option(
            "--zonder-wachtwoord", help="Alleen inloggen via OpenID Connect (st.login, e-mail)."
        ),
    ] = False,
) -> None:
    """Maak een account aan; het wachtwoord wordt alleen als gezouten scrypt-hash bewaard."""
    from geo.aanbod import open_register
    from geo.aanbod.accounts import validate_account
    from geo.io.folder import resolve_data_dir

    validate_account(naam, rol=rol, organisatie=organisatie, email=email)  # before the prompt
    if zonder_wachtwoord and email is None:
        raise DataError(
            "een account zonder wachtwoord heeft een e-mailadres nodig.",
            value=naam,
            hint="geef --email op; daarmee wordt een OpenID-login aan dit account gekoppeld.",
        )
    password = None if zonder_wachtwoord else _password(wachtwoord_stdin)
    folder = resolve_data_dir(data)
    register = open_register(folder)
    if not register.exists:  # the first account creates the register: partner files go in
        _adopt(folder, register)
    account = register.add_account(
        naam, rol=rol, organisatie=organisatie, email=email, password=password
    )
    org = f" van {account.organisatie}" if account.organisatie else ""
    typer.echo(f"Account {account.naam} ({account.rol}{org}) aangemaakt in {register.location}.")


@gebruiker_app.command("lijst")
def list_command(data: DataOpt = None, as_json: JsonOpt = False) -> None:
    """Toon de accounts (zonder wachtwoorden)."""
    from dataclasses import asdict

    from geo.aanbod import open_register
    from geo.io.folder import resolve_data_dir

    accounts = open_register(resolve_data_dir(data)).accounts()
    if as_json:
        echo_json([asdict(a) for a in accounts])
        return
    if not accounts:
        typer.echo("Nog geen accounts (wijkkompas gebruiker toevoegen NAAM --rol ...).")
    for account in accounts:
        typer.echo(
            f"{account.naam:<16} {account.rol:<10} {account.organisatie or '-':<24} "
            f"{account.email or ''}"
        )


@gebruiker_app.command("verwijderen")
def remove_command(
    naam: Annotated[str, typer.Argument(help="Inlognaam.")], data: DataOpt = None
) -> None:
    """Verwijder een account; de naam blijft in de geschiedenis staan."""
    from geo.aanbod import open_register
    from geo.io.folder import resolve_data_dir

    open_register(resolve_data_dir(data)).remove_account(naam)
    typer.echo(f"Account {naam} verwijderd.")


@gebruiker_app.command("wachtwoord")
def password_command(
    naam: Annotated[str, typer.Argument(help="Inlognaam.")],
    data: DataOpt = None,
    wachtwoord_stdin: StdinOpt = False,
) -> None:
    """Stel een nieuw wachtwoord in (heft ook een blokkade na mislukte pogingen op)."""
    from geo.aanbod import open_register
    from geo.io.folder import resolve_data_dir

    register = open_register(resolve_data_dir(data))
    if register.account(naam) is None:
        raise DataError("onbekend account.", value=naam, hint="zie 'wijkkompas gebruiker lijst'.")
    register.set_password(naam, _password(wachtwoord_stdin))
    typer.echo(f"Nieuw wachtwoord voor {naam} ingesteld.")


def _adopt(folder: Path, register: AanbodRegister) -> None:
    from geo.aanbod.partners import adopt_partner_files
    from geo.io.folder import load_dataset

    try:
        areas = load_dataset(folder).areas
    except DataError:  # not a dataset folder (e.g. only a server register): nothing to take in
        return
    adoption = adopt_partner_files(folder, register, areas=areas, user="wijkkompas gebruiker")
    if adoption is not None:
        typer.echo(adoption.message)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise DataError(
                "geen wachtwoord op stdin.", hint="bijvoorbeeld: echo 'geheim…' | wijkkompas …"
            )
        return password
    return str(typer.prompt("Wachtwoord", hide_input=True, confirmation_prompt=True))
