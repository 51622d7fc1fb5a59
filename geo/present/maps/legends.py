"""Legends drawn next to the map (HTML): classed, per soort and the bivariate square."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from geo.aanbod.schema import SOORTEN
from geo.present.maps._base import LEGEND_BORDER, SOORT_COLOURS, Legend
from geo.present.safe_text import html_text


def soort_legend(soorten: Iterable[str] | None = None) -> Legend:
    """Legend of the aanbod marker colours."""
    keys = list(SOORTEN) if soorten is None else [s for s in SOORTEN if s in set(soorten)]
    return Legend(
        title="Aanbod (soort)",
        entries=tuple((SOORT_COLOURS[s], SOORTEN[s].split(" (")[0]) for s in keys),
    )


def legend_html(legend: Legend) -> str:
    """The legend as small, escaped HTML (next to the map, in a report)."""
    rows = "".join(
        f'<div style="margin:2px 0"><span style="display:inline-block;width:14px;'
        f"height:14px;background:{c};border:1px solid {LEGEND_BORDER};margin-right:6px;"
        f'vertical-align:-2px"></span>{html_text(t)}</div>'
        for c, t in legend.entries
    )
    notes = "".join(
        f'<div style="font-size:11px;color:#555;margin-top:4px">{html_text(n)}</div>'
        for n in legend.notes
    )
    return f'<div style="font-size:14px"><b>{html_text(legend.title)}</b>{rows}{notes}</div>'


def with_offer_notes(legend: Legend, offer: Mapping[str, object]) -> Legend:
    """The legend with the offer-completeness warnings (``GapResult.offer``) as notes.

    Examples
    --------
    >>> legend = Legend("Eenzamen × aanbod", ())
    >>> with_offer_notes(legend, {"offer_notes": ["Het aanbod bevat geen ..."]}).notes
    ('Let op: Het aanbod bevat geen ...',)
    """
    notes = [f"Let op: {n}" for n in offer.get("offer_notes") or []]  # type: ignore[attr-defined]
    return replace(legend, notes=(*legend.notes, *notes)) if notes else legend


def bivariate_legend_html(legend: Legend) -> str:
    """The 3 × 3 legend of :func:`bivariate` as a small grid (need up, offer across)."""
    colours = dict((label, colour) for colour, label in legend.entries)
    names = ("laag", "midden", "hoog")
    cells = "".join(
        "<tr>"
        + f'<td style="font-size:11px;padding-right:4px">{names[n]}</td>'
        + "".join(
            f'<td style="width:22px;height:22px;border:1px solid {LEGEND_BORDER};background:'
            f'{colours[f"eenzamen {names[n]}, aanbod {names[o]}"]}"'
            f' title="eenzamen {names[n]}, aanbod {names[o]}"></td>'
            for o in (0, 1, 2)
        )
        + "</tr>"
        for n in (2, 1, 0)
    )
    footer = (
        '<tr><td></td><td colspan="3" style="font-size:11px;text-align:center">'
        "laag → hoog</td></tr>"
    )
    return (
        f'<div style="font-size:14px"><b>{html_text(legend.title)}</b>'
        '<div style="font-size:11px;margin-top:4px">↑ eenzamen</div>'
        '<table role="img" aria-label="9 kleuren: eenzamen laag, midden of hoog (rijen) '
        "tegen bereikbaar aanbod laag, midden of hoog (kolommen); rood is veel eenzamen en "
        'weinig aanbod, blauw weinig eenzamen en veel aanbod" '
        f'style="border-collapse:separate;border-spacing:2px">{cells}{footer}</table>'
        '<div style="font-size:11px">→ bereikbaar aanbod</div>'
        + "".join(
            f'<div style="font-size:11px;color:#555;margin-top:4px">{html_text(n)}</div>'
            for n in legend.notes
        )
        + "</div>"
    )
