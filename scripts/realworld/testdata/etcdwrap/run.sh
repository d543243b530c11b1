#!/usr/bin/env bash
# A hand-written wrapper of etcd's clientv3.Client (registry.go), as a
# service would have one, with a probe (probe_test.go) that counts the
# attempts of each Store call against an in-process fake etcd gRPC server:
# attempts per failure before and after resilience-lint -fix, with the
# agent type Store. RW_RETRYING=1 also declares clientv3.Client in
# retrying-types. RW_POLICY=1 makes -fix write a policy whose classifier
# retries gRPC Unavailable and ResourceExhausted (as a team that uses gRPC
# would configure it: recovery's default classifier knows no gRPC codes).
#   scripts/realworld/testdata/etcdwrap/run.sh [workdir]
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
dir="${1:-/tmp/rl-etcdwrap}"
export GOFLAGS=-mod=mod GOSUMDB=off GOWORK=off
# A result cache of its own, empty: the lint run below fills it and -fix
# then reads the dependencies' Facts from it, as a user's second run does
# (the run that wrapped Store.Lease before the stand-ins of the cache).
export RESILIENCE_LINT_CACHE="$dir/rl-cache"
rm -rf "$dir" && mkdir -p "$dir"
cp "$root/scripts/realworld/testdata/etcdwrap/"{go.mod,registry.go,probe_test.go} "$dir"
(cd "$root" && go build -o "$dir/resilience-lint" ./cmd/resilience-lint)
cd "$dir"
go mod edit -require=github.com/resilience-lint/resilience-lint@v0.0.0 -replace=github.com/resilience-lint/resilience-lint="$root"
if [ -n "${RW_POLICY:-}" ]; then
	cp "$root/scripts/realworld/testdata/etcdwrap/policy.go.txt" policy.go
fi
go mod tidy
printf 'agent-types: ["example.com/registry.Store"]\n' >.resilience.yml
[ -z "${RW_POLICY:-}" ] || printf 'policy: "grpcPolicy"\n' >>.resilience.yml
[ -z "${RW_RETRYING:-}" ] || printf 'retrying-types: ["go.etcd.io/etcd/client/v3.Client"]\n' >>.resilience.yml
go test -count=1 -v . | grep -o 'PROBE.*' | sed 's/^/before: /' >probes.txt
./resilience-lint ./... >lint.txt 2>&1 || true
./resilience-lint -fix ./... >fix.txt 2>&1 || true
go build ./... && go vet ./...
go test -count=1 -v . | grep -o 'PROBE.*' | sed 's/^/after:  /' >>probes.txt
cat lint.txt fix.txt probes.txt
