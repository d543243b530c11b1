// Package deploy is a service's own wrapper of go-tfe, as a team that
// drives Terraform Cloud from a deploy tool would write one: a Deployer
// over a *tfe.Client whose methods find workspaces, list their variables
// page by page, upload configuration and queue runs. go-tfe sends every
// request through go-retryablehttp (429 always, 5xx and transport errors
// with RetryServerErrors), which resilience-lint must not nest.
package deploy

import (
	"bytes"
	"context"
	"errors"
	"io"

	tfe "github.com/hashicorp/go-tfe"
)

// Deployer drives one organization's workspaces.
type Deployer struct {
	c   *tfe.Client
	org string
}

// New returns a Deployer over c for the organization org.
func New(c *tfe.Client, org string) *Deployer { return &Deployer{c: c, org: org} }

// Workspace reads a workspace by name.
func (d *Deployer) Workspace(ctx context.Context, name string) (*tfe.Workspace, error) {
	return d.c.Workspaces.Read(ctx, d.org, name)
}

// EnsureWorkspace reads a workspace, creating it when it does not exist.
func (d *Deployer) EnsureWorkspace(ctx context.Context, name string) (*tfe.Workspace, error) {
	ws, err := d.c.Workspaces.Read(ctx, d.org, name)
	if errors.Is(err, tfe.ErrResourceNotFound) {
		return d.c.Workspaces.Create(ctx, d.org, tfe.WorkspaceCreateOptions{Name: tfe.String(name)})
	}
	return ws, err
}

// Vars lists every variable of a workspace, page by page.
func (d *Deployer) Vars(ctx context.Context, wsID string) ([]*tfe.Variable, error) {
	var all []*tfe.Variable
	opts := &tfe.VariableListOptions{ListOptions: tfe.ListOptions{PageNumber: 1, PageSize: 100}}
	for {
		page, err := d.c.Variables.List(ctx, wsID, opts)
		if err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if page.Pagination == nil || page.NextPage == 0 {
			return all, nil
		}
		opts.PageNumber = page.NextPage
	}
}

// Upload creates a configuration version and uploads a tarball read from
// archive.
func (d *Deployer) Upload(ctx context.Context, wsID string, archive io.Reader) (*tfe.ConfigurationVersion, error) {
	cv, err := d.c.ConfigurationVersions.Create(ctx, wsID, tfe.ConfigurationVersionCreateOptions{AutoQueueRuns: tfe.Bool(false)})
	if err != nil {
		return nil, err
	}
	if err := d.c.ConfigurationVersions.UploadTarGzip(ctx, cv.UploadURL, archive); err != nil {
		return nil, err
	}
	return cv, nil
}

// UploadBytes is Upload of a tarball in memory.
func (d *Deployer) UploadBytes(ctx context.Context, wsID string, tarball []byte) (*tfe.ConfigurationVersion, error) {
	return d.Upload(ctx, wsID, bytes.NewReader(tarball))
}

// Queue starts a run of a configuration version.
func (d *Deployer) Queue(ctx context.Context, wsID, cvID string) (*tfe.Run, error) {
	return d.c.Runs.Create(ctx, tfe.RunCreateOptions{
		Workspace:            &tfe.Workspace{ID: wsID},
		ConfigurationVersion: &tfe.ConfigurationVersion{ID: cvID},
	})
}

// Put sends a stream to an API path go-tfe has no method for, through the
// client's own request builder.
func (d *Deployer) Put(ctx context.Context, path string, body io.Reader) error {
	req, err := d.c.NewRequest("PUT", path, body)
	if err != nil {
		return err
	}
	return req.Do(ctx, nil)
}
