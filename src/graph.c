/* graph.c — the in-memory call graph and the analyses over it (graph.h). */
#include "graph.h"
#include "callsites.h"
#include "extract.h"
#include "intern.h"
#include "query.h"
#include "resolve.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX
#define GNODE_EXTERNAL 255   /* gnode.kind of a called name with no definition */

struct gnode {
	int64_t sym_id;
	uint32_t name, scope;      /* in names */
	uint32_t file;             /* in paths */
	uint32_t line, col, end_line;
	uint8_t kind, is_static;
	uint32_t ref;              /* while loading: the rindex position */
};

struct gedge {
	uint32_t from, to;
	uint32_t line, col;        /* first call site, in from's file */
	uint32_t sites;
	uint8_t res;
};

struct graph {
	struct intern names, paths;
	uint32_t empty_path;       /* "" in paths: the file of external nodes */
	uint32_t empty_name;       /* "" in names: the scope of top-level nodes */
	struct gnode *nodes;
	size_t nnodes;
	size_t ndefs;              /* nodes[0 .. ndefs) are definitions, in file order */
	uint32_t *by_name;         /* nodes sorted by name, then node order */
	uint32_t *name_first;      /* by name id: first index in by_name */
	uint32_t *name_count;
	uint32_t *external;        /* by name id: the node of a name called but never
				    * defined in the index (GNODE_EXTERNAL), or NONE */
	size_t names_cap;
	struct gedge *edges;
	size_t nedges;
	uint32_t *out_start, *in_start;   /* CSR, nnodes + 1 entries */
	uint32_t *out, *in;        /* edge indices: by from (out), by to (in) */
};

size_t graph_nodes(const struct graph *g) { return g->nnodes; }
size_t graph_edges(const struct graph *g) { return g->nedges; }

const uint32_t *graph_in_edges(const struct graph *g, uint32_t n, size_t *count)
{
	*count = g->in_start[n + 1] - g->in_start[n];
	return g->in + g->in_start[n];
}

const uint32_t *graph_out_edges(const struct graph *g, uint32_t n, size_t *count)
{
	*count = g->out_start[n + 1] - g->out_start[n];
	return g->out + g->out_start[n];
}

void graph_node(const struct graph *g, uint32_t n, struct gnode_info *o)
{
	const struct gnode *x = &g->nodes[n];
	o->sym_id = x->sym_id;
	o->name = intern_str(&g->names, x->name);
	o->scope = intern_str(&g->names, x->scope);
	o->file = intern_str(&g->paths, x->file);
	o->kind = x->kind == GNODE_EXTERNAL ? -1 : x->kind;
	o->line = x->line;
	o->col = x->col;
	o->end_line = x->end_line;
}

void graph_edge(const struct graph *g, uint32_t e, struct gedge_info *o)
{
	const struct gedge *x = &g->edges[e];
	o->from = x->from;
	o->to = x->to;
	o->resolution = x->res;
	o->sites = x->sites;
	o->file = intern_str(&g->paths, g->nodes[x->from].file);
	o->line = x->line;
	o->col = x->col;
}

void graph_free(struct graph *g)
{
	if (!g)
		return;
	intern_release(&g->names);
	intern_release(&g->paths);
	free(g->nodes);
	free(g->by_name);
	free(g->name_first);
	free(g->name_count);
	free(g->external);
	free(g->edges);
	free(g->out_start);
	free(g->in_start);
	free(g->out);
	free(g->in);
	free(g);
}

/* ---- loading ------------------------------------------------------------- */

/* Nodes in a canonical order (file, position, name), so that results never
 * depend on the order the index happened to store them in. */
static int cmp_node(const void *a, const void *b, void *ctx)
{
	const struct graph *g = ctx;
	const struct gnode *x = a, *y = b;
	int c = x->file == y->file ? 0 : strcmp(intern_str(&g->paths, x->file),
						  intern_str(&g->paths, y->file));
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return strcmp(intern_str(&g->names, x->name), intern_str(&g->names, y->name));
}

static int cmp_by_name(const void *a, const void *b, void *ctx)
{
	const struct graph *g = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (g->nodes[x].name != g->nodes[y].name)
		return g->nodes[x].name < g->nodes[y].name ? -1 : 1;
	return (x > y) - (x < y);
}

static int cmp_edge(const void *a, const void *b)
{
	const struct gedge *x = a, *y = b;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->to != y->to)
		return x->to < y->to ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (x->col > y->col) - (x->col < y->col);
}

/* Sort edges by (from, to, line, col): bucket by from, then sort each
 * (small) bucket. */
static void sort_edges(struct graph *g)
{
	size_t n = g->nnodes;
	uint32_t *start = xcalloc(n + 1, sizeof(uint32_t));
	struct gedge *sorted = xreallocarray(NULL, g->nedges ? g->nedges : 1, sizeof(*sorted));
	for (size_t e = 0; e < g->nedges; e++)
		start[g->edges[e].from + 1]++;
	for (size_t i = 0; i < n; i++)
		start[i + 1] += start[i];
	for (size_t e = 0; e < g->nedges; e++)
		sorted[start[g->edges[e].from]++] = g->edges[e];
	/* start[i] is now the end of bucket i */
	for (size_t i = 0, lo = 0; i < n; lo = start[i++])
		if (start[i] - lo > 1)
			qsort(sorted + lo, start[i] - lo, sizeof(*sorted), cmp_edge);
	free(g->edges);
	g->edges = sorted;
	free(start);
}

