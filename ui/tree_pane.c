/* tree_pane.c — the call tree: a root symbol and its callees or callers,
 * expanded lazily one level at a time. The rows are a flat array (node,
 * edge, depth); names and locations are asked of the engine only for the
 * rows on screen, so a node with thousands of children opens at once. A
 * node that is also one of its own ancestors (recursion, a cycle) is marked
 * and never expanded. Visiting a symbol (opening the tree, re-rooting)
 * records it in the history, shown as a breadcrumb line. Impact mode (the
 * blast radius) replaces the rows with the root's transitive callers, hop
 * by hop, as `cidx impact` lists them, and the breadcrumb with the count per
 * hop, files and tests. */
#include "ui.h"

#define TREE_HEAD 2          /* title and breadcrumb rows */

int list_pane(const struct app *a)
{
	return a->tree_open ? PANE_TREE : PANE_SEARCH;
}

/* The direction the rows' edges are described in: impact rows are callers. */
static int row_dir(const struct app *a)
{
	return a->impact ? ENGINE_CALLERS : a->tree_dir;
}

static const char *dir_word(int dir, int plural)
{
	if (dir == ENGINE_CALLERS)
		return plural ? "callers" : "caller";
	return plural ? "callees" : "callee";
}

/* What identifies a definition across graph reloads (node ids do not):
 * a hash of its qualified name, file and line. */
static uint64_t node_key(const struct engine_tree_node *n)
{
	uint64_t h = 1469598103934665603ull;
	const char *parts[2] = { n->name, n->file };
	for (int p = 0; p < 2; p++)
		for (const char *c = parts[p]; ; c++) {
			h = (h ^ (unsigned char)*c) * 1099511628211ull;
			if (!*c)
				break;
		}
	return (h ^ (uint64_t)(unsigned)n->line) * 1099511628211ull;
}

static uint64_t row_key(struct app *a, size_t i)
{
	struct engine_tree_node n;
	uint64_t k;
	if (engine_tree_describe(a->eng, a->tree_gen, a->trows[i].node, a->trows[i].edge, row_dir(a), &n) < 0)
		return 0;
	k = node_key(&n);
	engine_tree_node_release(&n);
	return k;
}

/* Describe the selected row for the preview and the editor. */
static void describe_selected(struct app *a)
{
	if (a->tcur_ok)
		engine_tree_node_release(&a->tcur);
	a->tcur_ok = 0;
	if (a->tsel < a->tn) {
		const struct tree_row *r = &a->trows[a->tsel];
		a->tcur_ok = engine_tree_describe(a->eng, a->tree_gen, r->node, r->edge, row_dir(a),
						  &a->tcur) == 0;
	}
}

static void selection_moved(struct app *a)
{
	describe_selected(a);
	screen_dirty(a, PANE_TREE);
	preview_follow_later(a);
}

/* Expand row i: its children (one level) follow it. */
static void expand(struct app *a, size_t i)
{
	struct tree_row *r = &a->trows[i];
	uint32_t *edges, *nodes, *anc;
	size_t nanc = 0;
	long n;
	if (r->expanded)
		return;
	if (r->cycle) {
		status_notice(a, 0, "recursion: this call leads back to a function above it");
		return;
	}
	n = engine_tree_children(a->eng, a->tree_gen, r->node, a->tree_dir, &edges, &nodes);
	if (n < 0) {
		tree_graph_changed(a);
		return;
	}
	/* the ancestors of the new rows: row i and the rows above it at lower depths */
	anc = xreallocarray(NULL, (size_t)r->depth + 1, sizeof(*anc));
	for (size_t j = i + 1, d = (size_t)r->depth + 1; j-- > 0 && d > 0; )
		if ((size_t)a->trows[j].depth < d) {
			anc[nanc++] = a->trows[j].node;
			d = (size_t)a->trows[j].depth;
		}
	ARRAY_GROW(a->trows, a->tcap, a->tn + (size_t)n);
	r = &a->trows[i];
	memmove(a->trows + i + 1 + n, a->trows + i + 1, (a->tn - i - 1) * sizeof(*a->trows));
	for (long k = 0; k < n; k++) {
		struct tree_row *c = &a->trows[i + 1 + (size_t)k];
		c->node = nodes[k];
		c->edge = edges[k];
		c->depth = r->depth + 1;
		c->expanded = 0;
		c->cycle = 0;
		c->key = 0;
		for (size_t j = 0; j < nanc; j++)
			if (anc[j] == nodes[k])
				c->cycle = 1;
	}
	a->tn += (size_t)n;
	r->expanded = 1;
	r->key = row_key(a, i);
	if (!n)
		status_notice(a, 0, "no %s", dir_word(a->tree_dir, 1));
	free(anc);
	free(edges);
	free(nodes);
	screen_dirty(a, PANE_TREE);
}

