/* dups_pane.c — the duplicates pane: the engine's clusters (exact duplicate
 * files, exact definitions, near duplicates) under a summary line and the
 * session's cache statistics; a cluster's members; and a diff of two of them
 * (side by side from UI_WIDE_COLS columns, unified below). It owns struct
 * dups_view: the newest report taken from the engine, the selections, and
 * the two bodies being compared. Everything read from files is shown
 * through engine_visible. */
#include "ui.h"
#include "linediff.h"

#include <limits.h>

#define DUPS_HEAD 4          /* title, summary, cache statistics, view heading */

enum dups_level { LV_CLUSTERS, LV_MEMBERS, LV_DIFF };

/* A member as the pane remembers it across reports. */
struct member_id {
	char *file, *name;
};

struct dups_view {
	struct engine_dups rep;
	int have;                /* a report arrived */
	int asked;               /* the engine was asked */
	struct engine_cache_stats cache;
	int level;               /* enum dups_level */
	int prev_focus;          /* where Esc at the top goes back to */
	size_t csel, ctop;       /* clusters */
	size_t cl;               /* the cluster of the members and diff views */
	size_t msel, mtop;       /* members */
	long mark[2];            /* marked members, in marking order; -1 none */
	/* the diff: members da and db of cluster cl, their bodies' lines */
	size_t da, db;
	struct engine_file fa, fb;
	struct ld_line *la, *lb;
	size_t na, nb;
	struct ld_edit *uni, *sbs;   /* unified edits, side-by-side rows */
	size_t nuni, nsbs;
	char *diff_err;          /* why there is no diff (visible text), else NULL */
	size_t dtop;             /* first diff row shown */
	int list_h;              /* rows of list or diff on screen */
};

static struct dups_view *view(struct app *a)
{
	if (!a->dups) {
		a->dups = xcalloc(1, sizeof(*a->dups));
		a->dups->mark[0] = a->dups->mark[1] = -1;
	}
	return a->dups;
}

static const struct engine_dup_cluster *cur_cluster(const struct dups_view *v)
{
	return v->cl < v->rep.n ? &v->rep.c[v->cl] : NULL;
}

/* ---- the diff ------------------------------------------------------------------ */

static void diff_clear(struct dups_view *v)
{
	engine_file_release(&v->fa);
	engine_file_release(&v->fb);
	free(v->la);
	free(v->lb);
	free(v->uni);
	free(v->sbs);
	free(v->diff_err);
	v->la = v->lb = NULL;
	v->uni = v->sbs = NULL;
	v->diff_err = NULL;
	v->na = v->nb = v->nuni = v->nsbs = 0;
	v->dtop = 0;
}

/* The lines of member m (its definition, or the whole file) from f. */
static struct ld_line *body_lines(const struct engine_file *f, const struct engine_dup_member *m,
				  size_t *n)
{
	size_t first = m->line > 0 ? (size_t)m->line : 1;
	size_t last = m->end_line > 0 ? (size_t)m->end_line : f->nlines;
	struct ld_line *l;
	*n = 0;
	if (last > f->nlines)
		last = f->nlines;
	l = xcalloc(last >= first ? last - first + 1 : 1, sizeof(*l));
	for (size_t i = first; i <= last; i++) {
		size_t len;
		const char *s = engine_file_line(f, i, &len);
		if (!s)
			break;
		l[*n].s = s;
		l[(*n)++].len = len;
	}
	return l;
}

static int read_member(struct app *a, const struct engine_dup_member *m, struct engine_file *f)
{
	struct strbuf err = STRBUF_INIT;
	if (engine_read_file(a->eng, m->file, f, &err) == 0)
		return 0;
	a->dups->diff_err = xstrdup(err.buf ? err.buf : "cannot read the file");
	sb_release(&err);
	return -1;
}

