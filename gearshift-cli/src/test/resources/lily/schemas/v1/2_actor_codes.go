package v1

// Schema version 2 adds actor_codes; written with interpreted strings joined by +, and a down.

func init() {
	patches.Register(
		2,
		"CREATE TABLE IF NOT EXISTS {{ .SchemaName | default \"public\"}}.actor_codes (\n"+
			"\tcid\ttext NOT NULL,\n\tcode\ttext NOT NULL,\n\tPRIMARY KEY (cid, code)\n);\n"+
			`COMMENT ON TABLE {{ .SchemaName | default "public"}}.actor_codes IS 'A mapping of a builtin actor''s CID to a human friendly name.';`,
		`DROP TABLE IF EXISTS {{ .SchemaName | default "public"}}.actor_codes;`,
	)
}
