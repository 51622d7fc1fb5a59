"""Gaps: where many lonely people of a focus group have little suitable offer within reach.

Per buurt and group:

* ``reference`` = all suitable capacity in the gemeente / all lonely residents of the group —
  the offer every lonely resident would have if the offer were spread evenly;
* ``served_share`` = min(1, access / reference);
* ``unserved`` = lonely × (1 − served_share): lonely residents for whom, proportionally, no
  suitable offer is within reach;
* ``gap_score`` = unserved × (1 + w × transport-poverty index), w from the settings;
* ``rank`` 1 = largest gap.

Larger units (wijk, focus area, gemeente) sum people (lonely, unserved, gap score) and
recompute rates and the offer per 1,000 lonely residents from the summed people.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.analysis.timefit import missing_dagdelen_text
from geo.present.format import fmt_int, fmt_num, fmt_pct
from geo.settings import ELDERLY, GROUP_NOUNS, AnalysisSettings


def score_gaps(
    buurten: pd.DataFrame, *, group: str, settings: AnalysisSettings = AnalysisSettings()
) -> pd.DataFrame:
    """Add ``served_share``, ``unserved``, ``gap_score``, ``rank`` and ``reason`` to buurt rows.

    Parameters
    ----------
    buurten
        One row per buurt with ``lonely``, ``severely_lonely``, ``access``, ``capacity_total``
        (all suitable capacity in the gemeente, same on every row), ``reachable``,
        ``reachable_ontmoeting``, ``catchment_m``, ``buurtmobiel``, ``autos_per_huishouden``,
        ``afstand_ov_m``, ``transport_index``, ``rate_from``, ``unreliable``.

    Returns
    -------
    pandas.DataFrame
        A copy with the gap columns.

    Examples
    --------
    >>> scored = score_gaps(frame, group="ouderen")  # doctest: +SKIP
    """
    out = buurten.copy()
    lonely = out["lonely"].fillna(0)
    total_lonely = lonely.sum()
    capacity = float(out["capacity_total"].iloc[0]) if len(out) else 0.0
    reference = capacity / total_lonely if total_lonely > 0 else 0.0
    # NaN access (a buurt without a shape: reach unknown) stays NaN down to the gap score
    if reference > 0:
        served = (out["access"] / reference).clip(upper=1.0)
    else:
        served = out["access"] * 0.0
    out["reference_offer"] = reference * 1000
    out["served_share"] = served
    out["unserved"] = lonely * (1 - served)
    transport = out["transport_index"].fillna(0)
    out["gap_score"] = out["unserved"] * (1 + settings.transport_weight_in_gap * transport)
    out["rank"] = _rank(out["gap_score"])
    reason_input = out[[c for c in REASON_COLUMNS if c in out.columns]]
    out["reason"] = [
        buurt_reason(row, group=group, min_group_size=settings.min_group_size, settings=settings)
        for row in reason_input.to_dict(orient="records")
    ]
    return out


REASON_COLUMNS = [
    "lonely",
    "population",
    "severely_lonely",
    "rate_from",
    "catchment_m",
    "reachable",
    "access",
    "reachable_offer",
    "reachable_ontmoeting",
    "buurtmobiel",
    "autos_per_huishouden",
    "afstand_ov_m",
    "unreliable",
    "covered_lonely",
    "catchment_text",
    "demand_points",
    "reachable_other_times",
    "reachable_time_unknown",
    "reachable_no_ov",
]
"""The columns a buurt's reason is built from."""


def _rank(score: pd.Series) -> pd.Series:
    """1 = largest; unknown scores (NaN) last."""
    return score.rank(ascending=False, method="min", na_option="bottom").astype(int)


