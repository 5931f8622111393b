package coaching

import "testing"

func TestParseRole(t *testing.T) {
	for _, s := range []string{"coach", "peer"} {
		if r, err := ParseRole(s); err != nil || string(r) != s {
			t.Errorf("ParseRole(%q) = %q, %v", s, r, err)
		}
	}
	for _, s := range []string{"", "Coach", "nurse"} {
		if _, err := ParseRole(s); err == nil {
			t.Errorf("ParseRole(%q) accepted", s)
		}
	}
	if RolePeer.Label() != "peer volunteer" || RoleCoach.Label() != "coach" {
		t.Error("role labels")
	}
}
