"""The ``wijkkompas`` command.

Every command takes a data folder (default ``data/`` or ``$WIJKKOMPAS_DATA``) and
``--gemeente``. Errors in the data are printed in Dutch, without a traceback, with exit code 2.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from geo.errors import DataError
from geo.model.figures import label

app = typer.Typer(
    name="wijkkompas",
    help="Wijkkompas: eenzaamheid, doelgroepen en aanbod per wijk en buurt.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Toon voortgang en details.")
    ] = False,
) -> None:
    """Wijkkompas: eenzaamheid, doelgroepen en aanbod per wijk en buurt."""
    if verbose:
        logging.getLogger("geo").setLevel(logging.INFO)


DataArg = Annotated[
    Path | None,
    typer.Argument(help="Datamap met wijken/ en aanbod/ (standaard: data/ of $WIJKKOMPAS_DATA)."),
]
GemeenteOpt = Annotated[
    str | None, typer.Option("--gemeente", "-g", help="Naam of CBS-code van de gemeente.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Uitvoer als één JSON-object.")]


def echo_json(payload: Any) -> None:
    """Print one JSON object (UTF-8, no ASCII escaping)."""
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


@app.command()
def info(
    data: DataArg = None,
    gemeente: GemeenteOpt = None,
    as_json: JsonOpt = False,
    alle: Annotated[
        bool, typer.Option("--alle", help="Alle indicatoren, niet alleen eenzaamheid.")
    ] = False,
) -> None:
    """Wat staat er in een datamap: gebieden, cijfers, aandachtsgebieden, niet-gekoppelde codes."""
    from geo.io.cache import load_dataset_cached
    from geo.model.summary import summarise

    dataset = load_dataset_cached(data, gemeente=gemeente)
    summary = summarise(dataset, all_indicators=as_json or alle)
    if as_json:
        echo_json(summary)
        return
    _print_info(summary)


def _print_info(summary: dict[str, Any]) -> None:
    title = summary["titel"] + ("  [DEMO — fictieve gegevens]" if summary["demo"] else "")
    typer.echo(f"Dataset: {title}  ({summary['dataset']})")
    gemeente = summary["gemeente"]
    if gemeente["code"]:
        typer.echo(f"Gemeente: {gemeente['naam']} ({gemeente['code']})")
    areas = summary["areas"]
    typer.echo(
        f"Gebieden: {areas['gemeente']} gemeente(n), {areas['wijk']} wijken, "
        f"{areas['buurt']} buurten"
    )
    populations = summary.get("populations") or {}
    typer.echo(
        "Bevolking: "
        + (
            "; ".join(source for _year, source in sorted(populations.items()))
            if populations
            else "geen (alleen gepubliceerde percentages; hiaten hebben bevolkingscijfers nodig)"
        )
    )
    typer.echo("\nCijfers (aantal gebieden met waarde / niet gepubliceerd: gemeente, wijk, buurt)")
    for row in summary["figures"]:
        w, n = row["with_value"], row["not_published"]
        typer.echo(
            f"  {label(row['indicator']):<34} {row['group']:<6} {row['year']}  "
            f"{w['gemeente']}/{n['gemeente']}  {w['wijk']}/{n['wijk']}  {w['buurt']}/{n['buurt']}"
        )
    typer.echo("\nAandachtsgebieden:")
    for gebied in summary["focus_areas"]:
        missing = f" (ontbreekt: {', '.join(gebied['ontbrekend'])})" if gebied["ontbrekend"] else ""
        typer.echo(f"  {gebied['naam']}: {gebied['buurten']} buurten{missing}")
    if not summary["focus_areas"]:
        typer.echo("  (geen; voeg ze toe in gebieden.toml)")
    unmatched = summary["unmatched"]
    typer.echo(f"\nNiet gekoppeld: {len(unmatched)}")
    for row in unmatched[:15]:
        typer.echo(f"  {row['code']} ({row['niveau']}): {row['reden']}")
    if len(unmatched) > 15:
        typer.echo(f"  ... en {len(unmatched) - 15} meer (zie --json)")
    if summary["notices"]:
        typer.echo("\nMeldingen:")
        for notice in summary["notices"]:
            typer.echo(f"  - {notice}")


from geo import (  # noqa: E402,F401  (registers the subcommands)
    cli_aanbod,
    cli_analysis,
    cli_database,
    cli_export,
    cli_fetch,
    cli_gebruiker,
    cli_monitoring,
    cli_scenario,
)


def main() -> None:
    """Entry point of the console script: run the CLI, turning DataError into a Dutch message."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except DataError as exc:
        typer.echo(f"Fout: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    # Run through the imported module so that subcommands registered on geo.cli.app count.
    from geo.cli import main as _main

    _main()
