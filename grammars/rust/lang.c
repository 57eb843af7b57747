/* grammars/rust/lang.c — rust extraction (being written; see src/extract.h). */
#include "lang.h"

void lang_rust_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	(void)src;
	(void)len;
	out->parse_errors = ts_count_errors(ts_tree_root_node(tree));
}