static void collapse(struct app *a, size_t i)
{
	struct tree_row *r = &a->trows[i];
	size_t j = i + 1;
	if (!r->expanded)
		return;
	while (j < a->tn && a->trows[j].depth > r->depth)
		j++;
	memmove(a->trows + i + 1, a->trows + j, (a->tn - j) * sizeof(*a->trows));
	a->tn -= j - i - 1;
	r->expanded = 0;
	if (a->tsel > i && a->tsel < j)
		a->tsel = i;
	screen_dirty(a, PANE_TREE);
}

/* The rows before the hits: the root, or in diff mode the diff's roots. */
static size_t root_rows(const struct app *a)
{
	return a->diff_mode ? a->diff.nroots : 1;
}

/* Impact mode's rows: the root (or roots), then each transitive caller at
 * the depth of its hop (so that the indentation shows it). */
static void impact_fill(struct app *a)
{
	size_t nr = root_rows(a);
	uint32_t root = a->diff_mode ? 0 : a->trows[0].node;
	engine_impact_release(&a->imp);
	ARRAY_GROW(a->trows, a->tcap, nr);
	if (a->diff_mode)
		for (size_t i = 0; i < nr; i++)
			a->trows[i] = (struct tree_row){ .node = a->diff.roots[i], .edge = UINT32_MAX };
	for (size_t i = 0; i < nr; i++)
		a->trows[i].expanded = 1;
	if (engine_impact(a->eng, a->tree_gen, a->diff_mode ? a->diff.roots : &root, nr, a->impact_depth,
			  &a->imp) < 0) {
		a->tn = nr;
		tree_graph_changed(a);
		return;
	}
	ARRAY_GROW(a->trows, a->tcap, nr + a->imp.n);
	for (size_t i = 0; i < a->imp.n; i++)
		a->trows[nr + i] = (struct tree_row){ .node = a->imp.hits[i].node,
						      .edge = a->imp.hits[i].edge,
						      .depth = a->imp.hits[i].hop };
	a->tn = nr + a->imp.n;
	if (!a->imp.n)
		status_notice(a, 0, "no callers");
	screen_dirty(a, PANE_TREE);
}

/* A new tree: root only, expanded (in impact mode: its callers by hop). */
static void set_root(struct app *a, uint32_t node, int dir)
{
	a->tree_dir = dir;
	a->tn = 0;
	ARRAY_GROW(a->trows, a->tcap, 1);
	a->trows[0] = (struct tree_row){ .node = node, .edge = UINT32_MAX, .depth = 0 };
	a->tn = 1;
	a->tsel = a->ttop = 0;
	if (a->impact)
		impact_fill(a);
	else
		expand(a, 0);
	a->tree_open = 1;
	a->focus = PANE_TREE;
	describe_selected(a);
	screen_dirty_all(a);
	preview_follow(a);
}

static void visit_release(struct visit *v)
{
	free(v->name);
	free(v->file);
}

/* Record a visit after the current one (dropping the forward entries). */
static void history_push(struct app *a, const char *name, const char *file, int line, int dir)
{
	struct visit *cur = a->hn ? &a->hist[a->hcur] : NULL;
	if (cur && cur->line == line && !strcmp(cur->file, file) && !strcmp(cur->name, name)) {
		cur->dir = dir;
		return;
	}
	if (a->hn) {
		for (size_t i = a->hcur + 1; i < a->hn; i++)
			visit_release(&a->hist[i]);
		a->hn = a->hcur + 1;
	}
	ARRAY_GROW(a->hist, a->hcap, a->hn + 1);
	a->hist[a->hn] = (struct visit){ xstrdup(name), xstrdup(file), line, dir };
	a->hcur = a->hn++;
}

