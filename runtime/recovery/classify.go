package recovery

import (
	"errors"
	"io"
	"io/fs"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// IsTransient is the default classifier: it reports whether err is a
// failure known to be transient, one that a later attempt can get past.
// Unknown errors are not transient. The package doc has the full table;
// in short, err's chain is walked like errors.As, outermost error first,
// and the first error that says something decides:
//
//   - a Permanent mark anywhere in the chain: not transient (it wins over
//     everything below);
//   - a Transient mark: transient;
//   - `Retryable() bool`: its answer, either way;
//   - a retry-after hint (`RetryAfter() time.Duration`, or an exported
//     field `RetryAfter time.Duration` / `*time.Duration`) above zero:
//     transient;
//   - `Timeout() bool` or `Temporary() bool` returning true: transient;
//   - an HTTP status (`StatusCode() int`, `HTTPStatusCode() int`, or the
//     struct fields described in the package doc): 408, 425, 429, 500,
//     502, 503 and 504 are transient, and a googleapi.Error's 403 whose
//     reason is a rate limit (rateLimitExceeded, userRateLimitExceeded);
//     every other status from 100 to 599 is not;
//   - syscall.ECONNREFUSED, ECONNRESET, ECONNABORTED, EPIPE, EHOSTUNREACH,
//     ENETUNREACH, io.ErrUnexpectedEOF, and an HTTP client's *url.Error
//     wrapping io.EOF (the connection closed without an answer):
//     transient;
//   - fs.ErrNotExist, fs.ErrPermission (and the errnos matching them) and
//     *strconv.NumError: not transient;
//   - and, anywhere in the chain, over an HTTP status that said otherwise:
//     an aws-sdk-go-v2 API error whose code the SDK's retryer retries
//     (throttling, which AWS answers with a 400; request timeouts), or a
//     MongoDB error labelled RetryableWriteError, TransientTransactionError,
//     SystemOverloadedError or RetryableError: transient.
//
// It allocates nothing once it has seen an error type (field shapes are
// found with reflect once per type and cached), except for an error with
// a gRPC status, whose GRPCStatus and Code it calls through reflect (5
// small allocations); Do calls it only after a failure.
func IsTransient(err error) bool {
	if err == nil || isPermanent(err) {
		return false
	}
	w := inspection{}
	w.walk(err)
	return w.transient()
}

// RetryAll is a classifier that says every error is transient: the
// behaviour of Default before it retried only known transient failures.
// Use it with WithClassifier when an operation's errors are all worth
// retrying; cancellation, Permanent marks and the caller's deadline still
// stop retrying.
func RetryAll(error) bool { return true }

type verdict uint8

const (
	verdictUnknown verdict = iota
	verdictTransient
	verdictPermanent
)

// inspection is one walk over an error chain: the first verdict found and
// the first retry-after hint.
type inspection struct {
	verdict  verdict
	hint     time.Duration
	hintOnly bool // the verdict comes from elsewhere (WithClassifier)
	// byStatus: the verdict comes from an HTTP status.
	byStatus bool
	// serverRetry: an error of the chain carries a service's own word that
	// the request can be retried (serverSaysRetry).
	serverRetry bool
}

// transient is the walk's default verdict: transient when the chain said
// so, or when a service's retryable code or label is in the chain and
// nothing but an HTTP status said otherwise (an AWS throttle is a 400).
func (w *inspection) transient() bool {
	return w.verdict == verdictTransient || w.serverRetry && (w.verdict == verdictUnknown || w.byStatus)
}

func (w *inspection) done() bool { return (w.hintOnly || w.verdict != verdictUnknown) && w.hint > 0 }

// walk visits err's chain in errors.As order until it has both a verdict
// and a hint.
func (w *inspection) walk(err error) {
	for err != nil && !w.done() {
		var flags uint16
		if v, ok := errnoVerdictOf(err); ok {
			w.decide(v)
			return
		}
		// This package's and the standard library's types first: no
		// lookup for them.
		switch e := err.(type) {
		case *transientError:
			w.decide(verdictTransient)
			err = e.err
			continue
		case *permanentError:
			err = e.err
			continue
		case *strconv.NumError:
			w.decide(verdictPermanent)
			err = e.Err
			continue
		case *Error, *canceledError:
			flags = hasUnwrapMulti
		default:
			ti := infoOf(err)
			w.visit(err, ti)
			flags = ti.flags
		}
		switch {
		case flags&hasUnwrap != 0:
			err = err.(interface{ Unwrap() error }).Unwrap()
		case flags&hasUnwrapMulti != 0:
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				if w.walk(e); w.done() {
					return
				}
			}
			return
		default:
			return
		}
	}
}

