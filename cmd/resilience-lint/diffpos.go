package main

import (
	"bytes"
	"go/token"

	udiff "github.com/aymanbagabas/go-udiff"

	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixapply"
)

// onDisk returns findings with the positions they have in the files on
// disk. The findings left after -diff come from analyzing the rewritten
// code in memory, so their lines are those the files would have after the
// fix; the user reads them beside the unchanged files. A position inside
// rewritten text maps to the start of that rewrite.
func onDisk(findings []driver.Finding, changes []fixapply.FileChange) []driver.Finding {
	byName := make(map[string]fixapply.FileChange, len(changes))
	for _, c := range changes {
		byName[c.Name] = c
	}
	edits := make(map[string][]udiff.Edit)
	out := make([]driver.Finding, len(findings))
	for i, f := range findings {
		out[i] = f
		c, ok := byName[f.Pos.Filename]
		if !ok {
			continue
		}
		es, ok := edits[c.Name]
		if !ok {
			es = udiff.Lines(string(c.Old), string(c.New)) // at line boundaries
			edits[c.Name] = es
		}
		out[i].Pos = positionAt(c.Old, f.Pos.Filename, oldOffset(es, f.Pos.Offset))
		if f.End.IsValid() && f.End.Filename == f.Pos.Filename {
			out[i].End = positionAt(c.Old, f.End.Filename, oldOffset(es, f.End.Offset))
		}
	}
	return out
}

// oldOffset maps an offset in the text after edits (sorted, as udiff
// returns them) to the offset in the text before them.
func oldOffset(edits []udiff.Edit, newOff int) int {
	delta := 0 // new offset - old offset, after the edits so far
	for _, e := range edits {
		newStart := e.Start + delta
		if newOff < newStart {
			break
		}
		if newOff < newStart+len(e.New) {
			return e.Start // inside the rewrite
		}
		delta += len(e.New) - (e.End - e.Start)
	}
	return newOff - delta
}

// positionAt returns the position of offset off in src.
func positionAt(src []byte, file string, off int) token.Position {
	off = min(max(off, 0), len(src))
	line := bytes.Count(src[:off], []byte("\n")) + 1
	col := off - (bytes.LastIndexByte(src[:off], '\n') + 1) + 1
	return token.Position{Filename: file, Offset: off, Line: line, Column: col}
}
