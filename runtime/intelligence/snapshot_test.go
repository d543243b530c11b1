package intelligence_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

func TestSnapshotJSON(t *testing.T) {
	tr, _ := newTracker(intelligence.WithObjective(intelligence.Objective{Agent: opA.Agent, Target: 0.99}))
	tr.TrackSuccess(opA, time.Millisecond)
	tr.TrackError(opA, errors.New("boom 1"), time.Millisecond, slog.Float64("ratio", math.NaN()))

	data, err := json.Marshal(tr.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["schema_version"] != float64(intelligence.SchemaVersion) {
		t.Errorf("schema_version = %v", doc["schema_version"])
	}
	for _, k := range []string{"generated_at", "agents", "workers", "patterns", "budgets", "recommendations", "fixes", "overflow"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("snapshot has no %q", k)
		}
	}
	if doc["recommendations"] == nil || doc["fixes"] == nil {
		t.Error("empty lists must encode as [], not null")
	}
	if !strings.Contains(string(data), `"ratio":"NaN"`) {
		t.Errorf("a NaN attribute must be encoded as a string: %s", data)
	}

	var back intelligence.Snapshot
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Workers[0].Runs != 2 || back.Patterns[0].Message != "boom <num>" || !back.GeneratedAt.Equal(start) {
		t.Errorf("round trip lost data: %+v", back)
	}
}

func TestHandler(t *testing.T) {
	tr, _ := newTracker()
	tr.TrackError(opA, errors.New("boom 42"), 0)
	srv := httptest.NewServer(tr.Handler())
	defer srv.Close()

	tests := []struct {
		method, query string
		wantCode      int
		wantBody      string
	}{
		{http.MethodGet, "", http.StatusOK, `"schema_version":1`},
		{http.MethodGet, "", http.StatusOK, `"message":"boom <num>"`},
		{http.MethodGet, "?pretty", http.StatusOK, "\n  \"schema_version\": 1"},
		{http.MethodHead, "", http.StatusOK, ""},
		{http.MethodPost, "", http.StatusMethodNotAllowed, "method not allowed"},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, srv.URL+tt.query, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		_, err = body.ReadFrom(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.wantCode || !strings.Contains(body.String(), tt.wantBody) {
			t.Errorf("%s %s: %d %q, want %d containing %q", tt.method, tt.query, resp.StatusCode, body.String(), tt.wantCode, tt.wantBody)
		}
		if tt.wantCode == http.StatusOK && resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: content type %q", tt.method, resp.Header.Get("Content-Type"))
		}
		if tt.method == http.MethodPost && resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("POST: Allow = %q", resp.Header.Get("Allow"))
		}
	}
}

func TestLoggingLevels(t *testing.T) {
	var buf strings.Builder
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tr, _ := newTracker(intelligence.WithLogger(logger))
	tr.TrackSuccess(opA, 5*time.Millisecond, slog.String("session_id", "abc"), slog.Int("rows", 3))
	tr.TrackError(opA, errors.New("boom"), 0)
	out := buf.String()
	for _, want := range []string{
		"level=DEBUG msg=\"operation succeeded\" agent=aggregator worker=StatisticsWorker operation=Execute duration=5ms session_id=[REDACTED] rows=3",
		"level=ERROR msg=\"operation failed\"",
		"error=boom",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}
