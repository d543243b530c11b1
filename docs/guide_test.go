package docs_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// fenceMark builds a code fence without writing three backquotes in a raw
// string.
var fenceMark = strings.Repeat("`", 3)

// md turns a guide written with ”' for fences into Markdown.
func md(s string) string { return strings.ReplaceAll(s, "'''", fenceMark) }

func TestParseGuide(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []step
		wantErr string
	}{
		{
			name: "run with keys and output",
			src: md(`intro
<!-- rollout:run exit=3
retry 2/7
Health score
-->
'''sh
resilience-lint report ./...
'''

'''text
retry    2/7 (28.5%)
Health score: 43.9%
'''
after`),
			want: []step{{kind: kindRun, line: 2, exit: 3, keys: []string{"retry 2/7", "Health score"},
				body: "resilience-lint report ./...\n", shown: "retry    2/7 (28.5%)\nHealth score: 43.9%\n", from: 10, to: 12}},
		},
		{
			name: "run without keys or output defaults to exit 0",
			src:  md("<!-- rollout:run -->\n'''sh\ngo build ./...\n'''\n\nprose\n"),
			want: []step{{kind: kindRun, line: 1, body: "go build ./...\n", from: -1}},
		},
		{
			name: "a following go block is not the output",
			src:  md("<!-- rollout:run -->\n'''sh\nls\n'''\n'''go\npackage x\n'''\n"),
			want: []step{{kind: kindRun, line: 1, body: "ls\n", from: -1}},
		},
		{
			name: "write, patch and quote",
			src: md(`<!-- rollout:write cmd/x/main.go -->
'''go
package main
'''
<!-- rollout:patch -->
'''diff
+++ b/a.go
-x
+y
'''
<!-- rollout:quote agents/a/a.go -->
'''go
func F() {}
'''`),
			want: []step{
				{kind: kindWrite, line: 1, path: "cmd/x/main.go", body: "package main\n", from: -1},
				{kind: kindPatch, line: 5, body: "+++ b/a.go\n-x\n+y\n", from: -1},
				{kind: kindQuote, line: 11, path: "agents/a/a.go", body: "func F() {}\n", from: -1},
			},
		},
		{name: "unknown marker", src: "<!-- rollout:runn -->\n", wantErr: `unknown rollout marker "runn"`},
		{name: "bad exit", src: md("<!-- rollout:run exit=x -->\n'''sh\nls\n'''\n"), wantErr: "want exit=N"},
		{name: "no block", src: "<!-- rollout:run -->\nprose\n", wantErr: "no fenced block follows"},
		{name: "unclosed marker", src: "<!-- rollout:run\nkey\n", wantErr: "not closed with -->"},
		{name: "unclosed fence", src: md("<!-- rollout:run -->\n'''sh\nls\n"), wantErr: "is not closed"},
		{name: "keys without output", src: md("<!-- rollout:run\nkey\n-->\n'''sh\nls\n'''\n"), wantErr: "no ```text (or ```markdown) output block"},
		{name: "write without path", src: md("<!-- rollout:write -->\n'''go\nx\n'''\n"), wantErr: "wants one path"},
		{name: "keys on a write", src: md("<!-- rollout:write a.go\nkey\n-->\n'''go\nx\n'''\n"), wantErr: "only run markers take key lines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseGuide(tt.src)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d steps %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				g, w := got[i], tt.want[i]
				if g.kind != w.kind || g.line != w.line || g.path != w.path || g.exit != w.exit ||
					!slices.Equal(g.keys, w.keys) || g.body != w.body || g.shown != w.shown ||
					g.from != w.from || (w.from >= 0 && g.to != w.to) {
					t.Errorf("step %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

func TestMissingKeys(t *testing.T) {
	out := "AGENT   STATUS\nloader.DataLoader    partial   1/3\n\nretry\t2/7 (28.5%)  agents\n"
	tests := []struct {
		keys, want []string
	}{
		{keys: []string{"loader.DataLoader partial 1/3", "retry 2/7"}},
		{keys: []string{"  retry   2/7 (28.5%) agents  "}},
		{keys: []string{"partial 1/3", "covered"}, want: []string{"covered"}},
		// A key is matched within one line, never across lines.
		{keys: []string{"STATUS loader"}, want: []string{"STATUS loader"}},
	}
	for _, tt := range tests {
		if got := missingKeys(out, tt.keys); !slices.Equal(got, tt.want) {
			t.Errorf("missingKeys(%q) = %q, want %q", tt.keys, got, tt.want)
		}
	}
}

func TestApplyPatch(t *testing.T) {
	const src = "package a\n\nfunc F() error {\n\treturn nil\n}\n\nfunc G() {}\n"
	tests := []struct {
		name, diff, want, wantErr string
	}{
		{
			name: "replace by context, not line numbers",
			diff: "--- a/a.go\n+++ b/a.go\n@@ -3,3 +3,3 @@\n func F() error {\n-\treturn nil\n+\treturn errF\n }\n",
			want: "package a\n\nfunc F() error {\n\treturn errF\n}\n\nfunc G() {}\n",
		},
		{
			name: "two hunks and an empty context line",
			diff: "+++ b/a.go\n@@\n-package a\n+package b\n@@\n }\n\n-func G() {}\n+func H() {}\n",
			want: "package b\n\nfunc F() error {\n\treturn nil\n}\n\nfunc H() {}\n",
		},
		{name: "old text absent", diff: "+++ b/a.go\n-func X() {}\n+func Y() {}\n", wantErr: "occurs 0 times"},
		{name: "old text ambiguous", diff: "+++ b/a.go\n-}\n+}\n", wantErr: "occurs 2 times"},
		{name: "no header", diff: "-a\n+b\n", wantErr: "no +++ b/PATH header"},
		{name: "bad line", diff: "+++ b/a.go\nfunc F\n", wantErr: "want a context"},
		{name: "create over an existing file", diff: "+++ b/a.go\n+package c\n", wantErr: "the file exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "a.go")
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := applyPatch(dir, tt.diff)
			got, rerr := os.ReadFile(file)
			if rerr != nil {
				t.Fatal(rerr)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				if string(got) != src {
					t.Errorf("a failed patch changed the file:\n%s", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("patched file:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
	t.Run("creates a file", func(t *testing.T) {
		dir := t.TempDir()
		path, err := applyPatch(dir, "+++ b/new.go\n+package n\n")
		if err != nil || path != "new.go" {
			t.Fatalf("applyPatch = %q, %v", path, err)
		}
		if got, err := os.ReadFile(filepath.Join(dir, "new.go")); err != nil || string(got) != "package n\n" {
			t.Errorf("new.go = %q, %v", got, err)
		}
	})
}

func TestPasteOutputs(t *testing.T) {
	guide := md(`# Guide
<!-- rollout:run
b
-->
'''sh
one
'''
'''text
old a
old b
'''
<!-- rollout:run -->
'''sh
two
'''
'''text
'''
<!-- rollout:run -->
'''sh
three
'''
'''text
kept
'''
end
`)
	steps, err := parseGuide(guide)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[int]string{steps[0].from: "new a\nb\n", steps[1].from: "filled"}
	got := pasteOutputs(guide, steps, outputs)
	want := strings.Replace(guide, "old a\nold b\n", "new a\nb\n", 1)
	want = strings.Replace(want, "two\n"+fenceMark+"\n"+fenceMark+"text\n", "two\n"+fenceMark+"\n"+fenceMark+"text\nfilled\n", 1)
	if got != want {
		t.Errorf("pasteOutputs:\n%s\nwant:\n%s", got, want)
	}
	// Empty output empties the block; the result parses to the same steps.
	got = pasteOutputs(guide, steps, map[int]string{steps[0].from: ""})
	if want := strings.Replace(guide, "old a\nold b\n", "", 1); got != want {
		t.Errorf("pasteOutputs with an empty output:\n%s\nwant:\n%s", got, want)
	}
	again, err := parseGuide(got)
	if err != nil || len(again) != len(steps) || again[0].shown != "" {
		t.Errorf("the pasted guide parses to %+v, %v", again, err)
	}
}

// slug is GitHub's anchor for a heading: lower case, punctuation other
// than hyphens dropped, spaces turned into hyphens.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestGuideAnchors checks that every in-page link of the guide points to
// one of its headings.
func TestGuideAnchors(t *testing.T) {
	guide, err := os.ReadFile(guideFile)
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	inFence := false
	for l := range strings.Lines(string(guide)) {
		if strings.HasPrefix(strings.TrimSpace(l), fenceMark) {
			inFence = !inFence
		}
		if h, ok := strings.CutPrefix(l, "#"); ok && !inFence {
			anchors[slug(strings.TrimSpace(strings.TrimLeft(h, "#")))] = true
		}
	}
	links := regexp.MustCompile(`\]\(#([^)]+)\)`).FindAllStringSubmatch(string(guide), -1)
	if len(links) == 0 {
		t.Fatal("no in-page links found")
	}
	for _, m := range links {
		if !anchors[m[1]] {
			t.Errorf("link #%s matches no heading", m[1])
		}
	}
}

// TestCICommandsRun checks that every resilience-lint command of the
// guide's CI snippets (```yaml blocks) is one that the guide runs, so that
// the CI configuration it recommends is tested too. Output redirections
// and pipes are not compared.
func TestCICommandsRun(t *testing.T) {
	guide, err := os.ReadFile(guideFile)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := parseGuide(string(guide))
	if err != nil {
		t.Fatal(err)
	}
	run := map[string]bool{}
	for _, s := range steps {
		if s.kind == kindRun {
			for l := range strings.Lines(s.body) {
				run[command0(l)] = true
			}
		}
	}
	lines := strings.Split(string(guide), "\n")
	checked := 0
	for i := range lines {
		if strings.TrimSpace(lines[i]) != fenceMark+"yaml" {
			continue
		}
		body, _, _, _, err := fence(lines, i)
		if err != nil {
			t.Fatalf("yaml block at line %d: %v", i+1, err)
		}
		for l := range strings.Lines(body) {
			c := command0(l)
			if !strings.HasPrefix(c, "resilience-lint ") {
				continue
			}
			checked++
			if !run[c] {
				t.Errorf("the CI snippet at line %d runs %q, which no step of the guide runs", i+1, c)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no resilience-lint command found in the guide's yaml blocks")
	}
}

// command0 returns the command of a shell line without its output
// redirection or pipe, normalized.
func command0(line string) string {
	if i := strings.IndexAny(line, ">|"); i >= 0 {
		line = line[:i]
	}
	// A workflow step's "run: <command>" (or "- run: <command>").
	line = strings.TrimPrefix(strings.TrimSpace(line), "- ")
	line = strings.TrimPrefix(line, "run:")
	return normalize(line)
}

func TestNormalizeOutput(t *testing.T) {
	a := "ok  \texample.com/shop/agents/loader\t0.012s\nok  \texample.com/shop/stats\t(cached)\n"
	b := "ok  \texample.com/shop/agents/loader\t1.5s\nok  \texample.com/shop/stats\t0.003s\n"
	if normalizeOutput(a) != normalizeOutput(b) {
		t.Errorf("timings are not normalised:\n%s\n%s", normalizeOutput(a), normalizeOutput(b))
	}
	// Anything else is compared as it is: a changed verdict, a changed
	// count, even a changed column alignment.
	for _, c := range []string{
		"retry    1/7 (14.2%)\n",
		"retry    2/7 (28.5%)\n",
		"retry   1/7 (14.2%)\n",
	} {
		if c != "retry    1/7 (14.2%)\n" && normalizeOutput(c) == normalizeOutput("retry    1/7 (14.2%)\n") {
			t.Errorf("%q compares equal to the original", c)
		}
	}
}

func TestCommand0(t *testing.T) {
	for in, want := range map[string]string{
		"    resilience-lint --baseline b.json ./...":                         "resilience-lint --baseline b.json ./...",
		"        run: resilience-lint --format github ./...":                  "resilience-lint --format github ./...",
		"      - run: resilience-lint report -format markdown > c.md || true": "resilience-lint report -format markdown",
	} {
		if got := command0(in); got != want {
			t.Errorf("command0(%q) = %q, want %q", in, got, want)
		}
	}
}
