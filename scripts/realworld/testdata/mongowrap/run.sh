#!/usr/bin/env bash
# A hand-written repository over the MongoDB Go driver v2's Collection
# (inventory.go), as a service would have one, with the agent type
# Store: lint and -fix only (no probe: a fake server would have to speak
# the wire protocol's OP_MSG handshake, sessions and transactions).
#   scripts/realworld/testdata/mongowrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/inventory.Store"]'
. "$(dirname "$0")/../../wrapper.sh"
