"""Accounts of the PostGIS register (table ``gebruikers``): the storage side only.

Validation, hashing and the login rule are :mod:`geo.aanbod.accounts`'s; a login attempt
locks the account's row, so two processes trying passwords at once still count every failure.
"""

from __future__ import annotations

import builtins
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import psycopg

from geo.aanbod.accounts import (
    Account,
    Credentials,
    decide_login,
    hash_password,
    validate_account,
)
from geo.errors import DataError

_SELECT = "SELECT naam, rol, organisatie, email FROM gebruikers"


class PostgisAccounts:
    """The account methods of :class:`~geo.aanbod.register_pg.PostgisRegister`."""

    if TYPE_CHECKING:  # provided by PostgisRegister

        @property
        def exists(self) -> bool: ...

        def _session(self) -> contextlib.AbstractContextManager[psycopg.Connection[Any]]: ...

        def _change(
            self, *, exclusive: bool = False
        ) -> contextlib.AbstractContextManager[psycopg.Connection[Any]]: ...

    def add_account(  # noqa: D102
        self,
        naam: str,
        *,
        rol: str,
        organisatie: str | None = None,
        email: str | None = None,
        password: str | None = None,
    ) -> Account:
        from geo.aanbod.register import _now

        account = validate_account(naam, rol=rol, organisatie=organisatie, email=email)
        stored = None if password is None else hash_password(password)
        with self._accounts_change() as conn:
            taken = conn.execute(
                "SELECT naam FROM gebruikers WHERE naam = %s "
                "OR (email IS NOT NULL AND lower(email) = lower(%s))",
                [account.naam, account.email],
            ).fetchone()
            if taken is not None and taken[0] == account.naam:
                raise DataError("er is al een account met deze naam.", value=account.naam)
            if taken is not None:
                raise DataError("er is al een account met dit e-mailadres.", value=account.email)
            conn.execute(
                "INSERT INTO gebruikers (naam, rol, organisatie, email, wachtwoord_hash, "
                "mislukt, geblokkeerd_tot, aangemaakt) VALUES (%s, %s, %s, %s, %s, 0, NULL, %s)",
                [account.naam, account.rol, account.organisatie, account.email, stored, _now()],
            )
        return account

    def accounts(self) -> builtins.list[Account]:  # noqa: D102
        if not self.exists:
            return []
        with self._session() as conn:
            rows = conn.execute(_SELECT + " ORDER BY naam").fetchall()
        return [Account(*row) for row in rows]

    def account(self, naam: str) -> Account | None:  # noqa: D102
        if not self.exists:
            return None
        with self._session() as conn:
            row = conn.execute(_SELECT + " WHERE naam = %s", [naam]).fetchone()
        return None if row is None else Account(*row)

    def account_by_email(self, email: str) -> Account | None:  # noqa: D102
        if not self.exists or not email:
            return None
        with self._session() as conn:
            row = conn.execute(
                _SELECT + " WHERE email IS NOT NULL AND lower(email) = lower(%s)", [email.strip()]
            ).fetchone()
        return None if row is None else Account(*row)

    def set_password(self, naam: str, password: str) -> None:  # noqa: D102
        stored = hash_password(password)
        with self._accounts_change() as conn:
            done = conn.execute(
                "UPDATE gebruikers SET wachtwoord_hash = %s, mislukt = 0, geblokkeerd_tot = NULL "
                "WHERE naam = %s",
                [stored, naam],
            ).rowcount
            if not done:
                raise _unknown(naam)

    def remove_account(self, naam: str) -> None:  # noqa: D102
        with self._accounts_change() as conn:
            if not conn.execute("DELETE FROM gebruikers WHERE naam = %s", [naam]).rowcount:
                raise _unknown(naam)

    def login(self, naam: str, password: str) -> Account:  # noqa: D102
        if not self.exists:
            decision = decide_login(None, password)
        else:
            with self._accounts_change() as conn:
                row = conn.execute(
                    "SELECT naam, rol, organisatie, email, wachtwoord_hash, mislukt, "
                    "geblokkeerd_tot FROM gebruikers WHERE naam = %s FOR UPDATE",
                    [naam],
                ).fetchone()
                credentials = (
                    None
                    if row is None
                    else Credentials(Account(*row[:4]), row[4], int(row[5]), row[6])
                )
                decision = decide_login(credentials, password)
                if credentials is not None:
                    conn.execute(
                        "UPDATE gebruikers SET mislukt = %s, geblokkeerd_tot = %s WHERE naam = %s",
                        [decision.mislukt, decision.geblokkeerd_tot, naam],
                    )
        # the counters are committed above, also when the login is refused
        if decision.error is not None or decision.account is None:
            raise decision.error or _unknown(naam)
        return decision.account

    @contextlib.contextmanager
    def _accounts_change(self) -> Iterator[psycopg.Connection[Any]]:
        """A write transaction on the accounts (the same lock order as every writer)."""
        with self._change(exclusive=False) as conn:
            yield conn


def _unknown(naam: str) -> DataError:
    return DataError(
        "onbekend account.", value=naam, hint="controleer de naam (hoofdletters tellen mee)."
    )
