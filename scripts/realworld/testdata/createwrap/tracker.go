// Package tracker is a service's own wrapper of issue trackers, written
// the way a user would write one: Tracker over go-github, Desk over a
// hand-written client shaped like an SDK's (desk.go).
package tracker

import (
	"context"

	"github.com/google/go-github/v75/github"
)

// Tracker files issues in one GitHub repository.
type Tracker struct {
	gh          *github.Client
	owner, repo string
}

// New returns a Tracker of owner/repo.
func New(gh *github.Client, owner, repo string) *Tracker {
	return &Tracker{gh: gh, owner: owner, repo: repo}
}

// CreateAndLabel opens an issue, then labels it: two requests, the first
// a POST that creates.
func (t *Tracker) CreateAndLabel(ctx context.Context, title string, labels []string) (int, error) {
	is, _, err := t.gh.Issues.Create(ctx, t.owner, t.repo, &github.IssueRequest{Title: &title})
	if err != nil {
		return 0, err
	}
	if _, _, err := t.gh.Issues.AddLabelsToIssue(ctx, t.owner, t.repo, is.GetNumber(), labels); err != nil {
		return 0, err
	}
	return is.GetNumber(), nil
}

// Create opens an issue: one POST.
func (t *Tracker) Create(ctx context.Context, title string) (int, error) {
	is, _, err := t.gh.Issues.Create(ctx, t.owner, t.repo, &github.IssueRequest{Title: &title})
	if err != nil {
		return 0, err
	}
	return is.GetNumber(), nil
}

// CopyIssue reads issue n, then opens a copy of it: the POST is the last
// request.
func (t *Tracker) CopyIssue(ctx context.Context, n int) (int, error) {
	old, _, err := t.gh.Issues.Get(ctx, t.owner, t.repo, n)
	if err != nil {
		return 0, err
	}
	title := old.GetTitle() + " (copy)"
	is, _, err := t.gh.Issues.Create(ctx, t.owner, t.repo, &github.IssueRequest{Title: &title})
	if err != nil {
		return 0, err
	}
	return is.GetNumber(), nil
}
