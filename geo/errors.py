"""Errors and notices a person can act on (messages in Dutch)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)


class DataError(ValueError):
    """Input that Wijkkompas cannot use, with where it is and how to fix it.

    Parameters
    ----------
    message
        What was expected and what was found, in Dutch.
    file
        The file the problem is in.
    row
        1-based row number as a spreadsheet shows it (header = row 1), if known.
    column
        Column name, if known.
    value
        The offending value, if known.
    hint
        How to fix it, in Dutch.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.value = value
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(f"bestand '{Path(self.file).name}'")
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column is not None:
            where.append(f"kolom '{self.column}'")
        if self.value is not None:
            shown = repr(self.value) if not isinstance(self.value, str) else f"'{self.value}'"
            if len(shown) > 80:
                shown = shown[:77] + "..."
            where.append(f"waarde {shown}")
        text = self.message
        if where:
            text = f"{', '.join(where)}: {text}"
        if self.hint:
            text = f"{text} Oplossing: {self.hint}"
        return text


@dataclass
class Notices:
    """User-facing notices collected while loading (e.g. an inferred CRS or a repaired polygon).

    Loading continues; the notices are shown by the CLI, the app and reports.
    """

    items: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        """Record a notice and log it."""
        logger.info(text)
        self.items.append(text)

    def extend(self, other: Notices) -> None:
        """Append the notices of another collection."""
        self.items.extend(other.items)

    def __iter__(self):  # noqa: D105
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class ConflictError(DataError):
    """A change based on a version of a row that someone else changed since it was read.

    Attributes
    ----------
    mine
        The record as the caller wanted it (``None`` for a removal).
    theirs
        The record as it is stored now (``None`` when it was removed meanwhile).
    """

    def __init__(
        self,
        message: str,
        *,
        mine: dict[str, object] | None = None,
        theirs: dict[str, object] | None = None,
        hint: str | None = None,
    ) -> None:
        self.mine = mine
        self.theirs = theirs
        super().__init__(message, hint=hint)


class PermissionDeniedError(DataError):
    """An account tried a change its role does not allow; nothing was changed."""


class LoginError(DataError):
    """Unknown account, wrong password, or an account blocked after too many failed tries."""
