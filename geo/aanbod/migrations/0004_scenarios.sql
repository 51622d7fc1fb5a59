-- Schema version 4: stored what-if scenarios of the aanbod (issue 14). A scenario is a named
-- set of changes (new activities, removed ones, Buurtmobiel areas) kept as JSON; the aanbod
-- itself is never changed by it. The GeoPackage register creates the same table from this
-- file (geo/analysis/scenario_store.py).

CREATE TABLE IF NOT EXISTS scenarios (
    naam text PRIMARY KEY,
    groep text NOT NULL DEFAULT '',
    wijzigingen text NOT NULL,
    auteur text NOT NULL DEFAULT '',
    aangemaakt_op text NOT NULL,
    gewijzigd_op text NOT NULL,
    versie integer NOT NULL DEFAULT 1
);
