package release

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestProbe runs each method against a server that answers 503 to the
// first notification and 200 after, and prints what happened outside
// the process: script runs, log lines, the artifact, the error.
func TestProbe(t *testing.T) {
	for _, method := range []string{"Build", "Record", "Publish", "Announce"} {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			if calls.Add(1) == 1 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusOK)
		}))
		dir := t.TempDir()
		runs := filepath.Join(dir, "runs")
		r := &Releaser{
			Script: "echo run >> " + runs,
			Log:    filepath.Join(dir, "release.log"),
			Client: srv.Client(),
			URL:    srv.URL,
		}
		artifact, dest := filepath.Join(dir, "app"), filepath.Join(dir, "app-1.0")
		if err := os.WriteFile(artifact, []byte("bin"), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		var err error
		switch method {
		case "Build":
			err = r.Build(ctx, "1.0")
		case "Record":
			err = r.Record(ctx, "1.0")
		case "Publish":
			err = r.Publish(ctx, artifact, dest, "1.0")
		case "Announce":
			err = r.Announce(ctx, "1.0")
		}
		srv.Close()
		fmt.Printf("PROBE %-8s script runs %d, log lines %d, artifact moved %v, notifications %d, err %v\n",
			method, lines(runs), lines(r.Log), exists(dest), calls.Load(), err)
	}
}

func lines(name string) int {
	b, err := os.ReadFile(name)
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "\n")
}

func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}
