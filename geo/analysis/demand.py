"""Demand where people live: demand points inside each buurt, weighted by residents.

A buurt of a kilometre across does not live at its centroid. Per buurt the best available
source gives its demand points:

1. ``vierkanten`` — CBS 100 m squares (:mod:`geo.io.vierkanten`) clipped to the buurt: one
   point per piece of square (its representative point), counts × the piece's share of the
   square's area. Secret squares (CBS publishes a negative number) get the part of the
   buurt total (kwb) that the published squares leave, spread by area;
2. ``adressen`` — BAG verblijfsobjecten with a woonfunctie (:mod:`geo.io.adressen`): one
   point per dwelling, equal weights;
3. ``buurtmiddelpunt`` — one point guaranteed inside the buurt (as before this module).

A focus group's people in a buurt are spread over its points by the best available weight:
the group's own age band in the squares (65+ for the elderly groups, 15-24 and 25-44 with
the settings' shares for young adults), else the residents, else equal per point. The parts
of a buurt add up to the buurt total exactly (the last point takes the total minus the
others), so summing points back to buurt, wijk or focus area changes no total.

A data folder may hold the files in ``bevolking/`` (:data:`DEMAND_DIR`); they are
recognised by their columns, not their names.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.errors import DataError, Notices
from geo.io._tabular import read_table
from geo.io.adressen import ADDRESS_SUFFIXES, addresses_from_file, is_addresses
from geo.io.vierkanten import SQUARE_SUFFIXES, is_squares, squares_from_file
from geo.settings import ELDERLY, AnalysisSettings

logger = logging.getLogger(__name__)

DEMAND_DIR = "bevolking"
"""Folder of a dataset that may hold CBS 100 m squares and/or BAG address points."""

DEMAND_SOURCES = ("vierkanten", "adressen", "buurtmiddelpunt")
"""How demand points were made, best first (the ``demand_source`` of every output)."""

DEMAND_LABELS = {
    "vierkanten": "CBS-vierkanten van 100 m",
    "adressen": "BAG-adressen (woningen)",
    "buurtmiddelpunt": "één punt per buurt",
}
"""Dutch description of each demand source (legend, report, export metadata)."""

COUNT_COLUMNS = (
    "inwoners",
    "leeftijd_0_14",
    "leeftijd_15_24",
    "leeftijd_25_44",
    "leeftijd_45_64",
    "leeftijd_65_plus",
    "huishoudens",
    "eenpersoonshuishoudens",
)


@dataclass(frozen=True)
class PopulationFiles:
    """What a data folder's ``bevolking/`` holds: squares, addresses, and what to tell."""

    squares: gpd.GeoDataFrame | None = None
    addresses: gpd.GeoDataFrame | None = None
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DemandPoints:
    """Demand points of the buurten, with the weights to spread a group over them.

    Attributes
    ----------
    xy
        ``(m, 2)`` coordinates in EPSG:28992 (NaN for a buurt without a shape).
    buurt
        ``(m,)`` position of each point's buurt in the buurten frame.
    weights
        Per point the counts it carries (``inwoners``, ``leeftijd_65_plus``…, NaN where
        unknown); address and centroid points carry ``woningen`` = 1.
    method
        ``(m,)`` how each point was made: ``vierkanten``, ``adressen``, ``buurtmiddelpunt``.
    n_buurten
        Number of buurten (points are grouped by position ``0 .. n_buurten - 1``).
    source
        The files used (for notes and metadata).
    """

    xy: np.ndarray
    buurt: np.ndarray
    weights: pd.DataFrame
    method: np.ndarray
    n_buurten: int
    source: str = "buurtgrenzen"

    @property
    def demand_source(self) -> str:
        """The best source used for any buurt (``vierkanten`` > ``adressen`` > centroid)."""
        present = set(self.method.tolist())
        return next((s for s in DEMAND_SOURCES if s in present), "buurtmiddelpunt")

    def buurt_method(self) -> np.ndarray:
        """The demand source of each buurt."""
        out = np.full(self.n_buurten, "buurtmiddelpunt", dtype=object)
        out[self.buurt] = self.method
        return out

    def counts(self) -> dict[str, int]:
        """Buurten per demand source (for the notes)."""
        values, counts = np.unique(self.buurt_method().astype(str), return_counts=True)
        return {str(v): int(c) for v, c in zip(values, counts, strict=True)}

    def shares(self, group: str, settings: AnalysisSettings = AnalysisSettings()) -> np.ndarray:
        """Each point's share of its buurt's people of ``group`` (the shares of a buurt sum to 1).

        The group's age band where every point of the buurt has it, else the residents, else
        equal per point.
        """
        candidates = [_group_weight(self.weights, group, settings)]
        if "inwoners" in self.weights:
            candidates.append(self.weights["inwoners"].to_numpy(dtype=float))
        chosen = np.full(len(self.buurt), np.nan)
        open_buurt = np.ones(self.n_buurten, dtype=bool)
        for weight in candidates:
            if weight is None:
                continue
            missing = np.bincount(
                self.buurt, weights=(~np.isfinite(weight)).astype(float), minlength=self.n_buurten
            )
            total = np.bincount(
                self.buurt, weights=np.nan_to_num(weight, nan=0.0), minlength=self.n_buurten
            )
            usable = open_buurt & (missing == 0) & (total > 0)
            take = usable[self.buurt]
            chosen[take] = weight[take] / total[self.buurt][take]
            open_buurt &= ~usable
        points = np.bincount(self.buurt, minlength=self.n_buurten).astype(float)
        equal = open_buurt[self.buurt]
        chosen[equal] = 1.0 / points[self.buurt][equal]
        return chosen

    def spread(
        self, totals: np.ndarray, group: str, settings: AnalysisSettings = AnalysisSettings()
    ) -> np.ndarray:
        """The buurt totals of ``group`` spread over the points; per buurt they add up exactly.

        Examples
        --------
        >>> points = demand_points_from(buurten)  # doctest: +SKIP
        >>> points.spread(np.array([120.0, 7.5]), "ouderen")  # doctest: +SKIP
        """
        totals = np.asarray(totals, dtype=float)
        share = self.shares(group, settings)
        parts = totals[self.buurt] * share
        n = self.n_buurten
        # the last point of a buurt takes the total minus the others, summed in point order
        # (so that a sum in point order gives the buurt total back exactly)
        last = np.full(n, -1, dtype=int)
        np.maximum.at(last, self.buurt, np.arange(len(self.buurt)))
        others = np.ones(len(self.buurt), dtype=bool)
        others[last[last >= 0]] = False
        before = np.bincount(self.buurt[others], weights=parts[others], minlength=n)
        rest = totals - before
        fits = (last >= 0) & (rest >= 0)
        parts[last[fits]] = rest[fits]
        anchor = _largest_per_group(self.buurt, share, n)
        has_point = anchor >= 0
        for _ in range(4):  # fallback: the remainder of rounding goes to the largest point
            got = np.bincount(self.buurt, weights=parts, minlength=n)
            diff = np.where(has_point, totals - got, 0.0)
            if not np.any(diff):
                break
            parts[anchor[has_point]] += diff[has_point]
        return parts


