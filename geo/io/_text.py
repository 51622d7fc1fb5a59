"""Bytes to text, within bounds: encodings, gzip, line lengths and file sizes.

A damaged file (a missing line end, a gzip bomb, bytes that are no UTF-8) must end in a Dutch
:class:`~geo.errors.DataError` or a readable text with a notice, never in a traceback or a
hang; the bounds are stated in the message.
"""

from __future__ import annotations

import gzip
import io
import logging
import zlib
from pathlib import Path

from geo.errors import DataError

logger = logging.getLogger(__name__)

MAX_LINE_CHARS = 200_000
"""Longest line a table may have (the widest real kwb row is ~3,000 characters)."""

MAX_FILE_BYTES = 500_000_000
"""Largest table file (also after unpacking a .gz) Wijkkompas reads: 500 MB."""


def gunzip(path: Path, raw: bytes) -> bytes:
    """Unpack a .gz table, bounded by :data:`MAX_FILE_BYTES`; a damaged archive is a DataError."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as archive:
            data = archive.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(
            f"het gzip-archief is beschadigd ({exc}).",
            file=path,
            hint="download het bestand opnieuw.",
        ) from exc
    if len(data) > MAX_FILE_BYTES:
        raise DataError(
            f"uitgepakt is dit bestand groter dan {MAX_FILE_BYTES / 1e6:,.0f} MB, de grens "
            "van Wijkkompas.",
            file=path,
            hint="gebruik een download van één gemeente.",
        )
    return data


def decode(path: Path, raw: bytes) -> tuple[str, str]:
    """Text and encoding: UTF-8 (BOM or not), damaged UTF-8 repaired, else Windows-1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError:
            # says UTF-8 (BOM) but is damaged: keep the readable text, mark the bad bytes
            logger.info("%s: ongeldige UTF-8-tekens vervangen", path.name)
            return raw[3:].decode("utf-8", errors="replace"), "utf-8 (hersteld)"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        logger.info("%s is geen UTF-8; gelezen als Windows-1252", path.name)
        return raw.decode("cp1252", errors="replace"), "cp1252"


def check_line_lengths(path: Path, text: str) -> None:
    """Refuse a line longer than :data:`MAX_LINE_CHARS` (a damaged file, not a table)."""
    start = 0
    number = 1
    size = len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end
        if end - start > MAX_LINE_CHARS:
            raise DataError(
                f"regel {number} is {end - start:,} tekens lang; een tabelregel mag hoogstens "
                f"{MAX_LINE_CHARS:,} tekens hebben.".replace(",", "."),
                file=path,
                row=number,
                hint="het bestand is waarschijnlijk beschadigd (een ontbrekend regeleinde of "
                "aanhalingsteken); exporteer of download het opnieuw.",
            )
        start = end + 1
        number += 1
