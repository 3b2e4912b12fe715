package registry

import (
	"context"
	"fmt"
	"net/http"

	// SHAPE interface-only-import: the registry client uses exactly one
	// identifier from auth, the interface type auth.TokenSource (field
	// Client.Tokens below), but this edge links the cloud SDK subtree under
	// it: auth, credentials, signer, transport, retry, endpoints, region,
	// metadata and internal/sdkio.
	// Cut: declare the one-method interface here; callers' types still fit.
	"example.com/busybox/pkg/cloud/auth"
)

// Client fetches manifests from a registry.
type Client struct {
	HTTP   *http.Client
	Tokens auth.TokenSource // may be nil for anonymous access
}

// Accept lists the manifest media types the client understands.
const Accept = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json"

// ManifestRequest builds the request for the manifest of ref.
func (c *Client) ManifestRequest(ctx context.Context, ref Reference) (*http.Request, error) {
	id := ref.Tag
	if ref.Digest != "" {
		id = ref.Digest
	}
	u := fmt.Sprintf("https://%s/v2/%s/manifests/%s", ref.Host, ref.Repository, id)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", Accept)
	if c.Tokens != nil {
		tok, err := c.Tokens.Token(ctx)
		if err != nil {
			return nil, fmt.Errorf("registry: token for %s: %w", ref, err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return req, nil
}

// Head checks that the manifest of ref exists and returns its digest.
func (c *Client) Head(ctx context.Context, ref Reference) (string, error) {
	req, err := c.ManifestRequest(ctx, ref)
	if err != nil {
		return "", err
	}
	req.Method = http.MethodHead
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("registry: %s: %s", ref, resp.Status)
	}
	return resp.Header.Get("Docker-Content-Digest"), nil
}
