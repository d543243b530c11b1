package intelligence_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/resilience-lint/resilience-lint/runtime/intelligence"
)

// realisticMessages are error messages as Go programs print them: the
// standard library's net, HTTP, TLS, JSON and file errors, database and
// RPC clients, cloud SDKs, with the ids, addresses, paths, durations,
// quoted values and JSON bodies that vary between occurrences.
var realisticMessages = []string{
	// net
	"dial tcp 10.0.0.12:5432: connect: connection refused",
	"dial tcp 192.168.1.20:6379: connect: no route to host",
	"dial tcp: lookup db-3.prod.internal on 10.96.0.10:53: no such host",
	"dial tcp: lookup api.example.com: i/o timeout",
	"lookup api.example.com on 127.0.0.53:53: server misbehaving",
	"read tcp 10.0.0.5:43122->10.0.0.9:443: read: connection reset by peer",
	"write tcp 172.17.0.3:80->172.17.0.1:51234: write: broken pipe",
	"write tcp [::1]:8080->[::1]:51234: write: broken pipe",
	"dial tcp [2001:db8::1]:443: i/o timeout",
	"dial udp [fe80::1%eth0]:53: connect: network is unreachable",
	"listen tcp :8080: bind: address already in use",
	"listen tcp 0.0.0.0:9090: bind: permission denied",
	"accept tcp [::]:8443: accept4: too many open files",
	"read udp 10.1.2.3:53->10.1.2.4:33333: i/o timeout",
	"dial unix /var/run/docker.sock: connect: no such file or directory",
	"dial tcp 10.0.0.12:5432: connect: connection timed out after 30s",
	"use of closed network connection",
	"EOF",
	"unexpected EOF",
	"context deadline exceeded",
	"context canceled",
	// HTTP
	`Get "https://api.example.com/v1/users?id=7": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
	`Post "http://payments.svc.cluster.local:8080/charge": dial tcp 10.96.14.2:8080: connect: connection refused`,
	`Put "https://storage.googleapis.com/upload/b/bucket/o?uploadType=resumable&upload_id=ADPycdu5": net/http: TLS handshake timeout`,
	"GET https://api.example.com/v1/users?id=7&x=y, status 503",
	"unexpected status 503 Service Unavailable",
	"server returned 429 Too Many Requests, retry after 12s",
	"http: server gave HTTP response to HTTPS client",
	"net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)",
	"net/http: timeout awaiting response headers",
	"http2: server sent GOAWAY and closed the connection; LastStreamID=1999, ErrCode=NO_ERROR, debug=\"\"",
	"http2: client connection lost",
	"stream error: stream ID 7; INTERNAL_ERROR; received from peer",
	`POST https://api.stripe.com/v1/charges: 402 Payment Required {"error":{"code":"card_declined","message":"Your card was declined.","request_id":"req_8f3a2b9c1d"}}`,
	`status 400: {"errors":[{"field":"email","message":"must be a valid address","value":"bob@@example.com"}],"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}`,
	`{"status":"error","id":"abc123","retry_after":1.5,"at":"2026-11-29T19:27:11Z"}`,
	"proxyconnect tcp: dial tcp 10.10.0.1:3128: connect: connection refused",
	"tls: failed to verify certificate: x509: certificate signed by unknown authority",
	"tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time 2026-11-29T19:27:11Z is after 2026-11-01T00:00:00Z",
	"x509: certificate is valid for *.example.com, example.com, not api.example.org",
	"remote error: tls: handshake failure",
	// JSON, parsing
	"invalid character '}' looking for beginning of object key string",
	"invalid character 'x' in literal true (expecting 'r')",
	"json: cannot unmarshal string into Go struct field User.age of type int",
	"json: cannot unmarshal number 1.5e+10 into Go struct field Order.items.qty of type int32",
	"yaml: line 12: mapping values are not allowed in this context",
	`strconv.Atoi: parsing "12a": invalid syntax`,
	`strconv.ParseFloat: parsing "1,5": invalid syntax`,
	"parsing time \"2026-13-01\" as \"2006-01-02\": month out of range",
	`template: page:3:14: executing "page" at <.User.Name>: nil pointer evaluating *main.User.Name`,
	// files
	"open /var/data/2024/report.csv: permission denied",
	"open /etc/app/config.yaml: no such file or directory",
	"stat ./testdata/in.json: no such file or directory",
	"read ../shared/state.db: is a directory",
	`open C:\Users\bob\AppData\Local\app\cache.bin: The system cannot find the file specified.`,
	`open \\fileserver\share\q3.xlsx: access is denied`,
	"mkdir ~/.cache/app: read-only file system",
	"rename /tmp/upload-123456789 /data/objects/ab/cdef0123: invalid cross-device link",
	"load data/input.csv failed: line 1,024: wrong number of fields",
	"write /var/log/app.log: no space left on device",
	"github.com/org/repo/pkg/store.(*DB).Get: record not found",
	// ids
	"request 550e8400-e29b-41d4-a716-446655440000 failed",
	"session 6BA7B810-9DAD-11D1-80B4-00C04FD430C8 expired",
	"object 0xdeadBEEF freed twice",
	"commit 9f86d081884c7d65 missing",
	"blob sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 not found",
	"trace DEADBEEF lost; span CAFEBABEFACE orphaned",
	"job-4213 failed on worker_7 after 3 attempts",
	"order=A17 user_id=42 tenant=acme-corp",
	"pods \"web-7d9f8b6c5-x2x9z\" is forbidden: exceeded quota: compute-resources, requested: cpu=500m, used: cpu=3500m, limited: cpu=4",
	"Operation cannot be fulfilled on deployments.apps \"api\": the object has been modified; please apply your changes to the latest version and try again",
	// databases, queues, RPC
	`pq: duplicate key value violates unique constraint "users_email_key"`,
	`ERROR: relation "orders_2024" does not exist (SQLSTATE 42P01)`,
	"Error 1213 (40001): Deadlock found when trying to get lock; try restarting transaction",
	"sql: no rows in result set",
	"driver: bad connection",
	"MOVED 3999 127.0.0.1:6381",
	"redis: connection pool timeout",
	"dial tcp 10.0.0.7:9092: i/o timeout: kafka: client has run out of available brokers to talk to",
	"kafka server: Request exceeded the user-specified time limit in the request",
	`rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 10.1.2.3:50051: i/o timeout"`,
	"rpc error: code = DeadlineExceeded desc = context deadline exceeded",
	"rpc error: code = ResourceExhausted desc = grpc: received message larger than max (4194305 vs. 4194304)",
	"operation error S3: GetObject, https response error StatusCode: 404, RequestID: 4442587FB7D0A2F9, HostID: 9Cz7hQ+aJ2/3x=, api error NoSuchKey: The specified key does not exist.",
	"operation error DynamoDB: PutItem, exceeded maximum number of attempts, 3, https response error StatusCode: 400, RequestID: 7UJ3KJ2K1P0Q4Q7S3L9M2N8B6V5C4X3Z2A1S0D9F8G7H6J5K4, ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput.",
	"googleapi: Error 503: The service is currently unavailable., backendError",
	"mail to alice.smith+tag@example.co.uk bounced: 550 5.1.1 <alice.smith+tag@example.co.uk>: Recipient address rejected",
	"smtp: 421 4.7.0 Try again later, closing connection. (mx.example.net)",
	"postgres://user@db:5432/app unreachable",
	"amqp://guest:guest@rabbit.internal:5672/ closed: Exception (320) Reason: \"CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'\"",
	"connect localhost:8080 refused",
	// durations, numbers
	"timed out after 1.5s",
	"took 2h45m0.5s, limit 300ms",
	"waited 150µs then 2.5μs",
	"backoff -3s is negative",
	"retry -3 of 1,024 at 99.5% load",
	"value 3.5e-3 too small; want >= 1E6",
	"queue depth 1_000_000 exceeds 65,536",
	"latency p99=1.234s p50=87ms",
	// quoting, punctuation, white space
	`key "alpha" missing`,
	"key 'beta' missing",
	"field `gamma` unknown",
	`escaped "a \"quoted\" value" here`,
	"can't parse the file's header",
	"unterminated \"quote here",
	"it's 'quoted' and 'not",
	"  many\t spaces\n\nhere  ",
	"panic: runtime error: index out of range [5] with length 3",
	"panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x4a2b3c]",
	"panic: assignment to entry in nil map\n\ngoroutine 42 [running]:\nmain.(*Worker).Run(0xc000123456)\n\t/app/worker.go:88 +0x1f4",
	"ERROR!!! something... went wrong?! (code: 7)",
	"cafe added to decade; effaced Deadbeef",
	"application/json or read/write",
	"日本語のエラー 123 が発生しました: ファイル /tmp/データ.txt",
	"ошибка подключения к 10.0.0.1:5432",
	"",
	" ",
	"a",
	"0",
	"\x00\x01\xff\xfe",
}

