#!/usr/bin/env bash
# A hand-written wrapper of cloud.google.com/go/pubsub/v2's Client
# (topics.go), as a service would have one, with pstest and a counting
# gRPC interceptor (probe_test.go): RPCs per failure before and after
# resilience-lint -fix, with the agent type Admin.
#   scripts/realworld/testdata/pubsubwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/topics.Admin"]'
. "$(dirname "$0")/../../wrapper.sh"
