module example.com/retrylibs

go 1.24

require (
	github.com/PuerkitoBio/rehttp v1.4.0
	github.com/Rican7/retry v0.3.1
	github.com/avast/retry-go v3.0.0+incompatible
	github.com/cenkalti/backoff/v3 v3.2.2
	github.com/eapache/go-resiliency v1.7.0
	github.com/lestrrat-go/backoff/v2 v2.0.8
	github.com/matryer/try v0.0.0-20161228173917-9ac251b645a2
	gopkg.in/retry.v1 v1.0.3
)
