"""Area layers: choropleth with class breaks, outlines, the bivariate need × offer map."""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.model.figures import NOT_PUBLISHED, PUBLISHED
from geo.present._breaks import fisher_jenks_bins, quantile_bins
from geo.present.format import fmt_num
from geo.present.maps._base import (
    BIVARIATE,
    MISSING,
    PALETTE,
    SIMPLIFY_M,
    Legend,
    _features,
    _spread,
    _tip,
    for_display,
    js_text,
)
from geo.present.maps.canvas import CANVAS_FROM, CanvasAreas, ScriptAsText
from geo.present.payload import slim_for_display, tooltip_options

EXACT_BREAKS_MAX = 300
"""Up to this many values the class breaks are Fisher-Jenks (exact); above, quantiles."""


def area_values(
    areas: gpd.GeoDataFrame,
    figures: pd.DataFrame,
    *,
    indicator: str,
    group: str,
    year: int | None,
    decimals: int = 1,
) -> gpd.GeoDataFrame:
    """One figure per area, with its status and a Dutch note for the tooltip.

    Parameters
    ----------
    areas
        Areas of one level (``Dataset.level``), EPSG:28992.
    figures
        The dataset's tidy figures (``Dataset.figures``).
    indicator, group, year
        Which figure (RIVM stem, age group ``18+``/``65+``/``18-65``, edition).
    decimals
        Decimals of the wijk value quoted in a suppressed buurt's note.

    Returns
    -------
    geopandas.GeoDataFrame
        ``code``, ``naam``, ``niveau``, ``wijk_code``, ``indeling``, ``value`` (NaN when not
        published or absent), ``lower``/``upper`` (the 95 % interval, NaN when the edition has
        none), ``interval`` (its Dutch text for the tooltip, or ""), ``status``
        (``gepubliceerd``, ``niet gepubliceerd``, ``geen
        cijfer``), ``note`` (why a value is missing, with the wijk's figure as a fallback for
        a suppressed buurt), ``source``, ``vintage``, geometry; aligned with ``areas``.

    Examples
    --------
    >>> frame = area_values(dataset.level("buurt"), dataset.figures,
    ...                     indicator="Eenzaam", group="65+", year=2020)  # doctest: +SKIP
    >>> frame.loc[frame["status"] == "niet gepubliceerd", "note"].iloc[0]  # doctest: +SKIP
    'niet gepubliceerd (te weinig respondenten); wijkcijfer 55,1 %'
    """
    part = figures[
        (figures["indicator"] == indicator)
        & (figures["group"] == group)
        & (figures["year"] == year)
    ]
    part = part.assign(code=part["code"].astype(str)).drop_duplicates("code").set_index("code")
    columns = ["code", "naam", "niveau", "wijk_code", "indeling", "geometry"]
    out = areas[[c for c in columns if c in areas.columns]].copy()
    codes = out["code"].astype(str)
    out["value"] = codes.map(part["value"]).astype(float)
    for bound in ("lower", "upper"):
        column = part[bound] if bound in part else pd.Series(np.nan, index=part.index)
        out[bound] = codes.map(column).astype(float)
    unit_text = str(part["unit"].iloc[0]) if len(part) and "unit" in part else ""
    out["interval"] = [
        f"{fmt_num(lo, decimals)} – {fmt_num(hi, decimals)} {unit_text}".strip()
        if pd.notna(lo) and pd.notna(hi) and pd.notna(v)
        else ""
        for lo, hi, v in zip(out["lower"], out["upper"], out["value"], strict=True)
    ]
    for column, missing in (("status", "geen cijfer"), ("source", ""), ("vintage", "")):
        # through object: with no figure at all the mapped column is all-NaN floats
        mapped = codes.map(part[column].astype(str)).astype(object)
        out[column] = mapped.fillna(missing).astype(str)
    notes = pd.Series("", index=out.index, dtype=object)
    notes[out["status"] == NOT_PUBLISHED] = "niet gepubliceerd (te weinig respondenten)"
    notes[out["status"] == "geen cijfer"] = "geen cijfer in deze editie"
    if "wijk_code" in out.columns:
        wijk_values = out["wijk_code"].astype(str).map(part["value"])
        fallback = (out["status"] != PUBLISHED) & wijk_values.notna()
        unit = str(part["unit"].iloc[0]) if len(part) and "unit" in part else ""
        notes[fallback] = [
            f"{note}; wijkcijfer {fmt_num(v, decimals)} {unit}".strip()
            for note, v in zip(notes[fallback], wijk_values[fallback], strict=True)
        ]
    out["note"] = notes
    return out


