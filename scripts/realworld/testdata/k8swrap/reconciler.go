package configs

import (
	"context"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// SyncedKey is the key the reconciler and the controller set.
const SyncedKey = "synced"

// ConfigReconciler marks ConfigMaps synced (a controller-runtime
// Reconciler: the controller requeues a request whose Reconcile fails,
// with rate-limited backoff).
type ConfigReconciler struct {
	Store *ConfigStore
}

// Reconcile sets the synced key of the request's ConfigMap; a ConfigMap
// that is gone needs nothing.
func (r *ConfigReconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	cm, err := r.Store.Get(ctx, req.Name)
	if apierrors.IsNotFound(err) {
		return reconcile.Result{}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	if cm.Data[SyncedKey] == "true" {
		return reconcile.Result{}, nil
	}
	if cm.Data == nil {
		cm.Data = map[string]string{}
	}
	cm.Data[SyncedKey] = "true"
	_, err = r.Store.Update(ctx, cm)
	return reconcile.Result{}, err
}
