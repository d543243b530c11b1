// Package reporter renders reports: Text only calls Markdown (an agent
// method that the fixes route) and writes to a strings.Builder whose
// discarded error reaches nothing, so Text gets no fix of its own.
package reporter

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

var ErrNoReport = errors.New("no report")

type Reporter struct{ tmpl string }

// Markdown does the work: it gets the fix.
func (r *Reporter) Markdown(title string) (string, error) { // want Markdown:"unrouted" `^Reporter.Markdown returns an error but is not routed through runtime/recovery \(run`
	if title == "" {
		return "", ErrNoReport
	}
	b, err := os.ReadFile(r.tmpl)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "# %s\n\n%s", title, b)
	return sb.String(), nil
}

// Text delegates to Markdown; its own writes drop their errors.
func (r *Reporter) Text(title string) (string, error) { // want Text:"unrouted" `^Reporter.Text returns an error but is not routed through runtime/recovery: it delegates to Reporter.Markdown, which must be routed first \(no fix here`
	md, err := r.Markdown(title)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for line := range strings.Lines(md) {
		b.WriteString(strings.TrimLeft(line, "# "))
	}
	return b.String(), nil
}

// Logged checks an error that never reaches its result, after the
// last failing return: still only delegation.
func (r *Reporter) Logged(title string) (string, error) { // want Logged:"unrouted" `it delegates to Reporter.Markdown, which must be routed first`
	md, err := r.Markdown(title)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(os.DevNull, []byte(md), 0o600); err != nil {
		fmt.Println("cache:", err)
	}
	return md, nil
}

// Both does work whose error it returns: no fix, as retries never nest.
func (r *Reporter) Both(title string) (string, error) { // want Both:"nests" `-fix cannot rewrite it: wrapping it would nest the retries that -fix gives Reporter.Markdown`
	md, err := r.Markdown(title)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(os.DevNull, []byte(md), 0o600); err != nil {
		return "", err
	}
	return md, nil
}

// Summary calls Both, which gets no fix: no fix either, as wrapping it
// would nest the retry Both makes once Markdown is routed.
func (r *Reporter) Summary(title string) (int, error) { // want Summary:"nests" `^Reporter.Summary returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls Reporter.Both, which already retries part of its work \(through the retries \-fix gives reporter\.Reporter\.Markdown\)`
	s, err := r.Both(title)
	return len(s), err
}
