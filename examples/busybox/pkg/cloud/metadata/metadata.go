// Package metadata is a client of the instance metadata service.
package metadata

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"

	"example.com/busybox/pkg/cloud/internal/sdkio"
	"example.com/busybox/pkg/cloud/retry"
	"example.com/busybox/pkg/cloud/transport"
)

// DefaultEndpoint is the link-local address of the metadata service.
const DefaultEndpoint = "http://169.254.169.254/latest"

// Client reads instance metadata.
type Client struct {
	Endpoint string
	HTTP     *http.Client
}

// New returns a client for the endpoint in CLOUD_METADATA_ENDPOINT or the
// default one.
func New() *Client {
	ep := os.Getenv("CLOUD_METADATA_ENDPOINT")
	if ep == "" {
		ep = DefaultEndpoint
	}
	return &Client{Endpoint: strings.TrimSuffix(ep, "/"), HTTP: transport.New(retry.Default)}
}

// Get returns the metadata document at path as text.
func (c *Client) Get(ctx context.Context, path string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Endpoint+"/"+strings.TrimPrefix(path, "/"), nil)
	if err != nil {
		return "", err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	defer sdkio.Drain(resp.Body)
	b, err := io.ReadAll(io.LimitReader(resp.Body, sdkio.MaxBody))
	return string(b), err
}

// GetJSON decodes the metadata document at path into v.
func (c *Client) GetJSON(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Endpoint+"/"+strings.TrimPrefix(path, "/"), nil)
	if err != nil {
		return err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	return sdkio.ReadJSON(resp, v)
}
