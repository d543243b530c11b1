#!/usr/bin/env bash
# A hand-written service over two issue trackers: Tracker over go-github
# (tracker.go: CreateAndLabel = Issues.Create then Issues.AddLabelsToIssue,
# Create, CopyIssue = Issues.Get then Issues.Create) and Desk over a
# hand-written SDK-like client whose NewRequest takes the method and whose
# Do sends (desk.go: Open = a POST then a PATCH, File = one POST), with a
# fake server (probe_test.go) that answers 503 once to one request, before
# acting on it, and counts the issues and tickets created, before and
# after resilience-lint -fix. A POST that succeeded before a later call
# that fails must not be sent again; a POST (or a GET) that fails itself
# is retried. go-github's Client.Do writes its rate-limit caches
# (Client.rateLimits, a map, and secondaryRateLimitReset, read back)
# before it checks the status, which refuses every Tracker method by
# default; RW_DECLARE=1 declares them repeatable writes, so that -fix
# judges the requests themselves.
#   scripts/realworld/testdata/createwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/tracker.Tracker", "example.com/tracker.Desk"]'
if [ -n "${RW_DECLARE:-}" ]; then
	config='repeatable-writes: ["github.com/google/go-github/v75/github.Client.rateLimits", "github.com/google/go-github/v75/github.Client.secondaryRateLimitReset"]'$'\n'
fi
. "$(dirname "$0")/../../wrapper.sh"
