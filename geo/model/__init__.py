"""Canonical tables: areas, figures, populations, focus areas (gebieden) and the dataset."""