/* Root the tree at a definition; 0, or -1 with a notice. */
static int open_at(struct app *a, const char *name, const char *file, int line, int dir)
{
	struct strbuf err = STRBUF_INIT;
	uint32_t node;
	if (!a->st.have_graph) {
		status_notice(a, 1, "the call graph is still loading");
		return -1;
	}
	a->tree_gen = a->st.graph_generation;
	if (engine_tree_find(a->eng, a->tree_gen, file, line, name, &node, &err) < 0) {
		if (a->st.graph_pending) {
			/* a saved change is not in the graph yet: open when it is */
			visit_release(&a->tree_wait);
			a->tree_wait = (struct visit){ xstrdup(name), xstrdup(file), line, dir };
			status_notice(a, 0, "the call graph is being updated: the tree opens when it is in");
		} else {
			status_notice(a, 1, "%s", err.buf ? err.buf : "not in the call graph");
		}
		sb_release(&err);
		return -1;
	}
	sb_release(&err);
	a->diff_mode = 0;
	set_root(a, node, dir);
	return 0;
}

int tree_open_selected(struct app *a)
{
	const struct engine_hit *h = search_pane_selected(a);
	if (!h) {
		status_notice(a, 1, "no symbol selected");
		return -1;
	}
	a->impact = 0;
	if (open_at(a, h->qualified, h->file, h->line, ENGINE_CALLEES) < 0)
		return -1;
	history_push(a, h->qualified, h->file, h->line, ENGINE_CALLEES);
	return 0;
}

/* Re-root at the selected row: a visit. */
static void reroot(struct app *a)
{
	char *name, *file;
	int line;
	if (!a->tcur_ok || a->tcur.external) {
		status_notice(a, 1, "%s is not defined in the index", a->tcur_ok ? a->tcur.name : "this");
		return;
	}
	name = xstrdup(a->tcur.name);
	file = xstrdup(a->tcur.file);
	line = a->tcur.line;
	if (open_at(a, name, file, line, a->tree_dir) == 0)
		history_push(a, name, file, line, a->tree_dir);
	free(name);
	free(file);
}

void tree_history(struct app *a, int delta)
{
	size_t to;
	if (!a->hn || (delta < 0 && a->hcur == 0) || (delta > 0 && a->hcur + 1 >= a->hn)) {
		status_notice(a, 0, delta < 0 ? "no earlier visit" : "no later visit");
		return;
	}
	to = delta < 0 ? a->hcur - 1 : a->hcur + 1;
	if (open_at(a, a->hist[to].name, a->hist[to].file, a->hist[to].line, a->hist[to].dir) == 0)
		a->hcur = to;
}

