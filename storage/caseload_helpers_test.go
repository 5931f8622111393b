package storage

import (
	"context"
	"time"
)

// rowsOf is the rows of one page of the caseload, for tests that only
// look at who is listed.
func (s *Store) rowsOf(ctx context.Context, q CaseloadQuery) ([]CaseloadRow, error) {
	page, err := s.Caseload(ctx, q)
	return page.Rows, err
}

// countCaseload is how many people filter matches ("" for everyone), for
// tests with fewer than CountCap of them.
func (s *Store) countCaseload(ctx context.Context, filter string) (int, error) {
	if filter == "" {
		return s.CaseloadSize(ctx)
	}
	counts, err := s.CaseloadCounts(ctx, CaseloadQuery{Filter: filter, OverdueBefore: t0, DueBefore: t0.Add(24 * time.Hour)})
	return counts[SectionAll].N, err
}