/* Build the CSR arrays of edges by from and by to. */
static void build_csr(struct graph *g)
{
	size_t n = g->nnodes;
	g->out_start = xcalloc(n + 1, sizeof(uint32_t));
	g->in_start = xcalloc(n + 1, sizeof(uint32_t));
	g->out = xreallocarray(NULL, g->nedges ? g->nedges : 1, sizeof(uint32_t));
	g->in = xreallocarray(NULL, g->nedges ? g->nedges : 1, sizeof(uint32_t));
	for (size_t e = 0; e < g->nedges; e++) {
		g->out_start[g->edges[e].from + 1]++;
		g->in_start[g->edges[e].to + 1]++;
	}
	for (size_t i = 0; i < n; i++) {
		g->out_start[i + 1] += g->out_start[i];
		g->in_start[i + 1] += g->in_start[i];
	}
	{
		uint32_t *ofill = xreallocarray(NULL, n + 1, sizeof(uint32_t));
		uint32_t *ifill = xreallocarray(NULL, n + 1, sizeof(uint32_t));
		memcpy(ofill, g->out_start, (n + 1) * sizeof(uint32_t));
		memcpy(ifill, g->in_start, (n + 1) * sizeof(uint32_t));
		/* edges are sorted by (from, to): both lists come out in node order */
		for (size_t e = 0; e < g->nedges; e++) {
			g->out[ofill[g->edges[e].from]++] = (uint32_t)e;
			g->in[ifill[g->edges[e].to]++] = (uint32_t)e;
		}
		free(ofill);
		free(ifill);
	}
}

/* Put the definitions (all nodes so far) in canonical order; returns the
 * map from each one's ref (its position when added) to its node. */
static uint32_t *sort_defs(struct graph *g)
{
	uint32_t *map = xreallocarray(NULL, g->nnodes ? g->nnodes : 1, sizeof(*map));
	qsort_r(g->nodes, g->nnodes, sizeof(*g->nodes), cmp_node, g);
	g->ndefs = g->nnodes;
	for (size_t i = 0; i < g->nnodes; i++)
		map[g->nodes[i].ref] = (uint32_t)i;
	return map;
}

/* Definitions by name: by_name, name_first, name_count, and an empty
 * external table (nodes[0 .. nnodes) are all definitions here). */
static void index_by_name(struct graph *g)
{
	g->by_name = xreallocarray(NULL, g->nnodes ? g->nnodes : 1, sizeof(uint32_t));
	for (size_t i = 0; i < g->nnodes; i++)
		g->by_name[i] = (uint32_t)i;
	qsort_r(g->by_name, g->nnodes, sizeof(uint32_t), cmp_by_name, g);
	g->names_cap = g->names.n ? g->names.n : 1;
	g->name_first = xcalloc(g->names_cap, sizeof(uint32_t));
	g->name_count = xcalloc(g->names_cap, sizeof(uint32_t));
	g->external = xreallocarray(NULL, g->names_cap, sizeof(uint32_t));
	memset(g->external, 0xff, g->names_cap * sizeof(uint32_t));
	for (size_t k = 0; k < g->nnodes; k++) {
		const struct gnode *n = &g->nodes[g->by_name[k]];
		if (!g->name_count[n->name])
			g->name_first[n->name] = (uint32_t)k;
		g->name_count[n->name]++;
	}
}

/* One edge per (from, to), counting its call sites, then the CSR arrays.
 * exact_dups: the same call site may have been added twice (a part of the
 * graph met it from two names): count it once. */
static void finish_edges(struct graph *g, int exact_dups)
{
	size_t w = 0;
	sort_edges(g);
	for (size_t e = 0; e < g->nedges; e++) {
		struct gedge *last = w ? &g->edges[w - 1] : NULL;
		if (last && last->from == g->edges[e].from && last->to == g->edges[e].to) {
			if (!exact_dups || last->line != g->edges[e].line || last->col != g->edges[e].col)
				last->sites++;
			continue;
		}
		g->edges[w++] = g->edges[e];
	}
	g->nedges = w;
	build_csr(g);
}

/* The node standing for a name that is called but defined nowhere. */
static uint32_t external_node(struct graph *g, const char *name, size_t *cap)
{
	int added;
	uint32_t id = intern_add(&g->names, name, strlen(name), &added);
	struct gnode *n;
	if (id >= g->names_cap) {
		size_t old = g->names_cap;
		while (g->names_cap <= id)
			g->names_cap *= 2;
		g->name_first = xreallocarray(g->name_first, g->names_cap, sizeof(uint32_t));
		g->name_count = xreallocarray(g->name_count, g->names_cap, sizeof(uint32_t));
		g->external = xreallocarray(g->external, g->names_cap, sizeof(uint32_t));
		memset(g->name_count + old, 0, (g->names_cap - old) * sizeof(uint32_t));
		memset(g->external + old, 0xff, (g->names_cap - old) * sizeof(uint32_t));
	}
	if (g->external[id] != NONE)
		return g->external[id];
	ARRAY_GROW(g->nodes, *cap, g->nnodes + 1);
	n = &g->nodes[g->nnodes];
	memset(n, 0, sizeof(*n));
	n->sym_id = -1;
	n->name = id;
	n->scope = g->empty_name;
	n->file = g->empty_path;
	n->kind = GNODE_EXTERNAL;
	g->external[id] = (uint32_t)g->nnodes;
	return (uint32_t)g->nnodes++;
}

