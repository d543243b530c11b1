package loader

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/resilience-lint/resilience-lint/examples/dataset"
)

var testdata = filepath.Join("..", "testdata")

func TestLoadFiles(t *testing.T) {
	l := New(nil)
	ctx := context.Background()
	tests := []struct {
		name    string
		load    func(context.Context, string) (*dataset.Table, error)
		path    string
		rows    int
		columns []string
		wantErr error
	}{
		{"csv", l.LoadCSV, filepath.Join(testdata, "sales.csv"), 180, []string{"date", "region", "units", "revenue"}, nil},
		{"json", l.LoadJSON, filepath.Join(testdata, "sensors.json"), 96, []string{"time", "sensor", "temperature", "humidity"}, nil},
		{"csv missing", l.LoadCSV, filepath.Join(testdata, "nope.csv"), 0, nil, fs.ErrNotExist},
		{"json empty path", l.LoadJSON, "", 0, nil, ErrEmptyPath},
		{"csv empty path", l.LoadCSV, "", 0, nil, ErrEmptyPath},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.load(ctx, tt.path)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Len() != tt.rows || !slices.Equal(got.Columns, tt.columns) {
				t.Errorf("got %d rows, columns %v; want %d, %v", got.Len(), got.Columns, tt.rows, tt.columns)
			}
			if got.Name != filepath.Base(tt.path) {
				t.Errorf("Name = %q, want %q", got.Name, filepath.Base(tt.path))
			}
		})
	}
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    [][]string
		wantErr string
	}{
		{"plain", "a,b\n1,2\n3,4\n", [][]string{{"1", "2"}, {"3", "4"}}, ""},
		{"quoted and spaced", "a, b\n\"x,y\", 2\n", [][]string{{"x,y", "2"}}, ""},
		{"header only", "a,b\n", nil, ""},
		{"empty", "", nil, "no header"},
		{"ragged", "a,b\n1\n", nil, "wrong number of fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New(nil).ReadCSV(context.Background(), strings.NewReader(tt.in), "t.csv")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "t.csv") {
					t.Fatalf("error = %v, want one naming t.csv and containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(got.Rows, tt.want, slices.Equal) {
				t.Errorf("rows = %q, want %q", got.Rows, tt.want)
			}
		})
	}
}

func TestReadJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		columns []string
		rows    [][]string
		wantErr string
	}{
		{"flat", `[{"a":1,"b":"x"},{"a":2.5,"b":"y"}]`, []string{"a", "b"}, [][]string{{"1", "x"}, {"2.5", "y"}}, ""},
		{"late key and null", `[{"a":true},{"b":null,"a":false}]`, []string{"a", "b"}, [][]string{{"true", ""}, {"false", ""}}, ""},
		{"empty array", `[]`, nil, nil, ""},
		{"not an array", `{"a":1}`, nil, nil, "want"},
		{"nested", `[{"a":{"b":1}}]`, nil, nil, "nested"},
		{"truncated", `[{"a":1}`, nil, nil, "EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := New(nil).ReadJSON(context.Background(), strings.NewReader(tt.in), "t.json")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.Columns, tt.columns) || !slices.EqualFunc(got.Rows, tt.rows, slices.Equal) {
				t.Errorf("got %q %q, want %q %q", got.Columns, got.Rows, tt.columns, tt.rows)
			}
		})
	}
}

func TestReadHonoursCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l := New(nil)
	if _, err := l.ReadCSV(ctx, strings.NewReader("a\n1\n"), "t.csv"); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadCSV error = %v, want context.Canceled", err)
	}
	if _, err := l.ReadJSON(ctx, strings.NewReader(`[{"a":1}]`), "t.json"); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadJSON error = %v, want context.Canceled", err)
	}
}

// flakySource fails its first fails opens, then serves data; each open
// starts a fresh stream, as a Source promises.
type flakySource struct {
	name  string
	data  string
	fails int
	opens int
}

// errFlaky is a connection reset, which the default retry policy knows to
// be transient.
var errFlaky error = syscall.ECONNRESET

func (s *flakySource) Name() string { return s.name }

func (s *flakySource) Open(context.Context) (io.ReadCloser, error) {
	s.opens++
	if s.opens <= s.fails {
		return nil, errFlaky
	}
	return io.NopCloser(strings.NewReader(s.data)), nil
}

func TestLoadRetriesSource(t *testing.T) {
	src := &flakySource{name: "remote/data.csv", data: "a,b\n1,2\n", fails: 2}
	got, err := New(nil).Load(context.Background(), src)
	if err != nil {
		t.Fatalf("Load after 2 transient failures: %v", err)
	}
	if src.opens != 3 || got.Len() != 1 || got.Name != "data.csv" {
		t.Errorf("opens = %d, rows = %d, name = %q; want 3, 1, data.csv", src.opens, got.Len(), got.Name)
	}
	if _, err := New(nil).Load(context.Background(), dataset.File("x.parquet")); !errors.Is(err, ErrFormat) {
		t.Errorf("Load(x.parquet) error = %v, want ErrFormat", err)
	}
}
