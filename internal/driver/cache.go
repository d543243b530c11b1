package driver

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"go/build"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/resilience-lint/resilience-lint/analyzers/intelcoverage"
	"github.com/resilience-lint/resilience-lint/analyzers/retrycoverage"
)

// CacheEnv is the environment variable that overrides the result cache's
// directory; "off" disables the cache.
const CacheEnv = "RESILIENCE_LINT_CACHE"

// DefaultCacheDir returns the directory of the result cache: $RESILIENCE_LINT_CACHE
// if set ("" if it is "off"), else resilience-lint under os.UserCacheDir
// ("" if there is none).
func DefaultCacheDir() string {
	if dir, ok := os.LookupEnv(CacheEnv); ok && dir != "" {
		if dir == "off" {
			return ""
		}
		return dir
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "resilience-lint")
}

// resultCache stores the outcome of each analyzed root package on disk,
// under a key that hashes everything the outcome depends on: the tool
// (its executable), the analyzers with their flags and the
// configuration, the build (tests, build flags, target platform), the
// package's files (for a module version in the module cache, whose files
// never change, their names and the version), and recursively the keys of
// its imports. For a
// dependency read from export data the key is the export data file,
// whose name in the go build cache is its content hash. An edit therefore
// changes the key of the edited package and of every package that
// imports it, directly or not, and of no other.
//
// Entries are written to a temporary file and renamed into place, so
// concurrent runs never read a partial entry; an unreadable entry is a
// miss. Beside the outcomes of roots, the cache keeps the Facts of every
// package analyzed (factsEntry, under the same key): a dependency whose
// Facts are cached is read from export data instead of being parsed,
// type-checked and analyzed again, which is most of a run's cost when
// only the named packages changed.
//
// With no directory, the cache keeps Facts in memory only (mem), for the
// later rounds of -fix (Rerun) in a run without the on-disk cache.
type resultCache struct {
	dir  string
	salt []byte

	mu   sync.Mutex
	keys map[*packages.Package]string
	mem  map[string]*factsEntry // dir == "": the Facts entries

	// modCache is the module cache's directory ("" if unknown) and
	// goCache the build cache's: a module version's files are keyed by
	// name, except files the go command generates there (cgo).
	modCache, goCache string
}

// cacheVersion changes when the entry format does.
const cacheVersion = "resilience-lint result cache v2"

// newResultCache returns the cache in dir for a run with opts and
// analyzers.
func newResultCache(dir string, opts Options, analyzers []*analysis.Analyzer) *resultCache {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n", cacheVersion, toolID(), runtime.Version())
	cfg, _ := json.Marshal(opts.Config) // plain data: cannot fail
	fmt.Fprintf(h, "config %s\ntests %v\nflags %q\n", cfg, opts.Tests, opts.BuildFlags)
	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	for _, kv := range env {
		// The variables that change what go list selects or how types
		// are laid out; files and sizes are hashed too, this is a
		// belt to those braces.
		for _, name := range []string{"GOOS=", "GOARCH=", "GOFLAGS=", "CGO_ENABLED=", "GOEXPERIMENT=", "GOWORK="} {
			if len(kv) >= len(name) && kv[:len(name)] == name {
				fmt.Fprintf(h, "env %s\n", kv)
			}
		}
	}
	// Every analyzer that runs, required ones included, with its flags,
	// result and Fact types: a new or reconfigured analyzer is a new key.
	for _, a := range analyzerOrder(analyzers) {
		fmt.Fprintf(h, "analyzer %s %v", a.Name, a.ResultType)
		for _, f := range a.FactTypes {
			fmt.Fprintf(h, " %T", f)
		}
		a.Flags.VisitAll(func(f *flag.Flag) { fmt.Fprintf(h, " -%s=%s", f.Name, f.Value) })
		fmt.Fprintln(h)
	}
	c := &resultCache{dir: dir, salt: h.Sum(nil), keys: make(map[*packages.Package]string)}
	c.modCache, c.goCache = goDirs(env)
	if dir == "" {
		c.mem = make(map[string]*factsEntry)
	}
	return c
}

