package configs

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

const ns = "ns"

// ra0 answers code with "Retry-After: 0" n times: client-go's
// rest.Request retries such answers itself (10 retries by default).
func ra0(kind string, code, n int) fault {
	return fault{kind: kind, code: code, retryAfter: "0", times: n}
}

func status(kind string, code int) fault { return fault{kind: kind, code: code, times: 1} }

func act(kind, action string) fault { return fault{kind: kind, action: action, times: 1} }

// errClass names err by its API reason and status, "transport" for an
// error without one, "nil" for none.
func errClass(err error) string {
	if err == nil {
		return "nil"
	}
	var st apierrors.APIStatus
	if errors.As(err, &st) {
		return fmt.Sprintf("%s(%d)", st.Status().Reason, st.Status().Code)
	}
	if strings.Contains(err.Error(), "connection reset by peer") {
		return "reset"
	}
	return "transport(" + err.Error() + ")"
}

// seeded returns a fake API server holding ConfigMaps a..e and a store
// over it (no client-side rate limit).
func seeded(t *testing.T, faults ...fault) (*apiServer, *ConfigStore, func()) {
	s := newAPIServer(ns, faults...)
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		s.put(n, map[string]string{"k": n})
	}
	ts := httptest.NewServer(s)
	st, err := NewConfigStore(&rest.Config{Host: ts.URL, QPS: -1}, ns)
	if err != nil {
		t.Fatal(err)
	}
	return s, st, ts.Close
}

type probeCase struct {
	name   string
	faults []fault
	// conflicts: updates that fail with 409 (another writer) first.
	conflicts int
}

func run(t *testing.T, op string, cases []probeCase, call func(ctx context.Context, st *ConfigStore) (extra string, err error)) {
	for _, c := range cases {
		s, st, stop := seeded(t, c.faults...)
		s.conflicts = c.conflicts
		start := time.Now()
		extra, err := call(context.Background(), st)
		d := time.Since(start)
		stop()
		t.Logf("PROBE %s %s: requests=%s creates=%d updates=%d%s err=%s slow=%v", op, c.name, s.summary(), s.creates, s.updates, extra, errClass(err), d > 500*time.Millisecond)
	}
}

func TestProbeGet(t *testing.T) {
	run(t, "Get", []probeCase{
		{name: "ok"},
		{name: "503", faults: []fault{status("GET", 503)}},
		{name: "500", faults: []fault{status("GET", 500)}},
		{name: "429", faults: []fault{status("GET", 429)}},
		{name: "503-retryafter-x1", faults: []fault{ra0("GET", 503, 1)}},
		{name: "503-retryafter-x20", faults: []fault{ra0("GET", 503, 20)}},
		{name: "429-retryafter-x20", faults: []fault{ra0("GET", 429, 20)}},
		{name: "reset", faults: []fault{act("GET", "reset")}},
		{name: "403", faults: []fault{status("GET", 403)}},
	}, func(ctx context.Context, st *ConfigStore) (string, error) {
		_, err := st.Get(ctx, "a")
		return "", err
	})
	run(t, "Get", []probeCase{{name: "404"}}, func(ctx context.Context, st *ConfigStore) (string, error) {
		_, err := st.Get(ctx, "missing")
		return "", err
	})
}

func TestProbeCreate(t *testing.T) {
	create := func(name string) func(ctx context.Context, st *ConfigStore) (string, error) {
		return func(ctx context.Context, st *ConfigStore) (string, error) {
			_, err := st.Create(ctx, name, map[string]string{"k": "v"})
			return "", err
		}
	}
	run(t, "Create", []probeCase{
		{name: "ok"},
		{name: "503", faults: []fault{status("POST", 503)}},
		{name: "503-retryafter-x20", faults: []fault{ra0("POST", 503, 20)}},
		{name: "reset", faults: []fault{act("POST", "reset")}},
		{name: "lost", faults: []fault{act("POST", "lost")}},
	}, create("new"))
	run(t, "Create", []probeCase{{name: "409-exists"}}, create("a"))
	run(t, "Create", []probeCase{{name: "422-invalid"}}, create(""))
}

func TestProbeUpdate(t *testing.T) {
	update := func(stale bool) func(ctx context.Context, st *ConfigStore) (string, error) {
		return func(ctx context.Context, st *ConfigStore) (string, error) {
			cm, err := st.Get(ctx, "a")
			if err != nil {
				return "", err
			}
			if stale {
				cm.ResourceVersion = "0"
			}
			cm.Data["k"] = "new"
			_, err = st.Update(ctx, cm)
			return "", err
		}
	}
	run(t, "Update", []probeCase{
		{name: "ok"},
		{name: "503", faults: []fault{status("PUT", 503)}},
		{name: "503-retryafter-x20", faults: []fault{ra0("PUT", 503, 20)}},
		{name: "reset", faults: []fault{act("PUT", "reset")}},
		{name: "lost", faults: []fault{act("PUT", "lost")}},
	}, update(false))
	run(t, "Update", []probeCase{{name: "409-conflict"}}, update(true))
}

