/* query.c — read queries over index.db and call resolution. */
#include "query.h"
#include "callsites.h"
#include "extract.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Definitions (functions and function-like macros) of one name. */
struct qcache_entry {
	char *name;
	struct qsym *defs;
	struct rdef *rdefs;        /* the same, as resolution sees them */
	size_t ndefs;
};

struct qcache {
	struct qcache_entry *e;
	size_t n, cap;
};

#define SYM_COLS "s.id,s.file_id,s.name,s.kind,s.flags,f.path,s.line,s.col,s.end_line,s.end_col"

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
}

static void qsym_copy(struct qsym *dst, const struct qsym *src)
{
	*dst = *src;
	dst->name = src->name ? xstrdup(src->name) : NULL;
	dst->file = src->file ? xstrdup(src->file) : NULL;
}

static void qsym_release(struct qsym *s)
{
	free(s->name);
	free(s->file);
}

void qsyms_free(struct qsym *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		qsym_release(&s[i]);
	free(s);
}

void qedges_free(struct qedge *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		qsym_release(&e[i].caller);
		free(e[i].file);
		free(e[i].callee);
		free(e[i].receiver);
		qsyms_free(e[i].cands, e[i].ncands);
	}
	free(e);
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
	for (size_t i = 0; i < q->cache->n; i++) {
		free(q->cache->e[i].name);
		free(q->cache->e[i].rdefs);
		qsyms_free(q->cache->e[i].defs, q->cache->e[i].ndefs);
	}
	free(q->cache->e);
	free(q->cache);
	q->cache = NULL;
}

/* Callable definitions of name: functions and function-like macros. */
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
	if (sqlite3_prepare_v2(q->db, "SELECT " SYM_COLS " FROM symbols s JOIN files f ON f.id=s.file_id"
			       " WHERE s.name=?1 AND s.kind IN (?2,?3) ORDER BY f.path,s.line",
			       -1, &s, NULL) != SQLITE_OK)
		return e;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, SK_FUNCTION);
	sqlite3_bind_int(s, 3, SK_FMACRO);
	while (sqlite3_step(s) == SQLITE_ROW) {
		ARRAY_GROW(e->defs, cap, e->ndefs + 1);
		read_sym(s, 0, &e->defs[e->ndefs++]);
	}
	sqlite3_finalize(s);
	e->rdefs = xcalloc(e->ndefs ? e->ndefs : 1, sizeof(*e->rdefs));
	for (size_t i = 0; i < e->ndefs; i++) {
		e->rdefs[i].file_id = e->defs[i].file_id;
		e->rdefs[i].is_static = (e->defs[i].flags & SYM_STATIC) != 0;
		e->rdefs[i].in_header = (uint8_t)resolve_is_header(e->defs[i].file);
	}
	return e;
}

/* Resolve a call of callee made in file_id (flags from the call site). */
static void resolve(struct query *q, struct qedge *edge, int64_t file_id, int flags)
{
	const struct qcache_entry *e = callable_defs(q, edge->callee);
	uint32_t *picks = xcalloc(e->ndefs ? e->ndefs : 1, sizeof(*picks));
	size_t n;
	edge->resolution = resolve_pick(e->rdefs, e->ndefs, file_id, flags, picks, &n);
	edge->cands = n ? xcalloc(n, sizeof(*edge->cands)) : NULL;
	edge->ncands = n;
	for (size_t i = 0; i < n; i++)
		qsym_copy(&edge->cands[i], &e->defs[picks[i]]);
	free(picks);
}