// goDirs returns the module cache and build cache directories under env,
// as the go command finds them ("" when unknown: files are then hashed).
func goDirs(env []string) (modCache, goCache string) {
	get := func(name string) string {
		v := ""
		for _, kv := range env {
			if k, val, ok := strings.Cut(kv, "="); ok && k == name {
				v = val // the last one wins, as for the go command
			}
		}
		return v
	}
	modCache = get("GOMODCACHE")
	if modCache == "" {
		gopath := get("GOPATH")
		if gopath == "" {
			gopath = build.Default.GOPATH
		}
		if list := filepath.SplitList(gopath); len(list) > 0 && list[0] != "" {
			modCache = filepath.Join(list[0], "pkg", "mod")
		}
	}
	goCache = get("GOCACHE")
	if goCache == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			goCache = filepath.Join(dir, "go-build")
		}
	}
	if modCache != "" {
		modCache = filepath.Clean(modCache)
	}
	if goCache == "" || goCache == "off" {
		goCache = "\x00" // matches no file
	}
	return modCache, goCache
}

// toolID identifies the running executable, so that a rebuilt tool gets
// new keys.
func toolID() string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown executable"
	}
	fi, err := os.Stat(exe)
	if err != nil {
		fi = nil
	}
	bi, _ := debug.ReadBuildInfo()
	return toolIDOf(exe, fi, bi)
}

// toolIDOf identifies a build of the tool. A build the go command can
// reproduce is named by what it was built from: a released version
// (go install ...@v1.2.3) or a clean VCS checkout's revision, with the Go
// version, the build settings and every dependency's version and sum.
// Such a build keeps its keys when it is rebuilt or installed again, as
// a CI job does on every run, so a CI cache of the cache directory stays
// valid. Any other build (a modified checkout, a source tree without VCS
// information) is named by its executable's path, size and modification
// time: rebuilding it changes its keys.
func toolIDOf(exe string, fi os.FileInfo, bi *debug.BuildInfo) string {
	if bi != nil {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s %s\n", bi.Path, bi.Main.Version, bi.GoVersion)
		rev, clean := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				clean = s.Value == "false"
			}
			fmt.Fprintf(&b, "%s=%s\n", s.Key, s.Value)
		}
		local := false // a dependency replaced by a directory: its files are not named by a version
		for _, d := range bi.Deps {
			if r := d.Replace; r != nil {
				fmt.Fprintf(&b, "%s %s => ", d.Path, d.Version)
				d = r
				local = local || d.Version == ""
			}
			fmt.Fprintf(&b, "%s %s %s\n", d.Path, d.Version, d.Sum)
		}
		v := bi.Main.Version
		released := v != "" && v != "(devel)" && !strings.Contains(v, "+dirty") && rev == ""
		if !local && (released || rev != "" && clean) {
			return b.String()
		}
	}
	id := exe
	if fi != nil {
		id += fmt.Sprintf(" %d %d", fi.Size(), fi.ModTime().UnixNano())
	}
	if bi != nil {
		id += " " + bi.Main.Version
	}
	return id
}

// key returns the cache key of p, a package loaded from source when
// source(p), else from export data. The error is that of reading one of
// p's files (the package cannot be cached).
func (c *resultCache) key(p *packages.Package, source func(*packages.Package) bool) (string, error) {
	c.mu.Lock()
	k, ok := c.keys[p]
	c.mu.Unlock()
	if ok {
		return k, nil
	}
	h := sha256.New()
	h.Write(c.salt)
	fmt.Fprintf(h, "id %s\npath %s\nname %s\nsizes %v\n", p.ID, p.PkgPath, p.Name, p.TypesSizes)
	if p.Module != nil {
		fmt.Fprintf(h, "module %s %s go%s\n", p.Module.Path, p.Module.Version, p.Module.GoVersion)
	}
	if source(p) {
		immutable := c.inModuleCache(p)
		for _, list := range [][]string{p.CompiledGoFiles, p.OtherFiles, p.EmbedFiles} {
			for _, name := range list {
				if immutable && !strings.HasPrefix(name, c.goCache) {
					// A module version's files never change (the go
					// command checks them against go.sum); its version
					// is in the key already.
					fmt.Fprintf(h, "file %s\n", name)
					continue
				}
				fh, err := fileHash(name)
				if err != nil {
					return "", err
				}
				fmt.Fprintf(h, "file %s %s\n", name, fh)
			}
		}
	} else {
		// The go command names export data by the hash of its content.
		fmt.Fprintf(h, "export %s\n", p.ExportFile)
	}
	paths := make([]string, 0, len(p.Imports))
	for path := range p.Imports {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		dk, err := c.key(p.Imports[path], source)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "import %s %s\n", path, dk)
	}
	for _, e := range p.Errors {
		fmt.Fprintf(h, "error %s %s\n", e.Pos, e.Msg)
	}
	k = hex.EncodeToString(h.Sum(nil))
	c.mu.Lock()
	c.keys[p] = k
	c.mu.Unlock()
	return k, nil
}

