package recovery_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/resilience-lint/resilience-lint/runtime/recovery"
	"github.com/resilience-lint/resilience-lint/runtime/recovery/recoverytest"
)

// Error shapes of API clients, as they declare them.
type (
	// statusCoder has a StatusCode method (many SDKs).
	statusCoder struct{ code int }
	// awsStyle has an HTTPStatusCode method.
	awsStyle struct{ code int }
	// apiError carries the status and the hint in fields.
	apiError struct {
		StatusCode int
		RetryAfter time.Duration
		Message    string
	}
	// rateLimitError has a *time.Duration hint (go-github's shape).
	rateLimitError struct {
		RetryAfter *time.Duration
	}
	// httpError has a Status field; its name says it is an HTTP error.
	httpError struct{ Status int }
	// appError has a Code field that is not an HTTP status.
	appError struct{ Code int }
	// response is an *http.Response look-alike.
	response struct{ StatusCode int }
	// errorResponse holds the response (go-github's ErrorResponse shape).
	errorResponse struct {
		Response *response
		Message  string
	}
	// retryable says so itself.
	retryable struct{ ok bool }
	// temporary is an old net.Error.
	temporary struct{}
)

func (e statusCoder) Error() string       { return "status " + strconv.Itoa(e.code) }
func (e statusCoder) StatusCode() int     { return e.code }
func (e *awsStyle) Error() string         { return "aws" }
func (e *awsStyle) HTTPStatusCode() int   { return e.code }
func (e *apiError) Error() string         { return e.Message }
func (e *rateLimitError) Error() string   { return "rate limited" }
func (e *httpError) Error() string        { return "http" }
func (e *appError) Error() string         { return "app" }
func (e *errorResponse) Error() string    { return e.Message }
func (e retryable) Error() string         { return "retryable?" }
func (e retryable) Retryable() bool       { return e.ok }
func (temporary) Error() string           { return "temporary" }
func (temporary) Temporary() bool         { return true }
func (e *errorResponse) Unwrap() error    { return nil }
func (e *rateLimitError) Unwrap() []error { return nil }

// grpcCode, grpcStatus and grpcError have the shape of grpc-go's
// codes.Code, *status.Status and status.Error (GRPCStatus().Code()).
type grpcCode uint32

type grpcStatus struct{ code grpcCode }

func (s *grpcStatus) Code() grpcCode { return s.code }

type grpcError struct{ s *grpcStatus }

func (e *grpcError) Error() string            { return "rpc error" }
func (e *grpcError) GRPCStatus() *grpcStatus  { return e.s }
func grpcErr(code grpcCode) error             { return &grpcError{&grpcStatus{code}} }
func (e *googleAPIError) Error() string       { return e.Message }
func (e *notGRPC) Error() string              { return "not grpc" }
func (e *notGRPC) GRPCStatus() *grpcStatusInt { return &grpcStatusInt{14} }
func (s *grpcStatusInt) Code() int            { return s.code }
func (e *appHeaderError) Error() string       { return "app" }

// googleAPIError has the shape of google.golang.org/api/googleapi.Error:
// its Code is the response's HTTP status, told by the Header field.
// Service error shapes: aws-sdk-go-v2's modeled API errors
// (smithy.APIError: ErrorCode and an integer ErrorFault) under its
// response and operation errors, an application's ErrorCode without a
// fault, and the MongoDB driver's labelled errors.
type (
	serviceFault    int
	serviceAPIError struct{ code string }
	responseError   struct {
		status int
		err    error
	}
	operationError struct{ err error }
	appCodeError   struct{ code string }
	labeledError   struct{ label string }
)

