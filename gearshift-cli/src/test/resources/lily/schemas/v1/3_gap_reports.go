package v1

import "fmt"

// Schema version 3 adds gap reports, its SQL built at run time: the extractor cannot read it.

func init() {
	patches.Register(
		3,
		fmt.Sprintf(`CREATE TABLE {{ .SchemaName | default "public"}}.visor_gap_reports (
	height bigint NOT NULL,
	task text NOT NULL,
	status text NOT NULL %s
);`, statusDefault),
	)
}

var statusDefault = "DEFAULT 'GAP'"
