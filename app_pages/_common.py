"""Shared helpers of the pages: cached loading and analysis, the sidebar state, banners.

Caches are keyed on the data folder, a stamp of its files (modification times, sizes) and
the parameters, so a changed file or a new aanbod register is picked up on the next run.
The dataset and aanbod are shared objects (``st.cache_resource``: never mutated by a page);
analysis results are copied per run (``st.cache_data``: small and quick to pickle).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from app_pages._head import PAGE_DESCRIPTIONS as PAGE_DESCRIPTIONS  # one sentence per page
from geo.aanbod import Aanbod
from geo.errors import DataError
from geo.io.cache import load_aanbod_cached, load_dataset_cached
from geo.io.folder import resolve_data_dir
from geo.model.dataset import Dataset
from geo.model.figures import AGE_LABELS as AGE_LABELS  # the pages import it from here
from geo.present.basemap import BasemapSettings, tiles_reachable
from geo.present.maps import prepare_drawing
from geo.present.safe_text import neutralise_formula
from geo.present.tables import HTML_ROWS_MAX, html_table
from geo.settings import GROUP_LABELS, AnalysisSettings

if TYPE_CHECKING:  # imported where used: the first map of a fresh server does not wait for them
    import folium

    from geo.analysis.pipeline import GapResult
    from geo.analysis.reach import WalkNetworkLike
    from geo.export import ExportBundle
    from geo.present.maps.kaart import KaartBeeld, KaartKeuze

PAGES = "app_pages"
DEFAULT_AGE, DEFAULT_GROUP = "18+", "ouderen"
"""The sidebar's age group and focus group in a new session."""
PROFILE_PAGE = f"{PAGES}/profiel.py"
MAP_PAGE = f"{PAGES}/kaart.py"
ICON = Path(__file__).resolve().parents[1] / "static" / "wijkkompas.png"
STYLESHEET = ICON.with_name("wijkkompas.css")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$:!])")
_MARKDOWN_LIST_MARK = re.compile(r"^(\s*)([-+=])")
_MARKDOWN_NUMBERED = re.compile(r"^(\s*\d+)([.)])")


def folder_stamp(folder: str) -> str:
    """A stamp of the files below a data folder: it changes when any file is added or changed."""
    root = Path(folder)
    if not root.is_dir():
        return "ontbreekt"
    stats = [p.stat() for p in root.rglob("*") if p.is_file()]
    newest = max((s.st_mtime_ns for s in stats), default=0)
    return f"{len(stats)}-{sum(s.st_size for s in stats)}-{newest}"


@st.cache_resource(show_spinner="Gegevens laden…", max_entries=4)
def cached_dataset(folder: str, gemeente: str | None, stamp: str) -> Dataset:
    """The dataset of a folder (shared by all sessions; pages never change it).

    A freshly started server reads the canonical tables from the on-disk table cache
    (:mod:`geo.io.cache`) when the folder's files are unchanged.
    """
    return load_dataset_cached(folder, gemeente=gemeente or None)


@st.cache_resource(show_spinner="Aanbod laden…", max_entries=4)
def cached_aanbod(folder: str, gemeente: str | None, stamp: str) -> Aanbod:
    """The aanbod of a folder: its register, or the partner files read-only."""
    dataset = cached_dataset(folder, gemeente, _files_only(stamp))
    return load_aanbod_cached(folder, dataset)


@st.cache_resource(show_spinner="Loopnetwerk laden…", max_entries=4)
def cached_network(folder: str, stamp: str) -> WalkNetworkLike | None:
    """The walking network of the folder's ``netwerk/`` (shared; None without one)."""
    from geo.analysis.method import folder_network

    return folder_network(folder)


@st.cache_data(show_spinner="Hiaten berekenen…", max_entries=16)
def cached_analysis(
    folder: str, gemeente: str | None, stamp: str, group: str, year: int | None
) -> GapResult:
    """The gap analysis of a focus group (cached on folder, its files and the parameters)."""
    from geo.analysis.pipeline import analyse

    dataset = cached_dataset(folder, gemeente, _files_only(stamp))
    aanbod = cached_aanbod(folder, gemeente, stamp)
    return analyse(
        dataset,
        aanbod.layers,
        group=group,
        settings=AnalysisSettings(year=year),
        network=cached_network(folder, stamp),
    )


@st.cache_data(show_spinner="Exportlagen verzamelen…", max_entries=8)
def cached_bundle(
    folder: str,
    gemeente: str | None,
    stamp: str,
    groups: tuple[str, ...],
    year: int | None,
    indicator: str,
    age: str,
    gebied: str | None,
    suppress: bool = True,
) -> ExportBundle:
    """The export layers of a folder (whole gemeente or one area), cached on the choices.

    Choosing layers or a format on the Export page reruns it; the bundle is not rebuilt.
    ``suppress``: small numbers suppressed and rounded (default) or exact (internal use).
    """
    from geo.export import collect_layers, restrict_to_area

    dataset = cached_dataset(folder, gemeente, _files_only(stamp))
    aanbod = cached_aanbod(folder, gemeente, stamp)
    results = [cached_analysis(folder, gemeente, stamp, g, year) for g in groups]
    bundle = collect_layers(
        dataset, aanbod, results, indicator=indicator, age=age, year=year, suppress=suppress
    )
    return bundle if gebied is None else restrict_to_area(bundle, dataset, gebied)


