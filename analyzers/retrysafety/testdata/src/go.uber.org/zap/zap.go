// Package zap is a fake of go.uber.org/zap (v1.27.0): the same import
// path and signatures; a Logger writes its entries to its sink.
package zap

import "io"

type Field struct {
	Key    string
	String string
}

type Logger struct{ out io.Writer }

func (log *Logger) Info(msg string, fields ...Field) { // want Info:"writes receiver"
	io.WriteString(log.out, msg)
}

type SugaredLogger struct{ base *Logger }

// Infow has no Writes fact: Logger.Info is a listed effect.
func (s *SugaredLogger) Infow(msg string, keysAndValues ...interface{}) {
	s.base.Info(msg)
}
