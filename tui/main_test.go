package tui

import (
	"os"
	"testing"
)

func mkTemp() (string, error) { return os.MkdirTemp("", "callcoach-bench") }

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}
