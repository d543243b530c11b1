package broker_test

// A probe of the real-world sweep: counts the AMQP frames each call of
// the hand-written wrapper (broker.go) writes, and what the broker
// receives, for each kind of failure, before and after resilience-lint
// -fix. amqp091-go does not retry: a failed write shuts the connection
// down (every later call on it fails with ErrClosed, "channel/connection
// is not open"), and a publish or an acknowledgement is not idempotent:
// sent twice, a message is delivered twice, and an acknowledgement of a
// delivery tag the channel no longer knows makes the broker close the
// channel (PRECONDITION_FAILED). A retry of ours around them can only
// write again on a dead connection, or, had the first write reached the
// broker, repeat what it did.
//
// The broker is a fake over net.Pipe (amqp.Config.Dial), just enough of
// AMQP 0-9-1 for the calls: the handshake, channel.open,
// exchange.declare, basic.consume with one delivery, basic.publish and
// basic.ack. Failures: "ok"; "reset" (the write of the call's frame fails
// with ECONNRESET and sends nothing); "sent-reset" (the frame reaches the
// broker, then the write reports ECONNRESET); "refused" (Dial fails with
// ECONNREFUSED). It asserts nothing: the sweep compares the PROBE lines
// of the two runs.

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"example.com/broker"
	amqp "github.com/rabbitmq/amqp091-go"
)

// Method names by class and method id.
var methods = map[[2]uint16]string{
	{10, 11}: "connection.start-ok", {10, 31}: "connection.tune-ok", {10, 40}: "connection.open",
	{10, 50}: "connection.close", {10, 51}: "connection.close-ok",
	{20, 10}: "channel.open", {20, 40}: "channel.close", {20, 41}: "channel.close-ok",
	{40, 10}: "exchange.declare", {60, 20}: "basic.consume", {60, 40}: "basic.publish",
	{60, 80}: "basic.ack", {60, 120}: "basic.nack",
}

type frame struct {
	typ     byte
	channel uint16
	payload []byte
}

func (f frame) method() string {
	if f.typ != 1 || len(f.payload) < 4 {
		return ""
	}
	k := [2]uint16{binary.BigEndian.Uint16(f.payload), binary.BigEndian.Uint16(f.payload[2:])}
	if m, ok := methods[k]; ok {
		return m
	}
	return fmt.Sprintf("%d.%d", k[0], k[1])
}

// frames splits b into whole frames (a write may hold several, or the
// protocol header).
func frames(b []byte) []frame {
	var out []frame
	for len(b) >= 8 {
		if bytes.HasPrefix(b, []byte("AMQP")) {
			b = b[8:]
			continue
		}
		size := int(binary.BigEndian.Uint32(b[3:]))
		if len(b) < 7+size+1 {
			break
		}
		out = append(out, frame{typ: b[0], channel: binary.BigEndian.Uint16(b[1:]), payload: b[7 : 7+size]})
		b = b[7+size+1:]
	}
	return out
}

// tally counts frames by method name.
type tally struct {
	mu sync.Mutex
	n  map[string]int
}

func (t *tally) add(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n == nil {
		t.n = map[string]int{}
	}
	t.n[name]++
}

func (t *tally) get(name string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n[name]
}

// conn is the client's end of the pipe: it counts the frames the client
// writes and fails the writes of the target method as the failure says.
type conn struct {
	net.Conn
	written *tally
	target  string
	failure string
	failed  bool
}

func (c *conn) Write(b []byte) (int, error) {
	hit := false
	for _, f := range frames(b) {
		if m := f.method(); m != "" {
			c.written.add(m)
			hit = hit || m == c.target
		}
	}
	if hit && !c.failed && (c.failure == "reset" || c.failure == "sent-reset") {
		c.failed = true
		reset := &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.ECONNRESET)}
		if c.failure == "sent-reset" {
			_, _ = c.Conn.Write(b)
		}
		return 0, reset
	}
	return c.Conn.Write(b)
}

func shortstr(s string) []byte { return append([]byte{byte(len(s))}, s...) }

func longstr(s string) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(s))), s...)
}

func method(class, id uint16, args ...[]byte) []byte {
	p := binary.BigEndian.AppendUint16(nil, class)
	p = binary.BigEndian.AppendUint16(p, id)
	for _, a := range args {
		p = append(p, a...)
	}
	return p
}

