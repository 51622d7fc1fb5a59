"""Language fit for migrantenouderen: the origin table, the fit rules and reach by hand."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box
from typer.testing import CliRunner

from geo.analysis.language import (
    activity_languages,
    languages_in_reach,
    origin_fit,
    origin_shares,
    origins_from_folder,
    read_origins,
)
from geo.analysis.reach import reachable_offer
from geo.cli import app
from geo.errors import DataError
from geo.settings import AnalysisSettings

B1, B2, B3 = "BU09990101", "BU09990102", "BU09990201"
DEMO = Path(__file__).resolve().parents[1] / "data"


def write_origins(path: Path, rows: list[tuple[str, str, object]], sep: str = ";") -> Path:
    """An origin table as a gemeente would deliver it: code;herkomst;aantal (65-plussers)."""
    lines = [sep.join(("code", "herkomst", "aantal"))]
    lines += [sep.join((code, origin, str(count))) for code, origin, count in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reader_takes_dutch_labels_and_skips_dutch_origin(tmp_path):
    path = write_origins(
        tmp_path / "herkomst.csv",
        [
            (B1, "Turkije", 30),
            (B1, "Marokko", 30),
            (B1, "Nederland", 400),
            (B2, "Suriname", 50),
            (B2, "Voormalige Nederlandse Antillen en Aruba", 10),
            ("WK099902", "overig niet-westers", 5),
            ("WK099902", "westers", 15),
        ],
    )
    table = read_origins(path)
    assert table["herkomst"].tolist() == [
        "turkije",
        "marokko",
        "suriname",
        "antillen_aruba",
        "overig_niet_westers",
        "westers",
    ]
    assert table["aantal"].sum() == 140


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([(B1, "Atlantis", 3)], ["onbekende herkomst", "rij 2", "Atlantis", "Turkije"]),
        ([(B1, "Turkije", 3), (B1, "Marokko", "veel")], ["geen getal", "rij 3", "aantal"]),
        ([(B1, "Turkije", -3)], ["0 of meer", "rij 2", "-3"]),
        ([("GM0999", "Turkije", 3)], ["buurt- of wijkcode", "GM0999"]),
    ],
)
def test_bad_rows_are_dutch_errors_naming_row_column_and_value(tmp_path, rows, words):
    path = write_origins(tmp_path / "herkomst.csv", rows)
    with pytest.raises(DataError) as error:
        read_origins(path)
    for word in words:
        assert word in str(error.value)
    assert "herkomst.csv" in str(error.value)


def test_missing_columns_say_which(tmp_path):
    path = tmp_path / "herkomst.csv"
    path.write_text("buurt;land;aantal\nBU09990101;Turkije;3\n", encoding="utf-8")
    with pytest.raises(DataError, match="code, herkomst ontbreken"):
        read_origins(path)


def test_shares_from_the_buurt_its_wijk_or_the_kwb(tmp_path):
    buurten = pd.DataFrame(
        {"code": [B1, B2, B3, "BU09990202"], "wijk_code": ["WK099901"] * 2 + ["WK099902"] * 2}
    )
    table = read_origins(
        write_origins(
            tmp_path / "h.csv",
            [(B1, "Turkije", 30), (B1, "Marokko", 10), ("WK099902", "Suriname", 8)],
        )
    )
    kwb = pd.DataFrame(
        {"herkomst_europa": [100.0, 25.0, 0.0, 1.0], "herkomst_buiten_europa": [0, 75.0, 0, 1]},
        index=[B1, B2, B3, "BU09990202"],
    )
    found = origin_shares(buurten, origins=table, population=kwb)
    shares = found.shares
    assert shares.loc[B1, "turkije"] == pytest.approx(0.75)
    assert shares.loc[B1, "marokko"] == pytest.approx(0.25)
    assert shares.loc[B1, "europa"] == 0  # the table wins over the kwb
    assert shares.loc[B3, "suriname"] == 1.0  # the wijk's row
    assert (shares.loc[B2, ["europa", "buiten_europa"]] == [0.25, 0.75]).all()
    assert found.source.to_dict() == {
        B1: "herkomsttabel",
        B2: "kwb",
        B3: "herkomsttabel (wijk)",
        "BU09990202": "herkomsttabel (wijk)",
    }
    assert "Europa / buiten Europa" in found.note
    nothing = origin_shares(buurten.iloc[:1])
    assert nothing.source.tolist() == ["onbekend"] and shares.shape[1] == 8
    assert np.isnan(nothing.shares.to_numpy()).all()


def test_which_origins_an_activity_serves():
    acts = pd.DataFrame(
        {
            "naam": ["Turkse ouderensoos", "Inloop", "Koffie voor Marokkaanse vaders", "Soos"],
            "talen": ["tr", "", "nl", "Arabisch;Tamazight"],
            "doelgroepen": ["migrantenouderen", "iedereen", "migrantenouderen", "iedereen"],
            "opmerking": ["", "", "", ""],
        }
    )
    fit = origin_fit(acts)
    serves = {i: sorted(fit.columns[fit.loc[i]]) for i in fit.index}
    assert serves[0] == ["buiten_europa", "turkije"]
    assert serves[1] == ["antillen_aruba", "buiten_europa", "europa", "suriname", "westers"]
    assert "marokko" in serves[2] and "turkije" not in serves[2]  # marked for that community
    assert serves[3] == ["buiten_europa", "marokko", "overig_niet_westers"]
    general = origin_fit(
        pd.DataFrame(
            {
                "naam": ["Inloop migrantenouderen"],
                "talen": [""],
                "doelgroepen": ["migrantenouderen"],
            }
        )
    )
    assert general.all(axis=1).item()  # for migrant elders in general: every origin
    assert activity_languages("Turks, nl") == {"tr", "nl"}


def _two_buurten():
    buurten = gpd.GeoDataFrame(
        {"code": [B1, B2], "wijk_code": ["WK099901", "WK099901"]},
        geometry=[box(0, 0, 40, 40), box(40, 0, 80, 40)],
        crs="EPSG:28992",
    )
    need = pd.DataFrame(
        {"code": [B1, B2], "group": "migrantenouderen", "niveau": "buurt", "lonely": [100.0] * 2}
    )
    acts = gpd.GeoDataFrame(
        {
            "naam": ["Turkse soos", "Inloop"],
            "soort": "ontmoeting",
            "doelgroepen": "iedereen",
            "talen": ["tr", "nl"],
            "dagdelen": "ochtend",
            "capaciteit": [30, 10],
        },
        geometry=[Point(40, 20), Point(40, 20)],  # within a third of the catchment of both
        crs="EPSG:28992",
    )
    return buurten, need, acts


def test_language_fit_moves_offer_to_the_buurten_whose_elders_can_use_it(tmp_path):
    # B1: half Turkish, half Moroccan elders; B2: all Surinamese; 100 lonely in each.
    # The Turkish soos (30 places) serves half of B1; the Dutch inloop (10) serves all of B2.
    buurten, need, acts = _two_buurten()
    table = read_origins(
        write_origins(
            tmp_path / "h.csv", [(B1, "Turkije", 20), (B1, "Marokko", 20), (B2, "Suriname", 9)]
        )
    )
    origins = origin_shares(buurten, origins=table)
    plain = reachable_offer(buurten, need, acts, group="migrantenouderen")
    assert plain["access"].tolist() == pytest.approx([40 / 200, 40 / 200])
    fitted = reachable_offer(buurten, need, acts, group="migrantenouderen", origins=origins)
    # soos: demand 100 × 0.5 → R = 30 / 50 = 0.6; B1 gets 0.6 × 0.5 = 0.3.
    # inloop: demand 100 × 1 (B2) → R = 10 / 100 = 0.1; B2 gets 0.1. Total kept: 30 + 10.
    assert fitted["access"].tolist() == pytest.approx([0.3, 0.1])
    assert (fitted["access"] * 100).sum() == pytest.approx(40.0)
    # covered: only B1's Turkish half has something in its language
    assert fitted["covered_lonely"].tolist() == pytest.approx([50.0, 100.0])
    assert fitted["reachable"].tolist() == [1, 1]
    assert fitted["language_source"].tolist() == ["herkomsttabel", "herkomsttabel"]
    assert fitted.attrs["language_fit"]["used"] is True
    # other groups are never weighed by language
    old = need.assign(group="ouderen")
    ouderen = reachable_offer(buurten, old, acts, group="ouderen", origins=origins)
    assert ouderen["access"].tolist() == pytest.approx([0.2, 0.2])
    off = reachable_offer(
        buurten,
        need,
        acts,
        group="migrantenouderen",
        origins=origins,
        settings=AnalysisSettings(language_fit=False),
    )
    assert off["access"].tolist() == pytest.approx([0.2, 0.2])
    pairs = fitted.attrs["pairs"]
    languages = languages_in_reach(pairs, acts, [B1])
    assert languages == [{"taal": "tr", "label": "Turks", "activiteiten": 1}]
    assert languages_in_reach(pairs, acts, [B2]) == []


def test_kwb_fallback_only_weighs_offer_without_dutch():
    buurten, need, acts = _two_buurten()
    kwb = pd.DataFrame(
        {"herkomst_europa": [50.0, 50.0], "herkomst_buiten_europa": [50.0, 50.0]},
        index=[B1, B2],
    )
    origins = origin_shares(buurten, population=kwb)
    fitted = reachable_offer(buurten, need, acts, group="migrantenouderen", origins=origins)
    # the soos (tr) serves the buiten-Europa half, the inloop (nl) everyone:
    # soos R = 30 / (0.5 × 200) = 0.3 → 0.15 each; inloop R = 10 / 200 = 0.05 each
    assert fitted["access"].tolist() == pytest.approx([0.2, 0.2])
    assert fitted["covered_lonely"].tolist() == pytest.approx([100.0, 100.0])


def test_folder_table_reaches_the_cli_json(tmp_path):
    folder = tmp_path / "data"
    import shutil

    shutil.copytree(DEMO, folder)
    assert len(origins_from_folder(folder)) == 6 * 30  # the demo's invented table
    shutil.rmtree(folder / "herkomst")
    assert origins_from_folder(folder) is None
    (folder / "herkomst").mkdir()
    write_origins(folder / "herkomst" / "herkomst_65plus.csv", [("WK999902", "Turkije", 40)])
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["profiel", str(folder), "--gebied", "Noordhoek", "--groep", "migrantenouderen", "--json"],
    )
    assert result.exit_code == 0, result.output
    profile = json.loads(result.output)
    language = profile["language_fit"]
    assert language["used"] is True and language["sources"]["herkomsttabel (wijk)"] > 0
    assert language["sentence"].startswith("aanbod in het ")
    assert language["sentence"].endswith(" binnen bereik")
    assert "Turks" in language["sentence"] or "Arabisch" in language["sentence"]
    assert profile["time_fit"]["preferred_dagdelen"] == ["ochtend", "middag", "weekend"]
    hiaten = runner.invoke(app, ["hiaten", str(folder), "--groep", "migrantenouderen", "--json"])
    assert hiaten.exit_code == 0, hiaten.output
    data = json.loads(hiaten.output)
    assert data["language_fit"]["used"] is True and "time_fit" in data
    bad = folder / "herkomst" / "kapot.csv"
    write_origins(bad, [("WK999902", "Atlantis", 4)])
    broken = runner.invoke(app, ["hiaten", str(folder), "--groep", "migrantenouderen", "--json"])
    assert broken.exit_code != 0 and "onbekende herkomst" in str(broken.exception)


def test_report_and_profile_say_which_languages_are_in_reach():
    from geo.aanbod import load_aanbod
    from geo.analysis.pipeline import analyse
    from geo.analysis.profile import area_profile
    from geo.io.folder import load_dataset
    from geo.report import build_report, report_html

    dataset = load_dataset(DEMO)
    aanbod = load_aanbod(DEMO, areas=dataset.areas, gemeente_code=dataset.gemeente_code)
    result = analyse(dataset, aanbod.layers, group="migrantenouderen", hotspots=False)
    assert result.language_fit["used"] and result.language_fit["sources"] == {"herkomsttabel": 30}
    profile = area_profile(
        dataset, aanbod.layers, "Noordhoek", group="migrantenouderen", result=result
    )
    sentence = profile["language_fit"]["sentence"]
    labels = [x["label"] for x in profile["language_fit"]["languages_in_reach"]]
    assert sentence == "aanbod in het " + "/".join(labels) + " binnen bereik"
    assert "Turks" in labels and "Arabisch" in labels
    html = report_html(
        build_report(dataset, aanbod.layers, "Noordhoek", group="migrantenouderen", result=result)
    )
    assert f"Taal: {sentence}." in html
    assert "Tijden: activiteiten in de ochtend, de middag of het weekend tellen volledig" in html
