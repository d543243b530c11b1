// Package configured is tested with -agent-types=Repo,example.com/configured.Svc*.
package configured

import "os"

type Repo struct{}

func (Repo) Put() error { return os.Remove("x") } // want `Repo.Put returns an error but is not routed`

type SvcA struct{}

func (SvcA) Put() error { return os.Remove("x") } // want `SvcA.Put returns an error but is not routed`

type Other struct{}

func (Other) Put() error { return os.Remove("x") }
