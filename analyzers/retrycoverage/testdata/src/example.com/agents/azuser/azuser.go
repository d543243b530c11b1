// Package azuser is an agent built on an Azure SDK client, whose requests
// go through azcore's pipeline and its retry policy.
package azuser

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
)

// Store keeps blobs in one container.
type Store struct {
	c         *azblob.Client
	container string
}

// Delete only calls the SDK, which retries through the pipeline: no
// retry of its own around the SDK's.
func (s *Store) Delete(ctx context.Context, name string) error { // want Delete:"routed by exported.Pipeline.Do"
	_, err := s.c.DeleteBlob(ctx, s.container, name)
	return err
}

// List walks the pages of the container: each NextPage sends through the
// pipeline, so no retry of its own around the SDK's.
func (s *Store) List(ctx context.Context) ([]string, error) { // want List:"routed by runtime.Pager.NextPage"
	var names []string
	pager := s.c.NewListPager(s.container)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		names = append(names, page.Names...)
	}
	return names, nil
}
