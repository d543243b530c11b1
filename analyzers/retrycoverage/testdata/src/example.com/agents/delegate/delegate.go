package delegate

import (
	"context"

	"example.com/helpers"
)

type Cleaner struct{ c helpers.Client }

// Clean delegates to a routed function of another package.
func (c *Cleaner) Clean(ctx context.Context, path string) error { // want Clean:"routed"
	return helpers.Indirect(ctx, path)
}

// Fetch delegates to a routed method of another package.
func (c *Cleaner) Fetch(ctx context.Context) error { // want Fetch:"routed"
	_, err := c.c.Get(ctx)
	return err
}

func (c *Cleaner) Plain(path string) error { // want `Cleaner.Plain returns an error but is not routed`
	return helpers.Plain(path)
}

// Checked validates through a helper of another package (validators are
// known only within their package), then delegates: the error of that call
// is not routed.
func (c *Cleaner) Checked(ctx context.Context, path string) error { // want `Cleaner.Checked returns an error but is not routed through runtime/recovery: the error returned at delegate.go:\d+ comes from work done before the call to routed helpers.Remove at delegate.go:\d+`
	if err := helpers.Validate(path); err != nil {
		return err
	}
	return helpers.Remove(ctx, path)
}
