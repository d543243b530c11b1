// Package broker is a hand-written wrapper of an AMQP connection, as a
// service would have one: a publisher and a consumer on amqp091-go.
package broker

import (
	"context"
	"errors"

	amqp "github.com/rabbitmq/amqp091-go"
)

// Publisher publishes to one exchange.
type Publisher struct {
	Ch       *amqp.Channel
	Exchange string
}

// Declare declares the exchange.
func (p *Publisher) Declare(ctx context.Context) error {
	return p.Ch.ExchangeDeclare(p.Exchange, amqp.ExchangeTopic, true, false, false, false, nil)
}

// Publish publishes body with routing key key.
func (p *Publisher) Publish(ctx context.Context, key string, body []byte) error {
	return p.Ch.PublishWithContext(ctx, p.Exchange, key, false, false, amqp.Publishing{ContentType: "text/plain", Body: body})
}

// Consumer receives from one queue.
type Consumer struct {
	URL        string
	Config     amqp.Config
	Conn       *amqp.Connection
	Ch         *amqp.Channel
	Deliveries <-chan amqp.Delivery
}

// Connect dials the broker and opens a channel.
func (c *Consumer) Connect(ctx context.Context) error {
	conn, err := amqp.DialConfig(c.URL, c.Config)
	if err != nil {
		return err
	}
	ch, err := conn.Channel()
	if err != nil {
		_ = conn.Close()
		return err
	}
	c.Conn, c.Ch = conn, ch
	return nil
}

// Consume starts consuming queue q.
func (c *Consumer) Consume(ctx context.Context, q string) error {
	d, err := c.Ch.ConsumeWithContext(ctx, q, "", false, false, false, false, nil)
	if err != nil {
		return err
	}
	c.Deliveries = d
	return nil
}

// Next returns the next delivery.
func (c *Consumer) Next(ctx context.Context) (amqp.Delivery, error) {
	select {
	case d, ok := <-c.Deliveries:
		if !ok {
			return amqp.Delivery{}, amqp.ErrClosed
		}
		return d, nil
	case <-ctx.Done():
		return amqp.Delivery{}, ctx.Err()
	}
}

// Ack acknowledges d.
func (c *Consumer) Ack(ctx context.Context, d amqp.Delivery) error {
	return d.Ack(false)
}

// Handle takes the next delivery, runs fn on its body, and acknowledges
// it, or rejects it for redelivery when fn fails.
func (c *Consumer) Handle(ctx context.Context, fn func([]byte) error) error {
	d, ok := <-c.Deliveries
	if !ok {
		return amqp.ErrClosed
	}
	if err := fn(d.Body); err != nil {
		return errors.Join(err, d.Nack(false, true))
	}
	return d.Ack(false)
}
