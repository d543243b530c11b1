package retrylibs

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestProbe counts the requests each method sends to a server that
// always answers 503, and prints them as PROBE lines.
func TestProbe(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := New(srv.URL)
	for _, m := range []struct {
		name string
		call func(context.Context) error
	}{
		{"RetryGo", c.RetryGo}, {"Backoff", c.Backoff}, {"Retrier", c.Retrier}, {"Try", c.Try},
		{"Rican", c.Rican}, {"RetryV1", c.RetryV1}, {"Lestrrat", c.Lestrrat}, {"Transport", c.Transport}, {"Plain", c.Plain},
	} {
		n.Store(0)
		err := m.call(context.Background())
		fmt.Printf("PROBE %s 503: %d requests, error %v\n", m.name, n.Load(), err != nil)
	}
}
