#!/usr/bin/env bash
# A hand-written wrapper of cloud.google.com/go/storage's Client
# (store.go), as a service would have one, with a counting server of the
# JSON and XML APIs (probe_test.go): requests per failure before and after
# resilience-lint -fix, with the agent type Store.
#   scripts/realworld/testdata/gcswrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/blob.Store"]'
. "$(dirname "$0")/../../wrapper.sh"