/* The two members to compare: the marked ones, filled up in order. */
static void pick_pair(const struct dups_view *v, size_t n, size_t *x, size_t *y)
{
	size_t got[2], k = 0;
	for (int i = 0; i < 2; i++)
		if (v->mark[i] >= 0 && (size_t)v->mark[i] < n)
			got[k++] = (size_t)v->mark[i];
	for (size_t i = 0; k < 2 && i < n; i++)
		if (!(k == 1 && got[0] == i))
			got[k++] = i;
	if (k == 2 && got[0] > got[1]) {   /* in the cluster's order: left is first */
		size_t t = got[0];
		got[0] = got[1];
		got[1] = t;
	}
	*x = got[0];
	*y = k > 1 ? got[1] : got[0];
}

static void diff_build(struct app *a)
{
	struct dups_view *v = a->dups;
	const struct engine_dup_cluster *c = cur_cluster(v);
	long n;
	diff_clear(v);
	if (!c || c->n < 2) {
		v->diff_err = xstrdup("no two members to compare");
		return;
	}
	pick_pair(v, c->n, &v->da, &v->db);
	if (read_member(a, &c->m[v->da], &v->fa) < 0 || read_member(a, &c->m[v->db], &v->fb) < 0)
		return;
	v->la = body_lines(&v->fa, &c->m[v->da], &v->na);
	v->lb = body_lines(&v->fb, &c->m[v->db], &v->nb);
	n = linediff(v->la, v->na, v->lb, v->nb, &v->uni);
	if (n < 0) {
		v->diff_err = xasprintf("too large to compare (%zu and %zu lines)", v->na, v->nb);
		return;
	}
	v->nuni = (size_t)n;
	v->nsbs = linediff_side_by_side(v->uni, v->nuni, &v->sbs);
}

/* ---- keeping the selection across reports ----------------------------------------- */

static int member_is(const struct engine_dup_member *m, const struct member_id *id)
{
	return id->file && !strcmp(m->file, id->file) && !strcmp(m->name, id->name);
}

static void id_take(struct member_id *id, const struct engine_dup_member *m)
{
	id->file = m ? xstrdup(m->file) : NULL;
	id->name = m ? xstrdup(m->name) : NULL;
}

static void id_release(struct member_id *id)
{
	free(id->file);
	free(id->name);
}

/* The cluster of the new report holding member id (of the same kind), or
 * SIZE_MAX. */
static size_t find_cluster(const struct engine_dups *r, int kind, const struct member_id *id)
{
	for (size_t i = 0; i < r->n; i++)
		for (size_t k = 0; r->c[i].kind == kind && k < r->c[i].n; k++)
			if (member_is(&r->c[i].m[k], id))
				return i;
	return SIZE_MAX;
}

static long find_member(const struct engine_dup_cluster *c, const struct member_id *id)
{
	for (size_t k = 0; c && k < c->n; k++)
		if (member_is(&c->m[k], id))
			return (long)k;
	return -1;
}

/* A new report: keep the cluster, the member and the marks by identity; a
 * cluster that is gone takes the view back to the list. */
static void take_report(struct app *a, struct engine_dups *fresh)
{
	struct dups_view *v = a->dups;
	const struct engine_dup_cluster *old = cur_cluster(v), *sel;
	struct member_id ids[3];   /* the selected cluster's first member, the shown one's, msel's */
	struct member_id marks[2];
	int kind_sel = -1, kind_cl = old ? old->kind : -1;
	size_t i;
	sel = v->csel < v->rep.n ? &v->rep.c[v->csel] : NULL;
	if (sel)
		kind_sel = sel->kind;
	id_take(&ids[0], sel ? &sel->m[0] : NULL);
	id_take(&ids[1], old ? &old->m[0] : NULL);
	id_take(&ids[2], old && v->msel < old->n ? &old->m[v->msel] : NULL);
	for (int k = 0; k < 2; k++)
		id_take(&marks[k], old && v->mark[k] >= 0 && (size_t)v->mark[k] < old->n ? &old->m[v->mark[k]] : NULL);
	engine_dups_release(&v->rep);
	v->rep = *fresh;
	memset(fresh, 0, sizeof(*fresh));
	v->have = 1;
	i = find_cluster(&v->rep, kind_sel, &ids[0]);
	v->csel = i != SIZE_MAX ? i : v->csel < v->rep.n ? v->csel : v->rep.n ? v->rep.n - 1 : 0;
	if (v->level > LV_CLUSTERS) {
		i = find_cluster(&v->rep, kind_cl, &ids[1]);
		if (i == SIZE_MAX) {
			v->level = LV_CLUSTERS;
			diff_clear(v);
			status_notice(a, 0, "the cluster shown is gone: back to the list");
		} else {
			long m = find_member(&v->rep.c[i], &ids[2]);
			v->cl = i;
			v->csel = i;
			v->msel = m >= 0 ? (size_t)m : 0;
			for (int k = 0; k < 2; k++)
				v->mark[k] = find_member(&v->rep.c[i], &marks[k]);
			if (v->level == LV_DIFF) {
				size_t top = v->dtop;
				diff_build(a);
				v->dtop = top;
			}
		}
	}
	for (int k = 0; k < 3; k++)
		id_release(&ids[k]);
	id_release(&marks[0]);
	id_release(&marks[1]);
}

