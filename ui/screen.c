/* screen.c — curses set-up, the layout (stacked below UI_WIDE_COLS columns,
 * side by side above), dirty-pane tracking and the one redraw point:
 * dirty panes are drawn into their windows, wnoutrefresh'd, then a single
 * doupdate sends the difference to the terminal. */
#include "ui.h"

#include <wchar.h>

int screen_init(struct app *a)
{
	(void)a;
	if (!newterm(NULL, stdout, stdin)) {
		fprintf(stderr, "cidx-tui: cannot initialise the terminal '%s'\n", getenv("TERM"));
		return -1;
	}
	raw();          /* ^C, ^Z, ^Q arrive as keys: the keymap decides */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	leaveok(stdscr, FALSE);
	return 0;
}

void screen_end(void)
{
	if (!isendwin())
		endwin();
}

static void place(struct app *a, int id, int y, int x, int h, int w)
{
	struct pane *p = &a->panes[id];
	p->y = y;
	p->x = x;
	p->h = h;
	p->w = w;
	p->visible = h > 0 && w > 0;
	if (p->win) {
		delwin(p->win);
		p->win = NULL;
	}
	if (p->visible) {
		p->win = newwin(h, w, y, x);
		if (!p->win) {
			p->visible = 0;
			return;
		}
		keypad(p->win, TRUE);
		/* scrolling the source may use the terminal's line insert/delete */
		if (id == PANE_PREVIEW)
			idlok(p->win, TRUE);
	}
	p->dirty = 1;
}

void screen_layout(struct app *a)
{
	int rows = LINES, cols = COLS, body;
	a->rows = rows;
	a->cols = cols;
	a->too_small = rows < UI_MIN_ROWS || cols < UI_MIN_COLS;
	a->wide = cols >= UI_WIDE_COLS;
	a->laid_focus = a->focus == PANE_PREVIEW;
	erase();
	wnoutrefresh(stdscr);
	if (a->too_small) {
		for (int i = 0; i < PANE__COUNT; i++)
			place(a, i, 0, 0, 0, 0);
		return;
	}
	body = rows - 1;
	if (a->wide) {
		int sw = cols * 2 / 5;
		if (sw < 48)
			sw = 48;
		place(a, PANE_SEARCH, 0, 0, body, sw);
		place(a, PANE_TREE, 0, 0, body, sw);
		place(a, PANE_PREVIEW, 0, sw, body, cols - sw);
	} else {
		/* stacked: the focused side gets three fifths. Searching, that is
		 * the results (at 80x24 thirteen over eight lines of source: what a
		 * selection move repaints over SSH is mostly the preview's lines,
		 * bench/tui-bytes.sh); reading the preview, it is the source. */
		int sh = a->focus == PANE_PREVIEW ? body * 2 / 5 : body - body * 2 / 5;
		place(a, PANE_SEARCH, 0, 0, sh, cols);
		place(a, PANE_TREE, 0, 0, sh, cols);
		place(a, PANE_PREVIEW, sh, 0, body - sh, cols);
	}
	place(a, PANE_STATUS, rows - 1, 0, 1, cols);
	place(a, PANE_HELP, 0, 0, body, cols);
	place(a, PANE_DUPS, 0, 0, body, cols);
	a->list_h = a->panes[PANE_SEARCH].h - 1;
	/* keep the selection visible in the new list height, and the list
	 * full when it grew */
	if (a->list_h > 0 && a->sel >= a->top + (size_t)a->list_h)
		a->top = a->sel - (size_t)a->list_h + 1;
	if (a->list_h > 0 && a->top + (size_t)a->list_h > a->res.n)
		a->top = a->res.n > (size_t)a->list_h ? a->res.n - (size_t)a->list_h : 0;
	a->pv_h = a->panes[PANE_PREVIEW].h - 1;
	a->help_h = body - 2;
}

/* Stacked, the focused side has the room: lay out again when the focus
 * moved to or from the preview (after each key, so that the next key of a
 * burst already moves by the new heights). */
