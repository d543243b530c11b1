package targets

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/resilience-lint/resilience-lint/config"
	"github.com/resilience-lint/resilience-lint/internal/typepred"
)

// DirRetries marks a type that retries by construction (an API client
// built with its own retry options): //resilience:retries <reason> on its
// declaration. A call to one of its methods is routed work.
const DirRetries = "retries"

// RetriesByConstruction says why fn, a function or method that returns
// an error, retries by construction according to the configuration: its
// receiver's type matches retrying-types or, unless exclude-retry-funcs
// removes it, config.DefaultRetryingTypes, or its package matches
// retrying-packages. "" when it does not. The directive form is known to
// the analyzer through a Fact.
func (c *Classifier) RetriesByConstruction(fn *types.Func) string {
	if fn == nil || fn.Pkg() == nil {
		return ""
	}
	fn = fn.Origin()
	if tn := typepred.ReceiverTypeName(fn); tn != nil && tn.Pkg() != nil {
		if MatchType(c.retryingTypes, tn.Pkg().Path(), tn.Name()) {
			return "retrying-types selects " + tn.Pkg().Name() + "." + tn.Name()
		}
		for _, p := range config.DefaultRetryingTypes {
			if MatchType([]string{p}, tn.Pkg().Path(), tn.Name()) && !c.cfg.ExcludesDefaultRetrying(p, tn.Pkg().Path(), tn.Name()) {
				return "the default retrying type " + p + " selects " + tn.Pkg().Name() + "." + tn.Name()
			}
		}
	}
	if MatchPackage(c.retryingPackages, fn.Pkg().Path()) {
		return "retrying-packages selects " + fn.Pkg().Path()
	}
	return ""
}

// OptionalRetry reports whether fn is a method of a type that
// optional-retrying-types selects: a type that retries, but that the code
// does not turn on (a retrying decorator installed by an option), so a
// call through an interface it implements is not taken to nest its retry.
func (c *Classifier) OptionalRetry(fn *types.Func) bool {
	if fn == nil || len(c.optionalRetrying) == 0 {
		return false
	}
	tn := typepred.ReceiverTypeName(fn.Origin())
	return tn != nil && tn.Pkg() != nil && MatchType(c.optionalRetrying, tn.Pkg().Path(), tn.Name())
}

// IsRecoveryEntry reports whether fn is one of runtime/recovery's own
// entry points (not a library's or a configured one).
func IsRecoveryEntry(fn *types.Func) bool {
	if fn == nil || fn.Pkg() == nil {
		return false
	}
	return typepred.IsFunctionNamed(fn.Origin(), RecoveryPath,
		"Do", "DoValue", "DoValue2", "DoFallback", "DoValueFallback", "DoValue2Fallback")
}

// RetryingType is a type declared with //resilience:retries.
type RetryingType struct {
	Obj    *types.TypeName
	Reason string
}

// RetryingTypes returns the named types (interfaces included) declared in
// files whose declaration carries //resilience:retries <reason>, and the
// directives without a reason as problems (such a directive is ignored).
func RetryingTypes(files []*ast.File, info *types.Info) ([]RetryingType, []Problem) {
	var out []RetryingType
	var problems []Problem
	for _, f := range files {
		for ts, doc := range typeSpecs(f) {
			dir := Find(Directives(doc), DirRetries)
			tn, _ := info.Defs[ts.Name].(*types.TypeName)
			if dir == nil || tn == nil {
				continue
			}
			if strings.TrimSpace(dir.Reason) == "" {
				problems = append(problems, Problem{dir.Pos, "//resilience:retries on " + tn.Name() + " needs a reason: //resilience:retries <how it retries>"})
				continue
			}
			out = append(out, RetryingType{Obj: tn, Reason: dir.Reason})
		}
	}
	return out, problems
}

