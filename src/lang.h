/* lang.h — the per-language extractors living in grammars/<lang>/lang.c.
 * Each walks a parsed tree and fills an xresult; see extract.h. */
#ifndef CIDX_LANG_H
#define CIDX_LANG_H

#include <stdbool.h>
#include <tree_sitter/api.h>
#include "extract.h"
#include "tswalk.h"
#include "util.h"

/* Grammar entry points from the fetched npm packages. */
const TSLanguage *tree_sitter_c(void);
const TSLanguage *tree_sitter_cpp(void);
const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);
const TSLanguage *tree_sitter_go(void);
const TSLanguage *tree_sitter_rust(void);
const TSLanguage *tree_sitter_java(void);

/* One walker per language, in grammars/<lang>/lang.c (typescript/lang.c
 * serves both TypeScript and TSX). */
void lang_c_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out);
void lang_cpp_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out);
void lang_python_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out);
void lang_javascript_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out);
void lang_typescript_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out);
void lang_tsx_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out);
void lang_go_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out);
void lang_rust_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out);
void lang_java_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out);

/* Helpers shared by the language walkers. */
/* 1-based line/column of a point. */
static inline uint32_t ts_line(TSPoint p) { return p.row + 1; }
static inline uint32_t ts_col(TSPoint p) { return p.column + 1; }
/* Is node n followed, after blanks on its line, by '(' in src (len bytes)?
 * How walkers tell a call the parser missed (a name in an ERROR region). */
static inline int lang_paren_follows(const char *src, size_t len, TSNode n)
{
	uint32_t e = ts_node_end_byte(n);
	while (e < len && (src[e] == ' ' || src[e] == '\t'))
		e++;
	return e < len && src[e] == '(';
}
/* Add the text of node n to the arena. */
uint32_t xresult_node_str(struct xresult *r, TSNode n, const char *src);
/* Add src[a, b) as a qualified name or receiver (extract.h): whitespace
 * dropped, "::" and "->" written as ".", at most 128 bytes kept. */
uint32_t xresult_path_str(struct xresult *r, const char *src, uint32_t a, uint32_t b);
/* Count ERROR and MISSING nodes of the tree (for walkers that do not count
 * them while walking). */
uint32_t ts_count_errors(TSNode root);

/* End of node n as the 1-based line and the column of its last byte. A node
 * that ends at the start of a line (preprocessor lines include their
 * newline) ends at the last byte before its trailing line ends; with
 * blanks, before trailing spaces and tabs as well. */
void lang_end_pos(const char *src, TSNode n, bool blanks, uint32_t *line, uint32_t *col);

/* ---- grammar tables, built once per grammar (src/walk.c) ----------------
 * A walker numbers the node kinds it knows (its own enum, indexing an array
 * of node names) and asks, per TSSymbol, which of them a node is and what to
 * do with it. */
enum { LANG_A_SKIP = 1 }; /* the action lang_tables_init gives tokens and hidden rules */

struct lang_tables {
	uint32_t nsymbols;
	uint8_t *node_id;    /* per TSSymbol: 1 + its index in the names, or 0 */
	uint8_t *action;     /* per TSSymbol: the walker's A_*; LANG_A_SKIP for every
				symbol that is not a named visible node, else 0 */
	const TSSymbol *sym; /* per name: its public symbol (the sym given to init), or NULL */
};

/* Fill t for grammar l and names[0..nnames) (NULL entries are unused).
 * With sym (nnames entries), each name's public symbol is looked up
 * (ts_language_symbol_for_name) into sym[] and only that symbol is numbered;
 * without, every named visible symbol carrying the name is (aliases give one
 * name several symbols). Allocation failures abort. */
void lang_tables_init(struct lang_tables *t, const TSLanguage *l, const char *const *names,
		      int nnames, TSSymbol *sym);
/* The field ids of names[0..n) into fld. */
void lang_fields_init(const TSLanguage *l, const char *const *names, int n, TSFieldId *fld);
/* table[s] = value for every symbol s numbered as one of which[0..n)
 * (indexes into the names; below 255): t->action or a per-symbol table of
 * the walker's own (t->nsymbols bytes). */
void lang_tables_mark(const struct lang_tables *t, uint8_t *table, const int *which, size_t n,
		      uint8_t value);
#define LANG_MARK(t, table, list, value) \
	lang_tables_mark((t), (table), (list), sizeof(list) / sizeof((list)[0]), (value))

/* The walker's index of symbol s (its names[] index), or -1. */
static inline int lang_nid(const struct lang_tables *t, TSSymbol s)
{
	return s < t->nsymbols ? t->node_id[s] - 1 : -1;
}

/* ---- qualified names and local names ------------------------------------ */

/* The names of the open scopes joined by dots: "Outer.inner". */
struct lang_chain {
	char *s;
	size_t len, cap;
};
/* Append name[0..n) (after a '.' unless first); returns the length before,
 * to cut the chain back to when the scope closes. */
uint32_t lang_chain_push(struct lang_chain *c, const char *name, size_t n);

/* Local names (parameters, variables) a call may be made through: each the
 * bytes src[a, b), visible in [from, to); added in the order of the text. */
struct lang_local {
	uint32_t a, b;
	uint32_t from, to;
};
struct lang_locals {
	struct lang_local *v;
	size_t n, cap;
};
/* Add src[a, b) (not "_") as a local visible in [from, to). */
void lang_local_add(struct lang_locals *l, const char *src, uint32_t a, uint32_t b,
		    uint32_t from, uint32_t to);
/* Is src[a, b) a local visible at a? */
bool lang_local_has(struct lang_locals *l, const char *src, uint32_t a, uint32_t b);
/* The end of the innermost ancestor anc[0..depth) whose symbol is marked in
 * bounds (the constructs that bound a local's visibility), or UINT32_MAX. */
uint32_t lang_visible_to(const struct lang_tables *t, const uint8_t *bounds, const TSNode *anc,
			 uint32_t depth);

/* ---- the depth-first walk ---------------------------------------------- */

/* arr[depth] = v, growing arr (cap entries) first if needed: the stack of
 * a walker's ancestors, kept per node (grow_array is called only to grow). */
#define LANG_ANC_SET(arr, cap, depth, v)                                        \
	do {                                                                    \
		if ((depth) >= (cap))                                           \
			ARRAY_GROW(arr, cap, (size_t)(depth) + 1);              \
		(arr)[depth] = (v);                                             \
	} while (0)

/* Visit root and every node below it, depth first (root first at depth 0,
 * children in order); a node's children are visited when visit returns
 * true. Inline so that each walker's visit is inlined into the loop: this
 * is the per-node hot path of extraction. The walk is tswalk.h's (the
 * nodes a TSTreeCursor walk gives, for less). */
typedef bool (*lang_visit_fn)(void *ctx, TSNode n, TSSymbol s, uint32_t depth);

static inline void lang_walk(TSNode root, lang_visit_fn visit, void *ctx)
{
	struct tswalk w;
	TSNode n;
	TSSymbol s;
	uint32_t depth;
	bool descend = false;
	tswalk_init(&w, root);
	while (tswalk_next(&w, descend, &n, &s, &depth))
		descend = visit(ctx, n, s, depth);
	tswalk_release(&w);
}

#endif
