package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/resilience-lint/resilience-lint/internal/driver"
)

// progressDelay is how long a run must last before progress is shown, so
// that quick runs print nothing extra.
const progressDelay = 700 * time.Millisecond

// progress shows the driver's progress on a terminal, rewriting one line.
// When w is not a terminal it does nothing, so CI logs stay clean.
type progress struct {
	w      io.Writer
	delay  time.Duration
	mu     sync.Mutex
	cur    driver.Progress
	shown  bool
	done   chan struct{}
	wg     sync.WaitGroup
	active bool
}

// startProgress starts a progress display on w if it is a terminal.
func startProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return newProgress(w, ok && term.IsTerminal(int(f.Fd())), progressDelay)
}

// newProgress returns a display on w that shows progress after delay if
// active, and does nothing otherwise.
func newProgress(w io.Writer, active bool, delay time.Duration) *progress {
	p := &progress{w: w, delay: delay, done: make(chan struct{}), active: active}
	if active {
		p.wg.Add(1)
		go p.loop()
	}
	return p
}

// update records the latest progress; safe for concurrent use.
func (p *progress) update(pr driver.Progress) {
	p.mu.Lock()
	p.cur = pr
	p.mu.Unlock()
}

func (p *progress) loop() {
	defer p.wg.Done()
	select {
	case <-p.done:
		return
	case <-time.After(p.delay):
	}
	tick := time.NewTicker(150 * time.Millisecond)
	defer tick.Stop()
	for {
		p.draw()
		select {
		case <-p.done:
			return
		case <-tick.C:
		}
	}
}

func (p *progress) draw() {
	p.mu.Lock()
	cur := p.cur
	p.mu.Unlock()
	note(p.w, "\r\x1b[K%s", progressLine(cur))
	p.shown = true
}

// stop ends the display and erases its line.
func (p *progress) stop() {
	if !p.active {
		return
	}
	close(p.done)
	p.wg.Wait()
	if p.shown {
		note(p.w, "\r\x1b[K")
	}
	p.active = false
}

// progressLine renders one progress report: the stage, packages done out
// of the stage's total when known, and how many named packages were
// served from the result cache ("analyzing 12/30 (18 from cache)").
func progressLine(pr driver.Progress) string {
	line := pr.Stage.String()
	switch {
	case pr.Total > 0:
		line += fmt.Sprintf(" %d/%d", min(pr.Done, pr.Total), pr.Total)
	case pr.Cached == 0:
		line += "..."
	}
	if pr.Cached > 0 {
		line += fmt.Sprintf(" (%d from cache)", pr.Cached)
	}
	return line
}
