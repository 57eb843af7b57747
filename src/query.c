/* query.c — read queries over index.db and call resolution. */
#include "query.h"
#include "callsites.h"
#include "extract.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Callable definitions of one name (sym_kind_callable), as the CLI shows
 * them (defs) and as resolution sees them (rdefs, ref = position in
 * qcache.all). */
struct qcache_entry {
	char *name;
	struct qsym *defs;
	struct rdef *rdefs;
	size_t ndefs;
};

enum { QS_DEFS, QS_PARENT, QS_CALLERS, QS_SYM, QS__COUNT };

struct qcache {
	sqlite3_stmt *stmt[QS__COUNT];   /* prepared once per query object */
	struct qcache_entry *e;
	size_t n, cap;
	const struct qsym **all;   /* every cached definition, by rdef.ref */
	size_t nall, all_cap;
};

#define SYM_COLS "s.id,s.file_id,s.name,s.kind,s.flags,f.path,s.line,s.col,s.end_line,s.end_col," \
		 "s.scope,s.parent,s.bases,f.module,f.lang"
#define SYM_NCOLS 15

static char *col_dup(sqlite3_stmt *s, int c)
{
	const char *t = (const char *)sqlite3_column_text(s, c);
	return xstrdup(t ? t : "");
}

static void read_sym(sqlite3_stmt *s, int c, struct qsym *q)
{
	q->id = sqlite3_column_int64(s, c);
	q->file_id = sqlite3_column_int64(s, c + 1);
	q->name = xstrdup((const char *)sqlite3_column_text(s, c + 2));
	q->kind = sqlite3_column_int(s, c + 3);
	q->flags = sqlite3_column_int(s, c + 4);
	q->file = xstrdup((const char *)sqlite3_column_text(s, c + 5));
	q->line = sqlite3_column_int(s, c + 6);
	q->col = sqlite3_column_int(s, c + 7);
	q->end_line = sqlite3_column_int(s, c + 8);
	q->end_col = sqlite3_column_int(s, c + 9);
	q->scope = col_dup(s, c + 10);
	q->parent = sqlite3_column_type(s, c + 11) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, c + 11);
	q->bases = col_dup(s, c + 12);
	q->module = col_dup(s, c + 13);
	q->lang = lang_by_name((const char *)sqlite3_column_text(s, c + 14));
}

static void qsym_copy(struct qsym *dst, const struct qsym *src)
{
	*dst = *src;
	dst->name = src->name ? xstrdup(src->name) : NULL;
	dst->file = src->file ? xstrdup(src->file) : NULL;
	dst->scope = src->scope ? xstrdup(src->scope) : NULL;
	dst->bases = src->bases ? xstrdup(src->bases) : NULL;
	dst->module = src->module ? xstrdup(src->module) : NULL;
}

static void qsym_release(struct qsym *s)
{
	free(s->name);
	free(s->file);
	free(s->scope);
	free(s->bases);
	free(s->module);
}

void qsyms_free(struct qsym *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		qsym_release(&s[i]);
	free(s);
}

static void qedges_free_one(struct qedge *e)
{
	qsym_release(&e->caller);
	free(e->file);
	free(e->callee);
	free(e->receiver);
	qsyms_free(e->cands, e->ncands);
}

void qedges_free(struct qedge *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		qedges_free_one(&e[i]);
	free(e);
}

/* "A.b", "A::b", "a/b.c" (a Go import path) split into the name "b" and
 * its qualifier "A" (NULL when unqualified); "::" written as ".". */
static void split_qualified(const char *name, char **base, char **qual)
{
	struct strbuf sb = STRBUF_INIT;
	const char *dot;
	for (const char *p = name; *p; p++) {
		if (p[0] == ':' && p[1] == ':') {
			sb_addc(&sb, '.');
			p++;
		} else {
			sb_addc(&sb, *p);
		}
	}
	dot = sb.buf ? strrchr(sb.buf, '.') : NULL;
	if (!dot || dot == sb.buf || !dot[1]) {
		*base = xstrdup(name);
		*qual = NULL;
	} else {
		*base = xstrdup(dot + 1);
		*qual = xstrndup(sb.buf, (size_t)(dot - sb.buf));
	}
	sb_release(&sb);
}

static int sym_matches(const struct qsym *d, const char *qual)
{
	return resolve_qualifier_matches(d->scope ? d->scope : "", d->module ? d->module : "",
					 d->file, d->lang, qual);
}

/* Can the edge reach a definition qualified by qual? */
static int edge_reaches(const struct qedge *e, const char *qual)
{
	for (size_t i = 0; i < e->ncands; i++)
		if (sym_matches(&e->cands[i], qual))
			return 1;
	return 0;
}

