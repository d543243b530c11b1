package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		want    *Config
		wantErr []string // substrings of the error, "" = no error
	}{
		{name: "empty", yaml: "", want: Default()},
		{name: "comment only", yaml: "# nothing\n", want: Default()},
		{
			name: "lists and scalars",
			yaml: "agent-types: [\"*Agent\"]\nworker-methods:\n  - Run\npolicy: a.policy\ninclude-tests: true\n",
			want: &Config{AgentTypes: []string{"*Agent"}, WorkerMethods: []string{"Run"}, Policy: "a.policy", PolicySource: "cfg.yml:4", IncludeTests: true},
		},
		{
			name:    "unknown key",
			yaml:    "agent-types: [x]\nagent-typez: [y]\n",
			wantErr: []string{"cfg.yml:2:", "agent-typez", "unknown key", "did you mean agent-types?"},
		},
		{
			name:    "unknown key, nothing close",
			yaml:    "colour: blue\n",
			wantErr: []string{"cfg.yml:1:", "colour", "known keys: agent-types, extra-agent-types"},
		},
		{
			name:    "wrong type",
			yaml:    "include-tests: maybe\n",
			wantErr: []string{`cfg.yml:1: include-tests: want true or false, got the string "maybe"`},
		},
		{
			name:    "wrong type: a string for a list",
			yaml:    "policy: a.p\nagent-types: Loader\n",
			wantErr: []string{`cfg.yml:2: agent-types: want a list of strings, got the string "Loader"`},
		},
		{
			name:    "wrong type: a list in a list",
			yaml:    "worker-methods:\n  - Run\n  - [a, b]\n",
			wantErr: []string{"cfg.yml:3: worker-methods: want a string, got a list"},
		},
		{
			name:    "wrong type: a mapping for a string",
			yaml:    "policy: {a: b}\n",
			wantErr: []string{"cfg.yml:1: policy: want a string, got a mapping"},
		},
		{
			name:    "invalid value",
			yaml:    "agent-types: [x]\nworker-methods: [\"not a name\"]\n",
			wantErr: []string{"cfg.yml:2:", "worker-methods", "not a method name"},
		},
		{
			name: "repeatable-funcs",
			yaml: "repeatable-funcs: [example.com/metrics.Counter.Inc]\n",
			want: &Config{RepeatableFuncs: []string{"example.com/metrics.Counter.Inc"}},
		},
		{
			name:    "invalid repeatable-funcs entry",
			yaml:    "policy: a.p\nrepeatable-funcs:\n  - Inc\n",
			wantErr: []string{"cfg.yml:2:", "repeatable-funcs", `"Inc"`},
		},
		{
			name: "repeatable-writes",
			yaml: "repeatable-writes: [github.com/digitalocean/godo.Client.Rate]\n",
			want: &Config{RepeatableWrites: []string{"github.com/digitalocean/godo.Client.Rate"}},
		},
		{
			name:    "invalid repeatable-writes entry",
			yaml:    "policy: a.p\nrepeatable-writes:\n  - Rate\n",
			wantErr: []string{"cfg.yml:2:", "repeatable-writes", `"Rate"`},
		},
		{
			name:    "repeatable-funcs misspelt",
			yaml:    "repeatable-func: [example.com/metrics.Counter.Inc]\n",
			wantErr: []string{"cfg.yml:1:", "did you mean repeatable-funcs?"},
		},
		{
			name:    "invalid policy expression",
			yaml:    "policy: \"a.(\"\n",
			wantErr: []string{"cfg.yml:1:", "policy", "not a Go expression"},
		},
		{
			name:    "syntax error",
			yaml:    "agent-types: [x\n",
			wantErr: []string{"cfg.yml:1:", "did not find expected"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("cfg.yml", []byte(tt.yaml))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("got %+v, want error", got)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				var fe *FileError
				if !errors.As(err, &fe) {
					t.Errorf("error %T is not a *FileError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestFindWalksUp(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(deep); err != nil || (got != "" && strings.HasPrefix(got, root)) {
		t.Fatalf("Find with no file = %q, %v", got, err)
	}
	file := filepath.Join(root, "a", ".resilience.yml")
	if err := os.WriteFile(file, []byte("worker-types: [\"*Job\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, got, err := Discover(deep)
	if err != nil {
		t.Fatal(err)
	}
	if got != file {
		t.Errorf("Discover found %q, want %q", got, file)
	}
	if !reflect.DeepEqual(cfg.WorkerTypes, []string{"*Job"}) {
		t.Errorf("worker-types = %v", cfg.WorkerTypes)
	}
}

func TestLoadUnreadable(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.yml"))
	if err == nil || !strings.Contains(err.Error(), "missing.yml") {
		t.Fatalf("got %v, want an error naming the file", err)
	}
}
