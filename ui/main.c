/* main.c — cidx-tui: arguments, locale and terminal checks, signals, the
 * engine's start and stop, and the event loop. The loop poll()s the
 * terminal, the engine's wake fd, a signal self-pipe and the captured
 * stderr; events only mark panes dirty, and screen_draw redraws once per
 * pass. It sleeps without a timeout unless indexing progress is shown. */
#include "ui.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#define CIDX_TUI_VERSION "0.1.0"
#define PROGRESS_MS 100      /* status refresh while indexing: 10 per second */
#define STOP_WAIT_MS 300     /* for the engine's threads on quit */

static const char usage_text[] =
	"usage: cidx-tui [options] [DIR]\n"
	"\n"
	"Explore the code of DIR's repository (default: the current directory's):\n"
	"type to search symbols, see each definition in the preview. The index is\n"
	"built and kept current in the background.\n"
	"\n"
	"options:\n"
	"  --keymap NAME|PATH  default, vim, emacs, or a keymap file (bind lines);\n"
	"                      ${XDG_CONFIG_HOME:-~/.config}/cidx/keys is read last\n"
	"  --db PATH           use this index file instead of the cache directory's\n"
	"  --jobs N            parse workers (default: online CPUs)\n"
	"  --version           print the version\n"
	"  -h, --help          this help\n"
	"\n"
	"Press ? in the app for the keys. NO_COLOR turns colours off.\n";

static int sig_pipe[2] = { -1, -1 };
static struct termios saved_tio;
static int saved_tio_ok;
static const char *fatal_restore;   /* rmcup etc., for the fatal-signal path */

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char c = (unsigned char)sig;
	ssize_t r = write(sig_pipe[1], &c, 1);
	(void)r;
	errno = saved;
}

/* A crash: put the terminal back first (async-signal-safe calls only),
 * then die of the same signal. */
static void on_fatal(int sig)
{
	if (fatal_restore) {
		ssize_t r = write(STDOUT_FILENO, fatal_restore, strlen(fatal_restore));
		(void)r;
	}
	if (saved_tio_ok)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_signals(void)
{
	struct sigaction sa;
	static const int soft[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP, SIGCONT };
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < sizeof(soft) / sizeof(soft[0]); i++)
		sigaction(soft[i], &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		sigaction(fatal[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ---- stderr capture ----------------------------------------------------------
 * While curses owns the terminal, anything written to stderr (the watcher's
 * notices, sanitizer reports) would scribble over the screen: it goes to a
 * pipe instead; its last line becomes the status notice and all of it is
 * written to the real stderr after the screen is restored. */
static int err_pipe = -1, real_stderr = -1;
static struct strbuf err_log = STRBUF_INIT;

static void capture_stderr(void)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	real_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (real_stderr < 0 || dup2(p[1], STDERR_FILENO) < 0) {
		close(p[0]);
		close(p[1]);
		return;
	}
	close(p[1]);
	err_pipe = p[0];
}

static void read_stderr(struct app *a)
{
	char buf[4096];
	ssize_t n;
	while ((n = read(err_pipe, buf, sizeof(buf))) > 0) {
		if (err_log.len < (1u << 20))
			sb_add(&err_log, buf, (size_t)n);
	}
	if (err_log.len) {
		/* the last complete line */
		char *end = err_log.buf + err_log.len, *s;
		while (end > err_log.buf && end[-1] == '\n')
			end--;
		s = end;
		while (s > err_log.buf && s[-1] != '\n')
			s--;
		if (end > s) {
			char line[256];
			size_t len = (size_t)(end - s) < sizeof(line) - 1 ? (size_t)(end - s) : sizeof(line) - 1;
			memcpy(line, s, len);
			line[len] = 0;
			if (!strncmp(line, "cidx: ", 6))
				memmove(line, line + 6, strlen(line + 6) + 1);
			/* the watcher's "ready" line says what the status already does */
			if (strncmp(line, "watching ", 9)) {
				engine_set_message(a->eng, line);
				screen_dirty(a, PANE_STATUS);
			}
		}
	}
}

static void restore_stderr(void)
{
	if (real_stderr < 0)
		return;
	fflush(stderr);
	dup2(real_stderr, STDERR_FILENO);
	close(real_stderr);
	real_stderr = -1;
	if (err_pipe >= 0) {
		char buf[4096];
		ssize_t n;
		while ((n = read(err_pipe, buf, sizeof(buf))) > 0)
			sb_add(&err_log, buf, (size_t)n);
		close(err_pipe);
		err_pipe = -1;
	}
	/* replay what was said, less the watcher's routine "ready" line */
	for (char *l = err_log.buf, *end = err_log.buf + err_log.len; l && l < end; ) {
		char *nl = memchr(l, '\n', (size_t)(end - l));
		size_t n = nl ? (size_t)(nl - l) + 1 : (size_t)(end - l);
		if (strncmp(l, "cidx: watching ", 15)) {
			ssize_t r = write(STDERR_FILENO, l, n);
			(void)r;
		}
		l += n;
	}
	sb_release(&err_log);
}

/* ---- terminal checks ------------------------------------------------------ */

static int check_terminal(void)
{
	const char *term = getenv("TERM");
	int err = 0;
	if (!term || !*term) {
		fprintf(stderr, "cidx-tui: TERM is not set, so the terminal's type is unknown;"
			" set it (e.g. TERM=xterm-256color) and try again\n");
		return -1;
	}
	if (!strcmp(term, "dumb")) {
		fprintf(stderr, "cidx-tui: TERM=dumb cannot move the cursor, so no screen can be drawn;"
			" run cidx-tui in a full terminal, or use the cidx command line\n");
		return -1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "cidx-tui: needs a terminal on standard input and output;"
			" for scripts use the cidx command line\n");
		return -1;
	}
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		fprintf(stderr, "cidx-tui: the terminal type '%s' is unknown here (no terminfo entry);"
			" try TERM=xterm-256color\n", term);
		return -1;
	}
	{
		char *cup = tigetstr("cup");
		if (!cup || cup == (char *)-1) {
			fprintf(stderr, "cidx-tui: the terminal type '%s' cannot move the cursor;"
				" run cidx-tui in a full terminal\n", term);
			del_curterm(cur_term);
			return -1;
		}
	}
	/* what a crash must send: leave the alternate screen, show the cursor,
	 * reset attributes */
	{
		static char seq[256];
		const char *caps[] = { "sgr0", "cnorm", "rmcup" };
		size_t len = 0;
		for (size_t i = 0; i < 3; i++) {
			char *s = tigetstr((char *)caps[i]);
			if (s && s != (char *)-1 && len + strlen(s) < sizeof(seq)) {
				memcpy(seq + len, s, strlen(s));
				len += strlen(s);
			}
		}
		seq[len] = 0;
		fatal_restore = seq;
	}
	del_curterm(cur_term);
	if (tcgetattr(STDIN_FILENO, &saved_tio) == 0)
		saved_tio_ok = 1;
	return 0;
}

/* ---- events ---------------------------------------------------------------- */

static void resize(struct app *a)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	screen_layout(a);
	preview_follow(a);
	screen_redraw_all(a);
}

