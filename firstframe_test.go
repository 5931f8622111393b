package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"callcoach/storage"
)

// TestFirstFrame times exec -> first frame of the real program against a
// bare bubbletea hello built from this module (the same bubbletea), as
// ../shared/anchors/firstframe.sh does: in a tmux pane (100x40), run
// interleaved, each program telling the launcher through fd 3 right after
// its first write that draws text (internal/firstframe). It runs only when
// asked, and fails if this build's median is more than 1.2 times hello's:
//
//	CALLCOACH_FIRSTFRAME=20 go test -run TestFirstFrame -v -timeout 30m .
//
// The cases are hello; linked, the same hello linked with every package
// callcoach links (what their initialisation costs, before callcoach does
// anything of its own); callcoach on an empty caseload; and callcoach on
// a copy of the 100,000-person benchmark caseload if it has been made
// (storage.FindBenchFile; without it the run says so and goes on), or of
// the file CALLCOACH_FIRSTFRAME_DB names.
// CALLCOACH_FIRSTFRAME_BASE names another callcoach binary (an older
// build) to time beside this one on the same files; CALLCOACH_FIRSTFRAME_TERM
// sets TERM in the pane (tmux's own "screen" makes callcoach skip asking
// the terminal for its background; xterm-256color makes it ask);
// CALLCOACH_FIRSTFRAME_MAX changes the limit. With CALLCOACH_TEST_POSTGRES
// naming a PostgreSQL server the same cases run on a team database too
// (pg-empty, a new one; pg-100k, the benchmark caseload if it has been
// made: storage.FindBenchDatabase), and each must be at most 1.5 times its
// SQLite twin (issue 18).
func TestFirstFrame(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("CALLCOACH_FIRSTFRAME"))
	if runs <= 0 {
		t.Skip("set CALLCOACH_FIRSTFRAME=20 (the runs per program) to time exec -> first frame against a bare bubbletea program")
	}
	needTool(t, "tmux")
	limit := 1.2
	if s := os.Getenv("CALLCOACH_FIRSTFRAME_MAX"); s != "" {
		var err error
		if limit, err = strconv.ParseFloat(s, 64); err != nil {
			t.Fatalf("CALLCOACH_FIRSTFRAME_MAX: %v", err)
		}
	}
	dir := t.TempDir()
	app := binary(t)
	hello := filepath.Join(dir, "hello")
	helloStatic := filepath.Join(dir, "hello-nocgo")
	linked := filepath.Join(dir, "linked")
	launch := filepath.Join(dir, "launch")
	for out, pkg := range map[string]string{
		hello:  "./internal/firstframe/testdata/hello",
		linked: "./internal/firstframe/testdata/linked",
		launch: "./internal/firstframe/testdata/launch",
	} {
		if b, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
			t.Fatalf("build %s: %v\n%s", pkg, err, b)
		}
	}
	build := exec.Command("go", "build", "-o", helloStatic, "./internal/firstframe/testdata/hello")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build hello without cgo: %v\n%s", err, b)
	}

	empty := filepath.Join(dir, "empty.db")
	s, err := storage.Open(context.Background(), empty)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	files := []struct{ label, path string }{{"empty", empty}}
	if big := bigFirstFrameFile(t, dir); big != "" {
		files = append(files, struct{ label, path string }{"100k", big})
	}
	files = append(files, firstFramePostgres(t)...)

	progs := []string{"hello=" + hello, "hello-nocgo=" + helloStatic, "linked=" + linked}
	var ours []string
	for _, f := range files {
		if base := os.Getenv("CALLCOACH_FIRSTFRAME_BASE"); base != "" {
			progs = append(progs, fmt.Sprintf("base-%s=%s --db %s", f.label, base, f.path))
		}
		progs = append(progs, fmt.Sprintf("app-%s=%s --db %s", f.label, app, f.path))
		ours = append(ours, "app-"+f.label)
	}

	result := filepath.Join(dir, "result.txt")
	env := "XDG_CONFIG_HOME=" + dir
	if term := os.Getenv("CALLCOACH_FIRSTFRAME_TERM"); term != "" {
		env += " TERM=" + term
	}
	socket := fmt.Sprintf("callcoach-ff-%d", os.Getpid())
	script := fmt.Sprintf("env %s %s -n %d -warmup 2 -out %s '%s'; tmux wait-for -S ff-done",
		env, launch, runs, result, strings.Join(progs, "' '"))
	tmux := func(args ...string) *exec.Cmd {
		return exec.Command("tmux", append([]string{"-L", socket, "-f", "/dev/null"}, args...)...)
	}
	if b, err := tmux("new-session", "-d", "-s", "ff", "-x", "100", "-y", "40", script).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, b)
	}
	t.Cleanup(func() { tmux("kill-server").Run() })
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	if b, err := exec.CommandContext(ctx, "tmux", "-L", socket, "wait-for", "ff-done").CombinedOutput(); err != nil {
		t.Fatalf("waiting for the launcher: %v\n%s", err, b)
	}
	out, err := os.ReadFile(result)
	if err != nil {
		t.Fatalf("the launcher wrote no result: %v", err)
	}
	if strings.HasPrefix(string(out), "ERROR") {
		t.Fatal(strings.TrimSpace(string(out)))
	}

	samples := map[string][]float64{} // "hello", "hello cpu", ...
	var order []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		label, values, _ := strings.Cut(line, " ")
		if strings.HasPrefix(values, "cpu") {
			label, values = label+" cpu", strings.TrimPrefix(values, "cpu")
		} else {
			order = append(order, label)
		}
		for _, v := range strings.Fields(values) {
			ms, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("result %q: %v", line, err)
			}
			samples[label] = append(samples[label], ms)
		}
	}
	medians := map[string]float64{}
	for label, v := range samples {
		sort.Float64s(v)
		medians[label] = median(v)
	}
	t.Logf("exec -> first frame, ms, %d runs each (interleaved, after 2 warm-up runs), TERM=%s;", runs, cmp.Or(os.Getenv("CALLCOACH_FIRSTFRAME_TERM"), "screen (tmux)"))
	t.Logf("cpu: processor time used by then, all threads (a busy machine stretches the time, less the processor time)")
	t.Logf("%-11s %8s %7s %8s %7s %8s | %8s %7s", "", "min", "/hello", "median", "/hello", "max", "cpu med", "/hello")
	for _, label := range order {
		v, cpu := samples[label], label+" cpu"
		t.Logf("%-11s %8.2f %7.2f %8.2f %7.2f %8.2f | %8.2f %7.2f", label, v[0], v[0]/samples["hello"][0],
			medians[label], medians[label]/medians["hello"], v[len(v)-1], medians[cpu], medians[cpu]/medians["hello cpu"])
	}
	for _, label := range ours {
		if sqlite, ok := strings.CutPrefix(label, "app-pg-"); ok {
			twin := "app-" + sqlite
			if r := medians[label] / medians[twin]; medians[twin] > 0 && r > 1.5 {
				t.Errorf("%s: first frame %.2f ms, %.2f times SQLite's %.2f ms (at most 1.5)", label, medians[label], r, medians[twin])
			}
			continue
		}
		if r := medians[label] / medians["hello"]; r > limit {
			t.Errorf("%s: first frame %.2f ms, %.2f times hello's %.2f ms (at most %.2f)", label, medians[label], r, medians["hello"], limit)
		}
	}
}

