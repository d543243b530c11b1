#!/usr/bin/env bash
# A hand-written wrapper of a gRPC service (registry.go: generated-style
# stubs in stubs.go and grpc's health client) with an in-process server
# over bufconn counting calls per failure (probe_test.go), on a plain
# connection, one with a retryPolicy in its service config and one with
# go-grpc-middleware's retry interceptor, before and after
# resilience-lint -fix, with the agent type Registry.
#   scripts/realworld/testdata/grpcwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/registry.Registry"]'
. "$(dirname "$0")/../../wrapper.sh"
