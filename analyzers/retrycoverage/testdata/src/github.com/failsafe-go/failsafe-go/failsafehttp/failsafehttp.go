// Package failsafehttp is a minimal stand-in for
// github.com/failsafe-go/failsafe-go/failsafehttp v0.9.8, with its real
// signatures: its round tripper retries by construction.
package failsafehttp

import (
	"net/http"

	"github.com/failsafe-go/failsafe-go"
)

type Request struct{}

func NewRequest(request *http.Request, client *http.Client, policies ...failsafe.Policy[*http.Response]) *Request {
	return &Request{}
}

func (r *Request) Do() (*http.Response, error) { return nil, nil }

func NewRoundTripper(innerRoundTripper http.RoundTripper, policies ...failsafe.Policy[*http.Response]) http.RoundTripper {
	return nil
}
