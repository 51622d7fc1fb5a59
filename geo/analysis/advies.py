"""Recommended locations: where k new activities reach the most lonely residents with nothing.

A maximal covering location problem (MCLP; Church & ReVelle 1974) on the demand points of
the cached analysis (:class:`~geo.analysis.whatif.WhatIf`): choose k candidate places so that
the lonely residents of the focus group *newly covered* — their demand point has no suitable
activity within its catchment today and would have one of the new ones — are as many as
possible. "Covered" is the analysis's own notion (``covered_lonely``), so placing the chosen
places with a scenario gives exactly the number claimed here.

The existing offer is fixed: it enters the model as one predefined facility (PySAL
``spopt.locate.MCLP``, ``predefined_facilities_arr``) that covers the demand points it covers
today. The model is built with spopt's :class:`~spopt.locate.base.FacilityModelBuilder`
(variables, the k-facilities and predefined constraints, the objective) and its coverage
constraints sparsely (spopt's own constructors loop over a dense demand × candidate matrix,
too slow for 10,000 × 2,000), after two exact reductions: demand points with the same set of
covering candidates are merged (weights summed) and candidates that cover nobody new are
dropped. It is solved by HiGHS (``highspy`` through PuLP) or PuLP's CBC; the optimality gap
is the solver's. When no solver is available or it finds no solution, the greedy algorithm
(each step the place that adds most) gives a solution within ``1 − 1/e`` of the optimum
(Nemhauser, Wolsey & Fisher 1978); its stated gap is the tighter a-posteriori bound
``OPT ≤ f(S_i) + the k largest marginal gains at S_i`` (minimum over the greedy steps).

Candidates: existing venues (every located row of the activiteiten layer — buurthuizen,
bibliotheken, gebedshuizen, scholen, wijkinformatiepunten from partner files or OSM), and/or
the centres of a regular grid (100 m) over the buurten where the group lives, inside the area.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.profile import resolve_area
from geo.analysis.reach import has_shape
from geo.analysis.scenario import SCENARIO_SOORT, NewActivity, Scenario
from geo.analysis.whatif import WhatIf
from geo.errors import DataError
from geo.present.format import fmt_int
from geo.settings import GROUP_NOUNS

logger = logging.getLogger(__name__)

KANDIDATEN = ("venues", "raster", "beide")
"""Candidate sets: existing venues, a regular grid over residential land, or both."""

SOLVERS = ("highs", "cbc", "greedy")


@dataclass(frozen=True)
class Location:
    """One recommended place (WGS84 ``lon``/``lat``; ``code``/``naam`` of its buurt)."""

    lon: float
    lat: float
    code: str
    naam: str
    newly_covered_lonely: float
    newly_covered_severely: float
    reason: str
    kandidaat: str
    """``venue: <naam>`` or ``raster``."""

    def as_activity(self, soort: str = SCENARIO_SOORT) -> NewActivity:
        """The place as a new activity of a scenario."""
        return NewActivity(self.lon, self.lat, soort=soort, naam=f"Advies: {self.naam}")


@dataclass
class Recommendation:
    """The result of :func:`recommend`."""

    group: str
    gebied: str
    soort: str
    locations: list[Location]
    total_newly_covered: float
    solver: str
    optimality_gap: float | None
    objective_bound: float | None
    candidates: int
    demand_points: int
    seconds: float
    figures: dict[str, object] = field(default_factory=dict)
    """The solver's own figures (status, nodes, model size, times)."""

    def scenario(self, naam: str = "advies") -> Scenario:
        """The recommended places as a scenario."""
        activities = tuple(loc.as_activity(self.soort) for loc in self.locations)
        return Scenario(naam=naam, groep=self.group, nieuw=activities)

    def as_json(self) -> dict[str, object]:
        """The JSON of ``wijkkompas advies --json``."""
        return {
            "group": self.group,
            "gebied": self.gebied,
            "soort": self.soort,
            "locations": [
                {
                    "lon": round(loc.lon, 6),
                    "lat": round(loc.lat, 6),
                    "code": loc.code,
                    "naam": loc.naam,
                    "newly_covered_lonely": round(loc.newly_covered_lonely, 3),
                    "newly_covered_severely": round(loc.newly_covered_severely, 3),
                    "reason": loc.reason,
                }
                for loc in self.locations
            ],
            "total_newly_covered": round(self.total_newly_covered, 3),
            "solver": self.solver,
            "optimality_gap": self.optimality_gap,
            "candidates": self.candidates,
            "demand_points": self.demand_points,
            "solver_figures": self.figures,
        }