void tree_graph_changed(struct app *a)
{
	struct visit *v;
	struct { uint64_t key; int depth; } *open = NULL;
	size_t nopen = 0, cap = 0;
	uint64_t sel_key = 0;
	int focus, sel_depth = -1;
	if (a->tree_wait.name && !a->st.graph_pending) {
		struct visit w = a->tree_wait;
		a->tree_wait = (struct visit){ 0 };
		a->impact = 0;
		if (open_at(a, w.name, w.file, w.line, w.dir) == 0)
			history_push(a, w.name, w.file, w.line, w.dir);
		visit_release(&w);
		return;
	}
	if (!a->tree_open || a->tree_gen == a->st.graph_generation)
		return;
	if (a->diff_mode) {
		/* the roots are nodes of the old graph: ask again (the rows stay
		 * until the answer, drawn blank while they cannot be described) */
		if (!a->diff_pending)
			tree_diff_request(a);
		return;
	}
	if (!a->hn)
		return;
	/* ids changed: remember what was open (keys taken when expanded) and
	 * the selection, re-root at the visit shown, open the same nodes again */
	for (size_t i = 0; i < a->tn; i++)
		if (a->trows[i].expanded) {
			ARRAY_GROW(open, cap, nopen + 1);
			open[nopen].key = a->trows[i].key;
			open[nopen++].depth = a->trows[i].depth;
		}
	if (a->tcur_ok && a->tsel < a->tn) {
		sel_key = node_key(&a->tcur);
		sel_depth = a->trows[a->tsel].depth;
	}
	v = &a->hist[a->hcur];
	focus = a->focus;
	if (open_at(a, v->name, v->file, v->line, a->tree_dir) == 0) {
		for (size_t i = 1; i < a->tn; i++) {
			uint64_t k = 0;
			int want = 0;
			for (size_t j = 0; j < nopen && !want; j++)
				if (open[j].depth == a->trows[i].depth) {
					if (!k)
						k = row_key(a, i);
					want = open[j].key == k;
				}
			if (want && !a->trows[i].cycle)
				expand(a, i);
			if (sel_depth == a->trows[i].depth && (k ? k : row_key(a, i)) == sel_key && a->tsel == 0)
				a->tsel = i;
		}
		free(open);
		a->focus = focus;
		describe_selected(a);
		preview_follow(a);
		status_notice(a, 0, "the call graph changed: tree re-rooted");
		return;
	}
	free(open);
	/* the root is gone: back to the results (open_at said why) */
	a->tree_open = 0;
	a->focus = focus == PANE_TREE ? PANE_SEARCH : focus;
	screen_dirty_all(a);
	preview_follow(a);
}

static void impact_set(struct app *a, int on, int depth);

/* Leave the diff's impact: back to the results. */
static void diff_close(struct app *a)
{
	a->diff_mode = a->impact = 0;
	a->tree_open = 0;
	a->focus = PANE_SEARCH;
	screen_dirty_all(a);
	preview_follow(a);
}

void tree_diff_request(struct app *a)
{
	engine_diff_request(a->eng);
	a->diff_pending = 1;
	status_notice(a, 0, "comparing the working tree with HEAD...");
}

void tree_diff_ready(struct app *a)
{
	if (!a->diff_pending || !engine_take_diff(a->eng, &a->diff))
		return;
	a->diff_pending = 0;
	if (a->diff.error) {
		status_notice(a, 1, "%s", a->diff.error);
		return;
	}
	if (!a->diff.nroots) {
		status_notice(a, 0, "no definition changed against HEAD (%zu file%s changed)", a->diff.files,
			      a->diff.files == 1 ? "" : "s");
		if (a->diff_mode)   /* it was showing one: nothing left */
			diff_close(a);
		return;
	}
	if (!a->impact_depth)
		a->impact_depth = 3;
	a->tree_gen = a->diff.graph_gen;
	a->diff_mode = a->impact = 1;
	a->tree_open = 1;
	a->focus = PANE_TREE;
	a->tn = 0;
	impact_set(a, 1, a->impact_depth);
	screen_dirty_all(a);
}

void tree_release(struct app *a)
{
	if (a->tcur_ok)
		engine_tree_node_release(&a->tcur);
	a->tcur_ok = 0;
	engine_impact_release(&a->imp);
	engine_diff_release(&a->diff);
	visit_release(&a->tree_wait);
	free(a->trows);
	a->trows = NULL;
	a->tn = a->tcap = 0;
	for (size_t i = 0; i < a->hn; i++)
		visit_release(&a->hist[i]);
	free(a->hist);
	a->hist = NULL;
	a->hn = a->hcap = a->hcur = 0;
}

/* ---- keys -------------------------------------------------------------------- */

static void select_row(struct app *a, long to)
{
	size_t old = a->tsel;
	if (!a->tn)
		return;
	if (to < 0)
		to = 0;
	if ((size_t)to >= a->tn)
		to = (long)a->tn - 1;
	a->tsel = (size_t)to;
	if (a->tsel != old)
		selection_moved(a);
}

static size_t parent_of(const struct app *a, size_t i)
{
	int d = a->trows[i].depth;
	while (i > 0 && a->trows[i].depth >= d)
		i--;
	return i;
}

