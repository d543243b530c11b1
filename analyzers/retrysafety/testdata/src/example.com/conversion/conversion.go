// Package conversion has services that share one struct type and convert
// their receiver to delegate (go-github's deprecated OrganizationsService
// methods call (*ActionsService)(s).Method): the converted pointer is
// the same receiver, so the callee's writes reach it.
package conversion

import "context"

type Client struct {
	rate int
	name string
}

// Do caches the rate before the call that can fail.
func (c *Client) Do(ctx context.Context) error { // want Do:"writes receiver; early"
	c.rate++
	return ctx.Err()
}

type service struct {
	client *Client
	name   string
}

type ActionsService service

func (s *ActionsService) Get(ctx context.Context) error { // want Get:"writes receiver; early"
	return s.client.Do(ctx)
}

type OrgsService service

// Delegate delegates through a local holding the converted receiver.
func (s *OrgsService) Delegate(ctx context.Context) error { // want Delegate:"writes receiver; early"
	s2 := (*ActionsService)(s)
	return s2.Get(ctx)
}

// Inline delegates through the conversion itself.
func (s *OrgsService) Inline(ctx context.Context) error { // want Inline:"writes receiver; early"
	return (*ActionsService)(s).Get(ctx)
}

// Copied converts a string field to bytes: a copy, written freely.
func (s *OrgsService) Copied(ctx context.Context) error {
	b := []byte(s.name)
	b[0] = 'x'
	return ctx.Err()
}