def classify(
    values: pd.Series, *, k: int = 5, breaks: Sequence[float] | None = None
) -> tuple[np.ndarray, list[float]]:
    """Class index per value (−1 for missing) and the class upper bounds.

    Fisher-Jenks natural breaks (as mapclassify computes them, exact and deterministic) up to
    :data:`EXACT_BREAKS_MAX` values, quantiles above that; fewer classes when there are
    fewer distinct values. ``breaks`` gives fixed upper bounds instead (a value above the
    last falls in the last class), so a map on a fixed scale means the same everywhere.

    Examples
    --------
    >>> classes, bins = classify(pd.Series([1.0, 2.0, None, 9.0, 10.0]), k=2)
    >>> classes.tolist(), bins
    ([0, 0, -1, 1, 1], [2.0, 10.0])
    >>> classify(pd.Series([0.1, 0.5, 1.0]), breaks=(0.25, 0.5, 0.75, 1.0))[0].tolist()
    [0, 1, 3]
    """
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    mask = np.isfinite(numbers)
    present = numbers[mask]
    classes = np.full(len(numbers), -1)
    if breaks is not None:
        fixed = [float(b) for b in breaks]
        classes[mask] = np.clip(np.searchsorted(fixed, present, side="left"), 0, len(fixed) - 1)
        return classes, fixed
    if len(present) == 0:
        return classes, []
    k = max(1, min(k, len(np.unique(present))))
    if k == 1:
        bins = [float(present.max())]
    elif len(present) <= EXACT_BREAKS_MAX:
        bins = fisher_jenks_bins(present, k)
    else:
        bins = quantile_bins(present, k)
    classes[mask] = np.searchsorted(bins, present, side="left")
    return np.clip(classes, -1, len(bins) - 1), [float(b) for b in bins]


def choropleth(
    areas: gpd.GeoDataFrame,
    *,
    value: str,
    title: str,
    label: str,
    unit: str = "%",
    notes: pd.Series | None = None,
    source: str = "",
    k: int = 5,
    breaks: Sequence[float] | None = None,
    decimals: int = 1,
    name: str | None = None,
) -> tuple[folium.GeoJson, Legend]:
    """A classed choropleth layer and its legend.

    Parameters
    ----------
    areas
        Areas (EPSG:28992) with ``code``, ``naam`` and the ``value`` column; an ``indeling``
        column (boundary vintage) is quoted in the tooltip.
    value
        Column to map (NaN = not published/missing, drawn grey).
    title
        Legend title.
    label
        The value's label in the tooltip.
    unit
        Unit shown after values.
    notes
        Per-area remark (e.g. *niet gepubliceerd*, the wijk's figure), aligned with areas.
    source
        Source and year, shown in every tooltip.
    k
        Number of classes.
    breaks
        Fixed class upper bounds (e.g. a 0-1 index on a fixed scale) instead of breaks
        computed from the data (:func:`classify`).
    decimals
        Decimals shown.
    name
        Layer name in the layer control (default: the title).

    Returns
    -------
    layer, legend
        The GeoJson layer (each feature carries ``code`` for click handling and one
        escaped ``tip`` for its tooltip) and the legend.

    Examples
    --------
    >>> frame = area_values(areas, figures, indicator="Eenzaam", group="18+", year=2020)
    ... # doctest: +SKIP
    >>> layer, legend = choropleth(frame, value="value", title="Eenzaam 18+ 2020",
    ...                            label="Eenzaam", notes=frame["note"])  # doctest: +SKIP
    """
    values = pd.to_numeric(areas[value], errors="coerce")
    classes, bins = classify(values, k=k, breaks=breaks)
    palette = PALETTE if len(bins) == len(PALETTE) else _spread(len(bins))
    remarks = (
        notes.reindex(areas.index).fillna("").astype(str)
        if notes is not None
        else pd.Series("", index=areas.index)
    )
    vintages = (
        areas["indeling"].astype(str) if "indeling" in areas else pd.Series("", index=areas.index)
    )
    intervals = (
        areas["interval"].fillna("").astype(str)
        if "interval" in areas
        else pd.Series("", index=areas.index)
    )
    tips = [
        _tip(n, c, label, v, unit, decimals, r, source, g, i)
        for n, c, v, r, g, i in zip(
            areas["naam"], areas["code"], values, remarks, vintages, intervals, strict=True
        )
    ]
    colours = [palette[c] if c >= 0 else MISSING for c in classes]
    layer = area_layer(areas, colours=colours, tips=tips, name=js_text(name or title))
    entries: list[tuple[str, str]] = []
    lower: float | None = None
    for colour, upper in zip(palette, bins, strict=False):
        text = (
            f"t/m {fmt_num(upper, decimals)}"
            if lower is None
            else f"{fmt_num(lower, decimals)} – {fmt_num(upper, decimals)}"
        )
        entries.append((colour, f"{text} {unit}".strip()))
        lower = upper
    if (classes < 0).any():
        entries.append((MISSING, "geen cijfer (niet gepubliceerd)"))
    return layer, Legend(title=title, entries=tuple(entries), notes=(source,) if source else ())


