"""The gap engine: focus-group populations, need, reachable offer (E2SFCA), transport
poverty, gaps with reasons, hot spots, context and area profiles.

All functions are pure: they take canonical tables and :class:`~geo.settings.AnalysisSettings`
and return new frames. :func:`geo.analysis.pipeline.analyse` runs everything for one group.
"""
