package driver

import (
	"context"
	"go/token"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// emptyFact is a Fact for the tests of the Facts entries.
type emptyFact struct{ N int }

func (*emptyFact) AFact() {}

var factsTestAnalyzer = &analysis.Analyzer{
	Name:      "factstest",
	Doc:       "exports emptyFact (tests only)",
	Run:       func(*analysis.Pass) (any, error) { return nil, nil },
	FactTypes: []analysis.Fact{new(emptyFact)},
}

// TestFactsEntryOnDisk checks the on-disk form of Facts entries: an empty
// entry is read without decoding any gob, one with Facts is found
// undecoded and decodes to what was stored, and a damaged one is a miss
// (header) or fails to decode (body).
func TestFactsEntryOnDisk(t *testing.T) {
	newFactStore([]*analysis.Analyzer{factsTestAnalyzer}) // registers emptyFact with gob
	c := &resultCache{dir: t.TempDir()}
	empty, full := strings.Repeat("a", 64), strings.Repeat("b", 64)
	if err := c.putFacts(empty, &factsEntry{}); err != nil {
		t.Fatal(err)
	}
	want := []gobFact{{Analyzer: "factstest", Package: true, Fact: &emptyFact{N: 7}}}
	if err := c.putFacts(full, &factsEntry{Facts: want}); err != nil {
		t.Fatal(err)
	}
	got, ok := c.getFacts(empty)
	if !ok || !got.empty() || got.body != nil {
		t.Errorf("empty entry: %+v, %v; want a decoded empty entry", got, ok)
	}
	got, ok = c.getFacts(full)
	if !ok || got.empty() || got.body == nil {
		t.Fatalf("entry with Facts: %+v, %v; want an undecoded body", got, ok)
	}
	e, err := got.decode(full)
	if err != nil || e.Key != full || !reflect.DeepEqual(e.Facts, want) {
		t.Errorf("decoded entry: %+v, %v; want key %s, Facts %+v", e, err, full, want)
	}

	// Another key's entry under this key, a truncated header: misses.
	b, err := os.ReadFile(c.factsPath(full))
	if err != nil {
		t.Fatal(err)
	}
	other := strings.Repeat("c", 64)
	if err := c.writeBytes(c.factsPath(other), other, b); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.getFacts(other); ok {
		t.Error("an entry stored under another key was found")
	}
	if err := c.writeBytes(c.factsPath(other), other, []byte("facts "+other)); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.getFacts(other); ok {
		t.Error("an entry without a complete header was found")
	}
	// A damaged body is found (the header is intact) but fails to decode.
	damaged := slices.Concat(b[:len(b)-8], []byte("garbage!"))
	if err := c.writeBytes(c.factsPath(full), full, damaged); err != nil {
		t.Fatal(err)
	}
	got, ok = c.getFacts(full)
	if !ok {
		t.Fatal("an entry with a damaged body was not found")
	}
	if _, err := got.decode(full); err == nil {
		t.Error("a damaged body decoded without error")
	}
}

// TestLoadCachedFacts checks that loadCachedFacts attaches a cached
// entry's Facts to its package read from export data, counts an empty
// entry as served from the cache once its export data is read (its types
// must be complete before any analysis), leaves out a package whose
// export data is missing, and reports an entry whose body does not
// decode by key.
func TestLoadCachedFacts(t *testing.T) {
	store := newFactStore([]*analysis.Analyzer{factsTestAnalyzer})
	fset := token.NewFileSet()
	listed, err := packages.Load(&packages.Config{Mode: listMode, Fset: fset}, "errors", "strconv", "unicode/utf8")
	if err != nil {
		t.Fatal(err)
	}
	byPath := make(map[string]*packages.Package)
	for _, p := range listed {
		byPath[p.PkgPath] = p
	}
	missing := &packages.Package{ID: "example.com/missing", PkgPath: "example.com/missing", Name: "missing", ExportFile: t.TempDir() + "/missing.a"}
	ld := newLoader(context.Background(), fset, nil, append(listed, missing), nil, nil)

	c := &resultCache{dir: t.TempDir()}
	withFact := &factsEntry{Facts: []gobFact{{Analyzer: "factstest", Package: true, Fact: &emptyFact{N: 1}}}}
	cases := []struct {
		p     *packages.Package
		entry *factsEntry
		body  []byte // replaces the stored body
	}{
		{byPath["errors"], withFact, nil},
		{byPath["strconv"], &factsEntry{}, nil},
		{byPath["unicode/utf8"], withFact, []byte("not gob")},
		{missing, withFact, nil},
	}
	var deps []cachedDep
	for i, tc := range cases {
		key := strings.Repeat(string(rune('a'+i)), 64)
		if err := c.putFacts(key, tc.entry); err != nil {
			t.Fatal(err)
		}
		got, ok := c.getFacts(key)
		if !ok {
			t.Fatalf("entry of %s missing", tc.p.PkgPath)
		}
		if tc.body != nil {
			got.body = tc.body
		}
		deps = append(deps, cachedDep{p: tc.p, key: key, c: got})
	}
	ids, undecoded := loadCachedFacts(ld, store, deps)
	if want := []string{"errors", "strconv"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("Facts loaded for %v, want %v", ids, want)
	}
	if want := []string{strings.Repeat("c", 64)}; !reflect.DeepEqual(undecoded, want) {
		t.Errorf("undecoded entries %v, want %v", undecoded, want)
	}
	var f emptyFact
	if !store.get(factsTestAnalyzer, nil, byPath["errors"].Types, &f) || f.N != 1 {
		t.Errorf("package Fact of errors: %+v, want N 1", f)
	}
	if !byPath["strconv"].Types.Complete() {
		t.Error("strconv (an empty entry) not read from export data: its types are incomplete")
	}
}
