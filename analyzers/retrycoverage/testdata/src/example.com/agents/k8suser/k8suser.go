// Package k8suser is an agent over client-go's typed clientset, whose
// requests client-go's rest.Request retries by construction: a retry
// around a method that only calls it would nest client-go's.
package k8suser

import (
	"context"
	"net/http"

	"k8s.io/client-go/kubernetes"
)

// Store keeps ConfigMaps of one namespace.
type Store struct {
	cs kubernetes.Interface
	ns string
	hc *http.Client
}

// Get only calls the clientset: routed by client-go's retry, no fix.
func (s *Store) Get(ctx context.Context, name string) (map[string]string, error) { // want Get:`^routed by v1.ConfigMapInterface.Get, which retries by construction \(the default retrying type k8s.io/client-go/kubernetes/typed/\*/\*.\*Interface selects v1.ConfigMapInterface\)$`
	cm, err := s.cs.CoreV1().ConfigMaps(s.ns).Get(ctx, name)
	if err != nil {
		return nil, err
	}
	return cm.Data, nil
}

// Health asks the API server's health endpoint over plain HTTP: no
// retry of client-go's.
func (s *Store) Health(ctx context.Context) error { // want Health:"unrouted" `^Store.Health returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://apiserver/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
