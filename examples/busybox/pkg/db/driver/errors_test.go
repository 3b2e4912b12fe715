package driver

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorAs(t *testing.T) {
	err := fmt.Errorf("insert: %w", &Error{Severity: "ERROR", Code: "23505", Message: "duplicate key"})
	var de *Error
	if !errors.As(err, &de) {
		t.Fatal("errors.As failed")
	}
	if de.Class() != "23" {
		t.Errorf("class = %q", de.Class())
	}
}
