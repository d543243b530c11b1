// Package viaiface holds resource clients of another package's API client
// that call it through an interface (stripe-go's customer.Client calls
// c.B.Call of stripe.Backend; hcloud's resource clients call Client.Do,
// which calls its handler chain through an interface). The retrying
// implementations are no agents: their Facts, found among the types of the
// interface's package, say that wrapping the call would nest their retry.
package viaiface

import (
	"context"
	"io"
	"net/http"
	"os"

	"example.com/sdkiface"
)

// Client is stripe's per-resource client.
type Client struct {
	B sdkiface.Backend
}

// New calls Backend.Call: wrapping it would nest BackendImplementation's
// retry, and send a new idempotency key on each attempt of the wrapper.
func (c Client) New(name string) error { // want New:"nests" `^Client.New returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls sdkiface.Backend.Call \(an interface method sdkiface.BackendImplementation.Call implements\), which already retries part of its work, and wrapping`
	return c.B.Call(http.MethodPost, "/v1/customers", name)
}

// ServerClient is hcloud's resource client: Client.Do nests the handler
// chain's retry.
type ServerClient struct {
	client *sdkiface.Client
}

func (s ServerClient) GetByID(ctx context.Context, id string) error { // want GetByID:"nests" `it calls sdkiface.Client.Do, which already retries part of its work \(through sdkiface\.retryHandler\.Do\)`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "/servers/"+id, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Release calls io.Closer.Close, which no type of package io implements
// with a retry: it gets the fix.
func (s ServerClient) Release(c io.Closer) error { // want Release:"unrouted" `^ServerClient.Release returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return c.Close()
}

// List sends through the client: it nests the handler chain's retry.
func (s ServerClient) List(ctx context.Context) ([]string, error) { // want List:"nests" `it calls sdkiface.Client.Do, which already retries part of its work \(through sdkiface\.retryHandler\.Do\)`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "/servers", nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	return nil, resp.Body.Close()
}

// GetByName hands firstByName a literal calling List (hcloud's lookups):
// wrapping it would nest List's retry.
func (s ServerClient) GetByName(ctx context.Context, name string) (string, error) { // want GetByName:"nests" `it calls ServerClient.List \(in a function it passes to firstByName\), which already retries part of its work \(through sdkiface\.retryHandler\.Do\)`
	return firstByName(name, func() ([]string, error) {
		return s.List(ctx)
	})
}

// Get hands getByIDOrName method values: GetByName nests.
func (s ServerClient) Get(ctx context.Context, idOrName string) (string, error) { // want Get:"nests" `it calls ServerClient.GetByName \(in a function it passes to getByIDOrName\), which already retries part of its work \(through sdkiface\.retryHandler\.Do\)`
	return getByIDOrName(ctx, s.GetByName, s.GetByName, idOrName)
}

// Remove hands each a literal whose work retries nowhere: it gets the
// fix.
func (s ServerClient) Remove(paths []string) error { // want Remove:"unrouted" `^ServerClient.Remove returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return each(paths, func(p string) error { return os.Chmod(p, 0o600) })
}

// Pages calls a local function literal that sends through the client,
// once per page (linodego's handlePaginatedResults): wrapping it would
// nest List's retry.
func (s ServerClient) Pages(ctx context.Context, pages int) error { // want Pages:"nests" `it calls ServerClient.List \(in the function literal page it calls\), which already retries part of its work \(through sdkiface\.retryHandler\.Do\)`
	page := func(n int) error {
		_, err := s.List(ctx)
		return err
	}
	for n := 1; n <= pages; n++ {
		if err := page(n); err != nil {
			return err
		}
	}
	return nil
}

// Rebound calls a local variable set twice: which literal runs is not
// followed, and neither sends through the client.
func (s ServerClient) Rebound(paths []string) error { // want Rebound:"unrouted" `^ServerClient.Rebound returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	f := func(p string) error { return os.Chmod(p, 0o600) }
	if len(paths) > 1 {
		f = func(p string) error { return os.RemoveAll(p) }
	}
	return f(paths[0])
}

func firstByName(name string, list func() ([]string, error)) (string, error) {
	names, err := list()
	if err != nil || len(names) == 0 {
		return "", err
	}
	return names[0], nil
}

func getByIDOrName(ctx context.Context, byID, byName func(context.Context, string) (string, error), idOrName string) (string, error) {
	if v, err := byID(ctx, idOrName); err == nil && v != "" {
		return v, nil
	}
	return byName(ctx, idOrName)
}

func each(paths []string, f func(string) error) error {
	for _, p := range paths {
		if err := f(p); err != nil {
			return err
		}
	}
	return nil
}
