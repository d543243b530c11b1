// Package plugintest tests resilience-lint's golangci-lint module plugin
// inside a real golangci-lint: the custom binary built by
// scripts/golangci-build.sh, run over the fixture project in
// ../testdata/project and over this repository with its own .golangci.yml.
//
// Run it with scripts/golangci-test.sh, or directly with go test in
// tools/golangci; RL_GOLANGCI_BIN names a prebuilt binary, otherwise the
// test runs the build script (which reuses a cached binary).
//
// The package imports only the standard library, so that testing it does
// not compile golangci-lint a second time.
package plugintest
