// Package configs is a hand-written module over Kubernetes' client-go, as
// a service would have it: a ConfigStore keeping ConfigMaps of one
// namespace through the typed clientset (kubernetes.Interface), a
// controller-runtime Reconciler marking them synced, and a client-go
// workqueue controller doing the same from a queue of keys.
package configs

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/util/retry"
)

// ConfigStore keeps ConfigMaps in one namespace.
type ConfigStore struct {
	Client    kubernetes.Interface
	Namespace string
	// PageSize is the number of ConfigMaps List asks for per request.
	PageSize int64
}

// NewConfigStore returns a store over the API server cfg points to.
func NewConfigStore(cfg *rest.Config, namespace string) (*ConfigStore, error) {
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("clientset: %w", err)
	}
	return &ConfigStore{Client: cs, Namespace: namespace, PageSize: 2}, nil
}

// Get returns the ConfigMap name.
func (s *ConfigStore) Get(ctx context.Context, name string) (*corev1.ConfigMap, error) {
	return s.Client.CoreV1().ConfigMaps(s.Namespace).Get(ctx, name, metav1.GetOptions{})
}

// Create creates the ConfigMap name with data.
func (s *ConfigStore) Create(ctx context.Context, name string, data map[string]string) (*corev1.ConfigMap, error) {
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: s.Namespace}, Data: data}
	return s.Client.CoreV1().ConfigMaps(s.Namespace).Create(ctx, cm, metav1.CreateOptions{})
}

// Update writes cm back (it fails with a Conflict when cm's
// resourceVersion is not the server's).
func (s *ConfigStore) Update(ctx context.Context, cm *corev1.ConfigMap) (*corev1.ConfigMap, error) {
	return s.Client.CoreV1().ConfigMaps(s.Namespace).Update(ctx, cm, metav1.UpdateOptions{})
}

// Delete deletes the ConfigMap name.
func (s *ConfigStore) Delete(ctx context.Context, name string) error {
	return s.Client.CoreV1().ConfigMaps(s.Namespace).Delete(ctx, name, metav1.DeleteOptions{})
}

// List returns every ConfigMap of the namespace, PageSize at a time,
// following the server's continue tokens.
func (s *ConfigStore) List(ctx context.Context) ([]corev1.ConfigMap, error) {
	var all []corev1.ConfigMap
	opts := metav1.ListOptions{Limit: s.PageSize}
	for {
		page, err := s.Client.CoreV1().ConfigMaps(s.Namespace).List(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("list configmaps: %w", err)
		}
		all = append(all, page.Items...)
		if page.Continue == "" {
			return all, nil
		}
		opts.Continue = page.Continue
	}
}

// SetKey sets key to value in the ConfigMap name, reading it again and
// retrying when another writer updated it in between.
func (s *ConfigStore) SetKey(ctx context.Context, name, key, value string) error {
	return retry.RetryOnConflict(retry.DefaultRetry, func() error {
		cm, err := s.Get(ctx, name)
		if err != nil {
			return err
		}
		if cm.Data == nil {
			cm.Data = map[string]string{}
		}
		cm.Data[key] = value
		_, err = s.Update(ctx, cm)
		return err
	})
}

// WaitForKey waits until the ConfigMap name exists and has key; a failure
// to read it ends the wait.
func (s *ConfigStore) WaitForKey(ctx context.Context, name, key string, timeout time.Duration) error {
	return wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		cm, err := s.Get(ctx, name)
		if apierrors.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		_, ok := cm.Data[key]
		return ok, nil
	})
}

// WaitForKeyLenient waits as WaitForKey does, but polls through every
// failure to read the ConfigMap until the timeout.
func (s *ConfigStore) WaitForKeyLenient(ctx context.Context, name, key string, timeout time.Duration) error {
	return wait.PollUntilContextTimeout(ctx, 10*time.Millisecond, timeout, true, func(ctx context.Context) (bool, error) {
		cm, err := s.Get(ctx, name)
		if err != nil {
			return false, nil
		}
		_, ok := cm.Data[key]
		return ok, nil
	})
}
