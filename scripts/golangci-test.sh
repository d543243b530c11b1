#!/usr/bin/env bash
# The golangci-lint plugin test: builds the custom golangci-lint (reusing a
# cached binary when its sources are unchanged) and runs the Go tests in
# tools/golangci/plugintest, which drive that binary over the fixture
# project (findings, nolint, settings, --fix, JSON and SARIF outputs) and
# over this repository with its own .golangci.yml.
#
# Extra arguments go to go test (e.g. -run TestFix -v).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

bin="$("$root/scripts/golangci-build.sh")"
echo "== custom golangci-lint: $("$bin" version)"

cd "$root/tools/golangci"
RL_GOLANGCI_BIN="$bin" go test -count=1 "$@" ./plugintest/
