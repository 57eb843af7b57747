/* grammars/javascript/walk.h — the one walker shared by JavaScript,
 * TypeScript and TSX (defined in javascript/lang.c; typescript/lang.c calls
 * it). The three grammars share node names; only their symbol numbers
 * differ, so each dialect has its own tables, looked up once. */
#ifndef CIDX_JS_WALK_H
#define CIDX_JS_WALK_H

#include "lang.h"

enum js_dialect { JS_JAVASCRIPT, JS_TYPESCRIPT, JS_TSX, JS__COUNT };

void js_walk(int dialect, const TSTree *tree, const char *src, size_t len, struct xresult *out);

#endif