// TestNormalizeMatchesReference compares Normalize with the reference
// implementation it replaced on TestNormalize's cases, on the realistic
// messages, and on generated messages built from the fragments where the
// recognisers' edges lie.
func TestNormalizeMatchesReference(t *testing.T) {
	check := func(msg string) {
		t.Helper()
		if got, want := intelligence.Normalize(msg), refNormalize(msg); got != want {
			t.Errorf("Normalize(%q)\n got %q\nwant %q (reference)", msg, got, want)
		}
	}
	for _, tt := range normalizeCases {
		check(tt.in)
	}
	for _, m := range realisticMessages {
		check(m)
		// The same message as a suffix of a wrapper and cut at every
		// length, as truncation at MaxMessageLen cuts it.
		check("load batch 42: " + m)
		for n := range len(m) {
			check(m[:n])
		}
	}
	rng := rand.New(rand.NewPCG(14, 2026))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		check(generatedMessage(rng))
	}
}

// fragments are the pieces generated messages are made of: words and the
// edge cases of every recogniser (quotes, schemes, IPs, hosts, paths,
// numbers, durations, hex ids, digit groups, trailing punctuation).
var fragments = []string{
	"dial", "tcp", "connect", "refused", "deadbeef", "DEADBEEF", "Deadbeef", "cafe", "added", "abcdefab",
	"0", "42", "-7", "+3", "1,024", "1,02", "1,0245", "3.5e-3", "1e", "1E+9", ".5", "99.9%", "1_000", "0x", "0xZZ", "0x1F",
	"1.5s", "2h45m", "300ms", "150µs", "2μs", "5ns", "7us", "1m30s", "5x",
	"10.0.0.12", "10.0.0.12:5432", "192.168.1.0/24", "1.2.3", "1.2.3.4.5", "256.1.1.1:", "::1", "fe80::1%eth0", "2001:db8::1",
	"1:2:3:4:5:6:7:8", "a:b", "[::1]:80", "::",
	"a@b.c", "bob@example.com", "x@y@z.com", "@", "a.b@c", "eve.x+tag@mail.example.org",
	"http://", "https://a.example.com/x?id=1", "postgres://u@db:5432/app", "x(http://a.b)", "1http://x", "a+b.c-d://z", "s://", ":// ",
	"db.prod.internal", "a.b", "localhost:8080", "host:", "a.b:99", "example.com", "x.y.z:80", "a..b.c", "a.b.c1",
	"/var/data", "~/x", "./in.json", "../up", `C:\dir\f.txt`, "C:/x", `\\srv\share`, "data/input.csv", "a/b", "github.com/org/repo",
	"550e8400-e29b-41d4-a716-446655440000", "550e8400-e29b-41d4-a716-44665544000g",
	"job-4213", "worker_7", "req-8f3a2b9c", "sha256:abcdef012345", "A17", "v1.2.3", "x86_64", "ab12", "a1", "AB12cd",
	`"quoted"`, `"esc \" aped"`, `"open`, "'single'", "'open", "can't", "`tick`", "`open", `\"`, "''", `""`,
	"(", ")", "[", "]", "{", "}", "<", ">", "|", "=", ",", ";", ":", ".", "!", "?", "'", "-", "_", "#", "+", "~", "\\", "/", "%", "@", "&", "*", "$",
	"日本", "é", "\xff", "\x00", "µ",
}

// separators join fragments: nothing (so that fragments fuse into one
// token), white space of every kind, and punctuation.
var separators = []string{"", "", "", " ", " ", " ", "  ", "\t", "\n", ", ", ": ", "=", "/", ".", ":", "-", "(", ")", `"`, "'", "`", "[", "]"}

func generatedMessage(rng *rand.Rand) string {
	var b strings.Builder
	for range 1 + rng.IntN(12) {
		b.WriteString(fragments[rng.IntN(len(fragments))])
		b.WriteString(separators[rng.IntN(len(separators))])
	}
	return b.String()
}

// FuzzNormalizeMatchesReference checks that Normalize and the reference
// implementation it replaced agree on any input.
func FuzzNormalizeMatchesReference(f *testing.F) {
	for _, m := range realisticMessages {
		f.Add(m)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		f.Add(generatedMessage(rng))
	}
	f.Fuzz(func(t *testing.T, msg string) {
		if got, want := intelligence.Normalize(msg), refNormalize(msg); got != want {
			t.Errorf("Normalize(%q)\n got %q\nwant %q (reference)", msg, got, want)
		}
	})
}
