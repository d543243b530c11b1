// Package unsafe holds agent methods whose bodies are not safe to run
// twice (retrysafety): -fix refuses them with the statement that makes
// them unsafe. The safe ones get the ordinary message.
package unsafe

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
)

// Decoder is an agent reading documents.
type Decoder struct {
	offset int
	dec    *json.Decoder
	seen   map[string]bool
}

func (d *Decoder) next(ctx context.Context) (string, error) {
	_, err := os.Stat("next")
	return "", err
}

func (d *Decoder) list(ctx context.Context, token string) ([]string, string, error) {
	_, err := os.Stat(token)
	return nil, "", err
}

// Skip advances the offset before the call that can fail: the fix keeps
// that statement outside the retry, so it still runs once.
func (d *Decoder) Skip(ctx context.Context) (string, error) { // want Skip:"unrouted" `^Decoder.Skip returns an error but is not routed through runtime/recovery; -fix retries only the statements after decode.go:34, as it increments d.offset at decode.go:34 before the call that can fail \(d.next at decode.go:35\); a retry would repeat it \(run resilience-lint -fix`
	d.offset++
	return d.next(ctx)
}

// Mark records what it saw after the call that can fail: safe.
func (d *Decoder) Mark(ctx context.Context) (string, error) { // want Mark:"unrouted" `^Decoder.Mark returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	s, err := d.next(ctx)
	if err != nil {
		return "", err
	}
	d.seen[s] = true
	return s, nil
}

// Doc reads the next document from the stream held in the receiver.
func (d *Decoder) Doc(ctx context.Context) (map[string]any, error) { // want `-fix cannot rewrite it: it reads d.dec \(Decode\) at decode.go:51 in d.dec.Decode, a call that can fail; a stream is not rewound, so a retry would not read the same data again \(retry around re-opening the stream instead, or mark the method //resilience:noretry <reason>\)$`
	var v map[string]any
	err := d.dec.Decode(&v)
	return v, err
}

// All pages through a listing with a cursor.
func (d *Decoder) All(ctx context.Context) ([]string, error) { // want `-fix cannot rewrite it: it carries token from one iteration of the loop at decode.go:59 to the next \(set at decode.go:65 from what a call that can fail returned, read by d.list at decode.go:60\); a retry would restart the loop from its first iteration \(route the call made in each iteration instead, or mark the method //resilience:noretry <reason>\)$`
	var all []string
	token := ""
	for {
		page, next, err := d.list(ctx, token)
		if err != nil || next == "" {
			return append(all, page...), err
		}
		all = append(all, page...)
		token = next
	}
}

// Upload is one-shot: its request's body is drained by the first attempt
// (targets.OneShot names the field).
func (d *Decoder) Upload(ctx context.Context, req *http.Request) error { // want `-fix cannot rewrite it: it passes req to http.DefaultClient.Do, which may consume req.Body, an io.Reader that is not an io.Seeker, so a retry would read a drained input`
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Put sends a body it holds in a parameter struct.
func (d *Decoder) Put(ctx context.Context, in Input) error { // want `-fix cannot rewrite it: it consumes in.Body, an io.Reader that is not an io.Seeker \(a field of the parameter in\)`
	_, err := io.Copy(io.Discard, in.Body)
	return err
}

// PutSeeker's body can be read again from its start: not one-shot.
func (d *Decoder) PutSeeker(ctx context.Context, in SeekInput) (string, error) { // want PutSeeker:"unrouted" `^Decoder.PutSeeker returns an error but is not routed through runtime/recovery \(run`
	if _, err := in.Body.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	return d.next(ctx)
}

// Input carries a one-shot body.
type Input struct {
	Name string
	Body io.Reader
}

// SeekInput carries a body that seeks.
type SeekInput struct {
	Body io.ReadSeeker
}

// SkipLate advances the offset between two calls that can fail: no part
// of it can run once outside a retry, so -fix refuses it.
func (d *Decoder) SkipLate(ctx context.Context) (string, error) { // want `^Decoder.SkipLate returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it increments d.offset at decode.go:\d+ before the call that can fail \(d.next at decode.go:\d+\); a retry would repeat it \(move that effect after the call that can fail or route that call alone, or mark the method //resilience:noretry <reason>\)$`
	if _, err := d.next(ctx); err != nil {
		return "", err
	}
	d.offset++
	return d.next(ctx)
}
