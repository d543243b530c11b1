package looped

import (
	"context"
	"os"
	"time"

	retry "gopkg.in/retry.v1"
)

// Iterated retries through a retry library's iterator, whose Next (the
// loop's condition) waits between attempts: routed by its own retry.
func (s *Svc) Iterated(ctx context.Context, path string) error { // want Iterated:"waits" Iterated:"routed by its own retry at iterated.go:15"
	var err error
	for a := retry.Start(retry.Regular{Total: time.Second, Delay: 10 * time.Millisecond}, nil); a.Next(); {
		if err = os.Remove(path); err == nil {
			return nil
		}
	}
	return err
}

// subscription is a stream whose Next waits for the next message.
type subscription struct {
	msgs chan string
	cur  string
}

func (s *subscription) Next() bool { // want Next:"waits"
	m, ok := <-s.msgs
	s.cur = m
	return ok
}

// msg reads the current message's body.
func (s *subscription) msg() (string, error) {
	b, err := os.ReadFile(s.cur)
	return string(b), err
}

// Consume reads a stream whose Next waits: a message that fails to read
// is skipped, not read again (msg reads what Next advanced the subscription to),
// and the write of each message is work of its own: no retry loop.
func (s *Svc) Consume(ctx context.Context, sub *subscription, dir string) error { // want Consume:"waits" `^Svc.Consume returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls sub.Next \(which receives from s.msgs at iterated.go:30\) at iterated.go:45 before the call that can fail \(sub.msg at iterated.go:46\)`
	for sub.Next() {
		m, err := sub.msg()
		if err != nil {
			continue
		}
		if err := os.WriteFile(dir+"/"+m, nil, 0o644); err != nil {
			return err
		}
	}
	return nil
}
