"""Online sources: PDOK, CBS/RIVM OData, OpenStreetMap (Overpass) and the PDOK Locatieserver.

Everything is fetched through one cached, retrying HTTP client (:mod:`geo.sources._http`);
base URLs and limits live in :class:`~geo.sources.settings.SourceSettings`. Nothing here
imports streamlit: the CLI and the app pass a ``progress(step, fraction)`` callback.
"""

from geo.sources._http import SourceError
from geo.sources.settings import SourceSettings

__all__ = ["SourceError", "SourceSettings"]