def demand_points_from(
    buurten: gpd.GeoDataFrame,
    *,
    squares: gpd.GeoDataFrame | None = None,
    addresses: gpd.GeoDataFrame | None = None,
    population: pd.DataFrame | None = None,
) -> DemandPoints:
    """Demand points of every buurt from the best available source.

    Parameters
    ----------
    buurten
        Buurt areas (EPSG:28992) with ``code``; positions define :attr:`DemandPoints.buurt`.
    squares
        CBS 100 m squares (:func:`~geo.io.vierkanten.squares_from_file`).
    addresses
        Dwellings (:func:`~geo.io.adressen.addresses_from_file`).
    population
        The kwb population table (index = code), for the totals that secret squares share.

    Returns
    -------
    DemandPoints

    Examples
    --------
    >>> points = demand_points_from(buurten)  # one point per buurt  # doctest: +SKIP
    >>> points.demand_source  # doctest: +SKIP
    'buurtmiddelpunt'
    """
    n = len(buurten)
    geometry = buurten.geometry.to_numpy()
    shaped = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
    parts: list[tuple[np.ndarray, np.ndarray, pd.DataFrame, str]] = []
    done = np.zeros(n, dtype=bool)
    sources = []
    if squares is not None and len(squares):
        xy, buurt, weights = _square_points(buurten, shaped, squares, population)
        if len(buurt):
            parts.append((xy, buurt, weights, "vierkanten"))
            done[buurt] = True
            sources.append(str(squares.attrs.get("source", "CBS-vierkanten")))
    if addresses is not None and len(addresses):
        xy, buurt = _address_points(geometry, shaped & ~done, addresses)
        if len(buurt):
            parts.append((xy, buurt, pd.DataFrame({"woningen": np.ones(len(buurt))}), "adressen"))
            done[buurt] = True
            sources.append(str(addresses.attrs.get("source", "BAG-adressen")))
    rest = np.flatnonzero(~done)
    centre = buurten.geometry.iloc[rest].representative_point()
    parts.append(
        (
            np.column_stack([centre.x.to_numpy(), centre.y.to_numpy()]).reshape(-1, 2),
            rest,
            pd.DataFrame({"woningen": np.ones(len(rest))}),
            "buurtmiddelpunt",
        )
    )
    xy = np.concatenate([p[0] for p in parts]).astype(float)
    buurt = np.concatenate([p[1] for p in parts]).astype(int)
    weights = pd.concat([p[2] for p in parts], ignore_index=True)
    method = np.concatenate([np.full(len(p[1]), p[3], dtype=object) for p in parts])
    order = np.argsort(buurt, kind="stable")  # points of a buurt together, buurten in order
    points = DemandPoints(
        xy=xy[order],
        buurt=buurt[order],
        weights=weights.iloc[order].reset_index(drop=True),
        method=method[order],
        n_buurten=n,
        source="; ".join(sources) or "buurtgrenzen",
    )
    logger.info("vraagpunten: %d punten in %d buurten %s", len(order), n, points.counts())
    return points


