package coaching

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditAction is one kind of thing the audit trail records
// (docs/security.md, "Audit trail").
type AuditAction string

// The actions recorded. The trail says that they happened, to whom and
// by whom; never what was written (no note text, no answers, no names).
const (
	AuditOpenedPerson AuditAction = "opened-person"
	AuditCallStarted  AuditAction = "call-started"
	AuditCallEnded    AuditAction = "call-ended"
	AuditMeasureGiven AuditAction = "measure-given"
	// AuditReadingRecorded's detail is the reading's kind, never its value.
	AuditReadingRecorded AuditAction = "reading-recorded"
	AuditPlanSaved       AuditAction = "plan-saved"
	AuditSearched        AuditAction = "searched"
	AuditExported        AuditAction = "exported"
	AuditBackedUp        AuditAction = "backed-up"
	AuditRestored        AuditAction = "restored"
	AuditImported        AuditAction = "imported"
	AuditErased          AuditAction = "erased"
	// AuditHandedOver's detail is the new coach's role, or the pool;
	// never the hand-over's note.
	AuditHandedOver   AuditAction = "handed-over"
	AuditLocked       AuditAction = "locked"
	AuditUnlocked     AuditAction = "unlocked"
	AuditUnlockFailed AuditAction = "unlock-failed"
)

// Actor is who does what the trail records: the coach's name from the
// settings file (empty when it is not set) and the operating system's
// user the program runs as.
type Actor struct {
	Coach  string
	OSUser string
}

// AuditEntry is one line of the trail. Hash is over the entry and the
// hash of the entry before it (PrevHash), so changing or removing an entry
// breaks the chain at that point (VerifyAudit).
type AuditEntry struct {
	ID       int64
	At       time.Time // UTC, whole microseconds
	Actor    Actor
	Action   AuditAction
	PersonID int64  // 0 when the action is not about one person
	Detail   string // what kind, how many, where to: never text from a record
	PrevHash string
	Hash     string
}

// AuditGenesis is the PrevHash of a trail's first entry: a hash of the
// installation's id, so the first entry cannot be removed unnoticed
// either, and one file's trail cannot pass for another's.
func AuditGenesis(installation string) string {
	sum := sha256.Sum256([]byte("callcoach audit trail\n" + installation))
	return hex.EncodeToString(sum[:])
}

// AuditHash is the hash an entry should carry: SHA-256 over prev and the
// entry's fields, one to a line, in a fixed order. Fields are written
// with strconv.Quote, so a newline inside one cannot shift the lines.
func AuditHash(prev string, e AuditEntry) string {
	var b strings.Builder
	b.WriteString(prev)
	for _, f := range []string{
		strconv.FormatInt(e.ID, 10),
		e.At.UTC().Format(AuditTimeLayout),
		strconv.Quote(e.Actor.Coach),
		strconv.Quote(e.Actor.OSUser),
		strconv.Quote(string(e.Action)),
		strconv.FormatInt(e.PersonID, 10),
		strconv.Quote(e.Detail),
	} {
		b.WriteByte('\n')
		b.WriteString(f)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// AuditTimeLayout is how an entry's time is written, stored and hashed:
// UTC to the microsecond, so entries made in one second keep their order
// in the text too.
const AuditTimeLayout = "2006-01-02T15:04:05.000000Z"

// AuditBreak says where and how a chain stops holding.
type AuditBreak struct {
	ID     int64 // the first entry that does not hold
	Reason string
}

func (b AuditBreak) Error() string {
	return fmt.Sprintf("entry %d: %s", b.ID, b.Reason)
}

// AuditChain checks entries one at a time, in id order, against the
// chain: each entry's PrevHash must be the hash of the one before (the
// genesis for the first), its id one more, and its own Hash what its
// fields give.
type AuditChain struct {
	prev   string
	prevID int64
	n      int
}

// NewAuditChain starts a check of the trail of the installation given.
func NewAuditChain(installation string) *AuditChain {
	return &AuditChain{prev: AuditGenesis(installation)}
}

// Next checks one more entry; the first that does not hold is returned as
// an AuditBreak, and the check should stop there.
func (c *AuditChain) Next(e AuditEntry) error {
	switch {
	case c.n == 0 && e.PrevHash != c.prev:
		return AuditBreak{e.ID, "it is not the first entry of this file's trail: the entries before it were removed, or it came from another file"}
	case c.n > 0 && e.ID != c.prevID+1:
		return AuditBreak{e.ID, fmt.Sprintf("entries %s are missing", missing(c.prevID, e.ID))}
	case e.PrevHash != c.prev:
		return AuditBreak{e.ID, fmt.Sprintf("it does not follow entry %d: that entry was changed, or one was put in between", c.prevID)}
	case AuditHash(e.PrevHash, e) != e.Hash:
		return AuditBreak{e.ID, "its contents do not match its hash: it was changed after it was written"}
	}
	c.prev, c.prevID = e.Hash, e.ID
	c.n++
	return nil
}

// Count is how many entries have held so far; Head is the hash of the
// last of them (the genesis before any).
func (c *AuditChain) Count() int    { return c.n }
func (c *AuditChain) Head() string  { return c.prev }
func (c *AuditChain) LastID() int64 { return c.prevID }

func missing(after, at int64) string {
	if at <= after {
		return fmt.Sprintf("after %d (ids out of order)", after)
	}
	if at == after+2 {
		return fmt.Sprintf("%d", after+1)
	}
	return fmt.Sprintf("%d to %d", after+1, at-1)
}
