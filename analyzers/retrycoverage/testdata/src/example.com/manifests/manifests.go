// Package manifests is shaped like go-containerregistry's pkg/v1/partial:
// helpers given a value through an interface call its methods.
package manifests

import "crypto/sha256"

type WithRawManifest interface {
	RawManifest() ([]byte, error)
}

// Digest calls m.RawManifest: a caller handing it a value runs that
// value's RawManifest.
func Digest(m WithRawManifest) (string, error) {
	b, err := m.RawManifest()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return string(sum[:]), nil
}