func (e *serviceAPIError) Error() string            { return e.code }
func (e *serviceAPIError) ErrorCode() string        { return e.code }
func (e *serviceAPIError) ErrorFault() serviceFault { return 1 }
func (e *responseError) Error() string              { return "response error: " + e.err.Error() }
func (e *responseError) HTTPStatusCode() int        { return e.status }
func (e *responseError) Unwrap() error              { return e.err }
func (e *operationError) Error() string             { return "operation error: " + e.err.Error() }
func (e *operationError) Unwrap() error             { return e.err }
func (e appCodeError) Error() string                { return e.code }
func (e appCodeError) ErrorCode() string            { return e.code }
func (e labeledError) Error() string                { return "command error" }
func (e labeledError) HasErrorLabel(l string) bool  { return l != "" && l == e.label }

func awsErr(status int, code string) error {
	return &operationError{&responseError{status, &serviceAPIError{code}}}
}

type googleAPIError struct {
	Code    int
	Message string
	Header  http.Header
	Errors  []googleErrorItem
}

// googleErrorItem has the shape of googleapi.ErrorItem: the reason of one
// of the answer's errors ("userRateLimitExceeded", "notFound").
type googleErrorItem struct {
	Reason  string
	Message string
}

// googleErr returns a googleAPIError with status code and the reasons.
func googleErr(code int, reasons ...string) *googleAPIError {
	e := &googleAPIError{Code: code}
	for _, r := range reasons {
		e.Errors = append(e.Errors, googleErrorItem{Reason: r})
	}
	return e
}

// kubeStatusError has the shape of apimachinery's *errors.StatusError:
// its Status() (the APIStatus interface) returns a metav1.Status, whose
// Code is the answer's HTTP status.
type kubeStatusError struct{ ErrStatus kubeStatus }

type kubeStatus struct {
	Status  string
	Message string
	Reason  kubeReason
	Details *kubeDetails
	Code    int32
}

type kubeReason string

type kubeDetails struct {
	Name              string
	RetryAfterSeconds int32
}

func (e *kubeStatusError) Error() string      { return e.ErrStatus.Message }
func (e *kubeStatusError) Status() kubeStatus { return e.ErrStatus }

func kubeErr(code int32, reason string, retryAfter int32) error {
	st := kubeStatus{Status: "Failure", Message: reason, Reason: kubeReason(reason), Code: code}
	if retryAfter > 0 {
		st.Details = &kubeDetails{RetryAfterSeconds: retryAfter}
	}
	return &kubeStatusError{st}
}

// codeStatusError has a Status() whose struct has a Code but no Reason:
// not a Kubernetes status, it says nothing.
type codeStatusError struct{}

func (codeStatusError) Error() string                { return "code" }
func (codeStatusError) Status() struct{ Code int32 } { return struct{ Code int32 }{503} }

// notGRPC has a GRPCStatus method whose status's Code is not a gRPC code
// type (a signed int): it says nothing.
type notGRPC struct{}

type grpcStatusInt struct{ code int }

// appHeaderError has a Header field that is not an http.Header: its Code
// stays an application code.
type appHeaderError struct {
	Code   int
	Header map[string]string
}

