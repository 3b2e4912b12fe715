// Package sink writes the lines of the agent's status report.
package sink

import (
	"fmt"
	"io"
)

// Line writes one aligned "name value" line.
func Line(w io.Writer, name string, value any) error {
	_, err := fmt.Fprintf(w, "  %-16s %v\n", name, value)
	return err
}
