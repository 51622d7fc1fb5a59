"""The ``wijkkompas`` command: one module per command group, all on one Typer app.

Every command takes a data folder (default ``data/`` or ``$WIJKKOMPAS_DATA``) and
``--gemeente``. Errors in the data are printed in Dutch, without a traceback, with exit code 2.

The command modules import only :mod:`geo.cli._common` (the app, shared options, loading),
never each other; importing this package registers them all.
"""

from __future__ import annotations

from geo.cli import (  # noqa: F401  (registers the subcommands)
    aanbod,
    analysis,
    database,
    export,
    fetch,
    gebruiker,
    info,
    monitoring,
    scenario,
)
from geo.cli._common import app, echo_json, main

__all__ = ["app", "echo_json", "main"]
