module example.com/docs

go 1.26

require (
	cloud.google.com/go/monitoring v1.30.0
	google.golang.org/api v0.315.0
)
