# table.awk turns `go test -bench . -benchmem` output of this module into
# the Markdown tables of docs/bench/recovery.md: ns/op, B/op, allocs/op and
# the ratio to the direct call (success path) or to recovery (failure path).
#   go test -run '^$' -bench . -benchmem ./... | tee bench.txt
#   awk -f table.awk bench.txt
/^Benchmark(Success|Failure)\// {
	split($1, parts, "/")
	group = substr(parts[1], 10)
	name = substr($1, length(parts[1]) + 2)
	sub(/-[0-9]+$/, "", name)
	n[group]++
	names[group, n[group]] = name
	ns[group, name] = $3
	bytes[group, name] = $5
	allocs[group, name] = $7
}
END {
	emit("Success", "direct", "success path (first attempt succeeds)")
	emit("Failure", "recovery", "failure path (3 failed attempts, no waiting)")
}
function emit(g, base, title,    i, name) {
	if (n[g] == 0) return
	printf "\n### %s\n\n| library | ns/op | B/op | allocs/op | ratio to %s |\n| --- | ---: | ---: | ---: | ---: |\n", title, base
	for (i = 1; i <= n[g]; i++) {
		name = names[g, i]
		printf "| %s | %s | %s | %s | %.2fx |\n", name, ns[g, name], bytes[g, name], allocs[g, name], ns[g, name] / ns[g, base]
	}
}
