package tui

import "github.com/charmbracelet/lipgloss"

// Styles are built once from a renderer and passed down. Nothing relies on
// colour alone: selections carry a ">" glyph and states carry words, so the
// screen reads the same with NO_COLOR.
type Styles struct {
	App       lipgloss.Style
	Title     lipgloss.Style
	Subtle    lipgloss.Style
	Label     lipgloss.Style
	Selected  lipgloss.Style
	Header    lipgloss.Style
	Error     lipgloss.Style
	Warn      lipgloss.Style
	OK        lipgloss.Style
	Info      lipgloss.Style
	Dialog    lipgloss.Style
	Cursor    lipgloss.Style
	Key       lipgloss.Style
	Focused   lipgloss.Style
	Separator lipgloss.Style
}

// NewPlainStyles makes styles without colour, for NO_COLOR: bold,
// underline and reverse video stay, so the cursor in every field shows.
func NewPlainStyles(r *lipgloss.Renderer) Styles {
	return Styles{
		App:       r.NewStyle(),
		Title:     r.NewStyle().Bold(true),
		Subtle:    r.NewStyle(),
		Label:     r.NewStyle(),
		Selected:  r.NewStyle().Bold(true),
		Header:    r.NewStyle().Underline(true),
		Error:     r.NewStyle().Bold(true),
		Warn:      r.NewStyle(),
		OK:        r.NewStyle(),
		Info:      r.NewStyle(),
		Dialog:    r.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1),
		Cursor:    r.NewStyle().Reverse(true),
		Key:       r.NewStyle().Bold(true),
		Focused:   r.NewStyle().Bold(true),
		Separator: r.NewStyle(),
	}
}

// NewStyles makes the styles for one renderer (one terminal).
func NewStyles(r *lipgloss.Renderer) Styles {
	accent := lipgloss.AdaptiveColor{Light: "#1F5F8B", Dark: "#7FB4DA"}
	subtle := lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#9A9A9A"}
	warn := lipgloss.AdaptiveColor{Light: "#8A5300", Dark: "#E8B35A"}
	bad := lipgloss.AdaptiveColor{Light: "#A4262C", Dark: "#F28B82"}
	good := lipgloss.AdaptiveColor{Light: "#2E6B30", Dark: "#8BC48A"}
	return Styles{
		App:       r.NewStyle(),
		Title:     r.NewStyle().Bold(true).Foreground(accent),
		Subtle:    r.NewStyle().Foreground(subtle),
		Label:     r.NewStyle().Foreground(subtle),
		Selected:  r.NewStyle().Bold(true),
		Header:    r.NewStyle().Foreground(subtle).Underline(true),
		Error:     r.NewStyle().Foreground(bad).Bold(true),
		Warn:      r.NewStyle().Foreground(warn),
		OK:        r.NewStyle().Foreground(good),
		Info:      r.NewStyle().Foreground(accent),
		Dialog:    r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		Cursor:    r.NewStyle().Reverse(true),
		Key:       r.NewStyle().Bold(true),
		Focused:   r.NewStyle().Foreground(accent).Bold(true),
		Separator: r.NewStyle().Foreground(subtle),
	}
}