def recommend(
    whatif: WhatIf,
    *,
    aantal: int,
    gebied: str | None = None,
    soort: str = SCENARIO_SOORT,
    kandidaten: Literal["venues", "raster", "beide"] = "beide",
    severe_weight: float = 1.0,
    solver: Literal["highs", "cbc", "greedy"] = "highs",
    raster_m: float = 100.0,
    time_limit_s: float = 60.0,
    candidate_xy: np.ndarray | None = None,
) -> Recommendation:
    """The k places for new activities that newly cover the most lonely residents.

    Parameters
    ----------
    whatif
        The cached analysis of the focus group (:func:`~geo.analysis.whatif.prepare_whatif`).
    aantal
        k, 1 to 10.
    gebied
        Focus area, wijk or buurt (name or code) the places must lie in; None = the gemeente.
    soort
        Soort of the new activities (must count for the group).
    kandidaten
        ``venues``, ``raster`` or ``beide``.
    severe_weight
        Weight of a severely lonely resident in the objective (1 = like every lonely
        resident; 2 = counts twice). The reported numbers stay plain counts.
    solver
        ``highs`` (default), ``cbc`` or ``greedy``; a MILP solver that fails falls back to greedy.
    raster_m
        Grid spacing of ``raster`` candidates.
    time_limit_s
        Time limit of the MILP solver.
    candidate_xy
        Own candidate places (RD, shape (n, 2)) instead of ``kandidaten`` (tests, notebooks).

    Returns
    -------
    Recommendation

    Raises
    ------
    DataError
        k outside 1..10, an unknown area, soort or candidate set, or no candidates.

    Examples
    --------
    >>> advice = recommend(whatif, aantal=3, gebied="Overvecht")  # doctest: +SKIP
    >>> advice.locations[0].reason  # doctest: +SKIP
    'Hier: 214 eenzame alleenstaande ouderen binnen 10 minuten lopen die nu ...'
    """
    started = time.perf_counter()
    if not 1 <= aantal <= 10:
        raise DataError("vraag 1 tot 10 nieuwe activiteiten.", value=aantal)
    if kandidaten not in KANDIDATEN:
        raise DataError(
            "onbekende kandidaten.", value=kandidaten, hint="kies venues, raster of beide."
        )
    if solver not in SOLVERS:
        raise DataError("onbekende solver.", value=solver, hint="kies highs, cbc of greedy.")
    if severe_weight < 1:
        raise DataError(
            "het gewicht van ernstig eenzamen moet minstens 1 zijn.", value=severe_weight
        )
    NewActivity(0.0, 0.0, soort=soort)  # checks the soort
    from geo.aanbod.schema import GROUP_SOORTEN

    if soort not in GROUP_SOORTEN[whatif.group]:
        raise DataError(
            f"de soort '{soort}' telt niet als passend aanbod voor deze doelgroep.",
            value=soort,
            hint=f"kies uit: {', '.join(GROUP_SOORTEN[whatif.group])}.",
        )
    area_name, area_shape, area_codes = _area(whatif, gebied)
    if candidate_xy is None:
        cand_xy, labels = candidates(
            whatif, area_shape, area_codes, kandidaten=kandidaten, raster_m=raster_m
        )
    else:
        cand_xy = np.asarray(candidate_xy, dtype=float).reshape(-1, 2)
        labels = np.full(len(cand_xy), "eigen", dtype=object)
    cand_xy = on_wgs84_grid(cand_xy)
    if len(cand_xy) == 0:
        raise DataError(
            f"geen kandidaatplekken in {area_name}.",
            value=kandidaten,
            hint="kies kandidaten 'raster' of 'beide', of een groter gebied.",
        )
    open_rows = np.flatnonzero(~whatif.covered & (whatif.demand > 0))
    d, s, _ = whatif.pairs_to(cand_xy, rows=open_rows)
    weight = whatif.demand + (severe_weight - 1.0) * whatif.severe
    chosen, value, figures = solve_mclp(
        d,
        s,
        weight,
        len(cand_xy),
        aantal,
        solver=solver,
        time_limit_s=time_limit_s,
        existing=float(weight[whatif.covered].sum()),
    )
    locations, total = _locations(whatif, cand_xy, labels, chosen, d, s, area_name)
    seconds = time.perf_counter() - started
    logger.info(
        "advies %s in %s: %d kandidaten, %d plekken, %s nieuw bereikt (%s, %.2f s)",
        whatif.group,
        area_name,
        len(cand_xy),
        len(locations),
        round(total),
        figures["solver"],
        seconds,
    )
    return Recommendation(
        group=whatif.group,
        gebied=area_name,
        soort=soort,
        locations=locations,
        total_newly_covered=total,
        solver=str(figures["solver"]),
        optimality_gap=figures.get("optimality_gap"),  # type: ignore[arg-type]
        objective_bound=figures.get("objective_bound"),  # type: ignore[arg-type]
        candidates=len(cand_xy),
        demand_points=len(whatif.points.xy),
        seconds=seconds,
        figures=figures,
    )


