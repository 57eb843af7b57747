/* grammars/typescript/lang.c — TypeScript and TSX extraction: the
 * JavaScript walker (grammars/javascript/lang.c) with the TypeScript node
 * kinds it also knows, run on these grammars' tables. See README.md. */
#include "../javascript/walk.h"

void lang_typescript_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	js_walk(JS_TYPESCRIPT, tree, src, len, out);
}

void lang_tsx_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	js_walk(JS_TSX, tree, src, len, out);
}
