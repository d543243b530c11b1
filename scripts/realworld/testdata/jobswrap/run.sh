#!/usr/bin/env bash
# A hand-written module of job-queue handlers (handlers.go: an asynq
# Handler and a river Worker, as the frameworks' docs write them) over a
# mail API client (mailer.go), with a probe (probe_test.go) driving the
# handlers directly against a counting server: requests, the framework's
# sentinel errors (errors.Is/As) and asynq's panic message, before and
# after resilience-lint -fix.
#   default: the handlers are workers (ProcessTask, Work), Mailer an agent;
#   RW_HANDLER_AGENTS=1: the handler types themselves are the agents (a
#   user wanting the job retried inline), no workers.
#   scripts/realworld/testdata/jobswrap/run.sh [workdir]
set -euo pipefail
if [ -z "${RW_HANDLER_AGENTS:-}" ]; then
	agents='["example.com/jobs.Mailer"]'
	config='worker-methods: [ProcessTask, Work]'$'\n'
else
	agents='["example.com/jobs.EmailHandler", "example.com/jobs.SendWorker"]'
	config='worker-types: []'$'\n'
	setup() { sed -i '/^\/\/resilience:worker$/d' handlers.go; }
fi
. "$(dirname "$0")/../../wrapper.sh"
