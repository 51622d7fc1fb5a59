-- Wijkkompas aanbod register, schema version 1: the five layers, Welzijn op recept
-- participants, the history of changes and the id counters.
-- Layers are PostGIS tables in EPSG:28992 (RD New) with a GiST index on the geometry; every row
-- carries a versie (1 on insert, +1 on every update) for optimistic concurrency.
-- Numeric fields are double precision, as in the GeoPackage register.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE activiteiten (
    fid bigint GENERATED ALWAYS AS IDENTITY,
    id text PRIMARY KEY,
    naam text,
    soort text,
    doelgroepen text,
    talen text,
    dagdelen text,
    frequentie text,
    capaciteit double precision,
    organisatie text,
    adres text,
    postcode text,
    bron text,
    laatst_gecontroleerd text,
    locatie_status text,
    opmerking text,
    buurt_code text,
    geometry geometry(Point, 28992),
    versie integer NOT NULL DEFAULT 1
);

CREATE TABLE lief_en_leed (
    fid bigint GENERATED ALWAYS AS IDENTITY,
    id text PRIMARY KEY,
    straat text,
    buurt_code text,
    potjes double precision,
    jaar double precision,
    bron text,
    geometry geometry(Geometry, 28992),
    versie integer NOT NULL DEFAULT 1
);

CREATE TABLE welzijn_op_recept (
    fid bigint GENERATED ALWAYS AS IDENTITY,
    id text PRIMARY KEY,
    naam text,
    soort_locatie text,
    organisatie text,
    adres text,
    bron text,
    geometry geometry(Point, 28992),
    versie integer NOT NULL DEFAULT 1
);

CREATE TABLE buurtmobiel (
    fid bigint GENERATED ALWAYS AS IDENTITY,
    id text PRIMARY KEY,
    naam text,
    dienst text,
    dagen text,
    tijden text,
    doelgroep text,
    gebied_codes text,
    bron text,
    geometry geometry(MultiPolygon, 28992),
    versie integer NOT NULL DEFAULT 1
);

CREATE TABLE ov_haltes (
    fid bigint GENERATED ALWAYS AS IDENTITY,
    id text PRIMARY KEY,
    naam text,
    vertrekken_per_uur double precision,
    bron text,
    geometry geometry(Point, 28992),
    versie integer NOT NULL DEFAULT 1
);

CREATE INDEX activiteiten_geometry_idx ON activiteiten USING gist (geometry);
CREATE INDEX lief_en_leed_geometry_idx ON lief_en_leed USING gist (geometry);
CREATE INDEX welzijn_op_recept_geometry_idx ON welzijn_op_recept USING gist (geometry);
CREATE INDEX buurtmobiel_geometry_idx ON buurtmobiel USING gist (geometry);
CREATE INDEX ov_haltes_geometry_idx ON ov_haltes USING gist (geometry);
CREATE INDEX activiteiten_organisatie_idx ON activiteiten (organisatie);

CREATE TABLE wor_deelnemers (
    fid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wijk_code text,
    jaar double precision,
    deelnemers double precision,
    bron text,
    batch text
);

-- One row per recorded change; oud/nieuw are the JSON text of the records (as in the
-- GeoPackage register), batch groups one undoable change, herstelt names the undone batch.
CREATE TABLE history (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    wanneer text NOT NULL,
    wie text NOT NULL,
    actie text NOT NULL,
    laag text NOT NULL,
    id text NOT NULL DEFAULT '',
    oud text NOT NULL DEFAULT '',
    nieuw text NOT NULL DEFAULT '',
    batch text NOT NULL,
    herstelt text NOT NULL DEFAULT ''
);
CREATE INDEX history_batch_idx ON history (batch);
CREATE INDEX history_herstelt_idx ON history (herstelt) WHERE herstelt <> '';
CREATE INDEX history_laag_id_idx ON history (laag, id);

-- The last id number handed out per layer; UPDATE ... RETURNING locks the row, so concurrent
-- imports get disjoint id ranges. Ids are never reused (also not after an undo).
CREATE TABLE id_teller (
    laag text PRIMARY KEY,
    laatste integer NOT NULL DEFAULT 0
);
INSERT INTO id_teller (laag) VALUES
    ('activiteiten'), ('lief_en_leed'), ('welzijn_op_recept'), ('buurtmobiel'), ('ov_haltes');
