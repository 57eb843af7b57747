/* grammars/go/lang.c — go extraction (being written; see src/extract.h). */
#include "lang.h"

void lang_go_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	(void)src;
	(void)len;
	out->parse_errors = ts_count_errors(ts_tree_root_node(tree));
}
