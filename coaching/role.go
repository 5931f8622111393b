package coaching

import "fmt"

// Role is who is making calls: a trained coach, or a peer-support volunteer
// who gets plainer prompts and is told when to hand over to a professional.
type Role string

// The roles.
const (
	RoleCoach Role = "coach"
	RolePeer  Role = "peer"
)

// ParseRole accepts "coach" or "peer".
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case RoleCoach, RolePeer:
		return Role(s), nil
	}
	return "", fmt.Errorf("unknown role %q: use coach or peer", s)
}

// Label is the role in plain words.
func (r Role) Label() string {
	if r == RolePeer {
		return "peer volunteer"
	}
	return "coach"
}
