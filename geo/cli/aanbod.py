"""``wijkkompas aanbod``: import, list, undo and history of what is offered."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from geo.cli._common import (
    GemeenteOpt,
    JsonOpt,
    app,
    echo_json,
    progress_bar,
)

aanbod_app = typer.Typer(
    help="Aanbod importeren, bekijken en wijzigingen ongedaan maken.", no_args_is_help=True
)
app.add_typer(aanbod_app, name="aanbod")

DataOpt = Annotated[Path | None, typer.Option("--data", help="Datamap (standaard data/).")]
GebruikerOpt = Annotated[
    str | None,
    typer.Option(
        "--gebruiker",
        help="Wie de wijziging doet (naam in de geschiedenis; standaard $USER). De CLI werkt "
        "met de rechten van wie bij de bestanden of de database kan.",
    ),
]
LaagOpt = Annotated[
    str | None,
    typer.Option(
        "--laag", help="activiteiten, lief-en-leed, welzijn-op-recept, buurtmobiel of ov-haltes."
    ),
]


def actor(gebruiker: str | None) -> str | None:
    """The name written in the history for a CLI change: ``--gebruiker``, else ``$USER``."""
    return gebruiker or os.environ.get("USER") or None


@aanbod_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="CSV, Excel, GeoJSON, GeoPackage, zip of GTFS.")],
    laag: LaagOpt = None,
    data: DataOpt = None,
    gemeente: GemeenteOpt = None,
    as_json: JsonOpt = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Alleen controleren.")] = False,
    blad: Annotated[str | None, typer.Option("--blad", help="Excel-tabblad.")] = None,
    gebruiker: GebruikerOpt = None,
) -> None:
    """Lees een partnerbestand, toon het controlerapport en sla geaccepteerde rijen op."""
    from geo.aanbod import import_file, open_register
    from geo.aanbod.partners import adopt_partner_files
    from geo.aanbod.read import load_aanbod
    from geo.io.cache import load_dataset_cached
    from geo.io.folder import resolve_data_dir

    folder = resolve_data_dir(data)
    dataset = load_dataset_cached(folder, gemeente=gemeente)
    register = open_register(folder)
    sheet: str | int | None = int(blad) if blad is not None and blad.isdigit() else blad
    probe = import_file(file, laag=laag, areas=dataset.areas, sheet=sheet)
    adoption = None
    if dry_run or register.exists:
        existing = load_aanbod(folder, areas=dataset.areas).layers[probe.laag]
    else:  # the first change creates the register: the folder's partner files go in first
        adoption = adopt_partner_files(folder, register, areas=dataset.areas, user=actor(gebruiker))
        existing = register.list(probe.laag)
    result = import_file(file, laag=probe.laag, areas=dataset.areas, sheet=sheet, existing=existing)
    stored: list[str] = []
    if not dry_run:
        stored = register.add(
            result.laag,
            result.frame,
            user=actor(gebruiker),
            wor_deelnemers=result.wor_deelnemers,
        )
    counts = result.counts
    if as_json:
        echo_json(
            {
                **counts,
                "laag": result.laag,
                "stored": len(stored),
                "rows": result.report[["row", "status", "reason"]].to_dict(orient="records"),
                "notices": result.notices,
                "partnerbestanden": None
                if adoption is None
                else {
                    "counts": adoption.counts,
                    "reports": {
                        name: report[["row", "status", "reason"]].to_dict(orient="records")
                        for name, report in adoption.reports.items()
                    },
                    "message": adoption.message,
                },
            }
        )
        return
    if adoption is not None:
        typer.echo(adoption.message)
        for notice in adoption.notices:
            if notice.startswith("niet gelezen"):
                typer.echo(f"  {notice}")
        for name, report in adoption.reports.items():
            for row in report[report["status"] != "geaccepteerd"].head(5).itertuples():
                typer.echo(f"  {name} rij {row.row}: {row.status}: {row.reason}")
    typer.echo(
        f"{file.name} -> laag {result.laag}: {counts['accepted']} geaccepteerd, "
        f"{counts['warnings']} met waarschuwing, {counts['rejected']} afgewezen"
    )
    for notice in result.notices:
        typer.echo(f"  melding: {notice}")
    for row in result.report[result.report["status"] != "geaccepteerd"].itertuples():
        typer.echo(f"  rij {row.row}: {row.status}: {row.reason}")
    typer.echo(
        "Niets opgeslagen (--dry-run)."
        if dry_run
        else f"{len(stored)} locatie(s) opgeslagen in {register.location}."
    )


@aanbod_app.command("list")
def list_command(laag: LaagOpt = None, data: DataOpt = None, as_json: JsonOpt = False) -> None:
    """Toon het aanbod per laag."""
    from geo.aanbod import laag_name, load_aanbod
    from geo.aanbod.schema import LAYERS
    from geo.io.cache import load_dataset_cached
    from geo.io.folder import resolve_data_dir

    folder = resolve_data_dir(data)
    dataset = load_dataset_cached(folder)
    aanbod = load_aanbod(folder, areas=dataset.areas)
    names = [laag_name(laag)] if laag else list(LAYERS)
    if as_json:
        echo_json(
            {
                name: aanbod.layers[name]
                .drop(columns="geometry")
                .assign(
                    x=aanbod.layers[name].geometry.centroid.x.round(1),
                    y=aanbod.layers[name].geometry.centroid.y.round(1),
                )
                .to_dict(orient="records")
                for name in names
            }
        )
        return
    if aanbod.read_only:
        typer.echo("(alleen lezen: partnerbestanden, nog geen register)")
    for name in names:
        frame = aanbod.layers[name]
        typer.echo(f"{name}: {len(frame)}")
        label = "naam" if "naam" in frame.columns else "straat"
        for row in frame.head(20).itertuples():
            typer.echo(f"  {row.id}  {getattr(row, label)}")
        if len(frame) > 20:
            typer.echo(f"  ... en {len(frame) - 20} meer (zie --json)")


@aanbod_app.command("undo")
def undo_command(data: DataOpt = None, gebruiker: GebruikerOpt = None) -> None:
    """Maak de laatste wijziging (of import) ongedaan."""
    from geo.aanbod import open_register
    from geo.io.folder import resolve_data_dir

    register = open_register(resolve_data_dir(data))
    typer.echo(register.undo(user=actor(gebruiker)))


@aanbod_app.command("history")
def history_command(data: DataOpt = None, as_json: JsonOpt = False) -> None:
    """Toon de geschiedenis van wijzigingen."""
    from geo.aanbod import open_register
    from geo.io.folder import resolve_data_dir

    history = open_register(resolve_data_dir(data)).history()
    if as_json:
        echo_json(history.to_dict(orient="records"))
        return
    for row in history.itertuples():
        typer.echo(f"{row.wanneer}  {row.wie:<12} {row.actie:<22} {row.laag:<18} {row.id}")


@aanbod_app.command("geocode")
def geocode_command(
    data: DataOpt = None,
    as_json: JsonOpt = False,
    gebruiker: GebruikerOpt = None,
) -> None:
    """Zoek de locatie van niet-gelokaliseerd aanbod op bij de PDOK Locatieserver."""
    from geo.io.folder import resolve_data_dir
    from geo.sources.geocode import geocode_register

    with progress_bar("Geocoderen") as progress:
        result = geocode_register(resolve_data_dir(data), user=actor(gebruiker), progress=progress)
    if as_json:
        echo_json({"counts": result.counts, "rows": result.rows})
        return
    counts = result.counts
    typer.echo(
        f"{len(result.rows)} niet-gelokaliseerde rij(en): "
        + ", ".join(f"{n} {status}" for status, n in counts.items())
        if result.rows
        else "Geen niet-gelokaliseerde rijen."
    )
    for row in result.rows:
        typer.echo(f"  {row['id']}  {row['naam']}: {row['status']} — {row['reden']}")


# -- kopieer (issue 11, server register) -------------------------------------------------------
@aanbod_app.command("kopieer")
def kopieer_command(
    naar: Annotated[
        str,
        typer.Option(
            "--naar", help="postgresql://gebruiker:wachtwoord@host/db, of een nieuw .gpkg-bestand."
        ),
    ],
    van: Annotated[
        str | None,
        typer.Option(
            "--van",
            help="Bron: bij --naar postgresql:// een register.gpkg (standaard dat van --data); "
            "bij --naar bestand.gpkg een postgresql://-adres (standaard $WIJKKOMPAS_DATABASE_URL).",
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Kopieer het register met geschiedenis en accounts naar de server, of terug naar .gpkg."""
    from geo.aanbod.backends import DATABASE_URL_ENV, register_path
    from geo.aanbod.copy import copy_register, is_database_url
    from geo.errors import DataError
    from geo.io.folder import resolve_data_dir

    if is_database_url(naar):
        source = van or str(register_path(resolve_data_dir(data)))
    else:
        source = van or os.environ.get(DATABASE_URL_ENV, "")
        if not source:
            raise DataError(
                "geen bron-database opgegeven.",
                hint="geef --van postgresql://gebruiker:wachtwoord@host/db of zet "
                f"{DATABASE_URL_ENV}.",
            )
    typer.echo(copy_register(source, naar).summary())
