// Package kubernetes is a stand-in for client-go's clientset.
package kubernetes

import corev1 "k8s.io/client-go/kubernetes/typed/core/v1"

// Interface is the clientset.
type Interface interface {
	CoreV1() corev1.CoreV1Interface
}
