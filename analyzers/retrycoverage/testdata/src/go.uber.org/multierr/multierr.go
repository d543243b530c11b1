// Package multierr is a stand-in for go.uber.org/multierr.
package multierr

import "errors"

// Append combines two errors.
func Append(left, right error) error { return errors.Join(left, right) }

// Combine combines errors.
func Combine(errs ...error) error { return errors.Join(errs...) }
