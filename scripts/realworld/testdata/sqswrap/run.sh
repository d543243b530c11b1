#!/usr/bin/env bash
# A hand-written wrapper of aws-sdk-go-v2's sqs.Client (queue.go), as a
# service would have one, with the sqs probe's counting server
# (probe_test.go): requests per failure before and after resilience-lint
# -fix, with the agent type Queue. RW_RETRYING=1 also declares
# sqs.Client in retrying-types (the workaround).
#   scripts/realworld/testdata/sqswrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/queue.Queue"]'
[ -z "${RW_RETRYING:-}" ] || config='retrying-types: ["github.com/aws/aws-sdk-go-v2/service/sqs.Client"]'$'\n'
. "$(dirname "$0")/../../wrapper.sh"
