// Package uuid stands for github.com/google/uuid: Parse fails only on a
// malformed string.
package uuid

import "errors"

type UUID [16]byte

func Parse(s string) (UUID, error) {
	if len(s) != 36 {
		return UUID{}, errors.New("invalid UUID length")
	}
	return UUID{}, nil
}
