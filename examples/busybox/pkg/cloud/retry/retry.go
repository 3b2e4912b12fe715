// Package retry implements capped exponential backoff with full jitter.
package retry

import (
	"context"
	"math/rand/v2"
	"time"
)

// Policy describes how often and how long to retry.
type Policy struct {
	Attempts int
	Base     time.Duration
	Max      time.Duration
}

// Default is the SDK's default policy.
var Default = Policy{Attempts: 3, Base: 50 * time.Millisecond, Max: 2 * time.Second}

// Backoff returns the delay before retry number attempt (0-based).
func (p Policy) Backoff(attempt int) time.Duration {
	d := p.Base << attempt
	if d <= 0 || d > p.Max {
		d = p.Max
	}
	return time.Duration(rand.Int64N(int64(d) + 1))
}

// Do calls op until it succeeds, retryable reports false, the attempts run
// out or ctx is done.
func (p Policy) Do(ctx context.Context, op func() error, retryable func(error) bool) error {
	var err error
	for attempt := 0; attempt < p.Attempts; attempt++ {
		if err = op(); err == nil || !retryable(err) {
			return err
		}
		t := time.NewTimer(p.Backoff(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return err
}
