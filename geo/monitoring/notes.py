"""Local knowledge per area: which notes belong to a buurt, wijk or focus area.

A note is stored against one key: a wijk or buurt code (``WK034403``, ``BU03440301``) or the
name of a focus area (``Overvecht``). An area's profile shows the notes on the area itself,
on its member wijken and buurten, and on the focus areas it is (part of).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from geo.errors import DataError
from geo.model.codes import normalise_code
from geo.model.dataset import Dataset


def note_area(dataset: Dataset, gebied: str) -> str:
    """The key a note is stored under: a known code (upper case) or a focus area's name.

    Raises
    ------
    DataError
        Neither a wijk/buurt code of the dataset nor a focus area name.

    Examples
    --------
    >>> note_area(utrecht, "wk034403")  # doctest: +SKIP
    'WK034403'
    """
    code = normalise_code(gebied)
    if code in set(dataset.areas["code"].astype(str)):
        return code
    for naam in dataset.gebieden:
        if naam.casefold() == str(gebied).strip().casefold():
            return naam
    examples = ", ".join(list(dataset.gebieden)[:4]) or "geen aandachtsgebieden"
    raise DataError(
        "onbekend gebied voor de notitie.",
        column="gebied",
        value=str(gebied),
        hint=f"geef een wijk- of buurtcode uit de dataset (WK..., BU...) of de naam van een "
        f"aandachtsgebied ({examples}).",
    )


def notes_for_area(
    notes: pd.DataFrame,
    dataset: Dataset,
    *,
    key: str,
    naam: str,
    codes: list[str],
    buurten: list[str],
) -> pd.DataFrame:
    """The notes of an area profile, newest first, with ``over`` (what the note is about).

    Parameters
    ----------
    notes
        :meth:`~geo.monitoring.store.MonitoringStore.notes`.
    dataset
        For the names of areas and the focus areas' members.
    key, naam, codes, buurten
        The profile's area (``area_profile(...)["area"]``).
    """
    if notes.empty:
        return notes.assign(over=pd.Series(dtype=object))
    wijken = {c for c in codes if c.startswith("WK")}
    areas = dataset.areas.set_index("code")
    wijken |= {str(w) for w in areas.reindex(buurten)["wijk_code"].dropna()}
    members = set(codes) | set(buurten) | wijken
    focus = {naam} | {g.naam for g in dataset.gebieden.values() if members & set(g.codes)}
    keep = notes["gebied"].isin(members | focus | {key})
    out = notes[keep].copy()
    names = areas["naam"].astype(str).to_dict()
    out["over"] = [names.get(g, g) for g in out["gebied"]]
    return out.reset_index(drop=True)


def area_notes(dataset: Dataset, area: dict[str, Any] | None) -> pd.DataFrame:
    """The notes of a profile's area (``area_profile(...)["area"]``), or all with None.

    Reads the monitoring store of the dataset's folder (register backend in effect).
    """
    from geo.monitoring.store import open_monitoring

    notes = open_monitoring(dataset.path).notes()
    if area is None:
        return notes
    return notes_for_area(
        notes, dataset, key=str(area["key"]), naam=str(area["naam"]),
        codes=list(area["codes"]), buurten=list(area["buurten"]),
    )
