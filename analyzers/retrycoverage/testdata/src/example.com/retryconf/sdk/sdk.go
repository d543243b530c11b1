// Package sdk retries by construction (per the configuration).
package sdk

import "os"

func Call(name string) error { return os.Remove(name) }
