#!/usr/bin/env bash
# The real-world sweep: resilience-lint on modules from the Go module proxy,
# judged by the modules' own test suites before and after -fix.
#
#   scripts/real-world.sh [name ...]      (default: every module in
#                                          scripts/realworld/modules.txt)
#
# Not part of the test command (it downloads modules and runs their test
# suites twice: about 10-20 minutes). For each module it:
#   1. copies MODULE@VERSION out of the module cache into $RW_WORK/<name>
#      (default /tmp/rl-realworld), writes .resilience.yml selecting the
#      agent types of modules.txt, and adds this checkout's runtime to go.mod
#      (require + replace) so the rewritten code can build;
#   2. runs its tests (`go test -vet=off -json ./...`: go vet runs on its own
#      in step 4, and some modules fail vet in their tests), before;
#   3. lints it (findings, report JSON) and counts, independently
#      (scripts/realworld/astcount), the methods that do work that can fail;
#   4. runs `resilience-lint -fix ./...`, then go build, go vet and its tests
#      again, after, and compares (scripts/realworld/testdiff.py): a test that
#      passed before and does not pass after is BROKEN;
#   5. runs -fix a second time: it must change nothing.
# Probes of our own (scripts/realworld/testdata/probes/<name>/*_test.go: an httptest
# server counting requests per status) are copied in before step 2; their
# "PROBE ..." lines are printed before and after.
#
# RW_EXTRA_CONFIG adds lines to every module's .resilience.yml (a
# repeatable-writes declaration, say). RW_PACKAGES names the packages
# whose tests run (default ./...), for a module whose integration tests
# need servers or more time than a sweep has (nats.go's ./test and
# ./jetstream/test): lint, -fix, build and vet still cover ./... .
# RW_STRIP_GENERATED=1 removes the generated-file headers first (see
# below): an experiment for SDKs whose API methods are all generated.
#
# Results go to $RW_WORK/<name>/rw-*.txt and a summary to stdout and
# $RW_WORK/summary.md. Exit 1 when any module has a BROKEN test, a build
# failure after -fix or a second -fix that changes something.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="${RW_WORK:-/tmp/rl-realworld}"
timeout_tests="${RW_TEST_TIMEOUT:-15m}"
pkgs="${RW_PACKAGES:-./...}"
mkdir -p "$work"
# The checksum database is not reachable from every machine this runs on.
export GOFLAGS=-mod=mod GOSUMDB=off
# A module zip may hold a go.work naming modules that are not in it
# (linodego): each module is built on its own.
export GOWORK=off

rl="$work/resilience-lint"
astcount="$work/astcount"
(cd "$root" && go build -o "$rl" ./cmd/resilience-lint && go build -o "$astcount" ./scripts/realworld/astcount) || exit 1

summary="$work/summary.md"
printf '| module | agent methods (AST) | findings | rewritten files | left after -fix | build | vet | tests before -> after | broken | test time before -> after | 2nd -fix |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n' >"$summary"
status=0

