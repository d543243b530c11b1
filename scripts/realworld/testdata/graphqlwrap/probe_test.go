package catalog

// The probe of the graphqlwrap sweep (run.sh): a fake GraphQL server that
// counts the requests per root field and the orders and reservations it
// created, and fails chosen requests: before they reach the server with a
// reset connection ("reset"), after the server acted ("sent-reset"), with
// HTTP 503 ("503"), with HTTP 200 and an errors array and null data
// ("gqlerr": a GraphQL error, which no retry can get past), or with HTTP
// 200, partial data and an error ("partial"). It asserts nothing: run.sh
// compares the PROBE lines before and after -fix.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"

	genqlient "github.com/Khan/genqlient/graphql"
	mbgraphql "github.com/machinebox/graphql"
	"github.com/shurcooL/graphql"
)

var rootField = regexp.MustCompile(`\b(createOrder|reserve|products|product|order|stock)\s*\(`)

// field returns the root field of a GraphQL request body.
func field(body []byte) string {
	var in struct{ Query string }
	_ = json.Unmarshal(body, &in)
	if m := rootField.FindStringSubmatch(in.Query); m != nil {
		return m[1]
	}
	return "other"
}

// fault fails the requests of root field k after the first skip ones,
// n of them, in mode.
type fault struct {
	k, mode       string
	skip, n, seen int
	matched       int
}

// hit reports whether this request of field f is to fail.
func (f *fault) hit(k string) bool {
	if k != f.k {
		return false
	}
	f.matched++
	if f.matched <= f.skip || f.seen >= f.n {
		return false
	}
	f.seen++
	return true
}

