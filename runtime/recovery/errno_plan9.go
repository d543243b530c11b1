package recovery

// errnoVerdictOf: Plan 9 reports system call errors as strings
// (syscall.ErrorString), which say nothing the table knows.
func errnoVerdictOf(error) (verdict, bool) { return verdictUnknown, false }