func TestIsTransient(t *testing.T) {
	sec := time.Second
	opErr := func(errno error) error {
		return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errno)}
	}
	_, numErr := strconv.Atoi("x")
	var syntaxErr *json.SyntaxError
	errors.As(json.Unmarshal([]byte("{"), &struct{}{}), &syntaxErr)
	var typeErr *json.UnmarshalTypeError
	errors.As(json.Unmarshal([]byte(`"s"`), new(int)), &typeErr)
	_, notExist := os.Open("/does/not/exist")
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"unknown", errors.New("unknown"), false},
		{"wrapped unknown", fmt.Errorf("a: %w", errors.New("unknown")), false},

		{"Timeout() true", &timeoutError{"t"}, true},
		{"context.DeadlineExceeded", context.DeadlineExceeded, true},
		{"net dial timeout", &net.OpError{Op: "dial", Err: &timeoutError{"i/o timeout"}}, true},
		{"Temporary() true", temporary{}, true},
		{"DNS temporary failure", &net.DNSError{Err: "server misbehaving", Name: "db", IsTemporary: true}, true},
		{"DNS timeout", &net.DNSError{Err: "i/o timeout", Name: "db", IsTimeout: true}, true},
		{"DNS no such host", &net.DNSError{Err: "no such host", Name: "db", IsNotFound: true}, false},
		{"http client timeout", &url.Error{Op: "Get", URL: "http://db", Err: context.DeadlineExceeded}, true},
		{"http client refused", &url.Error{Op: "Get", URL: "http://db", Err: opErr(syscall.ECONNREFUSED)}, true},
		{"http client bad URL", &url.Error{Op: "parse", URL: ":", Err: errors.New("missing protocol scheme")}, false},
		{"http client EOF (closed without an answer)", &url.Error{Op: "Post", URL: "http://db", Err: io.EOF}, true},
		{"http client EOF, wrapped twice", fmt.Errorf("drive: %w", &url.Error{Op: "Get", URL: "http://db", Err: fmt.Errorf("read: %w", io.EOF)}), true},
		{"bare EOF (the end of a stream)", io.EOF, false},
		{"EOF wrapped, not by an HTTP client", fmt.Errorf("next: %w", io.EOF), false},
		{"connection refused", opErr(syscall.ECONNREFUSED), true},
		{"connection reset", fmt.Errorf("read: %w", opErr(syscall.ECONNRESET)), true},
		{"connection aborted", opErr(syscall.ECONNABORTED), true},
		{"broken pipe", opErr(syscall.EPIPE), true},
		{"host unreachable", opErr(syscall.EHOSTUNREACH), true},
		{"network unreachable", opErr(syscall.ENETUNREACH), true},
		{"unexpected EOF", fmt.Errorf("body: %w", io.ErrUnexpectedEOF), true},
		{"RetryAfter() hint", retryAfterError{sec}, true},
		{"RetryAfter() zero", retryAfterError{0}, false},
		{"RetryAfter field", &apiError{RetryAfter: sec}, true},
		{"RetryAfter *Duration field", &rateLimitError{RetryAfter: &sec}, true},
		{"RetryAfter nil *Duration field", &rateLimitError{}, false},
		{"Retryable() true", retryable{true}, true},
		{"Retryable() false", retryable{false}, false},
		{"Retryable() false beats an inner timeout", fmt.Errorf("%w: %w", retryable{false}, &timeoutError{"t"}), false},
		{"Transient mark", recovery.Transient(errors.New("unknown")), true},
		{"wrapped Transient mark", fmt.Errorf("a: %w", recovery.Transient(errors.New("unknown"))), true},
		{"Permanent beats Transient", recovery.Transient(recovery.Permanent(&timeoutError{"t"})), false},
		{"Permanent timeout", recovery.Permanent(&timeoutError{"t"}), false},

		{"StatusCode() 503", statusCoder{503}, true},
		{"StatusCode() 429", fmt.Errorf("get: %w", statusCoder{429}), true},
		{"StatusCode() 408", statusCoder{408}, true},
		{"StatusCode() 425", statusCoder{425}, true},
		{"StatusCode() 500", statusCoder{500}, true},
		{"StatusCode() 502", statusCoder{502}, true},
		{"StatusCode() 504", statusCoder{504}, true},
		{"StatusCode() 404", statusCoder{404}, false},
		{"StatusCode() 400", statusCoder{400}, false},
		{"StatusCode() 501", statusCoder{501}, false},
		{"StatusCode() 404 beats an inner reset", fmt.Errorf("%w: %w", statusCoder{404}, syscall.ECONNRESET), false},
		{"HTTPStatusCode() 503", &awsStyle{503}, true},
		{"HTTPStatusCode() 403", &awsStyle{403}, false},
		{"StatusCode field 502", &apiError{StatusCode: 502}, true},
		{"StatusCode field 409", &apiError{StatusCode: 409}, false},
		{"StatusCode field 409 with a hint", &apiError{StatusCode: 409, RetryAfter: sec}, true},
		{"Status field on an HTTP-named type", &httpError{Status: 503}, true},
		{"Status field 401 on an HTTP-named type", &httpError{Status: 401}, false},
		{"Code field on another type", &appError{Code: 503}, false},
		{"Code field beside an http.Header (googleapi.Error) 503", &googleAPIError{Code: 503}, true},
		{"Code field beside an http.Header 429, wrapped", fmt.Errorf("storage: %w", &googleAPIError{Code: 429}), true},
		{"Code field beside an http.Header 404", &googleAPIError{Code: 404}, false},
		{"googleapi 403 userRateLimitExceeded", googleErr(403, "userRateLimitExceeded"), true},
		{"googleapi 403 rateLimitExceeded, wrapped", fmt.Errorf("drive: %w", googleErr(403, "rateLimitExceeded")), true},
		{"googleapi 403 a rate limit among other reasons", googleErr(403, "other", "rateLimitExceeded"), true},
		{"googleapi 403 dailyLimitExceeded", googleErr(403, "dailyLimitExceeded"), false},
		{"googleapi 403 forbidden", googleErr(403, "forbidden"), false},
		{"googleapi 403 without reasons", googleErr(403), false},
		{"googleapi 400 with a rate-limit reason", googleErr(400, "rateLimitExceeded"), false},
		{"403 rateLimitExceeded without the googleapi shape", &apiError{StatusCode: 403, Message: "rateLimitExceeded"}, false},
		{"Code field beside another Header", &appHeaderError{Code: 503}, false},
		{"Kubernetes status 503", kubeErr(503, "ServiceUnavailable", 0), true},
		{"Kubernetes status 429, wrapped", fmt.Errorf("list configmaps: %w", kubeErr(429, "TooManyRequests", 0)), true},
		{"Kubernetes status 500", kubeErr(500, "InternalError", 0), true},
		{"Kubernetes status 409 Conflict", kubeErr(409, "Conflict", 0), false},
		{"Kubernetes status 409 AlreadyExists", kubeErr(409, "AlreadyExists", 0), false},
		{"Kubernetes status 422 Invalid", kubeErr(422, "Invalid", 0), false},
		{"Kubernetes status 404 NotFound", kubeErr(404, "NotFound", 0), false},
		{"Kubernetes status 504 with a hint", kubeErr(504, "Timeout", 1), true},
		{"Status() without a Reason", &codeStatusError{}, false},
		{"gRPC Unavailable", grpcErr(14), true},
		{"gRPC Unavailable, wrapped", fmt.Errorf("etcd: %w", grpcErr(14)), true},
		{"gRPC InvalidArgument", grpcErr(3), false},
		{"gRPC NotFound beats an inner reset", fmt.Errorf("%w: %w", grpcErr(5), syscall.ECONNRESET), false},
		{"gRPC Unauthenticated", grpcErr(16), false},
		{"gRPC ResourceExhausted says nothing", grpcErr(8), false},
		{"gRPC ResourceExhausted, then a reset", fmt.Errorf("%w: %w", grpcErr(8), syscall.ECONNRESET), true},
		{"gRPC nil status", &grpcError{}, false},

		// aws-sdk-go-v2's chain: *smithy.OperationError > *http.ResponseError
		// (HTTPStatusCode) > the modeled API error (ErrorCode, ErrorFault).
		{"AWS throttle under a 400", awsErr(400, "ProvisionedThroughputExceededException"), true},
		{"AWS ThrottlingException under a 400", awsErr(400, "ThrottlingException"), true},
		{"AWS SlowDown under a 503", awsErr(503, "SlowDown"), true},
		{"AWS RequestTimeout under a 400", awsErr(400, "RequestTimeout"), true},
		{"AWS conditional check failed under a 400", awsErr(400, "ConditionalCheckFailedException"), false},
		{"AWS transaction canceled under a 400", awsErr(400, "TransactionCanceledException"), false},
		{"AWS validation under a 400", awsErr(400, "ValidationException"), false},
		{"AWS internal error under a 500", awsErr(500, "InternalServerError"), true},
		{"AWS throttle alone", &serviceAPIError{"ThrottlingException"}, true},
		{"AWS throttle marked Permanent", recovery.Permanent(awsErr(400, "ThrottlingException")), false},
		{"Retryable() false beats an inner throttle", fmt.Errorf("%w: %w", retryable{false}, &serviceAPIError{"ThrottlingException"}), false},
		{"ErrorCode() without ErrorFault is an application's", appCodeError{"Throttling"}, false},
		{"MongoDB RetryableWriteError", labeledError{"RetryableWriteError"}, true},
		{"MongoDB TransientTransactionError, wrapped", fmt.Errorf("transfer: %w", labeledError{"TransientTransactionError"}), true},
		{"MongoDB SystemOverloadedError", labeledError{"SystemOverloadedError"}, true},
		{"MongoDB NoWritesPerformed only", labeledError{"NoWritesPerformed"}, false},
		{"MongoDB no label (duplicate key)", labeledError{}, false},
		{"MongoDB label marked Permanent", recovery.Permanent(labeledError{"RetryableWriteError"}), false},
		{"GRPCStatus with a signed Code", &notGRPC{}, false},
		{"Response.StatusCode 503", &errorResponse{Response: &response{StatusCode: 503}}, true},
		{"Response.StatusCode 422", &errorResponse{Response: &response{StatusCode: 422}}, false},
		{"nil Response", &errorResponse{}, false},

		{"not exist", notExist, false},
		{"fs.ErrNotExist", fs.ErrNotExist, false},
		{"permission", fmt.Errorf("open: %w", fs.ErrPermission), false},
		{"EACCES", os.NewSyscallError("open", syscall.EACCES), false},
		{"strconv.NumError", numErr, false},
		{"json.SyntaxError", syntaxErr, false},
		{"json.UnmarshalTypeError", typeErr, false},
		{"context.Canceled", context.Canceled, false},
		{"joined: first decisive wins", errors.Join(errors.New("unknown"), syscall.ECONNRESET), true},
		{"detailed exhausted error", &recovery.Error{Err: syscall.ECONNRESET, Stop: recovery.StopExhausted}, true},
		{"detailed permanent error", &recovery.Error{Err: syscall.ECONNRESET, Stop: recovery.StopPermanent}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := recovery.IsTransient(tt.err); got != tt.want {
				t.Errorf("IsTransient(%v) = %t, want %t", tt.err, got, tt.want)
			}
			if !recovery.RetryAll(tt.err) {
				t.Error("RetryAll said no")
			}
		})
	}
}

