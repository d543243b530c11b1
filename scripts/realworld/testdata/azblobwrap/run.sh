#!/usr/bin/env bash
# A hand-written wrapper of the Azure Blob Storage client (store.go: Put
# from an io.Reader through UploadStream, PutBytes through UploadBuffer,
# PutOnce through blockblob.Client.Upload, Get, Delete, a paginated List),
# with a counting fake Blob service (probe_test.go), before and after
# resilience-lint -fix, with the agent type Store.
#   scripts/realworld/testdata/azblobwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/blobstore.Store"]'
. "$(dirname "$0")/../../wrapper.sh"
