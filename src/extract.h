/* extract.h — turn one file's bytes into definitions and call sites.
 *
 * An extractor owns one TSParser per language and is used by one thread at a
 * time (each index worker has its own). The result is a plain owned value so
 * that the cache tiers can keep it, serialize it and hand it to the writer. */
#ifndef CIDX_EXTRACT_H
#define CIDX_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "minhash.h"

/* Bump whenever extraction output changes for the same input: stored results
 * made by another version are recomputed. */
#define CIDX_EXTRACTOR_VERSION 3

enum sym_kind {
	SK_FUNCTION,   /* a definition with a body */
	SK_PROTOTYPE,  /* a declaration of a function: never a definition or a caller */
	SK_STRUCT,
	SK_UNION,
	SK_ENUM,
	SK_TYPEDEF,
	SK_ENUMERATOR,
	SK_MACRO,      /* object-like #define */
	SK_FMACRO,     /* function-like #define */
	SK_VARIABLE,   /* file-scope variable */
	SK__COUNT
};

/* Stable names used in the database, the CLI and JSON ("function", ...). */
const char *sym_kind_name(int kind);
/* Returns the kind for a name, or -1. */
int sym_kind_from_name(const char *name);

#define SYM_STATIC 0x1   /* internal linkage: only visible in its own file */

struct xsym {
	uint32_t name;      /* offset of the NUL-terminated name in xresult.strings */
	uint8_t kind;       /* enum sym_kind */
	uint8_t flags;      /* SYM_* */
	uint32_t line, col; /* 1-based start of the name */
	uint32_t end_line, end_col; /* 1-based end of the whole definition (inclusive line) */
	int32_t parent;     /* index of the enclosing symbol in xresult.syms, or -1 */
};

#define CALL_DYNAMIC 0x1    /* through a function pointer or member: ops->open(x) */

struct xcall {
	uint32_t callee;    /* offset of the callee name (for ops->open: "open") */
	uint32_t receiver;  /* offset of the receiver text ("ops"), or 0 = none */
	uint32_t line, col; /* 1-based position of the callee name */
	int32_t caller;     /* index of the enclosing function in syms, or -1 (file scope) */
	uint8_t flags;      /* CALL_* */
};

/* What duplicate detection needs of a function definition (SK_FUNCTION),
 * computed over its tokens from just after its name to its end (parameters
 * and body; comments and whitespace ignored), by extract.c for every
 * language: the symbol's position from the parse, its tokens read from the
 * text with the language's lexical conventions and the grammar's keywords. */
struct xdef {
	uint32_t sym;       /* index of the definition in xresult.syms */
	uint32_t ntokens;   /* tokens after the name */
	uint64_t hash;      /* of those tokens' text (each XXH3-hashed, combined in
			     * order) and count: equal bodies, equal hashes */
	uint32_t has_sig;   /* 1: ntokens >= DUP_SIG_FLOOR and sig/bands are set */
	uint32_t bands[DUP_BANDS]; /* LSH band hashes of sig */
	uint8_t sig[DUP_PERMS];    /* MinHash of the normalised shingles (minhash.h) */
};

struct xresult {
	struct xsym *syms;
	size_t nsyms, syms_cap;
	struct xcall *calls;
	size_t ncalls, calls_cap;
	struct xdef *defs;  /* one per SK_FUNCTION symbol, in symbol order */
	size_t ndefs, defs_cap;
	char *strings;      /* string arena; offset 0 always holds "" */
	size_t strings_len, strings_cap;
	uint32_t parse_errors; /* number of ERROR/MISSING nodes in the tree */
};

void xresult_init(struct xresult *r);
void xresult_clear(struct xresult *r);    /* empty it, keep the memory */
void xresult_release(struct xresult *r);  /* free everything */
/* Add a string to the arena and return its offset. */
uint32_t xresult_str(struct xresult *r, const char *s, size_t n);
/* Append entries; return the new entry's index. */
int32_t xresult_add_sym(struct xresult *r, const struct xsym *s);
void xresult_add_call(struct xresult *r, const struct xcall *c);
/* Put syms and calls in canonical order (by position), remapping indices. */
void xresult_sort(struct xresult *r);
static inline const char *xstr(const struct xresult *r, uint32_t off) { return r->strings + off; }

/* Languages: routed by file name (extension) and, for extensionless files,
 * by the shebang in the first bytes. Returns a language id >= 0, or -1. */
int lang_for_path(const char *path, const char *head, size_t head_len);
const char *lang_name(int lang);
/* "name@grammar-version": what cached results of this language are keyed by. */
const char *lang_key(int lang);
int lang_count(void);

struct extractor;
struct extractor *extractor_new(void);
void extractor_free(struct extractor *ex);
/* Parse src (len bytes) as language lang and fill out (cleared first).
 * Returns 0, or -1 if the language is unknown or the parser gave up. */
int extractor_run(struct extractor *ex, int lang, const char *src, size_t len,
		  struct xresult *out);

/* The shingle set of the function definition whose name starts on line
 * `line` of src (the first one there): sorted distinct shingle hashes, the
 * elements that the definition's signature estimates, for checking
 * estimates against exact Jaccard (shingle_jaccard). Returns the number of
 * elements (*set malloc'd, caller frees), or -1 when there is no such
 * definition. Parses src like extractor_run. */
long extractor_def_shingles(struct extractor *ex, int lang, const char *src, size_t len,
			    uint32_t line, uint64_t **set);

/* Per-language extraction entry point (one per language, in lang_<name>.c).
 * tree is the parsed tree; the function walks it and fills out. */
struct TSTree;
typedef void (*lang_extract_fn)(const struct TSTree *tree, const char *src, size_t len,
				struct xresult *out);



#include <stdio.h>
/* Print r in the canonical line format shared by `cidx extract` and
 * `cidx dump` (one "sym" line per symbol, one "call" line per call site):
 *   sym PATH:L:C-EL:EC KIND NAME [static] [in PARENT]
 *   call PATH:L:C CALLER -> CALLEE [via RECEIVER] [dynamic]
 * CALLER is "-" at file scope. */
void xresult_print(FILE *f, const char *path, const struct xresult *r);
#endif