def on_wgs84_grid(xy: np.ndarray) -> np.ndarray:
    """RD places moved to the nearest 6-decimal WGS84 point (≈ 0.1 m).

    A place reported as lon/lat and placed again then lands exactly where it was evaluated.
    """
    if len(xy) == 0:
        return xy
    lonlat = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:28992").to_crs(
        "EPSG:4326"
    )
    back = gpd.GeoSeries(
        gpd.points_from_xy(lonlat.x.round(6), lonlat.y.round(6)), crs="EPSG:4326"
    ).to_crs("EPSG:28992")
    return np.column_stack([back.x.to_numpy(), back.y.to_numpy()])


def candidates(
    whatif: WhatIf,
    area: shapely.Geometry,
    area_codes: list[str],
    *,
    kandidaten: str = "beide",
    raster_m: float = 100.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate places (RD) inside the area, and a label per place (``venue: naam``/``raster``).

    Venues: every located row of the activiteiten layer (one per distinct place). Raster: the
    centres of a regular grid inside the area's buurten where people of the group live.
    """
    parts: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    if kandidaten in ("venues", "beide"):
        venues = whatif.layers["activiteiten"]
        venues = venues[has_shape(venues)]
        if len(venues):
            inside = venues[venues.geometry.within(area).to_numpy()]
            xy = np.column_stack([inside.geometry.x, inside.geometry.y]).round(1)
            _, first = np.unique(xy, axis=0, return_index=True)
            first = np.sort(first)
            parts.append(xy[first])
            labels.append(
                np.array([f"venue: {n}" for n in inside["naam"].iloc[first]], dtype=object)
            )
    if kandidaten in ("raster", "beide"):
        buurten = whatif.base.buurten
        living = buurten[
            buurten["code"].isin(area_codes).to_numpy()
            & (pd.to_numeric(buurten["population"], errors="coerce").fillna(0) > 0).to_numpy()
            & has_shape(buurten)
        ]
        if len(living):
            land = shapely.intersection(shapely.union_all(living.geometry.to_numpy()), area)
            xmin, ymin, xmax, ymax = land.bounds
            xs = np.arange(math.floor(xmin / raster_m) * raster_m + raster_m / 2, xmax, raster_m)
            ys = np.arange(math.floor(ymin / raster_m) * raster_m + raster_m / 2, ymax, raster_m)
            gx, gy = np.meshgrid(xs, ys)
            grid = np.column_stack([gx.ravel(), gy.ravel()])
            shapely.prepare(land)
            inside = shapely.contains_xy(land, grid[:, 0], grid[:, 1])
            parts.append(grid[inside])
            labels.append(np.full(int(inside.sum()), "raster", dtype=object))
    if not parts:
        return np.empty((0, 2)), np.array([], dtype=object)
    return np.concatenate(parts), np.concatenate(labels)


def solve_mclp(
    demand_idx: np.ndarray,
    cand_idx: np.ndarray,
    weight: np.ndarray,
    n_candidates: int,
    k: int,
    *,
    solver: str = "highs",
    time_limit_s: float = 60.0,
    existing: float = 0.0,
) -> tuple[list[int], float, dict[str, object]]:
    """Choose at most k candidates that maximise the weight of newly covered demand points.

    Parameters
    ----------
    demand_idx, cand_idx
        The coverage pairs: demand point ``demand_idx[n]`` (not covered today) is covered by
        candidate ``cand_idx[n]``.
    weight
        Weight per demand point (indexed by ``demand_idx`` values).
    n_candidates
        Number of candidates (``cand_idx`` < n_candidates).
    k
        Number of new places.
    solver
        ``highs``, ``cbc`` or ``greedy``.
    existing
        Weight already covered by the existing offer (the predefined facility's clients).

    Returns
    -------
    chosen, value, figures
        Candidate indices (best first by their share), the newly covered weight, and the
        solver's figures (``solver``, ``optimality_gap``, ``objective_bound``, ``status``,
        sizes and times).

    Examples
    --------
    >>> solve_mclp(np.array([0, 1, 1, 2]), np.array([0, 0, 1, 1]), np.array([5.0, 1.0, 2.0]),
    ...            2, 1)[:2]
    ([0], 6.0)
    """
    rows, cols, w, sizes = _reduce(demand_idx, cand_idx, weight, n_candidates)
    rows, cols = _undominated(rows, cols)
    sizes["candidates_undominated"] = int(len(np.unique(cols)))
    useful = np.unique(cols)
    if len(useful) <= k:
        chosen = [int(c) for c in useful]
        return (
            _ordered(chosen, rows, cols, w),
            float(w.sum()),
            {
                "solver": "exact (na reductie niet meer dan k kandidaten nodig)",
                "optimality_gap": 0.0,
                "objective_bound": float(w.sum()),
                "status": "Optimal",
                **sizes,
            },
        )
    figures: dict[str, object] = dict(sizes)
    if solver != "greedy":
        try:
            chosen, value, milp = _milp(rows, cols, w, k, solver, time_limit_s, existing)
            figures.update(milp)
            return _ordered(chosen, rows, cols, w), value, figures
        except _SolverFailed as exc:
            logger.warning("MILP-solver %s mislukt (%s): greedy", solver, exc)
            figures["fallback_reason"] = str(exc)
    chosen, value, bound = greedy_mclp(rows, cols, w, k)
    gap = 0.0 if bound <= 0 else max(0.0, (bound - value) / bound)
    figures.update(
        solver="greedy",
        optimality_gap=round(gap, 6),
        objective_bound=bound,
        guarantee="greedy >= (1 - 1/e) x optimum; optimality_gap = a-posteriori bound",
        status="Feasible",
    )
    return chosen, value, figures


def greedy_mclp(
    rows: np.ndarray, cols: np.ndarray, weight: np.ndarray, k: int
) -> tuple[list[int], float, float]:
    """Greedy maximal covering: k steps, each the candidate that adds most.

    Returns
    -------
    chosen, value, bound
        The candidates in the order chosen, the covered weight, and an upper bound of the
        optimum: min over steps of ``f(S_i) + sum of the k largest marginal gains at S_i``
        (submodularity), never above ``value / (1 - 1/e)``.
    """
    n_rows = int(rows.max()) + 1 if len(rows) else 0
    n_cols = int(cols.max()) + 1 if len(cols) else 0
    covered = np.zeros(n_rows, dtype=bool)
    chosen: list[int] = []
    value = 0.0
    bound = math.inf
    for _ in range(k + 1):
        open_pair = ~covered[rows]
        gains = np.bincount(cols[open_pair], weights=weight[rows[open_pair]], minlength=n_cols)
        if chosen:
            gains[chosen] = 0.0
        top = np.sort(gains)[::-1][:k].sum()
        bound = min(bound, value + float(top))
        if len(chosen) == k or not gains.any():
            break
        best = int(np.argmax(gains))
        chosen.append(best)
        value += float(gains[best])
        covered[rows[cols == best]] = True
    bound = min(bound, value / (1 - 1 / math.e)) if value > 0 else bound
    return chosen, value, max(bound, value) if math.isfinite(bound) else value


class _SolverFailed(RuntimeError):
    pass


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Send what native code writes to file descriptor 1 to stderr for a while."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (some test runners)
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _undominated(rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop candidates whose covered rows are a subset of another candidate's (exact).

    Some optimal solution uses only undominated candidates (swap a dominated one for the one
    that dominates it: nothing is lost). Of equal sets the lowest index stays.
    """
    if len(cols) == 0:
        return rows, cols
    from scipy import sparse

    n_rows, n_cols = int(rows.max()) + 1, int(cols.max()) + 1
    cover = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(n_rows, n_cols)
    )
    size = np.asarray(cover.sum(axis=0)).ravel()
    overlap = (cover.T @ cover).tocoo()
    i, j, shared = overlap.row, overlap.col, overlap.data
    dominated_by = (
        (i != j) & (shared == size[j]) & ((size[i] > size[j]) | ((size[i] == size[j]) & (i < j)))
    )
    dominated = np.zeros(n_cols, dtype=bool)
    dominated[j[dominated_by]] = True
    keep = ~dominated[cols]
    return rows[keep], cols[keep]


