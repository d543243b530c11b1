// Package memo fills memoisation caches: a store under a key that a
// look-up of the same key just missed, with the value then returned, after
// which nothing can fail, is no write a retry repeats (the second attempt
// finds the entry). The near-misses below stay writes.
package memo

import (
	"context"
	"errors"
	"io"
	"os"
	"reflect"
	"sync"
	"time"
)

type info struct{ n int }

var (
	mu      sync.RWMutex
	infos   = map[reflect.Type]*info{}
	plans   sync.Map
	byField sync.Map
	shared  sync.Map
)

func build(t reflect.Type) (*info, error) {
	if t == nil {
		return nil, errors.New("nil type")
	}
	return &info{n: t.NumField()}, nil
}

// getInfo is yaml.v3's getStructInfo: the look-up under a read lock, the
// store under the lock, then the return of what was stored.
func getInfo(t reflect.Type) (*info, error) {
	mu.RLock()
	in, found := infos[t]
	mu.RUnlock()
	if found {
		return in, nil
	}
	in, err := build(t)
	if err != nil {
		return nil, err
	}
	mu.Lock()
	infos[t] = in
	mu.Unlock()
	return in, nil
}

// planFor is go-toml's planForType: a sync.Map Load, then Store.
func planFor(t reflect.Type) *info {
	if p, ok := plans.Load(t); ok {
		return p.(*info)
	}
	p := &info{n: t.NumMethod()}
	plans.Store(t, p)
	return p
}

type fieldKey struct {
	tag string
	typ reflect.Type
}

// fieldsOf is msgpack's structCache.Fields: a composite key of the
// parameters.
func fieldsOf(typ reflect.Type, tag string) *info {
	key := fieldKey{tag: tag, typ: typ}
	if v, ok := byField.Load(key); ok {
		return v.(*info)
	}
	fs := &info{n: len(tag)}
	byField.Store(key, fs)
	return fs
}

// sharedOf fills its entry with LoadOrStore.
func sharedOf(t reflect.Type) *info {
	fresh := &info{n: t.NumIn()}
	v, _ := shared.LoadOrStore(t.Elem(), fresh)
	return v.(*info)
}

type Client struct {
	cache  map[string]int
	seen   map[string]bool
	byTime map[int64]int
	byName map[string]*info
	mu     sync.Mutex
	r      io.Reader
}

func (c *Client) fetch(ctx context.Context, k string) (int, error) {
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	return len(k), nil
}

func (c *Client) send(ctx context.Context, v int) error { return ctx.Err() }

// get caches in a field what a call that can fail returned, under a mutex
// held by a deferred unlock.
func (c *Client) get(ctx context.Context, k string) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cache[k]; ok {
		return v, nil
	}
	v, err := c.fetch(ctx, k)
	if err != nil {
		return 0, err
	}
	c.cache[k] = v
	return v, nil
}

// Encode and the next callers use the memo functions before a call that
// can fail: safe.
func (c *Client) Encode(ctx context.Context, t reflect.Type) error {
	in, err := getInfo(t)
	if err != nil {
		return err
	}
	return c.send(ctx, in.n+planFor(t).n+fieldsOf(t, "json").n+sharedOf(t).n)
}

func (c *Client) Get(ctx context.Context, k string) error {
	v, err := c.get(ctx, k)
	if err != nil {
		return err
	}
	return c.send(ctx, v)
}

// storeThenFail stores, then makes a call that can fail: a retry would
// find the entry and skip the send.
func (c *Client) storeThenFail(ctx context.Context, k string) (int, error) { // want storeThenFail:"writes receiver; early"
	if v, ok := c.cache[k]; ok {
		return v, nil
	}
	v := len(k)
	c.cache[k] = v
	return v, c.send(ctx, v)
}

