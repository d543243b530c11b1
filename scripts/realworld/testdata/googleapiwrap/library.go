// Package docs is a hand-written wrapper of two Google API clients, as a
// Go team would have them: Drive's generated REST client
// (google.golang.org/api/drive/v3: Do, Pages, Media) behind Library, and
// Cloud Monitoring's generated gRPC client
// (cloud.google.com/go/monitoring/apiv3/v2, retries through gax) behind
// Metrics.
package docs

import (
	"context"
	"io"

	"google.golang.org/api/drive/v3"
)

// Library keeps a team's documents in Drive.
type Library struct {
	Svc *drive.Service
	// Listed counts the files Count has seen, across calls.
	Listed int
}

// Upload creates the file name with what r yields and returns its id.
func (l *Library) Upload(ctx context.Context, name string, r io.Reader) (string, error) {
	f, err := l.Svc.Files.Create(&drive.File{Name: name}).Media(r).Context(ctx).Do()
	if err != nil {
		return "", err
	}
	return f.Id, nil
}

// Mkdir creates the folder name and returns its id.
func (l *Library) Mkdir(ctx context.Context, name string) (string, error) {
	f, err := l.Svc.Files.Create(&drive.File{Name: name, MimeType: "application/vnd.google-apps.folder"}).Context(ctx).Do()
	if err != nil {
		return "", err
	}
	return f.Id, nil
}

// Get returns the metadata of the file id.
func (l *Library) Get(ctx context.Context, id string) (*drive.File, error) {
	return l.Svc.Files.Get(id).Context(ctx).Do()
}

// Download returns the contents of the file id.
func (l *Library) Download(ctx context.Context, id string) ([]byte, error) {
	resp, err := l.Svc.Files.Get(id).Context(ctx).Download()
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Rename renames the file id.
func (l *Library) Rename(ctx context.Context, id, name string) error {
	_, err := l.Svc.Files.Update(id, &drive.File{Name: name}).Context(ctx).Do()
	return err
}

// Trash deletes the file id.
func (l *Library) Trash(ctx context.Context, id string) error {
	return l.Svc.Files.Delete(id).Context(ctx).Do()
}

// Names returns the names of the files matching q, over all pages.
func (l *Library) Names(ctx context.Context, q string) ([]string, error) {
	var names []string
	err := l.Svc.Files.List().Q(q).Pages(ctx, func(page *drive.FileList) error {
		for _, f := range page.Files {
			names = append(names, f.Name)
		}
		return nil
	})
	return names, err
}

// Each hands the name of each file matching q to fn, over all pages.
func (l *Library) Each(ctx context.Context, q string, fn func(name string) error) error {
	return l.Svc.Files.List().Q(q).Pages(ctx, func(page *drive.FileList) error {
		for _, f := range page.Files {
			if err := fn(f.Name); err != nil {
				return err
			}
		}
		return nil
	})
}

// Count adds the number of files matching q to l.Listed.
func (l *Library) Count(ctx context.Context, q string) error {
	return l.Svc.Files.List().Q(q).Pages(ctx, func(page *drive.FileList) error {
		l.Listed += len(page.Files)
		return nil
	})
}

// Share gives email read access to the file id and returns the file's
// link (a second request once the permission is created).
func (l *Library) Share(ctx context.Context, id, email string) (string, error) {
	_, err := l.Svc.Permissions.Create(id, &drive.Permission{Type: "user", Role: "reader", EmailAddress: email}).Context(ctx).Do()
	if err != nil {
		return "", err
	}
	f, err := l.Svc.Files.Get(id).Fields("webViewLink").Context(ctx).Do()
	if err != nil {
		return "", err
	}
	return f.WebViewLink, nil
}

// Export returns the file id exported as PDF.
func (l *Library) Export(ctx context.Context, id string) ([]byte, error) {
	resp, err := l.Svc.Files.Export(id, "application/pdf").Context(ctx).Download()
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Changes holds a change feed's cursor across calls.
type Changes struct {
	Svc   *drive.Service
	Token string
	// Applied counts the changes handed to Sync's callers.
	Applied int
}

// Sync reads the changes since c.Token, page by page, moving c.Token on
// after each page.
func (c *Changes) Sync(ctx context.Context) error {
	for c.Token != "" {
		cl, err := c.Svc.Changes.List(c.Token).Context(ctx).Do()
		if err != nil {
			return err
		}
		c.Applied += len(cl.Changes)
		if cl.NextPageToken == "" {
			c.Token = ""
			return nil
		}
		c.Token = cl.NextPageToken
	}
	return nil
}

// IDs returns the ids of all files, reading the pages by hand.
func (l *Library) IDs(ctx context.Context) ([]string, error) {
	var ids []string
	token := ""
	for {
		fl, err := l.Svc.Files.List().PageToken(token).Context(ctx).Do()
		if err != nil {
			return nil, err
		}
		for _, f := range fl.Files {
			ids = append(ids, f.Id)
		}
		if fl.NextPageToken == "" {
			return ids, nil
		}
		token = fl.NextPageToken
	}
}
