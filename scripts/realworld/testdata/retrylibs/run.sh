#!/usr/bin/env bash
# A client that already retries through seven third-party retry libraries
# and a retrying transport (client.go), with a server that always answers 503 (probe_test.go):
# requests per method before and after resilience-lint -fix. Only Plain,
# which sends once, may change (1 -> the default policy's attempts); a
# method that retries through a library must keep its count.
#   scripts/realworld/testdata/retrylibs/run.sh [workdir]
set -euo pipefail
agents='["example.com/retrylibs.Client"]'
. "$(dirname "$0")/../../wrapper.sh"
