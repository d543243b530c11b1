#!/usr/bin/env bash
# A release tool (release.go) whose methods change the world outside the
# process (a build script run, a line appended to a log, an artifact
# renamed) and then tell a server, with a probe (probe_test.go) whose
# server answers 503 to the first notification: script runs, log lines,
# the artifact and the error per method, before and after
# resilience-lint -fix, with the agent type Releaser.
#   scripts/realworld/testdata/oswrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/release.Releaser"]'
. "$(dirname "$0")/../../wrapper.sh"
