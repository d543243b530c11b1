#!/usr/bin/env bash
# A hand-written wrapper of the Docker Engine API client (engine.go:
# Containers, Run = ContainerCreate then ContainerStart, Remove, Build
# from an io.Reader, BuildBytes, Pull), with a fake daemon (probe_test.go)
# that counts what each call sends when a request fails with a reset
# connection, before it reaches the daemon ("reset") or after the daemon
# acted ("sent-reset"), before and after resilience-lint -fix, with the
# agent type Engine. RW_DECLARE=1 declares the client's API-version
# negotiation (Client.negotiated, clientConfig.version) as repeatable writes,
# the workaround for the refusals it causes: then -fix wraps methods.
#   scripts/realworld/testdata/dockerwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/engine.Engine"]'
if [ -n "${RW_DECLARE:-}" ]; then
	config='repeatable-writes: ["github.com/moby/moby/client.Client.negotiated", "github.com/moby/moby/client.clientConfig.version"]'$'\n'
fi
. "$(dirname "$0")/../../wrapper.sh"
