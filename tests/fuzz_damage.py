"""Seeded damage for the reader fuzz test: the ways real files get broken.

Each damage takes the original bytes and a ``random.Random`` and returns broken bytes:
truncated, bytes flipped, NUL bytes, re-encoded, one 2 MB line, a column cut off.
"""

from __future__ import annotations

import random
from collections.abc import Callable

HUGE_LINE = 2 * 1024 * 1024


def truncate(data: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.25 and b"\n" in data[:-1]:  # only the header line survives
        return data[: data.index(b"\n") + 1]
    return data[: rng.randrange(1, max(2, len(data)))]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def nul_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        position = rng.randrange(len(out))
        out[position:position] = b"\x00" * rng.randint(1, 16)
    return bytes(out)


def re_encode(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", errors="replace")
    encoding = rng.choice(["utf-16", "utf-16-le", "cp1252", "latin-1", "utf-32"])
    return text.encode(encoding, errors="replace")


def invalid_utf8(data: bytes, rng: random.Random) -> bytes:
    """Bytes that are not UTF-8 (a lone continuation or a cut multi-byte character)."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        position = rng.randrange(len(out))
        out[position:position] = rng.choice([b"\xff", b"\xc3", b"\x80\x80", b"\xe9t\xe9"])
    return bytes(out)


def huge_line(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    position = rng.randrange(len(lines))
    filler = rng.choice([b"x", b"1", b'"', b" ", b"a;"])
    lines[position] = lines[position] + filler * (HUGE_LINE // len(filler))
    return b"\n".join(lines)


def cut_column(data: bytes, rng: random.Random) -> bytes:
    """Delete one field from every line (CSV) or one property name throughout (JSON)."""
    head = data[:4096]
    if data.lstrip()[:1] in (b"{", b"["):
        import re

        keys = sorted(set(re.findall(rb'"([A-Za-z_][A-Za-z0-9_]*)"\s*:', head)))
        if not keys:
            return truncate(data, rng)
        key = rng.choice(keys)
        return data.replace(b'"' + key + b'"', b'"' + key[:-1] + b'_"')
    delimiter = b";" if head.count(b";") > head.count(b",") else b","
    lines = data.split(b"\n")
    width = lines[0].count(delimiter) + 1
    column = rng.randrange(width)
    only_header = rng.random() < 0.3
    out = []
    for index, line in enumerate(lines):
        if only_header and index > 0:
            out.append(line)
            continue
        fields = line.split(delimiter)
        if column < len(fields):
            del fields[column]
        out.append(delimiter.join(fields))
    return b"\n".join(out)


DAMAGES: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "afgekapt": truncate,
    "bytes omgedraaid": flip_bytes,
    "NUL-bytes": nul_bytes,
    "andere codering": re_encode,
    "ongeldige UTF-8": invalid_utf8,
    "regel van 2 MB": huge_line,
    "kolom weg": cut_column,
}
"""Damage name -> function; the test names the damage in its failure message."""
