// Package marked is not an agents package: only marked types are agents.
package marked

import "os"

// Store is an agent by directive.
//
//resilience:agent
type Store struct{}

func (Store) Put() error { return os.Remove("x") } // want Put:"unrouted" `Store.Put returns an error but is not routed`

// Plain is not an agent here.
type Plain struct{}

func (Plain) Put() error { return os.Remove("x") }

type (
	// Grouped is an agent by directive in a grouped declaration.
	//
	//resilience:agent
	Grouped struct{}
	Other   struct{}
)

func (*Grouped) Put() error { return os.Remove("x") } // want Put:"unrouted" `Grouped.Put returns an error but is not routed`

func (*Other) Put() error { return os.Remove("x") }
