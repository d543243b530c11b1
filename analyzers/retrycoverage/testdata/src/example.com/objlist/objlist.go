// Package objlist reproduces how cloud.google.com/go/storage lists // want package:"retrying impls httpStorageClient.ListObjects"
// objects: the client behind an interface (storageClient) builds an
// ObjectIterator whose nextFunc field is set, with its pageInfo, by one
// tuple assignment from iterator.NewPageInfo(fetch, ...), and fetch sends
// each page request through the package's retry loop (run). Next calls
// it.nextFunc(), so a retry around a caller of Next nests run's.
package objlist

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"time"

	"google.golang.org/api/iterator"
)

type retryConfig struct{ maxAttempts int }

// ShouldRetry reports whether err is worth another attempt.
func ShouldRetry(err error) bool {
	var ne net.Error
	return errors.As(err, &ne)
}

// run calls call until it succeeds, fails for good or runs out of
// attempts, as storage's run does.
func run(ctx context.Context, call func(context.Context) error, retry *retryConfig) error { // want run:"waits" run:"routed by its own retry at objlist.go:32"
	attempts := 1
	for {
		err := call(ctx)
		if err == nil {
			return nil
		}
		if attempts >= retry.maxAttempts || !ShouldRetry(err) {
			return err
		}
		attempts++
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
}

// ObjectAttrs describes one object.
type ObjectAttrs struct{ Name string }

type objects struct {
	Items         []*ObjectAttrs
	NextPageToken string
}

type storageClient interface {
	ListObjects(ctx context.Context, bucket, prefix string) *ObjectIterator
	ListOnce(ctx context.Context, bucket, prefix string) *ObjectIterator
}

type httpStorageClient struct {
	hc       *http.Client
	endpoint string
	retry    *retryConfig
}

func (c *httpStorageClient) list(ctx context.Context, bucket, pageToken string) (*objects, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint+"/b/"+bucket+"/o?pageToken="+pageToken, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out objects
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListObjects pages through run: each page request is retried.
func (c *httpStorageClient) ListObjects(ctx context.Context, bucket, prefix string) *ObjectIterator { // want ListObjects:"nests"
	it := &ObjectIterator{}
	fetch := func(pageSize int, pageToken string) (string, error) {
		var resp *objects
		err := run(ctx, func(ctx context.Context) error {
			var err error
			resp, err = c.list(ctx, bucket, pageToken)
			return err
		}, c.retry)
		if err != nil {
			return "", err
		}
		it.items = append(it.items, resp.Items...)
		return resp.NextPageToken, nil
	}
	it.pageInfo, it.nextFunc = iterator.NewPageInfo(
		fetch,
		func() int { return len(it.items) },
		func() interface{} { b := it.items; it.items = nil; return b })
	return it
}

// ListOnce pages without retries, into an iterator of another type.
func (c *httpStorageClient) ListOnce(ctx context.Context, bucket, prefix string) *ObjectIterator {
	it := &ObjectIterator{}
	o := &OnceIterator{}
	fetch := func(pageSize int, pageToken string) (string, error) {
		resp, err := c.list(ctx, bucket, pageToken)
		if err != nil {
			return "", err
		}
		o.items = append(o.items, resp.Items...)
		return resp.NextPageToken, nil
	}
	o.pageInfo, o.nextFunc = iterator.NewPageInfo(
		fetch,
		func() int { return len(o.items) },
		func() interface{} { b := o.items; o.items = nil; return b })
	it.once = o
	return it
}

// ObjectIterator iterates over the objects of a listing.
type ObjectIterator struct {
	items    []*ObjectAttrs
	pageInfo *iterator.PageInfo
	nextFunc func() error
	once     *OnceIterator
}

// Next returns the next object, fetching a page when none is buffered.
func (it *ObjectIterator) Next() (*ObjectAttrs, error) { // want Next:"nests"
	if err := it.nextFunc(); err != nil {
		return nil, err
	}
	item := it.items[0]
	it.items = it.items[1:]
	return item, nil
}

// OnceIterator iterates over a listing whose pages are fetched once.
type OnceIterator struct {
	items    []*ObjectAttrs
	pageInfo *iterator.PageInfo
	nextFunc func() error
}

// Next returns the next object; its fetch does not retry.
func (it *OnceIterator) Next() (*ObjectAttrs, error) {
	if err := it.nextFunc(); err != nil {
		return nil, err
	}
	item := it.items[0]
	it.items = it.items[1:]
	return item, nil
}

// Client is the entry point.
type Client struct{ tc storageClient }

// NewClient returns a client sending to endpoint.
func NewClient(endpoint string) *Client {
	return &Client{tc: &httpStorageClient{hc: http.DefaultClient, endpoint: endpoint, retry: &retryConfig{maxAttempts: 3}}}
}

// BucketHandle names a bucket.
type BucketHandle struct {
	c    *Client
	name string
}

// Bucket returns a handle for the bucket name.
func (c *Client) Bucket(name string) *BucketHandle { return &BucketHandle{c: c, name: name} }

// Objects lists the bucket's objects whose names start with prefix.
func (b *BucketHandle) Objects(ctx context.Context, prefix string) *ObjectIterator { // want Objects:"nests"
	return b.c.tc.ListObjects(ctx, b.name, prefix)
}

// ObjectsOnce lists without retries.
func (b *BucketHandle) ObjectsOnce(ctx context.Context, prefix string) *OnceIterator {
	return b.c.tc.ListOnce(ctx, b.name, prefix).once
}