/* Impact mode on or off, or a new depth: rebuild the rows from the root. */
static void impact_set(struct app *a, int on, int depth)
{
	a->impact = on;
	a->impact_depth = depth;
	if (a->diff_mode) {
		a->tsel = a->ttop = 0;
		impact_fill(a);
		describe_selected(a);
		preview_follow(a);
		status_notice(a, 0, "impact of the working-tree diff: %d hop%s (+/- to change)", depth,
			      depth == 1 ? "" : "s");
		return;
	}
	set_root(a, a->trows[0].node, a->tree_dir);
	if (on)
		status_notice(a, 0, "impact of the root: %d hop%s (+/- to change, i to leave)",
			      depth, depth == 1 ? "" : "s");
}

static int tree_action(struct app *a, int act)
{
	long page = a->tree_h > 1 ? a->tree_h - 1 : 1;
	if (!a->tn)
		return 0;
	if (!a->impact_depth)
		a->impact_depth = 3;
	switch (act) {
	case ACT_TREE_IMPACT:
		if (a->diff_mode) {
			status_notice(a, 0, "the diff's impact: r roots the tree at the selection, Esc closes");
			return 1;
		}
		impact_set(a, !a->impact, a->impact_depth);
		return 1;
	case ACT_IMPACT_LISTS:
		if (!a->impact) {
			status_notice(a, 0, "impact mode is off: i turns it on");
			return 1;
		}
		a->impact_lists = !a->impact_lists;
		screen_dirty(a, PANE_PREVIEW);
		return 1;
	case ACT_IMPACT_DEEPER:
	case ACT_IMPACT_SHALLOWER:
		if (!a->impact) {
			status_notice(a, 0, "impact mode is off: i turns it on");
			return 1;
		}
		if (act == ACT_IMPACT_SHALLOWER ? a->impact_depth <= 1 : a->impact_depth >= 1000) {
			status_notice(a, 0, "the depth is %d: from 1 to 1000", a->impact_depth);
			return 1;
		}
		impact_set(a, 1, a->impact_depth + (act == ACT_IMPACT_DEEPER ? 1 : -1));
		return 1;
	case ACT_TREE_EXPAND:
	case ACT_TREE_TOGGLE:
	case ACT_TREE_COLLAPSE:
	case ACT_TREE_DIRECTION:
		if (a->impact) {
			status_notice(a, 0, "impact mode: i goes back to the tree");
			return 1;
		}
		break;
	case ACT_CANCEL:
		if (a->diff_mode) {
			diff_close(a);
			return 1;
		}
		if (a->impact) {
			impact_set(a, 0, a->impact_depth);
			return 1;
		}
		break;
	default:
		break;
	}
	switch (act) {
	case ACT_MOVE_UP: select_row(a, (long)a->tsel - 1); return 1;
	case ACT_MOVE_DOWN: select_row(a, (long)a->tsel + 1); return 1;
	case ACT_PAGE_UP: select_row(a, (long)a->tsel - page); return 1;
	case ACT_PAGE_DOWN: select_row(a, (long)a->tsel + page); return 1;
	case ACT_HALF_PAGE_UP: select_row(a, (long)a->tsel - page / 2); return 1;
	case ACT_HALF_PAGE_DOWN: select_row(a, (long)a->tsel + page / 2); return 1;
	case ACT_MOVE_FIRST: select_row(a, 0); return 1;
	case ACT_MOVE_LAST: select_row(a, (long)a->tn - 1); return 1;
	case ACT_TREE_EXPAND: expand(a, a->tsel); return 1;
	case ACT_TREE_TOGGLE:
		if (a->trows[a->tsel].expanded)
			collapse(a, a->tsel);
		else
			expand(a, a->tsel);
		return 1;
	case ACT_TREE_COLLAPSE:
		if (a->trows[a->tsel].expanded)
			collapse(a, a->tsel);
		else
			select_row(a, (long)parent_of(a, a->tsel));
		return 1;
	case ACT_TREE_DIRECTION:
		set_root(a, a->trows[0].node, a->tree_dir == ENGINE_CALLERS ? ENGINE_CALLEES : ENGINE_CALLERS);
		if (a->hn)
			a->hist[a->hcur].dir = a->tree_dir;
		return 1;
	case ACT_TREE_REROOT: reroot(a); return 1;
	case ACT_CANCEL:
		a->tree_open = 0;
		a->focus = PANE_SEARCH;
		screen_dirty_all(a);
		preview_follow(a);
		return 1;
	default: return 0;
	}
}