def buurt_reason(
    row: dict[str, object],
    *,
    group: str,
    min_group_size: int = 50,
    settings: AnalysisSettings | None = None,
) -> str:
    """A plain Dutch reason for a buurt's gap, built from its components.

    Missing or NaN components are left out of the text (never an error). With the time fit
    (:mod:`geo.analysis.timefit`), activities in reach at other dagdelen only are named:
    ``3 activiteiten binnen 500 m, geen in de avond of het weekend``.

    Examples
    --------
    >>> buurt_reason({"lonely": 1240, "severely_lonely": 223, "population": 2500,
    ...               "reachable": 0, "reachable_ontmoeting": 0, "catchment_m": 500,
    ...               "buurtmobiel": "", "autos_per_huishouden": 0.5}, group="ouderen")
    ... # doctest: +NORMALIZE_WHITESPACE
    '1.240 eenzame 65-plussers, 9 % ernstig; geen passend aanbod binnen 500 m;
    geen Buurtmobiel; 0,5 auto per huishouden'
    """
    noun = GROUP_NOUNS[group]
    settings = AnalysisSettings() if settings is None else settings
    parts = []
    lonely = _num(row.get("lonely"))
    population = _num(row.get("population"))
    severe = _num(row.get("severely_lonely"))
    severe_pct = 100 * severe / population if population else float("nan")
    first = f"{fmt_int(lonely)} eenzame {noun}"
    if np.isfinite(severe_pct):
        first += f", {fmt_pct(severe_pct, 0)} ernstig"
    rate_from = str(row.get("rate_from") or "")
    if rate_from.startswith(("wijk", "gemeente")):
        first += f" (cijfer van de {rate_from.split(' ')[0]}: buurt niet gepubliceerd)"
    parts.append(first)
    catchment = str(row.get("catchment_text") or f"{fmt_int(_num(row.get('catchment_m')))} m")
    reachable = _whole(row.get("reachable"))
    other_times = _whole(row.get("reachable_other_times"))
    when = missing_dagdelen_text(group, settings)
    if "access" in row and not np.isfinite(_num(row["access"])):
        parts.append("ligging onbekend (geen vorm in de grenzenkaart): bereik niet berekend")
    elif reachable == 0 and other_times:
        parts.append(
            f"{other_times} activiteit{'en' if other_times != 1 else ''} binnen {catchment}, "
            f"geen {when}"
        )
    elif reachable == 0:
        parts.append(f"geen passend aanbod binnen {catchment}")
    else:
        offer = _num(row.get("reachable_offer"))
        parts.append(
            f"{reachable} passende activiteit{'en' if reachable != 1 else ''} binnen "
            f"{catchment} ({fmt_num(offer, 0)} plaatsen per 1.000 eenzamen)"
        )
        covered = _num(row.get("covered_lonely"))
        if np.isfinite(covered) and (_num(row.get("demand_points")) > 1 or covered < lonely):
            parts.append(covered_text(covered, lonely, noun, catchment))
        if _whole(row.get("reachable_ontmoeting")) == 0:
            parts.append(f"geen ontmoetingsplek binnen {catchment}")
        unknown = _whole(row.get("reachable_time_unknown"))
        if unknown:
            parts.append(
                f"van {unknown} zijn de tijden onbekend (telt voor "
                f"{fmt_num(settings.time_fit_unknown_weight, 1)})"
            )
        no_ov = _whole(row.get("reachable_no_ov"))
        if no_ov:
            parts.append(f"bij {no_ov} rijdt op die tijden geen OV in de buurt")
        if other_times:
            parts.append(f"nog {other_times} op andere tijden (niet {when})")
    if group in ELDERLY:
        service = str(row.get("buurtmobiel") or "")
        parts.append(f"{service} rijdt hier" if service else "geen Buurtmobiel")
    cars = _num(row.get("autos_per_huishouden"))
    if np.isfinite(cars):
        parts.append(f"{fmt_num(cars, 1)} auto per huishouden")
    stop = _num(row.get("afstand_ov_m"))
    if np.isfinite(stop) and stop > 500:
        parts.append(f"OV-halte op {fmt_int(stop)} m")
    if row.get("unreliable"):
        parts.append(f"kleine groep (minder dan {min_group_size}): onzeker")
    return "; ".join(parts)


def covered_text(covered: float, lonely: float, noun: str, catchment: str) -> str:
    """The coverage sentence: at least one suitable activity within reach, no capacity shared.

    Examples
    --------
    >>> text = covered_text(612, 1616, "alleenstaande ouderen", "10 minuten lopen")
    >>> text == ("612 van de 1.616 eenzame alleenstaande ouderen wonen binnen 10 minuten "
    ...          "lopen van passend aanbod")
    True
    """
    verb = "woont" if round(lonely) == 1 else "wonen"
    return (
        f"{fmt_int(covered)} van de {fmt_int(lonely)} eenzame {noun} {verb} binnen "
        f"{catchment} van passend aanbod"
    )


def _whole(value: object) -> int:
    """A count from a cell: 0 when missing or NaN (never ``int(nan)``)."""
    number = _num(value)
    return int(number) if np.isfinite(number) else 0


