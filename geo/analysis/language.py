"""Language fit for migrantenouderen: activities in the languages of a buurt's migrant elders.

Per buurt, the composition of its migrant elders by origin (herkomst) comes from an origin
table when the data folder has one (``herkomst/*.csv``, :func:`read_origins`: counts of
65-plussers per origin), else from the CBS Kerncijfers split Europa / buiten Europa (all ages:
the kwb has no origin by age, so this is a rough stand-in, stated in the notes). Every origin
has likely languages (:attr:`~geo.settings.AnalysisSettings.origin_languages`).

An activity serves elders of an origin when

* it offers one of the origin's languages (``talen``; empty = the default language ``nl``), or
* it is marked for that community (its naam, opmerking or doelgroepen name it: ``Turkse``,
  ``Marokkaanse``, ``Surinaamse``, ``Antilliaanse`` …), or
* it is marked for migrantenouderen (``doelgroepen``) without naming a language other than
  Dutch or a community: an activity for migrant elders in general serves every origin.

In reach (:func:`~geo.analysis.reach.reachable_offer`) the pair buurt × activity is weighed by
the **share of the buurt's migrant elders whose origin it serves**: the demand competing for an
activity and the access it gives are both multiplied by that share. This is E2SFCA run per
origin and summed, so the total offer is kept; it moves to the buurten whose elders can use it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from geo.aanbod.schema import split_keys
from geo.errors import DataError
from geo.io._tabular import line_number, parse_numbers, read_table, require_columns
from geo.model.codes import niveau_of, normalise_code
from geo.settings import AnalysisSettings

logger = logging.getLogger(__name__)

ORIGINS = {
    "turkije": "Turkije",
    "marokko": "Marokko",
    "suriname": "Suriname",
    "antillen_aruba": "voormalige Nederlandse Antillen en Aruba",
    "overig_niet_westers": "overig niet-westers",
    "westers": "westers (Europa, Noord-Amerika, Oceanië, Indonesië, Japan)",
}
"""Origins of an origin table: key -> Dutch label (CBS's herkomstgroepering)."""

FALLBACK_ORIGINS = {"europa": "Europa (excl. Nederland)", "buiten_europa": "buiten Europa"}
"""The kwb split used when there is no origin table."""

ORIGIN_ALIASES = {
    "turkije": "turkije",
    "turks": "turkije",
    "marokko": "marokko",
    "marokkaans": "marokko",
    "suriname": "suriname",
    "surinaams": "suriname",
    "antillen": "antillen_aruba",
    "antillenaruba": "antillen_aruba",
    "antillenenaruba": "antillen_aruba",
    "nederlandseantillenenaruba": "antillen_aruba",
    "voormaligenederlandseantillenenaruba": "antillen_aruba",
    "caribischnederland": "antillen_aruba",
    "overigniewesters": "overig_niet_westers",
    "overignietwesters": "overig_niet_westers",
    "overigeniewesters": "overig_niet_westers",
    "overigenietwesters": "overig_niet_westers",
    "overigbuiteneuropa": "overig_niet_westers",
    "westers": "westers",
    "europa": "westers",
    "overigwesters": "westers",
    "nederland": "",
    "nederlands": "",
    "autochtoon": "",
    "totaal": "",
}
"""Accepted spellings (lower case, letters only) -> origin key; '' = not a migrant origin."""

LANGUAGE_LABELS = {
    "nl": "Nederlands",
    "tr": "Turks",
    "ar": "Arabisch",
    "ber": "Tamazight",
    "srn": "Sranantongo",
    "pap": "Papiaments",
    "en": "Engels",
    "fr": "Frans",
    "de": "Duits",
    "pl": "Pools",
    "ku": "Koerdisch",
    "hi": "Hindi/Sarnami",
    "zh": "Chinees",
    "es": "Spaans",
    "pt": "Portugees",
    "so": "Somalisch",
    "ti": "Tigrinya",
    "fa": "Perzisch",
}
"""Language codes (ISO 639) -> Dutch name (the adjective in ``aanbod in het Turks``)."""

LANGUAGE_ALIASES = {
    "nederlands": "nl",
    "turks": "tr",
    "arabisch": "ar",
    "berbers": "ber",
    "tamazight": "ber",
    "amazigh": "ber",
    "tarifit": "ber",
    "sranantongo": "srn",
    "sranan": "srn",
    "papiaments": "pap",
    "papiamento": "pap",
    "engels": "en",
    "frans": "fr",
    "duits": "de",
    "pools": "pl",
    "koerdisch": "ku",
}
"""Dutch language names an aanbod ``talen`` cell may hold instead of a code."""

COMMUNITY_WORDS = {
    "turkije": ("turks", "turkse"),
    "marokko": ("marokka", "amazigh", "berber"),
    "suriname": ("surina", "hindoesta", "creool"),
    "antillen_aruba": ("antilli", "arubaan", "curaçao", "curacao", "caribisch"),
}
"""Words in an activity's naam, opmerking or doelgroepen that mark it for a community."""

LANGUAGE_COLUMNS = ("code", "herkomst", "aantal")
"""Columns of an origin table (long format, ``;`` or ``,`` separated, one row per area and
origin): ``code`` a CBS buurt or wijk code (``BU03440301``, ``WK034403``), ``herkomst`` an
origin (:data:`ORIGINS`: Turkije, Marokko, Suriname, voormalige Nederlandse Antillen en Aruba,
overig niet-westers, westers; rows for Nederland are ignored), ``aantal`` the number of
65-plussers of that origin (a CBS maatwerktabel or the gemeente's BRP figures)."""


@dataclass(frozen=True)
class OriginShares:
    """The composition of each buurt's migrant elders by origin.

    Attributes
    ----------
    shares
        One row per buurt code, one column per origin key, rows summing to 1 (NaN: unknown).
    source
        Per buurt code: ``herkomsttabel``, ``herkomsttabel (wijk)``, ``kwb`` or ``onbekend``.
    note
        What the composition rests on and its limit (Dutch).
    """

    shares: pd.DataFrame
    source: pd.Series
    note: str


def read_origins(path: str | Path) -> pd.DataFrame:
    """Read an origin table (:data:`LANGUAGE_COLUMNS`) into ``code``, ``herkomst``, ``aantal``.

    Raises
    ------
    DataError
        A missing column, an unknown area code or origin, or a count that is not a number, or
        negative; the message names the file, row, column and value.

    Examples
    --------
    >>> read_origins("herkomst/herkomst_65plus.csv").head()  # doctest: +SKIP
    """
    table = read_table(path)
    lower = require_columns(
        table,
        LANGUAGE_COLUMNS,
        where=" in de herkomsttabel",
        hint="gebruik de kolommen code;herkomst;aantal (aantal 65-plussers per herkomst).",
    )
    values, _ = parse_numbers(table, lower["aantal"], required=True)
    rows = []
    for position, (code, origin) in enumerate(
        zip(table.frame[lower["code"]], table.frame[lower["herkomst"]], strict=True)
    ):
        row = line_number(table, position)
        code = normalise_code(code)
        if niveau_of(code) not in ("buurt", "wijk"):
            raise DataError(
                "dit is geen buurt- of wijkcode.",
                file=path,
                row=row,
                column=lower["code"],
                value=code,
                hint="gebruik CBS-codes zoals BU03440301 of WK034403.",
            )
        key = ORIGIN_ALIASES.get("".join(ch for ch in str(origin).lower() if ch.isalpha()))
        if key is None:
            raise DataError(
                "onbekende herkomst.",
                file=path,
                row=row,
                column=lower["herkomst"],
                value=origin,
                hint="kies uit: " + ", ".join([*ORIGINS.values(), "Nederland"]) + ".",
            )
        if not np.isfinite(values[position]) or values[position] < 0:
            raise DataError(
                "het aantal moet een getal van 0 of meer zijn.",
                file=path,
                row=row,
                column=lower["aantal"],
                value=table.frame[lower["aantal"]].iloc[position],
            )
        if key:
            rows.append({"code": code, "herkomst": key, "aantal": float(values[position])})
    out = pd.DataFrame(rows, columns=list(LANGUAGE_COLUMNS))
    logger.info("herkomsttabel %s: %d rijen, %d gebieden", path, len(out), out["code"].nunique())
    return out


def origins_from_folder(folder: str | Path | None) -> pd.DataFrame | None:
    """The origin tables in a data folder's ``herkomst/`` (CSV), combined; None when absent."""
    if folder is None:
        return None
    files = sorted(Path(folder, "herkomst").glob("*.csv"))
    if not files:
        return None
    return pd.concat([read_origins(f) for f in files], ignore_index=True)


def origin_shares(
    buurten: pd.DataFrame,
    *,
    origins: pd.DataFrame | None = None,
    population: pd.DataFrame | None = None,
) -> OriginShares:
    """The composition of every buurt's migrant elders by origin.

    Parameters
    ----------
    buurten
        Buurt rows with ``code`` and ``wijk_code``.
    origins
        An origin table (:func:`read_origins`): a buurt's own rows, else its wijk's.
    population
        The kwb table (``herkomst_europa``, ``herkomst_buiten_europa``) for buurten the
        origin table does not cover, or when there is none.

    Returns
    -------
    OriginShares
    """
    codes = buurten["code"].astype(str).to_numpy()
    wijken = (
        buurten["wijk_code"].astype(str).to_numpy()
        if "wijk_code" in buurten
        else np.full(len(codes), "", dtype=object)
    )
    keys = [*ORIGINS, *FALLBACK_ORIGINS]
    shares = pd.DataFrame(np.nan, index=pd.Index(codes, name="code"), columns=keys)
    source = pd.Series("onbekend", index=shares.index, dtype=object)
    if origins is not None and len(origins):
        wide = origins.pivot_table(
            index="code", columns="herkomst", values="aantal", aggfunc="sum"
        ).reindex(columns=list(ORIGINS), fill_value=0.0)
        wide = wide.fillna(0.0)
        total = wide.sum(axis=1)
        wide = wide[total > 0].div(total[total > 0], axis=0)
        for position, (code, wijk) in enumerate(zip(codes, wijken, strict=True)):
            for where, label in ((code, "herkomsttabel"), (wijk, "herkomsttabel (wijk)")):
                if where in wide.index:
                    shares.iloc[position, : len(ORIGINS)] = wide.loc[where].to_numpy()
                    shares.iloc[position, len(ORIGINS) :] = 0.0
                    source.iloc[position] = label
                    break
    if population is not None and {"herkomst_europa", "herkomst_buiten_europa"} <= set(
        population.columns
    ):
        kwb = population.reindex(codes)
        europe = pd.to_numeric(kwb["herkomst_europa"], errors="coerce").to_numpy(dtype=float)
        outside = pd.to_numeric(kwb["herkomst_buiten_europa"], errors="coerce").to_numpy(
            dtype=float
        )
        total = europe + outside
        usable = (source.to_numpy() == "onbekend") & np.isfinite(total) & (total > 0)
        rows = np.flatnonzero(usable)
        shares.iloc[rows, :] = 0.0
        shares.iloc[rows, keys.index("europa")] = europe[rows] / total[rows]
        shares.iloc[rows, keys.index("buiten_europa")] = outside[rows] / total[rows]
        source.iloc[rows] = "kwb"
    counts = source.value_counts()
    parts = []
    from_table = int(counts.get("herkomsttabel", 0))
    from_wijk = int(counts.get("herkomsttabel (wijk)", 0))
    if from_table or from_wijk:
        parts.append(
            f"herkomst van de 65-plussers uit de herkomsttabel voor {from_table + from_wijk} "
            "buurt(en)" + (f" ({from_wijk} met het cijfer van de wijk)" if from_wijk else "")
        )
    if counts.get("kwb", 0):
        parts.append(
            f"voor {int(counts['kwb'])} buurt(en) alleen de CBS-verdeling Europa / buiten Europa "
            "van alle inwoners (niet per leeftijd, niet per land): aanbod in het Nederlands telt "
            "dan voor iedereen, alleen aanbod zonder Nederlands telt minder. Voeg een "
            "herkomsttabel toe (herkomst/*.csv: code;herkomst;aantal) voor een betere taaltoets"
        )
    if counts.get("onbekend", 0):
        parts.append(f"{int(counts['onbekend'])} buurt(en) zonder herkomst: taal niet gewogen")
    note = "Taal (migrantenouderen): " + "; ".join(parts) + "." if parts else ""
    return OriginShares(shares, source, note)


def activity_languages(talen: object, settings: AnalysisSettings = AnalysisSettings()) -> set[str]:
    """Language codes of a ``talen`` cell (codes or Dutch names; empty = the default language).

    Examples
    --------
    >>> sorted(activity_languages("nl;Turks"))
    ['nl', 'tr']
    >>> activity_languages("")
    {'nl'}
    """
    found = set()
    for part in split_keys(str(talen).replace(",", ";") if talen is not None else None):
        text = part.strip().lower()
        found.add(LANGUAGE_ALIASES.get(text, text))
    return found or {settings.default_language}


def origin_fit(
    activities: pd.DataFrame, settings: AnalysisSettings = AnalysisSettings()
) -> pd.DataFrame:
    """Which origins each activity serves (True/False), one column per origin key.

    Examples
    --------
    >>> acts = pd.DataFrame({"naam": ["Turkse soos", "Inloop"], "talen": ["tr", "nl"],
    ...                      "doelgroepen": ["migrantenouderen", "iedereen"]})
    >>> fit = origin_fit(acts)
    >>> fit.loc[0, ["turkije", "marokko"]].tolist(), fit.loc[1, ["turkije", "suriname"]].tolist()
    ([True, False], [False, True])
    """
    languages = dict(settings.origin_languages)
    keys = [*ORIGINS, *FALLBACK_ORIGINS]
    n = len(activities)

    def column(name: str) -> pd.Series:
        if name not in activities:
            return pd.Series("", index=activities.index, dtype=object)
        return activities[name].fillna("").astype(str)

    codes, uniques = pd.factorize(column("talen"))
    spoken_unique = [activity_languages(v, settings) for v in uniques]
    spoken = [spoken_unique[c] for c in codes] if n else []
    text = (column("naam") + " " + column("opmerking") + " " + column("doelgroepen")).str.lower()
    community = {
        origin: text.str.contains("|".join(words), regex=True).to_numpy(dtype=bool)
        for origin, words in COMMUNITY_WORDS.items()
    }
    any_community = np.zeros(n, dtype=bool)
    for marks in community.values():
        any_community |= marks
    marked = column("doelgroepen").map(lambda v: "migrantenouderen" in split_keys(v))
    only_dutch = np.array([s <= {settings.default_language, "nl"} for s in spoken], dtype=bool)
    general = marked.to_numpy(dtype=bool) & ~any_community & only_dutch
    out = pd.DataFrame(False, index=activities.index, columns=keys)
    for origin in keys:
        wanted = set(languages.get(origin, ()))
        speaks = np.array([bool(s & wanted) for s in spoken], dtype=bool)
        out[origin] = general | community.get(origin, np.zeros(n, dtype=bool)) | speaks
    return out


def language_weights(
    pair_buurt: np.ndarray, pair_supply: np.ndarray, shares: np.ndarray, fit: np.ndarray
) -> np.ndarray:
    """Per pair the share of the buurt's migrant elders the activity serves (1 when unknown).

    Parameters
    ----------
    pair_buurt, pair_supply
        Buurt row and activity row of every pair.
    shares
        Buurten × origins (rows sum to 1; NaN rows: composition unknown).
    fit
        Activities × origins, True where the activity serves the origin.

    Examples
    --------
    >>> shares = np.array([[0.5, 0.5], [np.nan, np.nan]])
    >>> fit = np.array([[True, False], [True, True]])
    >>> language_weights(np.array([0, 0, 1]), np.array([0, 1, 0]), shares, fit).tolist()
    [0.5, 1.0, 1.0]
    """
    if len(pair_buurt) == 0:
        return np.ones(0)
    part = shares[pair_buurt]
    known = np.isfinite(part).all(axis=1)
    weight = np.ones(len(pair_buurt))
    weight[known] = (part[known] * fit[pair_supply[known]]).sum(axis=1)
    return weight


def languages_in_reach(
    pairs: pd.DataFrame | None, activities: pd.DataFrame | None, codes: list[str]
) -> list[dict[str, object]]:
    """The languages other than Dutch offered by activities within reach of some buurten.

    Returns
    -------
    list of dict
        ``taal`` (code), ``label`` (Dutch), ``activiteiten`` (count), most offered first.
    """
    if pairs is None or activities is None or pairs.empty or "talen" not in activities:
        return []
    here = pairs.loc[pairs["code"].isin(codes), "activity"].unique()
    here = [a for a in here if a in activities.index]
    counts: dict[str, int] = {}
    for talen in activities.loc[here, "talen"]:
        for language in activity_languages(talen) - {"nl"}:
            counts[language] = counts.get(language, 0) + 1
    return [
        {"taal": code, "label": LANGUAGE_LABELS.get(code, code), "activiteiten": n}
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def languages_sentence(languages: list[dict[str, object]]) -> str:
    """``aanbod in het Turks/Arabisch/Tamazight binnen bereik`` ('' when none).

    Examples
    --------
    >>> languages_sentence([{"label": "Turks"}, {"label": "Arabisch"}])
    'aanbod in het Turks/Arabisch binnen bereik'
    """
    if not languages:
        return ""
    return "aanbod in het " + "/".join(str(x["label"]) for x in languages) + " binnen bereik"
