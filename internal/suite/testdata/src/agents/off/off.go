package off

import "os"

// Store would be an agent, but the .resilience.yml beside it selects no
// agent packages.
type Store struct{}

// Read does not retry, and is not reported.
func (Store) Read(name string) ([]byte, error) {
	return os.ReadFile(name)
}
