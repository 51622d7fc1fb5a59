"""Wijkkompas: loneliness figures, focus groups and what is offered, per wijk and buurt.

The package is pure analysis (no Streamlit). The data flows one way::

    io/ (recognise and read official files)  ->  model/ (canonical areas, figures,
    populations, focus areas, aanbod)  ->  analysis/  ->  present/ (maps, reports)
"""

from __future__ import annotations

from geo.errors import DataError

__version__ = "0.1.0"

__all__ = ["DataError", "__version__"]
