/* keys.c — from the terminal to actions: loading the keymaps (compiled-in
 * default, --keymap NAME|PATH, the user's file), reading a key from curses
 * as a keymap key code, and dispatching it to the focused pane. */
#include "ui.h"
#include "keymaps.h"     /* generated from keymaps/ *.keys by make */

#include <errno.h>

static const struct {
	const char *name, *text;
} builtin[] = {
	{ "default", keymap_default_keys },
	{ "vim", keymap_vim_keys },
	{ "emacs", keymap_emacs_keys },
};

const char *const keys_builtin_names = "default, vim, emacs";

#define MAX_ERRORS 8

static void report(struct app *a, const struct keymap_error *errs, int nerr, int *first)
{
	for (int i = 0; i < nerr && i < MAX_ERRORS; i++)
		fprintf(stderr, "cidx-tui: %s\n", errs[i].msg);
	if (nerr > MAX_ERRORS)
		fprintf(stderr, "cidx-tui: ... and %d more errors\n", nerr - MAX_ERRORS);
	if (nerr && *first) {
		status_notice(a, 1, "%s%s (ignored)", errs[0].msg, nerr > 1 ? " and more" : "");
		*first = 0;
	}
}

/* Parse a file into the keymap; missing_ok for the user's own file. */
static void load_file(struct app *a, const char *path, int missing_ok, int *first)
{
	struct keymap_error errs[MAX_ERRORS];
	char *text;
	size_t len;
	int nerr;
	if (read_file(path, &text, &len) < 0) {
		if (missing_ok && errno == ENOENT)
			return;
		fprintf(stderr, "cidx-tui: cannot read keymap %s: %s\n", path, strerror(errno));
		if (*first) {
			status_notice(a, 1, "cannot read keymap %s: %s", path, strerror(errno));
			*first = 0;
		}
		return;
	}
	nerr = keymap_parse(&a->km, path, text, len, errs, MAX_ERRORS);
	report(a, errs, nerr, first);
	free(text);
}

static void load_builtin(struct app *a, size_t i, int *first)
{
	struct keymap_error errs[MAX_ERRORS];
	char *fname = xasprintf("keymaps/%s.keys", builtin[i].name);
	int nerr = keymap_parse(&a->km, fname, builtin[i].text, strlen(builtin[i].text), errs, MAX_ERRORS);
	report(a, errs, nerr, first);
	free(fname);
}

void keys_load(struct app *a, const char *name_or_path)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *user = NULL;
	int first = 1;
	keymap_init(&a->km);
	load_builtin(a, 0, &first);
	if (name_or_path) {
		size_t i;
		for (i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
			if (!strcmp(builtin[i].name, name_or_path))
				break;
		if (i < sizeof(builtin) / sizeof(builtin[0]))
			load_builtin(a, i, &first);
		else if (strchr(name_or_path, '/') || strstr(name_or_path, ".keys"))
			load_file(a, name_or_path, 0, &first);
		else {
			fprintf(stderr, "cidx-tui: unknown keymap '%s' (%s, or a file path)\n", name_or_path,
				keys_builtin_names);
			status_notice(a, 1, "unknown keymap '%s' (%s, or a file path)", name_or_path,
				      keys_builtin_names);
			first = 0;
		}
	}
	if (xdg && *xdg)
		user = xasprintf("%s/cidx/keys", xdg);
	else if (home && *home)
		user = xasprintf("%s/.config/cidx/keys", home);
	if (user)
		load_file(a, user, 1, &first);
	free(user);
}

static int from_curses(int k)
{
	switch (k) {
	case KEY_UP: return KC_UP;
	case KEY_DOWN: return KC_DOWN;
	case KEY_LEFT: return KC_LEFT;
	case KEY_RIGHT: return KC_RIGHT;
	case KEY_PPAGE: return KC_PGUP;
	case KEY_NPAGE: return KC_PGDN;
	case KEY_HOME: case KEY_A1: return KC_HOME;
	case KEY_END: case KEY_C1: return KC_END;
	case KEY_ENTER: return KC_ENTER;
	case KEY_BTAB: return KC_BTAB;
	case KEY_BACKSPACE: return KC_BACKSPACE;
	case KEY_DC: return KC_DELETE;
	case KEY_IC: return KC_INSERT;
	default:
		if (k >= KEY_F(1) && k <= KEY_F(12))
			return KC_F1 + (k - KEY_F(1));
		{
			/* Alt-arrows: xterm's modified keys (kLFT3 is Alt-Left) */
			const char *n = keyname(k);
			static const struct { const char *name; int key; } alt[] = {
				{ "kLFT3", KC_LEFT }, { "kRIT3", KC_RIGHT }, { "kUP3", KC_UP }, { "kDN3", KC_DOWN },
			};
			for (size_t i = 0; n && i < sizeof(alt) / sizeof(alt[0]); i++)
				if (!strcmp(n, alt[i].name))
					return alt[i].key | KEY_META_BIT;
		}
		return -1;
	}
}

static int from_char(int c)
{
	switch (c) {
	case '\r': case '\n': return KC_ENTER;
	case '\t': return KC_TAB;
	case 0x7f: case 0x08: return KC_BACKSPACE;
	case 0x1b: return KC_ESC;
	default: return c;
	}
}

