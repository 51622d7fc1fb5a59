-- Schema version 3: monitoring of the Uitvoeringsplan (issue 15): measurements per
-- indicator/period/area, local-knowledge notes per area, their history (undo) and id counters.
-- The GeoPackage register creates the same tables from this file (geo/monitoring/store_gpkg.py).

CREATE TABLE IF NOT EXISTS monitoring_metingen (
    id text PRIMARY KEY,
    indicator text NOT NULL,
    periode text NOT NULL,
    gebied text NOT NULL DEFAULT '',
    waarde double precision NOT NULL,
    bron text,
    notitie text,
    ingevoerd_door text,
    ingevoerd_op text NOT NULL,
    versie integer NOT NULL DEFAULT 1,
    UNIQUE (indicator, periode, gebied)
);

CREATE TABLE IF NOT EXISTS gebied_notities (
    id text PRIMARY KEY,
    gebied text NOT NULL,
    tekst text NOT NULL,
    auteur text,
    datum text NOT NULL,
    link text,
    ingevoerd_door text,
    versie integer NOT NULL DEFAULT 1
);

CREATE TABLE IF NOT EXISTS monitoring_historie (
    volgnummer integer PRIMARY KEY,
    batch text NOT NULL,
    tijd text NOT NULL,
    wie text,
    tabel text NOT NULL,
    actie text NOT NULL,
    id text NOT NULL,
    voor text,
    na text,
    ongedaan integer NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS monitoring_teller (
    tabel text PRIMARY KEY,
    laatste integer NOT NULL
);