// Default retries only what IsTransient recognises; WithClassifier still
// overrides it.
func TestDefaultRetriesOnlyTransient(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		opts     []recovery.Option
		attempts int
		stop     recovery.StopReason
	}{
		{"unknown error: one attempt", errors.New("unknown"), nil, 1, recovery.StopPermanent},
		{"4xx: one attempt", &apiError{StatusCode: 404, Message: "not found"}, nil, 1, recovery.StopPermanent},
		{"Retryable false: one attempt", retryable{false}, nil, 1, recovery.StopPermanent},
		{"connection refused: retried", opErrRefused(), nil, 3, recovery.StopExhausted},
		{"503: retried", statusCoder{503}, nil, 3, recovery.StopExhausted},
		{"RetryAll retries unknown errors", errors.New("unknown"), []recovery.Option{recovery.WithClassifier(recovery.RetryAll)}, 3, recovery.StopExhausted},
		{"custom classifier over a 503", statusCoder{503}, []recovery.Option{recovery.WithClassifier(func(error) bool { return false })}, 1, recovery.StopPermanent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recoverytest.Recorder{}
			p := recovery.Default().With(append([]recovery.Option{recovery.WithClock(recoverytest.NewClock(epoch)), recovery.WithObserver(rec)}, tt.opts...)...)
			fn, calls := failing(100, tt.err)
			if err := recovery.Do(context.Background(), p, fn); err != tt.err {
				t.Errorf("Do = %v, want the error itself", err)
			}
			if o := rec.Outcome(); int(calls.Load()) != tt.attempts || o.Stop != tt.stop {
				t.Errorf("%d attempts, stop %v; want %d, %v", calls.Load(), o.Stop, tt.attempts, tt.stop)
			}
		})
	}
}

