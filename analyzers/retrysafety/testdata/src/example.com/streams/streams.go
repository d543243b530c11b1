package streams // want package:"last values example.com/streams.emitter.buf, example.com/streams.handlerEmitter.buf"
// Package streams exercises the stream rule, which goes by type: a
// method named like a stream operation consumes or extends only a value
// that is or holds a stream, and a stream written deep inside callees is
// written by the call that reaches it.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"go/scanner"
	"io"
)

type Client struct {
	events EventStream
	gs     *scanner.Scanner
}

func (c *Client) send(ctx context.Context, b []byte) error { return ctx.Err() }

// Encoder writes to the caller's writer through an emitter, three calls
// down: Encode -> emit -> flush -> writeAll -> w.Write.
type Encoder struct{ em *emitter }

type emitter struct {
	w   io.Writer
	buf []byte
}

func NewEncoder(w io.Writer) *Encoder { return &Encoder{em: &emitter{w: w}} }

// Encode is refused, and the message names the write to the caller's
// writer rather than the emitter's buffer.
func (e *Encoder) Encode(v string) error { // want Encode:`writes receiver \(stream\); early` Encode:"reads example.com/streams.emitter.buf"
	return e.em.emit(v)
}

func (em *emitter) emit(v string) error { // want emit:`writes receiver \(stream\); early` emit:"reads example.com/streams.emitter.buf"
	em.buf = append(em.buf[:0], v...)
	return em.flush()
}

func (em *emitter) flush() error { // want flush:`writes receiver \(stream\); early` flush:"reads example.com/streams.emitter.buf"
	return writeAll(em.w, em.buf)
}

func writeAll(w io.Writer, b []byte) error { // want writeAll:`writes param 0 \(stream\); early`
	_, err := w.Write(b)
	return err
}

// PanicEncoder is yaml.v3's shape: its methods fail through panics that a
// deferred handler turns into the error, and its emitter writes through a
// function value it holds (write_handler), given the emitter itself.
type PanicEncoder struct{ em *handlerEmitter }

type handlerEmitter struct {
	out     io.Writer
	handler func(em *handlerEmitter, b []byte) error
	buf     []byte
}

func NewPanicEncoder(w io.Writer) *PanicEncoder {
	return &PanicEncoder{em: &handlerEmitter{out: w, handler: writeHandler}}
}

func writeHandler(em *handlerEmitter, b []byte) error { // want writeHandler:`writes param 0 \(stream\); early`
	_, err := em.out.Write(b)
	return err
}

type encodeError struct{ err error }

func handleErr(err *error) { // want handleErr:"writes param 0"
	if v := recover(); v != nil {
		if e, ok := v.(encodeError); ok {
			*err = e.err
			return
		}
		panic(v)
	}
}

// Encode is refused: emit writes to the caller's writer and may panic
// after it, which the deferred handler turns into Encode's error.
func (e *PanicEncoder) Encode(v string) (err error) { // want Encode:`writes receiver \(stream\); early` Encode:"reads example.com/streams.handlerEmitter.buf"
	defer handleErr(&err)
	e.em.emit(v)
	return nil
}

func (em *handlerEmitter) emit(v string) { // want emit:`writes receiver \(stream\)` emit:"reads example.com/streams.handlerEmitter.buf"
	em.buf = append(em.buf, v...)
	if !em.flush() {
		panic(encodeError{errors.New("write failed")})
	}
}

func (em *handlerEmitter) flush() bool { // want flush:`writes receiver \(stream\); early` flush:"reads example.com/streams.handlerEmitter.buf"
	if err := em.handler(em, em.buf); err != nil {
		return false
	}
	em.buf = em.buf[:0]
	return true
}

// Base64 encodes with a package-level codec into a buffer of its own:
// base64.StdEncoding holds no stream, whatever its Encode is called.
func (c *Client) Base64(ctx context.Context, src []byte) (string, error) {
	dst := make([]byte, base64.StdEncoding.EncodedLen(len(src)))
	base64.StdEncoding.Encode(dst, src)
	if err := c.send(ctx, dst); err != nil {
		return "", err
	}
	return string(dst), nil
}

// hexCodec is a codec of this package: its Encode writes the slice it is
// given, which the caller owns.
type hexCodec struct{ digits string }

var Hex = &hexCodec{digits: "0123456789abcdef"}

func (h *hexCodec) Encode(dst, src []byte) { // want Encode:"writes param 0"
	for i, b := range src {
		dst[2*i], dst[2*i+1] = h.digits[b>>4], h.digits[b&15]
	}
}

func (c *Client) HexSend(ctx context.Context, src []byte) error {
	dst := make([]byte, 2*len(src))
	Hex.Encode(dst, src)
	return c.send(ctx, dst)
}

// Buffered encodes into a bytes.Buffer it owns: nothing outlives the run.
func (c *Client) Buffered(ctx context.Context, v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	buf.WriteString("\n")
	if err := c.send(ctx, buf.Bytes()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Logger buffers in a bufio.Writer that wraps the caller's writer.
type Logger struct {
	bw *bufio.Writer
	c  *Client
}

// NewLogger counts as writing w: an opaque function given a writer may write it.
func NewLogger(w io.Writer) *Logger { return &Logger{bw: bufio.NewWriter(w)} } // want NewLogger:`writes param 0 \(stream\)`

// Log writes to the buffered writer before the call that can fail.
func (l *Logger) Log(ctx context.Context, msg string) error { // want Log:`writes receiver \(stream\); early`
	l.bw.WriteString(msg)
	if err := l.c.send(ctx, []byte(msg)); err != nil {
		return err
	}
	return l.bw.Flush()
}

// Sync flushes to the caller's writer in the call that fails.
func (l *Logger) Sync() error { // want Sync:`writes receiver \(stream\); early`
	return l.bw.Flush()
}

// EventStream is a message stream whose implementation is not known (a
// gRPC client stream): an interface with a stream method is a stream.
type EventStream interface {
	Recv() (string, error)
}

func (c *Client) NextEvent(ctx context.Context) (string, error) { // want NextEvent:`writes receiver \(stream\); early`
	return c.events.Recv()
}

// NextLiteral advances a scanner over memory before the call that can
// fail: a cursor, by its method's name, although it holds no stream.
func (c *Client) NextLiteral(ctx context.Context) (string, error) { // want NextLiteral:`writes receiver \(stream\); early`
	_, _, lit := c.gs.Scan()
	return lit, c.send(ctx, []byte(lit))
}
