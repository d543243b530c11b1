package oauth2_test

// A probe of the real-world sweep (scripts/real-world.sh): counts the
// requests to the token endpoint that one call makes for each response
// status, before and after resilience-lint -fix (status -1: a refused
// connection). x/oauth2 retries nothing itself; its RetrieveError carries
// the *http.Response, whose status the runtime's classifier reads. The
// calls: a client-credentials token (clientcredentials.Config.Token, a
// fresh token source each call), an authorization-code exchange
// (Config.Exchange: a code is single-use), a device authorization
// (Config.DeviceAuth) and a refresh through the cached token source
// (Config.TokenSource with an expired token: reuseTokenSource, then
// tokenRefresher). It asserts nothing: the sweep compares the PROBE lines
// of the two runs.

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// counting counts the requests; with refuse set it fails each as a refused
// connection instead of sending it.
type counting struct {
	refuse bool
	n      *atomic.Int64
}

func (c counting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	if c.refuse {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	return http.DefaultTransport.RoundTrip(req)
}

func TestRLProbeRequestsPerStatus(t *testing.T) {
	for _, status := range []int{200, 400, 401, 429, 500, 503, -1} {
		for _, call := range []string{"ClientCredentials", "Exchange", "DeviceAuth", "Refresh"} {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				if status == 200 {
					_, _ = w.Write([]byte(`{"access_token":"a","token_type":"bearer","expires_in":3600,"refresh_token":"r",` +
						`"device_code":"d","user_code":"u","verification_uri":"v"}`))
					return
				}
				_, _ = w.Write([]byte(`{"error":"probe"}`))
			}))
			ctx := context.WithValue(context.Background(), oauth2.HTTPClient,
				&http.Client{Transport: counting{refuse: status < 0, n: &n}})
			ep := oauth2.Endpoint{TokenURL: srv.URL + "/token", DeviceAuthURL: srv.URL + "/device",
				AuthStyle: oauth2.AuthStyleInParams}
			conf := &oauth2.Config{ClientID: "c", ClientSecret: "s", Endpoint: ep}
			var err error
			switch call {
			case "ClientCredentials":
				cc := &clientcredentials.Config{ClientID: "c", ClientSecret: "s", TokenURL: ep.TokenURL,
					AuthStyle: oauth2.AuthStyleInParams}
				_, err = cc.Token(ctx)
			case "Exchange":
				_, err = conf.Exchange(ctx, "code")
			case "DeviceAuth":
				_, err = conf.DeviceAuth(ctx)
			case "Refresh":
				expired := &oauth2.Token{AccessToken: "old", RefreshToken: "r", Expiry: time.Now().Add(-time.Hour)}
				_, err = conf.TokenSource(ctx, expired).Token()
			}
			srv.Close()
			t.Logf("PROBE oauth2 %s status=%d requests=%d err=%v", call, status, n.Load(), err != nil)
		}
	}
}
