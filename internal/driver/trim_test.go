package driver

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestCacheTrim(t *testing.T) {
	c := &resultCache{dir: t.TempDir()}
	old, fresh := strings.Repeat("a", 64), strings.Repeat("b", 64)
	for _, k := range []string{old, fresh} {
		if err := c.put(k, &cacheEntry{}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	long := now.Add(-trimAge - time.Hour)
	if err := os.Chtimes(c.path(old), long, long); err != nil {
		t.Fatal(err)
	}
	// An export plan unused as long goes too.
	planKey := strings.Repeat("c", 64)
	plan := c.dir + "/cc/" + planKey + "-p"
	if err := c.writePlan(plan, planKey, []exportRead{{"fmt", "/x/fmt.a"}}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(plan, long, long); err != nil {
		t.Fatal(err)
	}
	c.trim(now)
	if _, ok := c.get(old); ok {
		t.Error("an entry unused for longer than trimAge survived the trim")
	}
	if _, err := os.Stat(plan); err == nil {
		t.Error("an export plan unused for longer than trimAge survived the trim")
	}
	if _, ok := c.get(fresh); !ok {
		t.Error("a fresh entry was trimmed")
	}
	// A second trim within trimEvery does nothing.
	if err := c.put(old, &cacheEntry{}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(c.path(old), long, long); err != nil {
		t.Fatal(err)
	}
	c.trim(now.Add(time.Hour))
	if _, err := os.Stat(c.path(old)); err != nil {
		t.Errorf("trimmed again within trimEvery: %v", err)
	}
	// Reading an entry refreshes its time, so a used entry is kept.
	if _, ok := c.get(old); !ok {
		t.Fatal("entry not readable")
	}
	c.trim(now.Add(trimEvery + time.Hour))
	if _, ok := c.get(old); !ok {
		t.Error("an entry read since was trimmed")
	}
}
