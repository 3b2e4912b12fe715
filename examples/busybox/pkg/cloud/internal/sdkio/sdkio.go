// Package sdkio has the small I/O helpers the cloud SDK packages share.
package sdkio

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// MaxBody bounds the size of a response body read by ReadJSON.
const MaxBody = 1 << 20

// ErrTooLarge is returned when a body exceeds MaxBody.
var ErrTooLarge = errors.New("sdkio: response body too large")

// ReadJSON decodes a JSON response body into v and closes it.
func ReadJSON(resp *http.Response, v any) error {
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sdkio: %s %s: %s", resp.Request.Method, resp.Request.URL, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return err
	}
	if len(b) > MaxBody {
		return ErrTooLarge
	}
	return json.Unmarshal(b, v)
}

// Drain discards the rest of a body and closes it, so the connection can be
// reused.
func Drain(rc io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(rc, MaxBody))
	_ = rc.Close()
}
