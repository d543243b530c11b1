// Package dataset holds the plain data that the example agents exchange:
// tables, the sources they are read from, and the results of each stage of
// the pipeline.
//
// It deliberately lives outside the agents/ tree: resilience-lint treats
// every type declared under a path element "agents" as an agent (unless it
// is a worker), and rows, tables and results are not agents. Keeping them
// here makes the coverage report list exactly the seed's agents.
package dataset

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// ErrNoColumn is returned when a table has no column of the requested name.
var ErrNoColumn = errors.New("dataset: no such column")

// Table is a rectangular data set: named columns and rows of text cells,
// as read from CSV or JSON. Numeric interpretation happens on demand.
type Table struct {
	// Name says where the table came from (a file name, a source name).
	Name    string
	Columns []string
	Rows    [][]string
}

// Len returns the number of rows.
func (t *Table) Len() int { return len(t.Rows) }

// Index returns the position of column name, or -1.
func (t *Table) Index(name string) int { return slices.Index(t.Columns, name) }

// Strings returns the cells of column name, in row order.
func (t *Table) Strings(name string) ([]string, error) {
	i := t.Index(name)
	if i < 0 {
		return nil, fmt.Errorf("%w %q in %s", ErrNoColumn, name, t.Name)
	}
	out := make([]string, len(t.Rows))
	for r, row := range t.Rows {
		out[r] = row[i]
	}
	return out, nil
}

// Floats returns the cells of column name parsed as numbers. A cell that is
// not a number is an error naming its row (1-based, header excluded).
func (t *Table) Floats(name string) ([]float64, error) {
	cells, err := t.Strings(name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(cells))
	for r, c := range cells {
		v, err := strconv.ParseFloat(strings.TrimSpace(c), 64)
		if err != nil {
			return nil, fmt.Errorf("dataset: %s row %d column %q: %q is not a number", t.Name, r+1, name, c)
		}
		out[r] = v
	}
	return out, nil
}

// NumericColumns returns the columns whose every cell parses as a number,
// in table order. An empty table has none.
func (t *Table) NumericColumns() []string {
	if len(t.Rows) == 0 {
		return nil
	}
	var out []string
	for _, c := range t.Columns {
		if _, err := t.Floats(c); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// Source is somewhere a table can be read from, again and again: each Open
// starts a fresh stream. That is what makes reading from a Source safe to
// retry, unlike reading from an io.Reader that a failed attempt has drained.
type Source interface {
	Name() string
	Open(ctx context.Context) (io.ReadCloser, error)
}

// File is a Source backed by a file path.
type File string

// Name returns the path.
func (f File) Name() string { return string(f) }

// Open opens the file for reading.
func (f File) Open(ctx context.Context) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return os.Open(string(f))
}
