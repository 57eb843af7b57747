/* preview.c — the source preview: the selected definition with the lines
 * around it, the target line highlighted, tabs expanded, and every byte of
 * the file passed through engine_visible before it reaches curses. */
#include "ui.h"

#define PV_TABSTOP 8

void preview_follow_later(struct app *a)
{
	a->pv_due = now_seconds() + PREVIEW_DELAY_MS / 1000.0;
}

int preview_tick(struct app *a)
{
	double left;
	if (a->pv_due <= 0)
		return -1;
	left = a->pv_due - now_seconds();
	if (left > 0)
		return (int)(left * 1000.0) + 1;
	preview_follow(a);
	return -1;
}

int preview_source(const struct app *a, const char **file, int *line)
{
	const struct engine_hit *h;
	if (a->tree_open) {
		/* the call site (a root: its definition); a name defined nowhere has none */
		if (!a->tcur_ok || !a->tcur.site_file[0])
			return 0;
		*file = a->tcur.site_file;
		*line = a->tcur.site_line;
		return 1;
	}
	h = search_pane_selected(a);
	if (!h)
		return 0;
	*file = h->file;
	*line = h->line;
	return 1;
}

void preview_follow(struct app *a)
{
	const char *file;
	int line;
	a->pv_due = 0;
	screen_dirty(a, PANE_PREVIEW);
	if (!preview_source(a, &file, &line)) {
		a->pv_line = 0;
		return;
	}
	if (!a->file_ok || !a->file.path || strcmp(a->file.path, file)) {
		struct strbuf err = STRBUF_INIT;
		engine_file_release(&a->file);
		a->file_ok = engine_read_file(a->eng, file, &a->file, &err) == 0;
		snprintf(a->file_err, sizeof(a->file_err), "%s", err.buf ? err.buf : "");
		sb_release(&err);
	}
	a->pv_line = line;
	a->pv_top = line - (a->pv_h > 6 ? a->pv_h / 3 : 1);
	if (a->pv_top < 1)
		a->pv_top = 1;
}

static void scroll_to(struct app *a, long top)
{
	long max = a->file_ok ? (long)a->file.nlines - a->pv_h + 1 : 1;
	if (top > max)
		top = max;
	if (top < 1)
		top = 1;
	if (top != a->pv_top) {
		a->pv_top = (int)top;
		screen_dirty(a, PANE_PREVIEW);
	}
}

static int preview_action(struct app *a, int act)
{
	long page = a->pv_h > 1 ? a->pv_h - 1 : 1;
	switch (act) {
	case ACT_MOVE_UP: scroll_to(a, a->pv_top - 1); return 1;
	case ACT_MOVE_DOWN: scroll_to(a, a->pv_top + 1); return 1;
	case ACT_PAGE_UP: scroll_to(a, a->pv_top - page); return 1;
	case ACT_PAGE_DOWN: scroll_to(a, a->pv_top + page); return 1;
	case ACT_HALF_PAGE_UP: scroll_to(a, a->pv_top - page / 2); return 1;
	case ACT_HALF_PAGE_DOWN: scroll_to(a, a->pv_top + page / 2); return 1;
	case ACT_MOVE_FIRST: scroll_to(a, 1); return 1;
	case ACT_MOVE_LAST: scroll_to(a, a->file_ok ? (long)a->file.nlines : 1); return 1;
	default: return 0;
	}
}

