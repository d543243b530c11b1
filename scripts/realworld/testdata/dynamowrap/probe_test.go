package orders_test

// A probe of the real-world sweep: a fake DynamoDB (the JSON 1.0
// protocol, one table in memory, the wrapper's expressions only) counts
// the requests each Store method sends per kind of failure, and prints
// the table's state after the call, before and after resilience-lint
// -fix. The client is dynamodb.New's default: the standard retryer with
// DynamoDB's 4 attempts and 25 ms base backoff, its retry token bucket.
// A retry wrapped around a method would multiply the requests on a
// failure; a retried write would apply twice (stock taken twice, a
// counter counted twice); a retried page would be read again; a
// condition failure retried would be sent again. With RW_NORETRY set the
// client has aws.NopRetryer (one attempt), for a service that turned the
// SDK's retry off. It asserts nothing: the sweep compares the PROBE lines
// of the two runs.
//
// Failures, on the operation the call is about (for the paginated calls
// and Import: from its second request on):
//   ok             none
//   500-once       500 InternalServerError once
//   500            500 InternalServerError on every request
//   throttle       400 ProvisionedThroughputExceededException every time
//   applied-500    the write applied, then 500 InternalServerError, once
//   validation     400 ValidationException every time
//   refused        the HTTP client fails as a refused connection
//   unprocessed    (Import) the first batch leaves one item unprocessed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"example.com/orders"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

type attrs = map[string]map[string]string

// table is the fake's state: items by pk, and the requests per operation.
type table struct {
	mu       sync.Mutex
	items    map[string]attrs
	requests map[string]int
	failure  string
	op       string // the operation the failure applies to
	from     int    // the failure applies from this request of op on (1-based)
	failed   int
}

func (t *table) fail(w http.ResponseWriter, status int, code string) {
	body := []byte(`{"__type":"com.amazonaws.dynamodb.v20120810#` + code + `","message":"probe"}`)
	w.Header().Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (t *table) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "DynamoDB_20120810.")
	raw, _ := io.ReadAll(r.Body)
	var in map[string]json.RawMessage
	_ = json.Unmarshal(raw, &in)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.requests[op]++
	mine := op == t.op && t.requests[op] >= t.from
	if mine {
		switch t.failure {
		case "500-once":
			if t.failed == 0 {
				t.failed++
				t.fail(w, 500, "InternalServerError")
				return
			}
		case "500":
			t.fail(w, 500, "InternalServerError")
			return
		case "throttle":
			t.fail(w, 400, "ProvisionedThroughputExceededException")
			return
		case "validation":
			t.fail(w, 400, "ValidationException")
			return
		}
	}
	out, status, code := t.apply(op, in)
	if status != 0 {
		t.fail(w, status, code)
		return
	}
	if mine && t.failure == "applied-500" && t.failed == 0 {
		t.failed++
		t.fail(w, 500, "InternalServerError")
		return
	}
	body, _ := json.Marshal(out)
	w.Header().Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10))
	_, _ = w.Write(body)
}

func field[T any](in map[string]json.RawMessage, name string) T {
	var v T
	_ = json.Unmarshal(in[name], &v)
	return v
}

func num(a attrs, name string) int {
	n, _ := strconv.Atoi(a[name]["N"])
	return n
}

// update applies the wrapper's update expressions to the item key,
// checking its conditions; false when a condition fails.
func (t *table) update(key attrs, expr, cond string, values attrs) bool {
	pk := key["pk"]["S"]
	it := t.items[pk]
	if it == nil {
		it = attrs{"pk": {"S": pk}}
	}
	switch {
	case cond == "stock >= :q" && num(it, "stock") < num(values, ":q"):
		return false
	case expr == "SET stock = stock - :q":
		it["stock"] = map[string]string{"N": strconv.Itoa(num(it, "stock") - num(values, ":q"))}
	case expr == "ADD views :one":
		it["views"] = map[string]string{"N": strconv.Itoa(num(it, "views") + 1)}
	}
	t.items[pk] = it
	return true
}

// put stores item unless cond (the wrapper's conditions) fails.
func (t *table) put(item attrs, cond string, values attrs) bool {
	old, exists := t.items[item["pk"]["S"]]
	switch {
	case cond == "attribute_not_exists(pk)" && exists:
		return false
	case cond == "version = :v" && (!exists || num(old, "version") != num(values, ":v")):
		return false
	}
	t.items[item["pk"]["S"]] = item
	return true
}

