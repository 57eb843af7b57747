/* watch.c — the live re-indexing loop (see watch.h). Single-threaded: the
 * index runs it starts use their own worker threads. */
#include "watch.h"
#include "cache.h"
#include "scan.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#define WATCH_MAX_WAIT_MS 250     /* a steady stream of events still commits this often */
#define POLL_INTERVAL_MS 1000     /* rescan period without inotify */
#define WATCH_RETRY_MS 1000       /* after a failed index run */
#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | \
		    IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_DONT_FOLLOW | IN_ONLYDIR)

struct wdir {
	int wd;
	char *path;                   /* root-relative, "" for the root */
};

struct watcher {
	const char *root;
	int fd;                       /* inotify, or -1 when polling */
	struct wdir *dirs;
	size_t ndirs, cap;
	long max_watches;             /* 0: the kernel's limit */
	int polling;
	/* paths changed since the last run */
	char **pending;
	size_t npending, pcap;
	int rescan;                   /* overflow: look at the whole tree */
	/* the batch being reported */
	char **changed, **removed;
	size_t nchanged, ccap, nremoved, rcap;
};

static void add_pending(struct watcher *w, const char *path)
{
	for (size_t i = 0; i < w->npending; i++)
		if (!strcmp(w->pending[i], path))
			return;
	ARRAY_GROW(w->pending, w->pcap, w->npending + 1);
	w->pending[w->npending++] = xstrdup(path);
}

static void clear_pending(struct watcher *w)
{
	for (size_t i = 0; i < w->npending; i++)
		free(w->pending[i]);
	w->npending = 0;
	w->rescan = 0;
}

static const char *dir_of(struct watcher *w, int wd)
{
	for (size_t i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd)
			return w->dirs[i].path;
	return NULL;
}

static void drop_wd(struct watcher *w, int wd)
{
	for (size_t i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd) {
			free(w->dirs[i].path);
			w->dirs[i] = w->dirs[--w->ndirs];
			return;
		}
}

static void start_polling(struct watcher *w, const char *why)
{
	if (w->polling)
		return;
	fprintf(stderr, "cidx: %s; watching by polling every %d ms instead\n", why, POLL_INTERVAL_MS);
	w->polling = 1;
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	for (size_t i = 0; i < w->ndirs; i++)
		free(w->dirs[i].path);
	w->ndirs = 0;
}

/* Watch the directory rel (root-relative). Returns -1 when watching failed
 * for good (then the watcher polls). */
static int watch_dir(struct watcher *w, const char *rel)
{
	char *full;
	int wd;
	if (w->polling)
		return -1;
	if (w->max_watches && (long)w->ndirs >= w->max_watches) {
		start_polling(w, "inotify watch limit reached (CIDX_MAX_WATCHES)");
		return -1;
	}
	full = *rel ? xasprintf("%s/%s", w->root, rel) : xstrdup(w->root);
	wd = inotify_add_watch(w->fd, full, WATCH_MASK);
	free(full);
	if (wd < 0) {
		if (errno == ENOSPC || errno == ENOMEM) {
			start_polling(w, "inotify watch limit reached (raise fs.inotify.max_user_watches)");
			return -1;
		}
		return 0;   /* vanished or unreadable: nothing to watch */
	}
	for (size_t i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd) {
			free(w->dirs[i].path);
			w->dirs[i].path = xstrdup(rel);
			return 0;
		}
	ARRAY_GROW(w->dirs, w->cap, w->ndirs + 1);
	w->dirs[w->ndirs].wd = wd;
	w->dirs[w->ndirs].path = xstrdup(rel);
	w->ndirs++;
	return 0;
}

/* Watch every directory the scan walks below the given paths (or all). */
static int watch_tree(struct watcher *w, const char *const *paths, size_t n, struct strbuf *err)
{
	struct scan_result sr = { 0 };
	struct scan_opts so = { 0 };
	int rc = paths ? scan_paths(w->root, paths, n, &so, &sr, err) : scan_tree(w->root, &so, &sr, err);
	if (rc == 0)
		for (size_t i = 0; i < sr.ndirs; i++)
			if (watch_dir(w, sr.dirs[i]) < 0)
				break;
	scan_result_release(&sr);
	return rc;
}

static void on_file(void *ctx, const char *path, int removed)
{
	struct watcher *w = ctx;
	if (removed) {
		ARRAY_GROW(w->removed, w->rcap, w->nremoved + 1);
		w->removed[w->nremoved++] = xstrdup(path);
	} else {
		ARRAY_GROW(w->changed, w->ccap, w->nchanged + 1);
		w->changed[w->nchanged++] = xstrdup(path);
	}
}

static void clear_batch(struct watcher *w)
{
	for (size_t i = 0; i < w->nchanged; i++)
		free(w->changed[i]);
	for (size_t i = 0; i < w->nremoved; i++)
		free(w->removed[i]);
	w->nchanged = w->nremoved = 0;
}

