package shapes

// Agent is an agent.
type Agent struct{ n int }

// Work has no context and the file no imports.
func (a *Agent) Work() (int, error) {
	a.n++
	return a.n, nil
}
