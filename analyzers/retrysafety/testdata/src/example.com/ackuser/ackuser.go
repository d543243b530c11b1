// Package ackuser acknowledges deliveries of package ackiface, directly
// and through the interface.
package ackuser

import "example.com/ackiface"

// Consumer acknowledges what it is given.
type Consumer struct {
	Last ackiface.Delivery
}

// AckDelivery acknowledges d: unsafe, as acknowledging on the channel is.
func AckDelivery(d ackiface.Delivery) error { // want AckDelivery:`writes param 0 \(stream\); early`
	return d.Ack(false)
}

// AckChannel acknowledges on the channel itself.
func AckChannel(ch *ackiface.Channel, tag uint64) error { // want AckChannel:`writes param 0 \(stream\); early`
	return ch.Ack(tag, false)
}

// AckVia acknowledges through the interface.
func AckVia(a ackiface.Acknowledger, tag uint64) error { // want AckVia:`writes param 0 \(stream\); early`
	return a.Ack(tag, false)
}

// AckLast acknowledges the delivery kept in the receiver.
func (c *Consumer) AckLast() error { // want AckLast:`writes receiver \(stream\); early`
	return c.Last.Ack(false)
}

// Count counts through an interface no implementation of which in its
// package writes a stream: safe, as before.
func Count(c ackiface.Counter) error {
	return c.Count()
}
