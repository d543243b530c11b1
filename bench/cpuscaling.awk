# cpuscaling.awk is scaling.awk for the cpu-ns/op metric of the parallel
# benchmarks (the goroutines' threads' CPU time per iteration): per pair,
# the one- and two-goroutine CPU time per iteration and their ratio, which
# stays near 1 when the goroutines share no cache line and grows when, run
# at once, they contend for one (docs/bench/intelligence.md).
#   awk -v prefix=BenchmarkRecordParallel/ -v names=control,intelligence/distinct_ops -f cpuscaling.awk bench.txt
/^goos:/ { pass++; delete seen }
$1 ~ "^" prefix {
	for (i = 3; i < NF; i++) if ($(i + 1) == "cpu-ns/op") c = $i
	name = substr($1, length(prefix) + 1); two = sub(/-2$/, "", name)
	k = ++seen[name, two]; row = pass "." k
	if (!(row in rows)) { order[++nrows] = row; rows[row] = 1 }
	v[row, name, two] = c
}
END {
	k = split(names, ns, ",")
	printf "| run |"; for (i = 1; i <= k; i++) printf " %s | -2 | -2 / one |", ns[i]
	printf "\n| ---: |"; for (i = 1; i <= k; i++) printf " ---: | ---: | ---: |"; printf "\n"
	for (r = 1; r <= nrows; r++) { row = order[r]; printf "| %s |", row
		for (i = 1; i <= k; i++) { a = v[row, ns[i], 0]; b = v[row, ns[i], 1]; printf " %s | %s | %s |", a, b, (a > 0 ? sprintf("%.2f", b / a) : "") }
		printf "\n" }
}