/* ---- drawing ----------------------------------------------------------------- */

static void draw_breadcrumb(struct app *a, WINDOW *w, int y, int width)
{
	const char *sep = a->th.utf8 ? " › " : " > ";
	int x = 0;
	/* from the current visit backwards: as many as fit, "..." before them */
	size_t from = a->hcur + 1;
	int len = 0;
	while (from > 0) {
		int l = (int)strlen(a->hist[from - 1].name) + (from - 1 < a->hcur ? 3 : 0);
		if (len + l > width - 4 && from <= a->hcur)
			break;
		len += l;
		from--;
	}
	if (from > 0)
		x += screen_put(w, y, x, "...", 3, width - x, a->th.dim);
	for (size_t i = from; i < a->hn && x < width; i++) {
		if (i > from || from > 0)
			x += screen_put(w, y, x, sep, strlen(sep), width - x, a->th.dim);
		x += screen_put(w, y, x, a->hist[i].name, strlen(a->hist[i].name), width - x,
				i == a->hcur ? a->th.title_focus : i > a->hcur ? a->th.dim : a->th.normal);
	}
}

/* Impact mode's second line: "hop 1: 5  hop 2: 2 · 3 files · 1 test". */
static void draw_hops(struct app *a, WINDOW *w, int y, int width)
{
	const char *dot = a->th.utf8 ? " · " : " - ";
	struct strbuf sb = STRBUF_INIT;
	for (int h = 1; h <= a->imp.hops; h++)
		sb_addf(&sb, "%shop %d: %zu", h > 1 ? "  " : "", h, a->imp.per_hop[h - 1]);
	if (!a->imp.hops)
		sb_adds(&sb, "no callers");
	sb_addf(&sb, "%s%zu file%s%s%zu test%s", dot, a->imp.files, a->imp.files == 1 ? "" : "s",
		dot, a->imp.tests, a->imp.tests == 1 ? "" : "s");
	screen_put(w, y, 0, sb.buf, sb.len, width, a->th.title);
	sb_release(&sb);
}

