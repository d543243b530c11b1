#!/usr/bin/env bash
# A hand-written wrapper of etcd's clientv3.Client (registry.go), as a
# service would have one, with a probe (probe_test.go) that counts the
# attempts of each Store call against an in-process fake etcd gRPC server:
# attempts per failure before and after resilience-lint -fix, with the
# agent type Store. RW_RETRYING=1 also declares clientv3.Client in
# retrying-types. RW_POLICY=1 makes -fix write a policy whose classifier
# retries gRPC Unavailable and ResourceExhausted (as a team that uses gRPC
# would configure it: recovery's default classifier retries Unavailable only).
#   scripts/realworld/testdata/etcdwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/registry.Store"]'
config=
[ -z "${RW_POLICY:-}" ] || config+='policy: "grpcPolicy"'$'\n'
[ -z "${RW_RETRYING:-}" ] || config+='retrying-types: ["go.etcd.io/etcd/client/v3.Client"]'$'\n'
setup() {
	# A result cache of its own, empty: the lint run fills it and -fix
	# then reads the dependencies' Facts from it, as a user's second run
	# does (the run that wrapped Store.Lease before RetryingImpls).
	export RESILIENCE_LINT_CACHE="$PWD/rl-cache"
	if [ -n "${RW_POLICY:-}" ]; then
		cp "$here/policy.go.txt" policy.go
	fi
}
. "$(dirname "$0")/../../wrapper.sh"
