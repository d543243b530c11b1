package fixcmd

import "os"

// Store is an agent.
type Store struct{}

// Read does not retry: the message says how golangci-lint users fix it.
func (Store) Read(name string) ([]byte, error) { // want Read:"unrouted" `Store.Read returns an error but is not routed through runtime/recovery \(run golangci-lint run --fix, or mark it`
	return os.ReadFile(name)
}
