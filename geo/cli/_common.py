"""What every ``wijkkompas`` command shares: the Typer app, its options, JSON output, loading.

Every command takes a data folder (default ``data/`` or ``$WIJKKOMPAS_DATA``) and
``--gemeente``. Errors in the data are printed in Dutch, without a traceback, with exit code 2.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from geo.errors import DataError
from geo.settings import GROUPS

app = typer.Typer(
    name="wijkkompas",
    help="Wijkkompas: eenzaamheid, doelgroepen en aanbod per wijk en buurt.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Toon voortgang en details.")
    ] = False,
) -> None:
    """Wijkkompas: eenzaamheid, doelgroepen en aanbod per wijk en buurt."""
    if verbose:
        logging.getLogger("geo").setLevel(logging.INFO)


DataArg = Annotated[
    Path | None,
    typer.Argument(help="Datamap met wijken/ en aanbod/ (standaard: data/ of $WIJKKOMPAS_DATA)."),
]
GemeenteOpt = Annotated[
    str | None, typer.Option("--gemeente", "-g", help="Naam of CBS-code van de gemeente.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Uitvoer als één JSON-object.")]


def echo_json(payload: Any) -> None:
    """Print one JSON object (UTF-8, no ASCII escaping)."""
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


GroepOpt = Annotated[str, typer.Option("--groep", help=f"Doelgroep: {', '.join(GROUPS)}.")]
AantallenOpt = Annotated[
    Path | None,
    typer.Option(
        "--aantallen",
        help="CSV met betere aantallen (kolommen code;groep;aantal); vervangt de schattingen.",
    ),
]
JaarOpt = Annotated[int | None, typer.Option("--jaar", help="RIVM-jaar (standaard het laatste).")]
RollatorOpt = Annotated[
    bool,
    typer.Option(
        "--rollator", help="Ouderen lopen langzamer (rollator, 2,5 km/u): kleinere reikwijdte."
    ),
]
HemelsbreedOpt = Annotated[
    bool,
    typer.Option(
        "--hemelsbreed",
        help="Negeer het loopnetwerk in netwerk/: afstand hemelsbreed × omrijfactor.",
    ),
]
RelatiefOpt = Annotated[
    bool,
    typer.Option(
        "--relatief",
        help="Vervoersarmoede op de oude relatieve schaal (min-max binnen de dataset); "
        "alleen ter vergelijking, standaard de vaste schaal.",
    ),
]


@dataclass
class _NoAanbod:
    """Stand-in when the aanbod module cannot be imported: empty layers, said out loud."""

    layers: dict[str, Any] = field(default_factory=dict)
    notices: list[str] = field(
        default_factory=lambda: [
            "Aanbod niet geladen (de aanbodmodule ontbreekt): alle lagen zijn leeg, dus "
            "nergens telt passend aanbod."
        ]
    )


def load(data: Path | None, gemeente: str | None) -> tuple[Any, Any]:
    from geo.io.cache import load_dataset_cached
    from geo.io.folder import resolve_data_dir

    folder = resolve_data_dir(data)
    dataset = load_dataset_cached(folder, gemeente=gemeente)
    try:
        import geo.aanbod  # noqa: F401
    except ImportError:
        return dataset, _NoAanbod()
    from geo.io.cache import load_aanbod_cached

    return dataset, load_aanbod_cached(folder, dataset)


@contextmanager
def progress_bar(title: str) -> Iterator[Callable[[str, float], None]]:
    """A ``progress(step, fraction)`` callback: a rich progress bar on a terminal, else nothing."""
    if not sys.stderr.isatty():
        yield lambda _step, _fraction: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(title, total=1.0)

        def update(step: str, fraction: float) -> None:
            bar.update(task, completed=fraction, description=step[:60])

        yield update


def main() -> None:
    """Entry point of the console script: run the CLI, turning DataError into a Dutch message."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except DataError as exc:
        typer.echo(f"Fout: {exc}", err=True)
        sys.exit(2)
