# median.awk summarises `go test -bench -benchmem -count N` output: one row
# per benchmark (in first-seen order) with its median ns/op, every ns/op
# run, B/op and allocs/op, as a Markdown table (docs/bench/intelligence.md).
#   go test -run '^$' -bench . -benchmem -count 5 . | tee bench.txt
#   awk -f median.awk bench.txt
/^Benchmark/ && $4 == "ns/op" {
	name = $1
	if (!(name in n)) order[++names] = name
	runs[name, ++n[name]] = $3
	for (i = 5; i < NF; i++) {
		if ($(i + 1) == "B/op") bytes[name] = $i
		if ($(i + 1) == "allocs/op") allocs[name] = $i
	}
}
END {
	print "| benchmark | median ns/op | runs | B/op | allocs/op |"
	print "| --- | ---: | --- | ---: | ---: |"
	for (k = 1; k <= names; k++) {
		name = order[k]
		m = n[name]
		list = ""
		for (i = 1; i <= m; i++) {
			v[i] = runs[name, i] + 0
			list = list (i > 1 ? " / " : "") runs[name, i]
		}
		# insertion sort, then the middle value (lower middle for even m)
		for (i = 2; i <= m; i++) {
			x = v[i]
			for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]
			v[j + 1] = x
		}
		sub(/^Benchmark/, "", name)
		printf "| `%s` | %s | %s | %s | %s |\n", name, v[int((m + 1) / 2)], list, bytes[order[k]], allocs[order[k]]
	}
}