/* Read what inotify has; returns the number of relevant events. */
static int read_events(struct watcher *w, struct strbuf *err)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	int relevant = 0;
	for (;;) {
		ssize_t len = read(w->fd, buf, sizeof(buf));
		if (len < 0) {
			if (errno == EINTR)
				continue;
			break;   /* EAGAIN: drained */
		}
		for (char *p = buf; p < buf + len; ) {
			struct inotify_event *ev = (struct inotify_event *)p;
			const char *dir;
			p += sizeof(*ev) + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				fprintf(stderr, "cidx: inotify event queue overflowed; rescanning\n");
				w->rescan = 1;
				relevant++;
				continue;
			}
			if (ev->mask & IN_IGNORED) {
				drop_wd(w, ev->wd);
				continue;
			}
			dir = dir_of(w, ev->wd);
			if (!dir || (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) || !ev->len) {
				if (dir && (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)))
					add_pending(w, dir);
				continue;
			}
			{
				char *rel = *dir ? xasprintf("%s/%s", dir, ev->name) : xstrdup(ev->name);
				if (!strcmp(ev->name, ".git")) {
					free(rel);
					continue;
				}
				add_pending(w, rel);
				relevant++;
				if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
					const char *one[1] = { rel };
					watch_tree(w, one, 1, err);
					sb_reset(err);
				}
				free(rel);
			}
		}
	}
	return relevant;
}

/* One index run over the pending paths. Returns 0, 1 when the run failed and
 * should be retried, -1 on a fatal error. */
static int run_batch(struct watcher *w, const char *dbpath, const struct index_opts *base,
		     double t_first, watch_batch_fn fn, void *ctx, struct strbuf *err)
{
	struct index_opts o = *base;
	struct index_stats st;
	struct watch_batch b;
	o.on_file = on_file;
	o.ctx = w;
	if (!w->rescan) {
		o.paths = (const char *const *)w->pending;
		o.npaths = w->npending;
	}
	if (index_run(w->root, dbpath, &o, NULL, &st, err) < 0) {
		/* e.g. another indexer holding the database: keep the pending
		 * paths, say so, and try again a little later */
		fprintf(stderr, "cidx: %s; retrying in %d ms\n", err->buf, WATCH_RETRY_MS);
		fflush(stderr);
		sb_reset(err);
		clear_batch(w);
		return 1;
	}
	if (w->rescan && !w->polling) {
		/* directories may have come and gone unseen */
		watch_tree(w, NULL, 0, err);
		sb_reset(err);
	}
	clear_pending(w);
	if (w->nchanged || w->nremoved) {
		b.changed = (const char *const *)w->changed;
		b.nchanged = w->nchanged;
		b.removed = (const char *const *)w->removed;
		b.nremoved = w->nremoved;
		b.ms = (now_seconds() - t_first) * 1000.0;
		fn(ctx, &b);
	}
	clear_batch(w);
	return 0;
}

int watch_run(const char *root, const char *dbpath, const struct index_opts *opts,
	      watch_batch_fn fn, void *ctx, volatile sig_atomic_t *stop, struct strbuf *err)
{
	struct watcher w;
	struct index_opts base = *opts;
	struct index_stats st;
	const char *lim = getenv("CIDX_MAX_WATCHES");
	double t_first = 0, t_last = 0;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	w.root = root;
	w.max_watches = lim ? atol(lim) : 0;
	base.l1 = opts->l1 ? opts->l1 : l1_new((size_t)64 << 20);
	/* the first run reports its files through the caller's on_file (opts);
	 * batches through their own */

	w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w.fd < 0)
		start_polling(&w, "inotify is not available");
	/* Watches first, then the initial index: nothing saved in between is lost. */
	else if (watch_tree(&w, NULL, 0, err) < 0)
		goto out;
	if (index_run(root, dbpath, &base, NULL, &st, err) < 0)
		goto out;
	fprintf(stderr, "cidx: watching %s (%llu files, %zu directories)\n", root,
		(unsigned long long)st.files, w.polling ? (size_t)0 : w.ndirs);
	fflush(stderr);

	while (!*stop) {
		int timeout;
		if (w.polling) {
			struct pollfd none;
			(void)poll(&none, 0, POLL_INTERVAL_MS);
			if (*stop)
				break;
			w.rescan = 1;
			if (run_batch(&w, dbpath, &base, now_seconds(), fn, ctx, err) < 0)
				goto out;
			continue;
		}
		if (w.npending || w.rescan) {
			/* debounce: wait for a quiet spell, but not for ever */
			double now = now_seconds();
			double quiet = t_last + WATCH_DEBOUNCE_MS / 1000.0;
			double cap = t_first + WATCH_MAX_WAIT_MS / 1000.0;
			double due = quiet < cap ? quiet : cap;
			timeout = due <= now ? 0 : (int)((due - now) * 1000.0) + 1;
		} else {
			timeout = -1;
		}
		if (timeout == 0) {
			int r = run_batch(&w, dbpath, &base, t_first, fn, ctx, err);
			if (r < 0)
				goto out;
			if (r > 0) {   /* failed: the next attempt waits */
				struct pollfd none;
				(void)poll(&none, 0, WATCH_RETRY_MS);
			}
			continue;
		}
		{
			struct pollfd p = { .fd = w.fd, .events = POLLIN };
			int had = w.npending || w.rescan;
			int n = poll(&p, 1, timeout);
			if (n < 0 && errno != EINTR) {
				sb_addf(err, "waiting for file events: %s", strerror(errno));
				goto out;
			}
			if (n > 0 && read_events(&w, err) > 0) {
				double now = now_seconds();
				if (!had)
					t_first = now;
				t_last = now;
			}
		}
	}
	rc = 0;
out:
	clear_pending(&w);
	clear_batch(&w);
	free(w.pending);
	free(w.changed);
	free(w.removed);
	for (size_t i = 0; i < w.ndirs; i++)
		free(w.dirs[i].path);
	free(w.dirs);
	if (w.fd >= 0)
		close(w.fd);
	if (!opts->l1)
		l1_free(base.l1);
	return rc;
}
