// Package pool keeps idle network connections for reuse.
package pool

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// ErrClosed is returned by Get after Close.
var ErrClosed = errors.New("pool: closed")

// Pool is a bounded set of idle connections to one address.
type Pool struct {
	Addr    string
	MaxIdle int
	Dialer  net.Dialer

	mu     sync.Mutex
	idle   []net.Conn
	closed bool
}

// Get returns an idle connection or dials a new one.
func (p *Pool) Get(ctx context.Context) (net.Conn, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	if p.Dialer.Timeout == 0 {
		p.Dialer.Timeout = 5 * time.Second
	}
	return p.Dialer.DialContext(ctx, "tcp", p.Addr)
}

// Put returns c to the pool, closing it if the pool is full or closed.
func (p *Pool) Put(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.idle) >= p.MaxIdle {
		c.Close()
		return
	}
	p.idle = append(p.idle, c)
}

// Close closes the idle connections.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	var errs []error
	for _, c := range p.idle {
		errs = append(errs, c.Close())
	}
	p.idle = nil
	return errors.Join(errs...)
}