struct memo {
	uint32_t stamp;            /* the file it was computed for */
	uint32_t first, n;         /* its targets in the pool */
	uint8_t res;
};

struct graph *graph_load(sqlite3 *db, struct strbuf *err)
{
	struct graph *g = xcalloc(1, sizeof(*g));
	sqlite3_stmt *s = NULL;
	struct rindex *ri = NULL;
	struct rview view;
	const struct rdef *defs;
	size_t ndefs;
	uint32_t *def_node = NULL;     /* by rindex position: the node */
	struct callsites cs = { 0 };
	struct memo *memo = NULL;      /* by callee offset in the current file's strings */
	uint32_t *pool = NULL, stamp = 0;
	struct rpicks picks = { 0 };
	struct strbuf qname = STRBUF_INIT;
	size_t cap = 0, ecap = 0, memo_cap = 0, npool = 0, pool_cap = 0;
	int rc;

	intern_init(&g->names);
	intern_init(&g->paths);
	g->empty_path = intern_add(&g->paths, "", 0, NULL);
	g->empty_name = intern_add(&g->names, "", 0, NULL);
	if (!(ri = rindex_load(db, err))) {
		graph_free(g);
		return NULL;
	}
	view = rindex_view(ri);

	/* nodes: the callable definitions */
	defs = rindex_defs(ri, &ndefs);
	g->nodes = xcalloc(ndefs ? ndefs : 1, sizeof(*g->nodes));
	cap = ndefs ? ndefs : 1;
	for (size_t i = 0; i < ndefs; i++) {
		const struct rdef *d = &defs[i];
		struct gnode *n = &g->nodes[g->nnodes++];
		n->sym_id = d->sym_id;
		n->file = intern_add(&g->paths, d->path, strlen(d->path), NULL);
		n->name = intern_add(&g->names, d->name, strlen(d->name), NULL);
		n->scope = intern_add(&g->names, d->scope, strlen(d->scope), NULL);
		n->kind = d->kind;
		n->is_static = d->is_static;
		n->line = d->line;
		n->col = d->col;
		n->end_line = d->end_line;
		n->ref = (uint32_t)i;
	}
	def_node = sort_defs(g);

	index_by_name(g);

	/* edges: every call site made inside a definition, resolved */
	if (sqlite3_prepare_v2(db, "SELECT f.id, f.sym_lo, c.data FROM callsites c"
			       " JOIN files f ON f.id = c.file_id", -1, &s, NULL) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t fid = sqlite3_column_int64(s, 0), sym_lo = sqlite3_column_int64(s, 1);
		struct rfile rf = { .file_id = fid };
		if (rindex_file(ri, fid, &rf.path, &rf.lang, &rf.module) < 0)
			continue;
		if (callsites_decode(&cs, sqlite3_column_blob(s, 2),
				     (size_t)sqlite3_column_bytes(s, 2)) < 0) {
			sb_addf(err, "the index holds a damaged call-site record; "
				"delete it and run 'cidx index' again");
			goto fail_msg;
		}
		rf.imports = cs.imports;
		rf.nimports = cs.nimports;
		/* In C, a plain call's resolution depends only on its file and
		 * name: resolve each callee name of the file once. */
		stamp++;
		if (cs.strings_cap > memo_cap) {
			memo = xreallocarray(memo, cs.strings_cap, sizeof(*memo));
			memset(memo, 0, cs.strings_cap * sizeof(*memo));
			memo_cap = cs.strings_cap;
		}
		npool = 0;
		for (size_t i = 0; i < cs.n; i++) {
			const struct callsite *c = &cs.v[i];
			const struct rdef *caller;
			struct memo one, *m;
			uint32_t from;
			if (c->caller < 0 || !(caller = rindex_by_sym(ri, sym_lo + c->caller)))
				continue;
			from = def_node[caller->ref];
			if (c->flags & CALL_DYNAMIC)
				continue;     /* no target to name */
			m = &memo[c->callee - cs.strings];
			if (rf.lang != LANG_C || c->receiver || c->flags) {
				m = &one;
				m->stamp = stamp - 1;
			}
			if (m->stamp != stamp) {
				struct rcall rc_ = { c->callee, c->receiver, c->flags, "", NULL };
				rdef_qname(caller, &qname);
				rc_.caller_qname = qname.buf;
				rc_.cls = rindex_class_of(ri, caller);
				m->stamp = stamp;
				m->first = (uint32_t)npool;
				m->res = (uint8_t)resolve_call(&view, &rf, &rc_, &picks);
				ARRAY_GROW(pool, pool_cap, npool + (picks.n ? picks.n : 1));
				if (!picks.n) {
					/* nothing to point at: an edge to the name itself */
					pool[npool++] = external_node(g, c->callee, &cap);
					m->n = 1;
				} else {
					for (size_t k = 0; k < picks.n; k++)
						pool[npool++] = def_node[picks.v[k]->ref];
					m->n = (uint32_t)picks.n;
				}
			}
			ARRAY_GROW(g->edges, ecap, g->nedges + m->n);
			for (uint32_t k = 0; k < m->n; k++)
				g->edges[g->nedges++] = (struct gedge){ from, pool[m->first + k],
								       c->line, c->col, 1, m->res };
		}
	}
	sqlite3_finalize(s);
	s = NULL;
	if (rc != SQLITE_DONE)
		goto fail;

