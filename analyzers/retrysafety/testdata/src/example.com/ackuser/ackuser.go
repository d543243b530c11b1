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

// Worker acknowledges what a channel hands it.
type Worker struct {
	Deliveries <-chan ackiface.Delivery
	Done       chan struct{}
}

// AckNext acknowledges the next delivery: what the channel hands out
// holds the Channel it acknowledges on.
func (w *Worker) AckNext() error { // want AckNext:`writes receiver \(stream\); early`
	d, ok := <-w.Deliveries
	if !ok {
		return nil
	}
	return d.Ack(false)
}

// AckAll acknowledges every delivery.
func (w *Worker) AckAll() error { // want AckAll:`writes receiver \(stream\); early`
	for d := range w.Deliveries {
		if err := d.Ack(false); err != nil {
			return err
		}
	}
	return nil
}

// AckFresh acknowledges a delivery made here: safe.
func AckFresh(tag uint64) error {
	d := ackiface.Delivery{DeliveryTag: tag}
	return d.Ack(false)
}
