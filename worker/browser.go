package worker

// UseLocks lets the sessions learn that a window has gone: watch is asked
// to call Gone(port) once the Web Lock named lock is free.
func (s *Sessions) UseLocks(watch func(port int, lock string)) { s.watch = watch }

// UseClose lets the grace period end the worker once it has ended every
// session: close ends it and reports true, or reports false when a window
// is about to attach.
func (s *Sessions) UseClose(close func() bool) { s.grace.close = close }
