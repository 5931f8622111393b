package tui

import "sync"

// serial runs a screen's database writes one at a time, in the order the
// screen asked for them. A ticket is taken in Update, where the order is
// known; the command then waits for its turn. So a ruler's follow-up can
// never reach the database before the ruler it belongs to, and a slow write
// never lets a newer one overtake it.
type serial struct {
	mu   sync.Mutex
	cond *sync.Cond
	next uint64
	turn uint64
}

func newSerial() *serial {
	s := &serial{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// ticket reserves the next place in line. Every ticket must be run.
func (s *serial) ticket() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.next
	s.next++
	return t
}

// run waits for the ticket's turn, runs fn, and lets the next one go.
func (s *serial) run(t uint64, fn func()) {
	s.mu.Lock()
	for s.turn != t {
		s.cond.Wait()
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.turn++
		s.cond.Broadcast()
		s.mu.Unlock()
	}()
	fn()
}
