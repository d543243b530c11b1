package fixers_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/internal/fixers"
)

// BenchmarkRetry measures one retry rewrite (decorate the method, rewrite,
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

// BenchmarkRetryLargeFile measures the rewrite of one method of
// testdata/rewrite/retry.go with 300 more methods (about 3,000 lines)
// after it, as the fixers do it (the method decorated alone) and with the
// whole file decorated, printed and re-parsed: the cost of a fix should
// not grow with the file it is in.
func BenchmarkRetryLargeFile(b *testing.B) {
	const path = "testdata/rewrite/retry.go"
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	sb.Write(src)
	for i := range 300 {
		fmt.Fprintf(&sb, `
// Filler%d is one more method of the file.
func (s *Store) Filler%d(ctx context.Context, key string) (string, error) {
	v, ok := s.data[key] // look it up
	if !ok {
		return "", fmt.Errorf("missing %%q", key)
	}
	for i := 0; i < 3; i++ {
		v += key
	}
	return v, nil
}
`, i, i)
	}
	big := []byte(sb.String())
	c, err := check(b, path, big)
	if err != nil {
		b.Fatal(err)
	}
	t := c.retryTarget(c.method("Store.Comments"), 1, "")
	for _, whole := range []bool{false, true} {
		name := "method"
		if whole {
			name = "wholefile"
		}
		b.Run(name, func(b *testing.B) {
			defer fixers.SetDecorateWholeFile(fixers.SetDecorateWholeFile(whole))
			b.ReportAllocs()
			for b.Loop() {
				fixes, err := fixers.Retry(c.pass, t)
				if err != nil || len(fixes) != 1 {
					b.Fatalf("%d fixes, %v", len(fixes), err)
				}
			}
		})
	}
}
