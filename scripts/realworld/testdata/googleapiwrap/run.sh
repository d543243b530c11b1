#!/usr/bin/env bash
# A hand-written wrapper of two Google API clients (library.go: Drive's
# generated REST client google.golang.org/api/drive/v3 with Do, Pages and
# Media; metrics.go: Cloud Monitoring's gapic client, retrying through
# gax-go), with a counting Drive server (httptest) and an in-process
# Monitoring server over bufconn (probe_test.go): requests per failure
# before and after resilience-lint -fix, with the agent types Library and
# Metrics.
#   scripts/realworld/testdata/googleapiwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/docs.Library", "example.com/docs.Metrics", "example.com/docs.Changes"]'
. "$(dirname "$0")/../../wrapper.sh"
