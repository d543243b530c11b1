package withtests

import "os"

type Agent struct{}

func (Agent) Put() error { return os.Remove("x") } // want Put:"unrouted" `Agent.Put returns an error but is not routed`
