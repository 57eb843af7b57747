/* temporary: scan_paths lands with the scanner work */
#include "scan.h"
int scan_paths(const char *root, const char *const *paths, size_t npaths,
	       const struct scan_opts *opts, struct scan_result *out, struct strbuf *err)
{
	(void)paths; (void)npaths;
	return scan_tree(root, opts, out, err);
}
