"""``wijkkompas scenario`` and ``wijkkompas advies``: what-if and recommended locations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from geo.cli._common import (
    DataArg,
    GemeenteOpt,
    GroepOpt,
    HemelsbreedOpt,
    JsonOpt,
    RollatorOpt,
    app,
    echo_json,
    load,
)
from geo.errors import DataError
from geo.settings import GROUPS

SoortOpt = Annotated[
    str, typer.Option("--soort", help="Soort van nieuwe activiteiten (standaard ontmoeting).")
]


def _whatif(
    data: Path | None, gemeente: str | None, groep: str, *, rollator: bool, hemelsbreed: bool
) -> tuple[Any, Any]:
    from geo.analysis.whatif import prepare_whatif
    from geo.settings import AnalysisSettings

    if groep not in GROUPS:
        raise DataError("onbekende doelgroep.", value=groep, hint=f"kies uit: {', '.join(GROUPS)}.")
    dataset, aanbod = load(data, gemeente)
    if not dataset.has_population:
        from geo.analysis.populations import no_population_error

        raise no_population_error()
    whatif = prepare_whatif(
        dataset,
        aanbod.layers,
        group=groep,
        settings=AnalysisSettings(rollator=rollator),
        network=None if hemelsbreed else "auto",
    )
    return dataset, whatif


def parse_new(text: str, *, soort: str) -> Any:
    """``"LON,LAT[,SOORT]"`` -> a new activity (WGS84).

    Examples
    --------
    >>> parse_new("5.12,52.09", soort="ontmoeting").soort
    'ontmoeting'
    """
    from geo.analysis.scenario import NewActivity

    parts = [p.strip() for p in text.split(",")]
    try:
        lon, lat = float(parts[0]), float(parts[1])
    except (IndexError, ValueError):
        raise DataError(
            "--nieuw verwacht lengtegraad,breedtegraad[,soort].",
            value=text,
            hint='bijvoorbeeld --nieuw "5.1214,52.0907,ontmoeting".',
        ) from None
    if len(parts) > 3:
        raise DataError("--nieuw heeft hoogstens drie delen.", value=text)
    return NewActivity(lon, lat, soort=parts[2] if len(parts) == 3 and parts[2] else soort)


def _service_area(path: Path) -> Any:
    import geopandas as gpd
    import shapely

    from geo.analysis.scenario import BuurtmobielArea
    from geo.io.crs import to_rd

    if not path.exists():
        raise DataError("bestand met het Buurtmobiel-werkgebied niet gevonden.", value=str(path))
    from geo.errors import Notices

    frame = to_rd(gpd.read_file(path), source=str(path), notices=Notices())
    if frame.empty:
        raise DataError("het Buurtmobiel-bestand heeft geen vlak.", value=str(path))
    shape = shapely.union_all(frame.geometry.to_numpy())
    naam = str(frame["naam"].iloc[0]) if "naam" in frame else f"Buurtmobiel ({path.stem})"
    return BuurtmobielArea(naam=naam, wkt=shape.wkt)


@app.command()
def scenario(
    data: DataArg = None,
    groep: GroepOpt = "ouderen",
    nieuw: Annotated[
        list[str] | None,
        typer.Option("--nieuw", help='Nieuwe activiteit "LON,LAT[,SOORT]" (herhaalbaar).'),
    ] = None,
    weg: Annotated[
        list[str] | None,
        typer.Option("--weg", help="Id van een activiteit die stopt (herhaalbaar)."),
    ] = None,
    buurtmobiel: Annotated[
        Path | None,
        typer.Option("--buurtmobiel", help="GeoJSON/GeoPackage met een (groter) werkgebied."),
    ] = None,
    soort: SoortOpt = "ontmoeting",
    naam: Annotated[
        str | None, typer.Option("--open", help="Open een opgeslagen scenario (en wijzig het).")
    ] = None,
    opslaan: Annotated[
        str | None, typer.Option("--opslaan", help="Sla het scenario op onder deze naam.")
    ] = None,
    auteur: Annotated[str, typer.Option("--auteur", help="Wie het scenario opslaat.")] = "",
    lijst: Annotated[bool, typer.Option("--lijst", help="Toon de opgeslagen scenario's.")] = False,
    verwijder: Annotated[
        str | None, typer.Option("--verwijder", help="Verwijder een opgeslagen scenario.")
    ] = None,
    niveau: Annotated[str, typer.Option("--niveau", help="buurt, wijk of gebied.")] = "wijk",
    gemeente: GemeenteOpt = None,
    rollator: RollatorOpt = False,
    hemelsbreed: HemelsbreedOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Wat verandert er als er aanbod bijkomt of stopt? Voor en na, per gebied."""
    from geo.analysis.scenario import Scenario
    from geo.analysis.scenario_store import open_scenarios
    from geo.analysis.whatif import compare
    from geo.io.folder import resolve_data_dir

    folder = resolve_data_dir(data)
    if lijst or verwijder:
        store = open_scenarios(folder)
        if verwijder:
            store.delete(verwijder)
            typer.echo(f"Scenario '{verwijder}' verwijderd.")
            return
        stored = store.list()
        if as_json:
            echo_json([_stored_json(s) for s in stored])
            return
        for s in stored:
            typer.echo(
                f"{s.naam}  ({s.groep or 'alle groepen'}; {len(s.nieuw)} nieuw, {len(s.weg)} weg, "
                f"{len(s.buurtmobiel)} Buurtmobiel; {s.auteur or 'onbekend'}, {s.tijd}, "
                f"versie {s.versie})"
            )
        if not stored:
            typer.echo("Nog geen opgeslagen scenario's.")
        return
    if niveau not in ("buurt", "wijk", "gebied"):
        raise DataError("onbekend niveau.", value=niveau, hint="kies buurt, wijk of gebied.")
    dataset, whatif = _whatif(folder, gemeente, groep, rollator=rollator, hemelsbreed=hemelsbreed)
    base = (
        open_scenarios(folder, areas=dataset.areas).get(naam)
        if naam
        else Scenario(opslaan or "scenario", groep=groep)
    )
    changed = base.with_(
        naam=opslaan or base.naam,
        groep=groep,
        nieuw=(*base.nieuw, *(parse_new(t, soort=soort) for t in nieuw or [])),
        weg=(*base.weg, *(weg or [])),
        buurtmobiel=(*base.buurtmobiel, *([_service_area(buurtmobiel)] if buurtmobiel else [])),
    )
    found = compare(whatif, whatif.evaluate(changed))
    if opslaan:
        saved = open_scenarios(folder, areas=dataset.areas).save(changed, auteur=auteur)
        typer.echo(f"Scenario '{saved.naam}' opgeslagen (versie {saved.versie}).", err=as_json)
    rows = found.areas[found.areas["niveau"] == niveau]
    if as_json:
        echo_json(_scenario_json(changed, found, rows, whatif))
        return
    _print_scenario(changed, found, rows, whatif)


