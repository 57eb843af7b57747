/* diff.h — what changed in a working tree against a revision: per file, the
 * line ranges touched on each side and the file's content at the revision.
 *
 * Staged and unstaged changes both count (the revision's tree against the
 * working directory, through the index), and so do untracked files that are
 * not ignored. libgit2 computes it: no git process runs, and nothing the
 * repository configures (hooks, fsmonitor, external diff or filter drivers)
 * is executed. */
#ifndef CIDX_DIFF_H
#define CIDX_DIFF_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct line_range {
	uint32_t first, last;      /* 1-based, inclusive */
};

struct diff_file {
	char *path;                /* in the working tree; NULL when deleted */
	char *old_path;            /* at the revision; NULL when new */
	struct line_range *now;    /* lines added or changed in the working tree */
	size_t nnow;
	uint32_t *cuts;            /* lines removed between line k and k + 1 (k may be 0) */
	size_t ncuts;
	struct line_range *old;    /* lines removed or changed from the revision */
	size_t nold;
	char *old_content;         /* the file at the revision (NULL when new) */
	size_t old_len;
};

/* Diff the working tree of the repository at root against rev (NULL:
 * HEAD). Binary files are left out. Returns 0 with *files (caller frees with
 * diff_files_free), or -1 with a message (not a git repository, unknown
 * revision, ...). */
int diff_workdir(const char *root, const char *rev, struct diff_file **files, size_t *n,
		 struct strbuf *err);
void diff_files_free(struct diff_file *f, size_t n);

#endif