// placeholder stores an entry before it is complete (go-json's recursive
// compiler).
func (c *Client) placeholder(ctx context.Context, k string) (int, error) { // want placeholder:"writes receiver; early"
	if v, ok := c.cache[k]; ok {
		return v, nil
	}
	v := 0
	c.cache[k] = v
	n, err := c.fetch(ctx, k)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// noLookup stores under a key that is not looked up first.
func (c *Client) noLookup(k string) int { // want noLookup:"writes receiver"
	v := len(k)
	c.cache[k] = v
	return v
}

// otherKey looks up one key and stores under another.
func (c *Client) otherKey(k, k2 string) int { // want otherKey:"writes receiver"
	if v, ok := c.cache[k]; ok {
		return v
	}
	v := len(k)
	c.cache[k2] = v
	return v
}

// mark is a dedupe set: the hit returns something else than the entry, so
// a retried caller would skip what the first attempt did after mark.
func (c *Client) mark(k string) bool { // want mark:"writes receiver"
	if _, ok := c.seen[k]; ok {
		return false
	}
	done := true
	c.seen[k] = done
	return true
}

// clockKey keys its entries by the time: each attempt adds one.
func (c *Client) clockKey() int { // want clockKey:"writes receiver"
	k := time.Now().UnixNano()
	if v, ok := c.byTime[k]; ok {
		return v
	}
	v := int(k)
	c.byTime[k] = v
	return v
}

// counted counts in the entry: no hit returns.
func (c *Client) counted(k string) int { // want counted:"writes receiver"
	v := c.cache[k]
	v++
	c.cache[k] = v
	return v
}

// fromFile stores what it read from a stream.
func (c *Client) fromFile(k string) (int, error) { // want fromFile:"writes receiver"
	if v, ok := c.cache[k]; ok {
		return v, nil
	}
	f, err := os.Open(k)
	if err != nil {
		return 0, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return 0, err
	}
	n := len(data)
	c.cache[k] = n
	return n, nil
}

// given stores the caller's value, not one computed from the key.
func (c *Client) given(k string, v int) int { // want given:"writes receiver"
	if old, ok := c.cache[k]; ok {
		return old
	}
	c.cache[k] = v
	return v
}

// nested stores in a branch, not at the top of the body.
func (c *Client) nested(k string) int { // want nested:"writes receiver"
	if v, ok := c.cache[k]; ok {
		return v
	}
	v := len(k)
	if v > 0 {
		c.cache[k] = v
	}
	return v
}

// The callers of the near-misses stay refused.
func (c *Client) StoreThenFail(ctx context.Context, k string) error { // want StoreThenFail:"writes receiver; early"
	v, err := c.storeThenFail(ctx, k)
	if err != nil {
		return err
	}
	return c.send(ctx, v)
}

func (c *Client) Mark(ctx context.Context, k string) error { // want Mark:"writes receiver; early"
	if !c.mark(k) {
		return nil
	}
	return c.send(ctx, 1)
}

func (c *Client) Counted(ctx context.Context, k string) error { // want Counted:"writes receiver; early"
	return c.send(ctx, c.counted(k))
}

func (c *Client) FromFile(ctx context.Context, k string) error { // want FromFile:"writes receiver; early"
	n, err := c.fromFile(k)
	if err != nil {
		return err
	}
	return c.send(ctx, n)
}

func (c *Client) ClockKey(ctx context.Context) error { // want ClockKey:"writes receiver; early"
	return c.send(ctx, c.clockKey())
}

// named checks its entry against nil (go-json's cachedDecoder shape, on a
// map): a memo store too.
func (c *Client) named(k string) *info {
	c.mu.Lock()
	defer c.mu.Unlock()
	in := c.byName[k]
	if in != nil {
		return in
	}
	in = &info{n: len(k)}
	c.byName[k] = in
	return in
}

// nilGuardOther checks another variable against nil.
func (c *Client) nilGuardOther(k string, other *info) *info { // want nilGuardOther:"writes receiver"
	in := c.byName[k]
	if other != nil {
		return in
	}
	in = &info{n: len(k)}
	c.byName[k] = in
	return in
}

func (c *Client) Named(ctx context.Context, k string) error {
	return c.send(ctx, c.named(k).n)
}

func (c *Client) NilGuardOther(ctx context.Context, k string) error { // want NilGuardOther:"writes receiver; early"
	return c.send(ctx, c.nilGuardOther(k, nil).n)
}

// storeOnError stores even when the call failed, and returns its error
// with the entry: the next attempt would find it and succeed.
func (c *Client) storeOnError(ctx context.Context, k string) (int, error) { // want storeOnError:"writes receiver"
	if v, ok := c.cache[k]; ok {
		return v, nil
	}
	v, err := c.fetch(ctx, k)
	c.cache[k] = v
	return v, err
}

func (c *Client) StoreOnError(ctx context.Context, k string) error { // want StoreOnError:"writes receiver; early"
	v, err := c.storeOnError(ctx, k)
	if err != nil {
		return err
	}
	return c.send(ctx, v)
}

// storeOnly stores in a sync.Map it did not look in first.
func storeOnly(t reflect.Type) *info { // want storeOnly:"writes package state"
	p := &info{n: t.NumMethod()}
	plans.Store(t, p)
	return p
}

// clockOrStore keys LoadOrStore by the clock: each attempt adds an entry.
func clockOrStore() *info { // want clockOrStore:"writes package state"
	fresh := &info{}
	v, _ := shared.LoadOrStore(time.Now().UnixNano(), fresh)
	return v.(*info)
}

// otherMap looks in one sync.Map and stores in another.
func otherMap(t reflect.Type) *info { // want otherMap:"writes package state"
	if p, ok := plans.Load(t); ok {
		return p.(*info)
	}
	p := &info{}
	shared.Store(t, p)
	return p
}

func (c *Client) Stored(ctx context.Context, t reflect.Type) error { // want Stored:"writes package state; early"
	return c.send(ctx, storeOnly(t).n+clockOrStore().n+otherMap(t).n)
}

// forget deletes with LoadAndDelete: a write.
func forget(t reflect.Type) *info { // want forget:"writes package state"
	v, ok := shared.LoadAndDelete(t)
	if !ok {
		return nil
	}
	return v.(*info)
}

func (c *Client) Forget(ctx context.Context, t reflect.Type) error { // want Forget:"writes package state; early"
	return c.send(ctx, forget(t).n)
}

// cacher holds a sync.Map behind methods of its own (aws-sdk-go-v2's
// attributevalue fieldCacher): its LoadOrStore forwards the key and the
// value, and returns what the sync.Map's returned. A call of it is a
// LoadOrStore, judged by the memo rule where it is made.
type cacher struct{ m sync.Map }

var typeCache = &cacher{}

func (c *cacher) LoadOrStore(k reflect.Type, v *info) (*info, bool) { // want LoadOrStore:"writes receiver"
	x, ok := c.m.LoadOrStore(k, v)
	return x.(*info), ok
}

// viaForwarder fills the entry of t with a value computed from t: a memo
// store.
func viaForwarder(t reflect.Type) *info {
	fresh := &info{n: t.NumField()}
	x, _ := typeCache.LoadOrStore(t, fresh)
	return x
}

// givenViaForwarder stores the value its caller gives: a write.
func givenViaForwarder(t reflect.Type, v *info) *info { // want givenViaForwarder:"writes package state"
	x, _ := typeCache.LoadOrStore(t, v)
	return x
}

// forwardThenFail stores, then makes a call that can fail: a write.
func (c *Client) forwardThenFail(ctx context.Context, t reflect.Type) (int, error) { // want forwardThenFail:"writes package state; early"
	fresh := &info{n: t.NumField()}
	x, _ := typeCache.LoadOrStore(t, fresh)
	return x.n, c.send(ctx, x.n)
}

func (c *Client) Forwarded(ctx context.Context, t reflect.Type) error {
	return c.send(ctx, viaForwarder(t).n)
}

func (c *Client) GivenForwarded(ctx context.Context, t reflect.Type) error { // want GivenForwarded:"writes package state; early"
	return c.send(ctx, givenViaForwarder(t, &info{}).n)
}
