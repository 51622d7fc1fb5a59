"""Monitoring the Uitvoeringsplan: indicators with targets, measurements, progress and notes.

* :mod:`~geo.monitoring.catalogue` — the indicator catalogue (``monitoring.toml``, built-in
  default for Utrecht from the plan);
* :mod:`~geo.monitoring.periods` — periods ``2024``, ``2024H1``, ``2024Q3``;
* :mod:`~geo.monitoring.status` — progress status by the Open SDG method;
* :mod:`~geo.monitoring.outcome` — the loneliness outcome indicators from the RIVM figures;
* :mod:`~geo.monitoring.store` — measurements and local-knowledge notes in the register;
* :mod:`~geo.monitoring.template` — the Excel/CSV template and its import;
* :mod:`~geo.monitoring.summary` — the status table of the dashboard and the CLI.
"""