// decide records v unless an outer error already decided.
func (w *inspection) decide(v verdict) {
	if w.verdict == verdictUnknown && !w.hintOnly {
		w.verdict = v
	}
}

// decideStatus records the verdict of an HTTP status unless an outer
// error already decided.
func (w *inspection) decideStatus(code int) {
	if w.verdict == verdictUnknown && !w.hintOnly {
		w.verdict = statusVerdict(code)
		w.byStatus = w.verdict != verdictUnknown
	}
}

func (w *inspection) setHint(d time.Duration) {
	if w.hint <= 0 && d > 0 {
		w.hint = d
		w.decide(verdictTransient)
	}
}

// visit looks at one error of the chain, not at what it wraps.
func (w *inspection) visit(err error, ti *typeInfo) {
	if ti.flags&(hasServiceCode|hasErrorLabel) != 0 && !w.serverRetry && !w.hintOnly {
		w.serverRetry = serverSaysRetry(err, ti.flags)
	}
	if ti.flags&hasRetryAfter != 0 {
		w.setHint(err.(interface{ RetryAfter() time.Duration }).RetryAfter())
	}
	if w.verdict == verdictUnknown && !w.hintOnly {
		w.methods(err, ti.flags)
	}
	if ti.flags&hasGRPCStatus != 0 && w.verdict == verdictUnknown && !w.hintOnly {
		w.decide(grpcVerdict(grpcCodeOf(err, ti)))
	}
	if ti.apiStatus != nil && (w.hint <= 0 || w.verdict == verdictUnknown) {
		w.kubeStatus(err, ti.apiStatus)
	}
	if ti.shape != nil && (w.hint <= 0 || w.verdict == verdictUnknown) {
		w.fields(err, ti.shape)
	}
}

// methods applies the method and sentinel signals of one error; flags
// say which of the methods its type has.
func (w *inspection) methods(err error, flags uint16) {
	if flags&hasRetryable != 0 {
		if err.(interface{ Retryable() bool }).Retryable() {
			w.decide(verdictTransient)
		} else {
			w.decide(verdictPermanent)
		}
		return
	}
	if flags&hasTimeout != 0 && err.(interface{ Timeout() bool }).Timeout() {
		w.decide(verdictTransient)
		return
	}
	if flags&hasTemporary != 0 && err.(interface{ Temporary() bool }).Temporary() {
		w.decide(verdictTransient)
		return
	}
	if flags&hasStatusCode != 0 {
		if w.decideStatus(err.(interface{ StatusCode() int }).StatusCode()); w.verdict != verdictUnknown {
			return
		}
	}
	if flags&hasHTTPStatusCode != 0 {
		if w.decideStatus(err.(interface{ HTTPStatusCode() int }).HTTPStatusCode()); w.verdict != verdictUnknown {
			return
		}
	}
	switch err {
	case io.ErrUnexpectedEOF:
		w.decide(verdictTransient)
	case fs.ErrNotExist, fs.ErrPermission:
		w.decide(verdictPermanent)
	}
	// net/http's client says EOF when the server (or a proxy) closed the
	// connection without answering: a dropped connection, like a reset.
	// Only there: an io.EOF elsewhere is the end of a stream.
	if ue, ok := err.(*url.Error); ok && errors.Is(ue.Err, io.EOF) {
		w.decide(verdictTransient)
	}
}

// typeInfo is what an error type can say, found once per dynamic type:
// which of the classifier's methods it has and its field shape.
type typeInfo struct {
	flags uint16
	shape *shape // nil: no field says anything
	// grpcStatus and grpcCode index the GRPCStatus method of the type and
	// the Code method of its result (hasGRPCStatus).
	grpcStatus, grpcCode int
	// apiStatus indexes a Kubernetes API status (apiStatusOf), or nil.
	apiStatus *apiStatusIndex
}

