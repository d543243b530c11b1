#!/usr/bin/env bash
# A hand-written module over Kubernetes' client-go v0.37.2 and
# controller-runtime v0.25.2 (store.go: ConfigStore's Get, Create, Update,
# Delete and List (limit and continue tokens) through the typed clientset,
# SetKey (retry.RetryOnConflict around Get and Update), WaitForKey and
# WaitForKeyLenient (wait.PollUntilContextTimeout); reconciler.go: a
# controller-runtime Reconciler; controller.go: a workqueue controller's
# processNextWorkItem with AddRateLimited), with a fake API server
# (apiserver_test.go) counting requests per kind and status, and a probe
# (probe_test.go) before and after resilience-lint -fix.
#   default: ConfigStore, ConfigReconciler and Controller are agents;
#   RW_NO_CLIENT_RETRY=1: the same, with client-go's typed clientsets
#   taken out of the default retrying types (exclude-retry-funcs), as for
#   a client built with MaxRetries 0: -fix then wraps ConfigStore's
#   methods that no reconciler reaches;
#   RW_STORE_ONLY=1: ConfigStore only, reconciler.go and controller.go
#   removed (a store package of its own).
#   scripts/realworld/testdata/k8swrap/run.sh [workdir]
set -euo pipefail
if [ -z "${RW_STORE_ONLY:-}" ]; then
	agents='["example.com/configs.ConfigStore", "example.com/configs.ConfigReconciler", "example.com/configs.Controller"]'
	if [ -n "${RW_NO_CLIENT_RETRY:-}" ]; then
		config='exclude-retry-funcs: ["k8s.io/client-go/kubernetes/typed/*/*.*Interface"]'$'\n'
	fi
else
	agents='["example.com/configs.ConfigStore"]'
	setup() {
		rm reconciler.go controller.go
		sed -i '/^func TestProbeReconcile/,$d' probe_test.go
		sed -i '/controller-runtime\|client-go\/util\/workqueue\|apimachinery\/pkg\/types"/d' probe_test.go
	}
fi
. "$(dirname "$0")/../../wrapper.sh"
