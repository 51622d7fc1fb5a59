"""Accounts and roles (pure rules shared by every backend)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from geo.aanbod.accounts import (
    BLOCK_MINUTES,
    MAX_FAILURES,
    Account,
    Credentials,
    check_change,
    decide_login,
    hash_password,
    verify_password,
    with_organisatie,
)
from geo.errors import PermissionDeniedError

DOCK = Account("anna", rol="redacteur", organisatie="DOCK")


def test_hash_is_salted_slow_scrypt_and_verifies():
    first, second = hash_password("correct paard"), hash_password("correct paard")
    assert first != second  # a new salt every time
    scheme, n, r, p, _salt, _digest = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert verify_password("correct paard", first)
    assert not verify_password("correct paarD", first)
    assert not verify_password("correct paard", "niet-een-hash") and not verify_password("x", None)


def test_login_rule_blocks_after_five_failures_for_fifteen_minutes():
    stored = Credentials(DOCK, hash_password("goed-wachtwoord"))
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    for attempt in range(1, MAX_FAILURES + 1):
        decision = decide_login(stored, "fout", now=now)
        assert decision.account is None and decision.mislukt == attempt
        stored = Credentials(
            DOCK, stored.wachtwoord_hash, decision.mislukt, decision.geblokkeerd_tot
        )
    assert stored.geblokkeerd_tot == "2026-12-02T09:15:00+00:00"
    blocked = decide_login(
        stored, "goed-wachtwoord", now=now + timedelta(minutes=BLOCK_MINUTES - 1)
    )
    assert blocked.account is None and "geblokkeerd" in str(blocked.error)
    later = decide_login(stored, "goed-wachtwoord", now=now + timedelta(minutes=BLOCK_MINUTES + 1))
    assert later.account == DOCK and later.mislukt == 0 and later.geblokkeerd_tot is None


def test_redacteur_may_change_only_rows_of_their_organisation():
    own, other = (
        {"id": "act-1", "organisatie": "dock "},
        {"id": "act-2", "organisatie": "Humanitas"},
    )
    check_change(DOCK, "activiteiten", own, {**own, "naam": "x"})  # case and spaces ignored
    check_change(DOCK, "activiteiten", None, own)
    with pytest.raises(PermissionDeniedError, match="hoort bij Humanitas"):
        check_change(DOCK, "activiteiten", other, other)
    with pytest.raises(PermissionDeniedError, match="geen organisatie"):
        check_change(DOCK, "lief_en_leed", None, {"id": "lel-1"})
    check_change(Account("chef", rol="beheerder"), "activiteiten", other, None)
    check_change("kerngroep-jan", "activiteiten", other, None)  # a plain name only names


def test_new_rows_of_a_redacteur_get_their_organisation():
    frame = pd.DataFrame({"naam": ["a", "b", "c"], "organisatie": [None, " ", "Humanitas"]})
    before = frame.copy()
    filled = with_organisatie(frame, DOCK)
    assert filled["organisatie"].tolist() == ["DOCK", "DOCK", "Humanitas"]
    pd.testing.assert_frame_equal(frame, before)  # input untouched
    assert with_organisatie(frame, "redactie") is frame
