#!/usr/bin/env bash
# A hand-written wrapper of go-tfe's Client (deploy.go), as a deploy tool
# would have one, with a probe (probe_test.go) that counts the requests of
# each Deployer call against an httptest server per failure, before and
# after resilience-lint -fix, with the agent type Deployer.
#   scripts/realworld/testdata/tfewrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/deploy.Deployer"]'
. "$(dirname "$0")/../../wrapper.sh"