type server struct {
	mu       sync.Mutex
	f        *fault
	requests map[string]int
	orders   int
	reserved int
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	k := field(body)
	s.requests[k]++
	var in struct {
		Variables map[string]any
	}
	_ = json.Unmarshal(body, &in)
	if r.Header.Get("X-Fault") != "" {
		switch r.Header.Get("X-Fault") {
		case "503":
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"errors":[{"message":"upstream unavailable"}]}`))
			return
		case "gqlerr":
			_, _ = w.Write([]byte(`{"data":null,"errors":[{"message":"insufficient stock for sku","path":["` + k + `"],"extensions":{"code":"BAD_USER_INPUT"}}]}`))
			return
		case "partial":
			_, _ = w.Write([]byte(`{"data":{"products":[{"id":"p1","name":"Name-p1","price":100},null]},"errors":[{"message":"product p2: backend timeout","path":["products",1]}]}`))
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	switch k {
	case "product":
		id, _ := in.Variables["id"].(string)
		fmt.Fprintf(w, `{"data":{"product":{"id":%q,"name":"Name-%s","price":100}}}`, id, id)
	case "products":
		fmt.Fprint(w, `{"data":{"products":[{"id":"p1","name":"Name-p1","price":100},{"id":"p2","name":"Name-p2","price":100}]}}`)
	case "order":
		fmt.Fprint(w, `{"data":{"order":{"id":"o1","status":"placed"}}}`)
	case "createOrder":
		s.orders++
		fmt.Fprintf(w, `{"data":{"createOrder":{"id":"o%d"}}}`, s.orders)
	case "stock":
		fmt.Fprint(w, `{"data":{"stock":{"qty":7}}}`)
	case "reserve":
		s.reserved++
		fmt.Fprintf(w, `{"data":{"reserve":{"id":"r%d"}}}`, s.reserved)
	default:
		fmt.Fprint(w, `{"errors":[{"message":"unknown field"}]}`)
	}
}

// failing applies the fault: a reset before or after the server, or a
// header telling the server which answer to make up.
type failing struct {
	f    *fault
	next http.RoundTripper
}

func (t *failing) RoundTrip(req *http.Request) (*http.Response, error) {
	reset := &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
	body, _ := io.ReadAll(req.Body)
	_ = req.Body.Close()
	req.Body = io.NopCloser(strings.NewReader(string(body)))
	if !t.f.hit(field(body)) {
		return t.next.RoundTrip(req)
	}
	switch t.f.mode {
	case "reset":
		return nil, reset
	case "sent-reset":
		resp, err := t.next.RoundTrip(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}
		return nil, reset
	}
	req = req.Clone(req.Context())
	req.Body = io.NopCloser(strings.NewReader(string(body)))
	req.Header.Set("X-Fault", t.f.mode)
	return t.next.RoundTrip(req)
}

func TestProbe(t *testing.T) {
	cases := []struct {
		call, k, mode string
		skip, n       int
	}{
		{"Product", "", "", 0, 0},
		{"Product", "product", "reset", 0, 1},
		{"Product", "product", "reset", 0, 9},
		{"Product", "product", "503", 0, 1},
		{"Product", "product", "gqlerr", 0, 1},
		{"Names", "products", "partial", 0, 1},
		{"Names", "products", "reset", 0, 1},
		{"Remember", "product", "reset", 1, 1},
		{"Remember", "product", "gqlerr", 1, 1},
		{"Order", "createOrder", "reset", 0, 1},
		{"Order", "createOrder", "sent-reset", 0, 1},
		{"Order", "createOrder", "503", 0, 1},
		{"Order", "createOrder", "gqlerr", 0, 1},
		{"Status", "order", "reset", 0, 1},
		{"Status", "order", "503", 0, 1},
		{"Place", "createOrder", "reset", 0, 1},
		{"Place", "createOrder", "sent-reset", 0, 1},
		{"Place", "createOrder", "gqlerr", 0, 1},
		{"Stock", "stock", "reset", 0, 1},
		{"Stock", "stock", "503", 0, 1},
		{"Reserve", "reserve", "reset", 0, 1},
		{"Reserve", "reserve", "sent-reset", 0, 1},
		{"Reserve", "reserve", "gqlerr", 0, 1},
	}
	for _, tc := range cases {
		f := &fault{k: tc.k, mode: tc.mode, skip: tc.skip, n: tc.n}
		s := &server{f: f, requests: map[string]int{}}
		srv := httptest.NewServer(s)
		hc := &http.Client{Transport: &failing{f: f, next: http.DefaultTransport}}
		cat := &Catalog{GQL: genqlient.NewClient(srv.URL, hc)}
		ord := &Orders{Client: mbgraphql.NewClient(srv.URL, mbgraphql.WithHTTPClient(hc))}
		inv := &Inventory{Client: graphql.NewClient(srv.URL, hc)}
		ctx := context.Background()
		var res string
		var err error
		switch tc.call {
		case "Product":
			var p *Product
			if p, err = cat.Product(ctx, "p1"); p != nil {
				res = p.Name
			}
		case "Names":
			var names []string
			names, err = cat.Names(ctx, []string{"p1", "p2"})
			res = strings.Join(names, ",")
		case "Remember":
			err = cat.Remember(ctx, []string{"p1", "p2", "p3"})
			res = strings.Join(cat.Recent(), ",")
		case "Order":
			res, err = cat.Order(ctx, "sku1", 2)
		case "Status":
			res, err = ord.Status(ctx, "o1")
		case "Place":
			res, err = ord.Place(ctx, "sku1", 2)
		case "Stock":
			var n int
			n, err = inv.Stock(ctx, "sku1")
			res = fmt.Sprint(n)
		case "Reserve":
			res, err = inv.Reserve(ctx, "sku1", 2)
		}
		s.mu.Lock()
		var reqs []string
		for _, k := range []string{"product", "products", "createOrder", "order", "stock", "reserve", "other"} {
			if s.requests[k] > 0 {
				reqs = append(reqs, fmt.Sprintf("%s=%d", k, s.requests[k]))
			}
		}
		msg := "nil"
		if err != nil {
			msg = err.Error()
			if len(msg) > 40 {
				msg = msg[:40]
			}
		}
		fmt.Printf("PROBE %s %s %s skip%d x%d: failed %d; server %s; orders %d; reserved %d; result %q; err %s\n",
			tc.call, tc.k, tc.mode, tc.skip, tc.n, f.seen, strings.Join(reqs, " "), s.orders, s.reserved, res, msg)
		s.mu.Unlock()
		srv.Close()
	}
}
