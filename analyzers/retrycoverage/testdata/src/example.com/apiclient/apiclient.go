// Package apiclient declares clients that retry by construction.
package apiclient

import "os"

// Client is built with its own retry options.
//
//resilience:retries built with WithRetries(3), which retries 5xx and timeouts
type Client struct{ dir string } // want Client:"retrying"

func (c *Client) Get(name string) ([]byte, error) { return os.ReadFile(c.dir + name) }

// Plain is selected by retrying-types in TestRetryingConfig only.
type Plain struct{}

func (Plain) Put(name string) error { return os.Remove(name) }

// Unreasoned has a directive without a reason: it is reported and ignored.
//
//resilience:retries // want `//resilience:retries on Unreasoned needs a reason`
type Unreasoned struct{}

func (Unreasoned) Put(name string) error { return os.Remove(name) }

// Cache holds a field whose //resilience:repeatable directive has no
// reason: it is reported and ignored.
type Cache struct {
	//resilience:repeatable // want `//resilience:repeatable on last needs a reason`
	last string
}