// argumentChecks are the request and URL constructors of the standard
// library and of known retrying clients, the encoders of a request
// body into memory, and the standard library's parsers of strings and
// bytes in memory (those returning plain values are pureParsers, in
// guards.go, which IsArgumentCheck reads too): they fail only on their arguments (a malformed URL,
// number, duration, address or pattern, a value that cannot be
// marshalled), so calling one is validation, not work to retry, exactly
// like a validator of the package: a second try gets the same error.
// Building a request before a retrying client's Do (the canonical use of
// go-retryablehttp) does not make the method mix work outside a retry
// with work inside it, and a method that only parses its arguments
// (nomad's Client.Locks: time.ParseDuration of a TTL) is not work.
// Decoding into memory is listed like encoding from it: json and xml
// Unmarshal of bytes in hand (a payload, a response body already read)
// fail only on those bytes and the target's type (a custom UnmarshalJSON
// is taken to follow its contract, as a MarshalJSON is for Marshal).
// The database SDKs' converters between Go values and their documents
// are the same: aws-sdk-go-v2's DynamoDB attributevalue (Marshal,
// MarshalMap, UnmarshalMap, UnmarshalListOfMaps and their WithOptions
// forms) and the MongoDB driver's bson Marshal and Unmarshal (v1 and v2)
// walk the value given with reflect, calling its own Marshaler or
// Unmarshaler; a DynamoDB repository's GetItem then UnmarshalMap (or
// MarshalMap then PutItem) is the client's retry and a conversion, not
// work outside that retry (checked against attributevalue v1.21.21 and
// mongo-driver v2.10.0).
// Parsers that read anything but their arguments (time.LoadLocation reads
// the zone database) are not listed.
var argumentChecks = map[string]bool{
	"regexp.Compile":                                   true,
	"regexp.CompilePOSIX":                              true,
	"regexp/syntax.Parse":                              true,
	"net.ParseCIDR":                                    true,
	"net.ParseMAC":                                     true,
	"net/mail.ParseAddress":                            true,
	"net/mail.ParseAddressList":                        true,
	"mime.ParseMediaType":                              true,
	"encoding/hex.DecodeString":                        true,
	"encoding/hex.Decode":                              true,
	"encoding/base64.Encoding.DecodeString":            true,
	"encoding/base32.Encoding.DecodeString":            true,
	"net/http.NewRequest":                              true,
	"net/http.NewRequestWithContext":                   true,
	"net/url.Parse":                                    true,
	"net/url.ParseRequestURI":                          true,
	"net/url.ParseQuery":                               true,
	"net/url.PathUnescape":                             true,
	"net/url.QueryUnescape":                            true,
	"net/url.URL.Parse":                                true,
	"net/url.JoinPath":                                 true,
	"encoding/json.Marshal":                            true,
	"encoding/json.MarshalIndent":                      true,
	"encoding/json.Unmarshal":                          true,
	"encoding/xml.Unmarshal":                           true,
	"encoding/xml.Marshal":                             true,
	"encoding/xml.MarshalIndent":                       true,
	"github.com/hashicorp/go-retryablehttp.NewRequest": true,
	"github.com/hashicorp/go-retryablehttp.NewRequestWithContext":                                 true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.Marshal":                        true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.MarshalWithOptions":             true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.MarshalMap":                     true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.MarshalMapWithOptions":          true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.MarshalList":                    true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.MarshalListWithOptions":         true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.Unmarshal":                      true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.UnmarshalWithOptions":           true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.UnmarshalMap":                   true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.UnmarshalMapWithOptions":        true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.UnmarshalList":                  true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.UnmarshalListWithOptions":       true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.UnmarshalListOfMaps":            true,
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue.UnmarshalListOfMapsWithOptions": true,
	"go.mongodb.org/mongo-driver/bson.Marshal":                                                    true,
	"go.mongodb.org/mongo-driver/bson.Unmarshal":                                                  true,
	"go.mongodb.org/mongo-driver/v2/bson.Marshal":                                                 true,
	"go.mongodb.org/mongo-driver/v2/bson.Unmarshal":                                               true,
}

// bodyArgs are the argument checks that read their request body argument
// (its index) when it is a stream: go-retryablehttp's constructors take
// the body as an interface{} and buffer a plain io.Reader whole with
// io.ReadAll (and call a ReaderFunc or func() (io.Reader, error) for its
// first reader), so that every attempt of Client.Do can send it again.
// Given bytes, a string, a *bytes.Buffer, a *bytes.Reader or an
// io.ReadSeeker they read nothing and fail only on their arguments;
// given a stream, they read it, which can fail mid-way (a reset
// connection), and a second call gets what the first left: go-tfe's
// Client.NewRequest("PUT", path, r), wrapped in a retry, sent the half
// of r its first attempt had not read, and reported success.
var bodyArgs = map[string]int{
	"github.com/hashicorp/go-retryablehttp.NewRequest":            2,
	"github.com/hashicorp/go-retryablehttp.NewRequestWithContext": 3,
}

// BodyArg returns the index of the argument that a call of fn reads when
// it is a stream (see ReadsBody), or -1 when fn reads none.
func BodyArg(fn *types.Func) int {
	if fn == nil {
		return -1
	}
	if i, ok := bodyArgs[QualifiedName(fn)]; ok {
		return i
	}
	return -1
}

// ReadsBody reports whether a body argument of static type t may be read
// (or, for a function, called) by the constructor it is given to: an
// interface (interface{}, io.Reader: what it holds is known only at run
// time, unless the interface has Seek), a function, or an io.Reader that
// is not an io.Seeker. Untyped nil, []byte, string, *bytes.Buffer,
// *bytes.Reader and io.ReadSeekers are not read.
func ReadsBody(t types.Type) bool {
	if t == nil {
		return false
	}
	if _, ok := t.Underlying().(*types.Basic); ok {
		return false // untyped nil, a string
	}
	if types.IsInterface(t) {
		return !hasMethod(t, "Seek") // an io.ReadSeeker is seeked, not read
	}
	if _, ok := t.Underlying().(*types.Signature); ok {
		return true
	}
	if typepred.IsPointerToNamed(t, "bytes", "Buffer", "Reader") {
		return false
	}
	return hasMethod(t, "Read") && !hasMethod(t, "Seek")
}

// hasMethod reports whether t's method set (or, for an addressable
// value, its pointer's) has a method of that name.
func hasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// IsArgumentCheck reports whether fn fails only on its arguments
// (argumentChecks, and the parsers of plain values, pureParsers): a call
// to it is validation, not work.
func IsArgumentCheck(fn *types.Func) bool {
	if fn == nil {
		return false
	}
	name := QualifiedName(fn)
	return argumentChecks[name] || pureParsers[name]
}