def population_from_folder(data_dir: str | Path) -> PopulationFiles:
    """The squares and address points in ``data_dir/bevolking/`` (recognised by columns).

    Returns empty :class:`PopulationFiles` when the folder has no ``bevolking/``. With more
    than one file of a kind the last by name (usually the newest year) is used, and said.

    Raises
    ------
    DataError
        A recognised file that cannot be used (its message names file, row and column).
    """
    folder = Path(data_dir) / DEMAND_DIR
    if not folder.is_dir():
        return PopulationFiles()
    notices = Notices()
    found: dict[str, list[Path]] = {"vierkanten": [], "adressen": []}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix.lower() not in {*SQUARE_SUFFIXES, *ADDRESS_SUFFIXES}:
            continue
        columns = _columns(path)
        if is_squares(columns):
            found["vierkanten"].append(path)
        elif is_addresses(columns):
            found["adressen"].append(path)
        else:
            notices.add(f"{DEMAND_DIR}/{path.name}: niet herkend als vierkanten of adressen.")
    squares = addresses = None
    for kind, paths in found.items():
        if len(paths) > 1:
            notices.add(
                f"{DEMAND_DIR}/: {len(paths)} bestanden met {kind}; gebruikt: {paths[-1].name}."
            )
    if found["vierkanten"]:
        squares = squares_from_file(found["vierkanten"][-1], notices=notices)
    if found["adressen"]:
        addresses = addresses_from_file(found["adressen"][-1], notices=notices)
    return PopulationFiles(squares=squares, addresses=addresses, notices=list(notices))


def _columns(path: Path) -> list[str]:
    try:
        if path.suffix.lower() == ".csv":
            return list(read_table(path).frame.columns)
        layers = pyogrio.list_layers(path)
        return [str(c) for name, _ in layers for c in pyogrio.read_info(path, layer=name)["fields"]]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise DataError(
            f"het bestand kan niet worden gelezen ({exc}).",
            file=path,
            hint="gebruik een GeoPackage, GeoJSON of CSV.",
        ) from exc


def _group_weight(
    weights: pd.DataFrame, group: str, settings: AnalysisSettings
) -> np.ndarray | None:
    columns = set(weights.columns)
    if group in ELDERLY:
        return (
            weights["leeftijd_65_plus"].to_numpy(float) if "leeftijd_65_plus" in columns else None
        )
    if not {"leeftijd_15_24", "leeftijd_25_44"} <= columns:
        return None
    young = weights["leeftijd_15_24"].to_numpy(float)
    older = weights["leeftijd_25_44"].to_numpy(float)
    return settings.young_adult_share_15_24 * young + settings.young_adult_share_25_44 * older


