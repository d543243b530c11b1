module example.com/metrics

go 1.26

require github.com/ClickHouse/clickhouse-go/v2 v2.51.0