// Bits of typeInfo.flags.
const (
	hasRetryAfter uint16 = 1 << iota
	hasRetryable
	hasTimeout
	hasTemporary
	hasStatusCode
	hasHTTPStatusCode
	hasUnwrap
	hasUnwrapMulti
	hasGRPCStatus
	hasServiceCode
	hasErrorLabel
)

var (
	infos             sync.Map // reflect.Type -> *typeInfo
	classifierMethods = [...]struct {
		flag  uint16
		iface reflect.Type
	}{
		{hasRetryAfter, reflect.TypeFor[interface{ RetryAfter() time.Duration }]()},
		{hasRetryable, reflect.TypeFor[interface{ Retryable() bool }]()},
		{hasTimeout, reflect.TypeFor[interface{ Timeout() bool }]()},
		{hasTemporary, reflect.TypeFor[interface{ Temporary() bool }]()},
		{hasStatusCode, reflect.TypeFor[interface{ StatusCode() int }]()},
		{hasHTTPStatusCode, reflect.TypeFor[interface{ HTTPStatusCode() int }]()},
		{hasUnwrap, reflect.TypeFor[interface{ Unwrap() error }]()},
		{hasUnwrapMulti, reflect.TypeFor[interface{ Unwrap() []error }]()},
		{hasErrorLabel, reflect.TypeFor[interface{ HasErrorLabel(string) bool }]()},
	}
)

// infoOf returns the cached typeInfo of err's dynamic type. The number of
// entries is bounded by the error types of the program.
func infoOf(err error) *typeInfo {
	t := reflect.TypeOf(err)
	if ti, ok := infos.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{}
	for _, m := range classifierMethods {
		if t.Implements(m.iface) {
			ti.flags |= m.flag
		}
	}
	if ms, mc, ok := grpcMethods(t); ok {
		ti.flags |= hasGRPCStatus
		ti.grpcStatus, ti.grpcCode = ms, mc
	}
	if isServiceAPIError(t) {
		ti.flags |= hasServiceCode
	}
	ti.apiStatus = apiStatusOf(t)
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() == reflect.Struct {
		if sh := findShape(st); !sh.empty() {
			ti.shape = sh
		}
	}
	v, _ := infos.LoadOrStore(t, ti)
	return v.(*typeInfo)
}

// isServiceAPIError reports whether t has what smithy-go's APIError has
// (the errors of aws-sdk-go-v2's service clients): ErrorCode() string and
// ErrorFault() of an integer type (smithy.ErrorFault). Both are required:
// an ErrorCode method alone holds an application's own codes elsewhere.
func isServiceAPIError(t reflect.Type) bool {
	code, ok := t.MethodByName("ErrorCode")
	if !ok || code.Type.NumIn() != 1 || code.Type.NumOut() != 1 || code.Type.Out(0).Kind() != reflect.String {
		return false
	}
	fault, ok := t.MethodByName("ErrorFault")
	return ok && fault.Type.NumIn() == 1 && fault.Type.NumOut() == 1 && isIntKind(fault.Type.Out(0).Kind())
}

// serviceRetryCodes are the error codes aws-sdk-go-v2's standard retryer
// retries (aws/retry's DefaultThrottleErrorCodes and
// DefaultRetryableErrorCodes, checked against aws-sdk-go-v2 v1.48.0):
// throttling, which AWS answers with a 400 (DynamoDB's
// ProvisionedThroughputExceededException, SQS's RequestThrottled, S3's
// SlowDown), and request timeouts.
var serviceRetryCodes = map[string]bool{
	"Throttling":                             true,
	"ThrottlingException":                    true,
	"ThrottledException":                     true,
	"RequestThrottledException":              true,
	"TooManyRequestsException":               true,
	"ProvisionedThroughputExceededException": true,
	"TransactionInProgressException":         true,
	"RequestLimitExceeded":                   true,
	"BandwidthLimitExceeded":                 true,
	"LimitExceededException":                 true,
	"RequestThrottled":                       true,
	"SlowDown":                               true,
	"PriorRequestNotComplete":                true,
	"EC2ThrottledException":                  true,
	"RequestTimeout":                         true,
	"RequestTimeoutException":                true,
}

