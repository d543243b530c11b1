#!/usr/bin/env bash
# A hand-written event bus over franz-go's kgo.Client (bus.go), as a
# service would have one, with a probe (probe_test.go) on franz-go's
# in-process fake cluster (kfake) that counts the produce requests the
# cluster receives, the records it keeps, and the records a consumer
# hands to its handler, per injected failure, before and after
# resilience-lint -fix, with the agent type EventBus.
#   scripts/realworld/testdata/kafkawrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/events.EventBus"]'
. "$(dirname "$0")/../../wrapper.sh"
