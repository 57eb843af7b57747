/* query.h — definitions, callers and callees from the index, with every
 * call edge resolved at query time and labelled with how it was resolved. */
#ifndef CIDX_QUERY_H
#define CIDX_QUERY_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include "resolve.h"

struct qsym {
	int64_t id;
	int64_t file_id;
	char *name;
	int kind, flags;
	char *file;
	int line, col, end_line, end_col;
	char *scope;               /* "" at top level */
	int64_t parent;            /* enclosing symbol's id, or -1 */
	char *bases;               /* "" when none */
	char *module;              /* its file's declared package, "" if none */
	int lang;                  /* its file's enum lang_id, -1 if unknown */
};

struct qedge {
	struct qsym caller;        /* name NULL and id 0 at file scope */
	char *file;                /* the call site */
	int line, col;
	char *callee;
	char *receiver;            /* NULL when none */
	int resolution;            /* enum resolution */
	struct qsym *cands;        /* resolved target (1), or the candidates */
	size_t ncands;
};

struct query {
	sqlite3 *db;
	struct qcache *cache;      /* definitions by name, for resolution */
};

void query_init(struct query *q, sqlite3 *db);
void query_release(struct query *q);

/* Symbols named name. Prototypes are left out unless nothing else has the
 * name. Sorted by file, line. Returns the count (>= 0), or -1 on error. */
int query_defs(struct query *q, const char *name, struct qsym **out, size_t *n);
/* How many definitions query_defs would give (-1 on error). */
int query_defs_count(struct query *q, const char *name);
/* Every call site whose callee is name, resolved. Sorted by target, file, line. */
int query_callers(struct query *q, const char *name, struct qedge **out, size_t *n);
/* Every call made from inside the functions named name, resolved. */
int query_callees(struct query *q, const char *name, struct qedge **out, size_t *n);
/* Is name known at all (a symbol or a callee)? */
int query_known(struct query *q, const char *name);
/* Up to max names close to name (edit distance, prefix), best first. */
size_t query_suggest(struct query *q, const char *name, char **out, size_t max);

/* Call each name that is called anywhere with its number of call sites.
 * Returns 0, or -1 on a database error. */
int query_call_counts(struct query *q, void (*fn)(void *ctx, const char *name, int64_t n),
		      void *ctx);

void qsyms_free(struct qsym *s, size_t n);
void qedges_free(struct qedge *e, size_t n);

#endif
