/* search_pane.c — the query line and the ranked results: editing the query
 * (UTF-8 aware), asking the engine, drawing kind, name (matched characters
 * highlighted) and file:line, moving the selection. */
#include "ui.h"

static const struct {
	const char *kind, *abbr;
} kinds[] = {
	{ "function", "func" }, { "prototype", "proto" }, { "struct", "struct" },
	{ "union", "union" }, { "enum", "enum" }, { "typedef", "type" },
	{ "enumerator", "const" }, { "macro", "macro" }, { "function-macro", "macro" },
	{ "variable", "var" }, { "method", "method" }, { "class", "class" },
	{ "interface", "iface" }, { "trait", "trait" }, { "namespace", "ns" },
	{ "module", "module" },
};

static const char *kind_abbr(const char *k)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].kind, k))
			return kinds[i].abbr;
	return k;
}

const struct engine_hit *search_pane_selected(const struct app *a)
{
	return a->sel < a->res.n ? &a->res.hits[a->sel] : NULL;
}

void search_pane_submit(struct app *a)
{
	a->query[a->qlen] = 0;
	engine_search(a->eng, a->query, UI_RESULTS_MAX);
	a->pending = 1;
	screen_dirty(a, PANE_SEARCH);
}

/* After a refresh of the same query: the row of the definition that was
 * selected (same qualified name in the same file, the nearest line if it
 * moved), or -1 when it is gone. */
static long find_again(const struct app *a, const char *name, const char *file, int line)
{
	long best = -1;
	int dist = 0;
	for (size_t i = 0; i < a->res.n; i++) {
		const struct engine_hit *h = &a->res.hits[i];
		int d = h->line > line ? h->line - line : line - h->line;
		if (strcmp(h->qualified, name) || strcmp(h->file, file))
			continue;
		if (best < 0 || d < dist) {
			best = (long)i;
			dist = d;
		}
	}
	return best;
}

void search_pane_results(struct app *a)
{
	const struct engine_hit *old = search_pane_selected(a);
	char *keep_name = NULL, *keep_file = NULL;
	int keep_line = 0, same_query;
	size_t old_sel = a->sel, old_top = a->top;
	struct engine_results r = { 0 };
	if (!engine_take_results(a->eng, &r))
		return;
	a->query[a->qlen] = 0;
	if (strcmp(r.query, a->query)) {   /* an older query's answer: a newer one is coming */
		engine_results_release(&r);
		return;
	}
	a->pending = 0;
	same_query = a->res.query && !strcmp(a->res.query, r.query);
	if (same_query && old) {   /* a refresh: keep the selection on the same definition */
		keep_name = xstrdup(old->qualified);
		keep_file = xstrdup(old->file);
		keep_line = old->line;
	}
	engine_results_release(&a->res);
	a->res = r;
	a->searched_gen = r.generation;
	if (!same_query) {
		a->sel = 0;
		a->top = 0;
	} else if (keep_name) {
		long at = find_again(a, keep_name, keep_file, keep_line);
		if (at >= 0) {
			a->sel = (size_t)at;
		} else {
			/* gone: its neighbour, the row that took its place */
			a->sel = old_sel < a->res.n ? old_sel : a->res.n ? a->res.n - 1 : 0;
			status_notice(a, 0, "%s is gone; selection moved", keep_name);
		}
		/* the selection stays on the same screen row where it can */
		a->top = a->sel >= old_sel - old_top ? a->sel - (old_sel - old_top) : 0;
	}
	free(keep_name);
	free(keep_file);
	screen_dirty(a, PANE_SEARCH);
	preview_follow(a);
}

/* ---- query editing -------------------------------------------------------- */

static size_t prev_char(const struct app *a, size_t i)
{
	while (i > 0 && ((unsigned char)a->query[--i] & 0xc0) == 0x80)
		;
	return i;
}

static size_t next_char(const struct app *a, size_t i)
{
	if (i < a->qlen)
		i++;
	while (i < a->qlen && ((unsigned char)a->query[i] & 0xc0) == 0x80)
		i++;
	return i;
}

static void delete_range(struct app *a, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(a->query + from, a->query + to, a->qlen - to);
	a->qlen -= to - from;
	a->query[a->qlen] = 0;
	a->qcur = from;
	search_pane_submit(a);
}

