"""Colour checks: WCAG contrast by hand, colour-blind-safe palettes, readable legends."""

from __future__ import annotations

import itertools
import re

import pytest

from geo.present import maps
from geo.present.contrast import (
    CVD_MATRICES,
    contrast_ratio,
    delta_e,
    lab,
    relative_luminance,
    simulate,
)
from geo.present.maps.points import _cluster_icon

LEGEND_BACKGROUND = "#ffffff"  # legends are drawn next to the map on the page's white
VISIONS = [None, *CVD_MATRICES]


def seen(colour: str, vision: str | None) -> str:
    return colour if vision is None else simulate(colour, vision)


# -- the formulas by hand --------------------------------------------------------------------
def test_contrast_ratio_by_hand():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # WCAG's own example: #767676 is the lightest grey with 4.5:1 on white, #777777 is not
    assert contrast_ratio("#767676", "#ffffff") >= 4.5 > contrast_ratio("#777777", "#ffffff")
    assert contrast_ratio("#ffffff", "#767676") == contrast_ratio("#767676", "#ffffff")
    assert relative_luminance("#ff0000") == pytest.approx(0.2126)


def test_colour_blindness_simulation_keeps_greys_and_merges_red_and_green():
    for vision in CVD_MATRICES:
        for grey in ("#000000", "#808080", "#ffffff"):
            assert delta_e(simulate(grey, vision), grey) < 1.5
    red, green = "#d62728", "#2ca02c"  # distinct to normal vision ...
    assert delta_e(red, green) > 80
    for vision in ("protanopie", "deuteranopie"):  # ... much closer for red-green blindness
        assert delta_e(simulate(red, vision), simulate(green, vision)) < 0.5 * delta_e(red, green)
    assert lab("#ffffff")[0] == pytest.approx(100, abs=0.01)


# -- classed maps ----------------------------------------------------------------------------
@pytest.mark.parametrize("vision", VISIONS)
def test_sequential_palette_gets_darker_class_by_class_for_every_vision(vision):
    lightness = [lab(seen(c, vision))[0] for c in maps.PALETTE]
    assert lightness == sorted(lightness, reverse=True)
    steps = [delta_e(seen(a, vision), seen(b, vision)) for a, b in itertools.pairwise(maps.PALETTE)]
    assert min(steps) >= 12, steps  # neighbouring classes read as different at a glance
    # "geen cijfer" grey is told apart from every class
    assert min(delta_e(seen(maps.MISSING, vision), seen(c, vision)) for c in maps.PALETTE) >= 12


def test_sequential_palette_is_colorbrewer_orrd():
    assert maps.PALETTE == ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")


@pytest.mark.parametrize("vision", VISIONS)
def test_bivariate_cells_stay_distinct_for_every_vision(vision):
    cells = [c for row in maps.BIVARIATE for c in row]
    closest = min(
        delta_e(seen(a, vision), seen(b, vision)) for a, b in itertools.combinations(cells, 2)
    )
    assert closest >= 10, (vision, closest)


def test_bivariate_legend_high_contrast():
    """The grid legend: every cell outlined at ≥ 3:1 (WCAG 1.4.11), labels readable, text
    alternative present; the darkest corner is clearly dark on its own."""
    layer_legend = maps.Legend(
        "Eenzamen × aanbod",
        tuple(
            (maps.BIVARIATE[n][o], f"eenzamen {name_n}, aanbod {name_o}")
            for n, name_n in enumerate(("laag", "midden", "hoog"))
            for o, name_o in enumerate(("laag", "midden", "hoog"))
        ),
        notes=("tertielen van beide",),
    )
    html = maps.bivariate_legend_html(layer_legend)
    cells = re.findall(r"<td style=\"width:22px;height:22px;([^\"]+)\"", html)
    assert len(cells) == 9
    for style in cells:
        border = re.search(r"border:1px solid (#[0-9a-f]{6})", style)
        assert border is not None, style
        assert contrast_ratio(border.group(1), LEGEND_BACKGROUND) >= 3.0
    assert 'role="img" aria-label="9 kleuren' in html
    for colour in re.findall(r"color:(#[0-9a-f]{3,6})", html):
        full = colour if len(colour) == 7 else "#" + "".join(ch * 2 for ch in colour[1:])
        assert contrast_ratio(full, LEGEND_BACKGROUND) >= 4.5
    darkest = min((c for row in maps.BIVARIATE for c in row), key=relative_luminance)
    assert contrast_ratio(darkest, LEGEND_BACKGROUND) >= 7.0


def test_legend_swatches_are_visible_against_the_legend_background():
    """A swatch lighter than 3:1 against the legend needs its border (≥ 3:1) to be seen."""
    frame_legend = maps.Legend(
        "Eenzaam",
        tuple((c, f"klasse {i}") for i, c in enumerate((*maps.PALETTE, maps.MISSING))),
        notes=("Bron: RIVM",),
    )
    html = maps.legend_html(frame_legend)
    swatches = re.findall(r"background:(#[0-9a-f]{6});border:1px solid (#[0-9a-f]{6})", html)
    assert len(swatches) == len(maps.PALETTE) + 1
    for fill, border in swatches:
        assert max(contrast_ratio(fill, LEGEND_BACKGROUND), contrast_ratio(border, "#ffffff")) >= 3
    # the light classes rely on the border: they are too light on their own
    assert contrast_ratio(maps.PALETTE[0], LEGEND_BACKGROUND) < 3
    notes = re.findall(r"font-size:11px;color:(#[0-9a-f]{3,6})", html)
    assert notes
    for colour in notes:
        full = colour if len(colour) == 7 else "#" + "".join(ch * 2 for ch in colour[1:])
        assert contrast_ratio(full, LEGEND_BACKGROUND) >= 4.5


def test_soort_marker_colours_differ_for_normal_vision():
    colours = list(maps.SOORT_COLOURS.values())
    assert min(delta_e(a, b) for a, b in itertools.combinations(colours, 2)) >= 10


@pytest.mark.parametrize("soort", list(maps.SOORT_COLOURS))
def test_cluster_counts_are_readable_on_their_soort_colour(soort):
    colour = maps.SOORT_COLOURS[soort]
    script = _cluster_icon(colour)
    text = re.search(r"background:" + colour + r";color:(#[0-9a-f]{3});", script)
    assert text is not None
    full = "#" + "".join(ch * 2 for ch in text.group(1)[1:])
    assert contrast_ratio(full, colour) >= 4.5, (soort, colour, full)
