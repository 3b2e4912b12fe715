// Package driver is a database/sql driver for the project's database.
package driver

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"io"
	"net"

	"example.com/busybox/pkg/db/pool"
	"example.com/busybox/pkg/db/sqltypes"
	"example.com/busybox/pkg/db/wire"
)

func init() {
	sql.Register("busydb", &Driver{})
}

// Driver implements database/sql/driver.Driver.
type Driver struct{}

// Open implements database/sql/driver.Driver; name is host:port.
func (d *Driver) Open(name string) (sqldriver.Conn, error) {
	p := &pool.Pool{Addr: name, MaxIdle: 1}
	c, err := p.Get(context.Background())
	if err != nil {
		return nil, err
	}
	return &conn{nc: c, r: wire.NewReader(c)}, nil
}

type conn struct {
	nc net.Conn
	r  *wire.Reader
}

func (c *conn) Prepare(query string) (sqldriver.Stmt, error) {
	return nil, errors.New("driver: prepared statements are not supported")
}

func (c *conn) Close() error { return c.nc.Close() }

func (c *conn) Begin() (sqldriver.Tx, error) {
	return nil, errors.New("driver: transactions are not supported")
}

// QueryContext runs a simple query and decodes the first column of each row.
func (c *conn) QueryContext(ctx context.Context, query string, _ []sqldriver.NamedValue) (sqldriver.Rows, error) {
	if _, err := c.nc.Write(wire.Append(nil, wire.Query, append([]byte(query), 0))); err != nil {
		return nil, err
	}
	rows := &rows{}
	for {
		typ, body, err := c.r.Next()
		if err != nil {
			return nil, err
		}
		switch typ {
		case wire.ErrorMessage:
			f := wire.Fields(body)
			return nil, &Error{Severity: f['S'], Code: f['C'], Message: f['M'], Detail: f['D']}
		case wire.DataRow:
			v, err := sqltypes.Decode(sqltypes.Text, body)
			if err != nil {
				return nil, err
			}
			rows.vals = append(rows.vals, v)
		case wire.Ready:
			return rows, nil
		}
	}
}

type rows struct {
	vals []any
	i    int
}

func (r *rows) Columns() []string { return []string{"value"} }
func (r *rows) Close() error      { return nil }
func (r *rows) Next(dest []sqldriver.Value) error {
	if r.i >= len(r.vals) {
		return io.EOF
	}
	dest[0] = r.vals[r.i]
	r.i++
	return nil
}
