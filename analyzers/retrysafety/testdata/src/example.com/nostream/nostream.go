// Package nostream reads and writes package-level readers and writers that
// are no streams: crypto/rand.Reader, a source of random bytes without a
// position, so reading it again on a retry repeats nothing anyone can
// observe (gorilla/websocket's handshake key, mime/multipart's boundary),
// and io/ioutil.Discard, which is io.Discard (gorilla/websocket drains a
// frame into it). Other package-level readers stay streams.
package nostream

import (
	"context"
	"crypto/rand"
	"io"
	"io/ioutil"
	"net/http"
	"os"
)

type Client struct {
	hc *http.Client
}

// challengeKey is gorilla/websocket's generateChallengeKey.
func challengeKey() (string, error) {
	p := make([]byte, 16)
	if _, err := io.ReadFull(rand.Reader, p); err != nil {
		return "", err
	}
	return string(p), nil
}

func (c *Client) send(ctx context.Context, key string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://example.com/"+key, nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Dial reads a key through a helper, then sends: safe.
func (c *Client) Dial(ctx context.Context) error {
	key, err := challengeKey()
	if err != nil {
		return err
	}
	return c.send(ctx, key)
}

// Direct reads rand.Reader with its Read method, then sends: safe.
func (c *Client) Direct(ctx context.Context) error {
	p := make([]byte, 8)
	if _, err := rand.Reader.Read(p); err != nil {
		return err
	}
	return c.send(ctx, string(p))
}

// Drain discards a response it fetched through io/ioutil.Discard: safe.
func (c *Client) Drain(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://example.com/", nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(ioutil.Discard, resp.Body)
	return err
}

// Stdin reads os.Stdin, a stream a retry would not rewind: unsafe.
func (c *Client) Stdin(ctx context.Context) error { // want Stdin:`writes package state \(stream\); early`
	p := make([]byte, 8)
	if _, err := io.ReadFull(os.Stdin, p); err != nil {
		return err
	}
	return c.send(ctx, string(p))
}
