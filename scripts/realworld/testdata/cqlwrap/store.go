// Package store is a hand-written event store over gocql, as a service
// would have one: an INSERT, an INSERT marked idempotent, a SELECT by id,
// a listing through an iterator, a counter UPDATE, a lightweight
// transaction (INSERT ... IF NOT EXISTS) and a logged batch.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/gocql/gocql"
)

// Event is one row of the events table.
type Event struct {
	ID   gocql.UUID
	Body string
}

// EventStore reads and writes events.
type EventStore struct {
	Session *gocql.Session
}

// Insert writes an event.
func (s *EventStore) Insert(ctx context.Context, e Event) error {
	return s.Session.Query(`INSERT INTO events (id, body) VALUES (?, ?)`, e.ID, e.Body).WithContext(ctx).Exec()
}

// Put writes an event with a query marked idempotent.
func (s *EventStore) Put(ctx context.Context, e Event) error {
	q := s.Session.Query(`INSERT INTO events (id, body) VALUES (?, ?)`, e.ID, e.Body).WithContext(ctx).Idempotent(true)
	if err := q.Exec(); err != nil {
		return fmt.Errorf("put %s: %w", e.ID, err)
	}
	return nil
}

// Get reads the event with id.
func (s *EventStore) Get(ctx context.Context, id gocql.UUID) (Event, error) {
	e := Event{ID: id}
	if err := s.Session.Query(`SELECT body FROM events WHERE id = ?`, id).WithContext(ctx).Scan(&e.Body); err != nil {
		if errors.Is(err, gocql.ErrNotFound) {
			return Event{}, fmt.Errorf("event %s: not found", id)
		}
		return Event{}, err
	}
	return e, nil
}

// List returns up to limit events.
func (s *EventStore) List(ctx context.Context, limit int) ([]Event, error) {
	iter := s.Session.Query(`SELECT id, body FROM events LIMIT ?`, limit).WithContext(ctx).Iter()
	var out []Event
	var e Event
	for iter.Scan(&e.ID, &e.Body) {
		out = append(out, e)
	}
	if err := iter.Close(); err != nil {
		return nil, err
	}
	return out, nil
}

// Count adds one to an event's counter.
func (s *EventStore) Count(ctx context.Context, id gocql.UUID) error {
	return s.Session.Query(`UPDATE event_counts SET n = n + 1 WHERE id = ?`, id).WithContext(ctx).Exec()
}

// Claim inserts an event unless one with its id exists, and reports
// whether it did.
func (s *EventStore) Claim(ctx context.Context, e Event) (bool, error) {
	var id gocql.UUID
	var body string
	return s.Session.Query(`INSERT INTO events (id, body) VALUES (?, ?) IF NOT EXISTS`, e.ID, e.Body).WithContext(ctx).ScanCAS(&id, &body)
}

// InsertAll writes events in one logged batch.
func (s *EventStore) InsertAll(ctx context.Context, events []Event) error {
	b := s.Session.NewBatch(gocql.LoggedBatch).WithContext(ctx)
	for _, e := range events {
		b.Query(`INSERT INTO events (id, body) VALUES (?, ?)`, e.ID, e.Body)
	}
	return s.Session.ExecuteBatch(b)
}
