// Package credentials finds the access keys the SDK signs requests with:
// from the environment, else from the instance metadata service.
package credentials

import (
	"context"
	"errors"
	"os"
	"sync"
	"time"

	"example.com/busybox/pkg/cloud/metadata"
)

// Credentials are temporary or long-lived access keys.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expires         time.Time
}

// Expired reports whether the credentials expire within a minute.
func (c Credentials) Expired() bool {
	return !c.Expires.IsZero() && time.Until(c.Expires) < time.Minute
}

// Provider yields credentials.
type Provider interface {
	Retrieve(ctx context.Context) (Credentials, error)
}

// ErrNoCredentials is returned when no provider has credentials.
var ErrNoCredentials = errors.New("credentials: none found")

// Env reads CLOUD_ACCESS_KEY_ID, CLOUD_SECRET_ACCESS_KEY and
// CLOUD_SESSION_TOKEN.
type Env struct{}

// Retrieve implements Provider.
func (Env) Retrieve(context.Context) (Credentials, error) {
	id, secret := os.Getenv("CLOUD_ACCESS_KEY_ID"), os.Getenv("CLOUD_SECRET_ACCESS_KEY")
	if id == "" || secret == "" {
		return Credentials{}, ErrNoCredentials
	}
	return Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: os.Getenv("CLOUD_SESSION_TOKEN")}, nil
}

// Instance reads the role credentials of the instance from metadata.
type Instance struct {
	Client *metadata.Client
}

// Retrieve implements Provider.
func (p Instance) Retrieve(ctx context.Context) (Credentials, error) {
	role, err := p.Client.Get(ctx, "meta-data/iam/security-credentials/")
	if err != nil || role == "" {
		return Credentials{}, ErrNoCredentials
	}
	var doc struct {
		AccessKeyID     string    `json:"AccessKeyId"`
		SecretAccessKey string    `json:"SecretAccessKey"`
		Token           string    `json:"Token"`
		Expiration      time.Time `json:"Expiration"`
	}
	if err := p.Client.GetJSON(ctx, "meta-data/iam/security-credentials/"+role, &doc); err != nil {
		return Credentials{}, err
	}
	return Credentials{doc.AccessKeyID, doc.SecretAccessKey, doc.Token, doc.Expiration}, nil
}

// Chain tries each provider in turn and caches the first success until it
// expires.
type Chain struct {
	Providers []Provider

	mu     sync.Mutex
	cached Credentials
}

// Default is the chain environment, then instance metadata.
func Default() *Chain {
	return &Chain{Providers: []Provider{Env{}, Instance{Client: metadata.New()}}}
}

// Retrieve implements Provider.
func (c *Chain) Retrieve(ctx context.Context) (Credentials, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cached.AccessKeyID != "" && !c.cached.Expired() {
		return c.cached, nil
	}
	for _, p := range c.Providers {
		if creds, err := p.Retrieve(ctx); err == nil {
			c.cached = creds
			return creds, nil
		}
	}
	return Credentials{}, ErrNoCredentials
}
