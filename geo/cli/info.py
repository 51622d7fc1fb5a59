"""``wijkkompas info``: what a data folder holds."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from geo.cli._common import DataArg, GemeenteOpt, JsonOpt, app, echo_json
from geo.model.figures import label


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
