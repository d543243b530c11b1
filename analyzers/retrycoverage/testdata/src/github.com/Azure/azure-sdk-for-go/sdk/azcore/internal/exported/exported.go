// Package exported stands in for azcore's internal/exported: a Pipeline
// runs a request through its policies, the retry policy among them,
// which are interface values the analysis cannot follow; its Do is a
// default retry entry point (config.DefaultRetryFuncs).
package exported

import (
	"errors"
	"net/http"
)

// Policy is a step of the pipeline.
type Policy interface {
	Do(req *http.Request) (*http.Response, error)
}

// Pipeline holds the policies.
type Pipeline struct {
	policies []Policy
}

// Do runs req through the policies.
func (p Pipeline) Do(req *http.Request) (*http.Response, error) {
	if len(p.policies) == 0 {
		return nil, errors.New("no policies")
	}
	return p.policies[0].Do(req)
}
