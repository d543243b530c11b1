package retrycoverage

import (
	"go/types"

	"github.com/resilience-lint/resilience-lint/analyzers/retrysafety"
)

// unsafeToRetry returns why running fn's body twice is not safe, as
// retrysafety decided it (it writes state that outlives an attempt before
// the call that can fail, consumes a stream held in the receiver, or
// restarts a cursor loop), or "" when it is safe.
func (r *runner) unsafeToRetry(fn *types.Func) string {
	res, _ := r.pass.ResultOf[retrysafety.Analyzer].(*retrysafety.Result)
	return res.Reason(fn)
}
