"""Typed, documented, frozen settings of the online sources (base URLs, HTTP limits, cache).

Every base URL can be overridden per call (``dataclasses.replace``) or by an environment
variable, so tests point them at a local server and a mirror can be used behind a firewall.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from geo import __version__

ENV_PREFIX = "WIJKKOMPAS_"
"""Environment variables are ``WIJKKOMPAS_<FIELD>`` in upper case (``WIJKKOMPAS_PDOK_URL``)."""

KWB_TABLES = {
    2020: "84799NED",
    2021: "85039NED",
    2022: "85318NED",
    2023: "85618NED",
    2024: "85984NED",
}
"""CBS Kerncijfers wijken en buurten: year -> StatLine table id."""

NABIJHEID_TABLES = {2023: "85830NED"}
"""CBS Nabijheid voorzieningen, wijk- en buurtcijfers: year -> StatLine table id."""

RIVM_TABLES = ("50090NED", "50120NED")
"""RIVM/CBS Gezondheid per wijk en buurt: 2012/2016/2020 (indeling 2020) and 2022."""


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "wijkkompas"


@dataclass(frozen=True)
class SourceSettings:
    """Where the online sources are and how they are asked.

    Attributes
    ----------
    pdok_url
        Base of the PDOK OGC APIs; the CBS wijken en buurten API of year ``Y`` is
        ``{pdok_url}/cbs/wijken-en-buurten-Y/ogc/v1``. Env ``WIJKKOMPAS_PDOK_URL``.
    pdok_wfs_url
        Base of the PDOK services; the WFS fallback of year ``Y`` is
        ``{pdok_wfs_url}/cbs/wijkenbuurten/Y/wfs/v1_0``. Env ``WIJKKOMPAS_PDOK_WFS_URL``.
    cbs_url
        CBS OData v3 API (``{cbs_url}/{table}/TypedDataSet``). Env ``WIJKKOMPAS_CBS_URL``.
    overpass_url
        Overpass API interpreter (POST). Env ``WIJKKOMPAS_OVERPASS_URL``.
    locatieserver_url
        PDOK Locatieserver v3.1 (``{locatieserver_url}/free``). Env
        ``WIJKKOMPAS_LOCATIESERVER_URL``.
    osm_pbf_url
        A Geofabrik-style ``.osm.pbf`` extract (e.g.
        ``https://download.geofabrik.de/europe/netherlands/utrecht-latest.osm.pbf``) to take
        the walking network from instead of Overpass; clipped to the gemeente plus a buffer.
        Empty (default): Overpass. Env ``WIJKKOMPAS_OSM_PBF_URL``.
    gtfs_url
        The national GTFS timetable (zip), by default the openly published Dutch feed of
        OVapi (``http://gtfs.ovapi.nl/nl/gtfs-nl.zip``, all Dutch public transport); streamed
        to disk (not kept in the HTTP cache) and filtered to the gemeente plus a buffer into
        ``ov/``. Empty: no timetable. Env ``WIJKKOMPAS_GTFS_URL``.
    cache_dir
        On-disk HTTP cache (SQLite, keyed by request). Env ``WIJKKOMPAS_CACHE_DIR``;
        default ``~/.cache/wijkkompas``.
    cache_days
        Cached answers older than this are fetched again (official tables change yearly).
    timeout_s
        Seconds to wait for a connection and for each read.
    retries
        Extra attempts after a 429, a 5xx, a timeout or a dropped connection.
    backoff_s
        First wait between attempts; doubled every attempt (1, 2, 4 s by default).
    max_wait_s
        Longest wait honoured from a ``Retry-After`` header; longer means failure.
    page_size
        Features per page from PDOK.
    user_agent
        Sent with every request, so the services know who asks (Overpass asks for it).
    """

    pdok_url: str = "https://api.pdok.nl"
    pdok_wfs_url: str = "https://service.pdok.nl"
    cbs_url: str = "https://opendata.cbs.nl/ODataApi/odata"
    overpass_url: str = "https://overpass-api.de/api/interpreter"
    locatieserver_url: str = "https://api.pdok.nl/bzk/locatieserver/search/v3_1"
    osm_pbf_url: str = ""
    gtfs_url: str = "http://gtfs.ovapi.nl/nl/gtfs-nl.zip"
    cache_dir: Path = _default_cache_dir()
    cache_days: float = 30.0
    timeout_s: float = 60.0
    retries: int = 3
    backoff_s: float = 1.0
    max_wait_s: float = 120.0
    page_size: int = 1000
    user_agent: str = (
        f"Wijkkompas/{__version__} (+https://www.utrecht.nl/zorg-en-onderwijs/eenzaamheid)"
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> SourceSettings:
        """Defaults, then ``WIJKKOMPAS_<FIELD>`` environment variables, then ``overrides``.

        Examples
        --------
        >>> SourceSettings.from_env({"WIJKKOMPAS_CBS_URL": "http://localhost:8000"}).cbs_url
        'http://localhost:8000'
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for item in fields(cls):
            text = env.get(f"{ENV_PREFIX}{item.name.upper()}")
            if text is None or text == "":
                continue
            kind = str(item.type)
            if "Path" in kind:
                values[item.name] = Path(text).expanduser()
            elif kind == "int":
                values[item.name] = int(text)
            elif kind == "float":
                values[item.name] = float(text)
            else:
                values[item.name] = text.rstrip("/")
        values.update(overrides)
        return replace(cls(), **values)  # type: ignore[arg-type]

    def ogc_api(self, year: int) -> str:
        """The CBS wijken en buurten OGC API Features of a year."""
        return f"{self.pdok_url}/cbs/wijken-en-buurten-{year}/ogc/v1"

    def wfs(self, year: int) -> str:
        """The CBS wijken en buurten WFS of a year (fallback)."""
        return f"{self.pdok_wfs_url}/cbs/wijkenbuurten/{year}/wfs/v1_0"
