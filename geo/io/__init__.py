"""Recognise and read official files (CBS, RIVM, PDOK, municipal) into canonical tables."""