func opErrRefused() error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
}

// The field-shaped hint sets the delay, like the method.
func TestRetryAfterField(t *testing.T) {
	for _, err := range []error{&apiError{StatusCode: 429, RetryAfter: 3 * time.Second}, &rateLimitError{RetryAfter: ptr(3 * time.Second)}, kubeErr(429, "TooManyRequests", 3)} {
		clock := recoverytest.NewClock(epoch)
		p := recovery.MustNewPolicy(noJitter, recovery.WithClock(clock), recovery.WithMaxAttempts(2))
		fn, _ := failing(1, fmt.Errorf("call: %w", err))
		if err := recovery.Do(context.Background(), p, fn); err != nil {
			t.Fatal(err)
		}
		if got := clock.Sleeps(); !slices.Equal(got, []time.Duration{3 * time.Second}) {
			t.Errorf("%T: slept %v, want the 3s hint", err, got)
		}
	}
	// The hint is honoured under a custom classifier too.
	clock := recoverytest.NewClock(epoch)
	p := recovery.MustNewPolicy(noJitter, recovery.WithClock(clock), recovery.WithMaxAttempts(2), recovery.WithClassifier(recovery.RetryAll))
	fn, _ := failing(1, &apiError{RetryAfter: 2 * time.Second})
	if err := recovery.Do(context.Background(), p, fn); err != nil {
		t.Fatal(err)
	}
	if got := clock.Sleeps(); !slices.Equal(got, []time.Duration{2 * time.Second}) {
		t.Errorf("custom classifier: slept %v, want the 2s hint", got)
	}
}