void query_init(struct query *q, sqlite3 *db)
{
	q->db = db;
	q->cache = xcalloc(1, sizeof(*q->cache));
}

void query_release(struct query *q)
{
	if (!q->cache)
		return;
	for (int i = 0; i < QS__COUNT; i++)
		sqlite3_finalize(q->cache->stmt[i]);
	for (size_t i = 0; i < q->cache->n; i++) {
		free(q->cache->e[i].name);
		free(q->cache->e[i].rdefs);
		qsyms_free(q->cache->e[i].defs, q->cache->e[i].ndefs);
	}
	free(q->cache->e);
	free(q->cache->all);
	free(q->cache);
	q->cache = NULL;
}

/* A statement of the query object, prepared on first use and reset for
 * the next; NULL on a database error. */
static sqlite3_stmt *stmt(struct query *q, int which)
{
	static const char *const sql[QS__COUNT] = {
		[QS_DEFS] = "SELECT " SYM_COLS " FROM symbols s JOIN files f ON f.id=s.file_id"
			    " WHERE s.name=?1 ORDER BY f.path,s.line",
		[QS_PARENT] = "SELECT kind, scope, parent FROM symbols WHERE id=?1",
		[QS_CALLERS] = "SELECT r.file_id, f.path, f.sym_lo, c.data, f.lang, f.module"
			       " FROM callrefs r"
			       " JOIN files f ON f.id=r.file_id JOIN callsites c ON c.file_id=r.file_id"
			       " WHERE r.callee=?1",
		[QS_SYM] = "SELECT " SYM_COLS " FROM symbols s JOIN files f ON f.id=s.file_id WHERE s.id=?1",
	};
	sqlite3_stmt **s = &q->cache->stmt[which];
	if (!*s && sqlite3_prepare_v2(q->db, sql[which], -1, s, NULL) != SQLITE_OK) {
		sqlite3_finalize(*s);
		*s = NULL;
		return NULL;
	}
	sqlite3_reset(*s);
	sqlite3_clear_bindings(*s);
	return *s;
}

/* Callable definitions of name. */
static const struct qcache_entry *callable_defs(struct query *q, const char *name)
{
	struct qcache *c = q->cache;
	struct qcache_entry *e;
	sqlite3_stmt *s;
	size_t cap = 0;
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->e[i].name, name))
			return &c->e[i];
	ARRAY_GROW(c->e, c->cap, c->n + 1);
	e = &c->e[c->n++];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	if (!(s = stmt(q, QS_DEFS)))
		return e;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (!sym_kind_callable(sqlite3_column_int(s, 3),
				       lang_by_name((const char *)sqlite3_column_text(s, 14))))
			continue;
		ARRAY_GROW(e->defs, cap, e->ndefs + 1);
		read_sym(s, 0, &e->defs[e->ndefs++]);
	}
	sqlite3_reset(s);
	e->rdefs = xcalloc(e->ndefs ? e->ndefs : 1, sizeof(*e->rdefs));
	ARRAY_GROW(c->all, c->all_cap, c->nall + e->ndefs);
	for (size_t i = 0; i < e->ndefs; i++) {
		const struct qsym *d = &e->defs[i];
		struct rdef *r = &e->rdefs[i];
		r->sym_id = d->id;
		r->file_id = d->file_id;
		r->parent_id = d->parent;
		r->name = d->name;
		r->scope = d->scope;
		r->bases = d->bases;
		r->path = d->file;
		r->module = d->module;
		r->line = (uint32_t)d->line;
		r->col = (uint32_t)d->col;
		r->end_line = (uint32_t)d->end_line;
		r->kind = (uint8_t)d->kind;
		r->lang = (uint8_t)(d->lang < 0 ? LANG_C : d->lang);
		r->is_static = (d->flags & SYM_STATIC) != 0;
		r->in_header = (uint8_t)resolve_is_header(d->file);
		r->ref = (uint32_t)c->nall;
		c->all[c->nall++] = d;
	}
	return e;
}

static const struct rdef *sql_lookup(void *ctx, const char *name, size_t *n)
{
	const struct qcache_entry *e = callable_defs(ctx, name);
	*n = e->ndefs;
	return e->ndefs ? e->rdefs : NULL;
}

/* The scope of the innermost method enclosing the symbol (RESOLUTION.md,
 * "class of a call"), into sb; 0, or -1 when there is none. */
