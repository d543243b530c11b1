module github.com/resilience-lint/resilience-lint

go 1.26.0

require golang.org/x/tools v0.52.0

require (
	github.com/aymanbagabas/go-udiff v0.4.1 // indirect
	github.com/dave/dst v0.28.0 // indirect
	github.com/golangci/plugin-module-register v0.1.2 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/cobra v1.10.2 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
	go.uber.org/goleak v1.3.0 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/term v0.48.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
