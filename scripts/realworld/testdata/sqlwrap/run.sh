#!/usr/bin/env bash
# A hand-written repository over database/sql (orders.go), as a service
# would have one, with a probe (probe_test.go) whose fake driver counts
# the statements the database executes when a connection fails before or
# after executing one: executions per statement before and after
# resilience-lint -fix, with the agent type Repo.
#   scripts/realworld/testdata/sqlwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/orders.Repo"]'
. "$(dirname "$0")/../../wrapper.sh"
