#!/usr/bin/env bash
# A hand-written wrapper of aws-sdk-go-v2's s3.Client and the transfer
# manager's Uploader (store.go), as a service would have one, with a
# counting fake S3 server (probe_test.go): requests per failure, bytes
# read from the caller's io.Reader, the objects and open multipart
# uploads left on the server, before and after resilience-lint -fix,
# with the agent type Store. RW_NORETRY=1 builds the probe's clients
# with aws.NopRetryer and excludes the s3 clients from the default
# retrying types (exclude-retry-funcs), as for a service that retries on
# its own: then -fix wraps methods, and the probe shows what the wrapped
# ones do with a drained reader and a failed page.
#   scripts/realworld/testdata/s3wrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/store.Store"]'
if [ -n "${RW_NORETRY:-}" ]; then
	config='exclude-retry-funcs: ["github.com/aws/aws-sdk-go-v2/service/s3"]'$'\n'
	export RW_NORETRY
fi
. "$(dirname "$0")/../../wrapper.sh"
