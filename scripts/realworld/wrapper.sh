# The harness of the hand-written wrapper modules under
# scripts/realworld/testdata/<name>/ (a service's own type over an SDK,
# and a probe_test.go counting what each of its calls sends per failure).
# Each <name>/run.sh sets its inputs and sources this file:
#
#   agents   the agent types, a YAML flow list (required);
#   config   more .resilience.yml lines (optional, newline-terminated);
#   setup    a function run in the work directory before go mod tidy
#            (optional: extra files, environment).
#
# It copies go.mod and the .go files into the work directory ($1, default
# /tmp/rl-<name>), makes the module require this checkout's runtime, and
# prints the lint, the -fix and the probe's "PROBE ..." lines before and
# after -fix (the rewritten module must build and vet). A wrapper without
# a probe (no server to fake) prints the lint and the -fix only.
here="$(cd "$(dirname "$0")" && pwd)"
name="$(basename "$here")"
root="$(cd "$here/../../../.." && pwd)"
dir="${1:-/tmp/rl-$name}"
export GOFLAGS=-mod=mod GOSUMDB=off GOWORK=off
rm -rf "$dir" && mkdir -p "$dir"
cp "$here/go.mod" "$here"/*.go "$dir"
(cd "$root" && go build -o "$dir/resilience-lint" ./cmd/resilience-lint)
cd "$dir"
go mod edit -require=github.com/resilience-lint/resilience-lint@v0.0.0 -replace=github.com/resilience-lint/resilience-lint="$root"
if declare -F setup >/dev/null; then
	setup
fi
go mod tidy
printf 'agent-types: %s\n%s' "$agents" "${config:-}" >.resilience.yml
go test -count=1 -v . | { grep -o 'PROBE.*' || true; } | sed 's/^/before: /' >probes.txt
./resilience-lint ./... >lint.txt 2>&1 || true
./resilience-lint -fix ./... >fix.txt 2>&1 || true
go build ./... && go vet ./...
go test -count=1 -v . | { grep -o 'PROBE.*' || true; } | sed 's/^/after:  /' >>probes.txt
cat lint.txt fix.txt probes.txt