def _stored_json(s: Any) -> dict[str, object]:
    return {
        "naam": s.naam,
        "groep": s.groep,
        "auteur": s.auteur,
        "tijd": s.tijd,
        "versie": s.versie,
        **s.changes(),
    }


def _scenario_json(changed: Any, found: Any, rows: Any, whatif: Any) -> dict[str, object]:
    def number(value: object) -> float | None:
        try:
            out = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None
        return None if out != out else round(out, 3)

    return {
        "scenario": changed.naam,
        "group": found.group,
        "distance_method": whatif.method,
        "catchment": whatif.settings.catchment_text(whatif.group, whatif.method),
        "newly_covered_lonely": round(found.newly_covered_lonely, 3),
        "no_longer_covered_lonely": round(found.no_longer_covered_lonely, 3),
        "newly_covered_severely": round(found.newly_covered_severely, 3),
        "changes": changed.changes(),
        "areas": [
            {
                "niveau": r["niveau"],
                "code": r["code"],
                "naam": r["naam"],
                "covered_before": number(r["covered_before"]),
                "covered_after": number(r["covered_after"]),
                "newly_covered": number(r["newly_covered"]),
                "no_longer_covered": number(r["no_longer_covered"]),
                "offer_before": number(r["offer_before"]),
                "offer_after": number(r["offer_after"]),
                "gap_before": number(r["gap_before"]),
                "gap_after": number(r["gap_after"]),
                "rank_before": int(r["rank_before"]),
                "rank_after": int(r["rank_after"]),
            }
            for r in rows.to_dict(orient="records")
        ],
        "source": "RIVM/GGD/CBS Gezondheidsmonitor (eenzaamheid), CBS (bevolking); "
        f"bereik {whatif.method}, jaar {whatif.base.year}",
    }


