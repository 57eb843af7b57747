/* watch.h — keep an index current while files change: inotify on every
 * indexed directory, a short debounce, then an index run limited to the
 * changed paths. Falls back to a stat rescan when the kernel's event queue
 * overflows, and to polling when watches cannot be had. */
#ifndef CIDX_WATCH_H
#define CIDX_WATCH_H

#include <signal.h>
#include <stdio.h>
#include "indexer.h"

#define WATCH_DEBOUNCE_MS 50

struct watch_batch {
	const char *const *changed;   /* root-relative paths whose rows were rewritten */
	size_t nchanged;
	const char *const *removed;   /* root-relative paths whose rows were deleted */
	size_t nremoved;
	double ms;                    /* first event to commit */
};

/* Called after every committed batch that changed or removed something. */
typedef void (*watch_batch_fn)(void *ctx, const struct watch_batch *b);

/* Index root, then watch it until *stop becomes non-zero (a signal handler
 * sets it). Notices (ready, overflow, polling) go to stderr. Returns 0, or
 * -1 with a message in err. */
int watch_run(const char *root, const char *dbpath, const struct index_opts *opts,
	      watch_batch_fn fn, void *ctx, volatile sig_atomic_t *stop, struct strbuf *err);

#endif
