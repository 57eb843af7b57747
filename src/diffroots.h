/* diffroots.h — where the impact of a working-tree diff starts: the
 * definitions whose lines changed, and the definitions of the old version
 * that are gone (their former callers are impacted, through whatever the
 * name means now). One set of rules for `cidx impact --diff` (on a part of
 * the graph) and the TUI (on the whole graph it holds). */
#ifndef CIDX_DIFFROOTS_H
#define CIDX_DIFFROOTS_H

#include <stddef.h>
#include <stdint.h>
#include "diff.h"
#include "graph.h"
#include "util.h"

struct diff_gone {
	char *name, *file;         /* file: its path at the revision */
	uint32_t line;
	size_t in;                 /* its diff_file */
};

struct diff_scan {
	struct diff_file *df;
	size_t ndf;
	struct diff_gone *gone;    /* old definitions in changed lines; after
				    * diff_scan_keep_gone, those that are gone */
	size_t ngone;
};

/* Diff root's working tree against rev (NULL: HEAD) and extract the old
 * version of each file with removed or changed lines. Returns 0, or -1
 * with a message (diff_workdir's). Touches no index: any thread may run it. */
int diff_scan(const char *root, const char *rev, struct diff_scan *s, struct strbuf *err);
void diff_scan_release(struct diff_scan *s);

/* Keep the candidates whose name the working-tree file no longer defines
 * (defines(ctx, path, name): does path define name now?). */
void diff_scan_keep_gone(struct diff_scan *s, int (*defines)(void *ctx, const char *path, const char *name),
			 void *ctx);

/* The roots in g: first the changed definitions (*nchanged of them, in diff
 * and line order), then the definitions now named like a gone one (or the
 * name's own node); no node twice. *roots is allocated. Returns the count. */
size_t diff_roots(const struct graph *g, const struct diff_scan *s, uint32_t **roots, size_t *nchanged);

#endif