func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// serve is the fake broker on its end of the pipe; received counts the
// methods it reads, bodies the message bodies.
func serve(c net.Conn, received *tally) {
	defer c.Close()
	send := func(typ byte, ch uint16, payload []byte) error {
		b := append([]byte{typ}, u16(ch)...)
		b = append(b, u32(uint32(len(payload)))...)
		b = append(append(b, payload...), 0xCE)
		_, err := c.Write(b)
		return err
	}
	read := func() (frame, error) {
		h := make([]byte, 7)
		if _, err := io.ReadFull(c, h); err != nil {
			return frame{}, err
		}
		p := make([]byte, binary.BigEndian.Uint32(h[3:])+1)
		if _, err := io.ReadFull(c, p); err != nil {
			return frame{}, err
		}
		return frame{typ: h[0], channel: binary.BigEndian.Uint16(h[1:]), payload: p[:len(p)-1]}, nil
	}
	if _, err := io.ReadFull(c, make([]byte, 8)); err != nil { // AMQP 0-9-1 header
		return
	}
	_ = send(1, 0, method(10, 10, []byte{0, 9}, u32(0), longstr("PLAIN"), longstr("en_US")))
	for {
		f, err := read()
		if err != nil {
			return
		}
		m := f.method()
		if m != "" {
			received.add(m)
		}
		if f.typ == 3 {
			received.add("body")
		}
		switch m {
		case "connection.start-ok":
			_ = send(1, 0, method(10, 30, u16(2047), u32(131072), u16(0)))
		case "connection.open":
			_ = send(1, 0, method(10, 41, shortstr("")))
		case "connection.close":
			_ = send(1, 0, method(10, 51))
			return
		case "channel.open":
			_ = send(1, f.channel, method(20, 11, longstr("")))
		case "channel.close":
			_ = send(1, f.channel, method(20, 41))
		case "exchange.declare":
			_ = send(1, f.channel, method(40, 11))
		case "basic.consume":
			// reserved short, queue shortstr, consumer tag shortstr
			args := f.payload[6:]
			args = args[1+int(args[0]):]
			tag := string(args[1 : 1+int(args[0])])
			_ = send(1, f.channel, method(60, 21, shortstr(tag)))
			body := "hello probe"
			_ = send(1, f.channel, method(60, 60, shortstr(tag), u64(1), []byte{0}, shortstr(""), shortstr("q")))
			_ = send(2, f.channel, append(append(append(u16(60), u16(0)...), u64(uint64(len(body)))...), u16(0)...))
			_ = send(3, f.channel, []byte(body))
		}
	}
}

// errKind says what a call returned: nil, the reset, ErrClosed, or
// another error.
func errKind(err error) string {
	var ae *amqp.Error
	switch {
	case err == nil:
		return "nil"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.As(err, &ae) && ae.Code == amqp.ChannelError:
		return "closed"
	}
	return "other(" + strings.ReplaceAll(err.Error(), " ", "_") + ")"
}

func TestRLProbeFramesPerFailure(t *testing.T) {
	type call struct {
		name, target string
	}
	calls := []call{
		{"Consumer.Connect", "connection.open"},
		{"Publisher.Declare", "exchange.declare"},
		{"Publisher.Publish", "basic.publish"},
		{"Consumer.Ack", "basic.ack"},
		{"Consumer.Handle", "basic.ack"},
	}
	for _, failure := range []string{"ok", "reset", "sent-reset", "refused"} {
		for _, cl := range calls {
			if failure == "refused" && cl.name != "Consumer.Connect" {
				continue
			}
			written, received := &tally{}, &tally{}
			var dials int
			var mu sync.Mutex
			var cc *conn
			cfg := amqp.Config{
				Heartbeat: time.Hour,
				Dial: func(network, addr string) (net.Conn, error) {
					mu.Lock()
					defer mu.Unlock()
					dials++
					if failure == "refused" {
						return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
					}
					client, server := net.Pipe()
					go serve(server, received)
					// A connection fails only in the call probed:
					// not while Connect sets up the others.
					f := ""
					if cl.name == "Consumer.Connect" {
						f = failure
					}
					cc = &conn{Conn: client, written: written, target: cl.target, failure: f}
					return cc, nil
				},
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			c := &broker.Consumer{URL: "amqp://guest:guest@probe/", Config: cfg}
			var err error
			handled := 0
			if cl.name == "Consumer.Connect" {
				err = c.Connect(ctx)
			} else if err = c.Connect(ctx); err == nil {
				p := &broker.Publisher{Ch: c.Ch, Exchange: "ex"}
				if cl.name == "Consumer.Ack" || cl.name == "Consumer.Handle" {
					err = c.Consume(ctx, "q")
				}
				mu.Lock()
				cc.failure = failure
				mu.Unlock()
				if err == nil {
					switch cl.name {
					case "Publisher.Declare":
						err = p.Declare(ctx)
					case "Publisher.Publish":
						err = p.Publish(ctx, "q", []byte("hello probe"))
					case "Consumer.Ack":
						var d amqp.Delivery
						if d, err = c.Next(ctx); err == nil {
							err = c.Ack(ctx, d)
						}
					case "Consumer.Handle":
						err = c.Handle(ctx, func([]byte) error { handled++; return nil })
					}
				}
			}
			// Let the broker read what was sent.
			time.Sleep(50 * time.Millisecond)
			if c.Conn != nil {
				_ = c.Conn.Close()
			}
			cancel()
			detail := ""
			if cl.name == "Consumer.Handle" {
				detail = fmt.Sprintf(" handled=%d", handled)
			}
			m := cl.target
			t.Logf("PROBE amqpwrap %s failure=%s dials=%d written:%s=%d received:%s=%d err=%s%s",
				cl.name, failure, dials, m, written.get(m), m, received.get(m), errKind(err), detail)
		}
	}
}
