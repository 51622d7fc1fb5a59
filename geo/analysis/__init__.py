"""The gap engine: populations, need, reach (E2SFCA), transport poverty, gaps, hot spots.

Also context (gemeente, Nederland, trend, 2026 target) and area profiles.

All functions are pure: they take canonical tables and :class:`~geo.settings.AnalysisSettings`
and return new frames. :func:`geo.analysis.pipeline.analyse` runs everything for one group.
"""
