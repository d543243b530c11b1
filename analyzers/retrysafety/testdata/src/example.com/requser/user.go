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
func (t *Tracker) Open(ctx context.Context, title string, labels []string) error { // want Open:"writes package state; early"
	is, err := t.c.CreateIssue(ctx, title)
	if err != nil {
		return err
	}
	return t.c.AddLabels(ctx, is.Number, labels)
}

// Create creates: the POST is its only call.
func (t *Tracker) Create(ctx context.Context, title string) (int, error) { // want Create:"writes package state"
	is, err := t.c.CreateIssue(ctx, title)
	if err != nil {
		return 0, err
	}
	return is.Number, nil
}

// OpenAll calls a method that creates before a call that can fail.
func (t *Tracker) OpenAll(ctx context.Context, title string) error { // want OpenAll:"writes package state; early"
	return t.c.CreateAndLabel(ctx, title, []string{"bug"})
}

// Lookup reads, then creates.
func (t *Tracker) Lookup(ctx context.Context, n int) (int, error) { // want Lookup:"writes package state"
	is, err := t.c.GetThenCreate(ctx, n)
	if err != nil {
		return 0, err
	}
	return is.Number, nil
}