static int caller_class(struct query *q, const struct qsym *caller, struct strbuf *sb)
{
	sqlite3_stmt *s = NULL;
	int kind = caller->kind, found = -1;
	int64_t parent = caller->parent;
	const char *scope = caller->scope;
	sb_reset(sb);
	for (int depth = 0; depth < 64; depth++) {
		if (kind == SK_METHOD) {
			sb_adds(sb, scope ? scope : "");
			found = 0;
			break;
		}
		if (parent < 0)
			break;
		if (!(s = stmt(q, QS_PARENT)))
			break;
		sqlite3_bind_int64(s, 1, parent);
		if (sqlite3_step(s) != SQLITE_ROW)
			break;
		kind = sqlite3_column_int(s, 0);
		sb_reset(sb);
		sb_adds(sb, sqlite3_column_text(s, 1) ? (const char *)sqlite3_column_text(s, 1) : "");
		scope = sb->buf;
		parent = sqlite3_column_type(s, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 2);
		if (kind == SK_METHOD) {
			found = 0;
			break;
		}
	}
	if (s)
		sqlite3_reset(s);
	return found;
}

/* Resolve the call site of edge, made in file rf by caller (NULL at file
 * scope). */
static void resolve(struct query *q, struct qedge *edge, const struct rfile *rf,
		    const struct callsite *site, const struct qsym *caller)
{
	struct rview view = { sql_lookup, q };
	struct rpicks picks = { 0 };
	struct strbuf qn = STRBUF_INIT, cls = STRBUF_INIT;
	struct rcall c = { site->callee, site->receiver, site->flags, "", NULL };
	if (caller) {
		if (caller->scope && *caller->scope)
			sb_addf(&qn, "%s.", caller->scope);
		sb_adds(&qn, caller->name);
		c.caller_qname = qn.buf;
		if (caller_class(q, caller, &cls) == 0)
			c.cls = cls.buf ? cls.buf : "";
	}
	edge->resolution = resolve_call(&view, rf, &c, &picks);
	edge->cands = picks.n ? xcalloc(picks.n, sizeof(*edge->cands)) : NULL;
	edge->ncands = picks.n;
	for (size_t i = 0; i < picks.n; i++)
		qsym_copy(&edge->cands[i], q->cache->all[picks.v[i]->ref]);
	rpicks_release(&picks);
	sb_release(&qn);
	sb_release(&cls);
}

int query_defs(struct query *q, const char *name, struct qsym **out, size_t *n)
{
	sqlite3_stmt *s;
	size_t cap = 0, nproto = 0;
	char *base, *qual;
	*out = NULL;
	*n = 0;
	split_qualified(name, &base, &qual);
	if (sqlite3_prepare_v2(q->db, "SELECT " SYM_COLS " FROM symbols s JOIN files f ON f.id=s.file_id"
			       " WHERE s.name=?1 ORDER BY f.path,s.line,s.col", -1, &s, NULL) != SQLITE_OK) {
		free(base);
		free(qual);
		return -1;
	}
	sqlite3_bind_text(s, 1, base, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		ARRAY_GROW(*out, cap, *n + 1);
		read_sym(s, 0, &(*out)[*n]);
		if (qual && !sym_matches(&(*out)[*n], qual)) {
			qsym_release(&(*out)[*n]);
			continue;
		}
		if ((*out)[(*n)++].kind == SK_PROTOTYPE)
			nproto++;
	}
	sqlite3_finalize(s);
	free(base);
	free(qual);
	if (nproto && nproto < *n) {
		size_t k = 0;
		for (size_t i = 0; i < *n; i++) {
			if ((*out)[i].kind == SK_PROTOTYPE)
				qsym_release(&(*out)[i]);
			else
				(*out)[k++] = (*out)[i];
		}
		*n = k;
	}
	return (int)*n;
}

/* One edge from a decoded call site of the file rf; caller is the
 * enclosing definition (NULL at file scope). */
static void add_edge(struct query *q, struct qedge **out, size_t *n, size_t *cap,
		     const struct rfile *rf, const struct callsite *site,
		     const struct qsym *caller)
{
	struct qedge *e;
	ARRAY_GROW(*out, *cap, *n + 1);
	e = &(*out)[(*n)++];
	memset(e, 0, sizeof(*e));
	e->file = xstrdup(rf->path);
	e->line = (int)site->line;
	e->col = (int)site->col;
	e->callee = xstrdup(site->callee);
	e->receiver = site->receiver ? xstrdup(site->receiver) : NULL;
	if (caller)
		qsym_copy(&e->caller, caller);
	resolve(q, e, rf, site, caller);
}

