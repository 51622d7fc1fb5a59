"""What an export holds: named layers, with per layer its source, year, vintage and style.

The writers (GeoPackage, GeoJSON, CSV, Excel, HTML map) work on any :class:`ExportBundle`;
:func:`~geo.export.layers.collect_layers` assembles one from a dataset, its aanbod and the
gap analysis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd

import geo
from geo.errors import DataError
from geo.export.styles import LayerStyle
from geo.io.crs import RD

DEMO_LABEL = "DEMO – fictieve gegevens, niet gebruiken voor beleid"
NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class LayerMeta:
    """What a person needs to know about one exported layer.

    Attributes
    ----------
    title
        Dutch title (sheet name, QGIS layer title, legend).
    source
        Where the data comes from (``Bron: ...``).
    year
        Year(s) of the figures, as text (``2020`` or ``2012, 2016, 2020``).
    vintage
        Boundary vintage (``indeling 2020``) or ``n.v.t.``.
    method
        How derived values were computed (empty for data as read).
    style
        How the layer is drawn (None: QGIS default).
    labels
        Column -> Dutch label (Excel/CSV headers, QGIS aliases).
    notes
        Remarks: fallbacks, suppressed figures, unreliable values.
    sheet
        Short title for an Excel sheet (at most 31 characters); default: the title.
    """

    title: str
    source: str
    year: str = ""
    vintage: str = ""
    method: str = ""
    style: LayerStyle | None = None
    labels: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    sheet: str = ""

    def label(self, column: str) -> str:
        """The Dutch label of a column (the column name when it has none)."""
        return self.labels.get(column, column)


@dataclass
class ExportBundle:
    """Layers to export, in EPSG:28992, with their metadata.

    Attributes
    ----------
    layers
        Layer name (lower-case letters, digits, ``_``) -> GeoDataFrame, in export order.
    meta
        Layer name -> :class:`LayerMeta`.
    titel
        Dataset title.
    demo
        Fictional demo data: every output says DEMO.
    sources
        The files read (``bestand``, ``soort``, ``titel``, ``jaar``, ``indeling``, ``rijen``,
        ``bron``), for the "Bronnen" sheet.
    notes
        What the user should know about the whole export.
    created
        Export time (UTC).
    version
        Wijkkompas version.
    suppression
        How small numbers were treated (:mod:`geo.export.suppression`): suppressed and
        rounded (the default) or exported exactly for internal use; in every metadata table.
    """

    layers: dict[str, gpd.GeoDataFrame]
    meta: dict[str, LayerMeta]
    titel: str = ""
    demo: bool = False
    sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)
    created: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    version: str = geo.__version__
    suppression: str = ""

    def __post_init__(self) -> None:
        """Check the layers at the boundary: names, types, CRS, metadata."""
        for name, frame in self.layers.items():
            if not NAME.match(name):
                raise DataError(
                    "ongeldige laagnaam voor export.",
                    value=name,
                    hint="gebruik kleine letters, cijfers en '_' (begin met een letter).",
                )
            if not isinstance(frame, gpd.GeoDataFrame):
                raise DataError(
                    f"laag '{name}' is geen GeoDataFrame.", hint="geef een GeoDataFrame."
                )
            if frame.crs is None:
                raise DataError(
                    f"laag '{name}' heeft geen coördinatenstelsel.",
                    hint="zet het stelsel met set_crs (EPSG:28992).",
                )
            if name not in self.meta:
                raise DataError(
                    f"laag '{name}' heeft geen metadata (bron, jaar, indeling).",
                    hint="geef voor elke laag een LayerMeta.",
                )

    @property
    def label(self) -> str:
        """Dataset title, with the DEMO warning for demo data."""
        return f"{self.titel} — {DEMO_LABEL}" if self.demo else self.titel

    def select(self, names: Iterable[str] | None) -> ExportBundle:
        """A bundle with only some layers (None: all), in the given order.

        Raises
        ------
        DataError
            When a name is not one of the layers (with the available names).
        """
        if names is None:
            return self
        wanted = [n.strip() for n in names if n.strip()]
        unknown = [n for n in wanted if n not in self.layers]
        if unknown:
            raise DataError(
                "deze laag bestaat niet in de export.",
                value=", ".join(unknown),
                hint=f"kies uit: {', '.join(self.layers)}.",
            )
        return replace(
            self,
            layers={n: self.layers[n] for n in wanted},
            meta={n: self.meta[n] for n in wanted},
        )

    def in_rd(self, name: str) -> gpd.GeoDataFrame:
        """A layer in EPSG:28992 (reprojected copy when it is not)."""
        frame = self.layers[name]
        return frame if frame.crs.to_epsg() == 28992 else frame.to_crs(RD)

    def metadata_table(self) -> pd.DataFrame:
        """One row per layer: source, year, boundary vintage, method, export time, version.

        Examples
        --------
        >>> bundle.metadata_table().columns.tolist()  # doctest: +SKIP
        ['laag', 'titel', 'bron', 'jaar', 'indeling', 'methode', 'opmerkingen', 'rijen', ...]
        """
        rows = []
        for name, frame in self.layers.items():
            meta = self.meta[name]
            rows.append(
                {
                    "laag": name,
                    "titel": meta.title,
                    "bron": meta.source,
                    "jaar": meta.year,
                    "indeling": meta.vintage,
                    "methode": meta.method,
                    "opmerkingen": "; ".join(meta.notes),
                    "rijen": len(frame),
                    "dataset": self.titel,
                    "demo": DEMO_LABEL if self.demo else "",
                    "onderdrukking": self.suppression,
                    "exporttijd": self.created.isoformat(),
                    "wijkkompas_versie": self.version,
                }
            )
        return pd.DataFrame(rows)


METADATA_LABELS = {
    "laag": "Laag",
    "titel": "Titel",
    "bron": "Bron",
    "jaar": "Jaar",
    "indeling": "Grensindeling",
    "methode": "Methode",
    "opmerkingen": "Let op",
    "rijen": "Rijen",
    "dataset": "Dataset",
    "demo": "Demo",
    "onderdrukking": "Kleine aantallen",
    "exporttijd": "Exporttijd (UTC)",
    "wijkkompas_versie": "Wijkkompas-versie",
}
