package main

import (
	"os"
	"os/user"
	"path/filepath"
	"testing"
)

func TestOSUserName(t *testing.T) {
	tests := []struct {
		name, gecos, username, want string
	}{
		{"full name", "Sam Patel", "sam", "Sam Patel"},
		{"GECOS with room and phone", "Sam Patel,Room 4,0161 496 0000,", "sam", "Sam Patel"},
		{"empty", "", "sam", "sam"},
		{"only commas", ",,,", "sam", "sam"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := osUserName(&user.User{Name: tt.gecos, Username: tt.username}); got != tt.want {
				t.Errorf("osUserName(%q, %q) = %q, want %q", tt.gecos, tt.username, got, tt.want)
			}
		})
	}
}

// --coach wins over the settings file, which wins over the computer's name.
func TestLocalActorCoach(t *testing.T) {
	dir := t.TempDir()
	settings := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(settings, []byte("coach: Sam Patel\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if a := localActor(" Ann Lee ", settingsCoach(settings)); a.Coach != "Ann Lee" {
		t.Errorf("with --coach: %+v", a)
	}
	if a := localActor("", settingsCoach(settings)); a.Coach != "Sam Patel" {
		t.Errorf("from the settings: %+v", a)
	}
	a := localActor("", settingsCoach(filepath.Join(dir, "none.yaml")))
	if u, err := user.Current(); err == nil && a.Coach != osUserName(u) {
		t.Errorf("by default: %+v, want %q", a, osUserName(u))
	}
	if a.Coach == "" && a.OSUser != "" {
		t.Errorf("no coach's name by default: %+v", a)
	}
}
