#!/usr/bin/env bash
# A hand-written wrapper of cloud.google.com/go/storage's Client
# (store.go), as a service would have one, with a counting server of the
# JSON and XML APIs (probe_test.go): requests per failure before and after
# resilience-lint -fix, with the agent type Store.
#   scripts/realworld/testdata/gcswrap/run.sh [workdir]
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
dir="${1:-/tmp/rl-gcswrap}"
export GOFLAGS=-mod=mod GOSUMDB=off GOWORK=off
rm -rf "$dir" && mkdir -p "$dir"
cp "$root/scripts/realworld/testdata/gcswrap/"{go.mod,store.go,probe_test.go} "$dir"
(cd "$root" && go build -o "$dir/resilience-lint" ./cmd/resilience-lint)
cd "$dir"
go mod edit -require=github.com/resilience-lint/resilience-lint@v0.0.0 -replace=github.com/resilience-lint/resilience-lint="$root"
go mod tidy
printf 'agent-types: ["example.com/blob.Store"]\n' >.resilience.yml
go test -count=1 -v . | grep -o 'PROBE.*' | sed 's/^/before: /' >probes.txt
./resilience-lint ./... >lint.txt 2>&1 || true
./resilience-lint -fix ./... >fix.txt 2>&1 || true
go build ./... && go vet ./...
go test -count=1 -v . | grep -o 'PROBE.*' | sed 's/^/after:  /' >>probes.txt
cat lint.txt fix.txt probes.txt
