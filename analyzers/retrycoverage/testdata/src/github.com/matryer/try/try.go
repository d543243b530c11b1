// Package try is a minimal stand-in for github.com/matryer/try
// (v0.0.0-20161228173917-9ac251b645a2), with its real signatures.
package try

type Func func(attempt int) (retry bool, err error)

func Do(fn Func) error {
	_, err := fn(1)
	return err
}