/* Impact mode's lists: the affected files, then the hits in test files. */
static void draw_impact_lists(struct app *a, WINDOW *w, int x0, int textw, int focused)
{
	const struct engine_impact *im = &a->imp;
	struct strbuf sb = STRBUF_INIT;
	int h = getmaxy(w), row = 1;
	char title[96];
	int tl = snprintf(title, sizeof(title), " affected: %zu file%s, %zu test%s ", im->files,
			  im->files == 1 ? "" : "s", im->tests, im->tests == 1 ? "" : "s");
	theme_hline(&a->th, w, 0, x0, textw);
	screen_put(w, 0, x0 + 1, title, (size_t)tl, textw - 1, focused ? a->th.title_focus : a->th.title);
	for (size_t i = 0; i < im->files && row < h; i++, row++) {
		sb_reset(&sb);
		sb_add_visible(&sb, im->file_list[i], strlen(im->file_list[i]));
		screen_put(w, row, x0 + 1, sb.buf, sb.len, textw - 1, a->th.code);
	}
	if (row < h && im->tests)
		screen_put(w, row++, x0, "tests:", 6, textw, a->th.title);
	for (size_t i = 0; i < im->tests && row < h; i++, row++) {
		struct engine_tree_node n;
		const struct engine_impact_hit *t = &im->hits[im->test_hits[i]];
		if (engine_tree_describe(a->eng, a->tree_gen, t->node, t->edge, ENGINE_CALLERS, &n) < 0)
			break;
		sb_reset(&sb);
		sb_add_visible(&sb, n.file, strlen(n.file));
		sb_addf(&sb, ":%d ", n.line);
		sb_adds(&sb, n.name);
		screen_put(w, row, x0 + 1, sb.buf, sb.len, textw - 1, a->th.code);
		engine_tree_node_release(&n);
	}
	sb_release(&sb);
}

static void preview_draw(struct app *a, WINDOW *w, int focused)
{
	int width = getmaxx(w), h = getmaxy(w), x0 = a->wide ? 2 : 0, textw;
	const char *file;
	int line, hit = preview_source(a, &file, &line);
	struct strbuf sb = STRBUF_INIT;
	char title[600];
	int tlen, numw = 4;
	wbkgdset(w, ' ' | a->th.code);   /* cleared cells match the text: no reset per line */
	werase(w);
	if (a->wide)
		theme_vline(&a->th, w, 0, 0, h);
	textw = width - x0;
	if (a->tree_open && a->impact && a->impact_lists) {
		draw_impact_lists(a, w, x0, textw, focused);
		return;
	}
	/* title row: a rule with the location in it */
	if (hit) {
		sb_add_visible(&sb, file, strlen(file));
		tlen = snprintf(title, sizeof(title), " %s:%d ", sb.buf ? sb.buf : "", line);
		sb_reset(&sb);
	} else {
		tlen = snprintf(title, sizeof(title), " preview ");
	}
	theme_hline(&a->th, w, 0, x0, textw);
	screen_put(w, 0, x0 + 1, title, (size_t)tlen, textw - 1, focused ? a->th.title_focus : a->th.title);
	if (!hit) {
		sb_release(&sb);
		return;
	}
	if (!a->file_ok) {
		sb_add_visible(&sb, a->file_err, strlen(a->file_err));
		screen_put(w, 1, x0, sb.buf ? sb.buf : "", sb.len, textw, a->th.error);
		sb_release(&sb);
		return;
	}
	/* line numbers beside the results only: stacked, the title carries the
	 * target's line, and the gutter's digits and colour changes were about
	 * a quarter of what a selection move sent (bench/tui-bytes.sh) */
	for (size_t n = a->file.nlines; n >= 10000; n /= 10)
		numw++;
	for (int row = 1; row < h; row++) {
		size_t ln = (size_t)a->pv_top + (size_t)row - 1, len;
		const char *s = engine_file_line(&a->file, ln, &len);
		int target = (int)ln == a->pv_line, tx = x0 + (a->wide ? numw + 1 : 0);
		char num[24];
		int used;
		if (!s)
			break;
		if (a->wide) {
			snprintf(num, sizeof(num), "%*zu ", numw, ln);
			screen_put(w, row, x0, num, strlen(num), textw, target ? a->th.target : a->th.lineno);
		}
		sb_reset(&sb);
		engine_visible(&sb, s, len, PV_TABSTOP, !a->th.utf8);
		used = screen_put(w, row, tx, sb.buf, sb.len, width - tx, target ? a->th.target : a->th.code);
		if (target) {
			wattrset(w, a->th.target);
			for (int x = tx + used; x < width; x++)
				mvwaddch(w, row, x, ' ');
			wattrset(w, A_NORMAL);
		}
	}
	sb_release(&sb);
}

const struct pane_ops preview_pane_ops = {
	.name = "preview",
	.ctx = CTX_PREVIEW,
	.draw = preview_draw,
	.action = preview_action,
	.key = NULL,
};
