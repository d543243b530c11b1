// Package blobstore is a hand-written wrapper of the Azure Blob Storage
// client (azblob), as a service would have one.
package blobstore

import (
	"bytes"
	"context"
	"io"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
)

// Store keeps blobs in one container.
type Store struct {
	Client    *azblob.Client
	Container string
}

// Put uploads what r holds as blob name, in blocks (UploadStream: a
// StageBlock per block, then CommitBlockList).
func (s *Store) Put(ctx context.Context, name string, r io.Reader) error {
	_, err := s.Client.UploadStream(ctx, s.Container, name, r, &azblob.UploadStreamOptions{BlockSize: 4 << 20})
	return err
}

// PutBytes uploads b as blob name (UploadBuffer).
func (s *Store) PutBytes(ctx context.Context, name string, b []byte) error {
	_, err := s.Client.UploadBuffer(ctx, s.Container, name, b, nil)
	return err
}

// PutOnce uploads b in one Put Blob request through the block blob client.
func (s *Store) PutOnce(ctx context.Context, name string, b []byte) error {
	bb := s.Client.ServiceClient().NewContainerClient(s.Container).NewBlockBlobClient(name)
	_, err := bb.Upload(ctx, streamingNopCloser{bytes.NewReader(b)}, &blockblob.UploadOptions{})
	return err
}

// Get returns the content of blob name.
func (s *Store) Get(ctx context.Context, name string) ([]byte, error) {
	res, err := s.Client.DownloadStream(ctx, s.Container, name, nil)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	return io.ReadAll(res.Body)
}

// Delete removes blob name.
func (s *Store) Delete(ctx context.Context, name string) error {
	_, err := s.Client.DeleteBlob(ctx, s.Container, name, nil)
	return err
}

// List returns the names of the blobs under prefix, all pages of them.
func (s *Store) List(ctx context.Context, prefix string) ([]string, error) {
	var names []string
	pager := s.Client.NewListBlobsFlatPager(s.Container, &container.ListBlobsFlatOptions{Prefix: to.Ptr(prefix)})
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, b := range page.Segment.BlobItems {
			names = append(names, *b.Name)
		}
	}
	return names, nil
}

// streamingNopCloser makes a bytes.Reader an io.ReadSeekCloser.
type streamingNopCloser struct{ *bytes.Reader }

func (streamingNopCloser) Close() error { return nil }
