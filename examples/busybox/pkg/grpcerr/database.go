package grpcerr

import (
	"errors"

	// SHAPE errors-as-target-import: the only use of the driver is its
	// *driver.Error type, as the target of errors.As below. The edge links
	// the driver and its pool, wire and sqltypes packages (plus
	// database/sql) into every binary with the interceptor.
	// Cut: match on a local interface{ SQLState() string }, or move the
	// error type to a tiny package of its own.
	"example.com/busybox/pkg/db/driver"
)

// databaseCode maps database errors by SQLSTATE class.
func databaseCode(err error) (Code, bool) {
	var de *driver.Error
	if !errors.As(err, &de) {
		return 0, false
	}
	class := de.Code
	if len(class) > 2 {
		class = class[:2]
	}
	switch class {
	case "23": // integrity constraint violation
		return AlreadyExists, true
	case "22": // data exception
		return InvalidArgument, true
	case "08", "57": // connection exception, operator intervention
		return Unavailable, true
	}
	return FailedPrecondition, true
}
