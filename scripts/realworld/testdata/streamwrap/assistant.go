// Package assistant is a hand-written service over two streaming SDKs
// that expose streams as Go 1.23 iterators (iter.Seq2[T, error]): a chat
// API's SDK (chatsdk.go, an SSE body) and Google's genai
// (Models.GenerateContentStream). Its methods range over a stream and
// write each chunk to the caller's io.Writer, append it to a field, or
// return the collected text.
package assistant

import (
	"context"
	"io"
	"strings"

	"google.golang.org/genai"
)

// Assistant answers prompts through the chat API.
type Assistant struct {
	Chat       *ChatClient
	transcript []string // every chunk received, in order
}

// WriteTo streams the answer to prompt into w as it arrives.
func (a *Assistant) WriteTo(ctx context.Context, prompt string, w io.Writer) error {
	for ch, err := range a.Chat.Stream(ctx, prompt) {
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, ch.Text); err != nil {
			return err
		}
	}
	return nil
}

// Record streams the answer to prompt into the assistant's transcript.
func (a *Assistant) Record(ctx context.Context, prompt string) error {
	for ch, err := range a.Chat.Stream(ctx, prompt) {
		if err != nil {
			return err
		}
		a.transcript = append(a.transcript, ch.Text)
	}
	return nil
}

// Converse checks the API, then streams the answer to prompt into the
// transcript.
func (a *Assistant) Converse(ctx context.Context, prompt string) error {
	if err := a.Chat.Ping(ctx); err != nil {
		return err
	}
	for ch, err := range a.Chat.Stream(ctx, prompt) {
		if err != nil {
			return err
		}
		a.transcript = append(a.transcript, ch.Text)
	}
	return nil
}

// Transcript returns what Record received.
func (a *Assistant) Transcript() string { return strings.Join(a.transcript, "") }

// Answer returns the whole answer to prompt.
func (a *Assistant) Answer(ctx context.Context, prompt string) (string, error) {
	var b strings.Builder
	for ch, err := range a.Chat.Stream(ctx, prompt) {
		if err != nil {
			return "", err
		}
		b.WriteString(ch.Text)
	}
	return b.String(), nil
}

// Gemini answers prompts through genai.
type Gemini struct {
	Client *genai.Client
	Model  string
}

// Answer returns the whole answer to prompt.
func (g *Gemini) Answer(ctx context.Context, prompt string) (string, error) {
	var b strings.Builder
	for resp, err := range g.Client.Models.GenerateContentStream(ctx, g.Model, genai.Text(prompt), nil) {
		if err != nil {
			return "", err
		}
		b.WriteString(resp.Text())
	}
	return b.String(), nil
}

// WriteTo streams the answer to prompt into w as it arrives.
func (g *Gemini) WriteTo(ctx context.Context, prompt string, w io.Writer) error {
	for resp, err := range g.Client.Models.GenerateContentStream(ctx, g.Model, genai.Text(prompt), nil) {
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, resp.Text()); err != nil {
			return err
		}
	}
	return nil
}
