"""``wijkkompas hiaten`` and ``wijkkompas profiel``: the gap analysis on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from geo.cli._common import (
    AantallenOpt,
    DataArg,
    GemeenteOpt,
    GroepOpt,
    HemelsbreedOpt,
    JaarOpt,
    JsonOpt,
    RelatiefOpt,
    RollatorOpt,
    app,
    echo_json,
    load,
)
from geo.settings import GROUPS


@app.command()
def hiaten(
    data: DataArg = None,
    groep: GroepOpt = "ouderen",
    niveau: Annotated[str, typer.Option("--niveau", help="buurt, wijk of gebied.")] = "buurt",
    gemeente: GemeenteOpt = None,
    jaar: JaarOpt = None,
    aantallen: AantallenOpt = None,
    rollator: RollatorOpt = False,
    hemelsbreed: HemelsbreedOpt = False,
    relatief: RelatiefOpt = False,
    out: Annotated[Path | None, typer.Option("--out", help="Schrijf de tabel als CSV.")] = None,
    as_json: JsonOpt = False,
    top: Annotated[int, typer.Option("--top", help="Aantal rijen in de tekstuitvoer.")] = 15,
    sorteer: Annotated[
        str,
        typer.Option(
            "--sorteer", help="hiaat, eenzaam, ernstig, percentage of ernstig-percentage."
        ),
    ] = "hiaat",
) -> None:
    """Toon waar veel eenzamen van een doelgroep wonen en weinig passend aanbod is."""
    from geo.analysis.pipeline import analyse, summarise_result
    from geo.analysis.transport import scale_text
    from geo.analysis.uncertainty import certainty_sentence, certainty_text
    from geo.errors import DataError
    from geo.present.format import fmt_int, fmt_num
    from geo.settings import GROUP_LABELS, AnalysisSettings

    if groep not in GROUPS:
        raise DataError("onbekende doelgroep.", value=groep, hint=f"kies uit: {', '.join(GROUPS)}.")
    if niveau not in ("buurt", "wijk", "gebied"):
        raise DataError("onbekend niveau.", value=niveau, hint="kies buurt, wijk of gebied.")
    dataset, aanbod = load(data, gemeente)
    if not dataset.has_population and aantallen is None:
        from geo.analysis.populations import no_population_error

        raise no_population_error()  # need and gaps are counts of people: exit 2
    result = analyse(
        dataset,
        aanbod.layers,
        group=groep,
        settings=AnalysisSettings(year=jaar, rollator=rollator, transport_relative=relatief),
        overrides=_overrides(aantallen),
        network=None if hemelsbreed else "auto",
    )
    rows = summarise_result(result, niveau)
    notes = result.notes + aanbod.notices
    if result.need["population_from_percentages"].any():
        notes = [
            "Aantallen per doelgroep zijn geschat uit de hele percentages van CBS/PDOK "
            "(aantal_inwoners × percentage / 100), geen tellingen.",
            *notes,
        ]
    keys = {
        "hiaat": "gap_score",
        "eenzaam": "lonely",
        "ernstig": "severely_lonely",
        "percentage": "lonely_rate",
        "ernstig-percentage": "severely_lonely_rate",
    }
    if sorteer not in keys:
        raise DataError("onbekende sortering.", value=sorteer, hint=f"kies {', '.join(keys)}.")
    if sorteer != "hiaat":
        key = keys[sorteer]
        if niveau == "wijk" and key in ("lonely", "severely_lonely"):
            key = f"{key}_published"  # the RIVM wijk estimate × the wijk's population
        rows = sorted(rows, key=lambda r: -float(r.get(key) or 0))  # type: ignore[arg-type]
    if out is not None:
        _write_csv(rows, out)
    if as_json:
        echo_json(
            {
                "group": groep,
                "niveau": niveau,
                "year": result.year,
                "population_year": result.population_year,
                "demo": dataset.demo,
                "distance_method": result.distance_method,
                "demand_source": result.demand_source,
                "method": result.method,
                "transport_scale": result.transport_scale,
                "rows": rows,
                "buurten_zonder_aanbod": _no_offer(result),
                "notes": notes,
                "certainty_explanation": certainty_sentence(niveau, result.settings),
                **result.offer,
                "time_fit": result.time_fit,
                "language_fit": result.language_fit,
            }
        )
        return
    demo = "  [DEMO — fictieve gegevens]" if dataset.demo else ""
    typer.echo(
        f"Hiaten voor {GROUP_LABELS[groep]} per {niveau} — RIVM {result.year}, "
        f"CBS-bevolking {result.population_year}{demo}"
    )
    for row in rows[:top]:
        typer.echo(
            f"{row['rank']:>3}. {row['naam']} ({row['code']}): hiaatscore "
            f"{fmt_num(row['gap_score'], 0)}, {fmt_int(row['lonely'])} eenzamen; "
            f"{certainty_text(row)}"
        )
        if row.get("lonely_published") is not None:
            typer.echo(
                f"     RIVM-wijkcijfer × bevolking: {fmt_int(row['lonely_published'])} "
                f"eenzaam, {fmt_int(row['severely_lonely_published'])} ernstig eenzaam"
            )
        typer.echo(f"     {row['reason']}")
    typer.echo(certainty_sentence(niveau, result.settings))
    for note in result.offer.get("offer_notes", []):  # type: ignore[attr-defined]
        typer.echo(f"Let op, aanbod: {note}")
    empty = _no_offer(result)
    if empty:
        names = ", ".join(f"{b['naam']} ({fmt_int(b['lonely'])})" for b in empty[:10])
        more = f" en {len(empty) - 10} meer" if len(empty) > 10 else ""
        typer.echo(
            f"Buurten waar niets passends binnen bereik is ({len(empty)}; eenzamen): {names}{more}"
        )
    offer_notes = set(result.offer.get("offer_notes", []))  # type: ignore[call-overload]
    typer.echo(f"Methode: {result.method['description']}")
    typer.echo(str(result.time_fit.get("note", "")))
    typer.echo(f"Vervoersarmoede: {scale_text(result.transport_scale)}")
    for note in notes:
        if note not in offer_notes:
            typer.echo(f"Let op: {note}")
    if out is not None:
        typer.echo(f"Tabel geschreven naar {out}")


def _no_offer(result: Any) -> list[dict[str, Any]]:
    """Buurten with lonely residents and nothing suitable in reach, most lonely first."""
    frame = result.no_offer.sort_values("lonely", ascending=False)
    return [
        {"code": r.code, "naam": r.naam, "lonely": round(float(r.lonely), 1)}
        for r in frame.itertuples()
    ]


def _overrides(path: Path | None) -> Any:
    if path is None:
        return None
    from geo.analysis.populations import read_overrides

    return read_overrides(path)


def _write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    import pandas as pd

    from geo.present.safe_text import neutralise_formula

    frame = pd.DataFrame(rows).map(neutralise_formula)
    frame.to_csv(path, index=False, sep=";", decimal=",", encoding="utf-8-sig")


@app.command()
def profiel(
    data: DataArg = None,
    gebied: Annotated[
        str, typer.Option("--gebied", help="Aandachtsgebied, wijk, buurt of code.")
    ] = "",
    groep: GroepOpt = "ouderen",
    gemeente: GemeenteOpt = None,
    jaar: JaarOpt = None,
    aantallen: AantallenOpt = None,
    rollator: RollatorOpt = False,
    hemelsbreed: HemelsbreedOpt = False,
    relatief: RelatiefOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Alles over één gebied: cijfers tegen gemeente en Nederland, trend, doelgroepen, aanbod."""
    from geo.analysis.pipeline import analyse
    from geo.analysis.profile import area_profile, resolve_area
    from geo.errors import DataError
    from geo.settings import AnalysisSettings

    if not gebied:
        raise DataError("geef een gebied met --gebied.", hint="bijvoorbeeld --gebied Overvecht.")
    dataset, aanbod = load(data, gemeente)
    resolve_area(dataset, gebied)  # an unknown area fails before the analysis runs
    settings = AnalysisSettings(year=jaar, rollator=rollator, transport_relative=relatief)
    result = (
        analyse(
            dataset,
            aanbod.layers,
            group=groep,
            settings=settings,
            overrides=_overrides(aantallen),
            network=None if hemelsbreed else "auto",
        )
        if dataset.has_population or aantallen is not None
        else None  # degrade: the published figures, trend and offer; no need, no gap
    )
    profile = area_profile(
        dataset, aanbod.layers, gebied, group=groep, settings=settings, result=result
    )
    profile["notes"] = [*profile["notes"], *aanbod.notices]  # type: ignore[misc]
    if as_json:
        echo_json(profile)
        return
    _print_profile(profile)


