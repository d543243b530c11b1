// Package v1 is a stand-in for client-go's typed clientset of the core
// API group (k8s.io/client-go/kubernetes/typed/core/v1 v0.37): its
// methods send through rest.Request, which retries answers carrying
// Retry-After, reached through methods promoted from another package
// (gentype), which the analysis does not follow.
package v1

import "context"

// ConfigMap is a ConfigMap.
type ConfigMap struct {
	Name string
	Data map[string]string
}

// CoreV1Interface is the core group's client.
type CoreV1Interface interface {
	ConfigMaps(namespace string) ConfigMapInterface
}

// ConfigMapInterface reads and writes the ConfigMaps of one namespace.
type ConfigMapInterface interface {
	Get(ctx context.Context, name string) (*ConfigMap, error)
	Create(ctx context.Context, cm *ConfigMap) (*ConfigMap, error)
}