void dups_engine_changed(struct app *a)
{
	struct dups_view *v = a->dups;
	struct engine_dups fresh;
	struct engine_cache_stats cs;
	if (!v || !v->asked)
		return;
	memset(&fresh, 0, sizeof(fresh));
	if (engine_take_dups(a->eng, &fresh)) {
		take_report(a, &fresh);
		screen_dirty(a, PANE_DUPS);
	}
	engine_cache_stats(a->eng, &cs);
	if (memcmp(&cs, &v->cache, sizeof(cs))) {
		v->cache = cs;
		screen_dirty(a, PANE_DUPS);
	}
}

void dups_open(struct app *a)
{
	struct dups_view *v = view(a);
	if (!v->asked) {
		struct strbuf err = STRBUF_INIT;
		if (engine_dups_request(a->eng, &err) < 0) {
			status_notice(a, 1, "%s", err.buf ? err.buf : "cannot find duplicates");
			sb_release(&err);
			return;
		}
		sb_release(&err);
		v->asked = 1;
	}
	if (!a->dups_open)
		v->prev_focus = a->focus == PANE_PREVIEW ? PANE_PREVIEW : list_pane(a);
	a->dups_open = 1;
	a->focus = PANE_DUPS;
	dups_engine_changed(a);
	screen_dirty_all(a);
}

static void dups_close(struct app *a)
{
	a->dups_open = 0;
	a->focus = a->dups->prev_focus;
	screen_dirty_all(a);
}

void dups_release(struct app *a)
{
	if (!a->dups)
		return;
	diff_clear(a->dups);
	engine_dups_release(&a->dups->rep);
	free(a->dups);
	a->dups = NULL;
}

/* ---- keys -------------------------------------------------------------------------- */

static size_t level_rows(const struct dups_view *v, int wide)
{
	const struct engine_dup_cluster *c = cur_cluster(v);
	switch (v->level) {
	case LV_CLUSTERS: return v->rep.n;
	case LV_MEMBERS: return c ? c->n : 0;
	default: return v->diff_err ? 0 : wide ? v->nsbs : v->nuni;
	}
}

/* Move the selection (or, in the diff, the first row) to `to`, clamped. */
static void move_to(struct app *a, long to)
{
	struct dups_view *v = a->dups;
	size_t n = level_rows(v, a->cols >= UI_WIDE_COLS);
	size_t *p = v->level == LV_CLUSTERS ? &v->csel : v->level == LV_MEMBERS ? &v->msel : &v->dtop;
	if (v->level == LV_DIFF)   /* scrolling: the last page stays full */
		n = n > (size_t)v->list_h ? n - (size_t)v->list_h + 1 : 1;
	if (!n)
		return;
	if (to < 0)
		to = 0;
	if ((size_t)to >= n)
		to = (long)n - 1;
	if (*p != (size_t)to) {
		*p = (size_t)to;
		screen_dirty(a, PANE_DUPS);
	}
}

