/* callsites.h — the call sites and imports of one file as one compact blob.
 *
 * index.db keeps a file's call sites in one row (table callsites) and lists
 * each distinct callee of the file once, with its number of sites (table
 * callrefs, indexed by callee). A changed file still rewrites only its own
 * rows, and there are about a third as many rows to write and index as there
 * are call sites. Queries find the files calling a name through callrefs and
 * decode those files' blobs.
 *
 * Blob layout (little-endian): "CXS2", u32 ncalls, u32 strings_len,
 * u32 nimports, then ncalls records of 21 bytes {i32 caller, u32 callee,
 * u32 receiver, u32 line, u32 col, u8 flags} in the extractor's order, then
 * nimports records of 16 bytes {u32 module, u32 name, u32 alias, u32 line},
 * then the string arena (offset 0 holds "", each callee name stored once).
 * caller is an index into the file's symbols (symbol id = files.sym_lo +
 * caller), or -1 at file scope. The imports travel with the calls because
 * only resolving a file's calls needs them. */
#ifndef CIDX_CALLSITES_H
#define CIDX_CALLSITES_H

#include <stddef.h>
#include <stdint.h>

#include "extract.h"
#include "resolve.h"
#include "util.h"

struct callsite {
	int32_t caller;
	uint32_t line, col;
	uint8_t flags;          /* CALL_* */
	const char *callee;
	const char *receiver;   /* NULL when none */
};

struct callsites {
	struct callsite *v;
	size_t n, cap;
	struct rimport *imports;
	size_t nimports, imports_cap;
	char *strings;          /* owns the text the entries point into */
	size_t strings_cap;
};

/* A distinct callee of a file and its number of call sites. */
struct callref {
	const char *name;       /* points into the xresult given to the encoder */
	uint32_t n;
};

/* Encode x's call sites into blob (appended) and list its distinct callees,
 * sorted by name, in *refs (caller frees the array, not the names); a name
 * called only through an import alias is listed with n = 0. */
void callsites_encode(const struct xresult *x, struct strbuf *blob,
		      struct callref **refs, size_t *nrefs);
/* Decode a blob into out (cleared first). Returns 0, or -1 for a malformed
 * blob (out is then empty). */
int callsites_decode(struct callsites *out, const void *data, size_t len);
void callsites_release(struct callsites *c);

#endif
