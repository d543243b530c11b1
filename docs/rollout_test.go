// Package docs_test keeps docs/ROLLOUT.md honest: it runs the guide's
// steps, in order, against a copy of the embedded example (examples/) with
// the real resilience-lint binary, and checks the exit status and the key
// lines of every command's output.
//
// The guide marks what the test runs with HTML comments, which Markdown
// renders as nothing:
//
//	<!-- rollout:run exit=3
//	retry 2/7 (28.5%)
//	-->
//	```sh
//	resilience-lint report ./...
//	```
//	```text
//	...the output of a real run...
//	```
//
// A run step's sh block is run by "sh -e" in the copy, with the freshly
// built binary first on PATH; its exit status must be the one given (0 by
// default) and each key line (the marker's following lines) must be part of
// a line of its output (stdout and stderr interleaved), with runs of spaces
// and tabs compared as one space. The text block that follows (```text, or
// ```markdown for Markdown output) is the output shown to the reader: it
// must be the whole output of the run, with only timings (go test's
// durations) and the copy's temporary directory normalised, so that a
// change of any line makes the guide fail instead of going stale. Key
// lines say what the reader should look at, and keep a wrong -update from
// pasting an output that lost them.
// "go test ./docs/ -run TestRolloutGuide -args -update" replaces the shown
// outputs with those of the run when it passes (key lines are never
// rewritten).
//
// Two more markers edit the copy: "rollout:write PATH" writes the next
// fenced block to PATH, and "rollout:patch" applies the next diff block,
// whose "+++ b/PATH" header names the file and whose hunks (context, "-"
// and "+" lines) are matched by text, not by line numbers. The marker
// "rollout:quote PATH" checks that the next go block is quoted verbatim from
// PATH in the example as shipped.
package docs_test

import (
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"

	"github.com/resilience-lint/resilience-lint/internal/examplecopy"

	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	udiff "github.com/aymanbagabas/go-udiff"
)

var update = flag.Bool("update", false, "rewrite the outputs shown in ROLLOUT.md with the outputs of this run")

// copyModule is the module path of the example's copy, the one the guide's
// outputs show.
const (
	copyModule = examplecopy.Module
	guideFile  = "ROLLOUT.md"
)

// Kinds of step.
const (
	kindRun   = "run"
	kindWrite = "write"
	kindPatch = "patch"
	kindQuote = "quote"
)

// step is one marked block of the guide.
type step struct {
	kind string
	line int      // 1-based line of the marker in the guide
	path string   // write and quote: the file, relative to the copy
	exit int      // run: the expected exit status
	keys []string // run: the key lines
	body string   // the fenced block's content

	// shown is the output block after a run block: its content and the
	// 0-based range of its content lines in the guide ([from, to)), or
	// from == -1 when there is none.
	shown    string
	from, to int
}

// parseGuide returns the marked steps of a guide, in order. A marker
// without a following fenced block, an unknown marker, a bad exit status
// or a run step with key lines but no output block is an error naming the
// line.
func parseGuide(src string) ([]step, error) {
	lines := strings.Split(src, "\n")
	var steps []step
	for i := 0; i < len(lines); i++ {
		rest, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), "<!-- rollout:")
		if !ok {
			continue
		}
		s := step{line: i + 1, from: -1}
		// The marker's first line holds the kind and its arguments; a
		// marker left open holds key lines until "-->".
		head, closed := strings.CutSuffix(strings.TrimSpace(rest), "-->")
		fields := strings.Fields(head)
		if len(fields) == 0 {
			return nil, fmt.Errorf("%s:%d: empty rollout marker", guideFile, s.line)
		}
		s.kind = fields[0]
		args := fields[1:]
		for !closed {
			i++
			if i == len(lines) {
				return nil, fmt.Errorf("%s:%d: rollout marker not closed with -->", guideFile, s.line)
			}
			key, end := strings.CutSuffix(strings.TrimSpace(lines[i]), "-->")
			closed = end
			if key = strings.TrimSpace(key); key != "" {
				s.keys = append(s.keys, key)
			}
		}
		switch s.kind {
		case kindRun:
			for _, a := range args {
				v, ok := strings.CutPrefix(a, "exit=")
				n, err := strconv.Atoi(v)
				if !ok || err != nil {
					return nil, fmt.Errorf("%s:%d: run argument %q: want exit=N", guideFile, s.line, a)
				}
				s.exit = n
			}
		case kindWrite, kindQuote:
			if len(args) != 1 {
				return nil, fmt.Errorf("%s:%d: %s wants one path, got %q", guideFile, s.line, s.kind, args)
			}
			s.path = args[0]
		case kindPatch:
			if len(args) != 0 {
				return nil, fmt.Errorf("%s:%d: patch takes no argument (the diff names the file)", guideFile, s.line)
			}
		default:
			return nil, fmt.Errorf("%s:%d: unknown rollout marker %q", guideFile, s.line, s.kind)
		}
		if s.kind != kindRun && len(s.keys) > 0 {
			return nil, fmt.Errorf("%s:%d: only run markers take key lines", guideFile, s.line)
		}
		body, _, _, next, err := fence(lines, i+1)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %s marker: %w", guideFile, s.line, s.kind, err)
		}
		s.body, i = body, next-1
		if s.kind == kindRun {
			if shown, from, to, next, err := fence(lines, next); err == nil && isOutputFence(lines[from-1]) {
				s.shown, s.from, s.to, i = shown, from, to, next-1
			} else if len(s.keys) > 0 {
				return nil, fmt.Errorf("%s:%d: run step with key lines but no ```text (or ```markdown) output block after its command", guideFile, s.line)
			}
		}
		steps = append(steps, s)
	}
	return steps, nil
}

