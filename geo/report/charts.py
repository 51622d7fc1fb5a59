"""Static images for the report, rendered offline with matplotlib (no tiles, no internet).

* :func:`area_map`: the area's buurten coloured by need (lonely residents of the focus group),
  the surrounding buurten in grey for orientation, the area outline, and the reachable
  suitable aanbod as points coloured by soort; legend, scale bar and north arrow.
* :func:`trend_chart`: the loneliness trend of the area against gemeente and Nederland.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from geo.aanbod.schema import SOORTEN  # noqa: E402
from geo.present.format import fmt_int, fmt_num  # noqa: E402
from geo.present.maps import MISSING, PALETTE, SOORT_COLOURS, classify  # noqa: E402

DPI = 150
CONTEXT_M = 600.0


def area_map(
    buurten: gpd.GeoDataFrame,
    area_codes: Sequence[str],
    *,
    value: str,
    value_label: str,
    aanbod: gpd.GeoDataFrame | None = None,
    note: str = "",
    size: tuple[float, float] = (7.0, 5.6),
) -> bytes:
    r"""A PNG map of an area: need choropleth, context, outline, reachable aanbod.

    Parameters
    ----------
    buurten
        All buurten (EPSG:28992) with ``code``, ``naam`` and the ``value`` column.
    area_codes
        The area's buurten.
    value
        Column with the need (e.g. lonely residents of the focus group); NaN = unknown.
    value_label
        Legend title of the need classes.
    aanbod
        Reachable suitable activities (points with ``soort``), EPSG:28992.
    note
        Source line printed in the map's corner.
    size
        Figure size in inches.

    Returns
    -------
    bytes
        A PNG image.

    Examples
    --------
    >>> png = area_map(result.buurten, ["BU03440311"], value="lonely",
    ...                value_label="Eenzame 65-plussers")  # doctest: +SKIP
    >>> png.startswith(b"\x89PNG")  # doctest: +SKIP
    True
    """
    shaped = buurten[buurten.geometry.notna() & ~buurten.geometry.is_empty]
    inside = shaped[shaped["code"].isin(list(area_codes))]
    fig, ax = plt.subplots(figsize=size, dpi=DPI)
    try:
        if inside.empty:
            ax.text(0.5, 0.5, "Geen vorm bekend voor dit gebied", ha="center", va="center")
            ax.set_axis_off()
            return _png(fig)
        minx, miny, maxx, maxy = inside.total_bounds
        pad = max(CONTEXT_M, 0.08 * max(maxx - minx, maxy - miny))
        view = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
        context = shaped[shaped.intersects(view) & ~shaped["code"].isin(list(area_codes))]
        if len(context):
            context.plot(ax=ax, color="#eeeeee", edgecolor="#ffffff", linewidth=0.8)
        values = pd.to_numeric(inside[value], errors="coerce")
        classes, bins = classify(values, k=5)
        palette = list(PALETTE) if len(bins) == len(PALETTE) else _spread(len(bins))
        colours = [palette[c] if c >= 0 else MISSING for c in classes]
        inside.plot(ax=ax, color=colours, edgecolor="#666666", linewidth=0.6)
        outline = shapely.union_all(inside.geometry.to_numpy())
        gpd.GeoSeries([outline], crs=inside.crs).boundary.plot(
            ax=ax, color="#000000", linewidth=2.0
        )
        if len(inside) <= 16:
            for row in inside.itertuples():
                point = row.geometry.representative_point()
                ax.annotate(
                    _short(str(row.naam)),
                    (point.x, point.y),
                    ha="center",
                    va="center",
                    fontsize=5.5,
                    color="#222222",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.6},
                )
        handles: list[Patch | Line2D] = []
        lower = None
        for colour, upper in zip(palette, bins, strict=False):
            text = (
                f"t/m {fmt_int(upper)}" if lower is None else f"{fmt_int(lower)} – {fmt_int(upper)}"
            )
            handles.append(Patch(facecolor=colour, edgecolor="#666666", label=text))
            lower = upper
        if (classes < 0).any():
            handles.append(Patch(facecolor=MISSING, edgecolor="#666666", label="onbekend"))
        soorten_shown: list[str] = []
        if aanbod is not None and len(aanbod):
            points = aanbod[aanbod.geometry.notna() & ~aanbod.geometry.is_empty]
            for soort, part in points.groupby(points["soort"].astype(str)):
                part.plot(
                    ax=ax,
                    color=SOORT_COLOURS.get(str(soort), "#bcbd22"),
                    markersize=16,
                    edgecolor="#ffffff",
                    linewidth=0.5,
                    zorder=5,
                )
                soorten_shown.append(str(soort))
        for soort in [s for s in SOORTEN if s in soorten_shown]:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="",
                    markerfacecolor=SOORT_COLOURS.get(soort, "#bcbd22"),
                    markeredgecolor="#ffffff",
                    markersize=6,
                    label=SOORTEN[soort].split(" (")[0],
                )
            )
        ax.legend(
            handles=handles,
            title=value_label + (" · aanbod (soort)" if soorten_shown else ""),
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            fontsize=7,
            title_fontsize=7.5,
            frameon=False,
        )
        ax.set_xlim(minx - pad, maxx + pad)
        ax.set_ylim(miny - pad, maxy + pad)
        ax.set_aspect("equal")
        ax.set_axis_off()
        _scale_bar(ax, minx - pad, miny - pad, maxx + pad)
        _north_arrow(ax)
        if note:
            fig.text(0.01, 0.01, note, fontsize=5.5, color="#555555", ha="left", va="bottom")
        fig.tight_layout()
        return _png(fig)
    finally:
        plt.close(fig)


def trend_chart(
    series: dict[str, list[tuple[int, float | None]]],
    *,
    title: str,
    size: tuple[float, float] = (6.0, 2.8),
) -> bytes:
    r"""A PNG line chart of loneliness per RIVM edition (Dutch number formatting).

    Parameters
    ----------
    series
        Line label -> ``(year, value in %)`` pairs; None values are left out.
    title
        Chart title.

    Examples
    --------
    >>> png = trend_chart({"Overvecht": [(2012, 53.4), (2016, 53.9), (2020, 58.2)]},
    ...                   title="Eenzaam 18+")
    >>> png.startswith(b"\x89PNG")
    True
    """
    fig, ax = plt.subplots(figsize=size, dpi=DPI)
    try:
        styles = [("#a51c30", "-", "o"), ("#555555", "--", "s"), ("#1f77b4", ":", "^")]
        years: set[int] = set()
        for (label, points), (colour, line, marker) in zip(
            series.items(), styles * 3, strict=False
        ):
            known = [(y, v) for y, v in points if v is not None and np.isfinite(v)]
            if not known:
                continue
            xs, ys = zip(*known, strict=True)
            years.update(xs)
            ax.plot(xs, ys, color=colour, linestyle=line, marker=marker, label=label)
            ax.annotate(
                f"{fmt_num(ys[-1], 1)} %",
                (xs[-1], ys[-1]),
                textcoords="offset points",
                xytext=(5, 0),
                fontsize=7,
                color=colour,
                va="center",
            )
        ax.set_xticks(sorted(years))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{fmt_num(v, 0)} %"))
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if years:
            ax.set_xlim(min(years) - 1, max(years) + 2)
        ax.legend(fontsize=7, frameon=False, loc="best")
        fig.tight_layout()
        return _png(fig)
    finally:
        plt.close(fig)


def _png(fig: plt.Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def _scale_bar(ax: plt.Axes, x0: float, y0: float, x1: float) -> None:
    width = x1 - x0
    length = next((m for m in (5000, 2000, 1000, 500, 250, 100) if m <= width / 4), 100)
    left, bottom = x0 + 0.04 * width, y0 + 0.04 * width
    ax.plot([left, left + length], [bottom, bottom], color="#000000", linewidth=2.5)
    label = (
        f"{fmt_num(length / 1000, 1 if length % 1000 else 0)} km"
        if length >= 1000
        else (f"{length} m")
    )
    ax.text(left + length / 2, bottom + 0.012 * width, label, ha="center", fontsize=7)


def _north_arrow(ax: plt.Axes) -> None:
    ax.annotate(
        "N",
        xy=(0.97, 0.97),
        xytext=(0.97, 0.88),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=8,
        arrowprops={"arrowstyle": "-|>", "color": "#000000", "lw": 1.2},
    )


def _spread(n: int) -> list[str]:
    if n <= 1:
        return [PALETTE[-2]]
    idx = np.round(np.linspace(0, len(PALETTE) - 1, n)).astype(int)
    return [PALETTE[i] for i in idx]


def _short(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
