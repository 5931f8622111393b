package coaching

import "time"

// Behaviour is the area of life a plan is about: the behaviour menu of
// Brief Action Planning, offered only if the person has no idea of their
// own.
type Behaviour string

// The behaviour menu. BehaviourOwn comes first: the person's own idea.
const (
	BehaviourOwn       Behaviour = "own"
	BehaviourDiet      Behaviour = "diet"
	BehaviourActivity  Behaviour = "activity"
	BehaviourSleep     Behaviour = "sleep"
	BehaviourSocial    Behaviour = "social"
	BehaviourStress    Behaviour = "stress"
	BehaviourMedicines Behaviour = "medicines"
)

// PlanStatus is where a plan stands.
type PlanStatus string

// The statuses of a plan. A plan starts active; at review it is done,
// partly done or not done; revising it marks it revised and makes a new
// plan that links back to it; dropped is for a plan the person no longer
// wants.
const (
	PlanActive  PlanStatus = "active"
	PlanDone    PlanStatus = "done"
	PlanPartly  PlanStatus = "partly_done"
	PlanNotDone PlanStatus = "not_done"
	PlanRevised PlanStatus = "revised"
	PlanDropped PlanStatus = "dropped"
)

// Barrier is something that might get in the way, with the person's own
// way round it.
type Barrier struct {
	Barrier  string
	Solution string
}

// NoScore marks a confidence score not yet asked.
const NoScore = -1

// ActionPlan is one specific plan the person chose: what, how much, when,
// where, how often, with their commitment in their own words and how
// confident they are.
type ActionPlan struct {
	ID          int64
	PersonID    int64
	CallID      int64 // the call it was made in; 0 if made from the person screen
	Behaviour   Behaviour
	What        string
	HowMuch     string
	When        string
	Where       string
	DaysPerWeek int    // 1-7; 0 not yet said
	StartDate   string // YYYY-MM-DD in the person's time zone; "" not set
	ReviewDate  string // YYYY-MM-DD; "" not set
	Barriers    []Barrier
	Backup      string
	Commitment  string // the person's own words, said back
	Confidence  int    // the latest score 0-10, or NoScore
	Status      PlanStatus
	Replaces    int64  // the plan this one revises; 0 for a first plan
	Coach       string // the name of the coach who made it; set by storage
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// ConfidenceScore is one answer to "how confident, 0 to 10?" about a plan;
// every rescoring is kept.
type ConfidenceScore struct {
	PlanID int64
	Score  int
	At     time.Time
}

// PlanReview is how the plan went, asked at the next call.
type PlanReview struct {
	PlanID   int64
	CallID   int64
	Outcome  PlanStatus // done, partly done or not done
	Helped   string
	GotInWay string
	At       time.Time
}

// FollowUp is the next contact agreed with the person.
type FollowUp struct {
	ID         int64
	PersonID   int64
	PlanID     int64     // 0 if not about a plan
	Due        time.Time // an instant; shown in the person's and the coach's time zones
	Reason     string
	MadeCallID int64     // the call it was agreed in; 0 if made outside a call
	DoneCallID int64     // the call that followed it up; 0 while open
	DoneAt     time.Time // zero while open
	CreatedAt  time.Time
}

// Open reports whether the follow-up is still to be done.
func (f FollowUp) Open() bool { return f.DoneAt.IsZero() }
