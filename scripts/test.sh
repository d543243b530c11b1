#!/usr/bin/env bash
# The project's one test command (README, .ci/run). Runs every test:
# vet, unit and analysistest tests, the runtime under -race, the benchmark
# module's tests, and (unless RL_SKIP_PLUGIN=1) the golangci-lint plugin test.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go mod tidy -diff (go.mod and go.sum must be tidy)"
go mod tidy -diff

echo "== go vet ./..."
go vet ./...

echo "== go test ./..."
go test -count=1 ./...

echo "== go test -race ./runtime/..."
go test -count=1 -race ./runtime/...

# ---- golangci-lint plugin ------------------------------------------------
# Builds the custom golangci-lint from the module proxy (cold: minutes; then
# cached by source hash) and runs the plugin test. RL_SKIP_PLUGIN=1 skips it.
if [ "${RL_SKIP_PLUGIN:-0}" != 1 ]; then
	echo "== golangci-lint plugin test (scripts/golangci-test.sh): builds a custom golangci-lint v2.15.0 from the module proxy (about 5 minutes cold and silent while go build runs; seconds when cached), then lints fixture projects with it"
	./scripts/golangci-test.sh
else
	echo "== golangci-lint plugin test skipped (RL_SKIP_PLUGIN=1)"
fi
# ---- end golangci-lint plugin --------------------------------------------

# ---- bench module: runtime/recovery vs peer retry libraries -------------
# A separate module: vet it, run its adapter tests and one quick pass of
# every benchmark (100 iterations each, so CI stays fast; the recorded
# numbers in docs/bench/recovery.md come from a full run).
echo "== bench module: go vet, tests, benchmarks x100"
(cd bench && go vet ./... && go test -count=1 -run . -bench . -benchtime 100x ./...)
# ---- end bench module ----------------------------------------------------

# ---- Prometheus exporter module -----------------------------------------
# A separate module (it requires prometheus/client_golang) so that
# runtime/intelligence keeps no dependency outside the standard library.
echo "== exporters/prometheus module: go vet, tests"
(cd exporters/prometheus && go vet ./... && go test -count=1 ./...)
# ---- end Prometheus exporter module --------------------------------------
