#!/usr/bin/env bash
# A hand-written wrapper of amqp091-go (broker.go: a Publisher and a
# Consumer), as a service would have one, with a fake AMQP broker over
# net.Pipe (probe_test.go): the frames each call writes and the broker
# receives, per failure, before and after resilience-lint -fix, with the
# agent types Publisher and Consumer.
#   scripts/realworld/testdata/amqpwrap/run.sh [workdir]
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
dir="${1:-/tmp/rl-amqpwrap}"
export GOFLAGS=-mod=mod GOSUMDB=off GOWORK=off
rm -rf "$dir" && mkdir -p "$dir"
cp "$root/scripts/realworld/testdata/amqpwrap/"{go.mod,broker.go,probe_test.go} "$dir"
(cd "$root" && go build -o "$dir/resilience-lint" ./cmd/resilience-lint)
cd "$dir"
go mod edit -require=github.com/resilience-lint/resilience-lint@v0.0.0 -replace=github.com/resilience-lint/resilience-lint="$root"
go mod tidy
printf 'agent-types: ["example.com/broker.Publisher", "example.com/broker.Consumer"]\n' >.resilience.yml
go test -count=1 -v . | grep -o 'PROBE.*' | sed 's/^/before: /' >probes.txt
./resilience-lint ./... >lint.txt 2>&1 || true
./resilience-lint -fix ./... >fix.txt 2>&1 || true
go build ./... && go vet ./...
go test -count=1 -v . | grep -o 'PROBE.*' | sed 's/^/after:  /' >>probes.txt
cat lint.txt fix.txt probes.txt
