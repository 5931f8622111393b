// hello is the bare bubbletea program TestFirstFrame measures callcoach
// against, as ../shared/anchors/cmd/hello is: no alternate screen, no
// lipgloss, the same bubbletea as callcoach (it is built in this module),
// and the same output wrapper (firstframe.RunHello). It quits on any key,
// SIGTERM or ctrl+c.
package main

import "callcoach/internal/firstframe"

func main() { firstframe.RunHello() }
