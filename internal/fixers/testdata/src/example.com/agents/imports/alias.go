package imports

import (
	"os"

	rec "github.com/resilience-lint/resilience-lint/runtime/recovery"
)

var policy = rec.Default()

// Other is an agent whose file imports recovery under another name.
type Other struct{}

// Remove reuses the existing import name and adds context.
func (o *Other) Remove(name string) error { // want Remove:"unrouted" `Other.Remove returns an error but is not routed`
	return os.Remove(name)
}