@st.cache_data(ttl=300, show_spinner=False)
def _tiles_online(settings: BasemapSettings) -> bool:
    """Whether the background's tiles answer (checked at most every five minutes)."""
    return tiles_reachable(settings)


def background() -> tuple[BasemapSettings, bool]:
    """The background settings (``WIJKKOMPAS_BASEMAP``, tile URLs) and whether tiles load."""
    settings = BasemapSettings.from_env()
    return settings, _tiles_online(settings)


def inject_styles() -> None:
    """Add the app's stylesheet (contrast, focus, phone and print) to the page."""
    st.html(STYLESHEET)


def page_header(title: str) -> None:
    """The page's title (also in the browser tab) and its one-sentence description."""
    st.title(title, anchor=False)
    st.caption(PAGE_DESCRIPTIONS[title])


def show_map(m: folium.Map, *, key: str, height: int, returned: list[str]) -> dict | None:  # type: ignore[type-arg]
    """A folium map at the column's width; only ``returned`` come back (``st_folium``'s names).

    Panning and zooming do not rerun the page unless their values are asked for. The map is
    rendered once (``st_folium`` would render it twice), so pass a map that is not rendered
    elsewhere (:meth:`~geo.present.maps.kaart.KaartBeeld.for_rendering` for a shared one).
    """
    from streamlit_folium import st_folium  # a component registers only inside a script run

    return st_folium(  # type: ignore[no-any-return]
        m,
        render=False,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=returned,
    )


def show_table(
    frame: pd.DataFrame,
    caption: str,
    *,
    numeric: tuple[str, ...] = (),
    row_header: str | None = None,
) -> None:
    """A table with its caption: HTML (a real ``<table>``) when small, else Streamlit's grid.

    Up to ``HTML_ROWS_MAX`` rows (a city's buurten) the table is accessible HTML
    (:func:`geo.present.tables.html_table`); a larger one (the country's buurten) is the
    scrolling grid of ``st.dataframe`` with the caption above it.
    """
    if len(frame) <= HTML_ROWS_MAX:
        st.html(html_table(frame, caption=caption, numeric=numeric, row_header=row_header))
    else:
        st.caption(caption)
        st.dataframe(frame, hide_index=True, width="stretch")


@st.cache_resource(show_spinner=False, max_entries=16)
def cached_kaart(
    folder: str,
    gemeente: str | None,
    stamp: str,
    keuze: KaartKeuze,
    basemap: BasemapSettings,
    online: bool,
) -> KaartBeeld:
    """The Kaart's map for the choices, built once and shared by every visitor.

    Render :meth:`~geo.present.maps.kaart.KaartBeeld.for_rendering` (a copy): ``st_folium``
    writes into the map it renders.
    """
    from geo.present.maps.kaart import kaart_map

    dataset = cached_dataset(folder, gemeente, _files_only(stamp))
    aanbod = cached_aanbod(folder, gemeente, stamp)
    return kaart_map(
        dataset,
        aanbod.layers,
        keuze,
        basemap=basemap,
        online=online,
        gaps=lambda: cached_analysis(folder, gemeente, stamp, keuze.group, keuze.year),
    )


def clear_caches() -> None:
    """Forget loaded data (after the aanbod changed)."""
    cached_aanbod.clear()
    cached_analysis.clear()
    cached_bundle.clear()
    cached_kaart.clear()


def state() -> dict[str, object]:
    """The sidebar's choices (widgets in ``app.py``)."""
    return {
        "folder": st.session_state.get("folder") or str(resolve_data_dir(None)),
        "gemeente": st.session_state.get("gemeente") or None,
        "year": st.session_state.get("year"),
        "age": st.session_state.get("age", DEFAULT_AGE),
        "group": st.session_state.get("group", DEFAULT_GROUP),
    }


def current() -> tuple[Dataset, Aanbod, dict[str, object]]:
    """The dataset, its aanbod and the sidebar state; stops the page on a data error."""
    choice = state()
    folder = str(choice["folder"])
    try:
        dataset, aanbod, stamp = _load(folder, choice["gemeente"])
    except DataError as exc:
        st.error(f"De gegevens konden niet worden geladen. {exc}")
        st.stop()
    choice["stamp"] = stamp
    from app_pages._fetch import render_fetch_offer

    render_fetch_offer(folder, demo=dataset.demo)
    if choice["year"] not in dataset.years:
        choice["year"] = dataset.years[-1] if dataset.years else None
    return dataset, aanbod, choice


