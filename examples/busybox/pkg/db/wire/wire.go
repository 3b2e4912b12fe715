// Package wire frames the database protocol's messages: a type byte and a
// big-endian length that counts itself.
package wire

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// Message types.
const (
	Query        = 'Q'
	RowDesc      = 'T'
	DataRow      = 'D'
	ErrorMessage = 'E'
	Ready        = 'Z'
)

// MaxMessage bounds a message's length.
const MaxMessage = 64 << 20

// Reader reads messages.
type Reader struct {
	r   *bufio.Reader
	buf []byte
}

// NewReader returns a Reader on r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReader(r)} }

// Next returns the next message's type and body; the body is valid until
// the next call.
func (r *Reader) Next() (byte, []byte, error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r.r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := int(binary.BigEndian.Uint32(hdr[1:])) - 4
	if n < 0 || n > MaxMessage {
		return 0, nil, fmt.Errorf("wire: bad length %d", n)
	}
	if cap(r.buf) < n {
		r.buf = make([]byte, n)
	}
	r.buf = r.buf[:n]
	_, err := io.ReadFull(r.r, r.buf)
	return hdr[0], r.buf, err
}

// Append appends a message of type typ with body to dst.
func Append(dst []byte, typ byte, body []byte) []byte {
	dst = append(dst, typ)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(body)+4))
	return append(dst, body...)
}

// Fields splits an error message body into its code-tagged fields.
func Fields(body []byte) map[byte]string {
	m := make(map[byte]string)
	for len(body) > 1 {
		code := body[0]
		end := 1
		for end < len(body) && body[end] != 0 {
			end++
		}
		m[code] = string(body[1:end])
		if end == len(body) {
			break
		}
		body = body[end+1:]
	}
	return m
}
