# cpumedian.awk summarises the cpu-ns/op metric of `go test -bench` output
# (the benchmark thread's CPU time per call, see cpuLoop) as a Markdown
# table: one row per benchmark, in first-seen order, with its median and
# every run (docs/bench/intelligence.md).
#   awk -f cpumedian.awk bench.txt
/^Benchmark/ {
	for (i = 3; i < NF; i++) if ($(i + 1) == "cpu-ns/op") {
		name = $1
		if (!(name in n)) order[++names] = name
		runs[name, ++n[name]] = $i
	}
}
END {
	print "| benchmark | median cpu-ns/op | runs |"
	print "| --- | ---: | --- |"
	for (k = 1; k <= names; k++) {
		name = order[k]; m = n[name]; list = ""
		for (i = 1; i <= m; i++) { v[i] = runs[name, i] + 0; list = list (i > 1 ? " / " : "") runs[name, i] }
		for (i = 2; i <= m; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
		s = name; sub(/^Benchmark/, "", s)
		printf "| `%s` | %s | %s |\n", s, v[int((m + 1) / 2)], list
	}
}
