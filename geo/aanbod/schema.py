"""Schemas of the aanbod layers: columns, the soort taxonomy and the doelgroepen.

Every layer is a GeoDataFrame in EPSG:28992. Multi-valued text fields (``doelgroepen``,
``talen``, ``dagdelen``, ``gebied_codes``) are stored as ``;``-separated keys.
"""

from __future__ import annotations

LAYERS = ("activiteiten", "lief_en_leed", "welzijn_op_recept", "buurtmobiel", "ov_haltes")
"""Layer names (GeoPackage layer names in the register)."""

LAYER_LABELS = {
    "activiteiten": "Activiteiten en voorzieningen",
    "lief_en_leed": "Lief en Leedstraten",
    "welzijn_op_recept": "Welzijn op recept",
    "buurtmobiel": "Buurtmobiel en vervoersdiensten",
    "ov_haltes": "OV-haltes",
}

SOORTEN = {
    "ontmoeting": "Ontmoeting / inloop",
    "maatjes": "Maatjes / buddy",
    "samen_eten": "Samen eten",
    "bewegen": "Bewegen / sport",
    "cultuur": "Cultuur / creatief",
    "informatie": "Informatie en advies (wijkinformatiepunt, infopunt informele zorg)",
    "training": "Training / lezing",
    "vervoer": "Vervoer",
    "overig": "Overig",
}
"""The fixed soort taxonomy: key -> Dutch label."""

DOELGROEPEN = {
    "jongvolwassenen": "Jongvolwassenen",
    "migrantenouderen": "Migrantenouderen",
    "ouderen_thuiswonend": "Ouderen (thuiswonend)",
    "alleenstaanden": "Alleenstaanden",
    "iedereen": "Iedereen",
}
"""Target groups an activity can serve: key -> Dutch label. ``iedereen`` serves every group."""

DAGDELEN = ("ochtend", "middag", "avond", "weekend")

ACTIVITEITEN_COLUMNS = [
    "id",
    "naam",
    "soort",
    "doelgroepen",
    "talen",
    "dagdelen",
    "frequentie",
    "capaciteit",
    "organisatie",
    "adres",
    "postcode",
    "bron",
    "laatst_gecontroleerd",
    "locatie_status",
    "opmerking",
    "buurt_code",
    "geometry",
]
LIEF_EN_LEED_COLUMNS = ["id", "straat", "buurt_code", "potjes", "jaar", "bron", "geometry"]
WELZIJN_OP_RECEPT_COLUMNS = [
    "id",
    "naam",
    "soort_locatie",
    "organisatie",
    "adres",
    "bron",
    "geometry",
]
WOR_DEELNEMERS_COLUMNS = ["wijk_code", "jaar", "deelnemers", "bron"]
BUURTMOBIEL_COLUMNS = [
    "id",
    "naam",
    "dienst",
    "dagen",
    "tijden",
    "doelgroep",
    "gebied_codes",
    "bron",
    "geometry",
]
OV_HALTES_COLUMNS = ["id", "naam", "vertrekken_per_uur", "bron", "geometry"]

COLUMNS = {
    "activiteiten": ACTIVITEITEN_COLUMNS,
    "lief_en_leed": LIEF_EN_LEED_COLUMNS,
    "welzijn_op_recept": WELZIJN_OP_RECEPT_COLUMNS,
    "buurtmobiel": BUURTMOBIEL_COLUMNS,
    "ov_haltes": OV_HALTES_COLUMNS,
}

LOCATED = "gelokaliseerd"
NOT_LOCATED = "niet gelokaliseerd"
"""Values of ``locatie_status``: rows with only an address are kept, without geometry."""

GROUP_SOORTEN = {
    "ouderen": (
        "ontmoeting",
        "maatjes",
        "samen_eten",
        "bewegen",
        "cultuur",
        "informatie",
        "vervoer",
    ),
    "alleenstaande-ouderen": (
        "ontmoeting",
        "maatjes",
        "samen_eten",
        "bewegen",
        "cultuur",
        "informatie",
        "vervoer",
    ),
    "migrantenouderen": (
        "ontmoeting",
        "maatjes",
        "samen_eten",
        "bewegen",
        "cultuur",
        "informatie",
        "vervoer",
    ),
    "jongvolwassenen": (
        "ontmoeting",
        "maatjes",
        "samen_eten",
        "bewegen",
        "cultuur",
        "training",
        "informatie",
    ),
}
"""Which soorten count as reachable offer for each focus group (documented default)."""

GROUP_DOELGROEPEN = {
    "ouderen": ("ouderen_thuiswonend", "iedereen"),
    "alleenstaande-ouderen": ("ouderen_thuiswonend", "alleenstaanden", "iedereen"),
    "migrantenouderen": ("migrantenouderen", "ouderen_thuiswonend", "iedereen"),
    "jongvolwassenen": ("jongvolwassenen", "iedereen"),
}
"""Which doelgroepen of an activity serve each focus group."""


def split_keys(value: object) -> list[str]:
    """``"ouderen_thuiswonend;iedereen"`` -> ``["ouderen_thuiswonend", "iedereen"]``."""
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]
