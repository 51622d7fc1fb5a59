"""QGIS layer styles (QML) and OGC SLD 1.1 from a :class:`~geo.export.styles.LayerStyle`.

The QML is what QGIS stores in a GeoPackage's ``layer_styles`` table: a ``renderer-v2``
(``graduatedSymbol``, ``categorizedSymbol`` or ``singleSymbol``) and field aliases (the Dutch
column labels). Symbol properties are written both as ``<Option>`` maps (QGIS ≥ 3.26) and as
legacy ``<prop>`` elements (older QGIS 3), as QGIS itself did during the transition.

A graduated renderer does not draw NULL values, so the classified attribute is the expression
``coalesce("column", sentinel)`` with a first grey class at the sentinel: areas without a
published figure stay visible and are labelled as such in the legend.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from geo.export.styles import LayerStyle, StyleClass, missing_sentinel, rgb
from geo.present.maps import MISSING

QGIS_VERSION = "3.28.0-Firenze"
DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
GEOMETRY_TYPE = {"point": "0", "line": "1", "polygon": "2"}
SYMBOL_TYPE = {"point": "marker", "line": "line", "polygon": "fill"}
OUTLINE = "#555555"


def to_qml(style: LayerStyle, *, aliases: dict[str, str] | None = None) -> str:
    """The QGIS style document (QML) of a layer style.

    Parameters
    ----------
    style
        How the layer is drawn.
    aliases
        Column -> Dutch label, shown by QGIS instead of the column names.

    Returns
    -------
    str
        A complete QML document.

    Examples
    --------
    >>> from geo.export.styles import single
    >>> "singleSymbol" in to_qml(single("point", title="OV", colour="#444444"))
    True
    """
    root = ET.Element("qgis", {"version": QGIS_VERSION, "styleCategories": "Symbology|Fields"})
    renderer = _renderer(style)
    root.append(renderer)
    if aliases:
        element = ET.SubElement(root, "aliases")
        for index, (field, label) in enumerate(aliases.items()):
            ET.SubElement(element, "alias", {"field": field, "index": str(index), "name": label})
    ET.SubElement(root, "layerGeometryType").text = GEOMETRY_TYPE[style.geometry]
    ET.indent(root)
    return DOCTYPE + ET.tostring(root, encoding="unicode") + "\n"


def _renderer(style: LayerStyle) -> ET.Element:
    attrs = {"symbollevels": "0", "forceraster": "0", "enableorderby": "0"}
    if style.kind == "single":
        renderer = ET.Element("renderer-v2", {"type": "singleSymbol", **attrs})
        symbols = ET.SubElement(renderer, "symbols")
        symbols.append(_symbol(style, style.colour, "0"))
        return renderer
    column = style.column or ""
    if style.kind == "categorized":
        renderer = ET.Element("renderer-v2", {"type": "categorizedSymbol", "attr": column, **attrs})
        categories = ET.SubElement(renderer, "categories")
        symbols = ET.SubElement(renderer, "symbols")
        for i, cls in enumerate(style.classes):
            ET.SubElement(
                categories,
                "category",
                {"value": str(cls.value), "symbol": str(i), "label": cls.label, "render": "true"},
            )
            symbols.append(_symbol(style, cls.colour, str(i)))
        other = len(style.classes)
        ET.SubElement(
            categories,
            "category",
            {"value": "", "symbol": str(other), "label": "overig / onbekend", "render": "true"},
        )
        symbols.append(_symbol(style, "#bbbbbb", str(other)))
        source = ET.SubElement(renderer, "source-symbol")
        source.append(_symbol(style, style.colour, "0"))
        return renderer
    return _graduated(style, attrs)


def _graduated(style: LayerStyle, attrs: dict[str, str]) -> ET.Element:
    column = style.column or ""
    classes: list[StyleClass] = list(style.classes)
    attribute = f'"{column}"'
    if style.missing is not None:
        sentinel = missing_sentinel(style)
        attribute = f'coalesce("{column}", {sentinel:g})'
        if classes:  # the first real class starts between the sentinel and the minimum
            first = classes[0]
            lowest = first.lower if first.lower is not None else 0.0
            classes[0] = StyleClass(
                first.colour, first.label, (sentinel + lowest) / 2, first.upper, first.value
            )
        classes.insert(0, StyleClass(MISSING, style.missing, sentinel, sentinel))
    renderer = ET.Element(
        "renderer-v2",
        {
            "type": "graduatedSymbol",
            "attr": attribute,
            "graduatedMethod": "GraduatedColor",
            **attrs,
        },
    )
    ranges = ET.SubElement(renderer, "ranges")
    symbols = ET.SubElement(renderer, "symbols")
    for i, cls in enumerate(classes):
        ET.SubElement(
            ranges,
            "range",
            {
                "lower": _num(cls.lower),
                "upper": _num(cls.upper),
                "symbol": str(i),
                "label": cls.label,
                "render": "true",
            },
        )
        symbols.append(_symbol(style, cls.colour, str(i)))
    source = ET.SubElement(renderer, "source-symbol")
    source.append(_symbol(style, style.colour, "0"))
    ET.SubElement(renderer, "mode", {"name": "jenks"})
    ET.SubElement(renderer, "rotation")
    ET.SubElement(renderer, "sizescale")
    return renderer


def _symbol(style: LayerStyle, colour: str, name: str) -> ET.Element:
    symbol = ET.Element(
        "symbol",
        {
            "type": SYMBOL_TYPE[style.geometry],
            "name": name,
            "alpha": "1",
            "clip_to_extent": "1",
            "force_rhr": "0",
        },
    )
    r, g, b = rgb(colour)
    fill = f"{r},{g},{b},255"
    if style.geometry == "point":
        layer_class = "SimpleMarker"
        props = {
            "name": "circle",
            "color": fill,
            "outline_color": "255,255,255,255",
            "outline_style": "solid",
            "outline_width": "0.3",
            "outline_width_unit": "MM",
            "size": "2.8",
            "size_unit": "MM",
        }
    elif style.geometry == "line":
        layer_class = "SimpleLine"
        props = {
            "line_color": fill,
            "line_style": "solid",
            "line_width": "0.6",
            "line_width_unit": "MM",
        }
    else:
        layer_class = "SimpleFill"
        outline = fill if style.outline else "{},{},{},255".format(*rgb(OUTLINE))
        props = {
            "color": fill,
            "style": "no" if style.outline else "solid",
            "outline_color": outline,
            "outline_style": "solid",
            "outline_width": "0.8" if style.outline else "0.2",
            "outline_width_unit": "MM",
            "joinstyle": "bevel",
        }
    layer = ET.SubElement(
        symbol, "layer", {"class": layer_class, "enabled": "1", "locked": "0", "pass": "0"}
    )
    options = ET.SubElement(layer, "Option", {"type": "Map"})
    for key, value in props.items():
        ET.SubElement(options, "Option", {"type": "QString", "name": key, "value": value})
    for key, value in props.items():
        ET.SubElement(layer, "prop", {"k": key, "v": value})
    return symbol


def _num(value: float | None) -> str:
    return "" if value is None else repr(float(value))


SLD_NS = {
    "xmlns": "http://www.opengis.net/sld",
    "xmlns:ogc": "http://www.opengis.net/ogc",
    "xmlns:se": "http://www.opengis.net/se",
    "xmlns:xlink": "http://www.w3.org/1999/xlink",
    "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "version": "1.1.0",
    "xsi:schemaLocation": "http://www.opengis.net/sld "
    "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd",
}


def to_sld(style: LayerStyle, *, layer: str) -> str:
    """The same style as an OGC SLD 1.1 document (for GeoServer and other tools).

    Examples
    --------
    >>> from geo.export.styles import single
    >>> sld = to_sld(single("point", title="OV", colour="#444444"), layer="haltes")
    >>> "<se:Name>haltes</se:Name>" in sld
    True
    """
    root = ET.Element("StyledLayerDescriptor", SLD_NS)
    named = ET.SubElement(root, "NamedLayer")
    ET.SubElement(named, "se:Name").text = layer
    user = ET.SubElement(named, "UserStyle")
    ET.SubElement(user, "se:Name").text = layer
    feature_style = ET.SubElement(user, "se:FeatureTypeStyle")
    column = style.column or ""
    if style.kind == "single":
        _rule(feature_style, style, style.title or layer, style.colour, None)
    elif style.kind == "categorized":
        for cls in style.classes:
            condition = ET.Element("ogc:PropertyIsEqualTo")
            ET.SubElement(condition, "ogc:PropertyName").text = column
            ET.SubElement(condition, "ogc:Literal").text = str(cls.value)
            _rule(feature_style, style, cls.label, cls.colour, condition)
    else:
        if style.missing is not None:
            condition = ET.Element("ogc:PropertyIsNull")
            ET.SubElement(condition, "ogc:PropertyName").text = column
            _rule(feature_style, style, style.missing, MISSING, condition)
        for i, cls in enumerate(style.classes):
            condition = ET.Element("ogc:And")
            low = ET.SubElement(
                condition,
                "ogc:PropertyIsGreaterThanOrEqualTo" if i == 0 else "ogc:PropertyIsGreaterThan",
            )
            ET.SubElement(low, "ogc:PropertyName").text = column
            ET.SubElement(low, "ogc:Literal").text = _num(cls.lower)
            high = ET.SubElement(condition, "ogc:PropertyIsLessThanOrEqualTo")
            ET.SubElement(high, "ogc:PropertyName").text = column
            ET.SubElement(high, "ogc:Literal").text = _num(cls.upper)
            _rule(feature_style, style, cls.label, cls.colour, condition)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _rule(
    parent: ET.Element,
    style: LayerStyle,
    title: str,
    colour: str,
    condition: ET.Element | None,
) -> None:
    rule = ET.SubElement(parent, "se:Rule")
    ET.SubElement(rule, "se:Name").text = title
    description = ET.SubElement(rule, "se:Description")
    ET.SubElement(description, "se:Title").text = title
    if condition is not None:
        ogc_filter = ET.SubElement(rule, "ogc:Filter")
        ogc_filter.append(condition)
    if style.geometry == "point":
        symbolizer = ET.SubElement(rule, "se:PointSymbolizer")
        graphic = ET.SubElement(symbolizer, "se:Graphic")
        mark = ET.SubElement(graphic, "se:Mark")
        ET.SubElement(mark, "se:WellKnownName").text = "circle"
        _fill(mark, colour)
        _stroke(mark, "#ffffff", 1)
        ET.SubElement(graphic, "se:Size").text = "10"
    elif style.geometry == "line":
        symbolizer = ET.SubElement(rule, "se:LineSymbolizer")
        _stroke(symbolizer, colour, 2)
    else:
        symbolizer = ET.SubElement(rule, "se:PolygonSymbolizer")
        if not style.outline:
            _fill(symbolizer, colour)
        _stroke(symbolizer, colour if style.outline else OUTLINE, 3 if style.outline else 1)


def _fill(parent: ET.Element, colour: str) -> None:
    fill = ET.SubElement(parent, "se:Fill")
    ET.SubElement(fill, "se:SvgParameter", {"name": "fill"}).text = colour


def _stroke(parent: ET.Element, colour: str, width: float) -> None:
    stroke = ET.SubElement(parent, "se:Stroke")
    ET.SubElement(stroke, "se:SvgParameter", {"name": "stroke"}).text = colour
    ET.SubElement(stroke, "se:SvgParameter", {"name": "stroke-width"}).text = f"{width:g}"
