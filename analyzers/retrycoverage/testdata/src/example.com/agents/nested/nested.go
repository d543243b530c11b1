// Package nested holds agent methods that call each other: a method whose
// only work is calls to unrouted agent methods gets no fix, so that -fix
// wraps the callee alone instead of nesting two retries.
package nested

import (
	"io"
	"os"
	"strings"
)

type Cache struct{ dir string }

// Get does the work: it gets the fix.
func (c *Cache) Get(key string) ([]byte, error) { // want Get:"unrouted" `^Cache.Get returns an error but is not routed through runtime/recovery \(run resilience-lint -fix, or mark it //resilience:noretry <reason>\)$`
	return os.ReadFile(c.dir + key)
}

// Stat only delegates to Get: no fix; once Get is routed, Stat is too.
func (c *Cache) Stat(key string) (int, error) { // want Stat:"unrouted" `^Cache.Stat returns an error but is not routed through runtime/recovery: it delegates to Cache.Get, which must be routed first \(no fix here: retrying both would multiply their attempts; resilience-lint -fix routes Cache.Get, then this method by delegation\)$`
	if key == "" {
		return 0, os.ErrInvalid
	}
	b, err := c.Get(key)
	if err != nil {
		return 0, err
	}
	return len(b), nil
}

// Size delegates to Stat, which delegates to Get: no fix either.
func (c *Cache) Size(key string) error { // want Size:"unrouted" `Cache.Size returns an error but is not routed through runtime/recovery: it delegates to Cache.Stat, which must be routed first .*resilience-lint -fix routes Cache.Get, then this method by delegation\)$`
	_, err := c.Stat(key)
	return err
}

// Both does work of its own too: no fix, as retries never nest.
func (c *Cache) Both(key string) error { // want Both:"nests" `^Cache.Both returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: wrapping it would nest the retries that -fix gives Cache.Get, multiplying their attempts \(move its other work`
	if _, err := c.Get(key); err != nil {
		return err
	}
	return os.Remove(c.dir + key)
}

// Walk calls itself: a retry would nest at every level, so no fix.
func (c *Cache) Walk(n int) error { // want `^Cache.Walk returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls itself \(recursion\), and a retry around it would nest a retry at every level`
	if n == 0 {
		return os.Remove(c.dir)
	}
	return c.Walk(n - 1)
}

// Ping and Pong only call each other: a cycle has no callee to route
// first, and a retry in it would nest at every level: no fix.
func (c *Cache) Ping(n int) error { // want `^Cache.Ping returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls Cache.Pong, which calls it back \(recursion\)`
	if n == 0 {
		return os.Remove(c.dir)
	}
	return c.Pong(n - 1)
}

func (c *Cache) Pong(n int) error { // want `^Cache.Pong returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls Cache.Ping, which calls it back \(recursion\)`
	return c.Ping(n)
}

// Ping2 calls a member of the cycle, from outside it: no fix routes Ping,
// so Ping2 gets the fix (the whole recursion runs in its one retry).
func (c *Cache) Ping2() error { // want Ping2:"unrouted" `^Cache.Ping2 returns an error but is not routed through runtime/recovery \(run`
	return c.Ping(2)
}

// Upload consumes a reader: -fix refuses it, so it will not be routed.
func (c *Cache) Upload(r io.Reader) error { // want `-fix cannot rewrite it: it consumes r`
	_, err := io.ReadAll(r)
	return err
}

// Send calls Upload, which no fix routes: Send gets the fix.
func (c *Cache) Send() error { // want Send:"unrouted" `^Cache.Send returns an error but is not routed through runtime/recovery \(run`
	return c.Upload(strings.NewReader("x"))
}

// Exempted is not retried on purpose: calling it is work.
//
//resilience:noretry appends are not idempotent
func (c *Cache) Exempted() error { return os.Remove(c.dir) }

// Call calls an exempt method: it gets the fix.
func (c *Cache) Call() error { // want Call:"unrouted" `^Cache.Call returns an error but is not routed through runtime/recovery \(run`
	return c.Exempted()
}

// helper is not in scope: calling it is work.
func (c *Cache) helper() error { return os.Remove(c.dir) }

// Help calls an unexported helper: it gets the fix.
func (c *Cache) Help() error { // want Help:"unrouted" `^Cache.Help returns an error but is not routed through runtime/recovery \(run`
	return c.helper()
}

// Hook calls a function value, which is work, besides Get: no fix.
func (c *Cache) Hook(key string, f func() error) error { // want Hook:"nests" `^Cache.Hook returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: wrapping it would nest the retries that -fix gives Cache.Get`
	if _, err := c.Get(key); err != nil {
		return err
	}
	return f()
}