void screen_follow_focus(struct app *a)
{
	if (!a->wide && (a->focus == PANE_PREVIEW) != a->laid_focus)
		screen_layout(a);
}

void screen_dirty(struct app *a, int pane)
{
	a->panes[pane].dirty = 1;
}

void screen_dirty_all(struct app *a)
{
	for (int i = 0; i < PANE__COUNT; i++)
		a->panes[i].dirty = 1;
}

static void draw_too_small(struct app *a)
{
	char msg[128];
	int n;
	erase();
	n = snprintf(msg, sizeof(msg), "cidx-tui needs %dx%d (now %dx%d)",
		     UI_MIN_COLS, UI_MIN_ROWS, a->cols, a->rows);
	if (n > a->cols)
		n = snprintf(msg, sizeof(msg), "too small: %dx%d", a->cols, a->rows);
	mvaddnstr(a->rows / 2, n < a->cols ? (a->cols - n) / 2 : 0, msg, a->cols);
	if (a->rows > 1)
		mvaddnstr(a->rows / 2 + 1, 0, "enlarge the window, or ^C to quit", a->cols);
	wnoutrefresh(stdscr);
	doupdate();
}

void screen_draw(struct app *a)
{
	struct pane *focus;
	int cy = -1, cx = -1;
	if (a->too_small) {
		curs_set(0);
		draw_too_small(a);
		return;
	}
	screen_follow_focus(a);
	if (a->help_open) {
		struct pane *h = &a->panes[PANE_HELP];
		if (h->dirty && h->visible) {
			h->ops->draw(a, h->win, 1);
			wnoutrefresh(h->win);
		}
		h->dirty = 0;
		/* the panes under it must be redrawn when it closes */
		a->panes[PANE_SEARCH].dirty = a->panes[PANE_PREVIEW].dirty = a->panes[PANE_TREE].dirty = 1;
		a->panes[PANE_DUPS].dirty = 1;
	} else {
		/* the duplicates pane covers the list and the preview */
		const int shown[2] = { a->dups_open ? PANE_DUPS : list_pane(a), PANE_PREVIEW };
		for (int k = 0; k < 2 - a->dups_open; k++) {
			int i = shown[k];
			struct pane *p = &a->panes[i];
			if (p->dirty && p->visible) {
				p->ops->draw(a, p->win, a->focus == i);
				wnoutrefresh(p->win);
			}
			p->dirty = 0;
		}
	}
	if (a->panes[PANE_STATUS].dirty && a->panes[PANE_STATUS].visible) {
		struct pane *p = &a->panes[PANE_STATUS];
		p->ops->draw(a, p->win, 0);
		wnoutrefresh(p->win);
		p->dirty = 0;
	}
	/* the cursor sits in the query while the search pane has the focus */
	focus = &a->panes[PANE_SEARCH];
	if (!a->help_open && a->focus == PANE_SEARCH && focus->win) {
		getyx(focus->win, cy, cx);
		(void)cy;
		(void)cx;
		curs_set(1);
		wnoutrefresh(focus->win);
	} else {
		curs_set(0);
	}
	doupdate();
}

void screen_redraw_all(struct app *a)
{
	clearok(curscr, TRUE);
	screen_dirty_all(a);
	screen_draw(a);
}

int screen_put(WINDOW *w, int y, int x, const char *s, size_t n, int maxw, attr_t attr)
{
	mbstate_t ms;
	size_t i = 0;
	int cols = 0;
	memset(&ms, 0, sizeof(ms));
	while (i < n && s[i]) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, n - i, &ms);
		int cw;
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ms, 0, sizeof(ms));
			k = 1;
			cw = 1;
		} else {
			cw = wcwidth(wc);
			if (cw < 0)
				cw = 1;
		}
		if (cols + cw > maxw)
			break;
		cols += cw;
		i += k;
	}
	wattrset(w, attr);
	mvwaddnstr(w, y, x, s, (int)i);
	wattrset(w, A_NORMAL);
	return cols;
}
