#!/usr/bin/env bash
# A hand-written module of job-queue handlers (handlers.go: an asynq
# Handler and a river Worker, as the frameworks' docs write them) over a
# mail API client (mailer.go), with a probe (probe_test.go) driving the
# handlers directly against a counting server: requests, the framework's
# sentinel errors (errors.Is/As) and asynq's panic message, before and
# after resilience-lint -fix.
#   default: the handlers are workers (ProcessTask, Work), Mailer an agent;
#   RW_HANDLER_AGENTS=1: the handler types themselves are the agents (a
#   user wanting the job retried inline), no workers;
#   RW_SPLIT=1: Mailer moves to a package of its own (example.com/jobs/mail),
#   so that the handlers reach an agent method of another package.
#   scripts/realworld/testdata/jobswrap/run.sh [workdir]
set -euo pipefail
if [ -n "${RW_SPLIT:-}" ]; then
	agents='["example.com/jobs/mail.Mailer"]'
	config='worker-methods: [ProcessTask, Work]'$'\n'
	setup() {
		mkdir mail
		sed 's/^\/\/ Package jobs is.*/\/\/ Package mail is the mail API client of the job handlers of package jobs./; s/^package jobs$/package mail/' mailer.go >mail/mailer.go
		rm mailer.go
		sed -i 's/\*Mailer$/*mail.Mailer/; s/\*StatusError$/*mail.StatusError/; s/&Mailer{/\&mail.Mailer{/g; s#^\t"github.com/hibiken/asynq"$#\t"example.com/jobs/mail"\n\t"github.com/hibiken/asynq"#' handlers.go probe_test.go
		gofmt -l . | xargs -r gofmt -w
	}
elif [ -z "${RW_HANDLER_AGENTS:-}" ]; then
	agents='["example.com/jobs.Mailer"]'
	config='worker-methods: [ProcessTask, Work]'$'\n'
else
	agents='["example.com/jobs.EmailHandler", "example.com/jobs.SendWorker"]'
	config='worker-types: []'$'\n'
	setup() { sed -i '/^\/\/resilience:worker$/d' handlers.go; }
fi
. "$(dirname "$0")/../../wrapper.sh"