static void draw_row(struct app *a, WINDOW *w, int y, int width, size_t idx)
{
	const struct tree_row *r = &a->trows[idx];
	struct engine_tree_node n;
	int selected = idx == a->tsel, x;
	attr_t base = selected ? a->th.sel : a->th.normal;
	const char *mark;
	struct strbuf sb = STRBUF_INIT;
	char num[64];
	wattrset(w, base);
	wmove(w, y, 0);
	for (int i = 0; i < width; i++)
		waddch(w, ' ');
	if (engine_tree_describe(a->eng, a->tree_gen, r->node, r->edge, row_dir(a), &n) < 0) {
		wattrset(w, A_NORMAL);
		return;
	}
	mvwaddstr(w, y, 0, selected ? ">" : " ");
	x = 2 + 2 * r->depth;
	if (a->impact && idx >= root_rows(a)) {
		/* the hop, highlighted, in place of the expand mark */
		int l = snprintf(num, sizeof(num), "[%d]", r->depth);
		if (x < width)
			x += screen_put(w, y, x, num, (size_t)l, width - x, selected ? a->th.sel : a->th.match);
		mark = NULL;
	} else if (r->cycle)
		mark = a->th.utf8 ? "↻" : "@";
	else if (r->expanded)
		mark = a->th.utf8 ? "▾" : "-";
	else if (n.external)
		mark = a->th.utf8 ? "·" : ".";
	else
		mark = a->th.utf8 ? "▸" : "+";
	if (mark && x < width)
		x += screen_put(w, y, x, mark, strlen(mark), width - x, base);
	x += screen_put(w, y, x, " ", 1, width - x, base);
	x += screen_put(w, y, x, n.name, strlen(n.name), width - x, selected ? a->th.sel : a->th.normal);
	x += screen_put(w, y, x, "  ", 2, width - x, base);
	if (n.external) {
		x += screen_put(w, y, x, "(not in index)", 14, width - x, selected ? a->th.sel : a->th.dim);
	} else {
		sb_add_visible(&sb, n.file, strlen(n.file));
		sb_addf(&sb, ":%d", n.line);
		x += screen_put(w, y, x, sb.buf, sb.len, width - x, selected ? a->th.sel : a->th.dim);
	}
	if (r->edge != UINT32_MAX) {
		int l = snprintf(num, sizeof(num), "  %d site%s  ", n.sites, n.sites == 1 ? "" : "s");
		x += screen_put(w, y, x, num, (size_t)l, width - x, base);
		if (n.uncertain)
			x += screen_put(w, y, x, "!", 1, width - x, selected ? a->th.sel : a->th.error);
		x += screen_put(w, y, x, n.label, strlen(n.label), width - x,
				selected ? a->th.sel : n.uncertain ? a->th.error : a->th.dim);
	}
	if (r->cycle)
		screen_put(w, y, x, "  (recursion)", 13, width - x, selected ? a->th.sel : a->th.error);
	else if (a->impact && idx >= root_rows(a) && a->imp.hits[idx - root_rows(a)].cycle)
		screen_put(w, y, x, "  (cycle)", 9, width - x, selected ? a->th.sel : a->th.error);
	wattrset(w, A_NORMAL);
	sb_release(&sb);
	engine_tree_node_release(&n);
}

static void tree_draw(struct app *a, WINDOW *w, int focused)
{
	int width = getmaxx(w), h = getmaxy(w);
	char title[160];
	int tl;
	werase(w);
	a->tree_h = h - TREE_HEAD;
	if (a->tsel < a->ttop)
		a->ttop = a->tsel;
	if (a->tree_h > 0 && a->tsel >= a->ttop + (size_t)a->tree_h)
		a->ttop = a->tsel - (size_t)a->tree_h + 1;
	if (a->diff_mode)
		tl = snprintf(title, sizeof(title), "impact (depth %d) of the diff against HEAD: %zu file%s,"
			      " %zu changed, %zu deleted", a->impact_depth, a->diff.files,
			      a->diff.files == 1 ? "" : "s", a->diff.nchanged, a->diff.deleted);
	else if (a->impact)
		tl = snprintf(title, sizeof(title), "impact (depth %d) of ", a->impact_depth);
	else
		tl = snprintf(title, sizeof(title), "%s of ", dir_word(a->tree_dir, 1));
	screen_put(w, 0, 0, title, (size_t)tl, width, focused ? a->th.title_focus : a->th.title);
	if (a->tn && !a->diff_mode) {
		struct engine_tree_node n;
		if (engine_tree_describe(a->eng, a->tree_gen, a->trows[0].node, UINT32_MAX, row_dir(a), &n) == 0) {
			screen_put(w, 0, tl, n.name, strlen(n.name), width - tl,
				   focused ? a->th.title_focus : a->th.title);
			engine_tree_node_release(&n);
		}
	}
	{
		int cl = snprintf(title, sizeof(title), " %zu/%zu ", a->tn ? a->tsel + 1 : 0, a->tn);
		if (cl < width / 3)
			screen_put(w, 0, width - cl, title, (size_t)cl, cl, a->th.dim);
	}
	if (h > 1 && a->impact)
		draw_hops(a, w, 1, width);
	else if (h > 1)
		draw_breadcrumb(a, w, 1, width);
	for (int row = TREE_HEAD; row < h; row++) {
		size_t idx = a->ttop + (size_t)(row - TREE_HEAD);
		if (idx >= a->tn)
			break;
		draw_row(a, w, row, width, idx);
	}
}

const struct pane_ops tree_pane_ops = {
	.name = "tree",
	.ctx = CTX_TREE,
	.draw = tree_draw,
	.action = tree_action,
	.key = NULL,
};
