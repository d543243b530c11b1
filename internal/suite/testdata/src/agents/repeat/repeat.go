package repeat

import "os"

// Counter counts requests.
type Counter struct{ n int }

// Inc counts one.
func (c *Counter) Inc() { c.n++ }

// Store is an agent.
type Store struct{ hits Counter }

// Get counts the request before reading: with repeatable-funcs naming
// Counter.Inc, the count is part of the attempt and -fix retries it too.
func (s *Store) Get(name string) ([]byte, error) {
	s.hits.Inc()
	return os.ReadFile(name)
}