func TestProbeDelete(t *testing.T) {
	del := func(name string) func(ctx context.Context, st *ConfigStore) (string, error) {
		return func(ctx context.Context, st *ConfigStore) (string, error) {
			return "", st.Delete(ctx, name)
		}
	}
	run(t, "Delete", []probeCase{
		{name: "ok"},
		{name: "503", faults: []fault{status("DELETE", 503)}},
		{name: "reset", faults: []fault{act("DELETE", "reset")}},
		{name: "lost", faults: []fault{act("DELETE", "lost")}},
	}, del("a"))
	run(t, "Delete", []probeCase{{name: "404"}}, del("missing"))
}

func TestProbeList(t *testing.T) {
	run(t, "List", []probeCase{
		{name: "ok"},
		{name: "page2-503", faults: []fault{status("LIST2", 503)}},
		{name: "page2-reset", faults: []fault{act("LIST2", "reset")}},
		// client-go retries a GET whose connection is reset, waiting
		// 1s, 10 times: this case takes 10s per attempt.
		{name: "page2-reset-x20", faults: []fault{{kind: "LIST2", action: "reset", times: 20}}},
		{name: "page2-503-retryafter-x20", faults: []fault{ra0("LIST2", 503, 20)}},
		{name: "page1-503-retryafter-x1", faults: []fault{ra0("LIST", 503, 1)}},
	}, func(ctx context.Context, st *ConfigStore) (string, error) {
		items, err := st.List(ctx)
		names := ""
		for _, cm := range items {
			names += cm.Name
		}
		return fmt.Sprintf(" items=%d[%s]", len(items), names), err
	})
}

func TestProbeSetKey(t *testing.T) {
	run(t, "SetKey", []probeCase{
		{name: "ok"},
		{name: "409-conflict-x1", conflicts: 1},
		{name: "409-conflict-x9", conflicts: 9},
		{name: "put-reset", faults: []fault{act("PUT", "reset")}},
		{name: "put-503-retryafter-x20", faults: []fault{ra0("PUT", 503, 20)}},
	}, func(ctx context.Context, st *ConfigStore) (string, error) {
		return "", st.SetKey(ctx, "a", "x", "1")
	})
}

func TestProbeWait(t *testing.T) {
	cases := []probeCase{
		{name: "present"},
		{name: "get-503", faults: []fault{status("GET", 503)}},
		{name: "get-503-x3", faults: []fault{{kind: "GET", code: 503, times: 3}}},
		{name: "get-reset", faults: []fault{act("GET", "reset")}},
	}
	run(t, "WaitForKey", cases, func(ctx context.Context, st *ConfigStore) (string, error) {
		return "", st.WaitForKey(ctx, "a", "k", 300*time.Millisecond)
	})
	run(t, "WaitForKeyLenient", cases, func(ctx context.Context, st *ConfigStore) (string, error) {
		return "", st.WaitForKeyLenient(ctx, "a", "k", 300*time.Millisecond)
	})
}

// TestProbeReconcile runs Reconcile once per case, as controller-runtime's
// controller does for a request (it requeues a failed one itself).
func TestProbeReconcile(t *testing.T) {
	cases := []probeCase{
		{name: "ok"},
		{name: "get-503", faults: []fault{status("GET", 503)}},
		{name: "get-503-retryafter-x20", faults: []fault{ra0("GET", 503, 20)}},
		{name: "put-reset", faults: []fault{act("PUT", "reset")}},
		{name: "put-lost", faults: []fault{act("PUT", "lost")}},
		{name: "put-409-conflict", conflicts: 1},
	}
	run(t, "Reconcile", cases, func(ctx context.Context, st *ConfigStore) (string, error) {
		r := &ConfigReconciler{Store: st}
		res, err := r.Reconcile(ctx, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: ns, Name: "a"}})
		return fmt.Sprintf(" requeue=%v", res.RequeueAfter > 0), err
	})
	run(t, "Reconcile", []probeCase{{name: "gone"}}, func(ctx context.Context, st *ConfigStore) (string, error) {
		r := &ConfigReconciler{Store: st}
		_, err := r.Reconcile(ctx, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: ns, Name: "missing"}})
		return "", err
	})
}

// TestProbeWorkqueue works one key through the controller's queue until
// it is synced or dropped (MaxRequeues failures), counting syncs.
func TestProbeWorkqueue(t *testing.T) {
	cases := []probeCase{
		{name: "ok"},
		{name: "get-503", faults: []fault{status("GET", 503)}},
		{name: "get-503-always", faults: []fault{{kind: "GET", code: 503, times: 100}}},
		{name: "put-reset", faults: []fault{act("PUT", "reset")}},
		{name: "put-409-conflict", conflicts: 1},
	}
	run(t, "Workqueue", cases, func(ctx context.Context, st *ConfigStore) (string, error) {
		q := workqueue.NewTypedRateLimitingQueue(workqueue.NewTypedItemExponentialFailureRateLimiter[string](time.Millisecond, 10*time.Millisecond))
		defer q.ShutDown()
		c := &Controller{Queue: q, Store: st}
		q.Add("a")
		rounds := 0
		for rounds < 20 {
			rounds++
			c.processNextWorkItem(ctx)
			if q.NumRequeues("a") == 0 {
				break
			}
		}
		cm, err := st.Get(ctx, "a")
		synced := err == nil && cm.Data[SyncedKey] == "true"
		return fmt.Sprintf(" rounds=%d synced=%v", rounds, synced), nil
	})
}
