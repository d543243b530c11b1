package fixers_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"

	"slices"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// roundTripTree is a multi-package module: agents calling each other,
// workers, import collisions, a file with both a retry and a tracking
// rewrite, a refusal, and tests of the success path.
var roundTripTree = map[string]string{
	"agents/store/store.go": `// Package store is an agent package.
package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// Errors of the store.
var (
	ErrNotFound = errors.New("not found")
	ErrEmptyKey = errors.New("empty key")
)

// Store is a key-value agent.
type Store struct {
	mu   sync.Mutex
	data map[string]string
}

// New returns an empty store.
func New() *Store { return &Store{data: map[string]string{}} }

func (s *Store) check(ctx context.Context) error { return ctx.Err() }

// Get returns the value of key.
func (s *Store) Get(ctx context.Context, key string) (string, error) {
	if key == "" {
		return "", ErrEmptyKey // validation: not retried
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return "", err
	}
	v, ok := s.data[key]
	if !ok {
		return "", fmt.Errorf("get %q: %w", key, ErrNotFound)
	}
	return v, nil
}

// Put stores value under key.
func (s *Store) Put(ctx context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.check(ctx); err != nil {
		return err
	}
	s.data[key] = value
	return nil
}

// Stat reports the length of key's value, without a context.
func (s *Store) Stat(key string) (n int, found bool, err error) {
	v, err := s.Get(context.Background(), key)
	if errors.Is(err, ErrNotFound) {
		return 0, false, nil
	}
	n, found = len(v), err == nil
	return
}

// Load reads a value from r: a one-shot input, refused by the fixer.
func (s *Store) Load(ctx context.Context, key string, r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return s.Put(ctx, key, string(b))
}
`,
	"agents/store/store_test.go": `package store

import (
	"context"
	"errors"
	"testing"
)

func TestStore(t *testing.T) {
	ctx := context.Background()
	s := New()
	if err := s.Put(ctx, "a", "xyz"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get(ctx, "a"); err != nil || v != "xyz" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if _, err := s.Get(ctx, ""); err != ErrEmptyKey {
		t.Fatalf("Get(\"\") error = %v, want ErrEmptyKey itself", err)
	}
	if n, found, err := s.Stat("a"); n != 3 || !found || err != nil {
		t.Fatalf("Stat = %d, %v, %v", n, found, err)
	}
	if _, err := s.Get(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(missing) error = %v, want ErrNotFound", err)
	}
}
`,
	"agents/loader/loader.go": `// Package loader is an agent package that uses the store.
package loader

import (
	"context"
	"strings"

	"example.com/rt/agents/store"
)

// recovery is a package-level name: the fixer must alias its import.
var recovery = "never"

// Loader is an agent.
type Loader struct {
	Store *store.Store
}

// LoadAll loads every key.
func (l *Loader) LoadAll(ctx context.Context, keys ...string) ([]string, error) {
	var out []string
	for _, k := range keys {
		v, err := l.Store.Get(ctx, k)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Join delegates to LoadAll.
func (l *Loader) Join(ctx context.Context, keys []string) (string, error) {
	vals, err := l.LoadAll(ctx, keys...)
	return strings.Join(vals, ","), err
}

// Ping has a parameter named context.
func (l *Loader) Ping(context context.Context) error {
	_ = strings.Repeat(recovery, 0)
	return context.Err()
}
`,
	"agents/loader/pipeline.go": `package loader

import "strings"

// Pipeline is an agent and PipeWorker a worker, in one file without a
// context import: both rewrites add it, once.
type Pipeline struct {
	parts []string
}

// Run checks the pipeline.
func (p *Pipeline) Run(sep string) (string, error) {
	if len(p.parts) == 0 {
		return "", errEmpty
	}
	var b strings.Builder
	for i, part := range p.parts {
		if i > 0 {
			b.WriteString(sep)
		}
		if _, err := b.WriteString(part); err != nil {
			return "", err
		}
	}
	return b.String(), validate(p.parts)
}

// PipeWorker runs a pipeline.
type PipeWorker struct {
	p Pipeline
}

// Execute runs the pipeline once.
func (w *PipeWorker) Execute(sep string) (string, error) {
	// validation happens inside Run
	return w.p.Run(sep)
}
`,
	"agents/loader/errors.go": `package loader

import "errors"

var errEmpty = errors.New("empty pipeline")

func validate(parts []string) error {
	for _, p := range parts {
		if p == "" {
			return errors.New("empty part")
		}
	}
	return nil
}
`,
	"agents/loader/loader_test.go": `package loader

import (
	"context"
	"testing"

	"example.com/rt/agents/store"
)

func TestLoader(t *testing.T) {
	ctx := context.Background()
	s := store.New()
	_ = s.Put(ctx, "a", "1")
	_ = s.Put(ctx, "b", "2")
	l := &Loader{Store: s}
	got, err := l.Join(ctx, []string{"a", "b"})
	if err != nil || got != "1,2" {
		t.Fatalf("Join = %q, %v", got, err)
	}
	w := &PipeWorker{p: Pipeline{parts: []string{"x", "y"}}}
	if got, err := w.Execute("-"); err != nil || got != "x-y" {
		t.Fatalf("Execute = %q, %v", got, err)
	}
}
`,
	"workers/workers.go": `// Package workers holds workers.
package workers

import (
	"context"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"

	"example.com/rt/agents/store"
)

// IndexWorker indexes a key.
type IndexWorker struct {
	Tracker *intelligence.Tracker
	Store   *store.Store
}

// Execute returns the length of key's value.
func (w *IndexWorker) Execute(ctx context.Context, key string) (int, error) {
	v, err := w.Store.Get(ctx, key)
	if err != nil {
		return 0, err // tracked as an error
	}
	return len(v), nil
}
`,
	"workers/workers_test.go": `package workers

import (
	"context"
	"testing"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"

	"example.com/rt/agents/store"
)

func TestIndexWorker(t *testing.T) {
	s := store.New()
	_ = s.Put(context.Background(), "k", "four")
	w := &IndexWorker{Tracker: intelligence.MustNew(), Store: s}
	if n, err := w.Execute(context.Background(), "k"); n != 4 || err != nil {
		t.Fatalf("Execute = %d, %v", n, err)
	}
}
`,
}

