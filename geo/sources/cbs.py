"""CBS and RIVM tables from the CBS OData v3 API, written in the layouts the loaders read.

``{cbs_url}/{table}/TypedDataSet?$format=json&$filter=...`` answers ``{"value": [...]}`` and,
when there are more rows, an ``odata.nextLink`` to the next page. Cells that CBS does not
publish are ``null`` and become ``.`` (not published) in the files written here.

* Kerncijfers wijken en buurten -> a kwb CSV (``gwb_code_10``, ``regio``, ``a_inw``...): the
  OData columns are mapped on their stem (``AantalInwoners_5`` -> ``a_inw``), names come from
  the ``WijkenEnBuurten`` dimension;
* Nabijheid voorzieningen -> a StatLine-style ``;`` CSV whose headers are built from
  ``DataProperties`` (``Gezondheid en welzijn/.../Afstand tot huisartsenpraktijk (km)``);
* RIVM Gezondheid per wijk en buurt -> the OData CSV as is (``Eenzaam_28``, ``Leeftijd``...).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from geo.sources._http import HttpClient, SourceError
from geo.sources.pdok import Gemeente

logger = logging.getLogger(__name__)

KWB_STEMS = {
    "AantalInwoners": "a_inw",
    "Mannen": "a_man",
    "Vrouwen": "a_vrouw",
    "k_0Tot15Jaar": "a_00_14",
    "k_15Tot25Jaar": "a_15_24",
    "k_25Tot45Jaar": "a_25_44",
    "k_45Tot65Jaar": "a_45_64",
    "k_65JaarOfOuder": "a_65_oo",
    "Nederland": "a_nl_all",
    "EuropaExclusiefNederland": "a_eur_al",
    "BuitenEuropa": "a_neu_al",
    "WestersTotaal": "a_w_all",
    "NietWestersTotaal": "a_nw_all",
    "HuishoudensTotaal": "a_hh",
    "Eenpersoonshuishoudens": "a_1p_hh",
    "HuishoudensZonderKinderen": "a_hh_z_k",
    "HuishoudensMetKinderen": "a_hh_m_k",
    "GemiddeldeHuishoudensgrootte": "g_hhgro",
    "Bevolkingsdichtheid": "bev_dich",
    "HuishoudensMetEenLaagInkomen": "p_hh_li",
    "PersonenautoSTotaal": "a_pau",
    "PersonenautoSPerHuishouden": "g_pau_hh",
    "OppervlakteTotaal": "a_opp_ha",
    "OppervlakteLand": "a_lan_ha",
    "MateVanStedelijkheid": "ste_mvs",
    "Omgevingsadressendichtheid": "ste_oad",
}
"""Stem of a Kerncijfers OData column -> kwb column (the stem is the name without ``_<n>``)."""

RIVM_AGES = ("20300", "80200", "53115")
"""RIVM ``Leeftijd`` codes: 18+, 65+, 18-65."""
RIVM_MARGES = ("MW00000", "MOG0095", "MBG0095")
"""RIVM ``Marges``: point estimate, lower and upper bound of the 95 % interval."""

REGION_STEMS = {"Gemeentenaam", "SoortRegio", "Codering", "IndelingswijzigingWijkenEnBuurten"}
"""Region description columns (text), not figures."""

NOT_PUBLISHED = "."
MAX_PAGES = 1000
_SUFFIX = re.compile(r"_\d+$")

Progress = Callable[[str, float], None]


def odata_rows(
    client: HttpClient,
    table: str,
    entity: str = "TypedDataSet",
    *,
    odata_filter: str | None = None,
    progress: Progress | None = None,
) -> tuple[list[dict[str, Any]], str]:
    """All rows of an OData entity set, following ``odata.nextLink``; and the first URL.

    Raises
    ------
    SourceError
        When an answer has no ``value`` list, or the request fails.
    """
    first = f"{client.settings.cbs_url}/{table}/{entity}"
    url: str | None = first
    first_params: dict[str, str | int] = {"$format": "json"}
    if odata_filter:
        first_params["$filter"] = odata_filter
    params: dict[str, str | int] | None = first_params
    rows: list[dict[str, Any]] = []
    for page_number in range(MAX_PAGES):
        if url is None:
            break
        page = client.get_json(url, params=params)
        if not isinstance(page, dict) or not isinstance(page.get("value"), list):
            raise SourceError(
                f"het antwoord van {url} is geen OData-tabel (geen 'value').",
                url=url,
                kind="json",
                hint="controleer het tabelnummer en het adres (WIJKKOMPAS_CBS_URL).",
            )
        rows.extend(page["value"])
        url = page.get("odata.nextLink") or page.get("@odata.nextLink")
        params = None
        if progress is not None:
            progress(f"{table}: pagina {page_number + 1} ({len(rows)} rijen)", 0.5)
    logger.info("CBS OData %s/%s: %d rijen", table, entity, len(rows))
    return rows, first


def area_filter(gemeente: Gemeente, column: str = "WijkenEnBuurten") -> str:
    """OData filter for the gemeente, its wijken and its buurten."""
    parts = [f"startswith({column},'{p}{gemeente.digits}')" for p in ("GM", "WK", "BU")]
    return "(" + " or ".join(parts) + ")"


def kwb_from_odata(
    client: HttpClient, table: str, gemeente: Gemeente, *, progress: Progress | None = None
) -> tuple[bytes, str, int]:
    """Kerncijfers wijken en buurten of a gemeente as kwb CSV bytes; the URL; the row count."""
    rows, url = odata_rows(client, table, odata_filter=area_filter(gemeente), progress=progress)
    _require(rows, table, gemeente, url)
    names, _ = odata_rows(
        client, table, "WijkenEnBuurten", odata_filter=area_filter(gemeente, "Key")
    )
    titles = {str(n.get("Key", "")).strip(): str(n.get("Title", "")).strip() for n in names}
    out = []
    for row in rows:
        code = str(row.get("WijkenEnBuurten", "")).strip()
        record: dict[str, object] = {
            "gwb_code_10": code,
            "regio": titles.get(code, code),
            "gm_naam": _text(_stem_value(row, "Gemeentenaam")) or gemeente.naam or "",
        }
        for column, value in row.items():
            kwb = KWB_STEMS.get(_SUFFIX.sub("", column))
            if kwb is not None:
                record[kwb] = NOT_PUBLISHED if value is None else value
        out.append(record)
    frame = pd.DataFrame(out)
    return frame.to_csv(index=False).encode("utf-8"), url, len(frame)


def nabijheid_from_odata(
    client: HttpClient, table: str, gemeente: Gemeente, *, progress: Progress | None = None
) -> tuple[bytes, str, int]:
    """Nabijheid voorzieningen of a gemeente as a StatLine-style ``;`` CSV (UTF-8 with BOM)."""
    rows, url = odata_rows(client, table, odata_filter=area_filter(gemeente), progress=progress)
    _require(rows, table, gemeente, url)
    properties, _ = odata_rows(client, table, "DataProperties")
    by_id = {p.get("ID"): p for p in properties}
    headers: dict[str, str] = {}
    for prop in properties:
        key = str(prop.get("Key") or "")
        if (
            prop.get("Type") != "Topic"
            or not key
            or prop.get("Datatype") == "String"
            or _SUFFIX.sub("", key) in REGION_STEMS
        ):
            continue
        path = [str(prop.get("Title", prop["Key"])).strip()]
        parent = by_id.get(prop.get("ParentID"))
        while parent is not None:
            path.insert(0, str(parent.get("Title", "")).strip())
            parent = by_id.get(parent.get("ParentID"))
        unit = str(prop.get("Unit") or "aantal").strip()
        headers[str(prop["Key"])] = f"{'/'.join(path)} ({unit})"
    out = []
    for row in rows:
        code = str(row.get("WijkenEnBuurten", "")).strip()
        record: dict[str, object] = {
            "Wijken en buurten": code,
            "Regioaanduiding/Gemeentenaam (naam)": _text(_stem_value(row, "Gemeentenaam")),
            "Regioaanduiding/Soort regio (omschrijving)": _text(_stem_value(row, "SoortRegio")),
            "Regioaanduiding/Codering (code)": _text(_stem_value(row, "Codering")) or code,
        }
        for key, header in headers.items():
            value = row.get(key)
            record[header] = NOT_PUBLISHED if value is None else value
        out.append(record)
    frame = pd.DataFrame(out)
    return frame.to_csv(index=False, sep=";").encode("utf-8-sig"), url, len(frame)


def rivm_from_odata(
    client: HttpClient, table: str, gemeente: Gemeente, *, progress: Progress | None = None
) -> tuple[bytes, str, int]:
    """RIVM Gezondheid per wijk en buurt (18+, 65+, 18-65) as OData CSV.

    Asks for the point estimate and both bounds of the 95 % interval (:data:`RIVM_MARGES`);
    the reader keeps the bounds as ``lower``/``upper`` on the figure rows.
    """
    ages = " or ".join(f"Leeftijd eq '{code}'" for code in RIVM_AGES)
    marges = " or ".join(f"Marges eq '{code}'" for code in RIVM_MARGES)
    odata_filter = f"({ages}) and ({marges}) and {area_filter(gemeente)}"
    rows, url = odata_rows(client, table, odata_filter=odata_filter, progress=progress)
    _require(rows, table, gemeente, url)
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].map(lambda v: v.strip() if isinstance(v, str) else v)
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, na_rep=NOT_PUBLISHED)
    return buffer.getvalue().encode("utf-8"), url, len(frame)


def _require(rows: list[dict[str, Any]], table: str, gemeente: Gemeente, url: str) -> None:
    if not rows:
        raise SourceError(
            f"CBS-tabel {table} heeft geen rijen voor gemeente {gemeente.code}.",
            url=url,
            kind="leeg",
            hint="controleer de gemeentecode en het jaar (na een herindeling heeft een "
            "gemeente een nieuwe code); kies met --jaar een ander jaar.",
        )


def _stem_value(row: dict[str, Any], stem: str) -> object:
    return next((v for k, v in row.items() if _SUFFIX.sub("", k) == stem), None)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()
