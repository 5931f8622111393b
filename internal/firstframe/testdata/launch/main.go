// launch times exec -> first frame for TestFirstFrame, as
// ../shared/anchors/cmd/launch does. It must run inside a terminal (a tmux
// pane): each program gets it as its terminal. For each run it takes the
// time, fork+execs the program with a pipe as fd 3 and CALLCOACH_FRAME_FD=3,
// and waits for the byte the program's output wrapper writes there right
// after the first write that draws text (internal/firstframe). Then it
// sends SIGTERM and waits for the program to end before the next run.
// Programs run interleaved (A B C A B C ...) so drift hits all alike.
// With the time, it takes the processor time the program has used by
// then (all its threads, from /proc/PID/task/*/schedstat): on a busy
// machine the time waits for a processor, the processor time does not.
//
//	launch -n 20 -warmup 2 -out FILE label=command ...
//
// FILE gets two lines per program: the label, then each run's time in
// ms; the label and "cpu", then each run's processor time in ms.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type prog struct {
	label string
	argv  []string
	ms    []float64
	cpu   []float64
}

// cpuTime is the processor time, in ms, the process pid has used so far.
func cpuTime(pid int) float64 {
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var ns float64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) > 0 {
			v, _ := strconv.ParseFloat(f[0], 64)
			ns += v
		}
	}
	return ns / 1e6
}

func once(p *prog, record bool) error {
	os.Stdout.WriteString("\x1b[2J\x1b[3J\x1b[H")
	time.Sleep(100 * time.Millisecond)
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	defer pr.Close()
	cmd := exec.Command(p.argv[0], p.argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{pw}
	cmd.Env = append(os.Environ(), "CALLCOACH_FRAME_FD=3")
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		pw.Close()
		return err
	}
	pw.Close()
	pr.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, err = pr.Read(make([]byte, 1))
	el := time.Since(t0)
	cpu := cpuTime(cmd.Process.Pid)
	cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		<-exited
	}
	if err != nil {
		return fmt.Errorf("%s: no frame: %v", p.label, err)
	}
	if record {
		p.ms = append(p.ms, float64(el.Microseconds())/1000)
		p.cpu = append(p.cpu, cpu)
	}
	return nil
}

func main() {
	n := flag.Int("n", 20, "recorded runs per program")
	warm := flag.Int("warmup", 2, "unrecorded runs per program first")
	out := flag.String("out", "launch.txt", "result file")
	flag.Parse()
	fail := func(err error) {
		os.WriteFile(*out, []byte("ERROR "+err.Error()+"\n"), 0o644)
		os.Exit(1)
	}
	var progs []*prog
	for _, a := range flag.Args() {
		label, command, ok := strings.Cut(a, "=")
		if !ok {
			fail(fmt.Errorf("program %q must be label=command", a))
		}
		progs = append(progs, &prog{label: label, argv: strings.Fields(command)})
	}
	for i := 0; i < *warm+*n; i++ {
		for _, p := range progs {
			if err := once(p, i >= *warm); err != nil {
				fail(err)
			}
		}
	}
	var b strings.Builder
	for _, p := range progs {
		b.WriteString(p.label)
		for _, ms := range p.ms {
			fmt.Fprintf(&b, " %.3f", ms)
		}
		b.WriteString("\n" + p.label + " cpu")
		for _, ms := range p.cpu {
			fmt.Fprintf(&b, " %.3f", ms)
		}
		b.WriteString("\n")
	}
	os.WriteFile(*out, []byte(b.String()), 0o644)
}