void app_suspend(struct app *a)
{
	struct sigaction sa, old;
	endwin();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigaction(SIGTSTP, &sa, &old);
	kill(0, SIGTSTP);        /* the whole job stops; returns after fg */
	sigaction(SIGTSTP, &old, NULL);
	resize(a);               /* the size may have changed meanwhile */
}

/* ---- the editor --------------------------------------------------------------
 * $VISUAL, then $EDITOR, then vi, started with posix_spawnp (never a shell):
 * the variable is split on blanks into the program and its own arguments,
 * then "+LINE FILE" (vi, vim, nvim, emacs, nano and unknown editors) or
 * "-g FILE:LINE" (VS Code). Curses is suspended meanwhile; the editor gets
 * the real stderr and default signal handling. */

extern char **environ;

static int is_code(const char *prog)
{
	const char *b = strrchr(prog, '/');
	b = b ? b + 1 : prog;
	return !strcmp(b, "code") || !strcmp(b, "code-insiders") || !strcmp(b, "codium");
}

void app_edit(struct app *a, const char *file, int line)
{
	const char *ed = getenv("VISUAL");
	char *words, *tok, *save = NULL, *path, *loc = NULL, lbuf[32];
	char **argv = NULL;
	size_t argc = 0, cap = 0;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	pid_t pid;
	int rc, status = 0;
	static const int reset[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP, SIGCONT, SIGPIPE, SIGUSR2 };
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	words = xstrdup(ed);
	for (tok = strtok_r(words, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		ARRAY_GROW(argv, cap, argc + 1);
		argv[argc++] = tok;
	}
	if (!argc) {
		free(words);
		status_notice(a, 1, "the editor variable is blank");
		return;
	}
	path = xasprintf("%s/%s", engine_root(a->eng), file);
	snprintf(lbuf, sizeof(lbuf), "+%d", line > 0 ? line : 1);
	ARRAY_GROW(argv, cap, argc + 3);
	if (is_code(argv[0])) {
		loc = xasprintf("%s:%d", path, line > 0 ? line : 1);
		argv[argc++] = "-g";
		argv[argc++] = loc;
	} else {
		argv[argc++] = lbuf;
		argv[argc++] = path;
	}
	argv[argc] = NULL;

	posix_spawn_file_actions_init(&fa);
	if (real_stderr >= 0)
		posix_spawn_file_actions_adddup2(&fa, real_stderr, STDERR_FILENO);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigemptyset(&dfl);
	for (size_t i = 0; i < sizeof(reset) / sizeof(reset[0]); i++)
		sigaddset(&dfl, reset[i]);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

	endwin();
	rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
	if (rc == 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	resize(a);   /* curses back: the size may have changed meanwhile */
	if (rc)
		status_notice(a, 1, "cannot start the editor '%s': %s (set VISUAL or EDITOR)", argv[0], strerror(rc));
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		status_notice(a, 1, "cannot start the editor '%s' (exit status 127)", argv[0]);
	else if (WIFEXITED(status) && WEXITSTATUS(status))
		status_notice(a, 1, "the editor '%s' exited with status %d", argv[0], WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		status_notice(a, 1, "the editor '%s' was killed by signal %d", argv[0], WTERMSIG(status));
	free(argv);
	free(words);
	free(path);
	free(loc);
}

static void engine_changed(struct app *a)
{
	uint64_t gen = a->st.generation;
	int had = a->st.have_table, phase = a->st.phase;
	engine_status(a->eng, &a->st);
	if (a->st.generation != gen || a->st.have_table != had)
		search_pane_submit(a);   /* the data changed: same query, fresh results */
	if (a->st.phase != phase || a->st.generation != gen)
		screen_dirty(a, PANE_STATUS);
	search_pane_results(a);
	tree_graph_changed(a);
	tree_diff_ready(a);
	dups_engine_changed(a);
}

static int handle_signals(struct app *a)
{
	unsigned char sigs[32];
	ssize_t n = read(sig_pipe[0], sigs, sizeof(sigs));
	for (ssize_t i = 0; i < n; i++) {
		switch (sigs[i]) {
		case SIGWINCH:
			resize(a);
			break;
		case SIGTSTP:
			app_suspend(a);
			break;
		case SIGCONT:
			screen_redraw_all(a);
			break;
		default:   /* INT, TERM, HUP, QUIT */
			a->quit = 1;
			return sigs[i];
		}
	}
	return 0;
}

static int run(struct app *a)
{
	struct pollfd fds[4];
	uint64_t last_done = UINT64_MAX;
	int sig = 0;
	screen_layout(a);
	screen_draw(a);          /* the first frame, before anything is loaded */
	while (!a->quit) {
		int timeout = -1, n;
		int due = preview_tick(a);
		if (a->st.phase == ENGINE_STARTING || a->st.phase == ENGINE_INDEXING)
			timeout = PROGRESS_MS;
		if (due >= 0 && (timeout < 0 || due < timeout))
			timeout = due;
		if (due < 0 && a->panes[PANE_PREVIEW].dirty)
			screen_draw(a);   /* a deferred follow just ran */
		fds[0] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		fds[1] = (struct pollfd){ .fd = engine_wake_fd(a->eng), .events = POLLIN };
		fds[2] = (struct pollfd){ .fd = sig_pipe[0], .events = POLLIN };
		fds[3] = (struct pollfd){ .fd = err_pipe, .events = POLLIN };
		n = poll(fds, err_pipe >= 0 ? 4 : 3, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && (fds[2].revents & POLLIN))
			sig = handle_signals(a);
		if (a->quit)
			break;
		if (n > 0 && (fds[1].revents & POLLIN)) {
			engine_drain_wake(a->eng);
			engine_changed(a);
		}
		if (n > 0 && err_pipe >= 0 && (fds[3].revents & POLLIN))
			read_stderr(a);
		if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR)) && !(fds[0].revents & POLLIN))
			break;   /* the terminal went away */
		if (n > 0 && (fds[0].revents & POLLIN)) {
			int k;
			while (!a->quit && (k = keys_read(a)) >= 0) {
				keys_dispatch(a, k);
				screen_follow_focus(a);
			}
		}
		if (a->st.phase == ENGINE_STARTING || a->st.phase == ENGINE_INDEXING) {
			/* progress, at most PROGRESS_MS apart: only the counters are
			 * taken here; any other change goes through engine_changed,
			 * which compares with what the panes show (copying the whole
			 * status here would hide a change whose wake-up is still on
			 * its way, and the screen would stay stale) */
			struct engine_status now;
			engine_status(a->eng, &now);
			if (now.generation != a->st.generation || now.phase != a->st.phase ||
			    now.have_table != a->st.have_table || now.graph_generation != a->st.graph_generation) {
				engine_changed(a);
			} else {
				a->st.done = now.done;
				a->st.total = now.total;
				a->st.rate = now.rate;
				a->st.eta = now.eta;
			}
			if (a->st.done != last_done) {
				last_done = a->st.done;
				screen_dirty(a, PANE_STATUS);
			}
		}
		if (!a->quit)
			screen_draw(a);
		if (a->t_action >= 0) {
			fprintf(a->timings, "%s %.3f\n", action_name(a->t_action), (now_seconds() - a->t_start) * 1000.0);
			fflush(a->timings);
			a->t_action = -1;
		}
	}
	return sig;
}