def _reduce(
    demand_idx: np.ndarray, cand_idx: np.ndarray, weight: np.ndarray, n_candidates: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, object]]:
    """Merge demand points with the same covering candidates; drop zero-weight points.

    Returns compact ``rows`` (0..r-1), ``cols`` (original candidate index), row weights, and
    the sizes before and after.
    """
    keep = weight[demand_idx] > 0
    d, c = demand_idx[keep], cand_idx[keep]
    pair = np.unique(np.column_stack([d, c]), axis=0) if len(d) else np.empty((0, 2), dtype=int)
    d, c = pair[:, 0], pair[:, 1]
    points, point_of_pair = np.unique(d, return_inverse=True)
    # a signature per point: its sorted candidate list (pairs are sorted by point, candidate)
    starts = np.flatnonzero(np.r_[True, point_of_pair[1:] != point_of_pair[:-1]])
    groups = np.split(c, starts[1:]) if len(c) else []
    signature = pd.Series([g.tobytes() for g in groups])
    row_of_point, _ = pd.factorize(signature)
    row_weight = np.bincount(
        row_of_point,
        weights=weight[points],
        minlength=row_of_point.max() + 1 if len(row_of_point) else 0,
    )
    first = pd.Series(np.arange(len(points))).groupby(row_of_point).first().to_numpy()
    rows = (
        np.concatenate([np.full(len(groups[p]), r) for r, p in enumerate(first)])
        if len(first)
        else np.array([], dtype=int)
    )
    cols = np.concatenate([groups[p] for p in first]) if len(first) else np.array([], dtype=int)
    sizes: dict[str, object] = {
        "demand_points_open": int(len(points)),
        "demand_rows": int(len(first)),
        "candidates_in_model": int(len(np.unique(cols))),
        "candidates": int(n_candidates),
        "coverage_pairs": int(len(cols)),
    }
    return rows.astype(int), cols.astype(int), row_weight.astype(float), sizes


