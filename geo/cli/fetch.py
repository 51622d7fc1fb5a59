"""``wijkkompas fetch``: download a gemeente's data from the online sources into a data folder."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from geo.cli._common import (
    JsonOpt,
    app,
    echo_json,
    progress_bar,
)

DEFAULT_ROOT = Path("~/wijkkompas-data")
"""Parent of the default data folder: ``~/wijkkompas-data/<gemeente>``."""


def default_folder(gemeente: str) -> Path:
    """``~/wijkkompas-data/utrecht`` for ``Utrecht``; ``~/wijkkompas-data/gm0344`` for a code."""
    slug = re.sub(r"[^a-z0-9]+", "-", gemeente.strip().lower()).strip("-") or "gemeente"
    return (DEFAULT_ROOT / slug).expanduser()


@app.command()
def fetch(
    gemeente: Annotated[
        str, typer.Option("--gemeente", "-g", help="Naam of CBS-code van de gemeente.")
    ],
    jaar: Annotated[
        int | None, typer.Option("--jaar", help="Jaar van grenzen en CBS-cijfers (standaard 2023).")
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Doelmap (standaard ~/wijkkompas-data/<gemeente>)."),
    ] = None,
    vervang: Annotated[
        bool, typer.Option("--vervang", help="Vervang bestaande gegevens in de doelmap.")
    ] = False,
    vernieuw: Annotated[
        bool, typer.Option("--vernieuw", help="Negeer de cache en haal alles opnieuw op.")
    ] = False,
    zonder_osm: Annotated[
        bool,
        typer.Option(
            "--zonder-osm", help="Geen aanbod, OV-haltes en loopnetwerk uit OpenStreetMap."
        ),
    ] = False,
    zonder_ov: Annotated[
        bool,
        typer.Option("--zonder-ov", help="Geen OV-dienstregeling (GTFS) ophalen."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Haal grenzen (PDOK), CBS- en RIVM-cijfers en OpenStreetMap-aanbod op voor een gemeente."""
    from geo.sources.fetch import DEFAULT_YEAR, fetch_gemeente

    folder = data if data is not None else default_folder(gemeente)
    with progress_bar("Ophalen") as progress:
        result = fetch_gemeente(
            gemeente,
            folder,
            year=jaar or DEFAULT_YEAR,
            replace_existing=vervang,
            refresh=vernieuw,
            osm=not zonder_osm,
            ov=not zonder_ov,
            progress=progress,
        )
    if as_json:
        echo_json(
            {
                "map": str(result.folder),
                "gemeente": {"code": result.gemeente.code, "naam": result.gemeente.naam},
                "jaar": result.year,
                "bestanden": result.files,
                "aanbod": result.aanbod,
                "meldingen": result.notices,
                "netwerkverzoeken": result.network_requests,
                "vorige": str(result.backup) if result.backup else None,
            }
        )
        return
    naam = result.gemeente.naam or result.gemeente.code
    typer.echo(f"{naam} ({result.gemeente.code}), {result.year} -> {result.folder}")
    for entry in result.files:
        typer.echo(f"  {entry['bestand']:<42} {entry['rijen']:>6} rijen  {entry['bron']}")
    for laag, count in result.aanbod.items():
        typer.echo(f"  register: {count} {laag} (bron OpenStreetMap)")
    for notice in result.notices:
        typer.echo(f"  melding: {notice}")
    if result.backup is not None:
        typer.echo(f"  de vorige gegevens staan in {result.backup}")
    typer.echo(f"Bronnen en licenties: {result.folder / 'bronnen.json'}")
    typer.echo(f"Verder: wijkkompas info {result.folder}")