int keys_read(struct app *a)
{
	wint_t ch;
	int r;
	(void)a;
	nodelay(stdscr, TRUE);
	for (;;) {
		r = wget_wch(stdscr, &ch);
		if (r == ERR)
			return -1;
		if (r == KEY_CODE_YES) {
			int k = from_curses((int)ch);
			if (k >= 0)
				return k;
			continue;   /* KEY_RESIZE, mouse...: SIGWINCH handles resizes */
		}
		if (ch == 0x1b) {
			/* Alt-x arrives as ESC x; a lone ESC has nothing after it */
			wint_t next;
			int r2 = wget_wch(stdscr, &next);
			if (r2 == OK && next == '[') {
				/* a CSI sequence curses did not know (terminfo without
				 * xterm's modified keys): ESC [ 1 ; 3 D is Alt-Left */
				char seq[16];
				size_t n = 0;
				wint_t c;
				while (n < sizeof(seq) - 1 && wget_wch(stdscr, &c) == OK) {
					seq[n++] = (char)c;
					if (c >= 0x40 && c <= 0x7e)
						break;
				}
				seq[n] = 0;
				if (!n)
					return '[' | KEY_META_BIT;   /* Alt-[ */
				if (n == 4 && !strncmp(seq, "1;3", 3) && seq[3] >= 'A' && seq[3] <= 'D') {
					static const int arrow[] = { KC_UP, KC_DOWN, KC_RIGHT, KC_LEFT };
					return arrow[seq[3] - 'A'] | KEY_META_BIT;
				}
				continue;   /* another modified key: ignored */
			}
			if (r2 == OK)
				return from_char((int)next) | KEY_META_BIT;
			if (r2 == KEY_CODE_YES) {
				int k = from_curses((int)next);
				return k >= 0 ? k | KEY_META_BIT : KC_ESC;
			}
			return KC_ESC;
		}
		return from_char((int)ch);
	}
}

/* Actions the application handles whatever has the focus. */
static int app_action(struct app *a, int act)
{
	/* the duplicates pane covers the others: it handles all but these */
	if (a->dups_open && !a->help_open && act != ACT_QUIT && act != ACT_HELP && act != ACT_REDRAW &&
	    act != ACT_SUSPEND)
		return 0;
	switch (act) {
	case ACT_QUIT:
		a->quit = 1;
		return 1;
	case ACT_HELP:
		a->help_open = !a->help_open;
		a->help_top = 0;
		screen_dirty_all(a);
		return 1;
	case ACT_REDRAW:
		screen_redraw_all(a);
		return 1;
	case ACT_SUSPEND:
		app_suspend(a);
		return 1;
	case ACT_FOCUS_NEXT:
	case ACT_FOCUS_SEARCH:
	case ACT_FOCUS_PREVIEW:
		if (a->help_open)
			return 0;
		/* "search" is the list on the left: the tree while it is open */
		a->focus = act == ACT_FOCUS_SEARCH ? list_pane(a) : act == ACT_FOCUS_PREVIEW ? PANE_PREVIEW :
			a->focus == PANE_PREVIEW ? list_pane(a) : PANE_PREVIEW;
		screen_dirty(a, list_pane(a));
		screen_dirty(a, PANE_PREVIEW);
		screen_dirty(a, PANE_STATUS);
		return 1;
	case ACT_CANCEL:
		if (a->help_open) {
			a->help_open = 0;
			screen_dirty_all(a);
			return 1;
		}
		if (a->focus == PANE_PREVIEW) {
			a->focus = list_pane(a);
			screen_dirty_all(a);
			return 1;
		}
		return 0;   /* the tree closes, the search pane clears its query */
	case ACT_TREE_OPEN:
		if (a->help_open)
			return 0;
		if (!a->tree_open || a->focus != PANE_PREVIEW)
			tree_open_selected(a);
		else
			a->focus = PANE_TREE;
		screen_dirty_all(a);
		return 1;
	case ACT_DUPS_OPEN:
		if (a->help_open)
			return 0;
		dups_open(a);
		return 1;
	case ACT_IMPACT_DIFF:
		if (a->help_open)
			return 0;
		tree_diff_request(a);
		return 1;
	case ACT_HISTORY_BACK:
	case ACT_HISTORY_FORWARD:
		if (a->help_open)
			return 0;
		tree_history(a, act == ACT_HISTORY_BACK ? -1 : 1);
		return 1;
	case ACT_OPEN_EDITOR: {
		const char *file;
		int line;
		if (a->help_open)
			return 0;
		if (!preview_source(a, &file, &line) || !*file)
			status_notice(a, 1, "nothing selected to edit");
		else
			app_edit(a, file, line);
		return 1;
	}
	default:
		return 0;
	}
}

void keys_dispatch(struct app *a, int key)
{
	struct pane *p = &a->panes[a->help_open ? PANE_HELP : a->focus];
	int act = keymap_lookup(&a->km, p->ops->ctx, key);
	if (act == KEYMAP_UNBOUND)
		act = keymap_lookup(&a->km, CTX_GLOBAL, key);
	if (a->notice[0]) {   /* a key press dismisses a notice */
		a->notice[0] = 0;
		screen_dirty(a, PANE_STATUS);
	}
	if (act >= 0) {
		if (a->timings && a->t_action < 0) {
			a->t_action = act;
			a->t_start = now_seconds();
		}
		if (app_action(a, act))
			return;
		if (p->ops->action)
			p->ops->action(a, act);
		return;
	}
	if (act == KEYMAP_UNBOUND && p->ops->key)
		p->ops->key(a, key);
}
