package protohelp

import (
	"fmt"

	// SHAPE one-small-function-import: protohelp calls one tiny function,
	// graphql.IsName (a dozen lines, no dependencies), and for it links the
	// GraphQL library: graphql, parser, lexer and ast.
	// Cut: copy IsName here (or move it to a leaf package).
	"example.com/busybox/pkg/graphql"
)

// GraphQLName converts a field name for the GraphQL API and checks that the
// result is a valid GraphQL name.
func GraphQLName(field string) (string, error) {
	name := JSONName(field)
	if !graphql.IsName(name) {
		return "", fmt.Errorf("protohelp: %q is not a valid GraphQL name", name)
	}
	return name, nil
}