int query_defs(struct query *q, const char *name, struct qsym **out, size_t *n)
{
	sqlite3_stmt *s;
	size_t cap = 0, nproto = 0;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(q->db, "SELECT " SYM_COLS " FROM symbols s JOIN files f ON f.id=s.file_id"
			       " WHERE s.name=?1 ORDER BY f.path,s.line,s.col", -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		ARRAY_GROW(*out, cap, *n + 1);
		read_sym(s, 0, &(*out)[(*n)++]);
		if ((*out)[*n - 1].kind == SK_PROTOTYPE)
			nproto++;
	}
	sqlite3_finalize(s);
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

/* One edge from a decoded call site of the file file_id at path; caller is
 * the enclosing function (NULL at file scope). */
static void add_edge(struct query *q, struct qedge **out, size_t *n, size_t *cap,
		     int64_t file_id, const char *path, const struct callsite *site,
		     const struct qsym *caller)
{
	struct qedge *e;
	ARRAY_GROW(*out, *cap, *n + 1);
	e = &(*out)[(*n)++];
	memset(e, 0, sizeof(*e));
	e->file = xstrdup(path);
	e->line = (int)site->line;
	e->col = (int)site->col;
	e->callee = xstrdup(site->callee);
	e->receiver = site->receiver ? xstrdup(site->receiver) : NULL;
	if (caller)
		qsym_copy(&e->caller, caller);
	resolve(q, e, file_id, site->flags);
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

int query_callers(struct query *q, const char *name, struct qedge **out, size_t *n)
{
	sqlite3_stmt *s, *sym = NULL;
	struct callsites cs = { 0 };
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	/* the files calling name (callrefs), then their call sites */
	if (sqlite3_prepare_v2(q->db, "SELECT r.file_id, f.path, f.sym_lo, c.data FROM callrefs r"
			       " JOIN files f ON f.id=r.file_id JOIN callsites c ON c.file_id=r.file_id"
			       " WHERE r.callee=?1", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(q->db, "SELECT " SYM_COLS " FROM symbols s JOIN files f ON f.id=s.file_id"
			       " WHERE s.id=?1", -1, &sym, NULL) != SQLITE_OK) {
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t file_id = sqlite3_column_int64(s, 0), sym_lo = sqlite3_column_int64(s, 2);
		const char *path = (const char *)sqlite3_column_text(s, 1);
		if (row_sites(s, 3, &cs) < 0) {
			rc = SQLITE_CORRUPT;
			break;
		}
		for (size_t i = 0; i < cs.n; i++) {
			struct qsym caller = { 0 };
			int has_caller = 0;
			if (strcmp(cs.v[i].callee, name))
				continue;
			if (cs.v[i].caller >= 0) {
				sqlite3_bind_int64(sym, 1, sym_lo + cs.v[i].caller);
				if (sqlite3_step(sym) == SQLITE_ROW) {
					read_sym(sym, 0, &caller);
					has_caller = 1;
				}
				sqlite3_reset(sym);
			}
			add_edge(q, out, n, &cap, file_id, path, &cs.v[i], has_caller ? &caller : NULL);
			if (has_caller)
				qsym_release(&caller);
		}
	}
	sqlite3_finalize(s);
	sqlite3_finalize(sym);
	callsites_release(&cs);
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
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(q->db, "SELECT " SYM_COLS ", f.sym_lo, c.data FROM symbols s"
			       " JOIN files f ON f.id=s.file_id JOIN callsites c ON c.file_id=s.file_id"
			       " WHERE s.name=?1 AND s.kind=?2", -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, SK_FUNCTION);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qsym fn;
		int64_t local;
		if (row_sites(s, 11, &cs) < 0) {
			rc = SQLITE_CORRUPT;
			break;
		}
		read_sym(s, 0, &fn);
		local = fn.id - sqlite3_column_int64(s, 10);
		for (size_t i = 0; i < cs.n; i++)
			if (cs.v[i].caller == local)
				add_edge(q, out, n, &cap, fn.file_id, fn.file, &cs.v[i], &fn);
		qsym_release(&fn);
	}
	sqlite3_finalize(s);
	callsites_release(&cs);
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_callees);
	return rc == SQLITE_DONE ? (int)*n : -1;
}

int query_known(struct query *q, const char *name)
{
	sqlite3_stmt *s;
	int known = 0;
	if (sqlite3_prepare_v2(q->db, "SELECT EXISTS(SELECT 1 FROM symbols WHERE name=?1)"
			       " OR EXISTS(SELECT 1 FROM callrefs WHERE callee=?1)", -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		known = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
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