static void toggle_mark(struct app *a)
{
	struct dups_view *v = a->dups;
	long m = (long)v->msel;
	if (v->mark[0] == m) {            /* unmark the first: the second moves up */
		v->mark[0] = v->mark[1];
		v->mark[1] = -1;
	} else if (v->mark[1] == m) {
		v->mark[1] = -1;
	} else if (v->mark[0] < 0) {
		v->mark[0] = m;
	} else if (v->mark[1] < 0) {
		v->mark[1] = m;
	} else {                          /* a third: the oldest mark goes */
		v->mark[0] = v->mark[1];
		v->mark[1] = m;
	}
	screen_dirty(a, PANE_DUPS);
}

static void enter(struct app *a)
{
	struct dups_view *v = a->dups;
	if (v->level == LV_CLUSTERS && v->csel < v->rep.n) {
		v->cl = v->csel;
		v->msel = v->mtop = 0;
		v->mark[0] = v->mark[1] = -1;
		v->level = LV_MEMBERS;
	} else if (v->level == LV_MEMBERS) {
		diff_build(a);
		v->level = LV_DIFF;
	}
	screen_dirty(a, PANE_DUPS);
}

/* One view back; from the clusters, close the pane. */
static void back(struct app *a, int may_close)
{
	struct dups_view *v = a->dups;
	if (v->level == LV_DIFF) {
		diff_clear(v);
		v->level = LV_MEMBERS;
	} else if (v->level == LV_MEMBERS) {
		v->level = LV_CLUSTERS;
	} else if (may_close) {
		dups_close(a);
		return;
	}
	screen_dirty(a, PANE_DUPS);
}

static void edit_selected(struct app *a)
{
	struct dups_view *v = a->dups;
	const struct engine_dup_cluster *c = v->level == LV_CLUSTERS ?
		(v->csel < v->rep.n ? &v->rep.c[v->csel] : NULL) : cur_cluster(v);
	const struct engine_dup_member *m;
	if (!c || !c->n) {
		status_notice(a, 1, "nothing selected to edit");
		return;
	}
	m = &c->m[v->level == LV_MEMBERS && v->msel < c->n ? v->msel : v->level == LV_DIFF ? v->da : 0];
	app_edit(a, m->file, m->line);
}

static int dups_action(struct app *a, int act)
{
	struct dups_view *v = a->dups;
	long page = v->list_h > 1 ? v->list_h - 1 : 1;
	long cur = (long)(v->level == LV_CLUSTERS ? v->csel : v->level == LV_MEMBERS ? v->msel : v->dtop);
	switch (act) {
	case ACT_MOVE_UP: move_to(a, cur - 1); return 1;
	case ACT_MOVE_DOWN: move_to(a, cur + 1); return 1;
	case ACT_PAGE_UP: move_to(a, cur - page); return 1;
	case ACT_PAGE_DOWN: move_to(a, cur + page); return 1;
	case ACT_HALF_PAGE_UP: move_to(a, cur - page / 2); return 1;
	case ACT_HALF_PAGE_DOWN: move_to(a, cur + page / 2); return 1;
	case ACT_MOVE_FIRST: move_to(a, 0); return 1;
	case ACT_MOVE_LAST: move_to(a, LONG_MAX); return 1;
	case ACT_DUPS_ENTER: enter(a); return 1;
	case ACT_DUPS_BACK: back(a, 0); return 1;
	case ACT_CANCEL: back(a, 1); return 1;
	case ACT_DUPS_MARK:
		if (v->level == LV_MEMBERS)
			toggle_mark(a);
		return 1;
	case ACT_OPEN_EDITOR: edit_selected(a); return 1;
	case ACT_DUPS_OPEN: return 1;   /* already open */
	default: return 0;
	}
}

/* ---- drawing ----------------------------------------------------------------------- */

/* Put text (visible already) and return the new column. */
static int put(WINDOW *w, int y, int x, int width, const char *s, attr_t attr)
{
	return x < width ? x + screen_put(w, y, x, s, strlen(s), width - x, attr) : x;
}

