package schema

import _ "embed"

//go:embed workload.schema.json
var workloadJSON string

// SHAPE eager-init-schema: the bundled schema is decoded with encoding/json
// (reflection over Schema, a map per object node) while the package
// initializes, in every binary that links schema.
// Cut: var Workload = sync.OnceValue(func() *Schema { return mustParse(workloadJSON) }).
var Workload = mustParse(workloadJSON)
