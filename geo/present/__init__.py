"""Presentation without Streamlit: safe text, Dutch number formatting, maps, charts."""