func ptr[T any](v T) *T { return &v }

// A Transient mark is removed from what Do returns, so callers' ==
// comparisons keep working.
func TestTransientMarkRemoved(t *testing.T) {
	errFlaky := errors.New("flaky")
	p := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)))
	calls := 0
	err := recovery.Do(context.Background(), p, func(context.Context) error { calls++; return recovery.Transient(errFlaky) })
	if err != errFlaky || calls != 3 {
		t.Errorf("Do = %#v after %d calls, want errFlaky itself after 3", err, calls)
	}
	if recovery.Transient(nil) != nil {
		t.Error("Transient(nil) is not nil")
	}
}

// Classifying allocates nothing once a type has been seen.
func TestClassifyAllocatesNothing(t *testing.T) {
	for _, err := range classifyShapes() {
		recovery.IsTransient(err.err) // learn the type's shape
		if a := testing.AllocsPerRun(100, func() { recovery.IsTransient(err.err) }); a != 0 {
			t.Errorf("%s: %v allocs", err.name, a)
		}
	}
}

type namedErr struct {
	name string
	err  error
}

// classifyShapes are the error shapes of the classification benchmarks.
func classifyShapes() []namedErr {
	return []namedErr{
		{"unknown", errors.New("unknown")},
		{"wrapped-unknown", fmt.Errorf("get: %w", fmt.Errorf("decode: %w", errors.New("unknown")))},
		{"timeout", &net.OpError{Op: "read", Err: &timeoutError{"i/o timeout"}}},
		{"conn-refused", fmt.Errorf("get: %w", opErrRefused())},
		{"transient-mark", recovery.Transient(errors.New("x"))},
		{"status-method-503", fmt.Errorf("get: %w", statusCoder{503})},
		{"status-field-404", &apiError{StatusCode: 404}},
		{"retry-after-field", &apiError{StatusCode: 429, RetryAfter: time.Second}},
		{"response-field-503", &errorResponse{Response: &response{StatusCode: 503}}},
		{"aws-throttle-400", awsErr(400, "ProvisionedThroughputExceededException")},
		{"mongo-label", labeledError{"NoWritesPerformed"}},
		{"googleapi-403-rate-limit", googleErr(403, "forbidden", "userRateLimitExceeded")},
		{"http-client-eof", &url.Error{Op: "Get", URL: "http://x", Err: io.EOF}},
	}
}

