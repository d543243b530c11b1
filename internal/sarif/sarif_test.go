package sarif_test

import (
	"bytes"
	"encoding/json"
	"go/token"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/sarif"
)

func TestBuild(t *testing.T) {
	base := filepath.FromSlash("/src/proj")
	inside := filepath.Join(base, "agents", "a b.go")
	outside := filepath.FromSlash("/elsewhere/x.go")
	fset := token.NewFileSet()
	f := fset.AddFile(inside, -1, 100)
	f.SetLines([]int{0, 10, 20, 30})
	pos := f.Pos(12) // line 2, column 3
	analyzers := []*analysis.Analyzer{
		{Name: "retrycoverage", Doc: "report unrouted methods\n\nMore.", URL: "https://example.com/retry"},
		{Name: "intelcoverage", Doc: "report untracked workers"},
	}
	findings := []driver.Finding{{
		Analyzer: "intelcoverage",
		Pos:      fset.Position(pos),
		End:      fset.Position(pos + 4),
		Message:  "W.Execute is not tracked",
		Fixes: []analysis.SuggestedFix{{
			Message:   "wrap in Track",
			TextEdits: []analysis.TextEdit{{Pos: pos, End: pos + 4, NewText: []byte("new")}, {Pos: f.Pos(0), End: f.Pos(0), NewText: []byte("// x\n")}},
		}},
	}}
	errs := []driver.PackageError{{Package: "p", Pos: outside + ":3:4", Msg: "syntax error"}}

	var buf bytes.Buffer
	if err := sarif.Write(&buf, sarif.Build(fset, findings, errs, analyzers, base, "v1")); err != nil {
		t.Fatal(err)
	}
	var log sarif.Log
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if log.Version != "2.1.0" || len(run.Tool.Driver.Rules) != 2 || run.Tool.Driver.Rules[0].ShortDescription.Text != "report unrouted methods" {
		t.Fatalf("bad log header or rules: %s", buf.String())
	}
	res := run.Results[0]
	if res.RuleID != "intelcoverage" || res.RuleIndex != 1 {
		t.Errorf("rule %s index %d, want intelcoverage 1", res.RuleID, res.RuleIndex)
	}
	loc := res.Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "agents/a%20b.go" || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
		t.Errorf("artifact %+v, want agents/a%%20b.go relative to %%SRCROOT%%", loc.ArtifactLocation)
	}
	if r := loc.Region; r.StartLine != 2 || r.StartColumn != 3 || r.EndLine != 2 || r.EndColumn != 7 {
		t.Errorf("region %+v, want 2:3-2:7", r)
	}
	if len(res.Fixes) != 1 || len(res.Fixes[0].ArtifactChanges) != 1 || len(res.Fixes[0].ArtifactChanges[0].Replacements) != 2 {
		t.Fatalf("fixes %+v", res.Fixes)
	}
	rep := res.Fixes[0].ArtifactChanges[0].Replacements[0]
	if *rep.DeletedRegion.ByteOffset != 12 || *rep.DeletedRegion.ByteLength != 4 || rep.InsertedContent.Text != "new" {
		t.Errorf("replacement %+v", rep)
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful || len(inv.Notifications) != 1 {
		t.Fatalf("invocation %+v, want unsuccessful with one notification", inv)
	}
	nloc := inv.Notifications[0].Locations[0].PhysicalLocation
	if nloc.ArtifactLocation.URI != "file:///elsewhere/x.go" || nloc.Region.StartLine != 3 || nloc.Region.StartColumn != 4 {
		t.Errorf("notification location %+v", nloc)
	}
}
