/* resolve.h — how a call site is bound to definitions.
 *
 * One set of rules (grammars/RESOLUTION.md) serves every consumer: the
 * CLI's edge queries, `cidx edges`, the statistics and the in-memory call
 * graph, so an edge is labelled the same everywhere. The rules read
 * definitions through a view: a lookup of the callable definitions of a
 * name, which the consumer provides (from SQL per name, or from the whole
 * index loaded in memory: struct rindex below). */
#ifndef CIDX_RESOLVE_H
#define CIDX_RESOLVE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum resolution {
	RES_SAME_FILE,    /* a definition in the caller's own file */
	RES_SAME_CLASS,   /* self/this/super: the caller's class or its bases */
	RES_IMPORT,       /* through the file's imports */
	RES_QUALIFIED,    /* the qualifier (class, namespace, module, package) names it */
	RES_NAME_ONLY,    /* exactly one visible definition anywhere */
	RES_AMBIGUOUS,    /* several visible definitions: candidates listed */
	RES_DYNAMIC,      /* through a value: ops->open(x), handlers[k]() */
	RES_UNRESOLVED,   /* no visible definition in the index (library, macro) */
	RES__COUNT
};
const char *resolution_name(int res);
/* Resolutions that name their target with certainty (not name-only,
 * ambiguous, dynamic or unresolved). */
static inline int resolution_is_resolved(int res)
{
	return res == RES_SAME_FILE || res == RES_SAME_CLASS || res == RES_IMPORT ||
	       res == RES_QUALIFIED;
}

/* A callable definition as resolution sees it. Strings are never NULL. */
struct rdef {
	int64_t sym_id;
	int64_t file_id;
	int64_t parent_id;    /* enclosing symbol's id, or -1 */
	const char *name, *scope, *bases;
	const char *path;     /* its file */
	const char *module;   /* its file's declared package, "" if none */
	uint32_t line, col, end_line;
	uint32_t ref;         /* the consumer's own index of this definition */
	uint8_t kind;         /* enum sym_kind */
	uint8_t lang;         /* enum lang_id of its file */
	uint8_t is_static;    /* internal linkage (SYM_STATIC) */
	uint8_t in_header;    /* C/C++ header: visible where included */
};

/* The view: the callable definitions (sym_kind_callable) named name, as a
 * contiguous array, or NULL with *n = 0. */
struct rview {
	const struct rdef *(*lookup)(void *ctx, const char *name, size_t *n);
	void *ctx;
};

/* One import of the calling file (see struct ximport in extract.h). */
struct rimport {
	const char *module, *name, *alias;
	uint32_t line;
};

/* The calling file. */
struct rfile {
	int64_t file_id;
	const char *path;
	int lang;
	const char *module;             /* declared package, "" if none */
	const struct rimport *imports;
	size_t nimports;
};

/* One call site. */
struct rcall {
	const char *callee;
	const char *receiver;           /* NULL when none */
	uint8_t flags;                  /* CALL_* */
	const char *caller_qname;       /* qualified name of the enclosing definition, "" at module level */
	const char *cls;                /* scope of the innermost enclosing method, NULL outside methods */
};

/* The bound definitions of a call, reused across calls. */
struct rpicks {
	const struct rdef **v;
	size_t n, cap;
};
void rpicks_release(struct rpicks *p);

/* Resolve c, made in f: fills picks (cleared first; candidates for an
 * ambiguous edge) and returns the resolution. */
int resolve_call(const struct rview *v, const struct rfile *f, const struct rcall *c,
		 struct rpicks *picks);

/* Does a definition (its scope, its file's declared package, path and
 * language) answer to the qualifier written qual ("Class", "pkg",
 * "module.sub", "ns.Type")? */
int resolve_qualifier_matches(const char *scope, const char *module, const char *path, int lang,
			      const char *qual);

/* Is path a C/C++ header (its static inline definitions are seen by includers)? */
int resolve_is_header(const char *path);

/* ---- the whole index in memory ------------------------------------------ */

/* Every callable definition of the index, by name, and every file's path,
 * language and declared package: the view for consumers that resolve many
 * calls (the call graph, `cidx edges`, statistics). rdef.ref is the
 * definition's position in rindex_defs(). */
struct rindex;
struct rindex *rindex_load(sqlite3 *db, struct strbuf *err);
void rindex_free(struct rindex *ri);
struct rview rindex_view(struct rindex *ri);
/* All definitions, grouped by name (ref is the position here). */
const struct rdef *rindex_defs(const struct rindex *ri, size_t *n);
/* The definition with symbol id sym_id, or NULL when it is not callable. */
const struct rdef *rindex_by_sym(const struct rindex *ri, int64_t sym_id);
/* A file's path, language and package; 0, or -1 when unknown. */
int rindex_file(const struct rindex *ri, int64_t file_id, const char **path, int *lang,
		const char **module);

/* The scope of the innermost method enclosing d (d itself when a method),
 * or NULL: the class of calls made in d. */
const char *rindex_class_of(const struct rindex *ri, const struct rdef *d);

/* Every call site of the index resolved, file by file in path order, each
 * file's sites in position order: fn gets each edge. Returns 0, or -1 with
 * a message in err. */
struct callsite;
struct redge {
	const char *path;           /* the calling file */
	int lang;
	const struct callsite *site;
	const struct rdef *caller;  /* NULL at module level */
	int res;                    /* enum resolution */
	const struct rpicks *picks; /* the target, or an ambiguous edge's candidates */
};
int rindex_each_edge(struct rindex *ri, sqlite3 *db, void (*fn)(void *ctx, const struct redge *e),
		     void *ctx, struct strbuf *err);

/* Qualified name of a definition: scope.name, or name (into sb, cleared). */
void rdef_qname(const struct rdef *d, struct strbuf *sb);

#endif
