package fixapply_test

import (
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/fixapply"
)

// TestNewPlanFormatsOnlyTouched checks that a plan gofmt-formats the
// declarations its edits touch and leaves every other byte of the file
// as it was, whatever gofmt would make of it.
func TestNewPlanFormatsOnlyTouched(t *testing.T) {
	const in = `package p

import (
	"fmt"
)

// Doc is an old-style comment:
//   https://example.com/a
var x   =  1

func A() int {return 1}



func B( ) int { return x+2 }
`
	tests := []struct {
		name string
		old  string // replaced by new, once; "" inserts new at "at"
		new  string
		at   string // with old == "": insert before the first occurrence
		want string
	}{
		{
			name: "edit inside a function formats that function only",
			old:  "return 1", new: "return fmt.Sprint(1)  ==  \"1\" || x>0",
			want: strings.Replace(in, "func A() int {return 1}", "func A() int { return fmt.Sprint(1) == \"1\" || x > 0 }", 1),
		},
		{
			name: "an insertion in the import block formats the block, not the rest",
			at:   "\"fmt\"", new: "\"os\"\n\t",
			want: strings.Replace(in, "\t\"fmt\"\n", "\t\"fmt\"\n\t\"os\"\n", 1),
		},
		{
			name: "a new declaration between others is formatted, its neighbours not",
			at:   "func B", new: "func C( ) {}\n\n",
			want: strings.Replace(in, "func B", "func C() {}\n\nfunc B", 1),
		},
		{
			name: "an edit between declarations formats nothing",
			old:  "\n\n\n\n", new: "\n\n",
			want: strings.Replace(in, "\n\n\n\n", "\n\n", 1),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := module(t, in)
			var e fixapply.Edit
			if tt.old != "" {
				e = replace(t, file, in, tt.old, tt.new)
			} else {
				i := strings.Index(in, tt.at)
				e = fixapply.Edit{File: file, Start: i, End: i, New: []byte(tt.new)}
			}
			plan, err := fixapply.NewPlan([]fixapply.Fix{{Label: "f", Edits: []fixapply.Edit{e}}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(plan.Files) != 1 {
				t.Fatalf("got %d changed files, want 1", len(plan.Files))
			}
			if got := string(plan.Files[0].New); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestNewPlanKeepsCRLF checks that in a file whose lines all end in
// "\r\n" the rewritten lines do too, and that the other lines are kept
// byte for byte.
func TestNewPlanKeepsCRLF(t *testing.T) {
	lf := "package p\n\n// Doc:\n//   https://example.com/a\nvar x   =  1\n\nfunc A() int {return 1}\n"
	in := strings.ReplaceAll(lf, "\n", "\r\n")
	file := module(t, in)
	e := replace(t, file, in, "{return 1}", "{\n\treturn 1\n}")
	plan, err := fixapply.NewPlan([]fixapply.Fix{{Label: "f", Edits: []fixapply.Edit{e}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(in, "func A() int {return 1}", "func A() int {\r\n\treturn 1\r\n}", 1)
	if got := string(plan.Files[0].New); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