// Do retries what a service says can be retried (an AWS throttle, which
// comes as a 400; a MongoDB retryable write) and returns a failed
// condition after one attempt.
func TestDoServiceErrors(t *testing.T) {
	for _, tt := range []struct {
		name  string
		err   error
		calls int
	}{
		{"AWS throttle", awsErr(400, "ProvisionedThroughputExceededException"), 3},
		{"AWS conditional check failed", awsErr(400, "ConditionalCheckFailedException"), 1},
		{"MongoDB RetryableWriteError", labeledError{"RetryableWriteError"}, 3},
		{"MongoDB duplicate key", labeledError{}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := recovery.MustNewPolicy(recovery.WithClock(recoverytest.NewClock(epoch)))
			fn, calls := failing(1000, tt.err)
			if err := recovery.Do(context.Background(), p, fn); !errors.Is(err, tt.err) {
				t.Fatalf("Do = %v, want %v", err, tt.err)
			}
			if int(calls.Load()) != tt.calls {
				t.Errorf("%d calls, want %d", calls.Load(), tt.calls)
			}
		})
	}
}

// The errors the net package really returns, not look-alikes: a dial to
// a closed port and a read past its deadline.
func TestRealNetworkErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()

	// A read past its deadline: *net.OpError wrapping os.ErrDeadlineExceeded.
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	server := <-accepted
	if err := c.SetReadDeadline(time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	_, readErr := c.Read(make([]byte, 1))
	_ = c.Close()
	if server != nil {
		_ = server.Close()
	}
	if readErr == nil || !recovery.IsTransient(readErr) {
		t.Errorf("read past deadline: IsTransient(%v) is false", readErr)
	}

	// A dial to a port nobody listens on any more: ECONNREFUSED.
	_ = ln.Close()
	_, dialErr := net.DialTimeout("tcp", addr, 5*time.Second)
	if dialErr == nil || !errors.Is(dialErr, syscall.ECONNREFUSED) {
		t.Fatalf("dial to a closed port gave %v, not ECONNREFUSED", dialErr)
	}
	if !recovery.IsTransient(fmt.Errorf("fetch: %w", dialErr)) {
		t.Errorf("IsTransient(%v) is false", dialErr)
	}
}

// What net/http's client really returns when a server (or a proxy in
// front of it) closes the connection without answering, and when it cuts
// an answer's body short: both transient.
func TestRealHTTPErrors(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		_, _ = io.WriteString(w, "hello")
		if r.URL.Path == "/cut" {
			w.(http.Flusher).Flush()
		}
		panic(http.ErrAbortHandler)
	}))
	defer ts.Close()
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		req, err := http.NewRequest(m, ts.URL+"/closed", strings.NewReader("x"))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := ts.Client().Do(req)
		if err == nil {
			_ = resp.Body.Close()
			t.Fatalf("%s: no error from a closed connection", m)
		}
		if !recovery.IsTransient(err) {
			t.Errorf("%s to a connection closed without an answer: IsTransient(%v) is false", m, err)
		}
	}
	resp, err := ts.Client().Get(ts.URL + "/cut")
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err == nil || !recovery.IsTransient(err) {
		t.Errorf("a body cut short: IsTransient(%v) is false", err)
	}
}
