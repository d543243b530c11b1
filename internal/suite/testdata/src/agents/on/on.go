package on

import "os"

// Store is an agent (package path element "agents", the default).
type Store struct{}

// Read does not retry.
func (Store) Read(name string) ([]byte, error) { // want Read:"unrouted" `Store.Read returns an error but is not routed`
	return os.ReadFile(name)
}
