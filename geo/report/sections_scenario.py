"""The wijkpropositie's section on a scenario: before/after figures, a map and the reasons."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np

from geo.analysis.advies import reason_text
from geo.analysis.scenario import Scenario
from geo.analysis.whatif import WhatIf, compare
from geo.present.format import fmt_int, fmt_num
from geo.report.charts import area_map
from geo.report.document import Bullets, Image, Paragraph, Section, Table
from geo.settings import GROUP_NOUNS


def scenario_section(
    whatif: WhatIf, scenario: Scenario, area_codes: Sequence[str], area_name: str
) -> Section:
    """What a stored scenario would change in the area, for the report's focus group.

    Parameters
    ----------
    whatif
        The cached analysis of the report's focus group.
    scenario
        The scenario (e.g. from :func:`geo.analysis.scenario_store.open_scenarios`).
    area_codes, area_name
        The report's area: its buurt codes and name.
    """
    outcome = whatif.evaluate(scenario)
    found = compare(whatif, outcome)
    noun = GROUP_NOUNS[whatif.group]
    catchment = whatif.settings.catchment_text(whatif.group, whatif.method)
    buurten = found.areas[found.areas["niveau"] == "buurt"]
    inside = buurten[buurten["code"].isin(list(area_codes))]
    source = (
        f"Bron: RIVM/GGD/CBS Gezondheidsmonitor {whatif.base.year}, CBS-bevolking "
        f"{whatif.base.population_year}; bereik {whatif.method} ({catchment}); scenario "
        f"'{scenario.naam}'"
        + (f" van {scenario.auteur}, {scenario.tijd}" if scenario.auteur else "")
    )
    blocks: list[Paragraph | Bullets | Table | Image] = [
        Paragraph(
            f"Scenario '{scenario.naam}': {len(scenario.nieuw)} nieuwe activiteit(en), "
            f"{len(scenario.weg)} die stoppen, {len(scenario.buurtmobiel)} Buurtmobiel-gebied(en). "
            f"Daarmee hebben {fmt_int(found.newly_covered_lonely)} eenzame {noun} in de hele "
            f"gemeente (waarvan {fmt_int(float(inside['newly_covered'].sum()))} in {area_name}) "
            f"nieuw passend aanbod binnen {catchment}; "
            f"{fmt_int(found.no_longer_covered_lonely)} niet meer."
        )
    ]
    reasons = _reasons(whatif, scenario, noun, catchment)
    if reasons:
        blocks.append(Bullets(tuple(reasons)))
    rows = inside.sort_values("newly_covered", ascending=False)
    blocks.append(
        Table(
            headers=("Buurt", "Bereikt voor", "na", "Hiaat voor", "na", "Rang voor", "na"),
            rows=tuple(
                (
                    str(r["naam"]),
                    fmt_int(r["covered_before"]),
                    fmt_int(r["covered_after"]),
                    fmt_num(r["gap_before"], 0),
                    fmt_num(r["gap_after"], 0),
                    str(r["rank_before"]),
                    str(r["rank_after"]),
                )
                for r in rows.to_dict(orient="records")
            ),
            widths=(3, 1.2, 1, 1.2, 1, 1, 1),
            numeric=(False, True, True, True, True, True, True),
            caption=source + ". Bereikt = eenzamen binnen de reikwijdte van passend aanbod.",
        )
    )
    frame = outcome.result.buurten[["code", "naam", "geometry"]].copy()
    frame["nieuw_bereikt"] = frame["code"].map(buurten.set_index("code")["newly_covered"])
    new = _new_points(scenario)
    blocks.append(
        Image(
            png=area_map(
                frame,
                list(area_codes),
                value="nieuw_bereikt",
                value_label=f"Eenzame {noun} nieuw bereikt",
                aanbod=new,
                note=source,
            ),
            caption=f"Eenzame {noun} die met het scenario nieuw passend aanbod hebben, per "
            "buurt; de nieuwe activiteiten als punten. " + source,
            alt=f"Kaart van {area_name}: nieuw bereikte eenzamen per buurt en de nieuwe "
            "activiteiten van het scenario.",
        )
    )
    return Section(key="scenario", title=f"Scenario: {scenario.naam}", blocks=tuple(blocks))


def _new_points(scenario: Scenario) -> gpd.GeoDataFrame | None:
    if not scenario.nieuw:
        return None
    return gpd.GeoDataFrame(
        {"soort": [a.soort for a in scenario.nieuw], "naam": [a.naam for a in scenario.nieuw]},
        geometry=gpd.points_from_xy(
            [a.lon for a in scenario.nieuw], [a.lat for a in scenario.nieuw]
        ),
        crs="EPSG:4326",
    ).to_crs("EPSG:28992")


def _reasons(whatif: WhatIf, scenario: Scenario, noun: str, catchment: str) -> list[str]:
    points = _new_points(scenario)
    if points is None:
        return []
    out = []
    for n, (activity, geometry) in enumerate(zip(scenario.nieuw, points.geometry, strict=True), 1):
        d, _, _ = whatif.pairs_to(np.array([[geometry.x, geometry.y]]))
        new = np.unique(d[~whatif.covered[d]])
        label = activity.naam or f"Nieuwe activiteit {n}"
        text = reason_text(
            float(whatif.demand[new].sum()), float(whatif.severe[new].sum()), noun, catchment
        )
        out.append(f"{label} ({activity.soort}): {text}.")
    return out
