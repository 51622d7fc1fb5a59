"""Shared helpers of the pages: cached loading and analysis, the sidebar state, banners."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from geo.aanbod import load_aanbod
from geo.analysis.pipeline import GapResult, analyse
from geo.errors import DataError
from geo.model.dataset import Dataset, load_dataset, resolve_data_dir
from geo.settings import GROUP_LABELS, GROUPS, AnalysisSettings

AGE_LABELS = {"18+": "18 jaar en ouder", "65+": "65 jaar en ouder", "18-65": "18 tot 65 jaar"}


def folder_stamp(folder: str) -> float:
    """Latest modification time below a data folder (the cache key changes when files do)."""
    root = Path(folder)
    times = [p.stat().st_mtime for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return max(times, default=0.0)


@st.cache_resource(show_spinner="Gegevens laden…", max_entries=4)
def cached_dataset(folder: str, gemeente: str | None, stamp: float) -> Dataset:
    """The dataset of a folder (shared by all sessions; never mutated)."""
    return load_dataset(folder, gemeente=gemeente or None)


@st.cache_resource(show_spinner="Aanbod laden…", max_entries=4)
def cached_aanbod(folder: str, gemeente: str | None, stamp: float):  # noqa: ANN201
    """The aanbod of a folder."""
    dataset = cached_dataset(folder, gemeente, stamp)
    return load_aanbod(folder, areas=dataset.areas, gemeente_code=dataset.gemeente_code)


@st.cache_data(show_spinner="Hiaten berekenen…", max_entries=16)
def cached_analysis(
    folder: str, gemeente: str | None, stamp: float, group: str, year: int | None
) -> GapResult:
    """The gap analysis for a group (cached on folder, files' age and parameters)."""
    dataset = cached_dataset(folder, gemeente, stamp)
    aanbod = cached_aanbod(folder, gemeente, stamp)
    return analyse(dataset, aanbod.layers, group=group, settings=AnalysisSettings(year=year))


def state() -> dict[str, object]:
    """The sidebar's choices (set in app.py)."""
    return {
        "folder": st.session_state.get("folder", str(resolve_data_dir(None))),
        "gemeente": st.session_state.get("gemeente") or None,
        "year": st.session_state.get("year"),
        "age": st.session_state.get("age", "18+"),
        "group": st.session_state.get("group", "ouderen"),
    }


def current() -> tuple[Dataset, object, dict[str, object]]:
    """The dataset, its aanbod and the sidebar state; stops the page on a data error."""
    choice = state()
    folder = str(choice["folder"])
    try:
        stamp = folder_stamp(folder)
        dataset = cached_dataset(folder, choice["gemeente"], stamp)
        aanbod = cached_aanbod(folder, choice["gemeente"], stamp)
    except DataError as exc:
        st.error(f"De gegevens konden niet worden geladen: {exc}")
        st.stop()
    choice["stamp"] = stamp
    return dataset, aanbod, choice


def analysis(choice: dict[str, object], group: str | None = None) -> GapResult:
    """The cached gap analysis for the chosen (or given) group."""
    return cached_analysis(
        str(choice["folder"]),
        choice["gemeente"],
        float(choice["stamp"]),
        group or str(choice["group"]),
        choice["year"],
    )  # type: ignore[arg-type]


def demo_banner(dataset: Dataset) -> None:
    """A clear notice on every page when the data is the fictional demo city."""
    if dataset.demo:
        st.warning(
            "**DEMO** — dit is Demostad, een verzonnen stad met gegenereerde cijfers. "
            "Gebruik deze gegevens niet voor beleid.",
            icon=":material/warning:",
        )


def group_label(group: str) -> str:
    """Dutch label of a focus group."""
    return GROUP_LABELS[group]


def csv_download(frame: pd.DataFrame) -> bytes:
    """A table as CSV for Dutch Excel (BOM, ';', decimal comma), formula-safe."""
    from geo.present.safe_text import neutralise_formula

    return (
        frame.map(neutralise_formula).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
    )


def password() -> str | None:
    """The editors' password: Streamlit secrets ``[wijkkompas] wachtwoord`` or an env var."""
    try:
        secret = st.secrets.get("wijkkompas", {}).get("wachtwoord")
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        secret = None
    return secret or os.environ.get("WIJKKOMPAS_WACHTWOORD")


__all__ = ["AGE_LABELS", "GROUPS", "current", "analysis", "demo_banner", "group_label", "state"]
