// Package front delegates to the unrouted agent methods of package nested,
// known through their UnroutedMethod fact.
package front

import (
	"os"
	"strings"

	"example.com/agents/nested"
)

type Front struct{ c *nested.Cache }

// Size delegates to nested.Cache.Stat: no fix.
func (f *Front) Size(key string) (int, error) { // want Size:"unrouted" `^Front.Size returns an error but is not routed through runtime/recovery: it delegates to nested.Cache.Stat, which must be routed first \(no fix here: retrying both would multiply their attempts; resilience-lint -fix routes nested.Cache.Get, then this method by delegation\)$`
	return f.c.Stat(key)
}

// Upload calls a method that no fix routes (it carries no fact): fix.
func (f *Front) Upload() error { // want Upload:"unrouted" `^Front.Upload returns an error but is not routed through runtime/recovery \(run`
	return f.c.Upload(strings.NewReader("x"))
}

// UploadStdin passes os.Stdin, which Upload consumes (its Writes fact says
// so): a retry would read a drained stdin, so -fix refuses it.
func (f *Front) UploadStdin() error { // want `^Front.UploadStdin returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls f.c.Upload \(which reads r \(passed to io.ReadAll\) at nested.go:\d+\) at front.go:\d+ in f.c.Upload, a call that can fail`
	return f.c.Upload(os.Stdin)
}

// Mixed delegates and does work of its own: no fix, as retries never nest.
func (f *Front) Mixed(key string) error { // want Mixed:"nests" `-fix cannot rewrite it: wrapping it would nest the retries that -fix gives nested.Cache.Get, nested.Cache.Send, multiplying`
	if _, err := f.c.Get(key); err != nil {
		return err
	}
	if err := f.c.Send(); err != nil {
		return err
	}
	return os.Remove(key)
}

// Wraps calls nested.Cache.Both, which gets no fix because it would nest
// the retry of nested.Cache.Get (the NestedRetry fact): no fix either.
func (f *Front) Wraps(key string) error { // want Wraps:"nests" `^Front.Wraps returns an error but is not routed through runtime/recovery; -fix cannot rewrite it: it calls nested.Cache.Both, which already retries part of its work \(through the retries \-fix gives nested\.Cache\.Get\)`
	return f.c.Both(key)
}
