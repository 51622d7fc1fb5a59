"""Licences and attribution lines for every output that shows figures or maps."""

from __future__ import annotations

from collections.abc import Iterable

CBS = (
    "CBS: Kerncijfers wijken en buurten, Nabijheid voorzieningen en wijk- en buurtkaart — "
    "open data, licentie CC BY 4.0. Bron: CBS."
)
RIVM = (
    "RIVM, GGD'en en CBS: Gezondheidsmonitor Volwassenen en Ouderen, tabel 50090NED "
    "'Gezondheid per wijk en buurt' — open data, licentie CC BY 4.0. Bron: RIVM, GGD'en, CBS "
    "(Gezondheidsmonitor)."
)
UTRECHT = "Gemeente Utrecht: wijk- en buurtgrenzen — open data (data.utrecht.nl)."
OSM = "Achtergrondkaart en OV-gegevens uit OpenStreetMap: © OpenStreetMap-bijdragers, ODbL 1.0."
MULIER = "Mulier Instituut: database sportaccommodaties."
DEMO = (
    "DEMO: alle cijfers en al het aanbod van Demostad zijn verzonnen; niet gebruiken voor beleid."
)


def attributions(texts: Iterable[object], *, demo: bool = False, osm: bool = False) -> list[str]:
    """The licence and attribution lines that apply to the given source texts.

    CBS and RIVM are always named (their table formats are the basis of every dataset);
    Gemeente Utrecht, OpenStreetMap and the Mulier Instituut when a source mentions them.

    Parameters
    ----------
    texts
        Source descriptions and file names.
    demo
        Add the DEMO warning first.
    osm
        The output shows OpenStreetMap tiles (always attribute them).

    Examples
    --------
    >>> lines = attributions(["Gemeente Utrecht (open data)"])
    >>> any("Gemeente Utrecht" in line for line in lines)
    True
    """
    joined = " ".join(str(t) for t in texts if t is not None).casefold()
    lines = [DEMO] if demo else []
    lines += [CBS, RIVM]
    if "utrecht" in joined and not demo:
        lines.append(UTRECHT)
    if osm or "openstreetmap" in joined or "osm" in joined.split():
        lines.append(OSM)
    if "mulier" in joined:
        lines.append(MULIER)
    return lines