/* ---- main ------------------------------------------------------------------- */

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
	fputs("cidx-tui: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n\n", stderr);
	fputs(usage_text, stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct engine_opts eo = { 0 };
	const char *keymap = NULL;
	struct strbuf err = STRBUF_INIT;
	struct app *a;
	int sig, utf8, stopped;
	const char *nc;

	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (!strcmp(s, "--version")) {
			printf("cidx-tui %s\n", CIDX_TUI_VERSION);
			return 0;
		} else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (!strcmp(s, "--keymap") || !strcmp(s, "--db") || !strcmp(s, "--jobs")) {
			if (i + 1 >= argc)
				usage_error("%s needs a value", s);
			if (!strcmp(s, "--keymap"))
				keymap = argv[++i];
			else if (!strcmp(s, "--db"))
				eo.db = argv[++i];
			else {
				char *end;
				long j = strtol(argv[++i], &end, 10);
				if (*end || j < 1 || j > 256)
					usage_error("--jobs takes a number from 1 to 256, not '%s'", argv[i]);
				eo.jobs = (int)j;
			}
		} else if (!strncmp(s, "--keymap=", 9)) {
			keymap = s + 9;
		} else if (!strncmp(s, "--db=", 5)) {
			eo.db = s + 5;
		} else if (s[0] == '-' && s[1]) {
			usage_error("unknown option '%s'", s);
		} else if (eo.dir) {
			usage_error("one directory only, not also '%s'", s);
		} else {
			eo.dir = s;
		}
	}

	setlocale(LC_ALL, "");
	utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	nc = getenv("NO_COLOR");
	if (check_terminal() < 0)
		return 1;

	a = xcalloc(1, sizeof(*a));
	a->eng = engine_new(&eo, &err);
	if (!a->eng) {
		fprintf(stderr, "cidx-tui: %s\n", err.buf);
		return 1;
	}
	a->panes[PANE_SEARCH].ops = &search_pane_ops;
	a->panes[PANE_PREVIEW].ops = &preview_pane_ops;
	a->panes[PANE_STATUS].ops = &status_pane_ops;
	a->panes[PANE_HELP].ops = &help_pane_ops;
	a->panes[PANE_TREE].ops = &tree_pane_ops;
	a->panes[PANE_DUPS].ops = &dups_pane_ops;
	a->focus = PANE_SEARCH;
	a->t_action = -1;
	{
		const char *tf = getenv("CIDX_TUI_TIMINGS");
		if (tf && *tf && !(a->timings = fopen(tf, "ae"))) {
			fprintf(stderr, "cidx-tui: cannot open %s: %s\n", tf, strerror(errno));
			return 1;
		}
	}
	keys_load(a, keymap);    /* errors reach the real stderr too */

	if (pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		fprintf(stderr, "cidx-tui: cannot create a pipe: %s\n", strerror(errno));
		return 1;
	}
	install_signals();
	if (screen_init(a) < 0)
		return 1;
	theme_init(&a->th, utf8, nc && *nc);
	capture_stderr();
	if (engine_start(a->eng, &err) < 0) {
		screen_end();
		restore_stderr();
		fprintf(stderr, "cidx-tui: %s\n", err.buf);
		return 1;
	}
	engine_status(a->eng, &a->st);
	search_pane_submit(a);

	sig = run(a);

	screen_end();
	stopped = engine_stop(a->eng, STOP_WAIT_MS) == 0;
	restore_stderr();
	if (!stopped) {
		/* an index run cannot be interrupted; its work so far is committed
		 * and the next start resumes from there */
		fflush(stdout);
		_exit(sig ? 128 + sig : 0);
	}
	engine_results_release(&a->res);
	engine_file_release(&a->file);
	tree_release(a);
	dups_release(a);
	if (a->timings)
		fclose(a->timings);
	keymap_release(&a->km);
	for (int i = 0; i < PANE__COUNT; i++)
		if (a->panes[i].win)
			delwin(a->panes[i].win);
	engine_free(a->eng);
	free(a);
	sb_release(&err);
	if (sig) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return 0;
}
