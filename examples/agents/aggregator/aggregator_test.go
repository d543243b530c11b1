package aggregator

import (
	"context"
	"errors"
	"io"
	"math"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/examples/agents/loader"
	"github.com/resilience-lint/resilience-lint/examples/dataset"
	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// fast retries at once, so that tests of failures take no time.
var fast = recovery.MustNewPolicy(recovery.WithInitialDelay(time.Microsecond), recovery.WithMaxDelay(time.Millisecond))

var sample = &dataset.Table{
	Name:    "sample",
	Columns: []string{"region", "units"},
	Rows:    [][]string{{"north", "4"}, {"south", "1"}, {"north", "6"}, {"south", "3"}, {"east", "x"}},
}

var clean = &dataset.Table{Name: "clean", Columns: sample.Columns, Rows: sample.Rows[:4]}

func TestGroupBy(t *testing.T) {
	tests := []struct {
		name    string
		table   *dataset.Table
		key     string
		want    []dataset.Group
		wantErr error
	}{
		{"two groups", clean, "region", []dataset.Group{
			{Key: "north", Count: 2, Sum: 10, Mean: 5, Min: 4, Max: 6},
			{Key: "south", Count: 2, Sum: 4, Mean: 2, Min: 1, Max: 3},
		}, nil},
		{"missing key", clean, "country", nil, dataset.ErrNoColumn},
		{"text value", sample, "region", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New(fast, intelligence.MustNew()).GroupBy(context.Background(), tt.table, tt.key, "units")
			if tt.want == nil {
				if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
					t.Fatalf("error = %v, want %v (or any error if nil)", err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("GroupBy = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func TestRolling(t *testing.T) {
	tests := []struct {
		size    int
		want    []float64
		wantErr error
	}{
		{1, []float64{4, 1, 6, 3}, nil},
		{2, []float64{2.5, 3.5, 4.5}, nil},
		{4, []float64{3.5}, nil},
		{5, []float64{}, nil},
		{0, nil, ErrWindow},
		{-1, nil, ErrWindow},
	}
	a := New(fast, intelligence.MustNew())
	for _, tt := range tests {
		got, err := a.Rolling(context.Background(), clean, "units", tt.size)
		if !errors.Is(err, tt.wantErr) || !slices.Equal(got, tt.want) {
			t.Errorf("Rolling(%d) = %v, %v; want %v, %v", tt.size, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestExtremes(t *testing.T) {
	a := New(fast, intelligence.MustNew())
	lo, hi, err := a.Extremes(context.Background(), clean, "units")
	if lo != 1 || hi != 6 || err != nil {
		t.Errorf("Extremes = %v, %v, %v; want 1, 6, nil", lo, hi, err)
	}
	if _, _, err := a.Extremes(context.Background(), clean, "region"); err == nil {
		t.Error("Extremes(region) succeeded on a text column, want an error")
	}
}

func TestAggregateAllSales(t *testing.T) {
	src := dataset.File(filepath.Join("..", "testdata", "sales.csv"))
	got, err := New(fast, intelligence.MustNew()).AggregateAll(context.Background(), src, dataset.AggregateSpec{GroupBy: "region", Value: "units", Window: 7})
	if err != nil {
		t.Fatal(err)
	}
	if got.Rows != 180 || len(got.Rolling) != 180-7+1 || len(got.Groups) != 3 {
		t.Fatalf("got %d rows, %d rolling, %d groups; want 180, 174, 3", got.Rows, len(got.Rolling), len(got.Groups))
	}
	var total int
	for _, g := range got.Groups {
		total += g.Count
		if math.Abs(g.Mean*float64(g.Count)-g.Sum) > 1e-6 {
			t.Errorf("group %s: mean %v * count %d != sum %v", g.Key, g.Mean, g.Count, g.Sum)
		}
	}
	if total != 180 || got.Groups[0].Key != "north" {
		t.Errorf("groups %+v: want north first and 180 rows in all", got.Groups)
	}
	for _, bad := range []dataset.AggregateSpec{{Value: "units", Window: 1}, {GroupBy: "region", Window: 1}, {GroupBy: "region", Value: "units"}} {
		if _, err := New(fast, intelligence.MustNew()).AggregateAll(context.Background(), src, bad); !errors.Is(err, ErrSpec) && !errors.Is(err, ErrWindow) {
			t.Errorf("AggregateAll(%+v) error = %v, want ErrSpec or ErrWindow", bad, err)
		}
	}
}

// The errors a TCP connection gives, as the net package builds them: the
// default retry policy knows them to be transient.
var (
	errReset   = tcpError("read", "10.0.0.7:51234", "10.0.0.9:9000", syscall.ECONNRESET) // "read tcp 10.0.0.7:51234->10.0.0.9:9000: connection reset by peer"
	errTimeout = tcpError("dial", "", "10.0.0.9:9000", os.ErrDeadlineExceeded)           // "dial tcp 10.0.0.9:9000: i/o timeout"
)

// tcpError is the *net.OpError of op from src (may be empty) to dst.
func tcpError(op, src, dst string, err error) error {
	e := &net.OpError{Op: op, Net: "tcp", Addr: tcpAddr(dst), Err: err}
	if src != "" {
		e.Source = tcpAddr(src)
	}
	return e
}

func tcpAddr(s string) net.Addr {
	a, err := net.ResolveTCPAddr("tcp", s) // an IP literal: no lookup
	if err != nil {
		panic(err)
	}
	return a
}

// flakySource serves data, but its first opens fail as scripted: an error
// from Open, or a stream that breaks half-way through.
type flakySource struct {
	name string
	data string
	// script[i] is what open i+1 does: "open" fails Open, "break" breaks
	// the stream after half the data; past the script, opens succeed.
	script []string

	mu    sync.Mutex
	opens int
}

func (s *flakySource) Name() string { return s.name }

func (s *flakySource) Open(context.Context) (io.ReadCloser, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opens++
	if s.opens > len(s.script) {
		return io.NopCloser(strings.NewReader(s.data)), nil
	}
	switch s.script[s.opens-1] {
	case "open":
		return nil, errTimeout
	default: // "break"
		half := strings.NewReader(s.data[:len(s.data)/2])
		return io.NopCloser(io.MultiReader(half, errReader{errReset})), nil
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func salesCSV(t *testing.T) string {
	t.Helper()
	b, err := dataset.File(filepath.Join("..", "testdata", "sales.csv")).Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Close() }()
	data, err := io.ReadAll(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestAggregateAllRetriesFlakySource is the runtime wired for real: the
// store times out once and breaks a stream half-way once, the retry policy
// re-opens it each time, and the third attempt gives the same answer as a
// healthy store.
func TestAggregateAllRetriesFlakySource(t *testing.T) {
	data := salesCSV(t)
	spec := dataset.AggregateSpec{GroupBy: "region", Value: "revenue", Window: 3}
	want, err := New(fast, intelligence.MustNew()).AggregateAll(context.Background(), &flakySource{name: "sales.csv", data: data}, spec)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		script    []string
		wantOpens int
		wantErr   error
	}{
		{"healthy", nil, 1, nil},
		{"timeout then broken stream", []string{"open", "break"}, 3, nil},
		{"broken stream twice", []string{"break", "break"}, 3, nil},
		{"down for good", []string{"open", "open", "open", "open"}, 3, errTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := &flakySource{name: "sales.csv", data: data, script: tt.script}
			got, err := New(fast, intelligence.MustNew()).AggregateAll(context.Background(), src, spec)
			if src.opens != tt.wantOpens {
				t.Errorf("opens = %d, want %d", src.opens, tt.wantOpens)
			}
			if tt.wantErr != nil {
				// The last error itself comes back: callers' checks still work.
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Groups, want.Groups) || !slices.Equal(got.Rolling, want.Rolling) {
				t.Error("result after retries differs from the healthy result")
			}
		})
	}
}

// TestAggregateAllHonoursCancel checks that a cancelled caller is not
// retried: one attempt at most, and the context's error.
func TestAggregateAllHonoursCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := &flakySource{name: "sales.csv", data: "region,units\n", script: []string{"open", "open", "open"}}
	_, err := New(fast, intelligence.MustNew()).AggregateAll(ctx, src, dataset.AggregateSpec{GroupBy: "region", Value: "units", Window: 1})
	if !errors.Is(err, context.Canceled) && !errors.Is(err, errTimeout) {
		t.Fatalf("error = %v, want context.Canceled (or the first attempt's error)", err)
	}
	if src.opens > 1 {
		t.Errorf("opens = %d after cancel, want at most 1", src.opens)
	}
}

func TestFetchWorkerFormats(t *testing.T) {
	w := &FetchWorker{tracker: intelligence.MustNew(), loader: loader.New(fast)}
	for _, name := range []string{"sales.csv", "sensors.json"} {
		got, err := w.Execute(context.Background(), dataset.File(filepath.Join("..", "testdata", name)))
		if err != nil || got.Len() == 0 {
			t.Errorf("Execute(%s) = %d rows, %v", name, got.Len(), err)
		}
	}
	if _, err := w.Execute(context.Background(), &flakySource{name: "data.xlsx", data: "a,b\n"}); !errors.Is(err, loader.ErrFormat) {
		t.Errorf("Execute(data.xlsx) error = %v, want loader.ErrFormat", err)
	}
}
