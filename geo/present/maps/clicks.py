"""Click handling: which area a user clicked on the map (from ``st_folium``'s answer)."""

from __future__ import annotations

import re
from collections.abc import Mapping

CODE_PATTERN = re.compile(r"\b(?:BU|WK|GM)\d{4,8}\b")


def clicked_area(returned: Mapping[str, object] | None) -> str | None:
    """The area a user clicked, from what ``st_folium`` returned (None when nothing).

    Looks at the clicked feature's ``gebied`` (focus area) or ``code`` property, and
    otherwise for a CBS code in the clicked tooltip's text.

    Examples
    --------
    >>> clicked_area({"last_active_drawing": {"properties": {"code": "BU03440311"}}})
    'BU03440311'
    >>> clicked_area({"last_object_clicked_tooltip": "Taagdreef (BU03440311) Eenzaam 61 %"})
    'BU03440311'
    >>> clicked_area(None) is None
    True
    """
    if not returned:
        return None
    drawing = returned.get("last_active_drawing") or {}
    properties = drawing.get("properties") if isinstance(drawing, Mapping) else None
    if isinstance(properties, Mapping):
        for key in ("gebied", "code"):
            if properties.get(key):
                return str(properties[key])
    found = CODE_PATTERN.search(str(returned.get("last_object_clicked_tooltip") or ""))
    return found.group(0) if found else None
