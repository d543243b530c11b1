// Package retryconf is tested with -retrying-types=example.com/apiclient.Plain
// -retrying-packages=example.com/retryconf/sdk -exclude-retry-funcs=github.com/cenkalti/backoff/v4.
package retryconf

import (
	"github.com/cenkalti/backoff/v4"

	"example.com/apiclient"
	"example.com/retryconf/sdk"
)

type Svc struct{ p apiclient.Plain }

// Put calls a type that retrying-types selects.
func (s *Svc) Put(name string) error { // want Put:"routed by apiclient.Plain.Put, which retries by construction \\(retrying-types selects apiclient.Plain\\)"
	return s.p.Put(name)
}

// Call calls a function of a package that retrying-packages selects.
func (s *Svc) Call(name string) error { // want Call:"routed by sdk.Call, which retries by construction \\(retrying-packages selects example.com/retryconf/sdk\\)"
	return sdk.Call(name)
}

// Excluded calls a default entry point that exclude-retry-funcs removes:
// not routed. The function it hands backoff.Retry calls sdk.Call, which
// retries by construction, so it gets no fix either (callbacks.go).
func (s *Svc) Excluded(name string) error { // want Excluded:"nests" `^Svc.Excluded returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls sdk.Call \(in a function it passes to backoff.Retry\), which already retries part of its work`
	return backoff.Retry(func() error { return sdk.Call(name) }, nil)
}
