/* indexer.h — one index run: scan the tree, decide per file whether it must
 * be read (L0 stat check against the stored row), read and fingerprint it
 * (unchanged content: L2, only the stat is updated), parse and extract the
 * rest on worker threads, and write everything through a single writer (the
 * calling thread) in batched transactions. */
#ifndef CIDX_INDEXER_H
#define CIDX_INDEXER_H

#include <stdatomic.h>
#include <stdint.h>
#include "util.h"

struct l1;
struct index_stats;
struct index_opts {
	struct l1 *l1;         /* a long-lived L1 (watch, TUI); NULL: one for this run */
	int no_cas;            /* do not use the shared L3 cache */
	int jobs;              /* parse workers; <= 0: online CPUs */
	uint64_t max_size;     /* skip files larger than this; 0: default */
	/* Only these root-relative paths (files or directories); NULL: the whole tree. */
	const char *const *paths;
	size_t npaths;
	/* Called by the writer for every file whose rows were rewritten
	 * (removed = 0) or deleted (removed = 1), before the commit. */
	void (*on_file)(void *ctx, const char *path, int removed);
	void *ctx;
	/* Called by the calling thread after each successful run with its
	 * statistics (a watcher's runs too: it passes these options on). */
	void (*on_run)(void *run_ctx, const struct index_stats *st);
	void *run_ctx;
};

/* Where each file of a run was served from: every listed file counts in
 * exactly one of l0, l1, l2, l3, parsed (or is skipped). */
struct index_stats {
	uint64_t files;        /* source files listed and indexed */
	uint64_t l0, l1, l2, l3, parsed;
	uint64_t removed;      /* files whose rows were deleted */
	uint64_t skipped;      /* by scan or by content (binary, unreadable) */
	uint64_t symbols, calls;   /* rows written in this run */
	uint64_t bytes_parsed;
	/* bytes of the files each cache tier served: content not parsed again */
	uint64_t bytes_l0, bytes_l1, bytes_l2, bytes_l3;
	uint64_t cas_evicted;  /* L3 entries evicted to stay under the cap */
	double seconds;
};

/* Progress, readable from any thread while a run goes on. */
struct index_progress {
	atomic_uint_fast64_t total;   /* files to look at, known after the scan */
	atomic_uint_fast64_t done;    /* files committed so far */
};

/* Index root into the database at dbpath. progress may be NULL. Returns 0,
 * or -1 with a message in err. */
int index_run(const char *root, const char *dbpath, const struct index_opts *opts,
	      struct index_progress *progress, struct index_stats *stats, struct strbuf *err);

#endif
