package storage

import (
	"context"
	"testing"
	"time"

	"callcoach/coaching"
)

// BenchmarkNowQueue is the Now view's first page (30 people in queue
// order, with their attempts and reasons) and its header, on the cached
// caseloads at the benchmark's coach's day (100k: 100,000 people, 66,590
// open follow-ups, 33,777 due by the end of the day, 1,022 flagged):
//
//	go test ./storage -run '^$' -bench NowQueue
func BenchmarkNowQueue(b *testing.B) {
	ctx := context.Background()
	d := coaching.NewCoachDay(BenchNow, time.UTC)
	for _, size := range BenchSizes {
		b.Run(size.Name, func(b *testing.B) {
			s := openBenchFile(b, size.Name)
			b.Run("first-page", func(b *testing.B) {
				for b.Loop() {
					q, err := s.NowQueue(ctx, d, time.UTC, 30)
					if err != nil || len(q) != 30 {
						b.Fatalf("%d rows, %v", len(q), err)
					}
				}
			})
			b.Run("header", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.NowHeader(ctx, d, time.UTC); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