def _milp(
    rows: np.ndarray,
    cols: np.ndarray,
    weight: np.ndarray,
    k: int,
    solver: str,
    time_limit_s: float,
    existing: float,
) -> tuple[list[int], float, dict[str, object]]:
    import pulp
    from spopt.locate import MCLP
    from spopt.locate.base import FacilityModelBuilder

    started = time.perf_counter()
    facilities = np.unique(cols)
    n_fac = len(facilities) + 1  # the last facility: the existing offer, fixed
    n_rows = len(weight) + 1  # the last client: residents the existing offer covers today
    model = pulp.LpProblem("wijkkompas_mclp", pulp.LpMaximize)
    mclp = MCLP("wijkkompas_mclp", model)
    FacilityModelBuilder.add_facility_integer_variable(mclp, range(n_fac), "x[{i}]")
    FacilityModelBuilder.add_client_integer_variable(mclp, range(n_rows), "y[{i}]")
    mclp.p_facilities = k + 1
    FacilityModelBuilder.add_facility_constraint(mclp, k + 1)
    predefined = np.zeros(n_fac, dtype=int)
    predefined[-1] = 1
    FacilityModelBuilder.add_predefined_facility_constraint(mclp, predefined)
    x, y = mclp.fac_vars, mclp.cli_vars
    order = np.argsort(rows, kind="stable")
    sorted_rows = rows[order]
    starts: np.ndarray = (
        np.flatnonzero(np.r_[True, sorted_rows[1:] != sorted_rows[:-1]])
        if len(rows)
        else np.array([], dtype=int)
    )
    bounds = [*np.asarray(starts).tolist(), len(rows)]
    column_vars = [x[p] for p in np.searchsorted(facilities, cols[order]).tolist()]
    row_ids = sorted_rows[np.asarray(starts, dtype=int)].tolist()
    for n, row in enumerate(row_ids):
        terms = column_vars[bounds[n] : bounds[n + 1]]
        expr = pulp.LpAffineExpression([(v, 1) for v in terms] + [(y[row], -1)])
        model.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintGE, f"c{row}", 0))
    model += y[n_rows - 1] <= x[n_fac - 1]
    objective = [float(weight[i]) * y[i] for i in range(len(weight))]
    model += pulp.lpSum([*objective, existing * y[n_rows - 1]]), "objective function"
    built = time.perf_counter() - started
    if solver == "highs":
        engine = pulp.HiGHS(msg=False, timeLimit=time_limit_s, gapRel=0.0)
    else:
        engine = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit_s, gapRel=0.0)
    if not engine.available():
        raise _SolverFailed(f"{solver} niet beschikbaar")
    try:
        with _quiet_stdout():  # highspy prints its banner on stdout (it would break --json)
            mclp.solve(engine, results=False)
    except Exception as exc:  # spopt raises on infeasible / not solved; pulp on solver errors
        raise _SolverFailed(str(exc)) from exc
    status = pulp.LpStatus[model.status]
    chosen = [int(facilities[j]) for j in range(n_fac - 1) if (x[j].value() or 0) > 0.5]
    covered_rows = np.zeros(len(weight), dtype=bool)
    covered_rows[rows[np.isin(cols, chosen)]] = True
    value = float(weight[covered_rows].sum())
    figures: dict[str, object] = {
        "solver": "HiGHS (highspy) via PuLP, model spopt MCLP"
        if solver == "highs"
        else "CBC via PuLP, model spopt MCLP",
        "status": status,
        "build_seconds": round(built, 3),
        "variables": n_fac + n_rows,
        "constraints": len(model.constraints),
    }
    highs = getattr(model, "solverModel", None)
    if solver == "highs" and highs is not None:
        info = highs.getInfo()
        # PuLP hands HiGHS the maximisation as a minimisation of minus the objective
        bound = abs(float(info.mip_dual_bound)) - existing
        figures.update(
            optimality_gap=round(max(0.0, float(info.mip_gap)), 6) if value > 0 else 0.0,
            objective_bound=round(bound, 6),
            nodes=int(info.mip_node_count),
            solve_seconds=round(float(highs.getRunTime()), 3),
        )
    else:
        figures.update(
            optimality_gap=0.0 if status == "Optimal" else None,
            objective_bound=value if status == "Optimal" else None,
            solve_seconds=round(float(model.solutionTime or 0.0), 3),
        )
    if status not in ("Optimal",) and not chosen:
        raise _SolverFailed(f"status {status}")
    return chosen, value, figures