def _num(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return float("nan")


def aggregate_gaps(
    buurten: pd.DataFrame,
    members: dict[str, list[str]],
    *,
    niveau: str,
    names: dict[str, str],
    group: str,
    min_group_size: int = 50,
) -> pd.DataFrame:
    """Sum buurt gaps into wijken, focus areas or the gemeente; rates from summed people.

    One grouped sum over a (unit, buurt) membership table, so a buurt may belong to several
    units (overlapping focus areas) and 3,000 wijken take well under a second.

    Parameters
    ----------
    buurten
        Scored buurt rows (:func:`score_gaps`).
    members
        Unit code or name -> its buurt codes. Units without scored buurten are left out.
    niveau
        Level label of the units (``wijk``, ``gebied``, ``gemeente``).
    names
        Unit -> display name.
    group
        The focus group (for the reason text).
    min_group_size
        Units with fewer residents in the group are flagged ``unreliable``.

    Returns
    -------
    pandas.DataFrame
        Per unit: ``population``, ``lonely``, ``severely_lonely``, ``lonely_rate``,
        ``severely_lonely_rate``, ``unserved``, ``gap_score``, ``reachable_offer`` (per 1,000
        lonely residents, from summed access × lonely over buurten with a shape),
        ``transport_index`` (weighted by lonely residents), ``buurten``,
        ``buurten_zonder_aanbod``, ``buurten_zonder_vorm``, ``fallback_buurten``,
        ``unreliable``, ``catchment_m``, ``rank`` and ``reason``.

    Examples
    --------
    >>> wijken = aggregate_gaps(scored, {"WK034403": codes}, niveau="wijk",
    ...                         names={"WK034403": "Overvecht"}, group="ouderen")
    ... # doctest: +SKIP
    """
    membership = pd.DataFrame(
        [(unit, code) for unit, codes in members.items() for code in codes],
        columns=["unit", "code"],
    )
    part = membership.merge(buurten, on="code", how="inner")
    if part.empty:
        return pd.DataFrame()
    lonely = part["lonely"].fillna(0)
    located = part["access"].notna()
    transport = part["transport_index"].fillna(0)
    work = pd.DataFrame(
        {
            "unit": part["unit"],
            "population": part["population"],
            "lonely": lonely,
            "severely_lonely": part["severely_lonely"],
            "unserved": part["unserved"],
            "gap_score": part["gap_score"],
            "located_lonely": lonely.where(located, 0.0),
            "access_lonely": (part["access"] * lonely).where(located, 0.0),
            "transport_lonely": transport * lonely,
            "transport": transport,
            "buurten": 1,
            "buurten_zonder_aanbod": ((part["reachable"] == 0) & located).astype(int),
            "buurten_zonder_vorm": (~located).astype(int),
            "fallback_buurten": (~part["rate_from"].astype(str).str.startswith("buurt")).astype(
                int
            ),
            "catchment_m": part["catchment_m"],
            "covered_lonely": part["covered_lonely"] if "covered_lonely" in part else np.nan,
        }
    )
    grouped = work.groupby("unit", sort=False)
    sums = grouped.sum(numeric_only=True)
    out = sums[
        ["population", "lonely", "severely_lonely", "unserved", "gap_score", "covered_lonely"]
    ].copy()
    population = out["population"].where(out["population"] > 0)
    out["lonely_rate"] = 100 * out["lonely"] / population
    out["severely_lonely_rate"] = 100 * out["severely_lonely"] / population
    out["reachable_offer"] = (
        1000 * sums["access_lonely"] / sums["located_lonely"].where(sums["located_lonely"] > 0)
    )
    out["transport_index"] = np.where(
        sums["lonely"] > 0,
        sums["transport_lonely"] / sums["lonely"].where(sums["lonely"] > 0, 1.0),
        grouped["transport"].mean(),
    )
    for column in ("buurten", "buurten_zonder_aanbod", "buurten_zonder_vorm", "fallback_buurten"):
        out[column] = sums[column].astype(int)
    out["unreliable"] = out["population"] < min_group_size
    out["catchment_m"] = grouped["catchment_m"].min().astype(float)
    if "catchment_text" in part:  # the text of the smallest catchment, as catchment_m
        smallest = part.sort_values("catchment_m", kind="stable").groupby("unit", sort=False)
        out["catchment_text"] = smallest["catchment_text"].first()
    out = out.reindex([unit for unit in members if unit in out.index])
    out.insert(0, "group", group)
    out.insert(0, "niveau", niveau)
    out.insert(0, "naam", [names.get(unit, unit) for unit in out.index])
    out.insert(0, "code", out.index.to_numpy())
    out = out.reset_index(drop=True)
    out["rank"] = _rank(out["gap_score"])
    out["reason"] = [unit_reason(row, group=group) for row in out.to_dict(orient="records")]
    return out


def unit_reason(row: dict[str, object], *, group: str) -> str:
    """A plain Dutch reason for a wijk's, focus area's or gemeente's gap."""
    noun = GROUP_NOUNS[group]
    parts = [
        f"{fmt_int(_num(row['lonely']))} eenzame {noun} ({fmt_pct(_num(row['lonely_rate']))}),"
        f" {fmt_pct(_num(row['severely_lonely_rate']))} ernstig eenzaam"
    ]
    empty = _whole(row.get("buurten_zonder_aanbod"))
    total = _whole(row.get("buurten"))
    parts.append(
        f"{fmt_int(_num(row['unserved']))} van hen zonder (naar verhouding) "
        "passend aanbod in de buurt"
    )
    catchment = str(row.get("catchment_text") or f"{fmt_int(_num(row['catchment_m']))} m")
    if empty:
        parts.append(f"in {empty} van de {total} buurten niets passends binnen {catchment}")
    covered = _num(row.get("covered_lonely"))
    if np.isfinite(covered):
        parts.append(covered_text(covered, _num(row["lonely"]), noun, catchment))
    parts.append(f"{fmt_num(_num(row['reachable_offer']), 0)} plaatsen per 1.000 eenzamen")
    if _whole(row.get("fallback_buurten")):
        parts.append(f"{row['fallback_buurten']} buurt(en) met het cijfer van de wijk")
    if _whole(row.get("buurten_zonder_vorm")):
        parts.append(f"{row['buurten_zonder_vorm']} buurt(en) zonder vorm: bereik onbekend")
    return "; ".join(parts)