	finish_edges(g, 0);
	free(def_node);
	free(memo);
	free(pool);
	rpicks_release(&picks);
	sb_release(&qname);
	callsites_release(&cs);
	rindex_free(ri);
	return g;
fail:
	sb_addf(err, "reading the call graph from the index: %s", sqlite3_errmsg(db));
fail_msg:
	sqlite3_finalize(s);
	free(def_node);
	free(memo);
	free(pool);
	rpicks_release(&picks);
	sb_release(&qname);
	callsites_release(&cs);
	rindex_free(ri);
	graph_free(g);
	return NULL;
}

/* ---- a part of the graph -------------------------------------------------- */

struct pedge {
	uint32_t from, to;         /* refs, or for an external target a name id */
	uint32_t line, col;
	uint8_t res, external;
};

struct graph_part {
	sqlite3 *db;
	struct query q;
	struct graph *g;           /* nodes[i].ref == i until the end */
	size_t cap;
	uint32_t *slot;            /* sym_id hash: ref + 1, 0 empty */
	size_t nslot;
	uint8_t *queued;           /* by ref: put in a frontier already */
	size_t qcap;
	uint8_t *expanded;         /* by name id: its callers are loaded */
	size_t xcap;
	uint32_t *next;            /* the frontier being filled: refs */
	size_t next_n, next_alloc;
	uint32_t *ext_names;       /* roots defined nowhere: name ids */
	size_t ext_n, ext_cap;
	struct pedge *edges;
	size_t nedges, ecap;
	int failed;
};

static size_t sym_hash(int64_t id, size_t nslot)
{
	return (size_t)(((uint64_t)id * 0x9e3779b97f4a7c15ull) >> 17) & (nslot - 1);
}

static void part_rehash(struct graph_part *p)
{
	size_t n = p->nslot ? p->nslot * 2 : 1024;
	uint32_t *slot = xcalloc(n, sizeof(*slot));
	for (size_t i = 0; i < p->g->nnodes; i++) {
		size_t h = sym_hash(p->g->nodes[i].sym_id, n);
		while (slot[h])
			h = (h + 1) & (n - 1);
		slot[h] = (uint32_t)i + 1;
	}
	free(p->slot);
	p->slot = slot;
	p->nslot = n;
}

/* The definition's ref, added when new. */
static uint32_t part_node(struct graph_part *p, int64_t id, const char *name, const char *scope,
			  const char *file, int kind, int flags, int line, int col, int end_line)
{
	struct graph *g = p->g;
	struct gnode *n;
	size_t h;
	if ((g->nnodes + 1) * 2 > p->nslot)
		part_rehash(p);
	for (h = sym_hash(id, p->nslot); p->slot[h]; h = (h + 1) & (p->nslot - 1))
		if (g->nodes[p->slot[h] - 1].sym_id == id)
			return p->slot[h] - 1;
	ARRAY_GROW(g->nodes, p->cap, g->nnodes + 1);
	n = &g->nodes[g->nnodes];
	memset(n, 0, sizeof(*n));
	n->sym_id = id;
	n->name = intern_add(&g->names, name, strlen(name), NULL);
	n->scope = intern_add(&g->names, scope ? scope : "", scope ? strlen(scope) : 0, NULL);
	n->file = intern_add(&g->paths, file, strlen(file), NULL);
	n->kind = (uint8_t)kind;
	n->is_static = (flags & SYM_STATIC) != 0;
	n->line = (uint32_t)line;
	n->col = (uint32_t)col;
	n->end_line = (uint32_t)end_line;
	n->ref = (uint32_t)g->nnodes;
	p->slot[h] = (uint32_t)g->nnodes + 1;
	ARRAY_GROW(p->queued, p->qcap, g->nnodes + 1);
	p->queued[g->nnodes] = 0;
	return (uint32_t)g->nnodes++;
}

static uint32_t part_qsym(struct graph_part *p, const struct qsym *s)
{
	return part_node(p, s->id, s->name, s->scope, s->file, s->kind, s->flags, s->line, s->col,
			 s->end_line);
}

/* Put ref in the frontier being filled (once in the part's life). */
static void part_queue(struct graph_part *p, uint32_t ref)
{
	if (p->queued[ref])
		return;
	p->queued[ref] = 1;
	ARRAY_GROW(p->next, p->next_alloc, p->next_n + 1);
	p->next[p->next_n++] = ref;
}

struct graph_part *graph_part_new(sqlite3 *db)
{
	struct graph_part *p = xcalloc(1, sizeof(*p));
	p->db = db;
	query_init(&p->q, db);
	p->g = xcalloc(1, sizeof(*p->g));
	intern_init(&p->g->names);
	intern_init(&p->g->paths);
	p->g->empty_path = intern_add(&p->g->paths, "", 0, NULL);
	p->g->empty_name = intern_add(&p->g->names, "", 0, NULL);
	return p;
}

