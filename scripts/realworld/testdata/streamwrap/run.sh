#!/usr/bin/env bash
# A hand-written service over two SDKs that expose streams as Go 1.23
# iterators, iter.Seq2[T, error] (assistant.go): Assistant over a chat
# API's SDK (chatsdk.go: an SSE body; WriteTo writes each chunk to the
# caller's io.Writer, Record appends each to a field, Converse pings the
# API first and then does what Record does, Answer returns the collected
# text) and Gemini over google.golang.org/genai's
# GenerateContentStream (Answer, WriteTo), with a probe (probe_test.go)
# whose fake servers stream three chunks and fail a request before it
# arrives, with 503, or by cutting the stream after two chunks: requests
# and what the caller received, before and after resilience-lint -fix.
#   scripts/realworld/testdata/streamwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/assistant.Assistant", "example.com/assistant.Gemini"]'
. "$(dirname "$0")/../../wrapper.sh"
