// Command callcoach is a keyboard-first terminal companion for telephone
// health coaches and peer-support volunteers. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // time zones work even where the system has no zoneinfo

	"filippo.io/age"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	xterm "github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"

	"callcoach/coaching"
	"callcoach/coaching/config"
	"callcoach/coaching/prompts"
	"callcoach/coaching/summary"
	"callcoach/internal/firstframe"
	"callcoach/internal/sealed"
	"callcoach/storage"
	"callcoach/storage/screenlock"
	"callcoach/tui"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `callcoach: a companion for telephone health coaching calls.

Usage:
  callcoach [options]               open your caseload
  callcoach demo [options] [--reset]
                                    open a sample caseload (kept apart from yours)
  callcoach demo --people N [--calls-per-person M] [--reset] [--db PATH]
                                    make up a caseload of N people with M past calls each, for trying callcoach at scale
  callcoach backup FILE [--encrypt | --to AGE-KEY...] [--db PATH]
                                    copy your caseload to FILE and check the copy (safe while callcoach is open);
                                    --encrypt locks it with a passphrase, --to with an age public key
  callcoach restore FILE [--identity KEYFILE...] [--db PATH]
                                    replace your caseload with the backup FILE; the current file is kept aside
  callcoach export --format csv|json|fhir [--person ID] [--since DATE] [--out PATH]
                                    export every record (callcoach export --help)
  callcoach import FILE [--dry-run] add people from a CSV file, or a JSON export into an empty file (callcoach import --help)
  callcoach next [--limit N] [--format text|json]
                                    print whom to call now, most urgent first (callcoach next --help)
  callcoach log --person ID --outcome OUTCOME [--retry WHEN | --no-retry]
                                    record an attempt (no answer, voicemail, ...) and when to try again
  callcoach report [--from DATE] [--to DATE] [--format text|csv|json]
                                    print your own practice week by week, counts only (callcoach report --help)
  callcoach audit [verify] [--since DATE]
                                    list who did what and when, or check no entry was changed (callcoach audit --help)
  callcoach erase --person ID       delete a person and everything of theirs, after typing their name
  callcoach migrate --to postgres://USER@HOST/DATABASE [--db PATH]
                                    copy your caseload into your team's database; again later, only what is new
  callcoach prompts dump            print the built-in prompt cards, to start your own from
  callcoach prompts check FILE      check a prompt cards file and say what is wrong, by line
  callcoach summary example         print the built-in call summary template, to start your own from
  callcoach summary check FILE      check a call summary template and say what is wrong, by line
  callcoach config example          print a settings file to start from
  callcoach version [--db PATH]     print the version (and, with --db, the file's installation id)

Options:
  --db PATH        the database file (default %s)
  --role ROLE      coach, or peer for a peer-support volunteer (overrides the settings file)
  --prompts PATH   your organisation's prompt cards (overrides the settings file)
  --summary-template PATH
                   your organisation's call summary template (overrides the settings file)
  --config PATH    the settings file (default %s)
  --coach NAME     your name, written on every call, plan, measure and reading
                   (overrides the settings file; default your full name on this computer)
  --read-only      open the caseload to read only: nothing is saved (to look at a backup, say)
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	return runWithInput(args, os.Stdin, stdout, stderr)
}

// runWithInput is run reading a passphrase, when one is needed, from stdin.
func runWithInput(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("callcoach", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "the database file to use")
	roleFlag := fs.String("role", "", "coach or peer")
	promptsFlag := fs.String("prompts", "", "prompt cards file")
	summaryFlag := fs.String("summary-template", "", "call summary template file")
	configFlag := fs.String("config", "", "settings file")
	coachFlag := fs.String("coach", "", "your name, as every record and the audit trail give it")
	readOnly := fs.Bool("read-only", false, "open the caseload to read only")
	reset := false
	var demo demoSize
	if cmd == "demo" {
		fs.BoolVar(&reset, "reset", false, "rebuild the sample caseload from scratch")
		fs.IntVar(&demo.people, "people", 0, "make up this many people instead of the sample caseload")
		fs.IntVar(&demo.callsPerPerson, "calls-per-person", 10, "with --people: past calls for each person")
	}
	var seal sealFlags
	var identities stringList
	switch cmd {
	case "backup":
		seal.register(fs)
	case "restore":
		fs.Var(&identities, "identity", "an age identity file holding the secret key an encrypted backup was locked to; repeat for more")
	}
	ask := passphraseSource{stdin: stdin, stderr: stderr}
	fs.Usage = func() { fmt.Fprintf(stderr, usage, defaultPath("callcoach.db"), defaultConfigPath()) }
	switch cmd {
	case "prompts", "config", "summary":
		return runTool(cmd, args, stdout, stderr, fs.Usage)
	case "export":
		return runExport(args, ask, stdout, stderr)
	case "import":
		return runImport(args, ask, stdout, stderr)
	case "next":
		return runNext(args, stdout, stderr)
	case "log":
		return runLog(args, stdout, stderr)
	case "report":
		return runReport(args, stdout, stderr)
	case "audit":
		return runAudit(args, stdout, stderr)
	case "erase":
		return runErase(args, stdin, stdout, stderr)
	case "migrate":
		return runMigrate(args, stdout, stderr)
	}
	positional, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	wantArgs := 0
	if cmd == "backup" || cmd == "restore" {
		wantArgs = 1
	}
	if len(positional) > wantArgs {
		fmt.Fprintf(stderr, "callcoach: unexpected %q\n", positional[wantArgs])
		fs.Usage()
		return 2
	}
	if len(positional) < wantArgs {
		fmt.Fprintf(stderr, "callcoach: %s needs a FILE\n", cmd)
		fs.Usage()
		return 2
	}
	if err := seal.check(); err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 2
	}

	switch cmd {
	case "version":
		fmt.Fprintf(stdout, "callcoach %s (%s, %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
		if *dbPath != "" {
			// The file's installation id, which its exported records are named from.
			ctx := context.Background()
			store, ok := openExisting(ctx, *dbPath, "read", stderr)
			if !ok {
				return 1
			}
			defer store.Close()
			id, err := store.InstallationID(ctx)
			if err != nil {
				fmt.Fprintln(stderr, "callcoach:", err)
				return 1
			}
			fmt.Fprintf(stdout, "%s: installation %s\n", store.Path(), id)
		}
		return 0
	case "", "demo", "backup", "restore":
	case "help":
		fs.Usage()
		return 0
	default:
		fmt.Fprintf(stderr, "callcoach: unknown command %q\n", cmd)
		fs.Usage()
		return 2
	}

	ctx := context.Background()
	path := *dbPath
	switch {
	case path != "":
	case cmd == "demo":
		path = defaultPath("demo.db") // never the team's caseload
	default:
		if path = settingsDatabase(*configFlag); path == "" {
			path = defaultPath("callcoach.db")
		}
	}
	switch cmd {
	case "backup":
		return runBackup(ctx, path, positional[0], &seal, ask, stdout, stderr)
	case "restore":
		return runRestore(ctx, positional[0], path, unsealKeys(ask, positional[0], identities), stdout, stderr)
	}
	if cmd == "demo" {
		if err := prepareDemo(ctx, path, reset, demo, stdout); err != nil {
			fmt.Fprintln(stderr, "callcoach:", err)
			return 1
		}
		if demo.people > 0 {
			return 0
		}
	}
	var role coaching.Role
	if *roleFlag != "" {
		if role, err = coaching.ParseRole(*roleFlag); err != nil {
			fmt.Fprintln(stderr, "callcoach:", err)
			return 2
		}
	}
	// Before the screen is taken over, only what refusing the file needs:
	// a file at this version is read no further than its schema version
	// (storage.Open). The rest comes after the first frame (tui.App.Init).
	open := storage.Open
	if *readOnly {
		open = storage.OpenReadOnly
	}
	store, err := open(ctx, path)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	defer store.Close()
	// On a team database, notes wait in a file here on their way to the
	// server (storage/spool.go).
	if err := store.UseSpool(filepath.Dir(defaultPath("callcoach.db"))); err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	settings := func() tui.Settings {
		cfg, library, warnings := loadSettings(*configFlag, *promptsFlag)
		store.SetActor(localActor(*coachFlag, cfg.Coach)) // the settings as just read
		tmpl, more := loadSummaryTemplate(*configFlag, *summaryFlag, cfg)
		if role != "" {
			cfg.Role = role
		}
		return tui.Settings{Role: cfg.Role, CallTarget: cfg.CallTarget, Retry: cfg.Retry, Safety: cfg.Safety,
			Readings: cfg.Readings, TargetWeeks: cfg.TargetWeeks, Prompts: library, Summary: tmpl, LockAfter: cfg.LockAfter, LockAfterSet: cfg.LockAfterSet,
			Warnings: append(warnings, more...)}
	}
	return runTUI(ctx, store, settings, screenLock(*configFlag, cmd == "demo"), store.Notices(), stderr)
}

// screenLock finds the screen lock's file, beside the settings file, and
// whether a passphrase is set, before the first frame: with one, the first
// frame is the lock. The file is a few lines.
func screenLock(configPath string, demo bool) tui.ScreenLock {
	if configPath == "" {
		configPath = defaultConfigPath()
	}
	l := tui.ScreenLock{File: filepath.Join(filepath.Dir(configPath), screenlock.FileName), Demo: demo}
	switch err := screenlock.Status(l.File); {
	case err == nil:
		l.Set = true
	case !errors.Is(err, screenlock.ErrNotSet):
		l.Damaged = err
	}
	return l
}

// parseInterleaved parses flags that may come before or after the
// positional arguments (callcoach backup FILE --db PATH), and returns the
// positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// runBackup copies the database at dbPath to file, encrypted if seal
// says so.
func runBackup(ctx context.Context, dbPath, file string, seal *sealFlags, ask passphraseSource, stdout, stderr io.Writer) int {
	store, ok := openExisting(ctx, dbPath, "back up", stderr)
	if !ok {
		return 1
	}
	defer store.Close()
	var c storage.Copy
	var err error
	if seal.on() {
		if _, err := os.Lstat(file); err == nil {
			// Said now, before a passphrase is asked for in vain.
			fmt.Fprintf(stderr, "callcoach: %s already exists and was not changed; choose a new name for the backup\n", file)
			return 1
		}
		var rs []age.Recipient
		if rs, err = seal.recipients(ask, file); err != nil {
			fmt.Fprintf(stderr, "callcoach: %v; nothing was written.\n", err)
			return 1
		}
		c, err = store.BackupSealed(ctx, file, func(w io.Writer) (io.WriteCloser, error) { return sealed.NewWriter(w, rs) })
	} else {
		c, err = store.Backup(ctx, file)
	}
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	if !seal.on() {
		if note := plainCopyNote(file, store.Path()); note != "" {
			fmt.Fprintln(stderr, note)
		}
	}
	holds := fmt.Sprintf("%d %s, %d %s", c.People, plural(c.People, "person", "people"), c.Calls, plural(c.Calls, "call", "calls"))
	detail := "to " + file
	if seal.on() {
		detail += ", encrypted"
	}
	recordAudit(ctx, store, coaching.AuditBackedUp, 0, detail, stderr)
	if c.Rescue == nil {
		how := "checked"
		if seal.on() {
			how = "checked, and encrypted"
		}
		fmt.Fprintf(stdout, "Backed up to %s (%s), %s.\n", file, holds, how)
		return 0
	}
	// The copy is good, but the file it came from is not: say both, and
	// fail, so a scheduled backup does not pass this by.
	n := len(c.Rescue.Damage)
	fmt.Fprintf(stderr, "callcoach: %s is damaged: its page check found %d %s (first: %s). callcoach saves nothing more into it.\n",
		store.Path(), n, plural(n, "problem", "problems"), c.Rescue.Damage[0])
	fmt.Fprintf(stdout, "Rescued what could still be read into %s (%s); its indexes were built anew and it passed its check.\n", file, holds)
	if len(c.Rescue.Lost) > 0 {
		var lost []string
		for _, table := range c.Rescue.Lost {
			lost = append(lost, strings.ReplaceAll(table, "_", " "))
		}
		fmt.Fprintf(stdout, "Some %s could not be read and are not in it.\n", strings.Join(lost, ", "))
	}
	fmt.Fprintf(stdout, "To carry on from the rescued copy, close callcoach, then run: callcoach restore %s --db %s\n", file, store.Path())
	return 1
}

// runRestore replaces the database at dbPath with the backup file, which
// may be encrypted.
func runRestore(ctx context.Context, file, dbPath string, keys sealed.Keys, stdout, stderr io.Writer) int {
	isSealed, err := sealed.IsSealed(file)
	var aside string
	switch {
	case err != nil || !isSealed:
		// A file that cannot be read is Restore's to report.
		aside, err = storage.Restore(ctx, file, dbPath)
	default:
		// Whether the restore would be refused is known before the
		// passphrase is asked for: nobody types it in vain.
		if err := storage.CheckRestoreTarget(ctx, dbPath); err != nil {
			fmt.Fprintln(stderr, "callcoach:", err)
			return 1
		}
		var r *sealed.Reader
		if r, err = sealed.Open(file, keys); err != nil {
			fmt.Fprintf(stderr, "callcoach: %v; nothing was restored.\n", err)
			return 1
		}
		defer r.Close()
		aside, err = storage.RestoreFrom(ctx, r, file, dbPath)
	}
	var damaged *sealed.DamagedError
	if errors.As(err, &damaged) {
		fmt.Fprintf(stderr, "callcoach: %v; nothing was restored.\n", damaged)
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	if store, err := storage.Open(ctx, dbPath); err == nil {
		store.SetActor(localActor("", settingsCoach("")))
		recordAudit(ctx, store, coaching.AuditRestored, 0, "from "+file, stderr)
		store.Close()
	}
	if aside == "" {
		fmt.Fprintf(stdout, "Restored %s to %s.\n", file, dbPath)
		return 0
	}
	fmt.Fprintf(stdout, "Restored %s; the previous file is kept at %s.\n", file, aside)
	return 0
}

// runTool runs the commands that do not open the TUI: prompts, config.
func runTool(cmd string, args []string, stdout, stderr io.Writer, usage func()) int {
	switch {
	case cmd == "prompts" && len(args) == 1 && args[0] == "dump":
		stdout.Write(prompts.DefaultYAML())
		return 0
	case cmd == "prompts" && len(args) == 2 && args[0] == "check":
		data, err := readAtMost(args[1], prompts.MaxFileBytes)
		if err != nil {
			fmt.Fprintln(stderr, "callcoach:", err)
			return 1
		}
		probs := prompts.Check(args[1], data)
		for _, p := range probs {
			fmt.Fprintln(stdout, p)
		}
		if len(probs) > 0 {
			fmt.Fprintf(stdout, "%d %s; until they are fixed, callcoach uses its built-in prompts.\n", len(probs), plural(len(probs), "problem", "problems"))
			return 1
		}
		fmt.Fprintf(stdout, "%s: no problems found.\n", args[1])
		return 0
	case cmd == "summary" && len(args) == 1 && args[0] == "example":
		fmt.Fprint(stdout, summary.DefaultText())
		return 0
	case cmd == "summary" && len(args) == 2 && args[0] == "check":
		return checkSummaryTemplate(args[1], stdout, stderr)
	case cmd == "config" && len(args) == 1 && args[0] == "example":
		fmt.Fprint(stdout, config.Example)
		return 0
	}
	usage()
	return 2
}

// checkSummaryTemplate checks a summary template, and shows what it writes
// for a sample call when it has no problems.
func checkSummaryTemplate(path string, stdout, stderr io.Writer) int {
	data, err := readAtMost(path, summary.MaxFileBytes)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return 1
	}
	now := time.Now()
	probs := summary.Check(path, data, now)
	for _, p := range probs {
		fmt.Fprintln(stdout, p)
	}
	if len(probs) > 0 {
		fmt.Fprintf(stdout, "%d %s; until they are fixed, callcoach writes its built-in summary.\n", len(probs), plural(len(probs), "problem", "problems"))
		return 1
	}
	tmpl, _ := summary.Parse(path, data)
	text, _ := tmpl.Write(summary.Sample(now), summary.Times{Now: now, Coach: time.Local})
	fmt.Fprintf(stdout, "%s: no problems found. A made-up call comes out as:\n\n%s", path, text)
	return 0
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// loadSettings reads the settings file and the prompt cards, falling back
// to the defaults with a warning for anything that cannot be used: a
// broken file never stops a call.
func loadSettings(configPath, promptsPath string) (config.Config, *prompts.Library, []string) {
	var warnings []string
	cfg := config.Default()
	explicit := configPath != ""
	if !explicit {
		configPath = defaultConfigPath()
	}
	if data, err := readAtMost(configPath, config.MaxFileBytes); err == nil {
		var probs []prompts.Problem
		cfg, probs = config.Parse(configPath, data)
		for _, p := range probs {
			warnings = append(warnings, "Settings: "+p.String())
		}
	} else if explicit || !errors.Is(err, os.ErrNotExist) {
		warnings = append(warnings, "Settings not read: "+err.Error()+"; using the defaults.")
	}
	promptsPath, explicitPrompts := besideSettings(configPath, promptsPath, cfg.PromptsPath, "prompts.yaml")
	library := prompts.Default()
	data, err := readAtMost(promptsPath, prompts.MaxFileBytes)
	switch {
	case err == nil:
		var probs []prompts.Problem
		library, probs = prompts.Load(promptsPath, data)
		if len(probs) > 0 {
			warnings = append(warnings, fmt.Sprintf("Your prompt cards have %d %s (first: %s); using the built-in cards. Run: callcoach prompts check %s",
				len(probs), plural(len(probs), "problem", "problems"), probs[0], promptsPath))
		}
	case explicitPrompts || !errors.Is(err, os.ErrNotExist):
		warnings = append(warnings, "Prompt cards not read: "+err.Error()+"; using the built-in cards.")
	}
	return cfg, library, warnings
}

// loadSummaryTemplate reads the organisation's call summary template: the
// file flagPath names, else the one the settings name, else summary.tmpl
// beside the settings file if there is one. A template with problems, or
// one that cannot be read, leaves the built-in one (nil) and a warning.
func loadSummaryTemplate(configPath, flagPath string, cfg config.Config) (*summary.Template, []string) {
	if configPath == "" {
		configPath = defaultConfigPath()
	}
	path, explicit := besideSettings(configPath, flagPath, cfg.SummaryTemplatePath, "summary.tmpl")
	data, err := readAtMost(path, summary.MaxFileBytes)
	switch {
	case err == nil:
		tmpl, probs := summary.Parse(path, data)
		if len(probs) > 0 {
			return nil, []string{fmt.Sprintf("Your summary template has %d %s (first: %s); calls are summed up with the built-in one. Run: callcoach summary check %s",
				len(probs), plural(len(probs), "problem", "problems"), probs[0], path)}
		}
		return tmpl, nil
	case explicit || !errors.Is(err, os.ErrNotExist):
		return nil, []string{"Summary template not read: " + err.Error() + "; calls are summed up with the built-in one."}
	}
	return nil, nil
}

// besideSettings picks the file for a setting that names one: the path a
// flag gives, as it is; else the path the settings give, from the settings
// file's folder if it is relative; else the file called name beside the
// settings file. explicit says a file was named, so that its absence is
// worth a warning.
func besideSettings(configPath, flagPath, settingPath, name string) (path string, explicit bool) {
	switch {
	case flagPath != "":
		return flagPath, true
	case settingPath != "" && filepath.IsAbs(settingPath):
		return settingPath, true
	case settingPath != "":
		return filepath.Join(filepath.Dir(configPath), settingPath), true
	}
	return filepath.Join(filepath.Dir(configPath), name), false
}

// defaultConfigPath is the settings file in the user's config folder.
func defaultConfigPath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "callcoach", "config.yaml")
}

func runTUI(ctx context.Context, store *storage.Store, settings func() tui.Settings, lock tui.ScreenLock, notices []string, stderr io.Writer) int {
	out, drawn := firstframe.Output(os.Stdout)
	noColor := os.Getenv("NO_COLOR") != "" && os.Getenv("TERM") != "dumb"
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx), tea.WithOutput(out)}
	// The terminal may be asked for its background: the keys come through
	// a reader that takes its answer out. Whether it is asked depends on
	// the colours, decided with the rest below.
	var background *tui.BackgroundQuery
	if !noColor && canAskBackground(os.Getenv("TERM")) {
		background = tui.NewBackgroundQuery(os.Stdin, os.Stdout)
		opts = append(opts, tea.WithInput(background.Input()))
	}
	w, h, sizeErr := xterm.GetSize(os.Stdout.Fd())
	// The styles and screens are built once bubbletea has started its
	// frame clock (tui.Later), while it waits for its first tick.
	app := tui.Build(func() tui.App {
		r := lipgloss.NewRenderer(os.Stdout)
		// The first frame is drawn on a guess at the terminal's
		// background; the terminal is asked once the program has it, and
		// the colours follow its answer (tui.BackgroundQuery). Without
		// colour there is nothing to ask.
		r.SetHasDarkBackground(tui.GuessDarkBackground(os.Getenv("COLORFGBG")))
		if noColor {
			// NO_COLOR takes the colour away, not bold, underline or
			// reverse video: the cursor in a field is drawn in reverse.
			r.SetColorProfile(termenv.ANSI)
		}
		c := tui.NewCommon(ctx, store, r)
		if noColor {
			c.Styles = tui.NewPlainStyles(r)
		}
		c.Warnings, c.Settings, c.Drawn, c.Lock = notices, settings, drawn, lock
		if background != nil && r.ColorProfile() != termenv.Ascii {
			c.Background = background
		}
		a := tui.NewApp(c)
		if sizeErr == nil {
			a = a.Sized(w, h) // the first frame is ready at bubbletea's first flush
		}
		return a
	})
	p := tea.NewProgram(app, opts...)

	// A closed terminal sends SIGHUP: end the program the normal way so the
	// notes are flushed below.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		if _, ok := <-hup; ok {
			p.Quit()
		}
	}()
	defer signal.Stop(hup)

	final, err := p.Run()
	code := 0
	if err != nil && !errors.Is(err, tea.ErrProgramKilled) && !errors.Is(err, tea.ErrInterrupted) {
		fmt.Fprintln(stderr, "callcoach:", err)
		code = 1
	}
	// final is the App, or the Later that would have built it if the
	// program ended before its first message.
	if a, ok := final.(interface{ Flush() error }); ok {
		if ferr := a.Flush(); ferr != nil {
			fmt.Fprintln(stderr, "callcoach: the last notes could not be saved:", ferr)
			code = 1
		}
	}
	return code
}

// canAskBackground says whether the terminal can be asked for its
// background, as termenv decides: not through screen or tmux (which may
// show one program on several terminals), not a dumb one, and only if the
// keys come from the terminal.
func canAskBackground(term string) bool {
	for _, no := range []string{"screen", "tmux", "dumb"} {
		if strings.HasPrefix(term, no) {
			return false
		}
	}
	return xterm.IsTerminal(os.Stdin.Fd())
}

// demoSize is what `demo --people N --calls-per-person M` asks for; no
// people means the small sample caseload.
type demoSize struct {
	people, callsPerPerson int
}

// prepareDemo makes the sample caseload if the file is new (or --reset).
// With demo.people it makes up that many people instead, and refuses to
// touch an existing file without --reset.
func prepareDemo(ctx context.Context, path string, reset bool, demo demoSize, stdout io.Writer) error {
	if demo.people < 0 || demo.callsPerPerson < 0 || demo.callsPerPerson > 1000 {
		return errors.New("--people must be 0 or more and --calls-per-person between 0 and 1000")
	}
	if reset {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("remove the old sample caseload: %w", err)
			}
		}
	}
	if _, err := os.Stat(path); err == nil {
		if demo.people > 0 {
			return fmt.Errorf("%s already exists; add --reset to replace it with a made-up caseload", path)
		}
		return nil
	}
	store, err := storage.Open(ctx, path)
	if err != nil {
		return err
	}
	defer store.Close()
	if demo.people == 0 {
		return store.Seed(ctx, coaching.SampleCaseload(time.Now()))
	}
	start := time.Now()
	err = store.Generate(ctx, storage.GenerateOptions{People: demo.people, CallsPerPerson: demo.callsPerPerson, Plans: true, Seed: 1, Now: start})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Made up %d %s with %d calls each in %s: %s\nOpen it with: callcoach demo --db %s\n",
		demo.people, plural(demo.people, "person", "people"), demo.callsPerPerson,
		time.Since(start).Round(time.Second), path, path)
	return nil
}

// defaultPath is where callcoach keeps its files: the XDG data directory
// on Linux and the BSDs, the usual application data folder elsewhere.
func defaultPath(name string) string {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		switch runtime.GOOS {
		case "darwin":
			dir = filepath.Join(home, "Library", "Application Support")
		case "windows":
			if d := os.Getenv("LOCALAPPDATA"); d != "" {
				dir = d
			} else {
				dir = filepath.Join(home, "AppData", "Local")
			}
		default:
			dir = filepath.Join(home, ".local", "share")
		}
	}
	return filepath.Join(dir, "callcoach", name)
}

// openExisting opens the database at path for a command that works on one
// already there (backup, export, import into it): a missing file is named,
// not quietly created. It reports any problem to stderr.
func openExisting(ctx context.Context, path, doing string, stderr io.Writer) (*storage.Store, bool) {
	if storage.IsPostgresURL(path) {
		return openStore(ctx, path, stderr)
	}
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(stderr, "callcoach: there is no database at %s to %s (%v); name it with --db PATH.\n", path, doing, err)
		return nil, false
	}
	return openStore(ctx, path, stderr)
}

// openStore opens (or creates) the database at path for a command,
// reporting a refusal to stderr in the store's own words, and what Open
// did to the file (made it private) in a line each.
func openStore(ctx context.Context, path string, stderr io.Writer) (*storage.Store, bool) {
	store, err := storage.Open(ctx, path)
	if err != nil {
		fmt.Fprintln(stderr, "callcoach:", err)
		return nil, false
	}
	store.SetActor(localActor("", settingsCoach("")))
	for _, n := range store.Notices() {
		fmt.Fprintln(stderr, "callcoach:", n)
	}
	return store, true
}
