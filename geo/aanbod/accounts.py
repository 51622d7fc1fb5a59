"""Accounts and roles of the aanbod register: who may change what, and how people log in.

Pure functions used by every backend (GeoPackage and PostGIS): the backends only store the
strings and counters this module produces.

* ``beheerder`` may change every row and manage accounts;
* ``redacteur`` belongs to one organisation and may change only rows whose ``organisatie``
  is theirs, and add rows only for it.

Passwords are stored only as salted :func:`hashlib.scrypt` hashes. After
:data:`MAX_FAILURES` failed logins an account is blocked for :data:`BLOCK_MINUTES` minutes;
the counters live in the register, so the rule holds across processes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import pandas as pd

from geo.errors import DataError, LoginError, PermissionDeniedError

BEHEERDER = "beheerder"
REDACTEUR = "redacteur"
ROLES = (BEHEERDER, REDACTEUR)
"""The roles an account can have."""

MAX_FAILURES = 5
"""Failed logins in a row after which an account is blocked."""
BLOCK_MINUTES = 15
"""How long an account stays blocked after :data:`MAX_FAILURES` failed logins."""

ACCOUNT_COLUMNS = [
    "naam",
    "rol",
    "organisatie",
    "email",
    "wachtwoord_hash",
    "mislukt",
    "geblokkeerd_tot",
    "aangemaakt",
]
"""Columns of the accounts table in every backend (``gebruikers``)."""

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
F = TypeVar("F", bound=pd.DataFrame)
_NAME = re.compile(r"^[\w.@-]{1,64}$")


@dataclass(frozen=True)
class Account:
    """A person (or a shared partner login) who may change the register.

    Attributes
    ----------
    naam
        Unique login name; written in the history as ``wie``.
    rol
        ``beheerder`` or ``redacteur``.
    organisatie
        The organisation of a redacteur (compared with the rows' ``organisatie``).
    email
        Used to map an OpenID Connect login (``st.login``) to this account.
    """

    naam: str
    rol: str
    organisatie: str | None = None
    email: str | None = None

    @property
    def is_beheerder(self) -> bool:
        """True for a beheerder."""
        return self.rol == BEHEERDER

    def may_change(self, record: dict[str, object] | None) -> bool:
        """Whether this account may change (or remove) a stored row."""
        return self.is_beheerder or (
            record is not None and _same_org(record.get("organisatie"), self.organisatie)
        )


@dataclass(frozen=True)
class Credentials:
    """An account as stored, with its password hash and login counters."""

    account: Account
    wachtwoord_hash: str | None
    mislukt: int = 0
    geblokkeerd_tot: str | None = None


@dataclass(frozen=True)
class LoginDecision:
    """The outcome of one login attempt: the account or the error, and the new counters."""

    account: Account | None
    mislukt: int
    geblokkeerd_tot: str | None
    error: LoginError | None


def actor_name(user: str | Account | None) -> str:
    """The name written in the history (``wie``) for a user."""
    if isinstance(user, Account):
        return user.naam
    return user or "onbekend"


def validate_account(
    naam: str, *, rol: str, organisatie: str | None = None, email: str | None = None
) -> Account:
    """Check the fields of a new account and return it.

    Raises
    ------
    DataError
        An empty or odd name, an unknown role, a redacteur without organisation, or an
        e-mail address without ``@``.

    Examples
    --------
    >>> validate_account("anna", rol="redacteur", organisatie="DOCK").organisatie
    'DOCK'
    """
    if not _NAME.match(naam or ""):
        raise DataError(
            "ongeldige gebruikersnaam.",
            value=naam,
            hint="gebruik 1 tot 64 letters, cijfers, punt, @, - of _ (geen spaties).",
        )
    if rol not in ROLES:
        raise DataError("onbekende rol.", value=rol, hint=f"kies uit: {', '.join(ROLES)}.")
    organisatie = (organisatie or "").strip() or None
    if rol == REDACTEUR and organisatie is None:
        raise DataError(
            "een redacteur hoort bij een organisatie.",
            value=naam,
            hint="geef --organisatie op, zoals die in de kolom 'organisatie' van het aanbod staat.",
        )
    email = (email or "").strip() or None
    if email is not None and "@" not in email:
        raise DataError("ongeldig e-mailadres.", value=email, hint="bijvoorbeeld naam@example.nl.")
    return Account(naam=naam, rol=rol, organisatie=organisatie, email=email)


def hash_password(password: str) -> str:
    """A salted scrypt hash of a password, as one string (``scrypt$n$r$p$salt$hash``).

    Raises
    ------
    DataError
        A password shorter than 8 characters.

    Examples
    --------
    >>> stored = hash_password("geheim123")
    >>> stored.startswith("scrypt$") and "geheim123" not in stored
    True
    """
    if len(password or "") < 8:
        raise DataError("het wachtwoord is te kort.", hint="gebruik minstens 8 tekens.")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return "$".join(
        [
            "scrypt",
            str(_SCRYPT["n"]),
            str(_SCRYPT["r"]),
            str(_SCRYPT["p"]),
            base64.b64encode(salt).decode(),
            base64.b64encode(digest).decode(),
        ]
    )


def verify_password(password: str, stored: str | None) -> bool:
    """Whether a password matches a hash from :func:`hash_password` (constant-time compare)."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        found = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, expected)


def decide_login(
    credentials: Credentials | None, password: str, *, now: datetime | None = None
) -> LoginDecision:
    """Apply the login rule to a stored account; the backend stores the new counters.

    A blocked account is refused even with the right password until the block ends; the
    :data:`MAX_FAILURES`-th failure in a row starts a block of :data:`BLOCK_MINUTES` minutes;
    a successful login resets the counter. Unknown names get the same message as a wrong
    password.
    """
    now = now or datetime.now(UTC)
    wrong = LoginError(
        "onbekende gebruikersnaam of verkeerd wachtwoord.",
        hint=f"na {MAX_FAILURES} mislukte pogingen wordt het account "
        f"{BLOCK_MINUTES} minuten geblokkeerd.",
    )
    if credentials is None:
        return LoginDecision(None, 0, None, wrong)
    blocked = _parse_time(credentials.geblokkeerd_tot)
    if blocked is not None and blocked > now:
        return LoginDecision(
            None,
            credentials.mislukt,
            credentials.geblokkeerd_tot,
            LoginError(
                f"account '{credentials.account.naam}' is geblokkeerd na {MAX_FAILURES} "
                "mislukte pogingen.",
                hint=f"probeer het na {blocked.astimezone().strftime('%H:%M')} opnieuw, "
                "of vraag een beheerder het wachtwoord opnieuw in te stellen.",
            ),
        )
    if verify_password(password, credentials.wachtwoord_hash):
        return LoginDecision(credentials.account, 0, None, None)
    failures = (0 if blocked is not None else credentials.mislukt) + 1
    if failures >= MAX_FAILURES:
        until = (now + timedelta(minutes=BLOCK_MINUTES)).isoformat(timespec="seconds")
        return LoginDecision(None, failures, until, wrong)
    return LoginDecision(None, failures, None, wrong)


def check_change(
    account: str | Account | None,
    laag: str,
    old: dict[str, object] | None,
    new: dict[str, object] | None,
) -> None:
    """Refuse a change the account's role does not allow.

    Parameters
    ----------
    account
        The actor. A plain name or ``None`` only names the actor (the CLI acts with the
        rights of whoever reaches the files or the database) and is always allowed.
    laag
        The layer.
    old
        The stored record before the change (``None`` for an addition).
    new
        The record after the change (``None`` for a removal).

    Raises
    ------
    PermissionDeniedError
        A redacteur changing a row of another organisation, moving a row to another
        organisation, or adding a row for another organisation.
    """
    if not isinstance(account, Account) or account.is_beheerder:
        return
    for record, what in ((old, "deze rij"), (new, "de nieuwe rij")):
        if record is None:
            continue
        organisatie = record.get("organisatie")
        if not _same_org(organisatie, account.organisatie):
            shown = organisatie if organisatie not in (None, "") else "geen organisatie"
            ident = record.get("id") or ""
            raise PermissionDeniedError(
                f"{account.naam} (redacteur van {account.organisatie}) mag {what} "
                f"{ident} in {laag} niet wijzigen: die hoort bij {shown}.".replace("  ", " "),
                hint="vraag een beheerder, of iemand van die organisatie.",
            )


def with_organisatie(frame: F, account: str | Account | None) -> F:
    """New rows of a redacteur: an empty ``organisatie`` becomes theirs (a copy; others stay).

    Rows of another organisation are left as they are, so :func:`check_change` refuses them.
    """
    if not isinstance(account, Account) or account.is_beheerder or "organisatie" not in frame:
        return frame
    out = frame.copy()
    empty = out["organisatie"].isna() | (out["organisatie"].astype(str).str.strip() == "")
    out.loc[empty, "organisatie"] = account.organisatie
    return out


def _same_org(value: object, organisatie: str | None) -> bool:
    if organisatie is None or value is None:
        return False
    return str(value).strip().casefold() == organisatie.strip().casefold()


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
