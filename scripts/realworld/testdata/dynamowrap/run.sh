#!/usr/bin/env bash
# A hand-written repository over aws-sdk-go-v2's dynamodb.Client
# (orders.go), as a service would have one, with a counting fake
# DynamoDB server speaking the JSON 1.0 protocol (probe_test.go):
# requests per operation and failure, and the table's state after the
# call (stock, view counter, items, receipts), before and after
# resilience-lint -fix, with the agent type Store. RW_NORETRY=1 builds
# the probe's clients with aws.NopRetryer and excludes the dynamodb
# client from the default retrying types (exclude-retry-funcs), as for a
# service that turned the SDK's retry off: then -fix wraps methods.
#   scripts/realworld/testdata/dynamowrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/orders.Store"]'
if [ -n "${RW_NORETRY:-}" ]; then
	config='exclude-retry-funcs: ["github.com/aws/aws-sdk-go-v2/service/dynamodb"]'$'\n'
	export RW_NORETRY
fi
. "$(dirname "$0")/../../wrapper.sh"
