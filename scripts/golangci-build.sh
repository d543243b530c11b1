#!/usr/bin/env bash
# Builds the custom golangci-lint (golangci-lint v2 with resilience-lint's
# module plugin compiled in) from the Go module proxy: the "manual way" of
# docs/golangci-lint.md, which needs no git access to GitHub.
#
# Prints the binary's path on stdout (progress goes to stderr). The binary is
# kept in a cache directory, named by a hash of everything it is built from
# (the plugin's, analyzers' and fixers' sources, both go.mod/go.sum pairs and
# the Go version), and reused while that hash is unchanged. The same hash is
# the binary's version, which golangci-lint uses to salt its result cache.
#
# Environment:
#   RL_GOLANGCI_CACHE  cache directory (default ${XDG_CACHE_HOME:-~/.cache}/resilience-lint/golangci)
#   RL_GOLANGCI_FORCE  1: rebuild even if a binary with this hash exists
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/tools/golangci"
cache="${RL_GOLANGCI_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/resilience-lint/golangci}"
mkdir -p "$cache"

# Inputs of the build: the main module's non-test Go sources outside
# testdata and outside nested modules (tools/, bench/, fixtures), both
# module files, the tools main package, and the toolchain.
sources() {
	(
		cd "$root"
		find . \( -name testdata -o -name .git -o -name .cache -o -name node_modules \) -prune -o \
			-type d -exec test -e '{}/go.mod' \; ! -path . -prune -o \
			-type f -name '*.go' ! -name '*_test.go' -print
		printf '%s\n' ./go.mod ./go.sum ./tools/golangci/go.mod ./tools/golangci/go.sum ./tools/golangci/main.go
	) | LC_ALL=C sort -u
}

hash="$(
	cd "$root"
	{
		go env GOVERSION GOOS GOARCH
		sources | while IFS= read -r f; do
			printf '%s\n' "$f"
			[ -e "$f" ] && sha256sum <"$f"
		done
	} | sha256sum | cut -c1-16
)"
bin="$cache/golangci-lint-$hash"

if [ -x "$bin" ] && [ "${RL_GOLANGCI_FORCE:-0}" != 1 ]; then
	echo "golangci-build: reusing $bin" >&2
	echo "$bin"
	exit 0
fi

# Build with a private copy of tools/golangci's go.mod/go.sum and -mod=mod:
# the main module (replaced by ../..) gains dependencies before the tools
# module's go.sum lists them, and the build must not edit tracked files.
work="$(mktemp -d "$cache/build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp "$tools/go.mod" "$tools/go.sum" "$work/"
cd "$tools"
modflags=(-mod=mod -modfile="$work/go.mod")

gclversion="$(go list "${modflags[@]}" -m -f '{{.Version}}' github.com/golangci/golangci-lint/v2)"
version="${gclversion#v}-resilience-lint-$hash"
echo "golangci-build: building golangci-lint $version (a cold build takes minutes)" >&2
start=$SECONDS
go build "${modflags[@]}" -buildvcs=false -trimpath \
	-ldflags "-s -w -X main.version=$version -X main.commit=$hash -X main.date=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	-o "$work/golangci-lint" .
mv -f "$work/golangci-lint" "$bin"
echo "golangci-build: built $bin in $((SECONDS - start))s" >&2

# Keep the five newest binaries: several checkouts may share the cache.
ls -1t "$cache"/golangci-lint-* 2>/dev/null | tail -n +6 | xargs -r rm -f --

echo "$bin"
