"""``wijkkompas export`` and ``wijkkompas rapport``: layers for planners, the wijkpropositie."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from geo.cli._common import (
    DataArg,
    GemeenteOpt,
    app,
    load,
)
from geo.settings import GROUPS

FORMATS_HELP = "gpkg, geojson, csv, xlsx of html"


@app.command()
def export(
    data: DataArg = None,
    formaat: Annotated[
        str, typer.Option("--formaat", "-f", help=f"Bestandsformaat: {FORMATS_HELP}.")
    ] = "gpkg",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Doelbestand; bij geojson en csv een map of een .zip-bestand."
        ),
    ] = None,
    gemeente: GemeenteOpt = None,
    lagen: Annotated[
        list[str] | None,
        typer.Option(
            "--lagen",
            "-l",
            help="Alleen deze lagen (herhaal de optie of scheid met komma's); zie --toon-lagen.",
        ),
    ] = None,
    groep: Annotated[
        list[str] | None,
        typer.Option(
            "--groep",
            help=f"Doelgroep(en) voor de hiatenlagen: {', '.join(GROUPS)} (standaard: alle).",
        ),
    ] = None,
    zonder_hiaten: Annotated[
        bool, typer.Option("--zonder-hiaten", help="Geen hiatenanalyse (sneller).")
    ] = False,
    decimaalkomma: Annotated[
        bool,
        typer.Option("--decimaalkomma", help="CSV met ; en decimale komma (Nederlandse Excel)."),
    ] = False,
    jaar: Annotated[
        int | None, typer.Option("--jaar", help="RIVM-jaar (standaard het laatste).")
    ] = None,
    toon_lagen: Annotated[
        bool, typer.Option("--toon-lagen", help="Toon de beschikbare lagen en stop.")
    ] = False,
    gebied: Annotated[
        str | None,
        typer.Option(
            "--gebied", help="Alleen dit aandachtsgebied, deze wijk of buurt (naam of CBS-code)."
        ),
    ] = None,
    geen_onderdrukking: Annotated[
        bool,
        typer.Option(
            "--geen-onderdrukking",
            help="Exacte aantallen, ook onder de 50 inwoners (alleen intern gebruik; staat in de "
            "metadata). Standaard worden kleine aantallen weggelaten en afgerond op 5.",
        ),
    ] = False,
) -> None:
    """Exporteer kaartlagen met bronnen: GeoPackage (QGIS-stijlen), GeoJSON, CSV, Excel, HTML."""
    from geo.analysis.profile import resolve_area
    from geo.errors import DataError
    from geo.export import FORMATS, collect_layers, restrict_to_area, write_export

    if formaat.lower() not in FORMATS:
        raise DataError("onbekend exportformaat.", value=formaat, hint=f"kies uit: {FORMATS_HELP}.")
    if out is None and not toon_lagen:
        raise DataError("geef een doel met --out.", hint="bijvoorbeeld --out wijkkompas.gpkg.")
    groups = _groups(groep)
    dataset, aanbod = load(data, gemeente)
    if gebied:
        resolve_area(dataset, gebied)  # an unknown area fails before the analysis runs
    results = [] if zonder_hiaten else _analyses(dataset, aanbod, groups, jaar)
    wanted = _split(lagen)
    bundle = collect_layers(dataset, aanbod, results, year=jaar, suppress=not geen_onderdrukking)
    if gebied:
        bundle = restrict_to_area(bundle, dataset, gebied)
    if toon_lagen:
        for name, meta in bundle.meta.items():
            typer.echo(f"{name:<36} {meta.title} ({len(bundle.layers[name])} rijen)")
        return
    bundle = bundle.select(wanted)
    assert out is not None  # checked above
    path = write_export(bundle, out, formaat, decimal_comma=decimaalkomma)
    demo = "  [DEMO — fictieve gegevens]" if dataset.demo else ""
    typer.echo(f"Export ({FORMATS[formaat.lower()][0]}) geschreven naar {path}{demo}")
    typer.echo(
        "Lagen: " + ", ".join(f"{name} ({len(frame)})" for name, frame in bundle.layers.items())
    )
    typer.echo("Bronnen, jaren en grensindelingen staan in de metadata van de export.")
    typer.echo(f"Kleine aantallen: {bundle.suppression}.")
    for note in bundle.notes:
        typer.echo(f"Let op: {note}")


@app.command()
def rapport(
    data: DataArg = None,
    gebied: Annotated[
        str, typer.Option("--gebied", help="Aandachtsgebied, wijk of buurt (naam of CBS-code).")
    ] = "",
    groep: Annotated[
        str, typer.Option("--groep", help=f"Doelgroep: {', '.join(GROUPS)}.")
    ] = "ouderen",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Doelbestand: .pdf of .html.")
    ] = None,
    gemeente: GemeenteOpt = None,
    jaar: Annotated[
        int | None, typer.Option("--jaar", help="RIVM-jaar (standaard het laatste).")
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option("--scenario", help="Neem een opgeslagen scenario op (voor/na, kaart)."),
    ] = None,
) -> None:
    """Maak een wijkpropositie (PDF of HTML) voor een gebied en een doelgroep."""
    from geo.analysis.profile import resolve_area
    from geo.errors import DataError
    from geo.report import build_report, write_report
    from geo.settings import AnalysisSettings

    if not gebied:
        raise DataError("geef een gebied met --gebied.", hint="bijvoorbeeld --gebied Overvecht.")
    if groep not in GROUPS:
        raise DataError("onbekende doelgroep.", value=groep, hint=f"kies uit: {', '.join(GROUPS)}.")
    if out is None or out.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise DataError(
            "geef een doelbestand dat eindigt op .pdf of .html met --out.",
            value=str(out) if out is not None else None,
            hint="bijvoorbeeld --out overvecht.pdf.",
        )
    dataset, aanbod = load(data, gemeente)
    resolve_area(dataset, gebied)  # an unknown area fails before the analysis runs
    report = build_report(
        dataset,
        aanbod.layers,
        gebied,
        group=groep,
        settings=AnalysisSettings(year=jaar),
        notices=aanbod.notices,
        local_notes=_local_notes(dataset),
        scenario=_stored_scenario(data, dataset, scenario),
    )
    path = write_report(report, out)
    demo = "  [DEMO — fictieve gegevens]" if dataset.demo else ""
    typer.echo(f"{report.title} ({groep}) geschreven naar {path}{demo}")


def _stored_scenario(data: Path | None, dataset: Any, naam: str | None) -> Any:
    """A stored scenario of the folder's register (None without ``--scenario``)."""
    if not naam:
        return None
    from geo.analysis.scenario_store import open_scenarios
    from geo.io.folder import resolve_data_dir

    return open_scenarios(resolve_data_dir(data), areas=dataset.areas).get(naam)


def _local_notes(dataset: Any) -> Any:
    """The notes of the dataset's monitoring store ("Wat we horen in de wijk")."""
    from geo.monitoring.store import open_monitoring

    return open_monitoring(dataset.path).notes()


def _analyses(dataset: Any, aanbod: Any, groups: list[str], jaar: int | None) -> list[Any]:
    from geo.analysis.pipeline import analyse
    from geo.settings import AnalysisSettings

    settings = AnalysisSettings(year=jaar)
    return [analyse(dataset, aanbod.layers, group=g, settings=settings) for g in groups]


def _groups(values: list[str] | None) -> list[str]:
    from geo.errors import DataError

    groups = _split(values) or list(GROUPS)
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise DataError(
            "onbekende doelgroep.", value=", ".join(unknown), hint=f"kies uit: {', '.join(GROUPS)}."
        )
    return list(dict.fromkeys(groups))


def _split(values: list[str] | None) -> list[str] | None:
    """``["a,b", "c"]`` -> ``["a", "b", "c"]``; None when nothing was given."""
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]
