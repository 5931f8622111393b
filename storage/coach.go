package storage

import (
	"context"
	"database/sql"
	"sync"
)

// coachName is the name written on the calls, plans, measures and
// readings this Store makes: the actor's coach, or their operating
// system user when no coach is named (empty before SetActor).
func (s *Store) coachName() string {
	a := s.currentActor()
	if a.Coach != "" {
		return a.Coach
	}
	return a.OSUser
}

// creditedTables hold records that carry the coach's name.
var creditedTables = []string{"calls", "action_plans", "measures", "readings"}

// creditUnnamed gives records without a coach's name the name of the
// coach writing now. Records made before schema v23 have none (nor do
// those imported from an older export), and SQL cannot know who made
// them, so the rule is: they are credited to the coach of the Store that
// first writes after they arrived, which is at SetActor when it can.
// It runs in the first write transaction of a Store with a name (write);
// in a file already credited it reads only an empty index. updated_at
// is left alone, since nothing the coach wrote changed.
func (s *Store) creditUnnamed(ctx context.Context, tx *sql.Tx) (bool, error) {
	if s.credited.Load() {
		return false, nil
	}
	name := s.coachName()
	if name == "" {
		return false, nil
	}
	for _, table := range creditedTables {
		if _, err := tx.ExecContext(ctx, "UPDATE "+table+" SET coach = ? WHERE coach = ''", name); err != nil {
			return false, err
		}
	}
	return true, nil
}

// teamCoach is the name a team database gives the role this Store logs in
// as (its row in coaches), once read.
type teamCoach struct {
	mu   sync.Mutex
	read bool
	name string
}

// teamCoachName is the coach's name as the team database has it for this
// login, "" on a file, for a login that is not a coach's (the owner's),
// or while the server cannot be asked (it is asked again next time).
func (s *Store) teamCoachName() string {
	if !s.pg {
		return ""
	}
	s.team.mu.Lock()
	defer s.team.mu.Unlock()
	if !s.team.read {
		ctx, cancel := context.WithTimeout(context.Background(), busyTimeout)
		defer cancel()
		l, err := s.Login(ctx)
		s.team.name, s.team.read = l.Name, err == nil
	}
	return s.team.name
}