// firstFramePostgres is the team databases to time, when the tests have a
// PostgreSQL server: a new one, made for the run and dropped after it, and
// the 100k benchmark caseload if it has been made.
func firstFramePostgres(t *testing.T) []struct{ label, path string } {
	t.Helper()
	admin := os.Getenv("CALLCOACH_TEST_POSTGRES")
	if admin == "" {
		t.Log("no PostgreSQL cases: CALLCOACH_TEST_POSTGRES is not set")
		return nil
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("callcoach_ff_%d", os.Getpid())
	psql := func(q string) {
		t.Helper()
		out, err := exec.Command("psql", admin, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", q).CombinedOutput()
		if err != nil {
			t.Fatalf("psql %q: %v\n%s", q, err, out)
		}
	}
	needTool(t, "psql")
	psql("CREATE DATABASE " + name)
	t.Cleanup(func() { psql("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u.Path = "/" + name
	s, err := storage.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	dbs := []struct{ label, path string }{{"pg-empty", u.String()}}
	b, _ := storage.BenchSizeNamed("100k")
	big, ok, err := storage.FindBenchDatabase(context.Background(), admin, b, false)
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		dbs = append(dbs, struct{ label, path string }{"pg-100k", big})
	} else {
		t.Log("no pg-100k case: make it with CALLCOACH_TEST_ENGINE=postgres CALLCOACH_BENCH_MAKE=100k go test ./storage -run TestMakeBenchFiles -timeout 2h -v")
	}
	return dbs
}

// bigFirstFrameFile copies the large caseload to time into dir, so that
// what the program writes (its presence) stays out of the shared file; ""
// if there is none.
func bigFirstFrameFile(t *testing.T, dir string) string {
	t.Helper()
	src := os.Getenv("CALLCOACH_FIRSTFRAME_DB")
	if src == "" {
		b, _ := storage.BenchSizeNamed("100k")
		path, ok, err := storage.FindBenchFile(context.Background(), b)
		if err != nil {
			t.Fatalf("the 100k caseload: %v", err)
		}
		if !ok {
			t.Logf("no 100k case: %s is not made yet (CALLCOACH_BENCH_MAKE=100k go test ./storage -run TestMakeBenchFiles -timeout 2h -v)", path)
			return ""
		}
		src = path
	}
	dst := filepath.Join(dir, "big.db")
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
