#!/usr/bin/env bash
# A hand-written repository over aws-sdk-go-v2's dynamodb.Client
# (orders.go), as a service would have one, with a counting fake
# DynamoDB server speaking the JSON 1.0 protocol (probe_test.go):
# requests per operation and failure, and the table's state after the
# call (stock, view counter, items, receipts), before and after
# resilience-lint -fix, with the agent type Store.
#   scripts/realworld/testdata/dynamowrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/orders.Store"]'
. "$(dirname "$0")/../../wrapper.sh"