// writeModule writes files as module example.com/rt requiring this
// repository through a replace directive.
func writeModule(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	root := fixturemod.RepoRoot(t)
	gomod := "module example.com/rt\n\ngo 1.26\n\nrequire github.com/resilience-lint/resilience-lint v0.0.0\n\n" +
		"replace github.com/resilience-lint/resilience-lint => " + root + "\n"
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files = mapsWith(files, map[string]string{"go.mod": gomod, "go.sum": string(sum)})
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mapsWith(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// goCmd runs the go command in dir and fails the test with its output if
// it fails.
func goCmd(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = offlineEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// snapshot returns the .go files under dir.
func snapshot(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		out[path] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRoundTrip fixes a multi-package module, checks that it builds,
// vets and passes its tests, and that a second run changes nothing.
func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	writeModule(t, dir, roundTripTree)
	before := snapshot(t, dir)

	rep := fixTree(t, dir, &config.Config{})
	t.Logf("applied %d fixes to %d files: %s", rep.fixes, len(rep.files), strings.Join(rep.messages, "; "))
	// Get, Put, Ping, Run (strings.Builder.WriteString returns an error:
	// the standard library carries no validator Facts, whichever driver),
	// Execute (one diagnostic per worker, its untracked returns as related
	// information). Stat, LoadAll and Join only
	// delegate to Get: wrapping them too would nest retries, so they get no
	// fix and are routed by delegation after.
	want := []string{
		"track (*IndexWorker).Execute with intelligence.Track",
		"track (*PipeWorker).Execute with intelligence.Track",
		"wrap (*Loader).Ping in recovery.Do",
		"wrap (*Pipeline).Run in recovery.DoValue",
		"wrap (*Store).Get in recovery.DoValue",
		"wrap (*Store).Put in recovery.Do",
	}
	if got := slices.Sorted(slices.Values(rep.messages)); !slices.Equal(got, want) {
		t.Errorf("applied fixes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(rep.refused) != 1 || !strings.Contains(rep.refused[0], "Store.Load") {
		t.Errorf("refused %q, want only Store.Load (one-shot reader)", rep.refused)
	}
	after := snapshot(t, dir)
	for path, b := range after {
		if err := gofmtStable(b); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		if !isSubsequence(comments(t, before[path]), comments(t, b)) {
			t.Errorf("%s: comments lost or reordered", path)
		}
	}
	for _, want := range []string{
		"rlrecovery \"github.com/resilience-lint/resilience-lint/runtime/recovery\"", // package var named recovery
		"stdcontext \"context\"", // parameter named context
	} {
		if !bytes.Contains(after[filepath.Join(dir, "agents/loader/loader.go")], []byte(want)) {
			t.Errorf("loader.go lacks %s:\n%s", want, after[filepath.Join(dir, "agents/loader/loader.go")])
		}
	}
	if n := bytes.Count(after[filepath.Join(dir, "agents/loader/pipeline.go")], []byte(`"context"`)); n != 1 {
		t.Errorf("pipeline.go imports context %d times, want once:\n%s", n, after[filepath.Join(dir, "agents/loader/pipeline.go")])
	}

	goCmd(t, dir, "build", "./...")
	goCmd(t, dir, "vet", "./...")
	goCmd(t, dir, "test", "-count=1", "./...")

	if n := bytes.Count(after[filepath.Join(dir, "agents/loader/loader.go")], []byte("rlrecovery.Do")); n != 1 {
		t.Errorf("loader.go has %d retries, want 1 (Ping's; LoadAll and Join delegate):\n%s", n, after[filepath.Join(dir, "agents/loader/loader.go")])
	}

	again := fixTree(t, dir, &config.Config{})
	if again.fixes != 0 {
		t.Errorf("second run applied %d fixes: %s", again.fixes, strings.Join(again.messages, "; "))
	}
	// The delegating methods are routed now: only the refusal is left.
	if len(again.reported) != 1 || !strings.Contains(again.reported[0], "Store.Load") {
		t.Errorf("second run reported:\n%s\nwant only Store.Load", strings.Join(again.reported, "\n"))
	}
	for path, b := range snapshot(t, dir) {
		if !bytes.Equal(b, after[path]) {
			t.Errorf("second run changed %s", path)
		}
	}
}

// countedTree has workers that record part of their outcomes by hand —
// through a tracking helper, in a deferred closure, from a goroutine —
// and a test that runs each four times and wants four runs recorded.
var countedTree = map[string]string{
	"workers/counted/counted.go": `// Package counted holds workers whose hand-written records the Track
// wrapper takes over.
package counted

import (
	"context"
	"errors"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

var errOdd = errors.New("odd job")

func run(ctx context.Context, job int) error {
	if job%2 == 1 {
		return errOdd
	}
	return ctx.Err()
}

// HelperWorker records its errors through a helper.
type HelperWorker struct {
	Tracker *intelligence.Tracker
}

func (w *HelperWorker) failed(err error) {
	w.Tracker.TrackError(intelligence.Op{Agent: "counted", Worker: "HelperWorker", Operation: "Execute"}, err, 0)
}

// Execute runs a job.
func (w *HelperWorker) Execute(ctx context.Context, job int) error {
	if err := run(ctx, job); err != nil {
		w.failed(err)
		return err
	}
	return nil
}

// DeferWorker records its errors in a deferred closure.
type DeferWorker struct {
	Tracker *intelligence.Tracker
}

// Execute runs a job.
func (w *DeferWorker) Execute(ctx context.Context, job int) (err error) {
	defer func() {
		if err != nil {
			w.Tracker.TrackError(intelligence.Op{Agent: "counted", Worker: "DeferWorker", Operation: "Execute"}, err, 0)
		}
	}()
	if err := run(ctx, job); err != nil {
		return err
	}
	return nil
}

// GoWorker records its errors from a goroutine.
type GoWorker struct {
	Tracker *intelligence.Tracker
}

// Execute runs a job.
func (w *GoWorker) Execute(ctx context.Context, job int) error {
	err := run(ctx, job)
	if err != nil {
		go w.Tracker.TrackError(intelligence.Op{Agent: "counted", Worker: "GoWorker", Operation: "Execute"}, err, 0)
	}
	return err
}
`,
	"workers/counted/counted_test.go": `package counted

import (
	"context"
	"testing"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// TestRunsRecordedOnce runs every worker four times (two failures) and
// wants four runs recorded: not fewer, not twice some.
func TestRunsRecordedOnce(t *testing.T) {
	for name, newWorker := range map[string]func(*intelligence.Tracker) interface {
		Execute(context.Context, int) error
	}{
		"HelperWorker": func(tr *intelligence.Tracker) interface{ Execute(context.Context, int) error } { return &HelperWorker{Tracker: tr} },
		"DeferWorker":  func(tr *intelligence.Tracker) interface{ Execute(context.Context, int) error } { return &DeferWorker{Tracker: tr} },
		"GoWorker":     func(tr *intelligence.Tracker) interface{ Execute(context.Context, int) error } { return &GoWorker{Tracker: tr} },
	} {
		tr := intelligence.MustNew()
		w := newWorker(tr)
		for job := range 4 {
			_ = w.Execute(context.Background(), job)
		}
		h := tr.AgentHealth("counted")
		if h.Runs != 4 || h.Errors != 2 || h.Successes != 2 {
			t.Errorf("%s: %d runs recorded (%d successes, %d errors), want 4 (2, 2)", name, h.Runs, h.Successes, h.Errors)
		}
	}
}
`,
}

// TestRoundTripTrackingCounts fixes workers that record part of their
// outcomes by hand and checks, with the module's own test, that each run
// is then recorded exactly once: the Track wrapper took over every
// hand-written record.
func TestRoundTripTrackingCounts(t *testing.T) {
	dir := t.TempDir()
	writeModule(t, dir, countedTree)
	rep := fixTree(t, dir, &config.Config{})
	want := []string{
		"track (*DeferWorker).Execute with intelligence.TrackErr",
		"track (*GoWorker).Execute with intelligence.TrackErr",
		"track (*HelperWorker).Execute with intelligence.TrackErr",
	}
	if got := slices.Sorted(slices.Values(slices.Compact(slices.Sorted(slices.Values(rep.messages))))); !slices.Equal(got, want) {
		t.Errorf("applied fixes:\n%s\nwant:\n%s\nreported:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"), strings.Join(rep.reported, "\n"))
	}
	src := snapshot(t, dir)[filepath.Join(dir, "workers/counted/counted.go")]
	if n := bytes.Count(src, []byte("TrackError(")); n != 1 {
		t.Errorf("counted.go keeps %d records by hand, want 1 (the helper's own, no longer called):\n%s", n, src)
	}
	goCmd(t, dir, "vet", "./...")
	goCmd(t, dir, "test", "-count=1", "./...")
	if again := fixTree(t, dir, &config.Config{}); again.fixes != 0 {
		t.Errorf("second run applied %d fixes: %s", again.fixes, strings.Join(again.messages, "; "))
	}
}
