"""The contract every register backend keeps: one suite, run once per backend.

The ``register`` fixture (tests/register_backends.py) gives fresh, empty registers of each
backend and a picklable spec through which child processes open the same register.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.aanbod.accounts import MAX_FAILURES, Account
from geo.aanbod.register import AanbodRegister
from geo.errors import ConflictError, DataError, LoginError, PermissionDeniedError
from tests.register_backends import RegisterFactory, RegisterSpec

DOCK = Account("dock", rol="redacteur", organisatie="DOCK")
DOCK_2 = Account("dock2", rol="redacteur", organisatie="DOCK")
BUURTTEAM = Account("bt", rol="redacteur", organisatie="Buurtteam")
CHEF = Account("chef", rol="beheerder")


def activities(*names: str, organisatie: str = "DOCK", x: float = 150_000) -> gpd.GeoDataFrame:
    """Activities 10 m apart along a line, one per name."""
    return gpd.GeoDataFrame(
        {
            "naam": list(names),
            "soort": ["ontmoeting"] * len(names),
            "organisatie": [organisatie] * len(names),
            "capaciteit": [10.0 + i for i in range(len(names))],
        },
        geometry=[shapely.Point(x + 10 * i, 460_000) for i in range(len(names))],
        crs="EPSG:28992",
    )


def state(register: AanbodRegister, laag: str = "activiteiten") -> pd.DataFrame:
    """What a person sees: id, naam, organisatie, versie per row, sorted by id."""
    frame = register.list(laag)
    columns = ["id", "naam", "organisatie", "versie"] if "organisatie" in frame else ["id"]
    return pd.DataFrame(frame[columns]).sort_values("id").reset_index(drop=True)


# -- add, list, update, remove, undo, history ---------------------------------------------------
def test_add_and_list_round_trip(register: RegisterFactory):
    reg = register()
    assert not reg.exists and reg.list("activiteiten").empty and reg.history().empty
    ids = reg.add("activiteiten", activities("Inloop A", "Inloop B"), user="anna")
    assert ids == ["act-000001", "act-000002"]
    frame = reg.list("activiteiten")
    assert list(frame["naam"]) == ["Inloop A", "Inloop B"]
    assert list(frame["versie"]) == [1, 1] and list(frame["capaciteit"]) == [10.0, 11.0]
    assert frame.crs.to_epsg() == 28992
    assert frame.geometry.iloc[1].equals(shapely.Point(150_010, 460_000))
    history = reg.history()
    assert list(history["actie"]) == ["toegevoegd", "toegevoegd"]
    assert set(history["wie"]) == {"anna"} and history["batch"].nunique() == 1
    assert reg.add("activiteiten", activities()) == []


def test_update_remove_undo_and_history(register: RegisterFactory):
    reg = register()
    first, second = reg.add("activiteiten", activities("Inloop A", "Inloop B"), user="anna")
    assert reg.update("activiteiten", first, {"naam": "Inloop <b>A</b>"}, user="bob") == 2
    assert reg.update("activiteiten", first, {"capaciteit": 40}, user="bob", versie=2) == 3
    reg.remove("activiteiten", second, user="bob", versie=1)
    assert list(state(reg)["id"]) == [first]
    assert reg.undo(user="bob") == "1 rij(en) verwijderd uit activiteiten ongedaan gemaakt"
    assert list(state(reg)["id"]) == [first, second]
    assert reg.undo() == "1 rij(en) gewijzigd in activiteiten ongedaan gemaakt"
    assert reg.list("activiteiten").set_index("id").loc[first, "capaciteit"] == 10.0
    assert reg.undo() == "1 rij(en) gewijzigd in activiteiten ongedaan gemaakt"
    row = reg.list("activiteiten").set_index("id").loc[first]
    assert row["naam"] == "Inloop A" and row["versie"] == 5  # every change, undo too, counts
    assert reg.undo() == "2 rij(en) toegevoegd aan activiteiten ongedaan gemaakt"
    assert reg.list("activiteiten").empty
    with pytest.raises(DataError, match="niets|geen wijziging"):
        reg.undo()
    history = reg.history()
    changed = history[history["actie"] == "gewijzigd"].iloc[0]
    assert changed["wie"] == "bob" and json.loads(changed["oud"])["naam"] == "Inloop A"
    assert json.loads(changed["nieuw"])["naam"] == "Inloop <b>A</b>"
    assert list(history["actie"]).count("ongedaan: toegevoegd") == 2
    # the ids of removed rows are never handed out again
    assert reg.add("activiteiten", activities("Nieuw")) == ["act-000003"]


def test_import_with_participants_is_one_undoable_change(register: RegisterFactory):
    reg = register()
    wor = gpd.GeoDataFrame(
        {"naam": ["Receptpunt"], "organisatie": ["DOCK"]},
        geometry=[shapely.Point(150_000, 460_000)],
        crs="EPSG:28992",
    )
    deelnemers = pd.DataFrame(
        {"wijk_code": ["WK034401"], "jaar": [2024], "deelnemers": [12], "bron": ["DOCK"]}
    )
    reg.add("welzijn_op_recept", wor, user="anna", wor_deelnemers=deelnemers)
    assert reg.wor_deelnemers()["deelnemers"].tolist() == [12]
    assert reg.undo() == "1 rij(en) toegevoegd aan welzijn_op_recept ongedaan gemaakt"
    assert reg.list("welzijn_op_recept").empty and reg.wor_deelnemers().empty


def test_add_layers_stores_several_layers(register: RegisterFactory):
    reg = register()
    straat = gpd.GeoDataFrame(
        {"straat": ["Rozenlaan"], "potjes": [3]},
        geometry=[shapely.Point(150_500, 460_500)],
        crs="EPSG:28992",
    )
    ids = reg.add_layers({"activiteiten": activities("A", "B"), "lief_en_leed": straat}, user="a")
    assert ids == {"activiteiten": ["act-000001", "act-000002"], "lief_en_leed": ["lel-000001"]}
    assert reg.list("lief_en_leed")["potjes"].tolist() == [3.0]
    assert sorted(reg.history()["id"]) == ["act-000001", "act-000002", "lel-000001"]


def test_bad_changes_are_refused(register: RegisterFactory):
    reg = register()
    (ident,) = reg.add("activiteiten", activities("Inloop"))
    with pytest.raises(DataError, match="onbekende of vaste velden: kleur"):
        reg.update("activiteiten", ident, {"kleur": "rood"})
    with pytest.raises(DataError, match="vaste velden: versie"):
        reg.update("activiteiten", ident, {"versie": 9})
    with pytest.raises(DataError, match="geen rij met id 'act-999999'"):
        reg.remove("activiteiten", "act-999999")
    with pytest.raises(DataError, match="onbekende laag"):
        reg.list("kroegen")
    assert len(reg.history()) == 1


# -- versions -----------------------------------------------------------------------------------
def test_stale_edit_is_a_conflict_showing_both_versions(register: RegisterFactory):
    spec = register.new()
    anna, bob = spec.open(), spec.open()
    (ident,) = anna.add("activiteiten", activities("Inloop"))
    read_by_anna = int(anna.list("activiteiten")["versie"].iloc[0])
    bob.update("activiteiten", ident, {"naam": "Inloop Bob"}, versie=read_by_anna)
    before = (state(anna), len(anna.history()))
    with pytest.raises(ConflictError) as caught:
        anna.update("activiteiten", ident, {"naam": "Inloop Anna"}, versie=read_by_anna)
    error = caught.value
    assert error.mine is not None and error.theirs is not None
    assert error.mine["naam"] == "Inloop Anna" and error.theirs["naam"] == "Inloop Bob"
    assert error.theirs["versie"] == 2
    assert "versie 1" in str(error) and "versie 2" in str(error)
    assert "'Inloop Anna'" in str(error) and "'Inloop Bob'" in str(error)
    with pytest.raises(ConflictError):
        anna.remove("activiteiten", ident, versie=read_by_anna)
    pd.testing.assert_frame_equal(state(anna), before[0])  # nothing changed
    assert len(anna.history()) == before[1]
    # keep mine: re-read and save again
    assert anna.update("activiteiten", ident, {"naam": "Inloop Anna"}, versie=2) == 3
    bob.remove("activiteiten", ident, versie=3)
    with pytest.raises(ConflictError, match="intussen verwijderd") as gone:
        anna.update("activiteiten", ident, {"naam": "Nog eens"}, versie=3)
    assert gone.value.theirs is None


# -- roles --------------------------------------------------------------------------------------
def test_redacteur_changes_only_rows_of_their_organisation(register: RegisterFactory):
    reg = register()
    dock, bt = (
        reg.add("activiteiten", activities("A", organisatie="DOCK")),
        reg.add("activiteiten", activities("B", organisatie="Buurtteam", x=151_000)),
    )
    before = (state(reg), len(reg.history()))
    with pytest.raises(PermissionDeniedError, match="Buurtteam"):
        reg.update("activiteiten", bt[0], {"naam": "overgenomen"}, user=DOCK)
    with pytest.raises(PermissionDeniedError):
        reg.remove("activiteiten", bt[0], user=DOCK)
    with pytest.raises(PermissionDeniedError):
        reg.add("activiteiten", activities("C", organisatie="Buurtteam"), user=DOCK)
    with pytest.raises(PermissionDeniedError):  # moving a row to another organisation
        reg.update("activiteiten", dock[0], {"organisatie": "Buurtteam"}, user=DOCK)
    after = state(reg)
    pd.testing.assert_frame_equal(after, before[0])
    assert len(reg.history()) == before[1]
    assert reg.update("activiteiten", dock[0], {"naam": "A2"}, user=DOCK) == 2
    assert reg.add("activiteiten", activities("D", organisatie="dock"), user=DOCK)
    assert reg.update("activiteiten", bt[0], {"naam": "B2"}, user=CHEF) == 2
    history = reg.history()
    assert list(history["wie"].iloc[-3:]) == ["dock", "dock", "chef"]


def test_undo_rules_for_redacteur_and_beheerder(register: RegisterFactory):
    reg = register()
    (row,) = reg.add("activiteiten", activities("A"), user=CHEF)
    (other,) = reg.add("activiteiten", activities("B", x=151_000), user=CHEF)
    reg.update("activiteiten", row, {"naam": "door dock"}, user=DOCK)
    reg.update("activiteiten", other, {"naam": "door dock2"}, user=DOCK_2)
    # dock's own last change, although dock2 changed something after it (another row)
    assert reg.undo(user=DOCK) == "1 rij(en) gewijzigd in activiteiten ongedaan gemaakt"
    assert reg.list("activiteiten").set_index("id").loc[row, "naam"] == "A"
    reg.update("activiteiten", row, {"naam": "weer dock"}, user=DOCK)
    reg.update("activiteiten", row, {"naam": "dock2 erna"}, user=DOCK_2)
    before = (state(reg), len(reg.history()))
    with pytest.raises(DataError, match="dock2 heeft dezelfde rij"):
        reg.undo(user=DOCK)  # someone else changed the row after: refused
    with pytest.raises(DataError, match="geen wijziging van u"):
        reg.undo(user=BUURTTEAM)
    pd.testing.assert_frame_equal(state(reg), before[0])
    assert len(reg.history()) == before[1]
    assert reg.undo(user=DOCK_2) == "1 rij(en) gewijzigd in activiteiten ongedaan gemaakt"
    assert reg.undo(user=DOCK) == "1 rij(en) gewijzigd in activiteiten ongedaan gemaakt"
    assert reg.list("activiteiten").set_index("id").loc[row, "naam"] == "A"
    # a beheerder undoes the last change overall, whoever made it
    reg.update("activiteiten", other, {"naam": "B3"}, user=DOCK_2)
    assert reg.undo(user=CHEF).startswith("1 rij(en) gewijzigd")
    assert reg.list("activiteiten").set_index("id").loc[other, "naam"] == "door dock2"


# -- accounts -----------------------------------------------------------------------------------
def test_accounts_store_only_a_slow_salted_hash(register: RegisterFactory):
    spec = register.new()
    reg = spec.open()
    made = reg.add_account(
        "anna",
        rol="redacteur",
        organisatie="DOCK",
        email="Anna@Dock.nl",
        password="geheim-wachtwoord-1",
    )
    assert made == Account("anna", rol="redacteur", organisatie="DOCK", email="Anna@Dock.nl")
    reg.add_account("chef", rol="beheerder", password="nog-geheimer-2")
    assert [a.naam for a in reg.accounts()] == ["anna", "chef"]
    assert reg.account("anna") == made and reg.account("niemand") is None
    assert reg.account_by_email("anna@dock.nl") == made
    raw = register.raw(spec)
    assert b"geheim-wachtwoord-1" not in raw and b"nog-geheimer-2" not in raw
    assert raw.count(b"scrypt$") >= 2
    assert reg.login("anna", "geheim-wachtwoord-1") == made
    with pytest.raises(DataError, match="al een account met deze naam"):
        reg.add_account("anna", rol="beheerder", password="iets-anders-3")
    with pytest.raises(DataError, match="al een account met dit e-mailadres"):
        reg.add_account("anna2", rol="beheerder", email="anna@dock.nl")
    with pytest.raises(DataError, match="hoort bij een organisatie"):
        reg.add_account("bob", rol="redacteur")
    with pytest.raises(DataError, match="onbekende rol"):
        reg.add_account("bob", rol="koning")
    with pytest.raises(DataError, match="te kort"):
        reg.add_account("bob", rol="beheerder", password="kort")
    reg.remove_account("chef")
    assert reg.account("chef") is None
    with pytest.raises(DataError, match="onbekend account"):
        reg.remove_account("chef")


def test_login_is_blocked_after_five_failures_across_processes(register: RegisterFactory):
    spec = register.new()
    spec.open().add_account("anna", rol="beheerder", password="goed-wachtwoord")
    for attempt in range(MAX_FAILURES):
        with pytest.raises(LoginError, match="verkeerd wachtwoord"):
            spec.open().login("anna", f"fout-{attempt}")  # a new connection every time
    with pytest.raises(LoginError, match="geblokkeerd"):
        spec.open().login("anna", "goed-wachtwoord")
    with pytest.raises(LoginError, match="verkeerd wachtwoord"):
        spec.open().login("niemand", "goed-wachtwoord")
    spec.open().set_password("anna", "nieuw-wachtwoord")  # a beheerder lifts the block
    assert spec.open().login("anna", "nieuw-wachtwoord").naam == "anna"
    # a success resets the counter: four more failures do not block
    for attempt in range(MAX_FAILURES - 1):
        with pytest.raises(LoginError):
            spec.open().login("anna", f"fout-{attempt}")
    assert spec.open().login("anna", "nieuw-wachtwoord").naam == "anna"


# -- concurrency and crashes --------------------------------------------------------------------
WORKERS = 8
CHANGES = 50


def _worker(spec: RegisterSpec, number: int) -> list[dict[str, object]]:
    """50 changes: adds, edits of a row read just before (with its versie), deletes."""
    reg = spec.open()
    rng = random.Random(number)
    outcomes: list[dict[str, object]] = []
    for step in range(CHANGES):
        kind = rng.choice(["add", "add", "edit", "edit", "delete"])
        naam = f"w{number}-{step}"
        try:
            if kind == "add":
                (ident,) = reg.add("activiteiten", activities(naam), user=f"w{number}")
                outcomes.append({"kind": kind, "id": ident, "naam": naam})
                continue
            frame = reg.list("activiteiten")
            if frame.empty:
                outcomes.append({"kind": kind, "refused": "leeg register"})
                continue
            row = frame.iloc[rng.randrange(len(frame))]
            if kind == "edit":
                versie = reg.update(
                    "activiteiten", row["id"], {"naam": naam}, user=f"w{number}",
                    versie=int(row["versie"]),
                )  # fmt: skip
                outcomes.append({"kind": kind, "id": row["id"], "naam": naam, "versie": versie})
            else:
                reg.remove("activiteiten", row["id"], user=f"w{number}", versie=int(row["versie"]))
                outcomes.append({"kind": kind, "id": row["id"]})
        except DataError as exc:  # a conflict: refused with a message
            outcomes.append({"kind": kind, "refused": str(exc)})
    return outcomes


def replay(history: pd.DataFrame) -> dict[str, dict[str, object]]:
    """The rows of activiteiten, rebuilt from the history alone."""
    rows: dict[str, dict[str, object]] = {}
    for event in history[history["laag"] == "activiteiten"].itertuples():
        if event.nieuw:
            rows[event.id] = json.loads(event.nieuw)
        else:
            rows.pop(event.id, None)
    return rows


def test_eight_processes_at_once_lose_nothing(register: RegisterFactory):
    spec = register.new()
    spec.open().add("activiteiten", activities("start-1", "start-2", "start-3"), user="start")
    with multiprocessing.get_context("spawn").Pool(WORKERS) as pool:
        results = pool.starmap(_worker, [(spec, n) for n in range(WORKERS)])
    outcomes = [o for result in results for o in result]
    assert len(outcomes) == WORKERS * CHANGES
    reg = spec.open()
    history = reg.history()
    done = [o for o in outcomes if "refused" not in o]
    refused = [o for o in outcomes if "refused" in o]
    assert all(o["refused"] for o in refused)  # every refusal says why
    assert sum(o["kind"] == "add" for o in done) > 100 and any(o["kind"] == "edit" for o in done)
    # every successful change is in the history exactly once, nothing else is
    assert len(history) == 3 + len(done)
    events = set(zip(history["actie"], history["id"], strict=True))
    for outcome in done:
        actie = {"add": "toegevoegd", "edit": "gewijzigd", "delete": "verwijderd"}[
            str(outcome["kind"])
        ]
        assert (actie, outcome["id"]) in events
    edits = history[history["actie"] == "gewijzigd"]
    versions = {
        (i, json.loads(n)["versie"]) for i, n in zip(edits["id"], edits["nieuw"], strict=True)
    }
    for outcome in done:
        if outcome["kind"] == "edit":
            assert (outcome["id"], outcome["versie"]) in versions
    # zero lost: the final state is exactly the replayed history
    final = reg.list("activiteiten")
    assert final["id"].is_unique
    rebuilt = replay(history)
    assert set(final["id"]) == set(rebuilt)
    for row in final.itertuples():
        assert (row.naam, row.versie) == (rebuilt[row.id]["naam"], rebuilt[row.id]["versie"])
    added = {o["id"] for o in done if o["kind"] == "add"}
    deleted = {o["id"] for o in done if o["kind"] == "delete"}
    assert set(final["id"]) == ({"act-000001", "act-000002", "act-000003"} | added) - deleted
    register.check_integrity(spec)


IMPORT_ROWS = 1500


def _importer(spec: RegisterSpec, marker: str) -> None:
    """Import batches of IMPORT_ROWS rows forever, writing the batch number before each."""
    reg = spec.open()
    frame = activities(*(f"import-{i}" for i in range(IMPORT_ROWS)))
    for batch in range(1, 1000):
        Path(marker).write_text(str(batch))
        reg.add("activiteiten", frame, user="importeur")


def test_killed_mid_import_leaves_state_before_or_after(register: RegisterFactory, tmp_path: Path):
    spec = register.new()
    spec.open().add("activiteiten", activities("al-er"), user="start")
    marker = tmp_path / "batch.txt"
    process = multiprocessing.get_context("spawn").Process(
        target=_importer, args=(spec, str(marker))
    )
    process.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (marker.exists() and marker.read_text() >= "3"):
        time.sleep(0.02)
    time.sleep(random.Random(7).uniform(0.05, 0.25))  # somewhere inside batch 3 (or 4)
    os.kill(process.pid, signal.SIGKILL)  # type: ignore[arg-type]
    process.join()
    started = int(marker.read_text())
    assert started >= 3
    reg = spec.open()
    frame = reg.list("activiteiten")
    imported = len(frame) - 1
    assert imported in ((started - 1) * IMPORT_ROWS, started * IMPORT_ROWS)
    history = reg.history()
    adds = history[history["actie"] == "toegevoegd"]
    assert set(adds["id"]) == set(frame["id"])  # history consistent with the rows
    assert (adds.groupby("batch").size().sort_values().tolist())[1:] == [IMPORT_ROWS] * (
        imported // IMPORT_ROWS
    )
    register.check_integrity(spec)
    assert reg.add("activiteiten", activities("daarna"))  # and it is writable again
