package storage

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Live caseloads (issue 18, point 3). On a team database every write to
// what a caseload shows (people, calls, follow-ups, plans, measures,
// safety events, who has a call open) ends with a NOTIFY on the channel
// changeChannel, its payload the table's name (row triggers in the
// PostgreSQL schema; PostgreSQL sends them when the writer commits, once
// per table and transaction). Changes listens on a connection of its own
// and passes them on, so another coach's call, note or flag reaches open
// screens within moments, without polling.

// changeChannel is the channel the schema's triggers notify.
const changeChannel = "callcoach_changes"

// Change is one committed write by any program on the team database:
// Table is what it wrote.
type Change struct{ Table string }

// listenRetry is how long Changes waits before listening again after the
// connection was lost.
const listenRetry = time.Second

// Changes sends what other programs (and this one) change in the team
// database until ctx is done, then closes the channel. A slow reader
// misses nothing: a change that comes while another is waiting to be read
// is folded into it, and changes to different tables fold into a Change
// with no Table, which stands for anything.
// When the connection is lost it connects again, and sends a Change with
// no Table once it is back, since writes may have been missed meanwhile.
// On an SQLite file, which only this computer writes, it returns nil.
func (s *Store) Changes(ctx context.Context) <-chan Change {
	if !s.pg {
		return nil
	}
	out := make(chan Change, 1)
	go func() {
		defer close(out)
		missed := false
		for ctx.Err() == nil {
			err := s.listen(ctx, out, missed)
			if ctx.Err() != nil {
				return
			}
			missed = err != nil
			select {
			case <-ctx.Done():
				return
			case <-time.After(listenRetry):
			}
		}
	}()
	return out
}

// listen holds one connection listening, until it fails or ctx is done.
// If missed, the first thing it sends is a Change with no table.
func (s *Store) listen(ctx context.Context, out chan Change, missed bool) error {
	conn, err := pgx.Connect(ctx, s.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+changeChannel); err != nil {
		return err
	}
	if missed {
		offer(out, Change{})
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		offer(out, Change{Table: n.Payload})
	}
}

// offer sends c, folding it into the change waiting to be read if there
// is one. Changes has the only sender, so after taking the waiting change
// out the send cannot block.
func offer(out chan Change, c Change) {
	select {
	case out <- c:
		return
	default:
	}
	select {
	case waiting := <-out:
		if waiting.Table != c.Table {
			c = Change{}
		}
	default: // the reader took it meanwhile
	}
	out <- c
}
