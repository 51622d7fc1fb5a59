"""``wijkkompas monitoring`` and ``wijkkompas notitie``: indicators and local knowledge."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from geo.cli._common import DataArg, JsonOpt, app, echo_json

if TYPE_CHECKING:
    from geo.model.dataset import Dataset
    from geo.monitoring.catalogue import Catalogue
    from geo.monitoring.store import MonitoringStore

monitoring_app = typer.Typer(
    help="Monitoring van het Uitvoeringsplan: indicatoren, metingen en voortgang.",
    no_args_is_help=True,
)
notitie_app = typer.Typer(
    help="Lokale kennis per buurt, wijk of aandachtsgebied.", no_args_is_help=True
)
app.add_typer(monitoring_app, name="monitoring")
app.add_typer(notitie_app, name="notitie")

DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data", help="Datamap (standaard data/); met WIJKKOMPAS_DATABASE_URL de server."
    ),
]
GebruikerOpt = Annotated[
    str | None,
    typer.Option("--gebruiker", help="Wie invoert (naam in de geschiedenis; standaard $USER)."),
]
VervangOpt = Annotated[
    bool,
    typer.Option(
        "--vervang", help="Vervang een opgeslagen waarde voor dezelfde periode en gebied."
    ),
]


@monitoring_app.command("indicatoren")
def indicators_command(data: DataArg = None, as_json: JsonOpt = False) -> None:
    """De indicatoren van de catalogus (monitoring.toml in de datamap, anders ingebouwd)."""
    catalogue = _catalogue(data)
    if as_json:
        echo_json([i.as_dict() for i in catalogue])
        return
    typer.echo(f"{catalogue.titel or 'Monitoring'}  ({catalogue.bron})")
    current = None
    for item in catalogue:
        if item.subdoel != current:
            current = item.subdoel
            typer.echo(f"\n{current}")
        doel = "" if item.doel is None else f"  doel: {item.doel} in {item.doeljaar}"
        typer.echo(
            f"  {item.id:<36} {item.naam} [{item.eenheid}, {item.niveau}, {item.soort}]{doel}"
        )


@monitoring_app.command("invoer")
def entry_command(
    indicator: Annotated[str, typer.Option("--indicator", help="Id uit 'monitoring indicatoren'.")],
    periode: Annotated[str, typer.Option("--periode", help="2024, 2024H1 of 2024Q3.")],
    waarde: Annotated[str, typer.Option("--waarde", help="De waarde (komma of punt).")],
    gebied: Annotated[
        str | None, typer.Option("--gebied", help="Wijk- of buurtcode; leeg = hele gemeente.")
    ] = None,
    bron: Annotated[
        str | None, typer.Option("--bron", help="Waar het cijfer vandaan komt.")
    ] = None,
    notitie: Annotated[str | None, typer.Option("--notitie", help="Toelichting.")] = None,
    data: DataOpt = None,
    gebruiker: GebruikerOpt = None,
    vervang: VervangOpt = False,
) -> None:
    """Voer één meting in (gecontroleerd; bij een fout wordt niets opgeslagen)."""
    from geo.monitoring.template import measurement_from_input

    dataset, catalogue, store = _context(data)
    result = measurement_from_input(
        catalogue,
        indicator=indicator,
        periode=periode,
        waarde=waarde,
        gebied=gebied,
        bron=bron,
        notitie=notitie,
        area_codes=_codes(dataset),
        gemeente_code=dataset.gemeente_code,
        stored=store.measurements(),
        vervang=vervang,
    )
    result.raise_for_rejected()
    ids = store.add_measurements(result.frame, user=_actor(gebruiker), vervang=vervang)
    row = result.frame.iloc[0]
    typer.echo(
        f"Opgeslagen: {ids[0]} {row['indicator']} {row['periode']}"
        f"{' ' + row['gebied'] if row['gebied'] else ''} = {row['waarde']:g}"
    )


@monitoring_app.command("import")
def import_command(
    bestand: Annotated[Path, typer.Argument(help="Ingevuld sjabloon (.xlsx of .csv).")],
    data: DataOpt = None,
    gebruiker: GebruikerOpt = None,
    vervang: VervangOpt = False,
    rapport: Annotated[
        Path | None, typer.Option("--rapport", help="Schrijf het controlerapport (CSV).")
    ] = None,
) -> None:
    """Importeer metingen uit het sjabloon; één afgewezen rij = niets opgeslagen."""
    from geo.monitoring.template import measurements_from_file

    dataset, catalogue, store = _context(data)
    result = measurements_from_file(
        bestand,
        catalogue,
        area_codes=_codes(dataset),
        gemeente_code=dataset.gemeente_code,
        stored=store.measurements(),
        vervang=vervang,
    )
    if rapport is not None:
        from geo.present.safe_text import neutralise_formula

        safe = result.report.map(neutralise_formula)
        rapport.write_bytes(safe.to_csv(index=False, sep=";").encode("utf-8-sig"))
    for row in result.rejected.itertuples():
        typer.echo(f"  rij {row.rij}, kolom {row.kolom} ('{row.waarde}'): {row.reden}", err=True)
    result.raise_for_rejected()
    ids = store.add_measurements(
        result.frame, user=_actor(gebruiker), vervang=vervang, file=bestand
    )
    typer.echo(f"{len(ids)} meting(en) opgeslagen uit {bestand.name} in {store.location}.")


@monitoring_app.command("status")
def status_command(data: DataArg = None, as_json: JsonOpt = False) -> None:
    """Per indicator: laatste waarde, doel en voortgang (Open SDG-methode)."""
    from geo.monitoring.summary import STATUS_KEYS, status_rows

    dataset, catalogue, store = _context(data)
    rows = status_rows(dataset, catalogue, store.measurements())
    if as_json:
        echo_json(
            [
                {
                    **{k: r[k] for k in STATUS_KEYS},
                    "eenheid": r["eenheid"],
                    "soort": r["soort"],
                    "subdoel": r["subdoel"],
                    "demo": r["demo"],
                }
                for r in rows
            ]
        )
        return
    if dataset.demo:
        typer.echo("[DEMO — fictieve gegevens en voorbeeldmetingen]")
    from geo.present.format import fmt_num

    for r in rows:
        value = r["laatste_waarde"]
        shown = (
            "–"
            if value is None
            else (f"{fmt_num(value, 0 if float(value).is_integer() else 1)} {r['eenheid']}")
        )
        typer.echo(
            f"{r['naam']}: {shown} ({r['periode'] or 'geen meting'}) — {r['status']}; "
            f"doel: {r['doel_tekst']}"
        )


@monitoring_app.command("sjabloon")
def template_command(
    bestand: Annotated[Path, typer.Argument(help="Waar het sjabloon komt (.xlsx of .csv).")] = Path(
        "monitoring_sjabloon.xlsx"
    ),
    data: DataOpt = None,
) -> None:
    """Schrijf het invulsjabloon (Nederlandse kolomkoppen, tabblad met de indicatoren)."""
    from geo.monitoring.template import write_template

    path = write_template(bestand, _catalogue(data))
    typer.echo(f"Sjabloon geschreven: {path}")


@monitoring_app.command("ongedaan")
def undo_command(data: DataOpt = None, gebruiker: GebruikerOpt = None) -> None:
    """Maak de laatste wijziging in metingen of notities ongedaan."""
    from geo.io.folder import resolve_data_dir
    from geo.monitoring.store import open_monitoring

    typer.echo(open_monitoring(resolve_data_dir(data)).undo(user=_actor(gebruiker)))


@monitoring_app.command("kopieer")
def copy_command(
    naar: Annotated[str, typer.Option("--naar", help="postgresql://... of een datamap.")],
    van: Annotated[
        str | None, typer.Option("--van", help="postgresql://... of een datamap (standaard data/).")
    ] = None,
) -> None:
    """Kopieer metingen en notities (met geschiedenis) naar een lege opslag, na 'aanbod kopieer'."""
    from geo.io.folder import resolve_data_dir
    from geo.monitoring.copy import copy_monitoring
    from geo.monitoring.store import open_monitoring

    def store_of(where: str | None) -> MonitoringStore:
        if where is not None and where.startswith(("postgresql://", "postgres://")):
            return open_monitoring(resolve_data_dir(None), database_url=where)
        return open_monitoring(resolve_data_dir(where), database_url="")

    target = store_of(naar)
    counts = copy_monitoring(store_of(van), target)
    typer.echo(
        f"Gekopieerd naar {target.location}: {counts['monitoring_metingen']} meting(en), "
        f"{counts['gebied_notities']} notitie(s), {counts['monitoring_historie']} "
        "geschiedenisregel(s)."
    )


@notitie_app.command("toevoegen")
def note_add_command(
    gebied: Annotated[str, typer.Option("--gebied", help="Wijk-/buurtcode of aandachtsgebied.")],
    tekst: Annotated[str, typer.Option("--tekst", help="Wat je hoorde (max. 2000 tekens).")],
    auteur: Annotated[
        str | None, typer.Option("--auteur", help="Van wie (standaard --gebruiker).")
    ] = None,
    datum: Annotated[
        str | None, typer.Option("--datum", help="jjjj-mm-dd (standaard vandaag).")
    ] = None,
    link: Annotated[
        str | None, typer.Option("--link", help="Verslag of bron (https://...).")
    ] = None,
    data: DataOpt = None,
    gebruiker: GebruikerOpt = None,
) -> None:
    """Bewaar een notitie uit een wijkgesprek of van een partner."""
    from geo.monitoring.notes import note_area

    dataset, _, store = _context(data)
    key = note_area(dataset, gebied)
    ident = store.add_note(
        key, tekst, auteur=auteur, datum=datum, link=link, user=_actor(gebruiker)
    )
    typer.echo(f"Notitie {ident} opgeslagen bij {key}.")


@notitie_app.command("lijst")
def note_list_command(
    gebied: Annotated[str | None, typer.Option("--gebied", help="Alleen dit gebied.")] = None,
    data: DataOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Toon de notities (nieuwste eerst)."""
    from geo.io.folder import resolve_data_dir
    from geo.monitoring.store import open_monitoring

    notes = open_monitoring(resolve_data_dir(data)).notes(gebied=gebied)
    if as_json:
        echo_json(notes.to_dict(orient="records"))
        return
    for row in notes.itertuples():
        typer.echo(f"{row.datum} {row.gebied} ({row.auteur}): {row.tekst}")


def _catalogue(data: Path | None) -> Catalogue:
    from geo.io.folder import resolve_data_dir
    from geo.monitoring.catalogue import catalogue_for

    return catalogue_for(resolve_data_dir(data))


def _context(data: Path | None) -> tuple[Dataset, Catalogue, MonitoringStore]:
    from geo.io.cache import load_dataset_cached
    from geo.io.folder import resolve_data_dir
    from geo.monitoring.catalogue import catalogue_for
    from geo.monitoring.store import open_monitoring

    folder = resolve_data_dir(data)
    dataset = load_dataset_cached(folder)
    return dataset, catalogue_for(folder), open_monitoring(folder, areas=dataset.areas)


def _codes(dataset: Dataset) -> set[str]:
    return set(dataset.areas["code"].astype(str))


def _actor(gebruiker: str | None) -> str | None:
    return gebruiker or os.environ.get("USER") or None
