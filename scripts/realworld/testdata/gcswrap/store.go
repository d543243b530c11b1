// Package blob is a hand-written wrapper of a Cloud Storage client, as a
// service would have one.
package blob

import (
	"context"
	"errors"
	"io"

	"cloud.google.com/go/storage"
	"google.golang.org/api/iterator"
)

// Store keeps objects in one bucket.
type Store struct {
	Client *storage.Client
	Bucket string
}

// Put uploads what r yields as the object name, overwriting it.
func (s *Store) Put(ctx context.Context, name string, r io.Reader) error {
	w := s.Client.Bucket(s.Bucket).Object(name).NewWriter(ctx)
	if _, err := io.Copy(w, r); err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}

// Create uploads what r yields as the object name if no such object
// exists yet (a precondition, which makes the upload idempotent to the
// SDK).
func (s *Store) Create(ctx context.Context, name string, r io.Reader) error {
	w := s.Client.Bucket(s.Bucket).Object(name).If(storage.Conditions{DoesNotExist: true}).NewWriter(ctx)
	if _, err := io.Copy(w, r); err != nil {
		_ = w.Close()
		return err
	}
	return w.Close()
}

// Get returns the contents of the object name.
func (s *Store) Get(ctx context.Context, name string) ([]byte, error) {
	r, err := s.Client.Bucket(s.Bucket).Object(name).NewReader(ctx)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// Size returns the size of the object name.
func (s *Store) Size(ctx context.Context, name string) (int64, error) {
	attrs, err := s.Client.Bucket(s.Bucket).Object(name).Attrs(ctx)
	if err != nil {
		return 0, err
	}
	return attrs.Size, nil
}

// Delete deletes the object name.
func (s *Store) Delete(ctx context.Context, name string) error {
	return s.Client.Bucket(s.Bucket).Object(name).Delete(ctx)
}

// List returns the names of the objects whose names start with prefix.
func (s *Store) List(ctx context.Context, prefix string) ([]string, error) {
	it := s.Client.Bucket(s.Bucket).Objects(ctx, &storage.Query{Prefix: prefix})
	var names []string
	for {
		attrs, err := it.Next()
		if errors.Is(err, iterator.Done) {
			return names, nil
		}
		if err != nil {
			return nil, err
		}
		names = append(names, attrs.Name)
	}
}

// Label sets the metadata key to value on the object name.
func (s *Store) Label(ctx context.Context, name, key, value string) error {
	_, err := s.Client.Bucket(s.Bucket).Object(name).Update(ctx, storage.ObjectAttrsToUpdate{Metadata: map[string]string{key: value}})
	return err
}

// Copy copies the object src to dst.
func (s *Store) Copy(ctx context.Context, src, dst string) error {
	b := s.Client.Bucket(s.Bucket)
	_, err := b.Object(dst).CopierFrom(b.Object(src)).Run(ctx)
	return err
}
