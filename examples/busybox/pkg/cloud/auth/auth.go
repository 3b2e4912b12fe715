// Package auth issues bearer tokens for the cloud's container registry.
package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"example.com/busybox/pkg/cloud/credentials"
	"example.com/busybox/pkg/cloud/endpoints"
	"example.com/busybox/pkg/cloud/internal/sdkio"
	"example.com/busybox/pkg/cloud/region"
	"example.com/busybox/pkg/cloud/retry"
	"example.com/busybox/pkg/cloud/signer"
	"example.com/busybox/pkg/cloud/transport"
)

// TokenSource yields bearer tokens.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// RegistryTokens gets registry tokens from the cloud's token service, signed
// with the default credential chain.
type RegistryTokens struct {
	Region region.Region
	Creds  credentials.Provider
	HTTP   *http.Client

	mu      sync.Mutex
	token   string
	expires time.Time
}

// NewRegistryTokens returns a token source for the registry of region r.
func NewRegistryTokens(r region.Region) *RegistryTokens {
	return &RegistryTokens{Region: r, Creds: credentials.Default(), HTTP: transport.New(retry.Default)}
}

// Token implements TokenSource.
func (s *RegistryTokens) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.token != "" && time.Until(s.expires) > time.Minute {
		return s.token, nil
	}
	ep, err := endpoints.Resolve("registry-auth", s.Region)
	if err != nil {
		return "", err
	}
	creds, err := s.Creds.Retrieve(ctx)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep.URL+"/token", nil)
	if err != nil {
		return "", err
	}
	empty := sha256.Sum256(nil)
	(&signer.Signer{Service: ep.SigningName, Region: ep.SigningRegion}).Sign(req, creds, hex.EncodeToString(empty[:]))
	resp, err := s.HTTP.Do(req)
	if err != nil {
		return "", err
	}
	var out struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expiresAt"`
	}
	if err := sdkio.ReadJSON(resp, &out); err != nil {
		return "", err
	}
	s.token, s.expires = out.Token, out.ExpiresAt
	return s.token, nil
}
