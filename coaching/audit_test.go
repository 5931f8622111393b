package coaching

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func auditTrail(install string, n int) []AuditEntry {
	prev := AuditGenesis(install)
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	var out []AuditEntry
	for i := 1; i <= n; i++ {
		e := AuditEntry{ID: int64(i), At: at.Add(time.Duration(i) * time.Minute), Actor: Actor{Coach: "Sam", OSUser: "sam"},
			Action: AuditOpenedPerson, PersonID: int64(i), PrevHash: prev}
		e.Hash = AuditHash(prev, e)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

func TestAuditChain(t *testing.T) {
	const install = "7c1e0a52-0000-4000-8000-000000000001"
	rehash := func(e *AuditEntry) { e.Hash = AuditHash(e.PrevHash, *e) }
	tests := []struct {
		name    string
		install string
		change  func([]AuditEntry) []AuditEntry
		breakAt int64 // 0: the chain holds
		reason  string
	}{
		{"untouched", install, func(es []AuditEntry) []AuditEntry { return es }, 0, ""},
		{"detail changed", install, func(es []AuditEntry) []AuditEntry { es[1].Detail = "x"; return es }, 2, "changed after it was written"},
		{"person changed and rehashed", install, func(es []AuditEntry) []AuditEntry {
			es[1].PersonID = 99
			rehash(&es[1])
			return es
		}, 3, "does not follow entry 2"},
		{"time changed", install, func(es []AuditEntry) []AuditEntry { es[2].At = es[2].At.Add(time.Second); return es }, 3, "changed after"},
		{"one removed", install, func(es []AuditEntry) []AuditEntry { return append(es[:1], es[2:]...) }, 3, "entries 2 are missing"},
		{"two removed", install, func(es []AuditEntry) []AuditEntry { return append(es[:1], es[3:]...) }, 4, "entries 2 to 3 are missing"},
		{"first removed", install, func(es []AuditEntry) []AuditEntry { return es[1:] }, 2, "not the first entry"},
		{"another file's trail", "other", func(es []AuditEntry) []AuditEntry { return es }, 1, "not the first entry"},
		{"empty", install, func(es []AuditEntry) []AuditEntry { return nil }, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := tt.change(auditTrail(install, 4))
			c := NewAuditChain(tt.install)
			var err error
			for _, e := range es {
				if err = c.Next(e); err != nil {
					break
				}
			}
			var br AuditBreak
			switch {
			case tt.breakAt == 0 && err != nil:
				t.Fatalf("chain broke: %v", err)
			case tt.breakAt == 0:
				if c.Count() != len(es) {
					t.Errorf("count %d, want %d", c.Count(), len(es))
				}
			case !errors.As(err, &br):
				t.Fatalf("err = %v, want a break at %d", err, tt.breakAt)
			case br.ID != tt.breakAt || !strings.Contains(br.Reason, tt.reason):
				t.Errorf("break = %v, want at %d with %q", br, tt.breakAt, tt.reason)
			}
		})
	}
}

// A newline inside a field cannot make two different entries hash alike.
func TestAuditHashQuotesFields(t *testing.T) {
	a := AuditEntry{ID: 1, Actor: Actor{Coach: "a\n\"b\""}, Detail: ""}
	b := AuditEntry{ID: 1, Actor: Actor{Coach: "a"}, Detail: "b"}
	if AuditHash("p", a) == AuditHash("p", b) {
		t.Fatal("different entries hash alike")
	}
	if AuditHash("p", a) == AuditHash("q", a) {
		t.Fatal("the previous hash is not part of the hash")
	}
}
