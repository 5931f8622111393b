package storage

import (
	"context"
	"strings"
	"testing"
	"time"

	"callcoach/coaching"
)

// changeWait bounds how long a test waits for a change to arrive; it is
// met in milliseconds, and is long only for a busy machine.
const changeWait = 20 * time.Second

func nextChange(t *testing.T, ch <-chan Change) Change {
	t.Helper()
	select {
	case c, ok := <-ch:
		if !ok {
			t.Fatal("the changes channel closed")
		}
		return c
	case <-time.After(changeWait):
		t.Fatalf("no change within %v", changeWait)
	}
	return Change{}
}

// What one coach's program writes reaches another's at once; a lost
// connection is taken up again and said, as writes may have been missed.
func TestChangesReachOtherPrograms(t *testing.T) {
	if !onPostgres() {
		if ch := newStore(t).Changes(context.Background()); ch != nil {
			t.Fatal("an SQLite Store has changes to listen to")
		}
		t.Skip("live changes are for a team database: run with " + engineEnv + "=postgres")
	}
	ctx, cancel := context.WithCancel(context.Background())
	where, proxy := proxied(t)
	watcher := openNew(t, where)
	writer := openNew(t, newDirectURL(t, where, proxy))
	ch := watcher.Changes(ctx)

	// The listener connects in the background: write until it hears.
	deadline := time.Now().Add(changeWait)
	var got Change
	for got.Table == "" {
		createPerson(t, writer, coaching.Person{Name: "Ann"})
		select {
		case got = <-ch:
		case <-time.After(100 * time.Millisecond):
			if time.Now().After(deadline) {
				t.Fatal("no change heard")
			}
		}
	}
	if got.Table != "people" {
		t.Errorf("heard %q, want people", got.Table)
	}
	if _, err := writer.StartCall(ctx, 1, coaching.RoleCoach, t0); err != nil {
		t.Fatal(err)
	}
	// Notifications of the people added above may come first; the call's
	// comes, or is folded into a change that stands for anything.
	for c := nextChange(t, ch); c.Table != "calls" && c.Table != ""; c = nextChange(t, ch) {
		if c.Table != "people" {
			t.Fatalf("heard %q", c.Table)
		}
	}

	proxy.cut()
	proxy.restore()
	if c := nextChange(t, ch); c.Table != "" {
		drain(ch)
		if c = nextChange(t, ch); c.Table != "" {
			t.Errorf("after the connection was lost, heard %q; want a change with no table (anything may have been missed)", c.Table)
		}
	}
	cancel()
	for range ch {
	}
}

func drain(ch <-chan Change) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// newDirectURL is where's database reached without the proxy.
func newDirectURL(t *testing.T, where string, p *cutProxy) string {
	t.Helper()
	return strings.Replace(where, p.addr, p.target, 1)
}