def _ordered(chosen: list[int], rows: np.ndarray, cols: np.ndarray, w: np.ndarray) -> list[int]:
    """The chosen candidates, each next the one that adds most to those before it."""
    left = list(chosen)
    covered = np.zeros(len(w), dtype=bool)
    out = []
    while left:
        gains = [
            float(w[np.unique(rows[cols == c])][~covered[np.unique(rows[cols == c])]].sum())
            for c in left
        ]
        best = left.pop(int(np.argmax(gains)))
        out.append(best)
        covered[rows[cols == best]] = True
    return out


def _area(whatif: WhatIf, gebied: str | None) -> tuple[str, shapely.Geometry, list[str]]:
    buurten = whatif.buurten
    if gebied is None or not gebied.strip():
        codes = buurten["code"].astype(str).tolist()
        name = (
            str(whatif.base.gemeente["naam"].iloc[0]) if len(whatif.base.gemeente) else "gemeente"
        )
    else:
        area = resolve_area(whatif.dataset, gebied)
        codes = list(area.buurten)
        name = area.naam
    shapes = buurten[buurten["code"].isin(codes).to_numpy() & has_shape(buurten)]
    if shapes.empty:
        raise DataError("dit gebied heeft geen buurten met een vorm.", value=gebied)
    return name, shapely.union_all(shapes.geometry.to_numpy()), codes