/* Raw file text at (y, x), made visible, clipped to maxw columns. */
static void put_raw(struct app *a, WINDOW *w, int y, int x, int maxw, const char *s, size_t n, attr_t attr)
{
	struct strbuf sb = STRBUF_INIT;
	engine_visible(&sb, s, n, 8, !a->th.utf8);
	if (maxw > 0)
		screen_put(w, y, x, sb.buf, sb.len, maxw, attr);
	sb_release(&sb);
}

static void fill_row(WINDOW *w, int y, int width, attr_t attr)
{
	wattrset(w, attr);
	wmove(w, y, 0);
	for (int i = 0; i < width; i++)
		waddch(w, ' ');
	wattrset(w, A_NORMAL);
}

/* "exact-file", "exact" or "near 0.93". */
static void kind_label(const struct engine_dup_cluster *c, char *buf, size_t n)
{
	if (c->kind == ENGINE_DUP_FILE)
		snprintf(buf, n, "exact-file");
	else if (c->kind == ENGINE_DUP_EXACT)
		snprintf(buf, n, "exact");
	else
		snprintf(buf, n, "near %.2f", c->sim);
}

/* A member's place: "src/a.c:7-25" (a whole file: its path). */
static void member_place(struct strbuf *sb, const struct engine_dup_member *m)
{
	sb_add_visible(sb, m->file, strlen(m->file));
	if (m->line > 0)
		sb_addf(sb, ":%d-%d", m->line, m->end_line);
}

static void draw_cluster_row(struct app *a, WINDOW *w, int y, int width, size_t i)
{
	const struct engine_dup_cluster *c = &a->dups->rep.c[i];
	int sel = i == a->dups->csel, x;
	attr_t base = sel ? a->th.sel : a->th.normal;
	struct strbuf sb = STRBUF_INIT;
	char label[32];
	fill_row(w, y, width, base);
	kind_label(c, label, sizeof(label));
	x = put(w, y, 0, width, sel ? "> " : "  ", base);
	sb_addf(&sb, "%-10s", label);
	x = put(w, y, x, width, sb.buf, sel ? a->th.sel : c->kind == ENGINE_DUP_NEAR ? a->th.kind : a->th.match);
	sb_reset(&sb);
	if (c->kind == ENGINE_DUP_FILE)
		sb_addf(&sb, "  %zu files  %llu bytes each  ", c->n, (unsigned long long)c->size);
	else
		sb_addf(&sb, "  %zu definitions  %llu lines  ", c->n, (unsigned long long)c->lines);
	x = put(w, y, x, width, sb.buf, base);
	for (size_t k = 0; k < c->n && x < width; k++) {
		sb_reset(&sb);
		if (k)
			sb_adds(&sb, ", ");
		if (c->m[k].name[0])
			sb_addf(&sb, "%s ", c->m[k].name);
		member_place(&sb, &c->m[k]);
		x = put(w, y, x, width, sb.buf, sel ? a->th.sel : a->th.dim);
	}
	sb_release(&sb);
}

static void draw_member_row(struct app *a, WINDOW *w, int y, int width, size_t i)
{
	struct dups_view *v = a->dups;
	const struct engine_dup_cluster *c = cur_cluster(v);
	const struct engine_dup_member *m = &c->m[i];
	int sel = i == v->msel, x;
	attr_t base = sel ? a->th.sel : a->th.normal;
	struct strbuf sb = STRBUF_INIT;
	fill_row(w, y, width, base);
	x = put(w, y, 0, width, sel ? "> " : "  ", base);
	x = put(w, y, x, width, v->mark[0] == (long)i ? "[1] " : v->mark[1] == (long)i ? "[2] " : "[ ] ",
		sel ? a->th.sel : a->th.match);
	sb_addf(&sb, "%zu. ", i + 1);
	if (m->name[0])
		sb_addf(&sb, "%s  ", m->name);
	x = put(w, y, x, width, sb.buf, base);
	sb_reset(&sb);
	member_place(&sb, m);
	x = put(w, y, x, width, sb.buf, sel ? a->th.sel : a->th.dim);
	sb_reset(&sb);
	if (c->kind != ENGINE_DUP_FILE)
		sb_addf(&sb, "  %u tokens", m->tokens);
	if (c->kind == ENGINE_DUP_NEAR)
		sb_addf(&sb, "  %.2f with %zu", m->sim, m->with + 1);
	put(w, y, x, width, sb.buf, base);
	sb_release(&sb);
}