def _print_scenario(changed: Any, found: Any, rows: Any, whatif: Any) -> None:
    from geo.present.format import fmt_int, fmt_num
    from geo.settings import GROUP_NOUNS

    noun = GROUP_NOUNS[found.group]
    catchment = whatif.settings.catchment_text(whatif.group, whatif.method)
    typer.echo(
        f"Scenario '{changed.naam}': {len(changed.nieuw)} nieuw, {len(changed.weg)} weg, "
        f"{len(changed.buurtmobiel)} Buurtmobiel-gebied(en)"
    )
    typer.echo(
        f"Nieuw bereikt: {fmt_int(found.newly_covered_lonely)} eenzame {noun} "
        f"(waarvan {fmt_int(found.newly_covered_severely)} ernstig eenzaam) binnen {catchment}; "
        f"niet meer bereikt: {fmt_int(found.no_longer_covered_lonely)}"
    )
    typer.echo(f"\n{'gebied':<28} {'bereikt voor → na':>20} {'hiaat voor → na':>18} {'rang':>9}")
    shown = rows.sort_values("newly_covered", ascending=False)
    for r in shown.to_dict(orient="records"):
        typer.echo(
            f"{str(r['naam'])[:28]:<28} "
            f"{fmt_int(r['covered_before']):>9} → {fmt_int(r['covered_after']):<8} "
            f"{fmt_num(r['gap_before'], 0):>7} → {fmt_num(r['gap_after'], 0):<8} "
            f"{r['rank_before']:>3} → {r['rank_after']:<3}"
        )
    typer.echo(
        f"\nBron: RIVM/GGD/CBS Gezondheidsmonitor {whatif.base.year}, CBS; bereik "
        f"{whatif.method}. Wat-als: rangzekerheid en hotspots niet opnieuw berekend."
    )


@app.command()
def advies(
    data: DataArg = None,
    groep: GroepOpt = "ouderen",
    aantal: Annotated[int, typer.Option("--aantal", help="Aantal nieuwe activiteiten (1-10).")] = 3,
    gebied: Annotated[
        str | None,
        typer.Option("--gebied", help="Aandachtsgebied, wijk of buurt (standaard de gemeente)."),
    ] = None,
    soort: SoortOpt = "ontmoeting",
    kandidaten: Annotated[
        str, typer.Option("--kandidaten", help="venues, raster (100 m) of beide.")
    ] = "beide",
    ernstig_gewicht: Annotated[
        float,
        typer.Option(
            "--ernstig-gewicht", help="Gewicht van ernstig eenzamen (1 = gewoon, 2 = dubbel)."
        ),
    ] = 1.0,
    solver: Annotated[str, typer.Option("--solver", help="highs, cbc of greedy.")] = "highs",
    gemeente: GemeenteOpt = None,
    rollator: RollatorOpt = False,
    hemelsbreed: HemelsbreedOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Waar bereiken k nieuwe activiteiten de meeste eenzamen zonder passend aanbod."""
    from geo.analysis.advies import recommend
    from geo.present.format import fmt_int, fmt_num

    _, whatif = _whatif(data, gemeente, groep, rollator=rollator, hemelsbreed=hemelsbreed)
    advice = recommend(
        whatif,
        aantal=aantal,
        gebied=gebied,
        soort=soort,
        kandidaten=kandidaten,  # type: ignore[arg-type]
        severe_weight=ernstig_gewicht,
        solver=solver,  # type: ignore[arg-type]
    )
    if as_json:
        echo_json(advice.as_json())
        return
    typer.echo(
        f"Advies: {len(advice.locations)} nieuwe activiteit(en) ({advice.soort}) in "
        f"{advice.gebied}, {advice.candidates} kandidaten"
    )
    if not advice.locations:
        typer.echo(
            "Geen van de kandidaatplekken in dit gebied bereikt eenzamen van de doelgroep die nu "
            "niets passends binnen de reikwijdte hebben: nieuw aanbod hier verandert de "
            "dekking niet."
        )
    for n, loc in enumerate(advice.locations, start=1):
        typer.echo(f"{n}. {loc.naam} ({loc.code}) {loc.lon:.5f},{loc.lat:.5f} [{loc.kandidaat}]")
        typer.echo(f"   {loc.reason}")
    gap = advice.optimality_gap
    typer.echo(
        f"\nSamen nieuw bereikt: {fmt_int(advice.total_newly_covered)}. Oplosser: {advice.solver}; "
        f"optimaliteitsmarge {fmt_num(100 * gap, 1) + ' %' if gap is not None else 'onbekend'}."
    )
    typer.echo(
        "Plaats ze met: wijkkompas scenario --groep "
        + groep
        + "".join(
            f' --nieuw "{loc.lon:.6f},{loc.lat:.6f},{advice.soort}"' for loc in advice.locations
        )
    )