// page returns the items matching keep after the cursor start, two to a
// page, and the next cursor.
func (t *table) page(in map[string]json.RawMessage, keep func(attrs) bool) ([]attrs, attrs) {
	var pks []string
	for pk, it := range t.items {
		if keep(it) {
			pks = append(pks, pk)
		}
	}
	sort.Strings(pks)
	after := field[attrs](in, "ExclusiveStartKey")["pk"]["S"]
	var items []attrs
	for _, pk := range pks {
		if after != "" && pk <= after {
			continue
		}
		items = append(items, t.items[pk])
		if len(items) == 2 {
			if pk != pks[len(pks)-1] {
				return items, attrs{"pk": {"S": pk}}
			}
			break
		}
	}
	return items, nil
}

func (t *table) apply(op string, in map[string]json.RawMessage) (out map[string]any, status int, code string) {
	out = map[string]any{}
	values := field[attrs](in, "ExpressionAttributeValues")
	cond := field[string](in, "ConditionExpression")
	switch op {
	case "GetItem":
		if it, ok := t.items[field[attrs](in, "Key")["pk"]["S"]]; ok {
			out["Item"] = it
		}
	case "PutItem":
		if !t.put(field[attrs](in, "Item"), cond, values) {
			return nil, 400, "ConditionalCheckFailedException"
		}
	case "UpdateItem":
		if !t.update(field[attrs](in, "Key"), field[string](in, "UpdateExpression"), cond, values) {
			return nil, 400, "ConditionalCheckFailedException"
		}
	case "DeleteItem":
		delete(t.items, field[attrs](in, "Key")["pk"]["S"])
	case "TransactWriteItems":
		type write struct {
			Update *struct {
				Key                       attrs
				UpdateExpression          string
				ConditionExpression       string
				ExpressionAttributeValues attrs
			}
			Put *struct {
				Item                attrs
				ConditionExpression string
			}
		}
		saved := map[string]attrs{}
		for pk, it := range t.items {
			saved[pk] = copyAttrs(it)
		}
		for _, wr := range field[[]write](in, "TransactItems") {
			ok := true
			switch {
			case wr.Update != nil:
				ok = t.update(wr.Update.Key, wr.Update.UpdateExpression, wr.Update.ConditionExpression, wr.Update.ExpressionAttributeValues)
			case wr.Put != nil:
				ok = t.put(wr.Put.Item, wr.Put.ConditionExpression, nil)
			}
			if !ok {
				t.items = saved
				return nil, 400, "TransactionCanceledException"
			}
		}
	case "Query":
		c := values[":c"]["S"]
		items, next := t.page(in, func(it attrs) bool { return it["customer"]["S"] == c })
		out["Items"], out["Count"] = items, len(items)
		if next != nil {
			out["LastEvaluatedKey"] = next
		}
	case "Scan":
		items, next := t.page(in, func(attrs) bool { return true })
		out["Count"] = len(items)
		if next != nil {
			out["LastEvaluatedKey"] = next
		}
	case "BatchWriteItem":
		reqs := field[map[string][]struct{ PutRequest struct{ Item attrs } }](in, "RequestItems")
		unprocessed := map[string][]any{}
		for tbl, rs := range reqs {
			for i, rq := range rs {
				if t.failure == "unprocessed" && t.failed == 0 && i == len(rs)-1 {
					t.failed++
					unprocessed[tbl] = append(unprocessed[tbl], map[string]any{"PutRequest": map[string]any{"Item": rq.PutRequest.Item}})
					continue
				}
				t.items[rq.PutRequest.Item["pk"]["S"]] = rq.PutRequest.Item
			}
		}
		out["UnprocessedItems"] = unprocessed
	}
	return out, 0, ""
}

func copyAttrs(a attrs) attrs {
	c := attrs{}
	for k, v := range a {
		c[k] = map[string]string{}
		for kk, vv := range v {
			c[k][kk] = vv
		}
	}
	return c
}

// refusing fails every request as a refused connection, counting them.
type refusing struct{ t *table }

func (c refusing) Do(req *http.Request) (*http.Response, error) {
	c.t.mu.Lock()
	c.t.requests[strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "DynamoDB_20120810.")]++
	c.t.mu.Unlock()
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
}

func seed() map[string]attrs {
	items := map[string]attrs{}
	for i := 1; i <= 5; i++ {
		pk := fmt.Sprintf("o%d", i)
		items[pk] = attrs{"pk": {"S": pk}, "customer": {"S": "c1"}, "name": {"S": "n"}, "stock": {"N": "5"}, "views": {"N": "0"}, "version": {"N": "1"}}
	}
	return items
}

// call runs one Store method; op is the operation its failures apply to,
// from the request of op the failure starts at.
type call struct {
	name, op string
	from     int
	run      func(context.Context, *orders.Store) (string, error)
}