static void insert_text(struct app *a, const char *s, size_t n)
{
	if (a->qlen + n >= sizeof(a->query))
		return;
	memmove(a->query + a->qcur + n, a->query + a->qcur, a->qlen - a->qcur);
	memcpy(a->query + a->qcur, s, n);
	a->qlen += n;
	a->qcur += n;
	a->query[a->qlen] = 0;
	search_pane_submit(a);
}

static int encode_utf8(int cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int search_key(struct app *a, int key)
{
	char buf[4];
	if (key < 0x20 || key == 0x7f || key >= KC_BASE || (key >= 0x80 && key < 0xa0))
		return 0;
	insert_text(a, buf, (size_t)encode_utf8(key, buf));
	return 1;
}

/* ---- selection ---------------------------------------------------------- */

static void select_row(struct app *a, long to)
{
	size_t old = a->sel;
	if (!a->res.n)
		return;
	if (to < 0)
		to = 0;
	if ((size_t)to >= a->res.n)
		to = (long)a->res.n - 1;
	a->sel = (size_t)to;
	if (a->sel < a->top)
		a->top = a->sel;
	if (a->list_h > 0 && a->sel >= a->top + (size_t)a->list_h)
		a->top = a->sel - (size_t)a->list_h + 1;
	if (a->sel != old) {
		screen_dirty(a, PANE_SEARCH);
		preview_follow_later(a);
	}
}

static int search_action(struct app *a, int act)
{
	long page = a->list_h > 1 ? a->list_h - 1 : 1;
	switch (act) {
	case ACT_MOVE_UP: select_row(a, (long)a->sel - 1); return 1;
	case ACT_MOVE_DOWN: select_row(a, (long)a->sel + 1); return 1;
	case ACT_PAGE_UP: select_row(a, (long)a->sel - page); return 1;
	case ACT_PAGE_DOWN: select_row(a, (long)a->sel + page); return 1;
	case ACT_HALF_PAGE_UP: select_row(a, (long)a->sel - page / 2); return 1;
	case ACT_HALF_PAGE_DOWN: select_row(a, (long)a->sel + page / 2); return 1;
	case ACT_MOVE_FIRST: select_row(a, 0); return 1;
	case ACT_MOVE_LAST: select_row(a, (long)a->res.n - 1); return 1;
	case ACT_CURSOR_LEFT: a->qcur = prev_char(a, a->qcur); break;
	case ACT_CURSOR_RIGHT: a->qcur = next_char(a, a->qcur); break;
	case ACT_CURSOR_HOME: a->qcur = 0; break;
	case ACT_CURSOR_END: a->qcur = a->qlen; break;
	case ACT_DELETE_BACK: delete_range(a, prev_char(a, a->qcur), a->qcur); break;
	case ACT_DELETE_CHAR: delete_range(a, a->qcur, next_char(a, a->qcur)); break;
	case ACT_DELETE_WORD: {
		size_t i = a->qcur;
		while (i > 0 && a->query[i - 1] == ' ')
			i--;
		while (i > 0 && a->query[i - 1] != ' ')
			i--;
		delete_range(a, i, a->qcur);
		break;
	}
	case ACT_KILL_LINE: delete_range(a, a->qcur, a->qlen); break;
	case ACT_CLEAR_QUERY:
	case ACT_CANCEL: delete_range(a, 0, a->qlen); break;
	default: return 0;
	}
	screen_dirty(a, PANE_SEARCH);
	return 1;
}

/* ---- drawing -------------------------------------------------------------- */

static void draw_name(struct app *a, WINDOW *w, int y, int x, int maxw, const struct engine_hit *h)
{
	const char *s = h->qualified;
	size_t n = strlen(s), p = 0;
	attr_t base = a->th.normal, hi = a->th.match;
	/* runs of matched / unmatched bytes */
	for (size_t i = 0; i < n && maxw > 0; ) {
		int matched = p < h->npos && h->pos[p] == i;
		size_t j = i + 1;
		if (matched) {
			p++;
			while (j < n && p < h->npos && h->pos[p] == j) {
				p++;
				j++;
			}
		} else {
			while (j < n && !(p < h->npos && h->pos[p] == j))
				j++;
		}
		{
			int used = screen_put(w, y, x, s + i, j - i, maxw, matched ? hi : base);
			x += used;
			maxw -= used;
		}
		i = j;
	}
}

/* A row: the selection is shown by the marker and the kind's highlight,
 * so moving it rewrites the first eight cells of two rows, not two whole
 * rows or two names (bench/tui-bytes.sh: what a keystroke costs over SSH). */
static void draw_row(struct app *a, WINDOW *w, int y, int width, size_t idx)
{
	const struct engine_hit *h = &a->res.hits[idx];
	int selected = idx == a->sel;
	char loc[512];
	int loclen, namew, x;
	const char *file = h->file;
	wattrset(w, A_NORMAL);
	screen_put(w, y, 0, selected ? ">" : " ", 1, 1, selected ? a->th.marker : A_NORMAL);
	{
		char kind[16];
		int kl = snprintf(kind, sizeof(kind), "%-6.6s", kind_abbr(h->kind));
		screen_put(w, y, 2, kind, (size_t)kl, 6, selected ? a->th.sel_tab : a->th.kind);
	}
	/* file:line on the right, shortened from the left when needed */
	loclen = snprintf(loc, sizeof(loc), "%s:%d", file, h->line);
	if (loclen > width / 2) {
		int cut = loclen - width / 2 + 2;
		if (cut < loclen) {
			memmove(loc + 2, loc + cut, (size_t)(loclen - cut + 1));
			loc[0] = loc[1] = '.';
			loclen = (int)strlen(loc);
		}
	}
	x = 9;
	namew = width - x - loclen - 2;
	if (namew < 8)
		namew = width - x;
	draw_name(a, w, y, x, namew, h);
	if (namew < width - x)
		screen_put(w, y, width - loclen - 1, loc, (size_t)loclen, loclen, a->th.dim);
	wattrset(w, A_NORMAL);
}

static void search_draw(struct app *a, WINDOW *w, int focused)
{
	int width = getmaxx(w), h = getmaxy(w), cx;
	char count[96];
	int clen;
	struct strbuf q = STRBUF_INIT;
	werase(w);
	/* the query line */
	if (a->res.error)
		clen = snprintf(count, sizeof(count), " bad query ");
	else if (!a->st.have_table)
		clen = snprintf(count, sizeof(count), " %s ", a->st.phase == ENGINE_FAILED ? "no index" : "loading");
	else
		clen = snprintf(count, sizeof(count), " %zu/%zu%s ", a->res.n < a->res.total ? a->res.n : a->res.total,
				a->res.total, a->pending ? "*" : "");
	screen_put(w, 0, 0, "> ", 2, 2, focused ? a->th.title_focus : a->th.title);
	engine_visible(&q, a->query, a->qcur, 1, !a->th.utf8);
	cx = 2 + screen_put(w, 0, 2, q.buf, q.len, width - clen - 3, A_NORMAL);
	sb_reset(&q);
	engine_visible(&q, a->query + a->qcur, a->qlen - a->qcur, 1, !a->th.utf8);
	screen_put(w, 0, cx, q.buf, q.len, width - clen - 1 - cx, A_NORMAL);
	sb_release(&q);
	screen_put(w, 0, width - clen, count, (size_t)clen, clen, a->res.error ? a->th.error : a->th.dim);
	if (a->res.error && h > 1) {
		screen_put(w, 1, 2, a->res.error, strlen(a->res.error), width - 2, a->th.error);
	} else {
		for (int row = 1; row < h; row++) {
			size_t idx = a->top + (size_t)row - 1;
			if (idx >= a->res.n)
				break;
			draw_row(a, w, row, width, idx);
		}
		if (!a->res.n && a->st.have_table && !a->pending && h > 1) {
			const char *m = a->st.phase == ENGINE_INDEXING ? "no matches yet (indexing)" : "no matches";
			screen_put(w, 1, 2, m, strlen(m), width - 2, a->th.dim);
		}
	}
	wmove(w, 0, cx < width ? cx : width - 1);
}

const struct pane_ops search_pane_ops = {
	.name = "search",
	.ctx = CTX_SEARCH,
	.draw = search_draw,
	.action = search_action,
	.key = search_key,
};
