/* theme.c — how things look: colours by what the terminal offers (256, 8
 * or none; NO_COLOR turns them off) and line drawing by locale (UTF-8 box
 * characters, or ASCII). Attributes only; drawing is in the panes. */
#include "ui.h"

enum { P_MATCH = 1, P_SEL, P_TARGET, P_LINENO, P_KIND, P_TITLE, P_ERROR, P_HINT, P_BORDER, P_SEL_TAB, P_CODE };

void theme_init(struct theme *th, int utf8, int no_color)
{
	memset(th, 0, sizeof(*th));
	th->utf8 = utf8;
	th->colors = 0;
	if (!no_color && has_colors() && start_color() == OK) {
		use_default_colors();
		th->colors = COLORS >= 256 ? 256 : COLORS >= 8 ? 8 : 0;
	}
	th->normal = A_NORMAL;
	th->code = A_NORMAL;
	th->title = A_BOLD;
	th->title_focus = A_BOLD | A_UNDERLINE;
	th->dim = A_NORMAL;
	th->match = A_BOLD | A_UNDERLINE;
	th->sel = A_REVERSE;
	th->sel_tab = A_REVERSE;
	th->marker = A_BOLD;
	th->target = A_REVERSE;
	th->lineno = A_NORMAL;
	th->kind = A_NORMAL;
	th->error = A_BOLD;
	th->hint = A_NORMAL;
	th->border = A_NORMAL;
	if (th->colors == 256) {
		init_pair(P_MATCH, 214, -1);
		init_pair(P_SEL, -1, 237);
		init_pair(P_TARGET, -1, 238);
		/* colour 8 (grey) rather than 243: its escape is 5 bytes, not 11,
		 * and it is written on every preview line */
		init_pair(P_LINENO, 8, -1);
		init_pair(P_KIND, 109, -1);
		init_pair(P_TITLE, 75, -1);
		init_pair(P_ERROR, 203, -1);
		init_pair(P_HINT, 245, -1);
		init_pair(P_BORDER, 240, -1);
		init_pair(P_SEL_TAB, COLOR_BLACK, 214);
	} else if (th->colors == 8) {
		init_pair(P_MATCH, COLOR_YELLOW, -1);
		init_pair(P_SEL, COLOR_BLACK, COLOR_WHITE);
		init_pair(P_TARGET, COLOR_BLACK, COLOR_CYAN);
		init_pair(P_LINENO, COLOR_BLUE, -1);
		init_pair(P_KIND, COLOR_CYAN, -1);
		init_pair(P_TITLE, COLOR_BLUE, -1);
		init_pair(P_ERROR, COLOR_RED, -1);
		init_pair(P_HINT, COLOR_BLUE, -1);
		init_pair(P_BORDER, COLOR_BLUE, -1);
		init_pair(P_SEL_TAB, COLOR_BLACK, COLOR_YELLOW);
	}
	if (th->colors) {
		/* source text as a colour pair of the terminal's own colours: moving
		 * between it and the line numbers is one short colour change, not a
		 * full attribute reset per line */
		init_pair(P_CODE, -1, -1);
		th->code = COLOR_PAIR(P_CODE);
		/* colour alone, no bold: a terminal turns bold off only with a
		 * full reset, which every highlighted run would then pay for */
		th->match = COLOR_PAIR(P_MATCH);
		th->sel = COLOR_PAIR(P_SEL);
		th->sel_tab = COLOR_PAIR(P_SEL_TAB);
		th->marker = COLOR_PAIR(P_MATCH);
		th->target = COLOR_PAIR(P_TARGET);
		th->lineno = COLOR_PAIR(P_LINENO);
		th->kind = COLOR_PAIR(P_KIND);
		th->title_focus = COLOR_PAIR(P_TITLE) | A_BOLD;
		th->error = COLOR_PAIR(P_ERROR) | A_BOLD;
		th->hint = COLOR_PAIR(P_HINT);
		th->border = COLOR_PAIR(P_BORDER);
		th->dim = COLOR_PAIR(P_HINT);
	}
}

void theme_hline(const struct theme *th, WINDOW *w, int y, int x, int n)
{
	wattrset(w, th->border);
	wmove(w, y, x);
	for (int i = 0; i < n; i++)
		waddstr(w, th->utf8 ? "\xe2\x94\x80" : "-");
	wattrset(w, A_NORMAL);
}

void theme_vline(const struct theme *th, WINDOW *w, int y, int x, int n)
{
	wattrset(w, th->border);
	for (int i = 0; i < n; i++)
		mvwaddstr(w, y + i, x, th->utf8 ? "\xe2\x94\x82" : "|");
	wattrset(w, A_NORMAL);
}
