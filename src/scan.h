/* scan.h — find the repository root and list the source files to index.
 *
 * Ignore rules come from libgit2 (.gitignore at every level,
 * .git/info/exclude, core.excludesFile); nothing a repository configures is
 * ever executed. The repository is only read. */
#ifndef CIDX_SCAN_H
#define CIDX_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

enum skip_reason {
	SKIP_BINARY,           /* a NUL byte in the content (detected by the indexer) */
	SKIP_TOO_LARGE,        /* larger than scan_opts.max_size */
	SKIP_UNREADABLE,       /* open/read/stat failed (permissions, vanished) */
	SKIP_SYMLINK_OUTSIDE,  /* a symlink whose target is outside the root, or dangling */
	SKIP__COUNT
};
/* Stable names: "binary", "too-large", "unreadable", "symlink-outside". */
const char *skip_reason_name(int reason);

struct scan_file {
	char *path;          /* relative to the root, '/'-separated, no leading "./" */
	int lang;            /* from lang_for_path (>= 0) */
	uint64_t size;
	int64_t mtime_ns;
	uint64_t inode;
	int64_t ctime_ns;
};

struct scan_skip {
	char *path;          /* relative to the root */
	int reason;          /* enum skip_reason */
};

struct scan_result {
	char **dirs;               /* directories walked (root-relative, "" = root), for watches */
	size_t ndirs, dirs_cap;
	struct scan_file *files;   /* sorted by path (strcmp) */
	size_t nfiles, files_cap;
	struct scan_skip *skips;   /* sorted by path */
	size_t nskips, skips_cap;
};

#define SCAN_DEFAULT_MAX_SIZE (4u << 20)

struct scan_opts {
	uint64_t max_size;   /* 0 = SCAN_DEFAULT_MAX_SIZE */
};

/* Open the git repository whose work tree is root with libgit2, after
 * checking that nothing it would read can block (FIFOs, devices). Nothing
 * the repository configures is run. Returns 0 with *repo set (free with
 * git_repository_free), or -1 with a message. */
struct git_repository;
int scan_open_git(const char *root, struct git_repository **repo, struct strbuf *err);

/* The root for start (a path): the nearest ancestor (start included) holding
 * a ".git" entry (directory or file), else start itself; returned as an
 * absolute canonical path in *root (caller frees). Returns 0, or -1 with a
 * message in err when start does not exist or is not a directory. */
int scan_find_root(const char *start, char **root, struct strbuf *err);

/* List every source file (a known language by extension or shebang) under
 * root that is not ignored, skipping ".git" and counting skipped files by
 * reason. Symlinks to files inside the root are listed under the link's
 * path; symlinked directories are not descended (their targets inside the
 * root are listed anyway). Returns 0, or -1 with a message in err when the
 * root itself cannot be read; per-file problems are skips, never errors. */
int scan_tree(const char *root, const struct scan_opts *opts, struct scan_result *out,
	      struct strbuf *err);

/* Like scan_tree, limited to paths (root-relative): a regular file is
 * listed, skipped, or left out when ignored, not source, or gone; a
 * directory is walked as scan_tree walks the root (ignore rules of its
 * ancestors applied). Used by the watcher for changed paths. */
int scan_paths(const char *root, const char *const *paths, size_t npaths,
	       const struct scan_opts *opts, struct scan_result *out, struct strbuf *err);

void scan_result_release(struct scan_result *r);

#endif
