"""Where every indicator stands: latest value, target, progress status and the series.

Output indicators use the stored measurements (plus the catalogue's base value); outcome
indicators use the loaded RIVM figures (:mod:`geo.monitoring.outcome`). For an indicator
measured per wijk without a gemeente-wide value, a count is the sum over the wijken of each
period. A count *per period* (not cumulative) is only compared with periods of the same kind
as the latest one (years with years, halves with halves), so a half-year is never set against
a whole year.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from geo.model.dataset import Dataset
from geo.monitoring.catalogue import Catalogue, Indicator
from geo.monitoring.outcome import outcome_progress, outcome_series, outcome_target
from geo.monitoring.periods import parse_period
from geo.monitoring.status import COLOURS, UNKNOWN, Progress, progress_status

logger = logging.getLogger(__name__)

STATUS_KEYS = ["indicator", "naam", "laatste_waarde", "periode", "doel", "doeljaar", "status"]
"""The JSON keys of ``wijkkompas monitoring status --json`` other tools rely on."""


def indicator_series(indicator: Indicator, measurements: pd.DataFrame) -> list[dict[str, Any]]:
    """The gemeente-wide series of an output indicator, oldest first.

    Returns
    -------
    list of dict
        ``periode``, ``start`` (years), ``waarde``, ``bron`` — the catalogue's base value
        first when no measurement has its period; ``bron`` says "som van de wijken" when the
        value is the sum of wijk values.
    """
    own = measurements[measurements["indicator"] == indicator.id]
    whole = own[own["gebied"] == ""]
    points: dict[str, dict[str, Any]] = {}
    for row in whole.itertuples():
        points[str(row.periode)] = {
            "periode": str(row.periode),
            "waarde": float(row.waarde),
            "bron": row.bron or indicator.bron,
        }
    if indicator.is_count:
        parts = own[(own["gebied"] != "") & ~own["periode"].isin(list(points))]
        if not parts.empty:
            wijken = parts[parts["gebied"].str.startswith("WK")]
            use = wijken if not wijken.empty else parts
            for periode, group in use.groupby("periode"):
                points[str(periode)] = {
                    "periode": str(periode),
                    "waarde": float(group["waarde"].sum()),
                    "bron": f"som van de {len(group)} gebied(en)",
                }
    if indicator.basis_periode is not None and indicator.basis_waarde is not None:
        points.setdefault(
            indicator.basis_periode,
            {
                "periode": indicator.basis_periode,
                "waarde": indicator.basis_waarde,
                "bron": indicator.basis_bron or indicator.bron,
            },
        )
    series = sorted(points.values(), key=lambda p: parse_period(p["periode"]).start)
    for point in series:
        point["start"] = parse_period(point["periode"]).start
    if not indicator.cumulatief and series:
        kind = _kind(series[-1]["periode"])
        series = [p for p in series if _kind(p["periode"]) == kind]
    return series


def status_rows(
    dataset: Dataset | None, catalogue: Catalogue, measurements: pd.DataFrame
) -> list[dict[str, Any]]:
    """One row per indicator: the :data:`STATUS_KEYS` and more for the dashboard.

    Parameters
    ----------
    dataset
        The loaded dataset (for the outcome indicators); None skips them.
    catalogue
        The indicators.
    measurements
        :meth:`~geo.monitoring.store.MonitoringStore.measurements`.

    Returns
    -------
    list of dict
        ``indicator`` (id), ``naam``, ``laatste_waarde`` (outcome: in % as published),
        ``periode``, ``doel`` (outcome "landelijk": the computed national figure),
        ``doeljaar``, ``status``, and ``hoofddoel``, ``subdoel``, ``eenheid``, ``richting``,
        ``soort``, ``niveau``, ``bron``, ``kleur``, ``uitleg``, ``doel_tekst``, ``reeks``
        (the series: ``periode``, ``waarde``), ``landelijk`` / ``onder_landelijk``
        (outcome only), ``demo``.

    Examples
    --------
    >>> rows = status_rows(utrecht, built_in_catalogue(), store.measurements())  # doctest: +SKIP
    >>> rows[0]["laatste_waarde"], rows[0]["doel"], rows[0]["status"]  # doctest: +SKIP
    (48.9, 47.0, 'achteruitgang')
    """
    rows: list[dict[str, Any]] = []
    for indicator in catalogue:
        if indicator.is_outcome:
            if dataset is None:
                continue
            series = outcome_series(dataset, indicator)
            progress = outcome_progress(indicator, series)
            target = outcome_target(indicator, series)
            row = _row(indicator, series, progress, target)
            last = series[-1] if series else {}
            row["landelijk"] = last.get("landelijk")
            row["reeks_landelijk"] = [
                {"periode": p["periode"], "waarde": p["landelijk"]}
                for p in series
                if p["landelijk"] is not None
            ]
            row["onder_landelijk"] = last.get("onder_landelijk")
            row["doel_tekst"] = (
                f"onder het landelijk gemiddelde in {indicator.doeljaar} (nu "
                f"{_fmt(target)} % landelijk, {last.get('periode', '?')})"
                if indicator.doel == "landelijk"
                else _target_text(indicator)
            )
        else:
            series = indicator_series(indicator, measurements)
            if len(series) >= 2:
                progress = progress_status(
                    (series[0]["start"], series[0]["waarde"]),
                    (series[-1]["start"], series[-1]["waarde"]),
                    richting=indicator.richting,
                    target=(float(indicator.doeljaar), float(indicator.doel))
                    if isinstance(indicator.doel, float) and indicator.doeljaar
                    else None,
                )
            else:
                progress = Progress(UNKNOWN, None, None, "Nog geen twee metingen.")
            target = indicator.doel if isinstance(indicator.doel, float) else None
            row = _row(indicator, series, progress, target)
            row["doel_tekst"] = _target_text(indicator)
        row["demo"] = bool(dataset is not None and dataset.demo)
        rows.append(row)
    logger.info("monitoring: %d indicatoren met status", len(rows))
    return rows


def area_values(
    indicator: Indicator, measurements: pd.DataFrame, *, periode: str | None = None
) -> pd.DataFrame:
    """An indicator's values per wijk/buurt in one period (default: the latest with areas).

    Returns
    -------
    pandas.DataFrame
        ``code``, ``waarde``, ``periode``, ``bron`` (empty when nothing is measured per area).
    """
    own = measurements[(measurements["indicator"] == indicator.id) & (measurements["gebied"] != "")]
    if own.empty:
        return pd.DataFrame(columns=["code", "waarde", "periode", "bron"])
    if periode is None:
        periode = max(own["periode"], key=lambda p: parse_period(p).start)
    part = own[own["periode"] == periode]
    return pd.DataFrame(
        {
            "code": part["gebied"].to_numpy(),
            "waarde": part["waarde"].to_numpy(),
            "periode": periode,
            "bron": part["bron"].to_numpy(),
        }
    )


def lonely_residents(
    dataset: Dataset, *, niveau: str = "wijk", group: str | None = None
) -> pd.Series:
    """Estimated lonely residents per area: the gap analysis' need.

    ``group`` None: all adults (18+ population × the published 18+ rate, by
    :func:`geo.analysis.need.estimate_need` for every focus group summed is not used because
    the groups overlap); a focus group name: that group's ``lonely`` from the need table.
    """
    from geo.analysis.need import estimate_need

    if group is not None:
        need = estimate_need(dataset)
        part = need[(need["niveau"] == niveau) & (need["group"] == group)]
        return pd.Series(part["lonely"].to_numpy(float), index=part["code"].astype(str))
    population = dataset.population()
    adults = (
        population["inwoners"] - population["leeftijd_0_14"] - 0.3 * population["leeftijd_15_24"]
    )
    f = dataset.figures
    latest = dataset.years[-1] if dataset.years else None
    rates = f[
        (f["indicator"] == "Eenzaam")
        & (f["group"] == "18+")
        & (f["year"] == latest)
        & (f["niveau"] == niveau)
    ]
    rate = pd.Series(rates["value"].to_numpy(float), index=rates["code"].astype(str))
    return (adults.reindex(rate.index).astype(float) * rate / 100).dropna()


def reach_ratios(
    dataset: Dataset,
    indicator: Indicator,
    measurements: pd.DataFrame,
    *,
    group: str | None = None,
    periode: str | None = None,
) -> pd.DataFrame:
    """An output per 1,000 estimated lonely residents, per wijk.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``naam``, ``waarde``, ``eenzamen`` (estimated), ``per_1000``, ``periode``;
        ``per_1000`` NaN where the need is unknown or zero.

    Examples
    --------
    10 Welzijn op recept participants in a wijk with 2,000 estimated lonely adults give 5.0.
    """
    values = area_values(indicator, measurements, periode=periode)
    values = values[values["code"].str.startswith("WK")]
    need = lonely_residents(dataset, niveau="wijk", group=group)
    names = dataset.areas.set_index("code")["naam"]
    out = pd.DataFrame(
        {
            "code": values["code"].to_numpy(),
            "naam": names.reindex(values["code"]).to_numpy(),
            "waarde": values["waarde"].to_numpy(float),
            "eenzamen": need.reindex(values["code"]).to_numpy(float),
            "periode": values["periode"].to_numpy(),
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = 1000 * out["waarde"] / out["eenzamen"]
    out["per_1000"] = ratio.where(out["eenzamen"] > 0).round(1)
    return out.sort_values("per_1000", ascending=False, na_position="last").reset_index(drop=True)


def _row(
    indicator: Indicator, series: list[dict[str, Any]], progress: Progress, target: float | None
) -> dict[str, Any]:
    last = series[-1] if series else {}
    return {
        "indicator": indicator.id,
        "naam": indicator.naam,
        "laatste_waarde": last.get("waarde"),
        "periode": last.get("periode"),
        "doel": target,
        "doeljaar": indicator.doeljaar,
        "status": progress.status,
        "hoofddoel": indicator.hoofddoel,
        "subdoel": indicator.subdoel,
        "eenheid": indicator.eenheid,
        "richting": indicator.richting,
        "soort": indicator.soort,
        "niveau": indicator.niveau,
        "bron": last.get("bron") or indicator.bron,
        "kleur": COLOURS[progress.status],
        "uitleg": progress.uitleg,
        "reeks": [{"periode": p["periode"], "waarde": p["waarde"]} for p in series],
    }


def _target_text(indicator: Indicator) -> str:
    if isinstance(indicator.doel, float):
        return f"{_fmt(indicator.doel)} {indicator.eenheid} in {indicator.doeljaar}"
    return "geen doel in het plan (status uit de trend)"


def _kind(periode: str) -> str:
    return "Q" if "Q" in periode else "H" if "H" in periode else "J"


def _fmt(value: object) -> str:
    if value is None:
        return "?"
    return f"{float(value):g}".replace(".", ",")  # type: ignore[arg-type]


def monitoring_overview(dataset: Dataset, data_dir: str | Path) -> dict[str, Any]:
    """Everything the Monitoring page shows, read once: catalogue, store, rows, tables.

    Returns
    -------
    dict
        ``catalogue``, ``store``, ``measurements``, ``notes``, ``rows`` (:func:`status_rows`),
        ``groups`` (rows by ``(hoofddoel, subdoel)``, catalogue order).
    """
    from geo.monitoring.catalogue import catalogue_for
    from geo.monitoring.store import open_monitoring

    catalogue = catalogue_for(data_dir)
    store = open_monitoring(data_dir, areas=dataset.areas)
    measurements = store.measurements()
    rows = status_rows(dataset, catalogue, measurements)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["hoofddoel"], row["subdoel"]), []).append(row)
    return {
        "catalogue": catalogue,
        "store": store,
        "measurements": measurements,
        "notes": store.notes(),
        "rows": rows,
        "groups": groups,
    }
