"""The Aanbod page on the server register (WIJKKOMPAS_DATABASE_URL), with AppTest."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo.aanbod.backends import register_path
from geo.aanbod.copy import copy_register
from geo.aanbod.register_pg import PostgisRegister
from tests.test_app_aanbod import button, log_in
from tests.test_app_pages import app, no_errors, texts

pytestmark = pytest.mark.postgres


@pytest.fixture()
def server_folder(
    demo_copy: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, PostgisRegister]:
    """The demo's register moved to the server; the folder keeps no register file."""
    copy_register(register_path(demo_copy), pg_url)
    register_path(demo_copy).unlink()
    server = PostgisRegister(pg_url)
    server.add(
        "activiteiten",
        gpd.GeoDataFrame(
            {"naam": ["Alleen op de server"], "organisatie": ["DOCK"], "soort": ["ontmoeting"]},
            geometry=[shapely.Point(136_000, 455_500)],
            crs="EPSG:28992",
        ),
        user="kerngroep",
    )
    server.add_account("chef", rol="beheerder", password="chef-geheim-1")
    monkeypatch.setenv("WIJKKOMPAS_DATABASE_URL", pg_url)
    return demo_copy, server


def test_aanbod_page_lists_and_edits_the_server_register(server_folder):
    folder, server = server_folder
    stored = server.list("activiteiten")
    at = app(str(folder), page="aanbod")
    no_errors(at)
    table = at.dataframe[0].value
    assert len(table) == len(stored) == 303  # the demo's 302 and the one only the server has
    assert "Alleen op de server" in set(table["Naam"])
    assert "Uit het register `postgresql://wijkkompas@127.0.0.1:" in texts(at)
    assert "chef-geheim" not in texts(at)

    at = log_in(at, "chef", "chef-geheim-1")
    no_errors(at)
    assert "Ingelogd als chef (beheerder)." in texts(at)
    ident = at.selectbox(key="aanbod_rij_activiteiten_0").value
    at.text_input(key=f"veld_activiteiten_{ident}_naam").input("Inloop via de server")
    at = button(at, "Rij opslaan").click().run()
    no_errors(at)
    row = server.list("activiteiten").set_index("id").loc[ident]
    assert (row["naam"], row["versie"]) == ("Inloop via de server", 2)
    assert server.history().iloc[-1][["wie", "actie", "id"]].tolist() == [
        "chef",
        "gewijzigd",
        ident,
    ]
    assert not register_path(folder).exists()  # nothing went into a GeoPackage
