// Package xsync stands for github.com/puzpuzpuz/xsync/v3: a concurrent
// map with sync.Map's API, whose stores write the map's own fields (a
// resize flag, the table).
package xsync

import (
	"sync"
	"sync/atomic"
)

type MapOf[K comparable, V any] struct {
	mu       sync.Mutex
	resizing int64
	table    map[K]V
}

func NewMapOf[K comparable, V any]() *MapOf[K, V] {
	return &MapOf[K, V]{table: map[K]V{}}
}

func (m *MapOf[K, V]) Load(key K) (value V, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	value, ok = m.table[key]
	return value, ok
}

func (m *MapOf[K, V]) Store(key K, value V) { // want Store:"writes receiver"
	m.resize()
	m.mu.Lock()
	m.table[key] = value
	m.mu.Unlock()
}

func (m *MapOf[K, V]) LoadOrStore(key K, value V) (actual V, loaded bool) { // want LoadOrStore:"writes receiver"
	m.resize()
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.table[key]; ok {
		return v, true
	}
	m.table[key] = value
	return value, false
}

func (m *MapOf[K, V]) resize() { // want resize:"writes receiver"
	atomic.CompareAndSwapInt64(&m.resizing, 0, 1)
}
