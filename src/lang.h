/* lang.h — the per-language extractors living in grammars/<lang>/lang.c.
 * Each walks a parsed tree and fills an xresult; see extract.h. */
#ifndef CIDX_LANG_H
#define CIDX_LANG_H

#include <tree_sitter/api.h>
#include "extract.h"

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
/* Add the text of node n to the arena. */
uint32_t xresult_node_str(struct xresult *r, TSNode n, const char *src);
/* Add src[a, b) as a qualified name or receiver (extract.h): whitespace
 * dropped, "::" and "->" written as ".", at most 128 bytes kept. */
uint32_t xresult_path_str(struct xresult *r, const char *src, uint32_t a, uint32_t b);
/* Count ERROR and MISSING nodes of the tree (for walkers that do not count
 * them while walking). */
uint32_t ts_count_errors(TSNode root);

#endif