static int target_key_cmp(const struct qedge *a, const struct qedge *b)
{
	/* group edges by the definition they reach: resolved ones first */
	const char *fa = a->ncands == 1 ? a->cands[0].file : "\xff";
	const char *fb = b->ncands == 1 ? b->cands[0].file : "\xff";
	int c = strcmp(fa, fb);
	if (c)
		return c;
	if (a->ncands == 1 && b->ncands == 1 && a->cands[0].line != b->cands[0].line)
		return a->cands[0].line < b->cands[0].line ? -1 : 1;
	return 0;
}

static int cmp_callers(const void *x, const void *y)
{
	const struct qedge *a = x, *b = y;
	int c = target_key_cmp(a, b);
	if (c)
		return c;
	if ((c = strcmp(a->file, b->file)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

/* The call sites of a file: the decoded blob in column c of row s. */
static int row_sites(sqlite3_stmt *s, int c, struct callsites *cs)
{
	return callsites_decode(cs, sqlite3_column_blob(s, c), (size_t)sqlite3_column_bytes(s, c));
}

/* Is callee an import alias, in the file of cs, of the definition name? */
static int alias_of(const struct callsites *cs, const char *callee, const char *name)
{
	for (size_t i = 0; i < cs->nimports; i++)
		if (!strcmp(cs->imports[i].alias, callee) && !strcmp(cs->imports[i].name, name))
			return 1;
	return 0;
}

int query_callers(struct query *q, const char *name, struct qedge **out, size_t *n)
{
	sqlite3_stmt *s, *sym = NULL;
	struct callsites cs = { 0 };
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	char *base = NULL, *qual = NULL;
	split_qualified(name, &base, &qual);
	name = base;
	/* the files calling name (callrefs), then their call sites */
	if (!(s = stmt(q, QS_CALLERS)) || !(sym = stmt(q, QS_SYM))) {
		free(base);
		free(qual);
		return -1;
	}
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t sym_lo = sqlite3_column_int64(s, 2);
		struct rfile rf = { .file_id = sqlite3_column_int64(s, 0) };
		rf.path = (const char *)sqlite3_column_text(s, 1);
		rf.lang = lang_by_name((const char *)sqlite3_column_text(s, 4));
		rf.module = sqlite3_column_text(s, 5) ? (const char *)sqlite3_column_text(s, 5) : "";
		if (row_sites(s, 3, &cs) < 0) {
			rc = SQLITE_CORRUPT;
			break;
		}
		rf.imports = cs.imports;
		rf.nimports = cs.nimports;
		for (size_t i = 0; i < cs.n; i++) {
			struct qsym caller = { 0 };
			int has_caller = 0;
			if (strcmp(cs.v[i].callee, name) && !alias_of(&cs, cs.v[i].callee, name))
				continue;
			if (cs.v[i].caller >= 0) {
				sqlite3_bind_int64(sym, 1, sym_lo + cs.v[i].caller);
				if (sqlite3_step(sym) == SQLITE_ROW) {
					read_sym(sym, 0, &caller);
					has_caller = 1;
				}
				sqlite3_reset(sym);
			}
			add_edge(q, out, n, &cap, &rf, &cs.v[i], has_caller ? &caller : NULL);
			if (has_caller)
				qsym_release(&caller);
			/* a qualified name: only the sites that may reach it */
			if (qual && !edge_reaches(&(*out)[*n - 1], qual)) {
				qedges_free_one(&(*out)[*n - 1]);
				(*n)--;
			}
		}
	}
	sqlite3_reset(s);
	sqlite3_reset(sym);
	callsites_release(&cs);
	free(base);
	free(qual);
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_callers);
	return rc == SQLITE_DONE ? (int)*n : -1;
}

static int cmp_callees(const void *x, const void *y)
{
	const struct qedge *a = x, *b = y;
	int c = strcmp(a->caller.file, b->caller.file);
	if (c)
		return c;
	if (a->caller.line != b->caller.line)
		return a->caller.line < b->caller.line ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

int query_callees(struct query *q, const char *name, struct qedge **out, size_t *n)
{
	sqlite3_stmt *s;
	struct callsites cs = { 0 };
	size_t cap = 0;
	int rc;
	char *base, *qual;
	*out = NULL;
	*n = 0;
	split_qualified(name, &base, &qual);
	if (sqlite3_prepare_v2(q->db, "SELECT " SYM_COLS ", f.sym_lo, c.data FROM symbols s"
			       " JOIN files f ON f.id=s.file_id JOIN callsites c ON c.file_id=s.file_id"
			       " WHERE s.name=?1 AND s.kind IN (?2,?3)", -1, &s, NULL) != SQLITE_OK) {
		free(base);
		free(qual);
		return -1;
	}
	sqlite3_bind_text(s, 1, base, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, SK_FUNCTION);
	sqlite3_bind_int(s, 3, SK_METHOD);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qsym fn;
		int64_t local;
		struct rfile rf;
		read_sym(s, 0, &fn);
		if (qual && !sym_matches(&fn, qual)) {
			qsym_release(&fn);
			continue;
		}
		if (row_sites(s, SYM_NCOLS + 1, &cs) < 0) {
			qsym_release(&fn);
			rc = SQLITE_CORRUPT;
			break;
		}
		rf = (struct rfile){ fn.file_id, fn.file, fn.lang, fn.module, cs.imports, cs.nimports };
		local = fn.id - sqlite3_column_int64(s, SYM_NCOLS);
		for (size_t i = 0; i < cs.n; i++)
			if (cs.v[i].caller == local)
				add_edge(q, out, n, &cap, &rf, &cs.v[i], &fn);
		qsym_release(&fn);
	}
	sqlite3_finalize(s);
	callsites_release(&cs);
	free(base);
	free(qual);
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_callees);
	return rc == SQLITE_DONE ? (int)*n : -1;
}