def _load(folder: str, gemeente: str | None) -> tuple[Dataset, Aanbod, str]:
    """A folder's shared dataset and aanbod, and the stamp their cache keys use."""
    stamp = folder_stamp(folder) + _server_stamp()
    dataset = cached_dataset(folder, gemeente, _files_only(stamp))
    return dataset, cached_aanbod(folder, gemeente, stamp), stamp


def warm_caches(folder: str | None = None) -> str:
    """Load a folder's dataset and aanbod into the shared caches as a first visitor would.

    Loaded as :func:`current` loads them, with a new session's choices (folder as in the
    sidebar, no gemeente), so that session finds them. Returns a short Dutch summary.
    """
    folder = folder or str(resolve_data_dir(None))
    try:
        dataset, aanbod, stamp = _load(folder, None)
    except DataError as exc:
        return f"gegevens niet vooraf geladen ({exc})"
    for niveau in ("buurt", "wijk"):  # the shapes the Kaart draws, whatever its choices
        prepare_drawing(dataset.level(niveau))
    # the map a new session's Kaart shows (its widgets' defaults, as the page builds them)
    from geo.model.figures import LONELINESS
    from geo.present.maps.kaart import kaart_keuze, present_soorten

    first = kaart_keuze(
        next(iter(LONELINESS)),
        niveau="buurt",
        age=DEFAULT_AGE,
        year=dataset.years[-1] if dataset.years else None,
        group=DEFAULT_GROUP,
        soorten=present_soorten(aanbod.layers["activiteiten"]),
    )
    # background(): the connection check a first page makes (remembered for five minutes)
    cached_kaart(folder, None, stamp, first, *background())
    if dataset.demo:  # the sources' connection check too
        from app_pages._fetch import online
        from geo.sources import SourceSettings

        online(SourceSettings.from_env().pdok_url)
    return f"{dataset.gemeente_naam or folder} vooraf geladen"


def _server_stamp() -> str:
    """With a server register other people's changes do not touch the folder: reread every 30 s."""
    from geo.aanbod.backends import database_url

    return "" if database_url() is None else f"-db{int(time.time() // 30)}"


def _files_only(stamp: str) -> str:
    """The folder part of a stamp (the dataset does not change with the server register)."""
    return stamp.split("-db")[0]


def analysis(choice: dict[str, object], group: str | None = None) -> GapResult:
    """The cached gap analysis for the chosen (or given) focus group."""
    year = choice["year"]
    return cached_analysis(
        str(choice["folder"]),
        choice["gemeente"],  # type: ignore[arg-type]
        str(choice["stamp"]),
        group or str(choice["group"]),
        int(year) if year is not None else None,  # type: ignore[call-overload]
    )


def area_options(dataset: Dataset) -> tuple[list[str], dict[str, str]]:
    """Focus areas, wijken and buurten to choose from: keys (name or code) and their labels."""
    options = list(dataset.gebieden)
    labels = {name: f"{name} (aandachtsgebied)" for name in options}
    for row in dataset.areas[dataset.areas["niveau"].isin(["wijk", "buurt"])].itertuples():
        options.append(str(row.code))
        labels[str(row.code)] = f"{row.naam} ({row.niveau}, {row.code})"
    return options, labels


def demo_banner(dataset: Dataset) -> None:
    """A clear notice on every page when the data is the fictional demo city."""
    if dataset.demo:
        st.warning(
            f"**DEMO** — {md(dataset.gemeente_naam or 'Demostad')} is een verzonnen stad met "
            "gegenereerde cijfers, in het formaat van de echte bronnen. Gebruik deze gegevens "
            "niet voor beleid.",
            icon=":material/warning:",
        )


def group_label(group: str) -> str:
    """Dutch label of a focus group."""
    return GROUP_LABELS[group]


def md(value: object) -> str:
    """Text from a file or a user, made inert for Streamlit markdown (no links, no images).

    Streamlit never renders HTML in markdown unless asked to; this also neutralises the
    markdown itself, so a name like ``![x](https://…)`` shows as typed.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", str(value).replace("\n", " "))
    text = _MARKDOWN_LIST_MARK.sub(r"\1\\\2", text)
    return _MARKDOWN_NUMBERED.sub(r"\1\\\2", text)


def code(value: object) -> str:
    """Text shown as inline code in markdown (code spans are literal; no backticks inside)."""
    return "`" + str(value).replace("`", "'").replace("\n", " ") + "`"


def csv_download(frame: pd.DataFrame) -> bytes:
    """A table as CSV for Dutch Excel (BOM, ``;``, decimal comma), formula-safe."""
    return (
        frame.map(neutralise_formula).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
    )


def password() -> str | None:
    """The editors' password: Streamlit secret ``[wijkkompas] wachtwoord`` or an env var."""
    try:
        secret = st.secrets.get("wijkkompas", {}).get("wachtwoord")
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        secret = None
    return secret or os.environ.get("WIJKKOMPAS_WACHTWOORD") or None


def identity_provider() -> bool:
    """True when ``[auth]`` is configured in the secrets, so ``st.login`` can be offered."""
    try:
        auth = st.secrets.get("auth", {})
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return False
    return bool(auth and auth.get("redirect_uri"))
