// Package feed is a hand-written service over two websocket clients, as a
// trading or chat backend would have them: Feed over github.com/coder/websocket
// and Chat over github.com/gorilla/websocket, each a client type holding
// one connection with Connect (dial, then a first message: the
// subscription), Send, Receive and Request (a message sent, then its
// answer read).
package feed

import (
	"context"
	"net/http"

	"github.com/coder/websocket"
	gorilla "github.com/gorilla/websocket"
)

// Feed is a subscription over coder/websocket.
type Feed struct {
	URL  string
	HTTP *http.Client
	conn *websocket.Conn
}

// Connect dials the feed and subscribes to topic.
func (f *Feed) Connect(ctx context.Context, topic string) error {
	c, _, err := websocket.Dial(ctx, f.URL, &websocket.DialOptions{HTTPClient: f.HTTP})
	if err != nil {
		return err
	}
	f.conn = c
	return f.conn.Write(ctx, websocket.MessageText, []byte("subscribe "+topic))
}

// Send sends msg.
func (f *Feed) Send(ctx context.Context, msg string) error {
	return f.conn.Write(ctx, websocket.MessageText, []byte(msg))
}

// Receive returns the next message.
func (f *Feed) Receive(ctx context.Context) (string, error) {
	_, b, err := f.conn.Read(ctx)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Request sends msg and returns the message that answers it.
func (f *Feed) Request(ctx context.Context, msg string) (string, error) {
	if err := f.conn.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		return "", err
	}
	_, b, err := f.conn.Read(ctx)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// Close closes the connection.
func (f *Feed) Close() error { return f.conn.Close(websocket.StatusNormalClosure, "") }

// Chat is a chat client over gorilla/websocket.
type Chat struct {
	URL    string
	Dialer *gorilla.Dialer
	conn   *gorilla.Conn
}

// Message is a chat message.
type Message struct {
	Room string `json:"room"`
	Text string `json:"text"`
}

// Connect dials the chat and joins room.
func (c *Chat) Connect(ctx context.Context, room string) error {
	conn, _, err := c.Dialer.DialContext(ctx, c.URL, nil)
	if err != nil {
		return err
	}
	c.conn = conn
	return c.conn.WriteJSON(Message{Room: room, Text: "join"})
}

// Send posts text to room.
func (c *Chat) Send(ctx context.Context, room, text string) error {
	return c.conn.WriteJSON(Message{Room: room, Text: text})
}

// Receive returns the next message.
func (c *Chat) Receive(ctx context.Context) (Message, error) {
	var m Message
	err := c.conn.ReadJSON(&m)
	return m, err
}

// Request posts text and returns the next message, its answer.
func (c *Chat) Request(ctx context.Context, room, text string) (Message, error) {
	if err := c.conn.WriteJSON(Message{Room: room, Text: text}); err != nil {
		return Message{}, err
	}
	var m Message
	err := c.conn.ReadJSON(&m)
	return m, err
}
