package tui

// The help: the line at the bottom of every screen, and every key of the
// screen on top, laid out in columns.

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// helpLine is the short help of the active screen, always ending with the
// key for all keys: the screen's own keys give way first when space is short.
func (a App) helpLine() string {
	w := a.drawWidth()
	if a.showHelp {
		b := []key.Binding{a.keys.HelpExit}
		if _, h := a.bodySize(); a.helpLines() > h {
			b = append(b, a.keys.HelpDown)
		}
		return clipLine(a.help.ShortHelpView(b), w)
	}
	st := a.help.Styles
	sep := st.ShortSeparator.Render(a.help.ShortSeparator)
	item := func(k key.Binding) string {
		return st.ShortKey.Render(k.Help().Key) + " " + st.ShortDesc.Render(k.Help().Desc)
	}
	tail := item(a.helpKey())
	room := w - lipgloss.Width(tail) - lipgloss.Width(sep)
	var b strings.Builder
	for _, k := range a.top().ShortHelp() {
		if !k.Enabled() {
			continue
		}
		it := item(k)
		if lipgloss.Width(b.String())+lipgloss.Width(it)+lipgloss.Width(sep) > room {
			break
		}
		b.WriteString(it + sep)
	}
	return clipLine(b.String()+tail, w)
}

func (a App) helpKey() key.Binding {
	if a.top().Typing() {
		return a.keys.HelpF1
	}
	return a.keys.Help
}

func (a App) helpLines() int { return strings.Count(a.fullHelpView(), "\n") + 1 }

// fullHelpView lists every key of the screen, group by group, flowing into
// columns when the groups do not fit the height and the columns fit the
// width; otherwise in one column that scrolls.
func (a App) fullHelpView() string {
	st := a.c.Styles
	groups := a.top().FullHelp()
	groups = append(groups, []key.Binding{a.keys.Help, a.keys.HelpF1, a.keys.Search, a.keys.Quit})
	var blocks [][]string
	for _, g := range groups {
		var block []string
		for _, k := range g {
			if !k.Enabled() {
				continue
			}
			hk := k.Help()
			block = append(block, st.Key.Render(padRight(hk.Key, 15))+" "+hk.Desc)
		}
		if len(block) > 0 {
			blocks = append(blocks, block)
		}
	}
	title := st.Title.Render("Keys on this screen") + "\n\n"
	w, h := a.bodySize()
	if cols := packColumns(blocks, max(h-2, 1)); lipgloss.Width(cols) <= w {
		return title + cols
	}
	return title + packColumns(blocks, 1<<30)
}

// packColumns stacks blocks of lines into columns of at most height lines
// (a blank line between blocks) and sets the columns side by side.
func packColumns(blocks [][]string, height int) string {
	var columns []string
	var col []string
	for _, block := range blocks {
		if len(col) > 0 && len(col)+1+len(block) > height {
			columns = append(columns, strings.Join(col, "\n"))
			col = nil
		}
		if len(col) > 0 {
			col = append(col, "")
		}
		col = append(col, block...)
	}
	if len(col) > 0 {
		columns = append(columns, strings.Join(col, "\n"))
	}
	for i := range columns[:max(len(columns)-1, 0)] {
		columns[i] = lipgloss.NewStyle().PaddingRight(3).Render(columns[i])
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, columns...)
}
