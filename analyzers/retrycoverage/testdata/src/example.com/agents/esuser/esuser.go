// Package esuser is a user of esapi: its agent calls esapi.Search, a
// function (no agent method) that calls through esapi.Transport, which
// estransport.Client implements with a retry. The NestedRetry Fact of
// esapi.Search carries that here.
package esuser

import (
	"context"

	"example.com/agents/esapi"
)

// Searcher searches through its transport.
type Searcher struct {
	T   esapi.Transport
	URL string
}

// Find calls esapi.Search: wrapping it would nest estransport's retry.
func (s *Searcher) Find(ctx context.Context) (int, error) { // want Find:"nests" `^Searcher.Find returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls esapi.Search, which already retries part of its work \(through the retry loop at estransport\.go:40 in estransport\.Client\.Perform\)`
	res, err := esapi.Search(ctx, s.T, s.URL)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	return res.StatusCode, nil
}
