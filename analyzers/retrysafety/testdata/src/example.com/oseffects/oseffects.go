// Package oseffects changes things outside the process (oseffects.go):
// a process it runs, a file it renames, appends to or creates, a mail it
// sends. Each change is made when the call succeeds, so it matters only
// when a call that can fail comes after it.
package oseffects

import (
	"context"
	"errors"
	"fmt"
	"net/smtp"
	"os"
	"os/exec"
)

// Deployer deploys and notifies.
type Deployer struct {
	Log  string
	Dir  string
	Flag int
}

func (d *Deployer) notify(ctx context.Context) error {
	if ctx.Err() != nil {
		return errors.New("notify failed")
	}
	return nil
}

// Push pushes, then notifies: a retry after the notification fails
// pushes again.
func (d *Deployer) Push(ctx context.Context) error { // want Push:"writes package state; early"
	if err := exec.CommandContext(ctx, "git", "push").Run(); err != nil {
		return err
	}
	return d.notify(ctx)
}

// Version asks a process last: nothing follows that can fail.
func (d *Deployer) Version(ctx context.Context) (string, error) { // want Version:"writes package state"
	out, err := exec.CommandContext(ctx, "git", "describe").Output()
	return string(out), err
}

// Deploy notifies, then runs the process: the process is the last call
// that can fail.
func (d *Deployer) Deploy(ctx context.Context) error { // want Deploy:"writes package state"
	if err := d.notify(ctx); err != nil {
		return err
	}
	return exec.CommandContext(ctx, "make", "deploy").Run()
}

// run runs make in d.Dir: its callers see the process through the
// Writes fact.
func (d *Deployer) run(ctx context.Context, target string) error { // want run:"writes package state"
	cmd := exec.CommandContext(ctx, "make", target)
	cmd.Dir = d.Dir
	return cmd.Run()
}

// Build runs two targets: a retry after the second fails runs the
// first again.
func (d *Deployer) Build(ctx context.Context) error { // want Build:"writes package state; early"
	if err := d.run(ctx, "deps"); err != nil {
		return err
	}
	return d.run(ctx, "all")
}

// Append appends a line: a retry after a partial write appends again.
func (d *Deployer) Append(line string) error { // want Append:"writes package state; early"
	f, err := os.OpenFile(d.Log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = fmt.Fprintln(f, line)
	return err
}

// Lock creates a lock file that must not exist, then notifies: a retry
// finds its own lock.
func (d *Deployer) Lock(ctx context.Context) error { // want Lock:"writes package state; early"
	f, err := os.OpenFile(d.Log+".lock", os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	f.Close()
	return d.notify(ctx)
}

// Flags opens with flags computed at run time, then notifies.
func (d *Deployer) Flags(ctx context.Context) error { // want Flags:"writes package state; early"
	f, err := os.OpenFile(d.Log, d.Flag, 0o644)
	if err != nil {
		return err
	}
	f.Close()
	return d.notify(ctx)
}

// Save truncates and writes the whole file: a second run leaves what the
// first left.
func (d *Deployer) Save(ctx context.Context, b []byte) error {
	f, err := os.OpenFile(d.Log, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(d.Log+".bak", b, 0o644); err != nil {
		return err
	}
	return d.notify(ctx)
}

// Move renames, then notifies: the retry's rename finds no file.
func (d *Deployer) Move(ctx context.Context, to string) error { // want Move:"writes package state; early"
	if err := os.Rename(d.Log, to); err != nil {
		return err
	}
	return d.notify(ctx)
}

// Clean removes with RemoveAll and makes with MkdirAll, which a second
// run leaves as the first did.
func (d *Deployer) Clean(ctx context.Context) error {
	if err := os.RemoveAll(d.Dir); err != nil {
		return err
	}
	if err := os.MkdirAll(d.Dir, 0o755); err != nil {
		return err
	}
	return d.notify(ctx)
}

// Mail sends a mail, then notifies: a retry sends it again.
func (d *Deployer) Mail(ctx context.Context) error { // want Mail:"writes package state; early"
	if err := smtp.SendMail("localhost:25", nil, "a@example.com", []string{"b@example.com"}, []byte("done")); err != nil {
		return err
	}
	return d.notify(ctx)
}
