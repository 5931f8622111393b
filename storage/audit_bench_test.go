package storage

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"callcoach/coaching"
)

// BenchmarkAudit is what an audit entry adds to the action it records:
// the same write transaction (a draft saved) timed in turn without and
// with the entry, on a trail that already has 10,000 entries. The
// "added-ms" metric is the difference of the two medians.
func BenchmarkAudit(b *testing.B) {
	ctx := context.Background()
	s := benchStore(b)
	if err := s.write(ctx, func(tx *sql.Tx) error {
		for i := range 10_000 {
			if err := s.audit(ctx, tx, coaching.AuditOpenedPerson, int64(i%100+1), "", t0); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	save := func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO drafts (key, body, updated_at) VALUES ('person:1', '{"name":"x"}', ?)
			ON CONFLICT (key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, formatTime(t0))
		return err
	}
	var without, with latencies
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := s.write(ctx, save); err != nil {
			b.Fatal(err)
		}
		without = append(without, time.Since(start))
		start = time.Now()
		if err := s.write(ctx, func(tx *sql.Tx) error {
			if err := save(tx); err != nil {
				return err
			}
			return s.audit(ctx, tx, coaching.AuditPlanSaved, 1, "plan 1", t0)
		}); err != nil {
			b.Fatal(err)
		}
		with = append(with, time.Since(start))
	}
	mw, mo := with.quantile(0.5), without.quantile(0.5)
	b.ReportMetric(ms(mo), "without-ms")
	b.ReportMetric(ms(mw), "with-ms")
	b.ReportMetric(ms(mw-mo), "added-ms")
}

func benchStore(b *testing.B) *Store {
	b.Helper()
	s, err := Open(context.Background(), b.TempDir()+"/bench.db")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
