// Package sqltypes converts between wire values and Go values.
package sqltypes

import (
	"fmt"
	"strconv"
	"time"
)

// OID identifies a column type on the wire.
type OID uint32

// Column types the driver decodes.
const (
	Bool        OID = 16
	Int8        OID = 20
	Int4        OID = 23
	Text        OID = 25
	Float8      OID = 701
	Timestamptz OID = 1184
)

// Decode converts the text form of a value of type oid.
func Decode(oid OID, text []byte) (any, error) {
	if text == nil {
		return nil, nil
	}
	s := string(text)
	switch oid {
	case Bool:
		return s == "t", nil
	case Int4, Int8:
		return strconv.ParseInt(s, 10, 64)
	case Float8:
		return strconv.ParseFloat(s, 64)
	case Timestamptz:
		return time.Parse("2006-01-02 15:04:05.999999-07", s)
	case Text:
		return s, nil
	}
	return nil, fmt.Errorf("sqltypes: unsupported type %d", oid)
}

// Encode formats v in text form.
func Encode(v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case bool:
		if v {
			return []byte("t"), nil
		}
		return []byte("f"), nil
	case int64:
		return strconv.AppendInt(nil, v, 10), nil
	case float64:
		return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
	case string:
		return []byte(v), nil
	case []byte:
		return v, nil
	case time.Time:
		return []byte(v.Format("2006-01-02 15:04:05.999999-07")), nil
	}
	return nil, fmt.Errorf("sqltypes: cannot encode %T", v)
}
