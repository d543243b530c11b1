// Package reconcilers has Kubernetes reconcilers as agents:
// controller-runtime runs Reconcile for each request and requeues a
// request that fails, with rate-limited backoff, so a retry around
// Reconcile would multiply the controller's attempts, and so would a
// retry of the agent methods it calls.
package reconcilers

import (
	"context"
	"errors"
	"net/http"

	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// Store reads and writes objects through an HTTP API.
type Store struct{ client *http.Client }

// Get is Reconcile's work: the controller requeues the request it runs in.
func (s *Store) Get(ctx context.Context, name string) error { // want `^Store.Get returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it runs in each attempt of controller-runtime's retry of each request \(reconcile.TypedReconciler\[reconcile.Request\]\) at reconcilers.go:\d+ in ConfigReconciler.Reconcile, and a retry around it would multiply that retry's attempts`
	return s.do(ctx, http.MethodGet, name)
}

// Put is called by Lookalike only: nothing retries it yet.
func (s *Store) Put(ctx context.Context, name string) error { // want Put:"unrouted" `^Store.Put returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return s.do(ctx, http.MethodPut, name)
}

func (s *Store) do(ctx context.Context, method, name string) error {
	req, err := http.NewRequestWithContext(ctx, method, "http://api/objects/"+name, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// ConfigReconciler is a reconcile.Reconciler, the alias of
// TypedReconciler[Request].
type ConfigReconciler struct{ s *Store }

func (r *ConfigReconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) { // want `^ConfigReconciler.Reconcile returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: controller-runtime runs it for each request through reconcile.TypedReconciler\[reconcile.Request\] and retries the request when it fails, and a retry around it would multiply that retry's attempts and retry the errors that tell controller-runtime not to \(configure controller-runtime's retries instead, or mark it //resilience:noretry <reason>\)$`
	if req.Name == "" {
		return reconcile.Result{}, reconcile.TerminalError(errors.New("no name"))
	}
	return reconcile.Result{}, r.s.Get(ctx, req.Name)
}

// Key is a request type of a typed controller.
type Key struct{ ID int }

// KeyReconciler is a reconcile.TypedReconciler[Key].
type KeyReconciler struct{ s *Store }

func (r KeyReconciler) Reconcile(ctx context.Context, k Key) (reconcile.Result, error) { // want `^KeyReconciler.Reconcile returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: controller-runtime runs it for each request through reconcile.TypedReconciler\[Key\]`
	return reconcile.Result{}, r.s.do(ctx, http.MethodGet, "key")
}

// Widget is an object of the API.
type Widget struct{ Name string }

// GetName returns the widget's name.
func (w *Widget) GetName() string { return w.Name }

// WidgetReconciler is a reconcile.ObjectReconciler[*Widget].
type WidgetReconciler struct{ s *Store }

func (r *WidgetReconciler) Reconcile(ctx context.Context, w *Widget) (reconcile.Result, error) { // want `^WidgetReconciler.Reconcile returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: controller-runtime runs it for each request through reconcile.ObjectReconciler\[\*Widget\]`
	return reconcile.Result{}, r.s.do(ctx, http.MethodGet, w.Name)
}

// Lookalike has the method's name, not its signature: no controller runs
// it.
type Lookalike struct{ s *Store }

func (l *Lookalike) Reconcile(ctx context.Context, name string) error { // want Reconcile:"unrouted" `^Lookalike.Reconcile returns an error but is not routed through runtime/recovery: it delegates to Store.Put, which must be routed first`
	return l.s.Put(ctx, name)
}
