"""Partner files are never dropped from view: a new register takes them in.

A data folder may hold only partner files in ``aanbod/`` (as the real Utrecht data: 269
sports locations). They are shown read-only until the first change creates the register;
from then on only the register is read. So, just before that first change,
:func:`adopt_partner_files` imports the folder's partner files into the new register — with
their validation reports, as one undoable change (where the backend can: the GeoPackage)
— and says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.aanbod.accounts import Account, actor_name
from geo.aanbod.importer import REJECTED
from geo.aanbod.read import load_aanbod
from geo.aanbod.register import AanbodRegister
from geo.aanbod.schema import LAYERS

logger = logging.getLogger(__name__)


@dataclass
class Adoption:
    """What a new register took in from the folder's partner files.

    Attributes
    ----------
    counts
        Rows stored per layer.
    reports
        The validation report of every partner file (as ``import`` shows it).
    notices
        File-level remarks, and files that could not be read.
    """

    counts: dict[str, int] = field(default_factory=dict)
    reports: dict[str, pd.DataFrame] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """All rows taken in."""
        return sum(self.counts.values())

    @property
    def message(self) -> str:
        """A Dutch sentence for the user."""
        per_file = ", ".join(f"{name}: {_accepted(r)}" for name, r in self.reports.items())
        return (
            f"Nieuw register: {self.rows} rij(en) uit {len(self.reports)} partnerbestand(en) "
            f"in de map zijn overgenomen ({per_file}), zodat ze zichtbaar blijven in de lijst, "
            "de kaart en de hiaten. Ongedaan maken kan met 'wijkkompas aanbod undo'."
        )


def adopt_partner_files(
    data_dir: str | Path,
    register: AanbodRegister,
    *,
    areas: gpd.GeoDataFrame | None = None,
    user: str | Account | None = None,
) -> Adoption | None:
    """Before the first change creates a register, take the folder's partner files in.

    Parameters
    ----------
    data_dir
        The dataset folder (its ``aanbod/`` holds the partner files).
    register
        The folder's register; nothing happens when it exists already.
    areas
        Canonical areas (outside-gemeente flags, buurt codes), as for ``import``.
    user
        Who makes the change that creates the register; the history names them with
        "(partnerbestanden overgenomen)". The rows keep their own ``organisatie``, so an
        account's role is not applied to them.

    Returns
    -------
    Adoption or None
        ``None`` when the register exists or the folder has no partner rows.

    Examples
    --------
    >>> adoption = adopt_partner_files("utrecht", open_register("utrecht"))  # doctest: +SKIP
    >>> adoption.counts  # doctest: +SKIP
    {'activiteiten': 269}
    """
    if register.exists:
        return None
    aanbod = load_aanbod(data_dir, areas=areas)
    if not aanbod.read_only or not aanbod.reports:
        return None
    adoption = Adoption(reports=dict(aanbod.reports), notices=list(aanbod.notices))
    who = f"{actor_name(user)} (partnerbestanden overgenomen)"
    frames = {
        laag: aanbod.layers[laag].drop(columns="id") for laag in LAYERS if len(aanbod.layers[laag])
    }
    stored = register.add_layers(frames, user=who, wor_deelnemers=aanbod.wor_deelnemers)
    adoption.counts = {laag: len(ids) for laag, ids in stored.items() if ids}
    if not adoption.rows:
        return None
    logger.info("register aangemaakt met partnerbestanden: %s", adoption.counts)
    return adoption


def _accepted(report: pd.DataFrame) -> str:
    status = report["status"]
    kept = int((status != REJECTED).sum())
    rejected = int((status == REJECTED).sum())
    return f"{kept} rij(en)" + (f", {rejected} afgewezen" if rejected else "")
