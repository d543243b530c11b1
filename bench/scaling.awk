# scaling.awk pairs each run of a parallel benchmark X with the run of X-2
# (two goroutines) of the same rank in the same test binary invocation
# (which starts at "goos:"), and prints per pair the one- and
# two-goroutine ns/op and the scaling (one / two: 2 is perfect, 1 means
# the second goroutine added nothing). prefix is the benchmark's parent,
# names the sub-benchmarks, comma-separated (docs/bench/intelligence.md).
#   awk -v prefix=BenchmarkRecordParallel/ -v names=control,intelligence/distinct_ops -f scaling.awk bench.txt
/^goos:/ { pass++; delete seen }
$1 ~ "^" prefix && $4 == "ns/op" {
	name = substr($1, length(prefix) + 1)
	two = sub(/-2$/, "", name)
	k = ++seen[name, two]
	row = pass "." k
	if (!(row in rows)) { order[++nrows] = row; rows[row] = 1 }
	v[row, name, two] = $3
}
END {
	k = split(names, ns, ",")
	printf "| run |"
	for (i = 1; i <= k; i++) printf " %s | -2 | scaling |", ns[i]
	printf "\n| ---: |"
	for (i = 1; i <= k; i++) printf " ---: | ---: | ---: |"
	printf "\n"
	for (r = 1; r <= nrows; r++) {
		row = order[r]
		printf "| %s |", row
		for (i = 1; i <= k; i++) {
			a = v[row, ns[i], 0]; b = v[row, ns[i], 1]
			printf " %s | %s | %s |", a, b, (b > 0 ? sprintf("%.2f", a / b) : "")
		}
		printf "\n"
	}
}