/* Add the callable definitions a statement yields (its columns: id, name,
 * scope, kind, flags, line, col, end_line, lang, path) as roots. */
static int part_add_rows(struct graph_part *p, sqlite3_stmt *s, struct strbuf *err)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(s, 3);
		const char *lang = (const char *)sqlite3_column_text(s, 8);
		if (!sym_kind_callable(kind, lang_by_name(lang ? lang : "")))
			continue;
		part_queue(p, part_node(p, sqlite3_column_int64(s, 0),
					(const char *)sqlite3_column_text(s, 1),
					(const char *)sqlite3_column_text(s, 2), (const char *)sqlite3_column_text(s, 9),
					kind, sqlite3_column_int(s, 4), sqlite3_column_int(s, 5),
					sqlite3_column_int(s, 6), sqlite3_column_int(s, 7)));
	}
	if (rc != SQLITE_DONE) {
		sb_addf(err, "reading definitions from the index: %s", sqlite3_errmsg(p->db));
		p->failed = 1;
		return -1;
	}
	return 0;
}

static int part_add_where(struct graph_part *p, const char *from_where, const char *arg, struct strbuf *err)
{
	char sql[512];
	sqlite3_stmt *s;
	int rc;
	snprintf(sql, sizeof(sql), "SELECT s.id, s.name, s.scope, s.kind, s.flags, s.line, s.col,"
		 " s.end_line, f.lang, f.path FROM %s", from_where);
	if (sqlite3_prepare_v2(p->db, sql, -1, &s, NULL) != SQLITE_OK) {
		sb_addf(err, "reading definitions from the index: %s", sqlite3_errmsg(p->db));
		p->failed = 1;
		return -1;
	}
	sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	rc = part_add_rows(p, s, err);
	sqlite3_finalize(s);
	return rc;
}

int graph_part_add_file(struct graph_part *p, const char *path, struct strbuf *err)
{
	/* a file's symbols are the ids sym_lo .. sym_lo + nsyms - 1 */
	return part_add_where(p, "files f JOIN symbols s ON s.id >= f.sym_lo AND s.id < f.sym_lo + f.nsyms"
			      " WHERE f.path = ?1", path, err);
}

int graph_part_add_name(struct graph_part *p, const char *name, struct strbuf *err)
{
	size_t before = p->next_n;
	uint32_t id;
	if (part_add_where(p, "symbols s JOIN files f ON f.id = s.file_id WHERE s.name = ?1", name, err) < 0)
		return -1;
	if (p->next_n == before) {
		/* defined nowhere: its callers are those of the name itself */
		id = intern_add(&p->g->names, name, strlen(name), NULL);
		ARRAY_GROW(p->ext_names, p->ext_cap, p->ext_n + 1);
		p->ext_names[p->ext_n++] = id;
	}
	return 0;
}

int graph_part_defines(const struct graph_part *p, const char *path, const char *name)
{
	const struct graph *g = p->g;
	uint32_t f = intern_find(&g->paths, path, strlen(path));
	uint32_t nm = intern_find(&g->names, name, strlen(name));
	for (size_t i = 0; f != NONE && nm != NONE && i < g->nnodes; i++)
		if (g->nodes[i].file == f && g->nodes[i].name == nm)
			return 1;
	return 0;
}

/* Load every call site of name (its callers), as edges, queueing each
 * caller for the next hop. */
static int part_expand(struct graph_part *p, uint32_t name_id, struct strbuf *err)
{
	struct graph *g = p->g;
	struct qedge *e;
	size_t n;
	char *name;
	if (name_id >= p->xcap) {
		size_t old = p->xcap;
		p->xcap = name_id * 2 + 64;
		p->expanded = xreallocarray(p->expanded, p->xcap, 1);
		memset(p->expanded + old, 0, p->xcap - old);
	}
	if (p->expanded[name_id])
		return 0;
	p->expanded[name_id] = 1;
	name = xstrdup(intern_str(&g->names, name_id));   /* the table may grow */
	if (query_callers(&p->q, name, &e, &n) < 0) {
		sb_addf(err, "reading the callers of %s from the index: %s", name, sqlite3_errmsg(p->db));
		free(name);
		p->failed = 1;
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t from;
		if (e[i].resolution == RES_DYNAMIC || !e[i].caller.name ||
		    !sym_kind_callable(e[i].caller.kind, e[i].caller.lang))
			continue;
		from = part_qsym(p, &e[i].caller);
		part_queue(p, from);
		ARRAY_GROW(p->edges, p->ecap, p->nedges + (e[i].ncands ? e[i].ncands : 1));
		if (!e[i].ncands) {
			uint32_t to = intern_add(&g->names, e[i].callee, strlen(e[i].callee), NULL);
			p->edges[p->nedges++] = (struct pedge){ from, to, (uint32_t)e[i].line,
								(uint32_t)e[i].col, (uint8_t)e[i].resolution, 1 };
		}
		for (size_t k = 0; k < e[i].ncands; k++)
			p->edges[p->nedges++] = (struct pedge){ from, part_qsym(p, &e[i].cands[k]),
								(uint32_t)e[i].line, (uint32_t)e[i].col,
								(uint8_t)e[i].resolution, 0 };
	}
	qedges_free(e, n);
	free(name);
	return 0;
}

