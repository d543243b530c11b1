// Package loader is the example's DataLoader agent: it reads tables from
// CSV and JSON files, streams and sources.
//
// Retry coverage here is partial, as in the seed: Load is routed through
// runtime/recovery; Read, ReadCSV and ReadJSON are exempt because they
// consume a one-shot stream; LoadCSV and LoadJSON are not covered yet.
package loader

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/resilience-lint/resilience-lint/examples/dataset"
	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// ErrEmptyPath is returned when a load is asked for the empty path.
var ErrEmptyPath = errors.New("loader: empty path")

// ErrFormat is returned for a file or source whose format is not CSV or JSON.
var ErrFormat = errors.New("loader: unknown format (want .csv or .json)")

// checkEvery is how many rows are parsed between checks of the context, so
// that cancelling a large load stops it promptly.
const checkEvery = 256

// DataLoader reads tables. Its zero value is not usable; call New.
type DataLoader struct {
	policy *recovery.Policy
}

// New returns a DataLoader that retries with p (nil: recovery.Default()).
func New(p *recovery.Policy) *DataLoader {
	return &DataLoader{policy: p}
}

// LoadCSV reads the CSV file at path. The first record is the header.
func (l *DataLoader) LoadCSV(ctx context.Context, path string) (*dataset.Table, error) {
	if path == "" {
		return nil, ErrEmptyPath
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read-only: closing cannot lose data
	return l.ReadCSV(ctx, f, filepath.Base(path))
}

// LoadJSON reads the JSON file at path: an array of flat objects, one per
// row. Columns are the keys in order of first appearance.
func (l *DataLoader) LoadJSON(ctx context.Context, path string) (*dataset.Table, error) {
	if path == "" {
		return nil, ErrEmptyPath
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read-only: closing cannot lose data
	return l.ReadJSON(ctx, f, filepath.Base(path))
}

// Load reads src, choosing the format by the extension of its name. Each
// attempt opens src afresh, so a stream that fails half-way is retried from
// its start: this is how to retry the one-shot readers below.
func (l *DataLoader) Load(ctx context.Context, src dataset.Source) (*dataset.Table, error) {
	if !known(src.Name()) {
		return nil, ErrFormat // a format error would fail every attempt
	}
	return recovery.DoValue(ctx, l.policy, func(ctx context.Context) (*dataset.Table, error) {
		rc, err := src.Open(ctx)
		if err != nil {
			return nil, err
		}
		defer func() { _ = rc.Close() }() // read-only: closing cannot lose data
		return l.Read(ctx, rc, filepath.Base(src.Name()))
	})
}

// Read parses r as CSV or JSON, by the extension of name, which also labels
// the table and its errors.
//
//resilience:noretry consumes r, a one-shot stream: a second attempt would read what the first left over. Retry around re-opening the input instead, as Load does.
func (l *DataLoader) Read(ctx context.Context, r io.Reader, name string) (*dataset.Table, error) {
	format, err := formatOf(name)
	if err != nil {
		return nil, err
	}
	if format == ".json" {
		return l.ReadJSON(ctx, r, name)
	}
	return l.ReadCSV(ctx, r, name)
}

// known reports whether name has an extension Read understands.
func known(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".csv" || ext == ".json"
}

func formatOf(name string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".csv", ".json":
		return ext, nil
	}
	return "", fmt.Errorf("%w: %s", ErrFormat, name)
}

// ReadCSV parses CSV from r; name labels the table and its errors.
//
//resilience:noretry consumes r, a one-shot stream: a second attempt would read what the first left over. Retry around re-opening the input instead, as Load does.
func (l *DataLoader) ReadCSV(ctx context.Context, r io.Reader, name string) (*dataset.Table, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("loader: %s: no header", name)
	}
	if err != nil {
		return nil, fmt.Errorf("loader: %s: %w", name, err)
	}
	t := &dataset.Table{Name: name, Columns: header}
	for n := 0; ; n++ {
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := cr.Read()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			// csv.ParseError carries the line; a read error is wrapped as is.
			return nil, fmt.Errorf("loader: %s: %w", name, err)
		}
		t.Rows = append(t.Rows, rec)
	}
}

// ReadJSON parses a JSON array of flat objects from r; name labels the
// table and its errors. Numbers keep their textual form, booleans become
// "true"/"false", null becomes "". Nested objects and arrays are an error.
//
//resilience:noretry consumes r, a one-shot stream: a second attempt would read what the first left over. Retry around re-opening the input instead, as Load does.
func (l *DataLoader) ReadJSON(ctx context.Context, r io.Reader, name string) (*dataset.Table, error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '['); err != nil {
		return nil, fmt.Errorf("loader: %s: %w", name, err)
	}
	t := &dataset.Table{Name: name}
	index := map[string]int{}
	for n := 0; dec.More(); n++ {
		if n%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		row, err := readObject(dec, t, index)
		if err != nil {
			return nil, fmt.Errorf("loader: %s: object %d: %w", name, n+1, err)
		}
		t.Rows = append(t.Rows, row)
	}
	if err := expectDelim(dec, ']'); err != nil {
		return nil, fmt.Errorf("loader: %s: %w", name, err)
	}
	// Objects may introduce keys late: pad the rows read before.
	for i, row := range t.Rows {
		for len(row) < len(t.Columns) {
			row = append(row, "")
		}
		t.Rows[i] = row
	}
	return t, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, found %v", want, tok)
	}
	return nil
}

// readObject reads one flat object, adding unseen keys to t.Columns.
func readObject(dec *json.Decoder, t *dataset.Table, index map[string]int) ([]string, error) {
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	row := make([]string, len(t.Columns))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string) // object keys are always strings
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		cell, err := cellText(raw)
		if err != nil {
			return nil, fmt.Errorf("key %q: %w", key, err)
		}
		i, ok := index[key]
		if !ok {
			i = len(t.Columns)
			index[key] = i
			t.Columns = append(t.Columns, key)
		}
		for len(row) <= i {
			row = append(row, "")
		}
		row[i] = cell
	}
	return row, expectDelim(dec, '}')
}

func cellText(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0:
		return "", errors.New("empty value")
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	case raw[0] == '{' || raw[0] == '[':
		return "", errors.New("nested values are not supported")
	case string(raw) == "null":
		return "", nil
	}
	return string(raw), nil // number, true or false: already canonical text
}