// retryLabels are the error labels by which MongoDB servers and the Go
// driver (CommandError, WriteException, BulkWriteException:
// HasErrorLabel) say an operation can be tried again (checked against
// mongo-driver v2.10.0): a retryable write, a transaction to run again,
// an overloaded server, a retryable error.
var retryLabels = [...]string{"RetryableWriteError", "TransientTransactionError", "SystemOverloadedError", "RetryableError"}

// serverSaysRetry reports whether err, one error of a chain whose type
// has the flags, carries a retryable service error code or a retry label.
func serverSaysRetry(err error, flags uint16) bool {
	if flags&hasServiceCode != 0 && serviceRetryCodes[err.(interface{ ErrorCode() string }).ErrorCode()] {
		return true
	}
	if flags&hasErrorLabel != 0 {
		l := err.(interface{ HasErrorLabel(string) bool })
		for _, label := range retryLabels {
			if l.HasErrorLabel(label) {
				return true
			}
		}
	}
	return false
}

// grpcMethods finds, without importing gRPC, what grpc-go's status
// errors (and errors that carry a status the way status.FromError reads
// it) have: a GRPCStatus() method returning a pointer whose Code() is an
// unsigned integer (codes.Code). It returns their method indexes.
func grpcMethods(t reflect.Type) (status, code int, ok bool) {
	m, found := t.MethodByName("GRPCStatus")
	if !found || m.Type.NumIn() != 1 || m.Type.NumOut() != 1 || m.Type.Out(0).Kind() != reflect.Pointer {
		return 0, 0, false
	}
	c, found := m.Type.Out(0).MethodByName("Code")
	if !found || c.Type.NumIn() != 1 || c.Type.NumOut() != 1 || c.Type.Out(0).Kind() != reflect.Uint32 {
		return 0, 0, false
	}
	return m.Index, c.Index, true
}

// apiStatusIndex indexes, in an error type, what Kubernetes' API errors
// have: a Status() method (apimachinery's APIStatus interface) returning
// a struct (metav1.Status) with an integer Code, the answer's HTTP status,
// and a Details pointer whose RetryAfterSeconds is the server's hint
// (details is -1 when the struct has no such field).
type apiStatusIndex struct{ method, code, details, retryAfter int }

// apiStatusOf finds, without importing apimachinery, the Status() method
// of *errors.StatusError and of other errors implementing APIStatus: no
// arguments, one result, a struct with an integer Code and a string
// Reason (metav1.StatusReason), the two fields that make it a status
// rather than any struct with a code. client-go returns such an error for
// every answer that is not a success: a 409 Conflict or a 422 Invalid
// stays permanent, a 429 or 503 is transient, as for any HTTP status.
func apiStatusOf(t reflect.Type) *apiStatusIndex {
	m, found := t.MethodByName("Status")
	if !found || m.Type.NumIn() != 1 || m.Type.NumOut() != 1 || m.Type.Out(0).Kind() != reflect.Struct {
		return nil
	}
	st := m.Type.Out(0)
	code, ok := st.FieldByName("Code")
	if !ok || len(code.Index) != 1 || !isIntKind(code.Type.Kind()) {
		return nil
	}
	if reason, ok := st.FieldByName("Reason"); !ok || len(reason.Index) != 1 || reason.Type.Kind() != reflect.String {
		return nil
	}
	idx := &apiStatusIndex{method: m.Index, code: code.Index[0], details: -1}
	if d, ok := st.FieldByName("Details"); ok && len(d.Index) == 1 && d.Type.Kind() == reflect.Pointer && d.Type.Elem().Kind() == reflect.Struct {
		if ra, ok := d.Type.Elem().FieldByName("RetryAfterSeconds"); ok && len(ra.Index) == 1 && isIntKind(ra.Type.Kind()) {
			idx.details, idx.retryAfter = d.Index[0], ra.Index[0]
		}
	}
	return idx
}

// kubeStatus applies a Kubernetes API status: its retry-after hint, then
// its HTTP status. It calls Status through reflect: on the failure path
// only, for the errors of a Kubernetes client.
func (w *inspection) kubeStatus(err error, idx *apiStatusIndex) {
	st := reflect.ValueOf(err).Method(idx.method).Call(nil)[0]
	if idx.details >= 0 {
		if d := st.Field(idx.details); !d.IsNil() {
			if secs := intValue(d.Elem().Field(idx.retryAfter)); secs > 0 {
				w.setHint(time.Duration(secs) * time.Second)
			}
		}
	}
	w.decideStatus(intValue(st.Field(idx.code)))
}

