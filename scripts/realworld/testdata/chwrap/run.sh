#!/usr/bin/env bash
# A hand-written metrics writer over clickhouse-go's native interface
# (metrics.go), as a service would have one, linted and rewritten with the
# agent type Metrics. clickhouse-go needs a ClickHouse server (none here):
# no probe; the sweep reads the lint and the -fix (the rewritten module
# must build and vet).
#   scripts/realworld/testdata/chwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/metrics.Metrics"]'
. "$(dirname "$0")/../../wrapper.sh"
