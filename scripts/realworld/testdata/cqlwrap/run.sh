#!/usr/bin/env bash
# A hand-written event store over gocql (store.go), as a service would
# have one, linted and rewritten with the agent type EventStore. gocql
# needs a Cassandra server (none here): no probe; the sweep reads the
# lint and the -fix (the rewritten module must build and vet).
#   scripts/realworld/testdata/cqlwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/store.EventStore"]'
. "$(dirname "$0")/../../wrapper.sh"