// grpcCodeOf returns err's gRPC status code, or -1 when it has none (a
// nil status). It calls the methods through reflect: on the failure path
// only, for the errors of a gRPC client.
func grpcCodeOf(err error, ti *typeInfo) int {
	st := reflect.ValueOf(err).Method(ti.grpcStatus).Call(nil)[0]
	if st.IsNil() {
		return -1
	}
	return int(st.Method(ti.grpcCode).Call(nil)[0].Uint())
}

// gRPC status codes (google.golang.org/grpc/codes), by number.
const (
	grpcInvalidArgument    = 3
	grpcNotFound           = 5
	grpcAlreadyExists      = 6
	grpcPermissionDenied   = 7
	grpcFailedPrecondition = 9
	grpcOutOfRange         = 11
	grpcUnimplemented      = 12
	grpcUnavailable        = 14
	grpcUnauthenticated    = 16
)

// grpcVerdict classifies a gRPC status code. Unavailable is transient
// (gRPC's own definition: "most likely a transient condition"); the codes
// that describe the request or the caller are not. The others say
// nothing here: OK and Unknown; Canceled and DeadlineExceeded (Do decides
// about the caller's context first); ResourceExhausted (a quota as often
// as a rate limit), Aborted (to be retried at a higher level, by the
// caller's design), Internal and DataLoss.
func grpcVerdict(code int) verdict {
	switch code {
	case grpcUnavailable:
		return verdictTransient
	case grpcInvalidArgument, grpcNotFound, grpcAlreadyExists, grpcPermissionDenied,
		grpcFailedPrecondition, grpcOutOfRange, grpcUnimplemented, grpcUnauthenticated:
		return verdictPermanent
	}
	return verdictUnknown
}

// statusVerdict classifies an HTTP status code; values outside 100-599
// are not HTTP statuses and say nothing.
func statusVerdict(code int) verdict {
	switch {
	case code == 408, code == 425, code == 429, code == 500, code == 502, code == 503, code == 504:
		return verdictTransient
	case code >= 100 && code <= 599:
		return verdictPermanent
	}
	return verdictUnknown
}

// shape is what the fields of one struct error type can say.
type shape struct {
	retryAfter    int  // index of a RetryAfter time.Duration or *time.Duration field, or -1
	retryAfterPtr bool // the field is a *time.Duration
	status        int  // index of an int HTTP status field, or -1
	response      int  // index of a Response *struct{StatusCode int} field, or -1
	respStatus    int  // index of StatusCode in that struct
	// reasons indexes googleapi.Error's Errors ([]ErrorItem) and reason
	// the Reason of its element (googleReasons), or -1.
	reasons, reason int
}

func (s *shape) empty() bool { return s.retryAfter < 0 && s.status < 0 && s.response < 0 }

var (
	durationType  = reflect.TypeFor[time.Duration]()
	durationPtrTy = reflect.TypeFor[*time.Duration]()
)

// fields applies the struct-field signals of one error: a RetryAfter
// duration and an HTTP status, read with reflect (on the failure path
// only, the type's shape cached).
func (w *inspection) fields(err error, s *shape) {
	v := reflect.ValueOf(err)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if s.retryAfter >= 0 {
		f := v.Field(s.retryAfter)
		if s.retryAfterPtr {
			if !f.IsNil() {
				w.setHint(time.Duration(f.Elem().Int()))
			}
		} else {
			w.setHint(time.Duration(f.Int()))
		}
	}
	if w.verdict != verdictUnknown || w.hintOnly {
		return
	}
	if s.status >= 0 {
		code := intValue(v.Field(s.status))
		if code == 403 && s.reasons >= 0 && rateLimited(v.Field(s.reasons), s.reason) {
			w.decide(verdictTransient)
			return
		}
		if w.decideStatus(code); w.verdict != verdictUnknown {
			return
		}
	}
	if s.response >= 0 {
		if r := v.Field(s.response); !r.IsNil() {
			w.decideStatus(intValue(r.Elem().Field(s.respStatus)))
		}
	}
}

