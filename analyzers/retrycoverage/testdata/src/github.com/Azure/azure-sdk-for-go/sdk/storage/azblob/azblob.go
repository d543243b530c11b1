// Package azblob stands in for an Azure SDK client: each operation builds
// a request and sends it through the pipeline.
package azblob

import (
	"context"
	"encoding/json"
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

// ListResponse is a page of blob names.
type ListResponse struct {
	Names []string
	Next  string
}

// NewListPager lists the blobs of container, a page per request.
func (c *Client) NewListPager(container string) *runtime.Pager[ListResponse] { // want NewListPager:`returns a retrying sender \(runtime\)`
	marker := ""
	return runtime.NewPager(runtime.PagingHandler[ListResponse]{
		More: func(page ListResponse) bool { return page.Next != "" },
		Fetcher: func(ctx context.Context, page *ListResponse) (ListResponse, error) {
			if page != nil {
				marker = page.Next
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.url+"/"+container+"?comp=list&marker="+marker, nil)
			if err != nil {
				return ListResponse{}, err
			}
			resp, err := c.pl.Do(req)
			if err != nil {
				return ListResponse{}, err
			}
			defer resp.Body.Close()
			var out ListResponse
			return out, json.NewDecoder(resp.Body).Decode(&out)
		},
	})
}