struct graph *graph_part_finish(struct graph_part *p, uint32_t depth, struct strbuf *err)
{
	struct graph *g = p->g;
	uint32_t *map = NULL;
	int ok = !p->failed;
	/* hop by hop: the roots' callers, theirs, ... up to depth */
	for (size_t i = 0; ok && i < p->ext_n; i++)
		ok = part_expand(p, p->ext_names[i], err) == 0;
	for (uint32_t hop = 0; ok && p->next_n && (depth == 0 || hop < depth); hop++) {
		uint32_t *cur = p->next;
		size_t ncur = p->next_n;
		p->next = NULL;
		p->next_n = p->next_alloc = 0;
		for (size_t i = 0; ok && i < ncur; i++)
			ok = part_expand(p, g->nodes[cur[i]].name, err) == 0;
		free(cur);
	}
	if (ok) {
		size_t cap = p->cap;
		map = sort_defs(g);
		index_by_name(g);
		g->edges = xreallocarray(NULL, p->nedges ? p->nedges : 1, sizeof(*g->edges));
		for (size_t i = 0; i < p->nedges; i++) {
			const struct pedge *x = &p->edges[i];
			uint32_t to = x->external ? external_node(g, intern_str(&g->names, x->to), &cap)
						  : map[x->to];
			g->edges[g->nedges++] = (struct gedge){ map[x->from], to, x->line, x->col, 1, x->res };
		}
		finish_edges(g, 1);
	} else {
		graph_free(g);
		g = NULL;
	}
	free(map);
	query_release(&p->q);
	free(p->slot);
	free(p->queued);
	free(p->expanded);
	free(p->ext_names);
	free(p->next);
	free(p->edges);
	free(p);
	return g;
}

size_t graph_find(const struct graph *g, const char *name, uint32_t **out)
{
	uint32_t id = intern_find(&g->names, name, strlen(name));
	size_t n = id == NONE ? 0 : g->name_count[id];
	*out = xcalloc(n ? n : 1, sizeof(**out));
	for (size_t i = 0; i < n; i++)
		(*out)[i] = g->by_name[g->name_first[id] + i];
	if (!n && id != NONE && g->external[id] != NONE)
		(*out)[n++] = g->external[id];
	if (id == NONE) {
		/* a qualified name: Class.method, ns::f, pkg.Func */
		struct strbuf q = STRBUF_INIT;
		const char *dot;
		for (const char *p = name; *p; p++)
			if (p[0] == ':' && p[1] == ':') {
				sb_addc(&q, '.');
				p++;
			} else {
				sb_addc(&q, *p);
			}
		dot = q.buf ? strrchr(q.buf, '.') : NULL;
		if (dot && dot > q.buf && dot[1] &&
		    (id = intern_find(&g->names, dot + 1, strlen(dot + 1))) != NONE) {
			size_t all = g->name_count[id];
			q.buf[dot - q.buf] = 0;
			free(*out);
			*out = xcalloc(all ? all : 1, sizeof(**out));
			for (size_t i = 0; i < all; i++) {
				uint32_t k = g->by_name[g->name_first[id] + i];
				const char *path = intern_str(&g->paths, g->nodes[k].file);
				if (resolve_qualifier_matches(intern_str(&g->names, g->nodes[k].scope), "",
							      path, lang_for_path(path, NULL, 0), q.buf))
					(*out)[n++] = k;
			}
		}
		sb_release(&q);
	}
	return n;   /* by_name keeps node order within a name: file, line */
}

