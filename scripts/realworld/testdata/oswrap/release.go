// Package release is a release tool as a team writes one: it runs a
// build script, records the release in a log, moves the artifact into
// place and tells a server, each step a call that can fail.
package release

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
)

// Releaser releases.
type Releaser struct {
	Script string // a shell command, run with sh -c
	Log    string // the release log, appended to
	Client *http.Client
	URL    string // the server told of each release
}

// notify tells the server of version.
func (r *Releaser) notify(ctx context.Context, version string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, strings.NewReader(version))
	if err != nil {
		return err
	}
	resp, err := r.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return &StatusError{Code: resp.StatusCode}
	}
	return nil
}

// StatusError is an answer other than 200.
type StatusError struct{ Code int }

func (e *StatusError) Error() string   { return fmt.Sprintf("status %d", e.Code) }
func (e *StatusError) StatusCode() int { return e.Code }

// Build runs the build script, then tells the server.
func (r *Releaser) Build(ctx context.Context, version string) error {
	if err := exec.CommandContext(ctx, "sh", "-c", r.Script).Run(); err != nil {
		return err
	}
	return r.notify(ctx, version)
}

// Record appends version to the release log, then tells the server.
func (r *Releaser) Record(ctx context.Context, version string) error {
	f, err := os.OpenFile(r.Log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(f, version); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return r.notify(ctx, version)
}

// Publish moves the artifact into place, then tells the server.
func (r *Releaser) Publish(ctx context.Context, artifact, dest, version string) error {
	if err := os.Rename(artifact, dest); err != nil {
		return err
	}
	return r.notify(ctx, version)
}

// Announce only tells the server: routed.
func (r *Releaser) Announce(ctx context.Context, version string) error {
	return r.notify(ctx, version)
}
