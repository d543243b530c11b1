// Package ifacecall holds agent methods that call an interface method that // want package:"retrying impls tokenSource.Token"
// agent methods of the package implement, reduced from golang.org/x/oauth2's
// clientcredentials: Config.Token is `return c.TokenSource(ctx).Token()`,
// and the token source it builds is a tokenSource, whose Token POSTs to the
// token endpoint. With both wrapped (once tokenSource.Token could be, its
// cache write declared repeatable), a 500 took 9 requests instead of 3: the
// call through the interface hid the nesting.
package ifacecall

import (
	"context"
	"io"
	"net/http"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
)

// Source hands out tokens.
type Source interface {
	Token() (string, error)
}

type Config struct{ URL string }

type tokenSource struct{ conf *Config }

// Token does the work: it gets the fix.
func (s *tokenSource) Token() (string, error) { // want Token:"unrouted" `^tokenSource.Token returns an error but is not routed through runtime/recovery \(run resilience-lint -fix, or mark it //resilience:noretry <reason>\)$`
	resp, err := http.Post(s.conf.URL, "application/x-www-form-urlencoded", nil)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// Source builds a token source: no work that can fail.
func (c *Config) Source() Source { return &tokenSource{conf: c} }

// Token calls Source.Token, which may run tokenSource.Token (or
// Routed.Token): wrapping it would nest the retry -fix gives
// tokenSource.Token.
func (c *Config) Token(ctx context.Context) (string, error) { // want Token:"nests" `^Config.Token returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls Source.Token \(an interface method tokenSource.Token, Routed.Token implement\), which already retries part of its work \(through the retry \-fix gives ifacecall\.tokenSource\.Token\)`
	return c.Source().Token()
}

type Routed struct{ URL string }

// Token is routed already (a second -fix sees this): calling it through
// Source would nest its retry as well.
func (r Routed) Token() (string, error) { // want Token:"routed"
	return recovery.DoValue(context.Background(), recovery.Default(), func(ctx context.Context) (string, error) {
		resp, err := http.Get(r.URL)
		if err != nil {
			return "", err
		}
		resp.Body.Close()
		return resp.Status, nil
	})
}

type Client struct {
	src Source
}

// Auth calls Source.Token on a field: Routed.Token (routed) and
// tokenSource.Token (to be fixed) both implement it.
func (c *Client) Auth() (string, error) { // want Auth:"nests" `-fix cannot rewrite it: it calls Source.Token \(an interface method tokenSource.Token, Routed.Token implement\), which already retries part of its work \(through the retry \-fix gives ifacecall\.tokenSource\.Token\)`
	return c.src.Token()
}

// Close calls io.Closer.Close, which no agent method of the package
// implements: it gets the fix.
func (c *Client) Close(cl io.Closer) error { // want Close:"unrouted" `^Client.Close returns an error but is not routed through runtime/recovery \(run resilience-lint -fix`
	return cl.Close()
}
