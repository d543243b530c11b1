// Package order declares callers before their callees, and a cycle, for
// the fixed point's order: a caller's verdict names the write its callee
// makes first by the callee's final facts.
package order

type C struct{ n, m int }

func (c *C) fetch() error { return nil }

// Top calls Mid, which calls Leaf before it writes c.m itself: the first
// write Mid's fact names is Leaf's.
func (c *C) Top() error { // want Top:"writes receiver; early"
	c.Mid()
	return c.fetch()
}

func (c *C) Mid() { // want Mid:"writes receiver"
	c.Leaf()
	c.m++
}

func (c *C) Leaf() { // want Leaf:"writes receiver"
	c.n++
}

// Parity calls into a cycle, declared after it, whose Writes grow as its
// functions are analyzed again.
func (c *C) Parity() error { // want Parity:"writes receiver; early"
	return c.Odd(3)
}

func (c *C) Odd(k int) error { // want Odd:"writes receiver; early"
	if k == 0 {
		return c.fetch()
	}
	return c.Even(k - 1)
}

func (c *C) Even(k int) error { // want Even:"writes receiver; early"
	if k == 0 {
		return c.fetch()
	}
	c.n++
	return c.Odd(k - 1)
}
