// Package dynamic has calls through function values: their bodies are not
// known, so a pointer to state that outlives the run passed to one may be
// written (msgpack's Decoder.DecodeValue hands the decoder to a decoder
// function looked up by type).
package dynamic

import (
	"bufio"
	"context"
	"reflect"
)

type decoderFunc func(*Decoder, reflect.Value) error

type Decoder struct {
	r     *bufio.Reader
	funcs map[reflect.Type]decoderFunc
	hook  func(*Request) error
	check func([]byte) error
	buf   []byte
}

type Request struct{ N int }

func (d *Decoder) lookup(t reflect.Type) decoderFunc { return d.funcs[t] }

// DecodeValue hands the decoder, with its stream, to a function value.
func (d *Decoder) DecodeValue(v reflect.Value) error { // want DecodeValue:`writes receiver \(stream\); early`
	decode := d.lookup(v.Type())
	return decode(d, v)
}

// Decode calls DecodeValue: unsafe through its fact.
func (d *Decoder) Decode(v any) error { // want Decode:`writes receiver \(stream\); early`
	return d.DecodeValue(reflect.ValueOf(v))
}

// Field calls a function value held in a field with the receiver.
func (d *Decoder) Field(v reflect.Value) error { // want Field:`writes receiver \(stream\); early`
	return d.funcs[v.Type()](d, v)
}

// Fresh hands the hook a value made in the body: nothing outlives the run.
func (d *Decoder) Fresh(ctx context.Context) error {
	req := &Request{N: 1}
	if err := d.hook(req); err != nil {
		return err
	}
	return ctx.Err()
}

// Param hands the hook the caller's pointer, before the call that can fail.
func (d *Decoder) Param(ctx context.Context, req *Request) error { // want Param:"writes param 1; early"
	if err := d.hook(req); err != nil {
		return err
	}
	return ctx.Err()
}

// Bytes hands a function value a slice it holds: read, not written.
func (d *Decoder) Bytes() error {
	return d.check(d.buf)
}

// Literal calls a function literal on the spot with the receiver: its body
// is visited where it appears and writes nothing.
func (d *Decoder) Literal(ctx context.Context) error {
	return func(x *Decoder) error { return ctx.Err() }(d)
}