def _locations(
    whatif: WhatIf,
    cand_xy: np.ndarray,
    labels: np.ndarray,
    chosen: list[int],
    d: np.ndarray,
    s: np.ndarray,
    area_name: str,
) -> tuple[list[Location], float]:
    covered = np.zeros(len(whatif.points.xy), dtype=bool)
    out = []
    lonlat = gpd.GeoSeries(
        gpd.points_from_xy(cand_xy[chosen, 0], cand_xy[chosen, 1]) if chosen else [],
        crs="EPSG:28992",
    ).to_crs("EPSG:4326")
    buurten = whatif.buurten
    noun = GROUP_NOUNS[whatif.group]
    catchment = whatif.settings.catchment_text(whatif.group, whatif.method)
    total = 0.0
    for n, c in enumerate(chosen):
        points = np.unique(d[s == c])
        new = points[~covered[points]]
        if not (whatif.demand[new] > 0).any():
            continue  # adds nobody (the others already reach its residents)
        covered[new] = True
        lonely = float(whatif.demand[new].sum())
        severe = float(whatif.severe[new].sum())
        total += lonely
        point = shapely.Point(cand_xy[c])
        inside = buurten[buurten.geometry.contains(point).to_numpy()]
        code = str(inside["code"].iloc[0]) if len(inside) else ""
        naam = str(inside["naam"].iloc[0]) if len(inside) else area_name
        out.append(
            Location(
                lon=round(float(lonlat.x.iloc[n]), 6),
                lat=round(float(lonlat.y.iloc[n]), 6),
                code=code,
                naam=naam,
                newly_covered_lonely=lonely,
                newly_covered_severely=severe,
                reason=reason_text(lonely, severe, noun, catchment),
                kandidaat=str(labels[c]),
            )
        )
    return out, float(whatif.demand[covered].sum())


def reason_text(lonely: float, severe: float, noun: str, catchment: str) -> str:
    """Why a place is recommended, in Dutch.

    Examples
    --------
    >>> text = reason_text(214.2, 58.4, "alleenstaande ouderen", "10 minuten lopen")
    >>> text[:64]
    'Hier: 214 eenzame alleenstaande ouderen binnen 10 minuten lopen '
    >>> text[64:]
    'die nu niets passends hebben (waarvan 58 ernstig eenzaam)'
    """
    return (
        f"Hier: {fmt_int(lonely)} eenzame {noun} binnen {catchment} die nu niets passends "
        f"hebben (waarvan {fmt_int(severe)} ernstig eenzaam)"
    )
