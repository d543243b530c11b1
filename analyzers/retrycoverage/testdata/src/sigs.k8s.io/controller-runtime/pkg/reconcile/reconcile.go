// Package reconcile is a stand-in for
// sigs.k8s.io/controller-runtime/pkg/reconcile v0.25: a controller runs a
// Reconciler's Reconcile for each request of its workqueue and requeues
// a request whose Reconcile fails, with rate-limited backoff.
package reconcile

import (
	"context"
	"time"
)

// Result says whether to requeue a request that succeeded.
type Result struct{ RequeueAfter time.Duration }

// Request names the object to reconcile.
type Request struct{ Namespace, Name string }

// Reconciler is the reconciler of Requests.
type Reconciler = TypedReconciler[Request]

// TypedReconciler reconciles requests of any comparable type.
type TypedReconciler[request comparable] interface {
	Reconcile(context.Context, request) (Result, error)
}

// Object stands for controller-runtime's client.Object.
type Object interface{ GetName() string }

// ObjectReconciler reconciles an object fetched for it (AsReconciler
// makes a Reconciler of it).
type ObjectReconciler[object Object] interface {
	Reconcile(context.Context, object) (Result, error)
}

// TerminalError tells the controller not to requeue the request.
func TerminalError(err error) error { return err }
