package tui

import (
	"sync"
	"testing"
	"time"
)

func TestSerialKeepsTicketOrder(t *testing.T) {
	s := newSerial()
	var mu sync.Mutex
	var got []int
	var wg sync.WaitGroup
	tickets := make([]uint64, 20)
	for i := range tickets {
		tickets[i] = s.ticket()
	}
	// Start them in reverse, the first one slowest: order must still hold.
	for i := len(tickets) - 1; i >= 0; i-- {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			s.run(tickets[i], func() {
				if i == 0 {
					time.Sleep(20 * time.Millisecond)
				}
				mu.Lock()
				got = append(got, i)
				mu.Unlock()
			})
		}(i)
	}
	wg.Wait()
	for i, v := range got {
		if v != i {
			t.Fatalf("ran in order %v", got)
		}
	}
}
