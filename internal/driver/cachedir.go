package driver

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// CacheStatus describes a result cache directory (for resilience-lint
// cache status).
type CacheStatus struct {
	Dir      string
	Outcomes int   // entries of named packages' outcomes (findings, results, fixes)
	Facts    int   // entries of packages' Facts
	Bytes    int64 // the size of every entry and temporary file
}

// entryKind classifies a file of the cache directory by its name: "r" for
// an outcome, "f" for Facts, "p" for an export plan (speculation), "tmp"
// for an interrupted write, "" for a
// file that is not the cache's. Only files in the two-hex-digit
// subdirectories count: the directory may be one the user also keeps
// other things in ($RESILIENCE_LINT_CACHE=~/cache).
func entryKind(dir, name string) string {
	rel, err := filepath.Rel(dir, name)
	if err != nil {
		return ""
	}
	sub, base, ok := strings.Cut(filepath.ToSlash(rel), "/")
	if !ok || len(sub) != 2 || strings.Contains(base, "/") || !isHex(sub) || !strings.HasPrefix(base, sub) {
		return ""
	}
	switch {
	case strings.HasSuffix(base, "-r"):
		return "r"
	case strings.HasSuffix(base, "-f"):
		return "f"
	case strings.HasSuffix(base, "-p"):
		return "p"
	case strings.HasSuffix(base, ".tmp"):
		return "tmp"
	}
	return ""
}

func isHex(s string) bool {
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// walkEntries calls f for every file of the cache in dir. A missing
// directory has no entries.
func walkEntries(dir string, f func(name, kind string, size int64) error) error {
	subs, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, sub := range subs {
		if !sub.IsDir() || len(sub.Name()) != 2 || !isHex(sub.Name()) {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, sub.Name()))
		if err != nil {
			return err
		}
		for _, file := range files {
			name := filepath.Join(dir, sub.Name(), file.Name())
			kind := entryKind(dir, name)
			if kind == "" || !file.Type().IsRegular() {
				continue
			}
			info, err := file.Info()
			if err != nil {
				continue // removed meanwhile by a concurrent run's trim
			}
			if err := f(name, kind, info.Size()); err != nil {
				return err
			}
		}
	}
	return nil
}

// StatCache counts the entries of the result cache in dir.
func StatCache(dir string) (CacheStatus, error) {
	st := CacheStatus{Dir: dir}
	err := walkEntries(dir, func(_, kind string, size int64) error {
		switch kind {
		case "r":
			st.Outcomes++
		case "f":
			st.Facts++
		}
		st.Bytes += size
		return nil
	})
	return st, err
}

// CleanCache deletes every entry of the result cache in dir, and the
// subdirectories and trim mark it leaves empty; files that are not the
// cache's are left alone. A run in progress at the same time loses
// nothing but the entries it would have reused (entries are written by
// rename, so it never reads a partial one).
func CleanCache(dir string) (removed int, err error) {
	err = walkEntries(dir, func(name, _ string, _ int64) error {
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		removed++
		return nil
	})
	if err != nil {
		return removed, err
	}
	if subs, err := os.ReadDir(dir); err == nil {
		for _, sub := range subs {
			if sub.IsDir() && len(sub.Name()) == 2 && isHex(sub.Name()) {
				_ = os.Remove(filepath.Join(dir, sub.Name())) // only if empty
			}
		}
	}
	if err := os.Remove(filepath.Join(dir, "trim.txt")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return removed, err
	}
	return removed, nil
}
