-- Monitoring tables (measurements, local-knowledge notes, their history, id counters).
-- The same schema in the GeoPackage register (plain SQLite attribute tables, created on
-- the first change) and on PostGIS (migration 0003_monitoring.sql).

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
