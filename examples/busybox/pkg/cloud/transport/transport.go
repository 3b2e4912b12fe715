// Package transport builds the SDK's HTTP client: TLS settings, timeouts and
// retries of idempotent requests.
package transport

import (
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"time"

	"example.com/busybox/pkg/cloud/retry"
)

// New returns an HTTP client for SDK calls.
func New(p retry.Policy) *http.Client {
	base := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout: 5 * time.Second,
		MaxIdleConnsPerHost: 8,
	}
	return &http.Client{Transport: &retrying{base: base, policy: p}, Timeout: 30 * time.Second}
}

type retrying struct {
	base   http.RoundTripper
	policy retry.Policy
}

func (t *retrying) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return t.base.RoundTrip(req)
	}
	var resp *http.Response
	err := t.policy.Do(req.Context(), func() error {
		var err error
		resp, err = t.base.RoundTrip(req)
		if err == nil && resp.StatusCode >= 500 {
			resp.Body.Close()
			return errServer
		}
		return err
	}, func(err error) bool {
		var ne net.Error
		return errors.Is(err, errServer) || (errors.As(err, &ne) && ne.Timeout())
	})
	return resp, err
}

var errServer = errors.New("transport: server error")