/* A unified diff row: mark and text. */
static void draw_unified_row(struct app *a, WINDOW *w, int y, int width, const struct ld_edit *e)
{
	struct dups_view *v = a->dups;
	const struct ld_line *l = e->op == LD_ADD ? &v->lb[e->b] : &v->la[e->a];
	attr_t at = e->op == LD_DEL ? a->th.error : e->op == LD_ADD ? a->th.match : a->th.code;
	put(w, y, 0, width, e->op == LD_DEL ? "-" : e->op == LD_ADD ? "+" : " ", at);
	put_raw(a, w, y, 1, width - 1, l->s, l->len, at);
}

/* A side-by-side row: the left half, a rule, the right half. */
static void draw_sbs_row(struct app *a, WINDOW *w, int y, int width, const struct ld_edit *e)
{
	struct dups_view *v = a->dups;
	int half = (width - 3) / 2, rx = half + 3;
	const char *rule = a->th.utf8 ? " │ " : " | ";
	int diff = e->op != LD_SAME;
	if (e->a >= 0) {
		attr_t at = diff ? a->th.error : a->th.code;
		put(w, y, 0, width, diff ? "-" : " ", at);
		put_raw(a, w, y, 1, half - 1, v->la[e->a].s, v->la[e->a].len, at);
	}
	screen_put(w, y, half, rule, strlen(rule), 3, a->th.border);
	if (e->b >= 0) {
		attr_t at = diff ? a->th.match : a->th.code;
		put(w, y, rx, width, diff ? "+" : " ", at);
		put_raw(a, w, y, rx + 1, width - rx - 1, v->lb[e->b].s, v->lb[e->b].len, at);
	}
}

/* The two header lines: summary, then the cache. */
static void draw_summary(struct app *a, WINDOW *w, int width)
{
	struct dups_view *v = a->dups;
	const char *dot = a->th.utf8 ? " · " : " - ";
	const struct engine_cache_stats *cs = &v->cache;
	struct strbuf sb = STRBUF_INIT;
	if (!v->have)
		sb_addf(&sb, "%s", a->st.phase == ENGINE_WATCHING ? "finding duplicates..." :
			"finding duplicates once the index is up to date...");
	else if (v->rep.error)
		sb_addf(&sb, "no duplicates: %s", v->rep.error);
	else
		sb_addf(&sb, "%zu cluster%s%s%llu of %llu definition lines duplicated (%.1f%%)", v->rep.n,
			v->rep.n == 1 ? "" : "s", dot, (unsigned long long)v->rep.dup_lines,
			(unsigned long long)v->rep.def_lines, 100.0 * v->rep.share);
	screen_put(w, 1, 0, sb.buf, sb.len, width, v->rep.error ? a->th.error : a->th.normal);
	sb_reset(&sb);
	sb_addf(&sb, "this session: l0 %llu  l1 %llu  l2 %llu  l3 %llu  parsed %llu%s",
		(unsigned long long)cs->l0, (unsigned long long)cs->l1, (unsigned long long)cs->l2,
		(unsigned long long)cs->l3, (unsigned long long)cs->parsed, dot);
	if (cs->bytes_reused < 10240)
		sb_addf(&sb, "%llu bytes", (unsigned long long)cs->bytes_reused);
	else if (cs->bytes_reused < (10u << 20))
		sb_addf(&sb, "%.1f KiB", (double)cs->bytes_reused / 1024.0);
	else
		sb_addf(&sb, "%.1f MiB", (double)cs->bytes_reused / (1024.0 * 1024.0));
	sb_adds(&sb, " not re-parsed");
	screen_put(w, 2, 0, sb.buf, sb.len, width, a->th.dim);
	sb_release(&sb);
}

