package v1

// BaseTemplate is the template the initial schema for this major version. The template expects variables to be
// passed using the schema.Config struct. Patches are applied on top of this base.
var BaseTemplate = `

{{- if and .SchemaName (ne .SchemaName "public") }}
SET search_path TO {{ .SchemaName }},public;
{{- end }}

-- =====================================================================================================================
-- INDEPENDENT FUNCTIONS
-- =====================================================================================================================

CREATE FUNCTION {{ .SchemaName | default "public"}}.height_to_unix(fil_epoch bigint) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
		SELECT ((fil_epoch * 30) + 1598306400)::bigint;
	$$;

-- ----------------------------------------------------------------
-- Name: block_headers
-- Model: blocks.BlockHeader
-- Growth: About 4-5 rows per epoch
-- ----------------------------------------------------------------
CREATE TABLE {{ .SchemaName | default "public"}}.block_headers (
    cid text NOT NULL,
    parent_state_root text NOT NULL,
    height bigint NOT NULL,
    miner text NOT NULL,
    "timestamp" bigint NOT NULL
);
ALTER TABLE ONLY {{ .SchemaName | default "public"}}.block_headers ADD CONSTRAINT block_headers_pkey PRIMARY KEY (height, cid);
CREATE INDEX block_headers_height_idx ON {{ .SchemaName | default "public"}}.block_headers USING btree (height DESC);

COMMENT ON TABLE {{ .SchemaName | default "public"}}.block_headers IS 'Blocks included in tipsets at an epoch.';
COMMENT ON COLUMN {{ .SchemaName | default "public"}}.block_headers.parent_state_root IS 'CID of the block''s parent state root.';

-- ----------------------------------------------------------------
-- Name: visor_version
-- Notes: This table can be created during version checking before a migration.
-- ----------------------------------------------------------------

CREATE TABLE IF NOT EXISTS {{ .SchemaName | default "public"}}.visor_version (
    major integer NOT NULL
);
ALTER TABLE ONLY {{ .SchemaName | default "public"}}.visor_version DROP CONSTRAINT IF EXISTS visor_version_pkey;
ALTER TABLE ONLY {{ .SchemaName | default "public"}}.visor_version ADD CONSTRAINT visor_version_pkey PRIMARY KEY (major);
INSERT INTO {{ .SchemaName | default "public"}}.visor_version (major) VALUES (1);

CREATE VIEW {{ .SchemaName | default "public"}}.chain_visualizer_blocks_view AS
 SELECT block_headers.cid,
    block_headers.height,
    block_headers.miner
   FROM {{ .SchemaName | default "public"}}.block_headers;

`
