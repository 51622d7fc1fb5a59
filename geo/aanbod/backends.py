"""Choose the register backend: a GeoPackage in the data folder, or PostGIS on a server.

``WIJKKOMPAS_DATABASE_URL=postgresql://user:pass@host/db`` selects the server register for
the CLI, the app and notebooks; without it every data folder has its own
``aanbod/register.gpkg``.
"""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path

from geo.aanbod.register import REGISTER_FILE, AanbodRegister
from geo.errors import DataError

logger = logging.getLogger(__name__)

DATABASE_URL_ENV = "WIJKKOMPAS_DATABASE_URL"
"""Environment variable naming the server register (a ``postgresql://`` URL)."""


def register_path(data_dir: str | Path) -> Path:
    """Where a dataset's GeoPackage register lives: ``<data>/aanbod/register.gpkg``."""
    return Path(data_dir) / "aanbod" / REGISTER_FILE


def database_url(database_url: str | None = None) -> str | None:
    """The server URL in effect: the argument, else ``WIJKKOMPAS_DATABASE_URL``.

    An empty string means "the GeoPackage", whatever the environment says.
    """
    if database_url is None:
        database_url = os.environ.get(DATABASE_URL_ENV, "")
    return database_url.strip() or None


def open_register(data_dir: str | Path, *, database_url: str | None = None) -> AanbodRegister:
    """The register of a data folder.

    Parameters
    ----------
    data_dir
        The dataset folder; its ``aanbod/register.gpkg`` is the register unless a server
        URL is in effect.
    database_url
        ``postgresql://user:pass@host/db`` for the server register. ``None`` reads
        ``WIJKKOMPAS_DATABASE_URL``; ``""`` forces the GeoPackage.

    Returns
    -------
    AanbodRegister
        Nothing is created or written until the first change.

    Raises
    ------
    DataError
        A URL that is not ``postgresql://`` / ``postgres://``.

    Examples
    --------
    >>> register = open_register("data", database_url="")
    >>> register.location.endswith("register.gpkg")
    True
    """
    url = _database_url_of(database_url)
    if url is None:
        from geo.aanbod.register_gpkg import GeoPackageRegister

        return GeoPackageRegister(register_path(data_dir))
    if not url.startswith(("postgresql://", "postgres://")):
        raise DataError(
            "onbekend soort database-URL.",
            value=url.split("@")[-1],
            hint=f"gebruik postgresql://gebruiker:wachtwoord@host/database in {DATABASE_URL_ENV}.",
        )
    module = importlib.import_module("geo.aanbod.register_pg")  # only with a server
    register: AanbodRegister = module.PostgisRegister(url)
    return register


_database_url_of = database_url
