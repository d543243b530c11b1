// Package workqueue is a stand-in for client-go's util/workqueue v0.37: a
// rate-limiting queue of keys whose AddRateLimited puts a key back after
// a per-key delay that grows with each requeue.
package workqueue

// TypedRateLimitingInterface is a queue of items of type T.
type TypedRateLimitingInterface[T comparable] interface {
	Get() (item T, shutdown bool)
	Done(item T)
	Forget(item T)
	NumRequeues(item T) int
	AddRateLimited(item T)
}