size_t graph_file_nodes(const struct graph *g, const char *path, uint32_t *first)
{
	size_t lo = 0, hi = g->ndefs, end;
	while (lo < hi) {   /* the first definition whose file is not before path */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(intern_str(&g->paths, g->nodes[mid].file), path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < g->ndefs && !strcmp(intern_str(&g->paths, g->nodes[end].file), path); end++)
		;
	*first = (uint32_t)lo;
	return end - lo;
}

uint32_t graph_edge_between(const struct graph *g, uint32_t from, uint32_t to)
{
	/* from's out-edges are sorted by to */
	uint32_t lo = g->out_start[from], hi = g->out_start[from + 1];
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (g->edges[g->out[mid]].to < to)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < g->out_start[from + 1] && g->edges[g->out[lo]].to == to ? g->out[lo] : NONE;
}

uint32_t graph_fan_in(const struct graph *g, uint32_t n)
{
	return g->in_start[n + 1] - g->in_start[n];
}

uint32_t graph_fan_out(const struct graph *g, uint32_t n)
{
	return g->out_start[n + 1] - g->out_start[n];
}

/* ---- impact ---------------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

void impact_result_release(struct impact_result *r)
{
	free(r->hits);
	memset(r, 0, sizeof(*r));
}

void graph_impact(const struct graph *g, const uint32_t *roots, size_t nroots, uint32_t depth,
		  int strict, struct impact_result *out)
{
	/* hit index by node: NONE unvisited, ROOT for a root */
	const uint32_t ROOT = NONE - 1;
	uint32_t *hit_of = xreallocarray(NULL, g->nnodes ? g->nnodes : 1, sizeof(uint32_t));
	uint32_t *frontier = xreallocarray(NULL, nroots ? nroots : 1, sizeof(uint32_t));
	size_t nfront = 0, cap = 0, fcap = nroots ? nroots : 1;

	memset(out, 0, sizeof(*out));
	memset(hit_of, 0xff, (g->nnodes ? g->nnodes : 1) * sizeof(uint32_t));
	for (size_t i = 0; i < nroots; i++)
		if (hit_of[roots[i]] == NONE) {
			hit_of[roots[i]] = ROOT;
			frontier[nfront++] = roots[i];
		}
	qsort(frontier, nfront, sizeof(*frontier), cmp_u32);
	for (uint32_t hop = 1; nfront && (depth == 0 || hop <= depth); hop++) {
		size_t first = out->n;
		for (size_t f = 0; f < nfront; f++) {
			uint32_t v = frontier[f];
			for (uint32_t k = g->in_start[v]; k < g->in_start[v + 1]; k++) {
				const struct gedge *e = &g->edges[g->in[k]];
				uint32_t u = e->from;
				int unsure = !resolution_is_resolved(e->res);
				if (strict && unsure)
					continue;
				if (hit_of[u] == NONE) {
					struct impact_hit *h;
					ARRAY_GROW(out->hits, cap, out->n + 1);
					h = &out->hits[out->n];
					h->node = u;
					h->hop = hop;
					h->edge = g->in[k];
					h->uncertain = unsure || (hit_of[v] != ROOT &&
								  out->hits[hit_of[v]].uncertain);
					h->cycle = 0;
					hit_of[u] = (uint32_t)out->n++;
					continue;
				}
				/* u already reached: a cycle when u is v or lies on v's way
				 * to the root (u calls v, and v calls u through that way) */
				for (uint32_t w = v;;) {
					if (w == u) {
						if (hit_of[v] != ROOT)
							out->hits[hit_of[v]].cycle = 1;
						break;
					}
					if (hit_of[w] == ROOT)
						break;
					w = g->edges[out->hits[hit_of[w]].edge].to;
				}
			}
		}
		/* the next frontier: this hop's hits, in node order */
		nfront = 0;
		for (size_t i = first; i < out->n; i++) {
			ARRAY_GROW(frontier, fcap, nfront + 1);
			frontier[nfront++] = out->hits[i].node;
		}
		qsort(frontier, nfront, sizeof(*frontier), cmp_u32);
		if (out->n > first)
			out->depth_reached = hop;
	}
	free(frontier);
	free(hit_of);
}

/* ---- shortest paths ---------------------------------------------------------- */

void graph_paths_free(uint32_t **paths, size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(lens);
}

size_t graph_paths(const struct graph *g, const uint32_t *from, size_t nfrom,
		   const uint32_t *to, size_t nto, size_t max, uint32_t ***paths, size_t **lens)
{
	size_t n = g->nnodes ? g->nnodes : 1, nfront = 0, nnext = 0, npaths = 0;
	uint32_t *dist = xreallocarray(NULL, n, sizeof(uint32_t));
	uint8_t *is_to = xcalloc(n, 1);
	uint32_t *front = xreallocarray(NULL, n, sizeof(uint32_t));
	uint32_t *next = xreallocarray(NULL, n, sizeof(uint32_t));
	uint32_t found_at = NONE;

	*paths = NULL;
	*lens = NULL;
	memset(dist, 0xff, n * sizeof(uint32_t));
	for (size_t i = 0; i < nto; i++)
		is_to[to[i]] = 1;
	for (size_t i = 0; i < nfrom; i++)
		if (dist[from[i]] == NONE) {
			dist[from[i]] = 0;
			front[nfront++] = from[i];
			if (is_to[from[i]])
				found_at = 0;
		}
	/* breadth first over callees until a level reaches a target */
	for (uint32_t d = 1; nfront && found_at == NONE; d++) {
		nnext = 0;
		for (size_t f = 0; f < nfront; f++) {
			uint32_t v = front[f];
			for (uint32_t k = g->out_start[v]; k < g->out_start[v + 1]; k++) {
				uint32_t w = g->edges[g->out[k]].to;
				if (dist[w] != NONE)
					continue;
				dist[w] = d;
				next[nnext++] = w;
				if (is_to[w])
					found_at = d;
			}
		}
		memcpy(front, next, nnext * sizeof(uint32_t));
		nfront = nnext;
	}
	if (found_at != NONE) {
		/* every shortest path, found backwards from each reached target
		 * through callers one level nearer the sources (depth-first) */
		uint32_t *stack = xreallocarray(NULL, (size_t)found_at + 1, sizeof(uint32_t));
		uint32_t *at = xcalloc((size_t)found_at + 1, sizeof(uint32_t));
		size_t pcap = 0;
		for (uint32_t t = 0; t < g->nnodes && npaths < max; t++) {
			int32_t d;
			if (!is_to[t] || dist[t] != found_at)
				continue;
			stack[found_at] = t;
			d = (int32_t)found_at;
			at[d] = g->in_start[t];
			/* iterative DFS: at[d] is the next in-edge of stack[d] to try */
			while (d <= (int32_t)found_at && npaths < max) {
				if (d == 0) {
					uint32_t *p = xreallocarray(NULL, (size_t)found_at + 1, sizeof(uint32_t));
					memcpy(p, stack, ((size_t)found_at + 1) * sizeof(uint32_t));
					ARRAY_GROW(*paths, pcap, npaths + 1);
					*lens = xreallocarray(*lens, pcap, sizeof(**lens));
					(*paths)[npaths] = p;
					(*lens)[npaths] = (size_t)found_at + 1;
					npaths++;
					d++;
					continue;
				}
				{
					uint32_t w = stack[d], u = NONE;
					while (at[d] < g->in_start[w + 1]) {
						uint32_t c = g->edges[g->in[at[d]++]].from;
						if (dist[c] == (uint32_t)d - 1) {
							u = c;
							break;
						}
					}
					if (u == NONE) {
						d++;
						continue;
					}
					stack[d - 1] = u;
					at[d - 1] = g->in_start[u];
					d--;
				}
			}
		}
		free(stack);
		free(at);
	}
	free(dist);
	free(is_to);
	free(front);
	free(next);
	return npaths;
}