/* The view's heading (row 3). */
static void draw_heading(struct app *a, WINDOW *w, int width, int wide)
{
	struct dups_view *v = a->dups;
	const struct engine_dup_cluster *c = cur_cluster(v);
	struct strbuf sb = STRBUF_INIT;
	char label[32];
	if (v->level == LV_CLUSTERS) {
		sb_adds(&sb, "clusters (Enter: members)");
	} else if (c) {
		kind_label(c, label, sizeof(label));
		if (v->level == LV_MEMBERS) {
			sb_addf(&sb, "%s cluster of %zu (Space: mark two, Enter: diff)", label, c->n);
		} else {
			sb_addf(&sb, "%s diff (%s): ", label, wide ? "side by side" : "unified");
			member_place(&sb, &c->m[v->da]);
			sb_adds(&sb, a->th.utf8 ? " ↔ " : " <> ");
			member_place(&sb, &c->m[v->db]);
		}
	}
	screen_put(w, 3, 0, sb.buf, sb.len, width, a->th.title);
	sb_release(&sb);
}

static void keep_visible(size_t sel, size_t *top, int h)
{
	if (sel < *top)
		*top = sel;
	if (h > 0 && sel >= *top + (size_t)h)
		*top = sel - (size_t)h + 1;
}

static void dups_draw(struct app *a, WINDOW *w, int focused)
{
	struct dups_view *v = view(a);
	int width = getmaxx(w), h = getmaxy(w), wide = a->cols >= UI_WIDE_COLS;
	size_t n = level_rows(v, wide);
	char pos[64];
	int pl;
	werase(w);
	v->list_h = h - DUPS_HEAD;
	screen_put(w, 0, 0, "duplicates", 10, width, focused ? a->th.title_focus : a->th.title);
	if (v->level == LV_CLUSTERS)
		pl = snprintf(pos, sizeof(pos), " %zu/%zu ", n ? v->csel + 1 : 0, n);
	else if (v->level == LV_MEMBERS)
		pl = snprintf(pos, sizeof(pos), " %zu/%zu ", n ? v->msel + 1 : 0, n);
	else
		pl = snprintf(pos, sizeof(pos), " %zu lines ", n);
	if (pl < width / 3)
		screen_put(w, 0, width - pl, pos, (size_t)pl, pl, a->th.dim);
	draw_summary(a, w, width);
	if (!v->have || v->rep.error)
		return;
	draw_heading(a, w, width, wide);
	if (v->level == LV_CLUSTERS)
		keep_visible(v->csel, &v->ctop, v->list_h);
	else if (v->level == LV_MEMBERS)
		keep_visible(v->msel, &v->mtop, v->list_h);
	else if (v->diff_err) {
		screen_put(w, DUPS_HEAD, 0, v->diff_err, strlen(v->diff_err), width, a->th.error);
		return;
	} else if (v->dtop + (size_t)v->list_h > n)   /* after a resize: the last page full */
		v->dtop = n > (size_t)v->list_h ? n - (size_t)v->list_h : 0;
	for (int row = DUPS_HEAD; row < h; row++) {
		size_t top = v->level == LV_CLUSTERS ? v->ctop : v->level == LV_MEMBERS ? v->mtop : v->dtop;
		size_t i = top + (size_t)(row - DUPS_HEAD);
		if (i >= n)
			break;
		if (v->level == LV_CLUSTERS)
			draw_cluster_row(a, w, row, width, i);
		else if (v->level == LV_MEMBERS)
			draw_member_row(a, w, row, width, i);
		else if (wide)
			draw_sbs_row(a, w, row, width, &v->sbs[i]);
		else
			draw_unified_row(a, w, row, width, &v->uni[i]);
	}
	if (!n && v->level == LV_CLUSTERS)
		screen_put(w, DUPS_HEAD, 2, "no duplicates found", 19, width - 2, a->th.dim);
}

const struct pane_ops dups_pane_ops = {
	.name = "duplicates",
	.ctx = CTX_DUPS,
	.draw = dups_draw,
	.action = dups_action,
	.key = NULL,
};