def _print_profile(profile: dict[str, Any]) -> None:
    from geo.present.format import fmt_int, fmt_num, fmt_pct, fmt_pct_interval

    area = profile["area"]
    demo = "  [DEMO — fictieve gegevens]" if area["demo"] else ""
    typer.echo(f"{area['naam']} ({area['kind']}, {len(area['buurten'])} buurten){demo}")
    typer.echo(f"\nEenzaamheid {profile['year']} (gebied / gemeente / Nederland):")
    for row in profile["figures"]:
        note = "" if row["status"] == "gepubliceerd" else f"  ({row['status']})"
        typer.echo(
            f"  {row['label']:<20} {row['group']:<4} "
            f"{fmt_pct_interval(row['value'], row.get('lower'), row.get('upper')):>8} "
            f"{fmt_pct(row['gemeente']):>8} {fmt_pct(row['nederland']):>8}{note}"
        )
    typer.echo(
        "  Bron: "
        + (profile["figures"][0]["source"] or "")
        + ", "
        + (profile["figures"][0].get("vintage") or "")
        if profile["figures"]
        else ""
    )
    typer.echo("\nTrend eenzaam 18+ (95 %-interval; verandering t.o.v. de vorige editie):")
    for t in profile["trend"]:
        change = f"  — {t['change']}" if t.get("change") else ""
        typer.echo(
            f"  {t['year']}: {fmt_pct_interval(t['value'], t.get('lower'), t.get('upper'))}{change}"
        )
    typer.echo(f"Doel 2026: {profile['target']['tekst']}")
    if profile.get("population_missing"):
        offer = profile["offer"]
        counts = ", ".join(f"{k}: {v}" for k, v in offer["by_soort_inside_area"].items() if v)
        typer.echo(
            f"\nAanbod in het gebied ({profile['group_label']}): "
            f"{fmt_int(offer['suitable_inside_area'])} passende activiteiten"
            + (f" ({counts})" if counts else "")
        )
        for note in profile["notes"]:
            typer.echo(f"Let op: {note}")
        return
    typer.echo("\nDoelgroepen:")
    for row in profile["need"]:
        typer.echo(
            f"  {row['label']:<36} {fmt_int(row['population']):>7} inwoners, "
            f"{fmt_int(row['lonely'])} eenzaam ({fmt_pct(row['lonely_rate'])}), "
            f"{fmt_int(row['severely_lonely'])} ernstig"
        )
    gap = profile["gap"]
    if gap:
        typer.echo(
            f"\nHiaat ({profile['group_label']}): score {fmt_num(gap.get('gap_score'), 0)}"
            f", rang {gap.get('rank')}\n  {gap.get('reason')}"
        )
        if gap.get("certainty"):
            from geo.analysis.uncertainty import certainty_text

            label = certainty_text(gap)
            typer.echo(f"  {label[:1].upper()}{label[1:]}. {profile['certainty_explanation']}")
    language = profile.get("language_fit") or {}
    if language.get("sentence"):
        typer.echo(f"Taal: {language['sentence']}.")
    only_other = (profile.get("time_fit") or {}).get("buurten_only_other_times") or []
    if only_other:
        typer.echo(
            "Aanbod binnen bereik, maar niet op de tijden van de doelgroep: "
            + ", ".join(f"{b['naam']} ({b['activiteiten']})" for b in only_other)
        )
    transport = profile["transport"]
    if transport:
        typer.echo(
            f"\nVervoersarmoede-index: {fmt_num(transport.get('index'), 2)} "
            f"(auto's per huishouden {fmt_num(transport.get('autos_per_huishouden'), 1)}; "
            f"{transport.get('scale_text', '')})"
        )
    ov = profile.get("ov_klasse") or {}
    if ov.get("aandelen"):
        shares = ", ".join(f"{k} {fmt_pct(100 * v)}" for k, v in ov["aandelen"].items() if v)
        typer.echo(f"OV-klasse ({ov['dagdeel_label']}): {ov.get('klasse') or '-'} ({shares})")
    nearest = profile["nearest"]
    if nearest.get("welzijn_op_recept"):
        wor = nearest["welzijn_op_recept"]
        typer.echo(
            f"Dichtstbijzijnde Welzijn op recept: {wor['naam']} ({fmt_int(wor['afstand_m'])} m)"
        )
    if profile["no_offer_buurten"]:
        typer.echo(
            "Buurten zonder passend aanbod: "
            + ", ".join(b["naam"] for b in profile["no_offer_buurten"])
        )
    for note in profile["notes"]:
        typer.echo(f"Let op: {note}")
