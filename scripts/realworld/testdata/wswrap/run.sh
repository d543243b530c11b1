#!/usr/bin/env bash
# A hand-written service over two websocket clients (feed.go): Feed over
# github.com/coder/websocket and Chat over github.com/gorilla/websocket,
# client types holding one connection (Connect = dial + first message,
# Send, Receive, Request = send + read the answer), with a probe
# (probe_test.go) whose websocket server counts connections and messages
# when a dial is reset, or the server cuts the connection after a message
# or before answering, before and after resilience-lint -fix.
#   scripts/realworld/testdata/wswrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/feed.Feed", "example.com/feed.Chat"]'
. "$(dirname "$0")/../../wrapper.sh"
