"""Warming a fresh server before its first visitor (used by ``serve.py``).

Two things make the first page of a freshly started Streamlit server slow: importing the
libraries the pages use (pandas, geopandas, folium, …: about 2 s) and reading the data
folder. Both are done here once per process, so they are in ``sys.modules`` and in the
pages' shared caches (``st.cache_resource``, process-wide) before anyone connects.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent
COMPONENTS = {"streamlit_folium": "folium.plugins"}
"""Streamlit components register themselves only when imported inside a script run: these
are left to the first page, and the (slow) libraries they import are imported instead."""


def page_imports() -> list[str]:
    """The modules imported at the top of ``app.py`` and every page (in file order).

    A component module is replaced by what it imports (see :data:`COMPONENTS`).

    Examples
    --------
    >>> "folium.plugins" in page_imports() and "streamlit_folium" not in page_imports()
    True
    """
    names: list[str] = []
    for path in [PAGES_DIR.parent / "app.py", *sorted(PAGES_DIR.glob("*.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.append(node.module)
    names = [COMPONENTS.get(n, n) for n in names if n != "__future__"]
    return list(dict.fromkeys(names))


def warm_up(folder: str | None = None) -> str:
    """Import the pages' modules and load ``folder`` (default: the app's data folder).

    Returns a short Dutch summary for the server log. A folder that cannot be read is left
    alone: the first page shows the error as it would without warming.
    """
    imported = 0
    for name in page_imports():
        try:
            importlib.import_module(name)
            imported += 1
        except ImportError:  # an optional extra: the page says what is missing
            continue
    from app_pages._common import warm_caches

    loaded = warm_caches(folder)
    return f"{imported} modules geladen; {loaded}"
