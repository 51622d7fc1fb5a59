"""The gap engine end to end: Utrecht's published numbers, the demo data, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo.aanbod import load_aanbod
from geo.analysis.need import estimate_need
from geo.analysis.pipeline import analyse
from geo.analysis.profile import area_profile, resolve_area
from geo.errors import DataError
from tests.conftest import UTRECHT


def wijkkompas(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo.cli", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.shared
def test_utrecht_elderly_counts_and_rates(utrecht_dataset):
    need = estimate_need(utrecht_dataset)
    wijken = need[(need["niveau"] == "wijk") & (need["group"] == "ouderen")].set_index("naam")
    # RIVM 2020 × kwb 2023: Overvecht 4,825 × 14.8 % ≈ 714 severely lonely 65-plussers
    assert wijken.loc["Overvecht", "population"] == 4825
    assert wijken.loc["Overvecht", "severely_lonely_rate"] == 14.8
    assert wijken["severely_lonely"].idxmax() == "Overvecht"
    assert round(wijken.loc["Overvecht", "severely_lonely"]) == 714
    # ... while Vleuten-De Meern has the most lonely 65-plussers: 6,235 × 50.0 % ≈ 3,118
    assert wijken["lonely"].idxmax() == "Vleuten-De Meern"
    assert round(wijken.loc["Vleuten-De Meern", "lonely"]) == 3118
    # and by rate Overvecht is highest among the large wijken
    assert wijken["lonely_rate"].idxmax() == "Overvecht"


@pytest.mark.shared
def test_utrecht_wijk_sum_of_buurten_is_close_to_published(utrecht_dataset):
    aanbod = load_aanbod(UTRECHT, areas=utrecht_dataset.areas)
    result = analyse(utrecht_dataset, aanbod.layers, group="ouderen", hotspots=False)
    wijken = result.wijken.set_index("naam")
    overvecht = wijken.loc["Overvecht"]
    assert overvecht["population"] == 4825  # buurten sum to the wijk
    assert overvecht["severely_lonely_published"] == pytest.approx(714.1)
    assert overvecht["severely_lonely"] == pytest.approx(714.1, rel=0.02)
    buurten = result.buurten
    assert buurten["lonely"].sum() == pytest.approx(result.gemeente["lonely"].iloc[0])


@pytest.mark.shared
def test_profiel_overvecht_cli():
    result = wijkkompas("profiel", str(UTRECHT), "--gebied", "Overvecht")
    assert result.returncode == 0, result.stderr
    line = next(row for row in result.stdout.splitlines() if row.strip().startswith("Eenzaam "))
    assert "58,2 %" in line and "48,9 %" in line and "47,0 %" in line
    data = json.loads(wijkkompas("profiel", str(UTRECHT), "--gebied", "overvecht", "--json").stdout)
    first = data["figures"][0]
    assert (first["value"], first["gemeente"], first["nederland"]) == (58.2, 48.9, 47.0)
    assert [t["year"] for t in data["trend"]] == [2012, 2016, 2020]
    assert data["target"]["behaald"] is False


@pytest.mark.shared
def test_hiaten_cli_json_keys_and_sorting(tmp_path):
    out = tmp_path / "hiaten.csv"
    result = wijkkompas(
        "hiaten",
        str(UTRECHT),
        "--groep",
        "ouderen",
        "--niveau",
        "wijk",
        "--json",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    assert len(rows) == 10
    assert {
        "code",
        "naam",
        "group",
        "lonely",
        "severely_lonely",
        "reachable_offer",
        "gap_score",
        "rank",
        "reason",
    } <= set(rows[0])
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    text = wijkkompas(
        "hiaten", str(UTRECHT), "--niveau", "wijk", "--sorteer", "ernstig", "--top", "1"
    ).stdout
    assert "Overvecht" in text.splitlines()[1] and "714 ernstig" in text


def test_demo_end_to_end(demo_dataset):
    aanbod = load_aanbod(demo_dataset.path, areas=demo_dataset.areas)
    for group in ("ouderen", "alleenstaande-ouderen", "migrantenouderen", "jongvolwassenen"):
        result = analyse(demo_dataset, aanbod.layers, group=group)
        assert len(result.buurten) == 30 and len(result.wijken) == 6 and len(result.gebieden) == 3
        assert result.buurten["rank"].min() == 1
        assert result.buurten["reason"].str.len().min() > 20
        assert set(result.hotspots["variable"]) == {"eenzamen", "hiaat"}
    elderly = analyse(demo_dataset, aanbod.layers, group="ouderen")
    # Noordhoek was given little for its elderly: it ranks among the largest gaps
    assert elderly.wijken.set_index("naam").loc["Noordhoek", "rank"] <= 2


def test_profile_of_a_buurt_and_unknown_area(demo_dataset):
    aanbod = load_aanbod(demo_dataset.path, areas=demo_dataset.areas)
    profile = area_profile(demo_dataset, aanbod.layers, "Reigerhof", group="ouderen")
    assert profile["area"]["kind"] == "buurt" and profile["area"]["demo"] is True
    assert profile["populations"][0]["method"]
    assert profile["nearest"]["welzijn_op_recept"]["naam"].startswith("Welzijn op recept")
    with pytest.raises(DataError, match="bedoelt u: .*Noordhoek\\?"):
        resolve_area(demo_dataset, "noord")


def test_hiaten_cli_on_demo_and_bad_group():
    ok = wijkkompas("hiaten", "--groep", "migrantenouderen", "--niveau", "gebied", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["demo"] is True
    bad = wijkkompas("hiaten", "--groep", "katten")
    assert bad.returncode == 2 and "onbekende doelgroep" in bad.stderr