// inModuleCache reports whether p is a package of a module version in the
// module cache (not replaced by a directory, not vendored), whose files
// are read-only and identified by the module's path and version.
func (c *resultCache) inModuleCache(p *packages.Package) bool {
	m := p.Module
	if m == nil || m.Version == "" || m.Replace != nil || m.Dir == "" || c.modCache == "" {
		return false
	}
	return strings.HasPrefix(m.Dir, c.modCache+string(filepath.Separator))
}

// hashBufs are fileHash's read buffers: io.Copy from an *os.File would
// make a 32 KiB buffer for every file of every package keyed.
var hashBufs = sync.Pool{New: func() any { return new([32 << 10]byte) }}

// fileHash returns the hex SHA-256 of a file's content.
func fileHash(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }() // read-only
	buf := hashBufs.Get().(*[32 << 10]byte)
	defer hashBufs.Put(buf)
	h := sha256.New()
	for {
		n, err := f.Read(buf[:])
		h.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// path returns the file of the entry of a root's outcome.
func (c *resultCache) path(key string) string {
	return filepath.Join(c.dir, key[:2], key+"-r")
}

// factsPath returns the file of the entry of a package's Facts.
func (c *resultCache) factsPath(key string) string {
	return filepath.Join(c.dir, key[:2], key+"-f")
}

// Entries unused for trimAge are deleted, at most once per trimEvery; a
// used entry's modification time is refreshed at most once per
// touchEvery (as the go build cache does).
const (
	trimAge    = 5 * 24 * time.Hour
	trimEvery  = 24 * time.Hour
	touchEvery = time.Hour
)

// get returns the entry stored under key, if any.
func (c *resultCache) get(key string) (*cacheEntry, bool) {
	if c.dir == "" {
		return nil, false
	}
	var e cacheEntry
	if !c.read(c.path(key), &e) || e.Key != key {
		return nil, false
	}
	return &e, true
}

// cachedFacts is a Facts entry found in the cache: decoded (entry), or,
// for an entry with Facts read from disk, its gob body, which decode
// turns into one off the run's critical path (gob decoding is most of
// what reading an entry costs).
type cachedFacts struct {
	entry *factsEntry
	body  []byte
	n     int // the number of Facts in body
}

// empty reports whether the entry holds no Fact: its package's export
// data need not be read for it.
func (c cachedFacts) empty() bool { return c.entry != nil && len(c.entry.Facts) == 0 }

// decode returns the entry, decoding its body if needed.
func (c cachedFacts) decode(key string) (*factsEntry, error) {
	if c.entry != nil {
		return c.entry, nil
	}
	var facts []gobFact
	if err := gob.NewDecoder(bytes.NewReader(c.body)).Decode(&facts); err != nil {
		return nil, fmt.Errorf("facts entry %s: %v", key, err)
	}
	if len(facts) != c.n {
		return nil, fmt.Errorf("facts entry %s: %d facts, want %d", key, len(facts), c.n)
	}
	return &factsEntry{Key: key, Facts: facts}, nil
}

// factsHeader starts every Facts entry on disk: the entry's key and the
// number of its Facts, then (if there are any) their gob encoding. An
// entry is found, and an empty one read, without decoding any gob.
const factsHeader = "facts %s %d\n"

// getFacts returns the Facts entry stored under key, if any, its body
// not yet decoded.
func (c *resultCache) getFacts(key string) (cachedFacts, bool) {
	if c.dir == "" {
		c.mu.Lock()
		defer c.mu.Unlock()
		e, ok := c.mem[key]
		return cachedFacts{entry: e}, ok
	}
	b, ok := c.readFile(c.factsPath(key))
	if !ok {
		return cachedFacts{}, false
	}
	line, body, ok := bytes.Cut(b, []byte("\n"))
	var got string
	var n int
	if !ok || len(line) > 200 {
		return cachedFacts{}, false
	}
	if _, err := fmt.Sscanf(string(line)+"\n", factsHeader, &got, &n); err != nil || got != key || n < 0 {
		return cachedFacts{}, false
	}
	if n == 0 {
		if len(body) != 0 {
			return cachedFacts{}, false
		}
		return cachedFacts{entry: &factsEntry{Key: key}}, true
	}
	return cachedFacts{body: body, n: n}, true
}

// read decodes the file name into v; false if it is missing or
// unreadable (a miss).
func (c *resultCache) read(name string, v any) bool {
	b, ok := c.readFile(name)
	return ok && gob.NewDecoder(bytes.NewReader(b)).Decode(v) == nil
}

// readFile returns the content of the entry file name, refreshing its
// modification time when it is old; false if it is missing.
func (c *resultCache) readFile(name string) ([]byte, bool) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, false
	}
	if fi, err := os.Stat(name); err == nil && time.Since(fi.ModTime()) > touchEvery {
		now := time.Now()
		_ = os.Chtimes(name, now, now) // best effort: an untouched entry is trimmed sooner
	}
	return b, true
}

