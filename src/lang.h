/* lang.h — the per-language extractors living in grammars/<lang>/lang.c.
 * Each walks a parsed tree and fills an xresult; see extract.h. */
#ifndef CIDX_LANG_H
#define CIDX_LANG_H

#include <tree_sitter/api.h>
#include "extract.h"

/* Grammar entry points from the fetched npm packages. */
const TSLanguage *tree_sitter_c(void);

void lang_c_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out);

/* Helpers shared by the language walkers. */
/* 1-based line/column of a point. */
static inline uint32_t ts_line(TSPoint p) { return p.row + 1; }
static inline uint32_t ts_col(TSPoint p) { return p.column + 1; }
/* Add the text of node n to the arena. */
uint32_t xresult_node_str(struct xresult *r, TSNode n, const char *src);

#endif