sweep() {
	local name="$1" modver="$2" agents="$3"
	local dir="$work/$name"
	echo "=== $name ($modver)"
	local src
	src="$(go mod download -json "$modver" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
	[ -n "$src" ] || { echo "$name: download failed"; status=1; return; }
	rm -rf "$dir"
	cp -r "$src" "$dir"
	chmod -R u+w "$dir"
	cd "$dir" || return
	# A module of a monorepo may replace its siblings by relative paths
	# (aws-sdk-go-v2's services: "=> ../../"), which are not in the copy:
	# drop those, so that the required versions come from the proxy.
	local old
	for old in $(go mod edit -json | python3 -c 'import json,sys; [print(r["Old"]["Path"]) for r in json.load(sys.stdin).get("Replace") or [] if r["New"]["Path"].startswith(".")]'); do
		local to
		to="$(go mod edit -json | python3 -c 'import json,sys; print([r["New"]["Path"] for r in json.load(sys.stdin)["Replace"] if r["Old"]["Path"]==sys.argv[1]][0])' "$old")"
		[ -f "$to/go.mod" ] || go mod edit -dropreplace="$old"
	done
	printf 'agent-types: %s\n' "$agents" >.resilience.yml
	# RW_EXTRA_CONFIG: more .resilience.yml lines (e.g. repeatable-writes).
	[ -z "${RW_EXTRA_CONFIG:-}" ] || printf '%s\n' "$RW_EXTRA_CONFIG" >>.resilience.yml
	go mod edit -require=github.com/resilience-lint/resilience-lint@v0.0.0 \
		-replace=github.com/resilience-lint/resilience-lint="$root"
	# go get raises the go directive to what the runtime's module needs, so
	# that before and after build with the same language version (and go
	# vet runs the same checks); tidy then fills go.sum for the tests.
	go get github.com/resilience-lint/resilience-lint@v0.0.0 >rw-setup.txt 2>&1
	go mod tidy -e >>rw-setup.txt 2>&1
	# RW_STRIP_GENERATED=1: drop the "Code generated ... DO NOT EDIT."
	# lines of non-test files, so that generated API methods (which the
	# tool never rewrites) are judged as hand-written code around the same
	# calls would be: an experiment, not what a user gets.
	if [ -n "${RW_STRIP_GENERATED:-}" ]; then
		grep -rlZ --include='*.go' --exclude='*_test.go' -E '^// Code generated .* DO NOT EDIT\.$' . |
			xargs -0 -r sed -i -E '/^\/\/ Code generated .* DO NOT EDIT\.$/d'
	fi
	if [ -d "$root/scripts/realworld/testdata/probes/$name" ]; then
		cp "$root/scripts/realworld/testdata/probes/$name/"*_test.go .
	fi
	git init -q . && git add -A && git -c user.email=rw@x -c user.name=rw commit -qm before

	local t0 t1 tb ta
	# Build the test binaries first (running none), so that the timed runs
	# before and after compare the tests, not a cold build with a warm one.
	go test -vet=off -count=1 -run '^$' $pkgs >/dev/null 2>&1
	t0=$(date +%s.%N)
	go test -vet=off -count=1 -timeout "$timeout_tests" -json $pkgs >rw-test-before.json 2>rw-test-before.err
	t1=$(date +%s.%N)
	tb=$(echo "$t1 - $t0" | bc)

	"$astcount" -agent-types "$agents" ./... >rw-astcount.txt 2>&1
	"$rl" ./... >rw-lint.txt 2>&1
	local findings
	findings=$(grep -c ': ' rw-lint.txt)
	"$rl" report -format json ./... >rw-report-before.json 2>/dev/null

	"$rl" -fix ./... >rw-fix.txt 2>&1
	local files
	files=$(git diff --name-only | grep -c '\.go$')
	local build=ok vet=ok
	go build ./... >rw-build.txt 2>&1 || { build=FAIL; status=1; }
	go vet ./... >rw-vet-after.txt 2>&1 || vet=fails
	if [ "$vet" = fails ]; then
		if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
			git stash -q && { go vet ./... >rw-vet-before.txt 2>&1 || vet="fails (before too)"; } ; git stash pop -q
		else
			vet="fails (before too)" # -fix changed nothing
		fi
	fi

	go test -vet=off -count=1 -run '^$' $pkgs >/dev/null 2>&1
	t0=$(date +%s.%N)
	go test -vet=off -count=1 -timeout "$timeout_tests" -json $pkgs >rw-test-after.json 2>rw-test-after.err
	t1=$(date +%s.%N)
	ta=$(echo "$t1 - $t0" | bc)
	python3 "$root/scripts/realworld/testdiff.py" rw-test-before.json rw-test-after.json >rw-testdiff.txt
	local broken
	broken=$(sed -n 's/^broken: //p' rw-testdiff.txt)
	[ "${broken:-1}" = 0 ] || status=1
	grep -h -o 'PROBE[^"]*' rw-test-before.json | sed 's/\\n$//; s/^/before: /' >rw-probes.txt
	grep -h -o 'PROBE[^"]*' rw-test-after.json | sed 's/\\n$//; s/^/after:  /' >>rw-probes.txt

	git add -A && git -c user.email=rw@x -c user.name=rw commit -qm fix
	"$rl" -fix ./... >rw-fix2.txt 2>&1
	local second=nothing
	[ -z "$(git status --porcelain -- '*.go')" ] || { second=CHANGED; status=1; }
	"$rl" report -format json ./... >rw-report-after.json 2>/dev/null

	python3 "$root/scripts/realworld/detect.py" rw-astcount.txt rw-report-before.json rw-report-after.json >rw-detect.txt
	local left
	left=$(grep -c '^[^ ]*\.go:[0-9]*:[0-9]*: ' rw-fix2.txt)
	local ast
	ast=$(sed -n 's/^total //p' rw-astcount.txt)
	local counts
	counts=$(sed -n 's/^tests: //p' rw-testdiff.txt)
	printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0fs -> %.0fs (%.2fx) | %s |\n' \
		"$name" "${ast:-?}" "$findings" "$files" "$left" "$build" "$vet" "$counts" "${broken:-?}" \
		"$tb" "$ta" "$(echo "$ta / $tb" | bc -l)" "$second" >>"$summary"
	cat rw-detect.txt rw-testdiff.txt rw-probes.txt
	cd "$work" || return
}

want=" $* "
while read -r name modver rest; do
	case "$name" in '' | '#'*) continue ;; esac
	[ $# -eq 0 ] || [[ "$want" == *" $name "* ]] || continue
	agents="$(printf '%s' "$rest" | sed 's/^\(\[[^]]*\]\).*/\1/')"
	sweep "$name" "$modver" "$agents"
done <"$root/scripts/realworld/modules.txt"

echo
cat "$summary"
exit $status
