module example.com/fixture

go 1.26.0

require github.com/resilience-lint/resilience-lint v0.0.0-00010101000000-000000000000

// The plugin test copies this project to a temporary directory, points the
// replace at the repository root and runs go mod tidy there.
replace github.com/resilience-lint/resilience-lint => ../../../..