def outline_layer(
    areas: gpd.GeoDataFrame,
    *,
    name: str,
    colour: str = "#000000",
    weight: float = 3.0,
    dash: str | None = None,
    fill_opacity: float = 0.0,
    key: str | None = None,
) -> folium.GeoJson:
    """Outlines (focus areas, Buurtmobiel service areas, hot spots) named in their tooltip.

    Parameters
    ----------
    areas
        Shapes with ``naam`` (EPSG:28992).
    name
        Layer name (layer control and tooltip heading).
    colour, weight, dash
        Line style.
    fill_opacity
        0 draws only the outline (clicks pass through to the areas underneath).
    key
        Column copied into the features' ``gebied`` property (for click handling).
    """
    columns = ["naam", "geometry"] + ([key] if key and key != "naam" else [])
    shown = for_display(areas[columns].copy(), simplify_m=5)
    shown["gebied"] = shown[key].astype(str) if key else ""
    shown["tip"] = [f"<b>{js_text(name)}</b><br>{js_text(n)}" for n in shown["naam"]]
    shown = shown[["gebied", "tip", "geometry"]]
    style = {
        "fill": fill_opacity > 0,
        "fillColor": colour,
        "fillOpacity": fill_opacity,
        "color": colour,
        "weight": weight,
        "dashArray": dash,
    }
    return folium.GeoJson(
        _features(shown),
        name=js_text(name),
        style_function=lambda _feature: style,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
    )


def bivariate(
    areas: gpd.GeoDataFrame, *, need: str, offer: str, title: str, method: str | None = None
) -> tuple[folium.GeoJson, Legend]:
    """Need × offer as a 3 × 3 bivariate choropleth (tertiles of each).

    Parameters
    ----------
    areas
        Areas (EPSG:28992) with ``code``, ``naam`` and both columns.
    need
        Column with the need (lonely residents of the group).
    offer
        Column with the reachable offer (per 1,000 lonely residents).
    title
        Legend title and layer name.
    method
        How reach was measured (``GapResult.method["legend"]``: ``afstand: netwerk …;
        vraag: vierkanten …``), shown as a legend note.
    """
    need_class = _tertile(areas[need])
    offer_class = _tertile(areas[offer])
    colours = [
        BIVARIATE[n][o] if n >= 0 and o >= 0 else MISSING
        for n, o in zip(need_class, offer_class, strict=True)
    ]
    tips = [
        f"<b>{js_text(n)}</b> ({js_text(c)})<br>Eenzamen: {fmt_num(v, 0)}<br>"
        f"Aanbod per 1.000 eenzamen: {fmt_num(o, 0)}"
        for n, c, v, o in zip(areas["naam"], areas["code"], areas[need], areas[offer], strict=True)
    ]
    layer = area_layer(areas, colours=colours, tips=tips, name=js_text(title))
    names = ("laag", "midden", "hoog")
    entries = tuple(
        (BIVARIATE[n][o], f"eenzamen {names[n]}, aanbod {names[o]}")
        for n in (2, 1, 0)
        for o in (0, 1, 2)
    )
    notes = ("tertielen van beide",) if method is None else ("tertielen van beide", method)
    return layer, Legend(title=title, entries=entries, notes=notes)


FILL = {"color": "#555555", "weight": 0.6, "fillOpacity": 0.75}
"""Outline and opacity of every area (its ``fillColor`` is its class)."""

HIGHLIGHT = {"weight": 2.5, "color": "#000000"}
"""The area under the mouse."""


def area_layer(
    areas: gpd.GeoDataFrame, *, colours: list[str], tips: list[str], name: str
) -> folium.GeoJson:
    """The layer of classed areas (EPSG:28992, with ``code``), simplified for the view.

    ``colours`` and ``tips`` (escaped tooltip HTML) per area. On a canvas from a compact
    script when large (the country's buurten, :class:`CanvasAreas`), else a ``folium.GeoJson``
    whose features carry ``code``, ``kleur`` and ``tip``.
    """
    if len(areas) >= CANVAS_FROM:
        return CanvasAreas(
            areas,
            colours=colours,
            tips=tips,
            name=name,
            fill=FILL,
            highlight=HIGHLIGHT,
            minimum_m=SIMPLIFY_M,
        )
    shown = slim_for_display(areas[["code", "geometry"]], minimum_m=SIMPLIFY_M)
    sent, tooltip = tooltip_options(tips)
    return ScriptAsText(
        _features(shown.assign(kleur=colours, tip=sent)),
        name=name,
        style_function=_fill_style,
        highlight_function=_highlight,
        **tooltip,  # type: ignore[arg-type]
    )


def _fill_style(feature: dict) -> dict[str, object]:
    return {"fillColor": feature["properties"]["kleur"], **FILL}


def _highlight(_feature: dict) -> dict[str, object]:
    return dict(HIGHLIGHT)


def _tertile(values: pd.Series) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    mask = np.isfinite(numbers)
    out = np.full(len(numbers), -1)
    if not mask.any():
        return out
    cuts = np.quantile(numbers[mask], [1 / 3, 2 / 3])
    out[mask] = np.clip(np.searchsorted(cuts, numbers[mask], side="right"), 0, 2)
    return out
