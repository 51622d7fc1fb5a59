"""Typed, documented, frozen settings of the gap analysis. Pass them explicitly.

No mutable module globals: in a Streamlit server every user shares the module, so every
choice lives in an :class:`AnalysisSettings` value that is passed to the functions that use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

GROUPS = ("ouderen", "alleenstaande-ouderen", "migrantenouderen", "jongvolwassenen")
"""Focus groups of the Uitvoeringsplan Eenzaamheid (CLI spelling)."""

GROUP_LABELS = {
    "ouderen": "65-plussers (thuiswonend)",
    "alleenstaande-ouderen": "alleenstaande thuiswonende ouderen",
    "migrantenouderen": "migrantenouderen",
    "jongvolwassenen": "jongvolwassenen (18-27 jaar)",
}
GROUP_NOUNS = {
    "ouderen": "65-plussers",
    "alleenstaande-ouderen": "alleenstaande ouderen",
    "migrantenouderen": "migrantenouderen",
    "jongvolwassenen": "jongvolwassenen",
}
ELDERLY = ("ouderen", "alleenstaande-ouderen", "migrantenouderen")

DISTANCE_METHODS = ("netwerk", "hemelsbreed")
"""``netwerk``: shortest paths over the walking network of the data folder's ``netwerk/``;
``hemelsbreed``: straight line × :attr:`AnalysisSettings.detour_factor` (no network)."""


def _is_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True


TRANSPORT_INDEX_CLASSES = (0.2, 0.4, 0.6, 0.8, 1.0)
"""Class upper bounds of the transport-poverty index on the fixed scale (maps)."""


@dataclass(frozen=True)
class TransportScales:
    """Fixed, absolute scales of the transport-poverty components (0 = best, 1 = worst).

    Each component is mapped to 0-1 by thresholds that do not depend on the other buurten,
    so a buurt's score depends only on its own facts and means the same in every gemeente
    and year. Between the two thresholds the mapping is linear; beyond them it is clipped.

    Attributes
    ----------
    autos_per_huishouden
        ``(worst, best)``: 0 cars per household → 1, 1.2 or more → 0 (kwb ``g_pau_hh``).
    afstand_ov_m
        ``(best, worst)``: a halte within 300 m → 0, 1,000 m or further → 1 (the ARE bands:
        beyond 1,000 m no stop gives an OV-klasse).
    aandeel_65plus
        ``(best, worst)`` in %: 10 % or less → 0, 40 % or more → 1 (the Dutch average is
        about 20 %).
    moeite_rondkomen
        ``(best, worst)`` in % of adults (RIVM): 5 % or less → 0, 40 % or more → 1.
    ov_klasse
        Score per OV-klasse of a resident (:mod:`geo.analysis.ov_klassen`); the buurt's
        component is the mean over its residents: A 0, B 0.2, C 0.4, D 0.6, E 0.8, F 0.9,
        ``geen`` (no class within 1,000 m) 1.
    buurtmobiel
        1 when no Buurtmobiel-like service covers the buurt, 0 when one does: only the
        buurt's own coverage counts, so adding a service area elsewhere changes nothing here.
    """

    autos_per_huishouden: tuple[float, float] = (0.0, 1.2)
    afstand_ov_m: tuple[float, float] = (300.0, 1000.0)
    aandeel_65plus: tuple[float, float] = (10.0, 40.0)
    moeite_rondkomen: tuple[float, float] = (5.0, 40.0)
    ov_klasse: tuple[tuple[str, float], ...] = (
        ("A", 0.0),
        ("B", 0.2),
        ("C", 0.4),
        ("D", 0.6),
        ("E", 0.8),
        ("F", 0.9),
        ("geen", 1.0),
    )


@dataclass(frozen=True)
class AnalysisSettings:
    """Every assumption of the gap analysis, with its default.

    Attributes
    ----------
    year
        RIVM edition (2012, 2016, 2020...); None = the most recent in the dataset.
    population_year
        CBS kwb year; None = the kwb year nearest the RIVM edition (the later one on a tie).
    catchment_m
        Catchment per group for the straight-line fallback (``hemelsbreed``: metres of
        straight line × :attr:`detour_factor`): 500 m for the elderly groups, 1,500 m for
        young adults. Used only when the data folder has no walking network; the defaults
        are those of every earlier version, so results without a network are unchanged.
    catchment_minutes
        Catchment per group over the walking network (``netwerk``), in walking minutes:
        10 minutes for the elderly groups, 20 minutes for young adults. In metres: minutes
        × the group's walking speed (600 m and 1,600 m by default).
    walking_speed_kmh
        Walking speed of elderly residents (ouderen, alleenstaande ouderen,
        migrantenouderen): 3.6 km/h, a common value for older pedestrians.
    young_adult_speed_kmh
        Walking speed of young adults: 4.8 km/h.
    rollator
        Use :attr:`rollator_speed_kmh` for the elderly groups (residents walking with a
        rollator or stick): the network catchment shrinks to minutes × that speed, the
        straight-line catchment by the ratio of the speeds. CLI ``--rollator``.
    rollator_speed_kmh
        Walking speed with a rollator: 2.5 km/h.
    max_snap_m
        Longest distance from a demand point or an activity to the walking network; the
        snapping distance is counted in the walking distance, and points further away get
        no network reach (they are counted in the notes).
    decay
        ``"steps"``: the weights of :attr:`steps` (Luo & Qi 2009: 1, 0.68, 0.22 for the inner,
        middle and outer third of the catchment); ``"gaussian"``: a smooth Gaussian decay that
        reaches :attr:`gaussian_edge_weight` at the catchment edge.
    steps
        ``(fraction of catchment, weight)`` pairs, ascending.
    gaussian_edge_weight
        Weight at the catchment edge for the Gaussian decay.
    detour_factor
        Straight-line distance × this factor approximates the walking distance when no
        street network is given (1.3 is a common urban value).
    buurtmobiel_catchment_m
        Catchment of elderly residents living inside a Buurtmobiel/AutoMaatje service area:
        the service brings them to activities further away.
    buurtmobiel_services
        Which services extend the elderly catchment.
    min_group_size
        Groups with fewer residents in an area are flagged as unreliable.
    shrinkage
        Empirical-Bayes shrinkage of buurt rates toward their wijk (off by default: the RIVM
        figures are already small-area model estimates).
    shrinkage_prior
        Prior strength (residents) of the shrinkage: weight of the buurt rate = n / (n + prior).
    young_adult_share_15_24, young_adult_share_25_44
        Share of the kwb age bands that is 18-27 (7 of 10 years and 3 of 20 years, assuming
        ages are spread evenly within a band).
    single_elderly_factor
        Single-person households × (share of 65-plussers among adults) × this factor
        estimates the 65-plussers living alone; older people live alone more often than
        younger adults (CBS: about 2 in 5 single-person households are 65+, while 65-plussers
        are about 1 in 5 adults), hence 2.0. Capped at 60 % of the 65-plussers.
    migrant_elderly_factor
        65-plussers × (share with a migration background) × this factor estimates the migrant
        elderly; the migration-background share is lower among the elderly than overall,
        hence 0.6.
    transport_weights
        Weights of the transport-poverty components (renormalised over those available).
    transport_weight_in_gap
        How much transport poverty raises the gap score (gap = unserved × (1 + w × index)).
    transport_relative
        False (default): every component on the fixed scales of :attr:`transport_scales`;
        the OV-klasse component takes the weight of ``weinig_vertrekken``. True: the old
        relative index (min-max within the dataset), for comparison only — its scores move
        when anything changes anywhere in the dataset. CLI ``--relatief``.
    transport_scales
        The thresholds of the fixed scales (:class:`TransportScales`).
    ov_week
        A date (``"2024-01-08"``) in the representative week read from the data folder's
        GTFS timetable (``ov/``); None = the first Monday of the timetable.
    fdr_alpha
        False-discovery rate for hot spots.
    permutations
        Conditional permutations for local Moran's I (Gi* uses its analytical z-score).
    seed
        Random seed for permutations (reproducible hot spots) and for the Monte Carlo of the
        gap certainty (reproducible labels).
    certainty_draws
        Monte Carlo draws behind ``rank_low``/``rank_high`` and the certainty label of every
        buurt, wijk and focus area (:mod:`geo.analysis.uncertainty`).
    certainty_top
        ``(level, N)``: a row is ``robuust`` when it is among the N largest gaps of its level
        in at least :attr:`certainty_robust_share` of the draws (10 buurten, 3 wijken, 3 focus
        areas).
    certainty_robust_share, certainty_possible_share
        Share of draws in the top N for ``robuust`` (0.9) and for ``mogelijk`` (0.1); less is
        ``niet onderscheidend``.
    certainty_range
        Central share of the drawn ranks reported as ``rank_low``-``rank_high`` (0.9: the 5th
        to the 95th percentile).
    rate_margin_defaults
        ``(upper limit of the group size, half-width in percentage points)``, ascending: the
        assumed 95 % interval of a RIVM rate where the edition publishes none (50090NED) or a
        buurt borrows its wijk's rate. A rough rule with the order of magnitude of the
        intervals in 50120NED (a wijk ±3, a small buurt ±7-9 points); the group size is the
        focus group's residents in the area.
    estimated_population_cv
        Coefficient of variation of a group population that is an estimate (young adults,
        single and migrant elderly; counts derived from whole-number percentages), not a count.
    time_fit
        Weigh every activity by how its times fit the group (:mod:`geo.analysis.timefit`):
        the activity's capacity in reach × its time weight.
    time_fit_dagdelen
        Preferred dagdelen per focus group. Young adults work or study in the daytime:
        ``avond`` and ``weekend``; the elderly groups go out in the daytime and many not in the
        evening: ``ochtend``, ``middag`` and ``weekend`` (the weekend in daytime; the same
        rule as the dagdelen filter of earlier versions, so known times count as before).
        The dagdelen of an activity come from its ``dagdelen`` column (the import fills it
        from OSM ``opening_hours``, :mod:`geo.aanbod.opening_hours`), else from its
        ``frequentie`` text (``elke dinsdagavond``, ``zaterdag``).
    time_fit_unknown_weight
        Weight of an activity whose times are unknown (0.5: it may or may not fit; earlier
        versions counted it fully). Known times that fit: 1; known times that do not: 0.
    time_fit_ov_groups
        Groups that depend on public transport (the elderly): when the OV-haltes carry
        departures per dagdeel (``vertrekken_ochtend``, ``vertrekken_middag``,
        ``vertrekken_avond``, ``vertrekken_weekend``), an activity whose fitting dagdelen have
        no departure at a halte within :attr:`time_fit_ov_radius_m` gets
        :attr:`time_fit_no_ov_weight` instead of 1 (only those who walk can go). Without those
        columns OV hours are not used.
    time_fit_no_ov_weight
        Weight of an activity that fits the group's hours when no OV runs near it then: 0.5.
    time_fit_ov_radius_m
        Straight-line distance from an activity to the haltes that serve it (500 m).
    language_fit
        For migrantenouderen, weigh activities by the share of the buurt's migrant elders whose
        languages they offer (:mod:`geo.analysis.language`).
    origin_languages
        Likely languages per origin (herkomst) of migrant elders, a documented rough mapping:
        Turkije ``tr``; Marokko ``ar`` and ``ber`` (Tamazight); Suriname ``nl`` and ``srn``
        (Sranantongo); voormalige Nederlandse Antillen en Aruba ``pap`` (Papiamento) and
        ``nl``; overig niet-westers ``ar``, ``en``, ``fr``; westers ``nl``, ``en``, ``de``.
        The kwb fallback (no origin table) only knows Europa / buiten Europa for all ages:
        ``europa`` as westers, ``buiten_europa`` every language above (so Dutch-language
        offer counts for everyone and only offer without Dutch is weighed down).
    default_language
        Language of an activity whose ``talen`` is empty (``nl``).
    """

    year: int | None = None
    population_year: int | None = None
    catchment_m: tuple[tuple[str, float], ...] = (
        ("ouderen", 500.0),
        ("alleenstaande-ouderen", 500.0),
        ("migrantenouderen", 500.0),
        ("jongvolwassenen", 1500.0),
    )
    catchment_minutes: tuple[tuple[str, float], ...] = (
        ("ouderen", 10.0),
        ("alleenstaande-ouderen", 10.0),
        ("migrantenouderen", 10.0),
        ("jongvolwassenen", 20.0),
    )
    walking_speed_kmh: float = 3.6
    young_adult_speed_kmh: float = 4.8
    rollator: bool = False
    rollator_speed_kmh: float = 2.5
    max_snap_m: float = 250.0
    decay: Literal["steps", "gaussian"] = "steps"
    steps: tuple[tuple[float, float], ...] = ((1 / 3, 1.0), (2 / 3, 0.68), (1.0, 0.22))
    gaussian_edge_weight: float = 0.1
    detour_factor: float = 1.3
    buurtmobiel_catchment_m: float = 3000.0
    buurtmobiel_services: tuple[str, ...] = (
        "Buurtmobiel",
        "AutoMaatje",
        "BoodschappenPlusBus",
        "Zonnebloemauto",
    )
    min_group_size: int = 50
    shrinkage: bool = False
    shrinkage_prior: float = 200.0
    young_adult_share_15_24: float = 0.7
    young_adult_share_25_44: float = 0.15
    single_elderly_factor: float = 2.0
    migrant_elderly_factor: float = 0.6
    transport_weights: tuple[tuple[str, float], ...] = field(
        default=(
            ("weinig_autos", 0.25),
            ("afstand_ov", 0.2),
            ("weinig_vertrekken", 0.1),
            ("aandeel_65plus", 0.15),
            ("moeite_rondkomen", 0.2),
            ("geen_buurtmobiel", 0.1),
        )
    )
    transport_weight_in_gap: float = 0.5
    transport_relative: bool = False
    transport_scales: TransportScales = TransportScales()
    ov_week: str | None = None
    fdr_alpha: float = 0.05
    permutations: int = 999
    seed: int = 20231
    certainty_draws: int = 1000
    certainty_top: tuple[tuple[str, int], ...] = (("buurt", 10), ("wijk", 3), ("gebied", 3))
    certainty_robust_share: float = 0.9
    certainty_possible_share: float = 0.1
    certainty_range: float = 0.9
    rate_margin_defaults: tuple[tuple[float, float], ...] = (
        (100.0, 9.0),
        (500.0, 7.0),
        (2500.0, 5.0),
        (10000.0, 4.0),
        (float("inf"), 3.0),
    )
    estimated_population_cv: float = 0.15
    time_fit: bool = True
    time_fit_dagdelen: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("ouderen", ("ochtend", "middag", "weekend")),
        ("alleenstaande-ouderen", ("ochtend", "middag", "weekend")),
        ("migrantenouderen", ("ochtend", "middag", "weekend")),
        ("jongvolwassenen", ("avond", "weekend")),
    )
    time_fit_unknown_weight: float = 0.5
    time_fit_ov_groups: tuple[str, ...] = ELDERLY
    time_fit_no_ov_weight: float = 0.5
    time_fit_ov_radius_m: float = 500.0
    language_fit: bool = True
    origin_languages: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("turkije", ("tr",)),
        ("marokko", ("ar", "ber")),
        ("suriname", ("nl", "srn")),
        ("antillen_aruba", ("pap", "nl")),
        ("overig_niet_westers", ("ar", "en", "fr")),
        ("westers", ("nl", "en", "de")),
        ("europa", ("nl", "en", "de")),
        ("buiten_europa", ("nl", "tr", "ar", "ber", "srn", "pap", "en", "fr")),
    )
    default_language: str = "nl"

    def __post_init__(self) -> None:
        """Refuse settings that would silently give nonsense (Dutch message: users set these)."""
        problems = []
        if self.decay not in ("steps", "gaussian"):
            problems.append(f"afstandsverval {self.decay!r} (kies 'steps' of 'gaussian')")
        if self.detour_factor < 1:
            problems.append(f"omrijfactor {self.detour_factor} (minstens 1)")
        catchments = dict(self.catchment_m)
        if set(catchments) != set(GROUPS) or min(catchments.values()) <= 0:
            problems.append("reikwijdte: geef voor elke doelgroep een afstand groter dan 0")
        minutes = dict(self.catchment_minutes)
        if set(minutes) != set(GROUPS) or min(minutes.values()) <= 0:
            problems.append("reikwijdte in minuten: geef voor elke doelgroep meer dan 0 minuten")
        speeds = (self.walking_speed_kmh, self.young_adult_speed_kmh, self.rollator_speed_kmh)
        if min(speeds) <= 0:
            problems.append("loopsnelheid: groter dan 0 km/u")
        if self.max_snap_m < 0:
            problems.append(f"grootste afstand tot het netwerk {self.max_snap_m} (minstens 0)")
        if not 0 < self.gaussian_edge_weight < 1:
            problems.append(f"gewicht aan de rand {self.gaussian_edge_weight} (tussen 0 en 1)")
        if not 0 < self.fdr_alpha < 1:
            problems.append(f"FDR-alfa {self.fdr_alpha} (tussen 0 en 1)")
        if self.permutations < 19:
            problems.append(f"permutaties {self.permutations} (minstens 19)")
        if min(w for _, w in self.transport_weights) < 0:
            problems.append("gewichten van vervoersarmoede mogen niet negatief zijn")
        if self.certainty_draws < 20:
            problems.append(f"trekkingen {self.certainty_draws} (minstens 20)")
        if not 0 < self.certainty_possible_share <= self.certainty_robust_share <= 1:
            problems.append("zekerheidsgrenzen: 0 < 'mogelijk' <= 'robuust' <= 1")
        if not 0 < self.certainty_range < 1:
            problems.append(f"rangbereik {self.certainty_range} (tussen 0 en 1)")
        if min(n for _, n in self.certainty_top) < 1:
            problems.append("top N van de zekerheid: minstens 1")
        margins = self.rate_margin_defaults
        if not margins or min(m for _, m in margins) < 0 or margins[-1][0] != float("inf"):
            problems.append(
                "standaardmarges: niet negatief, en de laatste grens is oneindig (float('inf'))"
            )
        scales = self.transport_scales
        pairs = (
            scales.autos_per_huishouden,
            scales.afstand_ov_m,
            scales.aandeel_65plus,
            scales.moeite_rondkomen,
        )
        if any(low == high for low, high in pairs):
            problems.append("vaste schalen van vervoersarmoede: twee verschillende drempels")
        if {k for k, _ in scales.ov_klasse} != {"A", "B", "C", "D", "E", "F", "geen"}:
            problems.append("vaste schaal van de OV-klasse: geef A tot en met F en 'geen'")
        if self.ov_week is not None and not _is_date(self.ov_week):
            problems.append(f"week van de dienstregeling {self.ov_week!r} (een datum JJJJ-MM-DD)")
        if self.estimated_population_cv < 0:
            problems.append(f"variatiecoëfficiënt {self.estimated_population_cv} (minstens 0)")
        for name in ("time_fit_unknown_weight", "time_fit_no_ov_weight"):
            if not 0 <= getattr(self, name) <= 1:
                problems.append(f"{name} {getattr(self, name)} (tussen 0 en 1)")
        dagdelen = dict(self.time_fit_dagdelen)
        known = {"ochtend", "middag", "avond", "weekend"}
        if set(dagdelen) != set(GROUPS) or any(set(v) - known for v in dagdelen.values()):
            problems.append(
                "voorkeursdagdelen: geef voor elke doelgroep dagdelen uit ochtend, middag, "
                "avond, weekend"
            )
        if problems:
            raise ValueError("Ongeldige analyse-instellingen: " + "; ".join(problems) + ".")

    def speed(self, group: str) -> float:
        """Walking speed (km/h) of a focus group (the rollator speed for the elderly if set).

        Examples
        --------
        >>> AnalysisSettings().speed("jongvolwassenen")
        4.8
        >>> AnalysisSettings(rollator=True).speed("ouderen")
        2.5
        """
        if group == "jongvolwassenen":
            return self.young_adult_speed_kmh
        return self.rollator_speed_kmh if self.rollator else self.walking_speed_kmh

    def catchment(self, group: str, method: str = "hemelsbreed") -> float:
        """Catchment (m) of a focus group for a distance method.

        ``netwerk``: walking minutes × the group's speed; ``hemelsbreed``: :attr:`catchment_m`
        (× rollator speed / walking speed with :attr:`rollator` for the elderly).

        Examples
        --------
        >>> s = AnalysisSettings()
        >>> s.catchment("ouderen"), round(s.catchment("ouderen", "netwerk"), 6)
        (500.0, 600.0)
        >>> round(s.catchment("jongvolwassenen", "netwerk"), 6)
        1600.0
        """
        if method == "netwerk":
            return dict(self.catchment_minutes)[group] * self.speed(group) * 1000 / 60
        metres = dict(self.catchment_m)[group]
        if self.rollator and group in ELDERLY:
            metres = metres * self.rollator_speed_kmh / self.walking_speed_kmh
        return metres

    def catchment_text(self, group: str, method: str = "hemelsbreed") -> str:
        """The catchment as users read it: ``10 minuten lopen`` (network) or ``500 m``.

        Examples
        --------
        >>> AnalysisSettings().catchment_text("ouderen", "netwerk")
        '10 minuten lopen'
        >>> AnalysisSettings().catchment_text("jongvolwassenen")
        '1.500 m'
        """
        if method == "netwerk":
            minutes = dict(self.catchment_minutes)[group]
            return f"{minutes:g} minuten lopen"
        return f"{self.catchment(group, method):,.0f} m".replace(",", ".")

    def minutes(self, metres: float, group: str = "ouderen") -> float:
        """Walking minutes for a distance at the group's speed (:meth:`speed`)."""
        return metres / (self.speed(group) * 1000 / 60)

    def preferred_dagdelen(self, group: str) -> tuple[str, ...]:
        """The dagdelen that fit a focus group (:attr:`time_fit_dagdelen`).

        Examples
        --------
        >>> AnalysisSettings().preferred_dagdelen("jongvolwassenen")
        ('avond', 'weekend')
        """
        return tuple(dict(self.time_fit_dagdelen)[group])

    def certainty_top_for(self, niveau: str) -> int:
        """N of the top N for a level's certainty label (the buurt value for unknown levels)."""
        tops = dict(self.certainty_top)
        return int(tops.get(niveau, tops.get("buurt", 10)))

    def with_(self, **changes: object) -> AnalysisSettings:
        """A copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]
