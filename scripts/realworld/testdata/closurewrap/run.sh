#!/usr/bin/env bash
# A help-desk client over net/http (desk.go) whose methods send their POST
# through a function literal written first and called later (Submit: a
# quota GET, then the literal's POST; SubmitAssign: the literal's POST,
# then a PATCH) or parse the answer of their POST (Receipt: a POST, then
# strconv.Atoi of the reference it returned), with a fake server
# (probe_test.go) that answers 503 once to one request, before acting on
# it, and counts the tickets created, before and after resilience-lint
# -fix. A literal's request is judged where the literal runs; a parse
# failure is not retried, so it does not send the POST again.
#   scripts/realworld/testdata/closurewrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/desk.Desk"]'
. "$(dirname "$0")/../../wrapper.sh"
