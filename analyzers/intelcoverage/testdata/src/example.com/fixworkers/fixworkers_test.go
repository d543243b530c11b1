package fixworkers

import "os"

type TestWorker struct{}

func (TestWorker) Execute() error { return os.Remove("x") }
