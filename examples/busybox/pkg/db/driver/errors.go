package driver

import "fmt"

// Error is an error reported by the database server.
type Error struct {
	Severity string
	Code     string // SQLSTATE, e.g. "23505"
	Message  string
	Detail   string
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("%s: %s (SQLSTATE %s): %s", e.Severity, e.Message, e.Code, e.Detail)
	}
	return fmt.Sprintf("%s: %s (SQLSTATE %s)", e.Severity, e.Message, e.Code)
}

// Class returns the two-character class of the SQLSTATE code.
func (e *Error) Class() string {
	if len(e.Code) < 2 {
		return ""
	}
	return e.Code[:2]
}
