// Command resilience-lint proves that agent methods are routed through
// runtime/recovery and that workers are tracked by runtime/intelligence,
// and rewrites the code so that they are.
//
//	resilience-lint [flags] [packages]          lint (default ./...)
//	resilience-lint -fix [packages]             apply the suggested fixes
//	resilience-lint -diff [packages]            print them as a unified diff
//	resilience-lint report [packages]           coverage report and health score
//	resilience-lint version
//	go vet -vettool=$(which resilience-lint) ./...
//	go fix -fixtool=$(which resilience-lint) -diff ./...
//
// Exit status: 0 clean, 3 findings (or a non-empty -diff, or a report gate
// not met), 2 usage error (unknown flag, bad flag value, conflicting flags,
// the flag package's convention), 1 tool error (bad configuration,
// packages that fail to load, a fix that would not compile).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/resilience-lint/resilience-lint/internal/fixers"
	"github.com/resilience-lint/resilience-lint/internal/suite"
)

// Exit statuses.
const (
	exitClean    = 0
	exitError    = 1
	exitUsage    = 2
	exitFindings = 3
)

func main() {
	if isToolInvocation(os.Args[1:]) {
		// go vet -vettool / go fix -fixtool: the unitchecker protocol, one
		// package per process. Its configuration is the .resilience.yml
		// nearest to the package; analyzer flags override it.
		cfg, factsOnly, err := unitConfig(os.Args[1:])
		if err != nil {
			fmt.Fprintf(os.Stderr, "resilience-lint: %v\n", err)
			os.Exit(exitError)
		}
		if factsOnly {
			// Decide whether each fix exists (part of the Facts)
			// without printing rewrites nobody sees.
			fixers.FactsOnlyProcess()
		}
		unitchecker.Main(suite.Analyzers(cfg)...)
		return // unreachable: unitchecker.Main exits
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the CLI with args (without the program name) and returns the
// exit status.
func run(args []string, stdout, stderr io.Writer) int {
	// Ctrl-C cancels the go command and the analysis; nothing is written
	// unless -fix already got to its (atomic) writes.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	root := newRootCmd(stdout, stderr)
	root.SetArgs(normaliseArgs(args))
	err := root.ExecuteContext(ctx)
	code := exitStatus(err)
	if err != nil {
		var ee *exitErr
		if !errors.As(err, &ee) || ee.err != nil {
			msg := err.Error()
			note(stderr, "resilience-lint: %s\n", strings.TrimRight(msg, "\n"))
			if isUsageError(err) {
				note(stderr, "run 'resilience-lint --help' for usage\n")
			}
		}
	}
	return code
}

// exitErr carries an exit status; a nil err prints nothing (the output
// already said it).
type exitErr struct {
	code int
	err  error
}

func (e *exitErr) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitErr) Unwrap() error { return e.err }

// withExitCode makes err (which may be nil: print nothing) exit with code.
// Subcommands return withExitCode(exitFindings, nil) when they found
// something (findings, a non-empty diff, a failed gate).
func withExitCode(code int, err error) error {
	return &exitErr{code: code, err: err}
}

// exitStatus maps a command's error to the process exit status.
func exitStatus(err error) int {
	if err == nil {
		return exitClean
	}
	var ee *exitErr
	if errors.As(err, &ee) {
		return ee.code
	}
	if isUsageError(err) {
		return exitUsage
	}
	return exitError
}

// usageErr marks flag and argument errors (exit status 2).
type usageErr struct{ err error }

func (e usageErr) Error() string { return e.err.Error() }
func (e usageErr) Unwrap() error { return e.err }

func isUsageError(err error) bool {
	var u usageErr
	return errors.As(err, &u)
}

// usageArgs makes an argument validator's errors usage errors.
func usageArgs(v func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return usageErr{err}
		}
		return nil
	}
}