// put stores e under key. A failure only costs the next run the
// analysis.
func (c *resultCache) put(key string, e *cacheEntry) error {
	if c.dir == "" {
		return nil
	}
	e.Key = key
	return c.write(c.path(key), key, e)
}

// putFacts stores the Facts entry e under key.
func (c *resultCache) putFacts(key string, e *factsEntry) error {
	e.Key = key
	if c.dir == "" {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.mem[key] = e
		return nil
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, factsHeader, key, len(e.Facts))
	if len(e.Facts) > 0 {
		if err := gob.NewEncoder(&buf).Encode(e.Facts); err != nil {
			return err
		}
	}
	return c.writeBytes(c.factsPath(key), key, buf.Bytes())
}

// write stores v in the file name atomically: a temporary file renamed
// into place, so that concurrent runs never read a partial entry.
func (c *resultCache) write(name, key string, v any) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	return c.writeBytes(name, key, buf.Bytes())
}

// writeBytes stores b in the file name atomically.
func (c *resultCache) writeBytes(name, key string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), key[:8]+"-*.tmp")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), name)
	}
	if werr != nil {
		_ = os.Remove(tmp.Name()) // best effort: the entry is not written either way
	}
	return werr
}

// trim deletes the entries unused for trimAge, if the last trim is older
// than trimEvery. Errors are ignored: a trim that fails leaves entries
// that a later one deletes.
func (c *resultCache) trim(now time.Time) {
	if c.dir == "" {
		return
	}
	mark := filepath.Join(c.dir, "trim.txt")
	if fi, err := os.Stat(mark); err == nil && now.Sub(fi.ModTime()) < trimEvery {
		return
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return
	}
	if err := os.WriteFile(mark, []byte(now.Format(time.RFC3339)+"\n"), 0o644); err != nil {
		return
	}
	entries, _ := filepath.Glob(filepath.Join(c.dir, "*", "*-r"))
	facts, _ := filepath.Glob(filepath.Join(c.dir, "*", "*-f"))
	plans, _ := filepath.Glob(filepath.Join(c.dir, "*", "*-p"))
	for _, e := range slices.Concat(entries, facts, plans) {
		if fi, err := os.Stat(e); err == nil && now.Sub(fi.ModTime()) > trimAge {
			_ = os.Remove(e)
		}
	}
	// Temporary files of interrupted writes.
	tmps, _ := filepath.Glob(filepath.Join(c.dir, "*", "*.tmp"))
	for _, e := range tmps {
		if fi, err := os.Stat(e); err == nil && now.Sub(fi.ModTime()) > time.Hour {
			_ = os.Remove(e)
		}
	}
}

// cacheEntry is the stored outcome of one root package: what the report,
// the text, JSON and SARIF outputs and -fix need from its analysis.
type cacheEntry struct {
	Key      string // the entry's key, checked on read
	Findings []cachedFinding
	Retry    *retrycoverage.Result
	Intel    *intelcoverage.Result
	// HasRetry and HasIntel record non-nil results: gob restores a
	// pointer to an empty struct as nil.
	HasRetry, HasIntel bool
}

// cachedFinding is a Finding whose suggested fixes and related
// locations are file offsets instead of token.Pos values.
type cachedFinding struct {
	Analyzer, Category, Package string
	Pos, End                    token.Position
	Message, URL                string
	Fixes                       []cachedFix
	Related                     []cachedRelated
}

type cachedFix struct {
	Message string
	Edits   []cachedEdit
}

// cachedEdit is an analysis.TextEdit in file offsets; End is -1 for a
// pure insertion without an end.
type cachedEdit struct {
	File       string
	Start, End int
	New        []byte
}

type cachedRelated struct {
	File       string
	Start, End int // End -1: none
	Message    string
}

