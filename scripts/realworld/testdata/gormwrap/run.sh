#!/usr/bin/env bash
# A hand-written repository over gorm (users.go), as a service would have
# one, with a probe (probe_test.go) whose fake database/sql driver, under
# gorm's postgres dialector, counts the statements the database keeps
# when a connection fails before or after executing one: reads and kept
# statements per call before and after resilience-lint -fix, with the
# agent type Repo.
#   scripts/realworld/testdata/gormwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/users.Repo"]'
. "$(dirname "$0")/../../wrapper.sh"
