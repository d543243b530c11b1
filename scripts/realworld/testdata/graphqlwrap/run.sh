#!/usr/bin/env bash
# A hand-written service over three GraphQL clients (catalog.go, and
# generated.go as genqlient generates operations): Catalog over
# github.com/Khan/genqlient (queries, a partial answer, a history written
# per lookup, a mutation), Orders over github.com/machinebox/graphql and
# Inventory over github.com/shurcooL/graphql (a query and a mutation
# each), with a probe (probe_test.go) whose fake GraphQL server counts
# the requests per root field and the orders and reservations created when
# a request fails (reset before or after the server acted, 503, a GraphQL
# error in HTTP 200, partial data), before and after resilience-lint -fix.
#   scripts/realworld/testdata/graphqlwrap/run.sh [workdir]
set -euo pipefail
agents='["example.com/catalog.Catalog", "example.com/catalog.Orders", "example.com/catalog.Inventory"]'
. "$(dirname "$0")/../../wrapper.sh"