// offsets returns the file and offsets of a range in fset (end -1 when
// invalid).
func offsets(fset *token.FileSet, pos, end token.Pos) (file string, start, stop int, ok bool) {
	tf := fset.File(pos)
	if tf == nil {
		return "", 0, 0, false
	}
	stop = -1
	if end.IsValid() {
		if fset.File(end) != tf {
			return "", 0, 0, false
		}
		stop = tf.Offset(end)
	}
	return tf.Name(), tf.Offset(pos), stop, true
}

// newCacheEntry converts an outcome; ok is false if a position cannot be
// expressed as a file offset (then the outcome is not cached).
func newCacheEntry(o *outcome, fset *token.FileSet) (*cacheEntry, bool) {
	e := &cacheEntry{Retry: o.Retry, Intel: o.Intel, HasRetry: o.Retry != nil, HasIntel: o.Intel != nil}
	for _, f := range o.Findings {
		cf := cachedFinding{Analyzer: f.Analyzer, Category: f.Category, Package: f.Package, Pos: f.Pos, End: f.End, Message: f.Message, URL: f.URL}
		for _, fix := range f.Fixes {
			cfix := cachedFix{Message: fix.Message}
			for _, ed := range fix.TextEdits {
				file, start, end, ok := offsets(fset, ed.Pos, ed.End)
				if !ok {
					return nil, false
				}
				cfix.Edits = append(cfix.Edits, cachedEdit{File: file, Start: start, End: end, New: ed.NewText})
			}
			cf.Fixes = append(cf.Fixes, cfix)
		}
		for _, r := range f.Related {
			file, start, end, ok := offsets(fset, r.Pos, r.End)
			if !ok {
				return nil, false
			}
			cf.Related = append(cf.Related, cachedRelated{File: file, Start: start, End: end, Message: r.Message})
		}
		e.Findings = append(e.Findings, cf)
	}
	return e, true
}

// fileAdder adds files to a FileSet once each, with their line tables, so
// that restored offsets become token.Pos values in it.
type fileAdder struct {
	fset  *token.FileSet
	files map[string]*token.File
}

func (a *fileAdder) file(name string) (*token.File, error) {
	if tf, ok := a.files[name]; ok {
		return tf, nil
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	tf := a.fset.AddFile(name, -1, len(b))
	tf.SetLinesForContent(b)
	a.files[name] = tf
	return tf, nil
}

// pos converts an offset range of file to token.Pos values.
func (a *fileAdder) pos(name string, start, end int) (token.Pos, token.Pos, error) {
	tf, err := a.file(name)
	if err != nil {
		return token.NoPos, token.NoPos, err
	}
	if start > tf.Size() || end > tf.Size() {
		return token.NoPos, token.NoPos, fmt.Errorf("%s changed", name)
	}
	p := tf.Pos(start)
	e := token.NoPos
	if end >= 0 {
		e = tf.Pos(end)
	}
	return p, e, nil
}

// outcome restores the entry; an error (a file of a fix is gone or
// shorter) makes it a miss.
func (e *cacheEntry) outcome(a *fileAdder) (*outcome, error) {
	o := &outcome{Retry: e.Retry, Intel: e.Intel}
	if e.HasRetry && o.Retry == nil {
		o.Retry = &retrycoverage.Result{}
	}
	if e.HasIntel && o.Intel == nil {
		o.Intel = &intelcoverage.Result{}
	}
	for _, cf := range e.Findings {
		f := Finding{Analyzer: cf.Analyzer, Category: cf.Category, Package: cf.Package, Pos: cf.Pos, End: cf.End, Message: cf.Message, URL: cf.URL}
		for _, cfix := range cf.Fixes {
			fix := analysis.SuggestedFix{Message: cfix.Message}
			for _, ed := range cfix.Edits {
				p, end, err := a.pos(ed.File, ed.Start, ed.End)
				if err != nil {
					return nil, err
				}
				fix.TextEdits = append(fix.TextEdits, analysis.TextEdit{Pos: p, End: end, NewText: ed.New})
			}
			f.Fixes = append(f.Fixes, fix)
		}
		for _, r := range cf.Related {
			p, end, err := a.pos(r.File, r.Start, r.End)
			if err != nil {
				return nil, err
			}
			f.Related = append(f.Related, analysis.RelatedInformation{Pos: p, End: end, Message: r.Message})
		}
		o.Findings = append(o.Findings, f)
	}
	return o, nil
}