int query_known(struct query *q, const char *name)
{
	sqlite3_stmt *s;
	int known = 0;
	char *base, *qual;
	split_qualified(name, &base, &qual);
	free(qual);
	if (sqlite3_prepare_v2(q->db, "SELECT EXISTS(SELECT 1 FROM symbols WHERE name=?1)"
			       " OR EXISTS(SELECT 1 FROM callrefs WHERE callee=?1)", -1, &s, NULL) != SQLITE_OK) {
		free(base);
		return 0;
	}
	sqlite3_bind_text(s, 1, base, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		known = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	free(base);
	return known;
}

int query_call_counts(struct query *q, void (*fn)(void *ctx, const char *name, int64_t n),
		      void *ctx)
{
	sqlite3_stmt *s;
	int rc;
	if (sqlite3_prepare_v2(q->db, "SELECT callee, sum(n) FROM callrefs GROUP BY callee", -1, &s,
			       NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		fn(ctx, (const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1));
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Levenshtein distance, giving up (returning limit + 1) past limit. */
static size_t edit_distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b), *row, best = 0;
	if ((la > lb ? la - lb : lb - la) > limit)
		return limit + 1;
	row = xreallocarray(NULL, lb + 1, sizeof(*row));
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0], rowmin;
		row[0] = i;
		rowmin = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t sub = prev + (a[i - 1] != b[j - 1]);
			size_t v = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
			row[j] = v < sub ? v : sub;
			prev = cur;
			if (row[j] < rowmin)
				rowmin = row[j];
		}
		if (rowmin > limit) {
			free(row);
			return limit + 1;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

struct suggestion {
	char *name;
	size_t score;
};

static int cmp_sugg(const void *x, const void *y)
{
	const struct suggestion *a = x, *b = y;
	if (a->score != b->score)
		return a->score < b->score ? -1 : 1;
	return strcmp(a->name, b->name);
}

size_t query_suggest(struct query *q, const char *name, char **out, size_t max)
{
	sqlite3_stmt *s;
	struct suggestion *sug = NULL;
	size_t n = 0, cap = 0, limit = strlen(name) / 3 + 1, k;
	if (limit > 3)
		limit = 3;
	if (sqlite3_prepare_v2(q->db, "SELECT DISTINCT name FROM symbols WHERE kind<>?1", -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(s, 1, SK_PROTOTYPE);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *cand = (const char *)sqlite3_column_text(s, 0);
		size_t d = strcasecmp(cand, name) == 0 ? 0 : edit_distance(name, cand, limit);
		if (d > limit && strstr(cand, name))
			d = limit + 1;   /* contains the name: after the close misspellings */
		else if (d > limit)
			continue;
		ARRAY_GROW(sug, cap, n + 1);
		sug[n].name = xstrdup(cand);
		sug[n].score = d * 1000 + strlen(cand);
		n++;
	}
	sqlite3_finalize(s);
	if (n > 1)
		qsort(sug, n, sizeof(*sug), cmp_sugg);
	k = n < max ? n : max;
	for (size_t i = 0; i < n; i++) {
		if (i < k)
			out[i] = sug[i].name;
		else
			free(sug[i].name);
	}
	free(sug);
	return k;
}

int query_defs_count(struct query *q, const char *name)
{
	struct qsym *d;
	size_t n;
	int rc = query_defs(q, name, &d, &n);
	qsyms_free(d, n);
	return rc;
}
