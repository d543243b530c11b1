// Package esclient is reduced from go-elasticsearch's root package: its
// BaseClient holds the transport by estransport.Interface, an interface
// of the transport's package that the same package's Client implements
// with a retry.
package esclient

import (
	"net/http"

	"example.com/estransport"
)

// BaseClient sends through its transport.
type BaseClient struct {
	Transport estransport.Interface
}

// Perform sets a header and calls estransport.Interface.Perform: wrapping
// it would nest estransport.Client.Perform's retry.
func (c *BaseClient) Perform(req *http.Request) (*http.Response, error) { // want Perform:"nests" `^BaseClient.Perform returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls estransport.Interface.Perform \(an interface method estransport.Client.Perform implements\), which already retries part of its work \(through the retry loop at estransport\.go:40 in estransport\.Client\.Perform\)`
	req.Header.Set("X-Client", "esclient")
	return c.Transport.Perform(req)
}
