// Package store is a hand-written wrapper of an S3 client and the
// transfer manager's Uploader, as a service would have one.
package store

import (
	"bytes"
	"context"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Store keeps objects in one S3 bucket.
type Store struct {
	Client   *s3.Client
	Uploader *manager.Uploader
	Bucket   string
}

// Put uploads what r holds under key: one PutObject for a small body, a
// multipart upload (in parts of the Uploader's PartSize) for a large one.
func (s *Store) Put(ctx context.Context, key string, r io.Reader) error {
	_, err := s.Uploader.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(key), Body: r})
	return err
}

// PutBytes uploads b under key.
func (s *Store) PutBytes(ctx context.Context, key string, b []byte) error {
	return s.Put(ctx, key, bytes.NewReader(b))
}

// Get returns the content of the object key.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	out, err := s.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(key)})
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}

// Delete removes the object key.
func (s *Store) Delete(ctx context.Context, key string) error {
	_, err := s.Client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(key)})
	return err
}

// List returns the keys under prefix, all pages of them.
func (s *Store) List(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	p := s3.NewListObjectsV2Paginator(s.Client, &s3.ListObjectsV2Input{Bucket: aws.String(s.Bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys, nil
}
