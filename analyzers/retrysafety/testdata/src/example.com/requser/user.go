// Package requser wraps reqsdk as a service would: the requests its
// calls send reach it through reqsdk's Writes facts.
package requser

import (
	"context"

	"example.com/reqsdk"
)

type Tracker struct {
	c *reqsdk.Client
}

// Open creates and labels through two SDK calls.
func (t *Tracker) Open(ctx context.Context, title string, labels []string) error { // want Open:"sends a request early"
	is, err := t.c.CreateIssue(ctx, title)
	if err != nil {
		return err
	}
	return t.c.AddLabels(ctx, is.Number, labels)
}

// Create creates: the POST is its only call.
func (t *Tracker) Create(ctx context.Context, title string) (int, error) { // want Create:"sends a request"
	is, err := t.c.CreateIssue(ctx, title)
	if err != nil {
		return 0, err
	}
	return is.Number, nil
}

// OpenAll calls a method that creates before a call that can fail.
func (t *Tracker) OpenAll(ctx context.Context, title string) error { // want OpenAll:"sends a request early"
	return t.c.CreateAndLabel(ctx, title, []string{"bug"})
}

// Lookup reads, then creates.
func (t *Tracker) Lookup(ctx context.Context, n int) (int, error) { // want Lookup:"sends a request"
	is, err := t.c.GetThenCreate(ctx, n)
	if err != nil {
		return 0, err
	}
	return is.Number, nil
}

// CreateTyped creates through a callee that also writes a last value of
// the caller's options: the request is its last call, and the last value
// stays one.
func (t *Tracker) CreateTyped(ctx context.Context, o *reqsdk.Options) (int, error) { // want CreateTyped:"writes param 1; early; sends a request; last values of param 1: example.com/reqsdk.Options.Type"
	is, err := t.c.CreateTyped(ctx, o)
	if err != nil {
		return 0, err
	}
	return is.Number, nil
}

// CreateTypedAndLabel: the same request, before a call that can fail.
func (t *Tracker) CreateTypedAndLabel(ctx context.Context, o *reqsdk.Options) error { // want CreateTypedAndLabel:"writes param 1; early; sends a request early; last values of param 1: example.com/reqsdk.Options.Type"
	is, err := t.c.CreateTyped(ctx, o)
	if err != nil {
		return err
	}
	return t.c.AddLabels(ctx, is.Number, []string{"bug"})
}
