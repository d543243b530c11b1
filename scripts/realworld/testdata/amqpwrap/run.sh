#!/usr/bin/env bash
# A hand-written wrapper of amqp091-go (broker.go: a Publisher and a
# Consumer), as a service would have one, with a fake AMQP broker over
# net.Pipe (probe_test.go): the frames each call writes and the broker
# receives, per failure, before and after resilience-lint -fix, with the
# agent types Publisher and Consumer.
#   scripts/realworld/testdata/amqpwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/broker.Publisher", "example.com/broker.Consumer"]'
. "$(dirname "$0")/../../wrapper.sh"
