package on

import "os"

// Store is an agent (package path element "agents", the default).
type Store struct{}

// Read does not retry: the message tells golangci-lint users how to fix it.
func (Store) Read(name string) ([]byte, error) { // want Read:"unrouted" `Store.Read returns an error but is not routed through runtime/recovery \(run golangci-lint run --fix, or mark it //resilience:noretry <reason>\)`
	return os.ReadFile(name)
}
