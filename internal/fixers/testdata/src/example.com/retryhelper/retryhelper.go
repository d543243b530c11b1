// Package retryhelper retries by hand: a loop over a retry timer.
package retryhelper

import (
	"os"
	"time"
)

// Fetch retries on every tick of retryTimer.
func Fetch(path string, retryTimer <-chan time.Time) ([]byte, error) {
	var lastErr error
	for range retryTimer {
		b, err := os.ReadFile(path)
		if err != nil {
			lastErr = err
			continue
		}
		return b, nil
	}
	return nil, lastErr
}
