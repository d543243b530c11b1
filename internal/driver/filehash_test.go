package driver

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

// TestFileHash checks fileHash against the SHA-256 of the whole content,
// for files shorter than, as long as and longer than its read buffer, and
// that a missing file is an error.
func TestFileHash(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 32<<10 - 1, 32 << 10, 32<<10 + 1, 100_000} {
		line := []byte("package p // x\n")
		content := bytes.Repeat(line, size/len(line)+1)[:size]
		name := filepath.Join(dir, "f.go")
		if err := os.WriteFile(name, content, 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(content)
		got, err := fileHash(name)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if want := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("size %d: fileHash = %s, want %s", size, got, want)
		}
	}
	if _, err := fileHash(filepath.Join(dir, "missing.go")); err == nil {
		t.Error("fileHash of a missing file: no error")
	}
}
