#!/usr/bin/env bash
# A hand-written wrapper of aws-sdk-go-v2's s3.Client and the transfer
# manager's Uploader (store.go), as a service would have one, with a
# counting fake S3 server (probe_test.go): requests per failure, bytes
# read from the caller's io.Reader, the objects and open multipart
# uploads left on the server, before and after resilience-lint -fix,
# with the agent type Store. RW_NORETRY=1 builds the probe's clients
# with aws.NopRetryer and excludes the s3 clients from the default
# retrying types (exclude-retry-funcs), as for a service that retries on
# its own: then -fix wraps methods, and the probe shows what the wrapped
# ones do with a drained reader and a failed page.
#   scripts/realworld/testdata/s3wrap/run.sh [workdir]
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
dir="${1:-/tmp/rl-s3wrap}"
export GOFLAGS=-mod=mod GOSUMDB=off GOWORK=off
rm -rf "$dir" && mkdir -p "$dir"
cp "$root/scripts/realworld/testdata/s3wrap/"{go.mod,store.go,probe_test.go} "$dir"
(cd "$root" && go build -o "$dir/resilience-lint" ./cmd/resilience-lint)
cd "$dir"
go mod edit -require=github.com/resilience-lint/resilience-lint@v0.0.0 -replace=github.com/resilience-lint/resilience-lint="$root"
go mod tidy
printf 'agent-types: ["example.com/store.Store"]\n' >.resilience.yml
if [ -n "${RW_NORETRY:-}" ]; then
	printf 'exclude-retry-funcs: ["github.com/aws/aws-sdk-go-v2/service/s3"]\n' >>.resilience.yml
	export RW_NORETRY
fi
go test -count=1 -v . | grep -o 'PROBE.*' | sed 's/^/before: /' >probes.txt
./resilience-lint ./... >lint.txt 2>&1 || true
./resilience-lint -fix ./... >fix.txt 2>&1 || true
go build ./... && go vet ./...
go test -count=1 -v . | grep -o 'PROBE.*' | sed 's/^/after:  /' >>probes.txt
cat lint.txt fix.txt probes.txt
