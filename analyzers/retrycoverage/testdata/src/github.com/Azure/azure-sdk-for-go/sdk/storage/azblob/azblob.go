// Package azblob stands in for an Azure SDK client: each operation builds
// a request and sends it through the pipeline.
package azblob

import (
	"context"
	"net/http"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// Client is a storage client.
type Client struct {
	pl  runtime.Pipeline
	url string
}

// DeleteBlob deletes a blob.
func (c *Client) DeleteBlob(ctx context.Context, container, name string) (*http.Response, error) { // want DeleteBlob:"routed by exported.Pipeline.Do"
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.url+"/"+container+"/"+name, nil)
	if err != nil {
		return nil, err
	}
	return c.pl.Do(req)
}
