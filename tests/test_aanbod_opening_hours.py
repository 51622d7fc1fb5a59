"""OSM opening_hours at import: dagdelen filled, the raw value kept, unreadable values warned."""

from __future__ import annotations

import csv

from geo.aanbod import import_file
from geo.aanbod.importer import OK, WARNING
from geo.sources.overpass import aanbod_from_osm


def test_osm_rows_carry_the_opening_hours_tag():
    rows = aanbod_from_osm(
        [
            {
                "type": "node",
                "id": 7,
                "lat": 52.09,
                "lon": 5.12,
                "tags": {
                    "amenity": "community_centre",
                    "name": "Buurthuis",
                    "opening_hours": "Mo-Fr 09:00-17:00; PH off",
                },
            },
            {"type": "node", "id": 8, "lat": 52.1, "lon": 5.1, "tags": {"amenity": "library"}},
        ],
        None,
    )
    assert rows["opening_hours"].tolist() == ["Mo-Fr 09:00-17:00; PH off", ""]


def test_import_fills_dagdelen_from_opening_hours_and_keeps_the_value(tmp_path):
    path = tmp_path / "osm_aanbod.csv"
    rows = [
        ("naam", "soort", "lat", "lon", "opening_hours", "dagdelen", "opmerking"),
        (
            "Buurthuis",
            "ontmoeting",
            "52.09",
            "5.12",
            "Mo-Fr 09:00-17:00",
            "",
            "OpenStreetMap node/7",
        ),
        (
            "Jongerencentrum",
            "ontmoeting",
            "52.09",
            "5.12",
            "Tu,Th 19:00-22:00; Sa 14:00-18:00",
            "",
            "",
        ),
        ("Tuin", "ontmoeting", "52.09", "5.12", "sunrise-sunset", "", ""),
        ("Soos", "ontmoeting", "52.09", "5.12", "Mo-Fr 19:00-22:00", "ochtend", ""),
        ("Bieb", "informatie", "52.09", "5.12", "", "", ""),
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    result = import_file(path, laag="activiteiten")
    frame = result.frame.reset_index(drop=True)
    assert frame["dagdelen"].tolist() == ["ochtend;middag", "avond;weekend", "", "ochtend", ""]
    assert frame.loc[0, "opmerking"] == ("OpenStreetMap node/7; openingstijden: Mo-Fr 09:00-17:00")
    assert frame.loc[1, "opmerking"] == "openingstijden: Tu,Th 19:00-22:00; Sa 14:00-18:00"
    report = result.report.set_index("row")
    assert report.loc[2, "status"] == OK and report.loc[3, "status"] == OK
    assert report.loc[4, "status"] == WARNING
    assert "openingstijden 'sunrise-sunset' niet herkend" in report.loc[4, "reason"]
    assert "tijden onbekend" in report.loc[4, "reason"]
    # an explicit dagdelen cell wins over opening_hours
    assert report.loc[5, "status"] == OK and frame.loc[3, "dagdelen"] == "ochtend"
