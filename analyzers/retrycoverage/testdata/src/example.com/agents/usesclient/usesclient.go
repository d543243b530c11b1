// Package usesclient calls clients that retry by construction.
package usesclient

import (
	"os"

	"example.com/apiclient"
)

type User struct {
	c *apiclient.Client
	p apiclient.Plain
	u apiclient.Unreasoned
}

// Get calls a method of a type declared with //resilience:retries.
func (s *User) Get(name string) ([]byte, error) { // want Get:"routed by apiclient.Client.Get, which retries by construction"
	if name == "" {
		return nil, os.ErrInvalid
	}
	return s.c.Get(name)
}

// Put calls a type that only retrying-types selects.
func (s *User) Put(name string) error { // want Put:"unrouted" `^User.Put returns an error but is not routed`
	return s.p.Put(name)
}

// Other calls a type whose directive has no reason: not a retry.
func (s *User) Other(name string) error { // want Other:"unrouted" `^User.Other returns an error but is not routed`
	return s.u.Put(name)
}
