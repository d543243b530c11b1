// Package retry is a minimal stand-in for k8s.io/client-go/util/retry,
// with its real signatures.
package retry

import "k8s.io/apimachinery/pkg/util/wait"

var DefaultRetry = wait.Backoff{Steps: 5}

func OnError(backoff wait.Backoff, retriable func(error) bool, fn func() error) error { return fn() }

func RetryOnConflict(backoff wait.Backoff, fn func() error) error { return fn() }
