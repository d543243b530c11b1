package stripe_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests one API call makes for each response status, before and after
// resilience-lint -fix (status -1: a refused connection), and the distinct
// Idempotency-Key headers they carry. stripe-go's backend retries itself
// (here MaxNetworkRetries 2, without sleeping: 409, 5xx, transport errors,
// or as Stripe-Should-Retry says), sending the same idempotency key on
// each of its attempts; a wrapper retry around a call would call the
// backend again, which makes a new key for a POST: a charge the server
// did make would be made again. It asserts nothing: the sweep compares
// the PROBE lines of the two runs.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	stripe "github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/customer"
)

// counting counts the requests and their idempotency keys; with refuse
// set it fails each as a refused connection instead of sending it.
type counting struct {
	refuse bool
	mu     *sync.Mutex
	n      *int
	keys   map[string]bool
}

func (c counting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	*c.n++
	if k := req.Header.Get("Idempotency-Key"); k != "" {
		c.keys[k] = true
	}
	c.mu.Unlock()
	if c.refuse {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return http.DefaultTransport.RoundTrip(req)
}

func TestRLProbeRequestsPerStatus(t *testing.T) {
	// A status with a Stripe error body, "429lock" a lock timeout (which
	// the backend retries), "502html" a proxy's page (no Stripe error).
	for _, status := range []string{"200", "400", "402", "404", "409", "429", "429lock", "500", "502html", "503", "-1"} {
		for _, call := range []string{"V1Customers.Create", "V1Customers.Retrieve", "customer.Client.New"} {
			var mu sync.Mutex
			n := 0
			keys := map[string]bool{}
			code, _ := strconv.Atoi(strings.TrimRight(status, "lockhtml"))
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case code == 200:
					w.Header().Set("Content-Type", "application/json")
					_, _ = w.Write([]byte(`{"id":"cus_1","object":"customer"}`))
				case strings.HasSuffix(status, "html"):
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(code)
					_, _ = w.Write([]byte(`<html>Bad Gateway</html>`))
				case strings.HasSuffix(status, "lock"):
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(code)
					_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","code":"lock_timeout","message":"probe"}}`))
				default:
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(code)
					_, _ = w.Write([]byte(`{"error":{"type":"api_error","message":"probe"}}`))
				}
			}))
			b := stripe.GetBackendWithConfig(stripe.APIBackend, &stripe.BackendConfig{
				URL:               stripe.String(srv.URL),
				HTTPClient:        &http.Client{Transport: counting{refuse: code < 0, mu: &mu, n: &n, keys: keys}},
				MaxNetworkRetries: stripe.Int64(2),
				LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
			})
			b.(*stripe.BackendImplementation).SetNetworkRetriesSleep(false)
			var err error
			switch call {
			case "V1Customers.Create":
				sc := stripe.NewClient("sk_test_probe", stripe.WithBackends(&stripe.Backends{API: b, Connect: b, Uploads: b}))
				_, err = sc.V1Customers.Create(context.Background(), &stripe.CustomerCreateParams{Email: stripe.String("a@example.com")})
			case "V1Customers.Retrieve":
				sc := stripe.NewClient("sk_test_probe", stripe.WithBackends(&stripe.Backends{API: b, Connect: b, Uploads: b}))
				_, err = sc.V1Customers.Retrieve(context.Background(), "cus_1", nil)
			default:
				c := customer.Client{B: b, Key: "sk_test_probe"}
				_, err = c.New(&stripe.CustomerParams{Email: stripe.String("a@example.com")})
			}
			srv.Close()
			mu.Lock()
			t.Logf("PROBE stripe %s status=%s requests=%d idempotency-keys=%d err=%v", call, status, n, len(keys), err != nil)
			mu.Unlock()
		}
	}
}
