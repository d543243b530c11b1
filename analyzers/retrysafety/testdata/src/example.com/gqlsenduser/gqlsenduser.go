// Package gqlsenduser calls gqlsender's senders from another package:
// a query stays safe, a mutation is a write at the call, and a document
// of its own caller's is passed on.
package gqlsenduser

import (
	"context"

	"example.com/gqlsender"
)

type Shop struct{ GQL *gqlsender.MBClient }

func (s *Shop) Stock(ctx context.Context, sku string) error { // want Stock:"sends a request"
	return s.GQL.Run(ctx, gqlsender.NewMBRequest(`query($sku: ID!) { stock(sku: $sku) }`), nil)
}

func (s *Shop) Order(ctx context.Context, sku string) error { // want Order:"writes package state; early"
	doc := `mutation Order($sku: ID!) { order(sku: $sku) { id } }`
	return s.GQL.Run(ctx, gqlsender.NewMBRequest(doc), nil)
}

// Send passes its caller's document on.
func (s *Shop) Send(ctx context.Context, doc string) error { // want Send:"sends the GraphQL document of param 1"
	req := gqlsender.NewMBRequest(doc)
	return s.GQL.Run(ctx, req, nil)
}

func (s *Shop) Cancel(ctx context.Context) error { // want Cancel:"writes package state; early"
	return s.Send(ctx, `mutation { cancel { ok } }`)
}

func (s *Shop) Ping(ctx context.Context) error { // want Ping:"sends a request"
	return s.Send(ctx, `query { ping }`)
}
