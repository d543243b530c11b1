package fixers_test

import (
	"os"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/fixers"
)

// BenchmarkRetry measures one retry rewrite (decorate the file, rewrite,
// print, edits) of a method of testdata/rewrite/retry.go.
func BenchmarkRetry(b *testing.B) {
	const path = "testdata/rewrite/retry.go"
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	c, err := check(b, path, src)
	if err != nil {
		b.Fatal(err)
	}
	fd := c.method("Store.Comments")
	t := c.retryTarget(fd, 1, "")
	b.ReportAllocs()
	for b.Loop() {
		fixes, err := fixers.Retry(c.pass, t)
		if err != nil || len(fixes) != 1 {
			b.Fatalf("%d fixes, %v", len(fixes), err)
		}
	}
}
