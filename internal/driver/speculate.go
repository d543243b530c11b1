package driver

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// exportRead is one package read from export data: its import path and
// the export data file (named by the go command after its content).
type exportRead struct {
	path, file string
}

// A run with a cache directory reads the export data of the same packages
// as the run before it with the same options, as long as the
// dependencies did not change: the cached dependencies' (for their
// Facts) and the standard library packages the source packages import.
// Every analysis waits for those reads (loadExportData), and they are one
// package at a time. The run records them, in order, in an export plan
// in the cache directory; the next run replays the plan while go list
// runs (speculation), when the process has nothing else to do, and adopts
// what it read once go list has said which export data files this run
// uses (adopt): a package read ahead is then complete, and the loader
// does not read it again.

// planHeader starts an export plan file: the plan's key.
const planHeader = "resilience-lint export plan v1 %s\n"

// planPath returns the export plan file of a run with opts and patterns,
// and its key ("" if the run has no plan: no cache directory, an overlay,
// or tests, whose test variants share import paths).
func (c *resultCache) planPath(opts Options, patterns []string) (name, key string) {
	if c == nil || c.dir == "" || opts.Overlay != nil || opts.Tests {
		return "", ""
	}
	dir := opts.Dir
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	h := sha256.New()
	h.Write(c.salt)
	fmt.Fprintf(h, "export plan\ndir %s\npatterns %q\n", dir, patterns)
	key = hex.EncodeToString(h.Sum(nil))
	return filepath.Join(c.dir, key[:2], key+"-p"), key
}

// readPlan returns the export plan stored in name under key (none if it
// is missing or damaged).
func (c *resultCache) readPlan(name, key string) []exportRead {
	b, ok := c.readFile(name)
	if !ok {
		return nil
	}
	header, body, ok := bytes.Cut(b, []byte("\n"))
	if !ok || string(header)+"\n" != fmt.Sprintf(planHeader, key) {
		return nil
	}
	var plan []exportRead
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		path, file, ok := strings.Cut(sc.Text(), "\t")
		if !ok || path == "" || file == "" {
			return nil
		}
		plan = append(plan, exportRead{path, file})
	}
	if sc.Err() != nil {
		return nil
	}
	return plan
}

// writePlan stores plan in name under key. A failure costs the next run
// the speculation, nothing else.
func (c *resultCache) writePlan(name, key string, plan []exportRead) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, planHeader, key)
	for _, r := range plan {
		if strings.ContainsAny(r.path+r.file, "\t\n") {
			return fmt.Errorf("export plan: unusable name %q", r.path+" "+r.file)
		}
		fmt.Fprintf(&buf, "%s\t%s\n", r.path, r.file)
	}
	return c.writeBytes(name, key, buf.Bytes())
}

// speculation reads the export data of a plan, in order, into a universe
// of its own (pkgs, by import path), while go list runs. Nothing else
// sees that universe until adopt hands it to the listed packages, after
// the reading has stopped.
type speculation struct {
	fset *token.FileSet
	pkgs map[string]*types.Package
	// read are the plan's packages read completely, in order; failed
	// is set if a read failed (the universe may be half-written).
	read   []exportRead
	failed bool
	stop   atomic.Bool
	done   chan struct{}
}

// speculate starts reading plan's export data into fset.
func speculate(fset *token.FileSet, plan []exportRead) *speculation {
	s := &speculation{fset: fset, pkgs: make(map[string]*types.Package), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for _, r := range plan {
			if s.stop.Load() {
				return
			}
			if p := s.pkgs[r.path]; p != nil && p.Complete() {
				continue
			}
			if err := s.readOne(r); err != nil {
				s.failed = true
				return
			}
			s.read = append(s.read, r)
		}
	}()
	return s
}

// readOne reads the export data of one package of the plan.
func (s *speculation) readOne(r exportRead) error {
	f, err := os.Open(r.file)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()     // read-only
	rd, err := gcexportdata.NewReader(f) //nolint:staticcheck // SA1019: as in fromExportData
	if err != nil {
		return err
	}
	_, err = gcexportdata.Read(rd, s.fset, s.pkgs, r.path)
	return err
}

// adopt stops the speculation and, if what it read is what this run
// would read, gives its packages to the listed graph (graph: every listed
// package, with their imports), whose Types must not be set yet, and
// returns the reads it adopted, in order. It adopts nothing (and returns
// false) unless every package it read is listed with the same export
// data file, no package of its universe is one this run loads from source
// (source) or is missing from the graph, and no import path is listed
// twice: then the packages it read are exactly those the loader would
// read from the same files, complete before the loader starts, and no
// analysis can see them change.
func (s *speculation) adopt(listed []*packages.Package, source map[*packages.Package]bool) ([]exportRead, bool) {
	s.stop.Store(true)
	<-s.done
	// Adopted or not, the universe is the speculation's no more: what is
	// not adopted is garbage now, not memory held through the run.
	pkgs, read := s.pkgs, s.read
	s.pkgs, s.read = nil, nil
	if s.failed || len(read) == 0 {
		return nil, false
	}
	byPath, ok := listedByPath(listed)
	if !ok {
		return nil, false
	}
	for _, r := range read {
		if p := byPath[r.path]; p == nil || p.ExportFile != r.file {
			return nil, false
		}
	}
	for path := range pkgs {
		if p := byPath[path]; p == nil || source[p] || p.Types != nil {
			return nil, false
		}
	}
	for path, tp := range pkgs {
		byPath[path].Types = tp
	}
	return read, true
}

// exportedUniverse returns what a run read from export data (reads, in
// order) as a finished speculation, for a Rerun to adopt: every package
// the read packages' types mention, by import path. It is nil if that
// universe holds a package the run loaded from source, an import path
// twice, or a package that is not the listed one of its path.
func exportedUniverse(listed []*packages.Package, source map[*packages.Package]bool, reads []exportRead) *speculation {
	if len(reads) == 0 {
		return nil
	}
	byPath, ok := listedByPath(listed)
	if !ok {
		return nil
	}
	pkgs := make(map[string]*types.Package)
	var walk func(tp *types.Package) bool
	walk = func(tp *types.Package) bool {
		if tp == types.Unsafe || tp.Path() == "unsafe" {
			return true
		}
		if had, ok := pkgs[tp.Path()]; ok {
			return had == tp
		}
		p := byPath[tp.Path()]
		if p == nil || p.Types != tp || source[p] {
			return false
		}
		pkgs[tp.Path()] = tp
		for _, imp := range tp.Imports() {
			if !walk(imp) {
				return false
			}
		}
		return true
	}
	for _, r := range reads {
		p := byPath[r.path]
		if p == nil || p.ExportFile != r.file || p.Types == nil || !p.Types.Complete() || !walk(p.Types) {
			return nil
		}
	}
	done := make(chan struct{})
	close(done)
	return &speculation{pkgs: pkgs, read: reads, done: done}
}

// listedByPath indexes the listed import graph by import path; ok is
// false when a path names two packages (a test variant beside its
// package), where a speculation keyed by path cannot be adopted.
func listedByPath(listed []*packages.Package) (byPath map[string]*packages.Package, ok bool) {
	byPath = make(map[string]*packages.Package)
	ok = true
	packages.Visit(listed, nil, func(p *packages.Package) {
		if _, dup := byPath[p.PkgPath]; dup {
			ok = false
		}
		byPath[p.PkgPath] = p
	})
	return byPath, ok
}