var calls = []call{
	{"Get", "GetItem", 1, func(ctx context.Context, s *orders.Store) (string, error) {
		o, err := s.Get(ctx, "o1")
		return "name=" + o.Name, err
	}},
	{"Create", "PutItem", 1, func(ctx context.Context, s *orders.Store) (string, error) {
		return "", s.Create(ctx, orders.Order{ID: "new", Customer: "c2", Stock: 1})
	}},
	{"Create-taken", "PutItem", 1, func(ctx context.Context, s *orders.Store) (string, error) {
		return "", s.Create(ctx, orders.Order{ID: "o1", Customer: "c2", Stock: 1})
	}},
	{"Reserve", "UpdateItem", 1, func(ctx context.Context, s *orders.Store) (string, error) {
		return "", s.Reserve(ctx, "o1", 2)
	}},
	{"Reserve-short", "UpdateItem", 1, func(ctx context.Context, s *orders.Store) (string, error) {
		return "", s.Reserve(ctx, "o1", 9)
	}},
	{"View", "UpdateItem", 1, func(ctx context.Context, s *orders.Store) (string, error) {
		return "", s.View(ctx, "o1")
	}},
	{"Rename", "PutItem", 1, func(ctx context.Context, s *orders.Store) (string, error) {
		return "", s.Rename(ctx, "o1", "renamed")
	}},
	{"Checkout", "TransactWriteItems", 1, func(ctx context.Context, s *orders.Store) (string, error) {
		return "", s.Checkout(ctx, "o1", "r1", 2)
	}},
	{"ByCustomer", "Query", 2, func(ctx context.Context, s *orders.Store) (string, error) {
		os, err := s.ByCustomer(ctx, "c1")
		return "got=" + strconv.Itoa(len(os)), err
	}},
	{"Page", "Query", 1, func(ctx context.Context, s *orders.Store) (string, error) {
		os, next, err := s.Page(ctx, "c1", map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "o2"}})
		return fmt.Sprintf("got=%d next=%v", len(os), next != nil), err
	}},
	{"Count", "Scan", 2, func(ctx context.Context, s *orders.Store) (string, error) {
		n, err := s.Count(ctx)
		return "count=" + strconv.Itoa(n), err
	}},
	{"Import", "BatchWriteItem", 2, func(ctx context.Context, s *orders.Store) (string, error) {
		var os []orders.Order
		for i := range 30 {
			os = append(os, orders.Order{ID: fmt.Sprintf("i%02d", i), Customer: "c3"})
		}
		return "", s.Import(ctx, os)
	}},
	{"Delete", "DeleteItem", 1, func(ctx context.Context, s *orders.Store) (string, error) {
		return "", s.Delete(ctx, "o5")
	}},
}

func errCode(err error) string {
	if err == nil {
		return "nil"
	}
	var ae interface{ ErrorCode() string }
	switch {
	case errors.Is(err, orders.ErrExists):
		return "ErrExists"
	case errors.Is(err, orders.ErrConflict):
		return "ErrConflict"
	case errors.As(err, &ae):
		return ae.ErrorCode()
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	}
	return "other"
}

func TestRLProbeRequestsPerFailure(t *testing.T) {
	failures := []string{"ok", "500-once", "500", "throttle", "applied-500", "validation", "refused", "unprocessed"}
	for _, c := range calls {
		for _, failure := range failures {
			if failure == "unprocessed" && c.op != "BatchWriteItem" {
				continue
			}
			tb := &table{items: seed(), requests: map[string]int{}, failure: failure, op: c.op, from: c.from}
			srv := httptest.NewServer(tb)
			opts := dynamodb.Options{
				Region:       "us-east-1",
				BaseEndpoint: aws.String(srv.URL),
				Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
					return aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: "SECRET", Source: "probe"}, nil
				}),
			}
			if failure == "refused" {
				opts.HTTPClient = refusing{tb}
			}
			if os.Getenv("RW_NORETRY") != "" {
				opts.Retryer = aws.NopRetryer{}
			}
			s := &orders.Store{Client: dynamodb.New(opts), Table: "orders"}
			detail, err := c.run(context.Background(), s)
			srv.Close()
			tb.mu.Lock()
			var reqs []string
			for op, n := range tb.requests {
				reqs = append(reqs, fmt.Sprintf("%s:%d", op, n))
			}
			sort.Strings(reqs)
			o1 := tb.items["o1"]
			_, receipt := tb.items["r1"]
			t.Logf("PROBE call=%s failure=%s requests=%s err=%s %s state=items:%d o1.stock:%d o1.views:%d o1.version:%d receipt:%v",
				c.name, failure, strings.Join(reqs, ","), errCode(err), detail, len(tb.items), num(o1, "stock"), num(o1, "views"), num(o1, "version"), receipt)
			tb.mu.Unlock()
		}
	}
}
