// Package ackiface is the shape of amqp091-go's acknowledgements: a
// Delivery acknowledges through the Acknowledger interface it holds,
// which the package's Channel implements by writing a frame to its
// connection. A call of Delivery.Ack writes that stream as a call of
// Channel.Ack does.
package ackiface

import (
	"bufio"
	"net"
)

// Acknowledger is what a Delivery acknowledges through.
type Acknowledger interface {
	Ack(tag uint64, multiple bool) error
}

// Channel writes frames to its connection.
type Channel struct {
	w    *bufio.Writer
	conn net.Conn
}

func (ch *Channel) send(b []byte) error { // want send:`writes receiver \(stream\); early`
	if _, err := ch.w.Write(b); err != nil {
		return err
	}
	return ch.w.Flush()
}

// Ack sends a basic.ack frame.
func (ch *Channel) Ack(tag uint64, multiple bool) error { // want Ack:`writes receiver \(stream\); early`
	return ch.send([]byte{byte(tag)})
}

// Delivery is a message received, with the channel that acknowledges it.
type Delivery struct {
	Acknowledger Acknowledger
	DeliveryTag  uint64
	Body         []byte
}

// Ack acknowledges d through its Acknowledger: Channel.Ack's stream write
// reaches d's state.
func (d Delivery) Ack(multiple bool) error { // want Ack:`writes receiver \(stream\); early`
	return d.Acknowledger.Ack(d.DeliveryTag, multiple)
}

// Counter counts; its implementation here writes no stream, so a call
// through it stays a call whose callee is not known.
type Counter interface {
	Count() error
}

type tally struct{ n int }

func (t *tally) Count() error { // want Count:`writes receiver`
	t.n++
	return nil
}

// Tallied counts through c.
func Tallied(c Counter) error {
	return c.Count()
}
