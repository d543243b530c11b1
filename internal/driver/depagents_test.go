package driver_test

import (
	"context"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/driver"
	"github.com/resilience-lint/resilience-lint/internal/fixturemod"
)

// TestPatternsSelectTheLintedModules checks that configured agent patterns
// select types of the modules being linted, not of their dependencies:
// -fix never rewrites a dependency, so a method that delegates to a
// dependency's method a pattern happens to match ("*Client") gets a fix of
// its own instead of waiting for one no run writes. A type the
// dependency's own source marks //resilience:agent is still an agent there.
func TestPatternsSelectTheLintedModules(t *testing.T) {
	dir := fixturemod.Write(t, map[string]string{
		"go.mod":     "module example.com/fx\n\ngo 1.26\n\nrequire example.com/sdk v0.0.0\n\nreplace example.com/sdk => ./sdk\n",
		"sdk/go.mod": "module example.com/sdk\n\ngo 1.26\n",
		"sdk/sdk.go": `package sdk

import "os"

// Client is an SDK's client, matched by the pattern "*Client".
type Client struct{ Dir string }

// Get does work without retrying.
func (c *Client) Get() error { return os.Remove(c.Dir) }

// Store is marked an agent by its own module.
//
//resilience:agent
type Store struct{ Dir string }

// Put does work without retrying; its module means to route it.
func (s *Store) Put() error { return os.Remove(s.Dir) }
`,
		"api/api.go": `package api

import "os"

// HTTPClient is this module's own client, matched by "*Client".
type HTTPClient struct{ Dir string }

// Send does work without retrying.
func (c *HTTPClient) Send() error { return os.Remove(c.Dir) }
`,
		"agents/agents.go": `package agents

import (
	"example.com/fx/api"
	"example.com/sdk"
)

// Service delegates to the SDK and to this module's client.
type Service struct {
	c  *sdk.Client
	s  *sdk.Store
	hc *api.HTTPClient
}

// Get only delegates to the SDK's client: work to route here.
func (s *Service) Get() error { return s.c.Get() }

// Put only delegates to a method its module marks an agent.
func (s *Service) Put() error { return s.s.Put() }

// Send only delegates to this module's client, whose fix routes it.
func (s *Service) Send() error { return s.hc.Send() }
`,
	})
	cfg := &config.Config{ExtraAgentTypes: []string{"*Client"}}
	res, err := driver.Run(context.Background(), driver.Options{Dir: dir, Patterns: []string{"./..."}, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	messages := map[string]string{}
	for _, f := range res.Findings {
		if f.Analyzer == "retrycoverage" {
			name, _, _ := strings.Cut(f.Message, " ")
			messages[name] = f.Message
		}
	}
	tests := []struct{ method, want string }{
		{"Service.Get", "(run resilience-lint -fix"},
		{"Service.Put", "resilience-lint -fix routes sdk.Store.Put, then this method by delegation"},
		{"Service.Send", "resilience-lint -fix routes api.HTTPClient.Send, then this method by delegation"},
		{"HTTPClient.Send", "(run resilience-lint -fix"},
	}
	for _, tt := range tests {
		if got := messages[tt.method]; !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want it to contain %q", tt.method, got, tt.want)
		}
	}
	if len(messages) != len(tests) {
		t.Errorf("findings for %d methods, want %d: %v", len(messages), len(tests), messages)
	}
}
