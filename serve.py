"""Start the dashboard on a warm server: ``python serve.py [streamlit options]``.

``streamlit run app.py`` imports the pages' libraries and reads the data folder only when the
first visitor opens a page, so the first map waits several seconds for them. This launcher
starts that work as soon as Streamlit's runtime exists, alongside the server: it imports
every module the pages import and loads the default data folder (the demo, or
``WIJKKOMPAS_DATA``) into the shared caches the pages use; the log says when it is done.
A visitor who comes earlier waits only for what is left. What the warming loaded is then
frozen out of the garbage collector's reach (``gc.freeze``): Streamlit runs a full collection
after every page, which otherwise scanned the whole loaded data folder each time.

The server is Streamlit's own (``st.App``, run by ``streamlit run serve.py`` with the same
options as ``streamlit run app.py``) with one middleware: every page is sent as a Dutch page
with its title and description (:mod:`app_pages._head`), and its connections send without
Nagle's delay (:mod:`app_pages._server`: 0,4 s less before a new visitor's first page).

The work cannot come before the runtime: a component imported earlier (``streamlit_folium``)
is registered nowhere, and Streamlit's config would be read before the command line's.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().with_name("app.py")

if __name__ != "__main__":  # imported by the server that main() starts: the ASGI app it serves
    from starlette.middleware import Middleware
    from streamlit import App

    from app_pages._head import DutchPages

    app = App(str(APP), middleware=[Middleware(DutchPages)])


def main(argv: list[str]) -> int:
    """Streamlit's own command line on this file's ``app``, with the warming started beside it."""
    sys.path.insert(0, str(APP.parent))
    from app_pages._server import send_without_delay

    send_without_delay()
    threading.Thread(target=_warm_when_running, name="wijkkompas-warm", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(Path(__file__).resolve()), *argv]
    return int(cli.main() or 0)


def _warm_when_running() -> None:
    """Wait until Streamlit's runtime exists, then warm the process (see the module text)."""
    start = time.perf_counter()
    from streamlit.runtime import Runtime

    while not Runtime.exists():
        time.sleep(0.05)
    from app_pages._warm import warm_up

    done = warm_up()
    # what the warming loaded (modules, the data folder's tables) lives as long as the server:
    # out of the collector's reach, Streamlit's full collection after every page run scans
    # only what the pages made (it was 0,24 s of every Utrecht page)
    gc.collect()
    gc.freeze()
    done += f"; {gc.get_freeze_count()} objecten buiten de garbage collector"
    print(f"Wijkkompas voorbereid in {time.perf_counter() - start:.1f} s: {done}", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