/* ---- cycles (Tarjan, iterative) -------------------------------------------- */

struct scc {
	uint32_t first, n;         /* in the members array */
	uint32_t min_node;         /* for a stable order among equal sizes */
};

static int cmp_scc(const void *a, const void *b)
{
	const struct scc *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return (x->min_node > y->min_node) - (x->min_node < y->min_node);
}

size_t graph_cycles(const struct graph *g, uint32_t **members_out, size_t **starts_out)
{
	size_t n = g->nnodes, nstack = 0, ncall = 0, nmem = 0, nscc = 0, scap = 0;
	uint32_t *index = xreallocarray(NULL, n ? n : 1, sizeof(uint32_t));
	uint32_t *low = xreallocarray(NULL, n ? n : 1, sizeof(uint32_t));
	uint8_t *on = xcalloc(n ? n : 1, 1);
	uint32_t *stack = xreallocarray(NULL, n ? n : 1, sizeof(uint32_t));
	uint32_t *call_node = xreallocarray(NULL, n ? n : 1, sizeof(uint32_t));
	uint32_t *call_edge = xreallocarray(NULL, n ? n : 1, sizeof(uint32_t));
	uint32_t *members = xreallocarray(NULL, n ? n : 1, sizeof(uint32_t));
	struct scc *sccs = NULL;
	uint32_t next_index = 0;

	memset(index, 0xff, (n ? n : 1) * sizeof(uint32_t));
	for (uint32_t root = 0; root < n; root++) {
		if (index[root] != NONE)
			continue;
		call_node[0] = root;
		call_edge[0] = g->out_start[root];
		ncall = 1;
		index[root] = low[root] = next_index++;
		stack[nstack++] = root;
		on[root] = 1;
		while (ncall) {
			uint32_t v = call_node[ncall - 1];
			if (call_edge[ncall - 1] < g->out_start[v + 1]) {
				uint32_t w = g->edges[g->out[call_edge[ncall - 1]++]].to;
				if (index[w] == NONE) {
					index[w] = low[w] = next_index++;
					stack[nstack++] = w;
					on[w] = 1;
					call_node[ncall] = w;
					call_edge[ncall] = g->out_start[w];
					ncall++;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			/* v is done */
			ncall--;
			if (ncall) {
				uint32_t p = call_node[ncall - 1];
				if (low[v] < low[p])
					low[p] = low[v];
			}
			if (low[v] == index[v]) {
				size_t start = nmem;
				uint32_t w, minn = NONE;
				int self = 0;
				do {
					w = stack[--nstack];
					on[w] = 0;
					members[nmem++] = w;
					if (w < minn)
						minn = w;
				} while (w != v);
				if (nmem - start == 1)
					for (uint32_t k = g->out_start[v]; k < g->out_start[v + 1]; k++)
						self |= g->edges[g->out[k]].to == v;
				if (nmem - start > 1 || self) {
					ARRAY_GROW(sccs, scap, nscc + 1);
					sccs[nscc].first = (uint32_t)start;
					sccs[nscc].n = (uint32_t)(nmem - start);
					sccs[nscc].min_node = minn;
					qsort(members + start, nmem - start, sizeof(uint32_t), cmp_u32);
					nscc++;
				} else {
					nmem = start;
				}
			}
		}
	}
	qsort(sccs, nscc, sizeof(*sccs), cmp_scc);
	*members_out = xreallocarray(NULL, nmem ? nmem : 1, sizeof(uint32_t));
	*starts_out = xreallocarray(NULL, nscc + 1, sizeof(size_t));
	{
		size_t w = 0;
		for (size_t i = 0; i < nscc; i++) {
			(*starts_out)[i] = w;
			memcpy(*members_out + w, members + sccs[i].first, sccs[i].n * sizeof(uint32_t));
			w += sccs[i].n;
		}
		(*starts_out)[nscc] = w;
	}
	free(index);
	free(low);
	free(on);
	free(stack);
	free(call_node);
	free(call_edge);
	free(members);
	free(sccs);
	return nscc;
}

const char *const graph_test_globs[] = {
	"test/*", "*/test/*", "tests/*", "*/tests/*", "testing/*", "*/testing/*",
	"*/selftests/*", "*/__tests__/*", "spec/*", "*/spec/*",
	"test_*", "*/test_*", "*_test.*", "*_tests.*", "*.test.*", "*.spec.*", "*Test.java",
	"*Tests.java", NULL
};

int graph_is_test(const char *path, const char *const *globs)
{
	for (; *globs; globs++)
		if (!fnmatch(*globs, path, 0))
			return 1;
	return 0;
}
