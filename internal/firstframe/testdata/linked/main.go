// linked is the bare hello (../hello) linked with every package callcoach
// links: their package initialisation and a binary of callcoach's make-up,
// and nothing of callcoach's own start-up. TestFirstFrame times it beside
// hello and callcoach, to tell what the packages cost from what callcoach
// itself does before its first frame.
package main

import (
	_ "flag"
	_ "time/tzdata"

	_ "callcoach/coaching/config"
	"callcoach/internal/firstframe"
	_ "callcoach/storage"
	_ "callcoach/tui"
)

func main() { firstframe.RunHello() }
