package intelligence_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package's tests if any goroutine outlives them: the
// tracker starts none, and Track and the HTTP handler must leave none.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
