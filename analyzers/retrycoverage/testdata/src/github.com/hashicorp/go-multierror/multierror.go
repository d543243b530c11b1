// Package multierror is a stand-in for github.com/hashicorp/go-multierror:
// errors collected into one, built from the errors they are given.
package multierror

import "strings"

// Error holds the errors collected.
type Error struct {
	Errors []error
}

func (e *Error) Error() string {
	s := make([]string, len(e.Errors))
	for i, err := range e.Errors {
		s[i] = err.Error()
	}
	return strings.Join(s, "; ")
}

// ErrorOrNil returns e, or nil when it holds no error.
func (e *Error) ErrorOrNil() error { // want ErrorOrNil:"validator"
	if e == nil || len(e.Errors) == 0 {
		return nil
	}
	return e
}

// Append adds errs to err. As go-multierror's, it starts a new Error by
// calling itself with one.
func Append(err error, errs ...error) *Error { // want Append:"validator"
	switch err := err.(type) {
	case *Error:
		if err == nil {
			err = new(Error)
		}
		err.Errors = append(err.Errors, errs...)
		return err
	default:
		all := make([]error, 0, len(errs)+1)
		if err != nil {
			all = append(all, err)
		}
		return Append(&Error{}, append(all, errs...)...)
	}
}