// fence reads the fenced block that starts at the first non-blank line at
// or after start. It returns the block's content, the range of its content
// lines and the index of the line after the closing fence.
func fence(lines []string, start int) (body string, from, to, next int, err error) {
	i := start
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i == len(lines) || !strings.HasPrefix(strings.TrimSpace(lines[i]), "```") {
		return "", 0, 0, 0, errors.New("no fenced block follows")
	}
	from = i + 1
	for to = from; to < len(lines); to++ {
		if strings.TrimSpace(lines[to]) == "```" {
			if to > from {
				body = strings.Join(lines[from:to], "\n") + "\n"
			}
			return body, from, to, to + 1, nil
		}
	}
	return "", 0, 0, 0, fmt.Errorf("fenced block at line %d is not closed", i+1)
}

// isOutputFence reports whether a fence opens a block that shows output:
// "```text", or "```markdown" for output that is Markdown.
func isOutputFence(line string) bool {
	info := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "```"))
	return info == "text" || info == "markdown"
}

// timing matches what varies from run to run in the outputs shown: go
// test's durations ("0.008s", or "(cached)" for a rerun).
var timing = regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s|m)\b|\(cached\)`)

// normalizeOutput returns a command's output as compared with the output
// the guide shows: whole, with only timings replaced (the copy's temporary
// directory is already "."), so that any other change makes the guide
// stale.
func normalizeOutput(s string) string {
	return timing.ReplaceAllString(s, "<time>")
}

// normalize trims s and collapses its runs of spaces and tabs to one space.
func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// missingKeys returns the keys that are not part of any line of out
// (compared normalized).
func missingKeys(out string, keys []string) []string {
	var lines []string
	for l := range strings.Lines(out) {
		lines = append(lines, normalize(l))
	}
	var missing []string
	for _, k := range keys {
		nk := normalize(k)
		found := false
		for _, l := range lines {
			if strings.Contains(l, nk) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, k)
		}
	}
	return missing
}

// applyPatch applies a diff block to the files under dir. Each hunk (lines
// after an "@@" header, or the whole diff without one) replaces its old
// text (context and "-" lines) with its new text (context and "+" lines);
// the old text must occur exactly once in the file. An empty line in the
// diff is an empty context line. The file is named by the "+++ b/PATH"
// header; a hunk with no old text creates the file.
func applyPatch(dir, diff string) (string, error) {
	var path string
	type hunk struct{ old, new []string }
	var hunks []hunk
	cur := -1
	for l := range strings.Lines(diff) {
		l = strings.TrimSuffix(l, "\n")
		switch {
		case strings.HasPrefix(l, "--- "):
			continue
		case strings.HasPrefix(l, "+++ "):
			path = strings.TrimPrefix(strings.TrimPrefix(l, "+++ "), "b/")
			continue
		case strings.HasPrefix(l, "@@"):
			hunks = append(hunks, hunk{})
			cur = len(hunks) - 1
			continue
		}
		if cur < 0 {
			hunks = append(hunks, hunk{})
			cur = 0
		}
		h := &hunks[cur]
		switch {
		case l == "":
			h.old, h.new = append(h.old, ""), append(h.new, "")
		case l[0] == ' ':
			h.old, h.new = append(h.old, l[1:]), append(h.new, l[1:])
		case l[0] == '-':
			h.old = append(h.old, l[1:])
		case l[0] == '+':
			h.new = append(h.new, l[1:])
		default:
			return "", fmt.Errorf("diff line %q: want a context, - or + line", l)
		}
	}
	if path == "" {
		return "", errors.New("diff has no +++ b/PATH header")
	}
	file := filepath.Join(dir, filepath.FromSlash(path))
	creates := len(hunks) == 1 && len(hunks[0].old) == 0
	src, err := os.ReadFile(file)
	if err != nil && (!creates || !errors.Is(err, fs.ErrNotExist)) {
		return "", err
	}
	text := string(src)
	for _, h := range hunks {
		if len(h.old) == 0 {
			if text != "" {
				return "", fmt.Errorf("%s: a hunk without old text creates a file, but the file exists", path)
			}
			text = strings.Join(h.new, "\n") + "\n"
			continue
		}
		old, repl := strings.Join(h.old, "\n")+"\n", strings.Join(h.new, "\n")+"\n"
		if n := strings.Count(text, old); n != 1 {
			return "", fmt.Errorf("%s: the hunk's old text occurs %d times, want once:\n%s", path, n, old)
		}
		text = strings.Replace(text, old, repl, 1)
	}
	return path, os.WriteFile(file, []byte(text), 0o644)
}

func TestRolloutGuide(t *testing.T) {
	root := fixturemod.RepoRoot(t)
	guide, err := os.ReadFile(filepath.Join(root, "docs", guideFile))
	if err != nil {
		t.Fatal(err)
	}
	steps, err := parseGuide(string(guide))
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) == 0 {
		t.Fatalf("%s has no rollout steps", guideFile)
	}

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	if out, err := command(root, nil, "go", "build", "-o", filepath.Join(bin, "resilience-lint"), "./cmd/resilience-lint").CombinedOutput(); err != nil {
		t.Fatalf("building resilience-lint: %v\n%s", err, out)
	}
	dir := filepath.Join(tmp, "shop")
	examplecopy.Copy(t, root, dir)
	path := bin + string(os.PathListSeparator) + os.Getenv("PATH")

	outputs := map[int]string{} // by output block (step.from), for -update
	for _, s := range steps {
		where := fmt.Sprintf("%s:%d", guideFile, s.line)
		switch s.kind {
		case kindQuote:
			src, err := os.ReadFile(filepath.Join(root, "examples", filepath.FromSlash(s.path)))
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			if !strings.Contains(string(src), s.body) {
				t.Errorf("%s: the quoted block is not in examples/%s as shipped:\n%s", where, s.path, s.body)
			}
		case kindWrite:
			file := filepath.Join(dir, filepath.FromSlash(s.path))
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(s.body), 0o644); err != nil {
				t.Fatal(err)
			}
		case kindPatch:
			if _, err := applyPatch(dir, s.body); err != nil {
				t.Fatalf("%s: %v", where, err)
			}
		case kindRun:
			cmd := command(dir, []string{"PATH=" + path}, "sh", "-e", "-c", s.body)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			code := 0
			if err := cmd.Run(); err != nil {
				var exit *exec.ExitError
				if !errors.As(err, &exit) {
					t.Fatalf("%s: %v", where, err)
				}
				code = exit.ExitCode()
			}
			// The copy's absolute path is the reader's ".".
			got := strings.ReplaceAll(out.String(), dir+string(filepath.Separator), "")
			got = strings.ReplaceAll(got, dir, ".")
			t.Logf("%s: $ %s(exit %d)\n%s", where, s.body, code, got)
			if code != s.exit {
				t.Errorf("%s: exit status %d, the guide says %d; commands:\n%s", where, code, s.exit, s.body)
			}
			if m := missingKeys(got, s.keys); len(m) > 0 {
				t.Errorf("%s: key lines missing from the output:\n\t%s", where, strings.Join(m, "\n\t"))
			}
			if s.from < 0 {
				continue
			}
			if *update {
				outputs[s.from] = got
			} else if m := missingKeys(s.shown, s.keys); len(m) > 0 {
				t.Errorf("%s: key lines missing from the output the guide shows (go test ./docs/ -run TestRolloutGuide -args -update pastes today's):\n\t%s", where, strings.Join(m, "\n\t"))
			} else if want, have := normalizeOutput(s.shown), normalizeOutput(got); want != have {
				t.Errorf("%s: the output the guide shows is stale (go test ./docs/ -run TestRolloutGuide -args -update pastes today's; review the diff):\n%s", where, udiff.Unified("guide", "run", want, have))
			}
		}
	}
	// Outputs are pasted only from a run that passed: a failing command
	// (a half-edited tree, a wrong exit status) must not become the guide.
	if *update && len(outputs) > 0 && !t.Failed() {
		pasted := pasteOutputs(string(guide), steps, outputs)
		if err := os.WriteFile(filepath.Join(root, "docs", guideFile), []byte(pasted), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated the outputs shown in %s", guideFile)
	}
}

// pasteOutputs returns the guide with the content of each run step's output
// block replaced by outputs[step.from], for the steps that have one.
func pasteOutputs(guide string, steps []step, outputs map[int]string) string {
	lines := strings.Split(guide, "\n")
	var b strings.Builder
	next := 0 // the next line of the guide to copy
	for _, s := range steps {
		out, ok := outputs[s.from]
		if s.kind != kindRun || s.from < 0 || !ok {
			continue
		}
		for _, l := range lines[next:s.from] {
			b.WriteString(l + "\n")
		}
		b.WriteString(out)
		if out != "" && !strings.HasSuffix(out, "\n") {
			b.WriteString("\n")
		}
		next = s.to // the closing fence
	}
	b.WriteString(strings.Join(lines[next:], "\n"))
	return b.String()
}

// TestReadmeLinksGuide checks that the README sends readers to the guide.
func TestReadmeLinksGuide(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(fixturemod.RepoRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "docs/"+guideFile) {
		t.Errorf("README.md does not link to docs/%s", guideFile)
	}
}

// command returns a command run in dir outside any workspace (the copy is
// a module of its own), with extra environment variables.
func command(dir string, env []string, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "GOWORK=off"), env...)
	return cmd
}