def _square_points(
    buurten: gpd.GeoDataFrame,
    shaped: np.ndarray,
    squares: gpd.GeoDataFrame,
    population: pd.DataFrame | None,
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Squares clipped to the buurten: a point per piece, counts × share of the square's area."""
    rows = np.flatnonzero(shaped)
    square_geom = squares.geometry.to_numpy()
    tree = shapely.STRtree(square_geom)
    buurt_pos, square_pos = tree.query(buurten.geometry.to_numpy()[rows], predicate="intersects")
    buurt_idx = rows[buurt_pos]
    pieces = shapely.intersection(buurten.geometry.to_numpy()[buurt_idx], square_geom[square_pos])
    fraction = shapely.area(pieces) / shapely.area(square_geom[square_pos])
    keep = fraction > 1e-9
    buurt_idx, square_pos, pieces, fraction = (
        buurt_idx[keep],
        square_pos[keep],
        pieces[keep],
        fraction[keep],
    )
    columns = [c for c in COUNT_COLUMNS if c in squares.columns]
    weights = pd.DataFrame(
        {c: squares[c].to_numpy(dtype=float)[square_pos] * fraction for c in columns}
    )
    codes = buurten["code"].to_numpy()[buurt_idx]
    for column in columns:
        weights[column] = _fill_secret(
            weights[column].to_numpy(), buurt_idx, fraction, codes, population, column
        )
    centre = shapely.point_on_surface(pieces)
    xy = np.column_stack([shapely.get_x(centre), shapely.get_y(centre)])
    if "inwoners" in weights:  # buurten where the squares hold nobody fall back
        total = pd.Series(weights["inwoners"].to_numpy()).groupby(buurt_idx).sum(min_count=1)
        empty = set(total.index[(total <= 0).to_numpy()])
        if empty:
            keep = ~np.isin(buurt_idx, list(empty))
            xy, buurt_idx, weights = xy[keep], buurt_idx[keep], weights[keep].reset_index(drop=True)
    return xy, buurt_idx, weights


def _fill_secret(
    values: np.ndarray,
    buurt: np.ndarray,
    fraction: np.ndarray,
    codes: np.ndarray,
    population: pd.DataFrame | None,
    column: str,
) -> np.ndarray:
    """Secret pieces (NaN) share what the buurt total leaves after the published squares.

    Without a buurt total (no kwb figure) a secret piece stays NaN, so the shares fall back
    to the next weight for that buurt.
    """
    secret = ~np.isfinite(values)
    if not secret.any() or population is None or column not in population.columns:
        return values
    out = values.copy()
    frame = pd.DataFrame(
        {
            "buurt": buurt,
            "code": codes,
            "known": np.where(secret, 0.0, values),
            "secret_area": np.where(secret, fraction, 0.0),
        }
    )
    per = frame.groupby("buurt").agg(
        code=("code", "first"), known=("known", "sum"), secret_area=("secret_area", "sum")
    )
    totals = pd.to_numeric(population[column], errors="coerce")
    per["total"] = per["code"].map(totals)
    per["rest"] = (per["total"] - per["known"]).clip(lower=0.0)
    rest = per["rest"].reindex(buurt).to_numpy()
    area = per["secret_area"].reindex(buurt).to_numpy()
    fill = secret & np.isfinite(rest) & (area > 0)
    out[fill] = rest[fill] * fraction[fill] / area[fill]
    return out


def _address_points(
    geometry: np.ndarray, open_buurt: np.ndarray, addresses: gpd.GeoDataFrame
) -> tuple[np.ndarray, np.ndarray]:
    rows = np.flatnonzero(open_buurt)
    if len(rows) == 0:
        return np.empty((0, 2)), np.array([], dtype=int)
    homes = addresses.geometry.to_numpy()
    tree = shapely.STRtree(homes)
    buurt_pos, home_idx = tree.query(geometry[rows], predicate="contains")
    first = pd.Series(buurt_pos).groupby(home_idx).min()  # on a shared edge: the first buurt
    buurt_idx = rows[first.to_numpy()]
    home = homes[first.index.to_numpy()]
    return np.column_stack([shapely.get_x(home), shapely.get_y(home)]), buurt_idx


def _largest_per_group(group: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """Position of the largest value per group (-1 for a group without members)."""
    out = np.full(n, -1, dtype=int)
    if len(group) == 0:
        return out
    order = np.lexsort((-np.nan_to_num(value, nan=-1.0), group))
    first = np.ones(len(order), dtype=bool)
    first[1:] = group[order][1:] != group[order][:-1]
    out[group[order][first]] = order[first]
    return out