func intValue(v reflect.Value) int {
	if v.CanInt() {
		return int(v.Int())
	}
	if v.CanUint() {
		return int(min(v.Uint(), 1<<31))
	}
	return 0
}

func isIntKind(k reflect.Kind) bool {
	return k >= reflect.Int && k <= reflect.Uint64
}

// hasHTTPHeader reports whether the struct type t has an exported
// field Header of type net/http.Header (Google's googleapi.Error: its
// Code is the response's status), told by name, without importing
// net/http.
func hasHTTPHeader(t reflect.Type) bool {
	f, ok := t.FieldByName("Header")
	return ok && len(f.Index) == 1 && f.IsExported() && f.Type.Name() == "Header" && f.Type.PkgPath() == "net/http"
}

// googleReasons returns the index of the field Errors of a googleapi.Error
// shaped struct t (a slice of structs with a string Reason, its
// ErrorItem) and of Reason in its element, or -1, -1.
func googleReasons(t reflect.Type) (errs, reason int) {
	f, ok := t.FieldByName("Errors")
	if !ok || len(f.Index) != 1 || !f.IsExported() || f.Type.Kind() != reflect.Slice || f.Type.Elem().Kind() != reflect.Struct {
		return -1, -1
	}
	r, ok := f.Type.Elem().FieldByName("Reason")
	if !ok || len(r.Index) != 1 || r.Type.Kind() != reflect.String {
		return -1, -1
	}
	return f.Index[0], r.Index[0]
}

// rateLimited reports whether one of the items of errs (googleapi.Error's
// Errors) has the reason of a rate limit, "rateLimitExceeded" or
// "userRateLimitExceeded": Google's APIs (Drive, Gmail, Calendar,
// BigQuery, YouTube) answer a rate limit with 403 and one of those, and
// say to retry it with exponential backoff. Other 403 reasons
// (dailyLimitExceeded, quotaExceeded, forbidden, ...) stay permanent.
func rateLimited(errs reflect.Value, reason int) bool {
	for i := range errs.Len() {
		switch errs.Index(i).Field(reason).String() {
		case "rateLimitExceeded", "userRateLimitExceeded":
			return true
		}
	}
	return false
}

// findShape looks at t's own exported fields (not promoted ones): a
// RetryAfter duration; an HTTP status in StatusCode, HTTPStatusCode or
// HTTPStatus, or in Status or Code when t's name says it is an HTTP error
// (contains "http", "status" or "response", in any case); a Response or
// HTTPResponse pointer to a struct with an int StatusCode (an
// *http.Response).; and, beside a net/http.Header field (googleapi.Error), the
// reasons of its Errors (googleReasons).
func findShape(t reflect.Type) *shape {
	s := &shape{retryAfter: -1, status: -1, response: -1, reasons: -1, reason: -1}
	if hasHTTPHeader(t) {
		s.reasons, s.reason = googleReasons(t)
	}
	name := strings.ToLower(t.Name())
	httpNamed := strings.Contains(name, "http") || strings.Contains(name, "status") || strings.Contains(name, "response") || hasHTTPHeader(t)
	statusRank := 0 // prefer StatusCode over Status over Code
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous {
			continue
		}
		switch f.Name {
		case "RetryAfter":
			switch f.Type {
			case durationType:
				s.retryAfter, s.retryAfterPtr = i, false
			case durationPtrTy:
				s.retryAfter, s.retryAfterPtr = i, true
			}
		case "StatusCode", "HTTPStatusCode", "HTTPStatus", "Status", "Code":
			if !isIntKind(f.Type.Kind()) {
				continue
			}
			rank := 3
			switch f.Name {
			case "Status":
				rank = 2
			case "Code":
				rank = 1
			}
			if rank < 3 && !httpNamed {
				continue
			}
			if rank > statusRank {
				s.status, statusRank = i, rank
			}
		case "Response", "HTTPResponse":
			if f.Type.Kind() != reflect.Pointer || f.Type.Elem().Kind() != reflect.Struct {
				continue
			}
			if sf, ok := f.Type.Elem().FieldByName("StatusCode"); ok && len(sf.Index) == 1 && isIntKind(sf.Type.Kind()) {
				s.response, s.respStatus = i, sf.Index[0]
			}
		}
	}
	return s
}
