package assistant

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
)

// The shape modern SDKs give streams (written here as a chat API's SDK
// would be): Stream sends the request when the range starts and yields
// each server-sent event's chunk, or the error that ended the stream.

// ChatClient is a chat API's SDK client.
type ChatClient struct {
	BaseURL string
	HTTP    *http.Client
}

// Chunk is one piece of a streamed answer.
type Chunk struct {
	Text string `json:"text"`
}

// StatusError is an answer with a status other than 200.
type StatusError struct{ Code int }

func (e *StatusError) Error() string { return fmt.Sprintf("chat: status %d", e.Code) }

// StatusCode returns the HTTP status.
func (e *StatusError) StatusCode() int { return e.Code }

// Ping checks that the API answers.
func (c *ChatClient) Ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL+"/v1/ping", nil)
	if err != nil {
		return err
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return &StatusError{Code: resp.StatusCode}
	}
	return nil
}

// Stream asks prompt and yields the answer's chunks as they arrive.
func (c *ChatClient) Stream(ctx context.Context, prompt string) iter.Seq2[Chunk, error] {
	return func(yield func(Chunk, error) bool) {
		body, _ := json.Marshal(map[string]string{"prompt": prompt})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.BaseURL+"/v1/chat:stream", bytes.NewReader(body))
		if err != nil {
			yield(Chunk{}, err)
			return
		}
		resp, err := c.HTTP.Do(req)
		if err != nil {
			yield(Chunk{}, err)
			return
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			yield(Chunk{}, &StatusError{Code: resp.StatusCode})
			return
		}
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			data, ok := bytes.CutPrefix(sc.Bytes(), []byte("data: "))
			if !ok {
				continue
			}
			if string(data) == "[DONE]" {
				return
			}
			var ch Chunk
			if err := json.Unmarshal(data, &ch); err != nil {
				yield(Chunk{}, err)
				return
			}
			if !yield(ch, nil) {
				return
			}
		}
		if err := sc.Err(); err != nil {
			yield(Chunk{}, err)
		}
	}
}
