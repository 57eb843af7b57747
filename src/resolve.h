/* resolve.h — how a call site's callee name is bound to definitions.
 *
 * One set of rules serves every consumer (the CLI's edge queries, the
 * in-memory call graph), so an edge is labelled the same everywhere. */
#ifndef CIDX_RESOLVE_H
#define CIDX_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

enum resolution {
	RES_SAME_FILE,    /* a definition in the caller's own file */
	RES_NAME_ONLY,    /* exactly one visible definition anywhere */
	RES_AMBIGUOUS,    /* several visible definitions: candidates listed */
	RES_DYNAMIC,      /* through a pointer or member: ops->open(x) */
	RES_UNRESOLVED,   /* no visible definition in the index (library, macro) */
	RES__COUNT
};
const char *resolution_name(int res);
/* Resolutions that name their target with certainty (not name-only,
 * ambiguous, dynamic or unresolved). */
static inline int resolution_is_resolved(int res) { return res == RES_SAME_FILE; }

/* A callable definition of the callee's name, as far as resolution cares. */
struct rdef {
	int64_t file_id;
	uint8_t is_static;    /* internal linkage (SYM_STATIC) */
	uint8_t in_header;    /* defined in a header: visible where included */
};

/* Resolve a call made in file call_file with CALL_* flags among the n
 * definitions of its callee's name. Writes the indices of the chosen
 * definitions to picks (room for n) and their count to *npicks; returns the
 * resolution. */
int resolve_pick(const struct rdef *defs, size_t n, int64_t call_file, int call_flags,
		 uint32_t *picks, size_t *npicks);

/* Is path a header (its static inline definitions are seen by includers)? */
int resolve_is_header(const char *path);

#endif
