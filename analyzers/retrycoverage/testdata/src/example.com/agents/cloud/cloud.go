// Package cloud calls the services of package sdk: a method sending
// through sdk's retrying transport gets no fix either (the TransportRetry
// fact), one calling a plain service delegates to it.
package cloud

import (
	"context"

	"example.com/sdk"
)

type Cloud struct {
	droplets *sdk.DropletsServiceOp
	images   *sdk.ImagesServiceOp
}

func (c *Cloud) Droplet(ctx context.Context, id string) error { // want Droplet:"sends through a retrying transport" `^Cloud.Droplet returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it sends through c.HTTPClient \(in sdk.Client.Do\), which sdk.go:41 may set to a retrying client \(go-retryablehttp\), and wrapping it would nest that retry when the client is built so \(declare sdk.Client in retrying-types if it always is, or mark it //resilience:noretry <reason>\)$`
	_, err := c.droplets.Get(ctx, id)
	return err
}

func (c *Cloud) Image(ctx context.Context, id string) error { // want Image:"unrouted" `^Cloud.Image returns an error but is not routed through runtime/recovery: it delegates to sdk.ImagesServiceOp.Get, which must be routed first`
	_, err := c.images.Get(ctx, id)
	return err
}
