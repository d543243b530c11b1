// Package retryablehttp is a minimal stand-in for
// github.com/hashicorp/go-retryablehttp v0.7.8, with its real signatures:
// its Client retries by construction.
package retryablehttp

import (
	"net/http"
	"net/url"
)

type Request struct{ *http.Request }

type Client struct {
	HTTPClient *http.Client
	RetryMax   int
}

func NewClient() *Client { return &Client{} }

func NewRequest(method, url string, rawBody interface{}) (*Request, error) { return nil, nil }

func (c *Client) Do(req *Request) (*http.Response, error) { return nil, nil }

func (c *Client) Get(url string) (*http.Response, error) { return nil, nil }

func (c *Client) Head(url string) (*http.Response, error) { return nil, nil }

func (c *Client) Post(url, bodyType string, body interface{}) (*http.Response, error) {
	return nil, nil
}

func (c *Client) PostForm(url string, data url.Values) (*http.Response, error) { return nil, nil }

func (c *Client) StandardClient() *http.Client { return &http.Client{} }

func Get(url string) (*http.Response, error) { return nil, nil }
