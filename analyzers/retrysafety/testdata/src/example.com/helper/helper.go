// Package helper is known to its callers only through Writes facts.
package helper

import (
	"errors"
	"fmt"
	"io"
)

// Counter counts through a pointer receiver.
type Counter struct{ n int }

// Inc writes its receiver.
func (c *Counter) Inc() { c.n++ } // want Inc:"writes receiver"

// N only reads.
func (c *Counter) N() int { return c.n }

// Hits is package state.
var Hits int

// Record writes package state.
func Record() { Hits++ } // want Record:"writes package state"

// Fill writes the map it is given.
func Fill(m map[string]int) { m["x"] = 1 } // want Fill:"writes param 0"

// Log writes to the writer it is given.
func Log(w io.Writer, s string) { fmt.Fprintln(w, s) } // want Log:`writes param 0 \(stream\)`

// Step writes its receiver before the call that can fail.
func (c *Counter) Step() error { // want Step:"writes receiver; early"
	c.n++
	return c.check()
}

func (c *Counter) check() error {
	if c.n > 10 {
		return errors.New("too many")
	}
	return nil
}

// Pure writes nothing: no fact.
func Pure(x int) int { return x * 2 }
