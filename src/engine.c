/* engine.c — the running engine behind cidx-tui (see engine.h): the index
 * thread (warm table load, first index with progress, then watch_run), the
 * search thread, the dups thread, the session's cache statistics, the wake
 * eventfd, and reading source files safely. */
#include "engine.h"
#include "cache.h"
#include "diffroots.h"
#include "dups.h"
#include "extract.h"
#include "graph.h"
#include "indexer.h"
#include "scan.h"
#include "store.h"
#include "watch.h"

#include "resolve.h"
#include "search.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ENGINE_MAX_FILE (8u << 20)
/* After the first run, at most this many changed files are updated one by
 * one in the search table; more and the table is reloaded whole. */
#define ENGINE_INCREMENTAL_MAX 2000

struct engine {
	char *root, *db;
	int jobs;
	int wake_fd;                  /* eventfd: written by both threads */
	struct l1 *l1;                /* shared by the first run and the watcher */
	struct index_progress progress;   /* atomics: read by engine_status */
	/* watch_run's stop flag: written only by the SIGUSR2 handler running
	 * on the index thread itself (engine_stop signals that thread). */
	volatile sig_atomic_t stop;
	atomic_int quit;              /* engine_stop was called */
	atomic_int cancel;            /* cancels the running search */
	pthread_t index_th, search_th;
	int index_started, search_started;
	atomic_int index_done;        /* the index thread returned */
	atomic_int in_watch;          /* the index thread is inside watch_run */

	/* Index thread only. */
	struct store rd;              /* read connection for table loads */
	int rd_open;
	char **changed;               /* paths rewritten by the first run */
	size_t nchanged, ccap;

	struct search_table table;    /* its own rwlock (search.h) */
	struct search_state sstate;   /* search thread only */

	/* engine.load_lock serialises whole-table loads: a partial load made
	 * while the first (cold) index runs never lands after the final one. */
	pthread_mutex_t load_lock;

	/* engine.graph_lock guards the call graph and its generation: the
	 * index thread (first loads) or the graph thread (after live batches)
	 * writes a whole swap, the UI reads. */
	pthread_rwlock_t graph_lock;
	struct graph *graph;
	uint64_t graph_gen;

	/* The graph thread reloads the graph after live batches, so that the
	 * index thread never waits for it and the next save is taken at once.
	 * engine.graph_req_lock guards graph_want and graph_stopping;
	 * graph_cond wakes the thread. */
	pthread_t graph_th;
	int graph_started;            /* UI thread only */
	atomic_int graph_done;        /* the graph thread returned */
	pthread_mutex_t graph_req_lock;
	pthread_cond_t graph_cond;
	int graph_want, graph_stopping;
	int diff_want;                /* engine_diff_request: answer when the graph is current */
	atomic_int graph_pending;     /* a reload asked for and not finished */
	struct engine_diff diff_result;   /* newest answer */
	int diff_new;

	/* The dups thread (engine_dups_request starts it; UI thread only). */
	pthread_t dups_th;
	int dups_started;
	atomic_int dups_done;         /* the dups thread returned */
	/* engine.dups_lock guards the fields below; dups_cond wakes the thread. */
	pthread_mutex_t dups_lock;
	pthread_cond_t dups_cond;
	int dups_wanted;              /* live batches queue their paths from then on */
	int dups_ready;               /* the first index run has ended */
	int dups_stopping;
	char **dups_paths;            /* changed or removed since the last report */
	size_t ndups_paths, dups_paths_cap;
	struct engine_dups dups_result;   /* newest finished report */
	int dups_new;
	uint64_t dups_gen;

	/* engine.lock guards everything below. */
	pthread_mutex_t lock;
	pthread_cond_t cond;          /* the search thread waits for a request */
	int phase, stale, have_table;
	int cold;                     /* first run without a previous index */
	uint64_t generation, batches, files, symbols;
	uint64_t graph_gen_pub;       /* graph_gen as engine_status reports it */
	double t_index;               /* when the first run started */
	char message[256];
	char *req_query;              /* pending request, NULL: none */
	size_t req_limit;
	int stopping;
	struct engine_results result; /* newest finished results */
	int result_new;
	struct engine_cache_stats cstats;   /* summed over the session's index runs */
};

/* The index thread's watch_run stop flag, for the SIGUSR2 handler. */
static _Thread_local volatile sig_atomic_t *tl_stop;

static void wake(struct engine *e)
{
	uint64_t one = 1;
	ssize_t r = write(e->wake_fd, &one, sizeof(one));
	(void)r;   /* EAGAIN: the counter is already non-zero, the UI will wake */
}

/* Set the message (visible text) under the lock. */
static void set_message_locked(struct engine *e, const char *msg)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add_visible(&sb, msg, strlen(msg));
	snprintf(e->message, sizeof(e->message), "%s", sb.buf ? sb.buf : "");
	sb_release(&sb);
}

void engine_set_message(struct engine *e, const char *msg)
{
	pthread_mutex_lock(&e->lock);
	set_message_locked(e, msg);
	pthread_mutex_unlock(&e->lock);
}

struct engine *engine_new(const struct engine_opts *o, struct strbuf *err)
{
	struct engine *e;
	char *root;
	if (scan_find_root(o->dir ? o->dir : ".", &root, err) < 0)
		return NULL;
	e = xcalloc(1, sizeof(*e));
	e->root = root;
	e->db = o->db ? xstrdup(o->db) : store_default_path(root);
	e->jobs = o->jobs;
	e->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (e->wake_fd < 0) {
		sb_addf(err, "cannot create an eventfd: %s", strerror(errno));
		free(e->root);
		free(e->db);
		free(e);
		return NULL;
	}
	pthread_mutex_init(&e->lock, NULL);
	pthread_mutex_init(&e->load_lock, NULL);
	pthread_rwlock_init(&e->graph_lock, NULL);
	pthread_mutex_init(&e->dups_lock, NULL);
	pthread_cond_init(&e->dups_cond, NULL);
	pthread_mutex_init(&e->graph_req_lock, NULL);
	pthread_cond_init(&e->graph_cond, NULL);
	{
		pthread_condattr_t ca;
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&e->cond, &ca);
		pthread_condattr_destroy(&ca);
	}
	search_table_init(&e->table);
	e->phase = ENGINE_STARTING;
	return e;
}

const char *engine_root(const struct engine *e) { return e->root; }
const char *engine_db_path(const struct engine *e) { return e->db; }
int engine_wake_fd(const struct engine *e) { return e->wake_fd; }

void engine_drain_wake(struct engine *e)
{
	uint64_t v;
	ssize_t r = read(e->wake_fd, &v, sizeof(v));
	(void)r;
}

/* ---- the index thread ------------------------------------------------------ */

static void count_table(struct engine *e, sqlite3 *db, uint64_t *files, uint64_t *symbols)
{
	struct search_memory m;
	search_table_memory(&e->table, &m);
	*symbols = m.symbols;
	*files = 0;
	{
		sqlite3_stmt *s;
		if (db && sqlite3_prepare_v2(db, "SELECT count(*) FROM files", -1, &s, NULL) == 0) {
			if (sqlite3_step(s) == SQLITE_ROW)
				*files = (uint64_t)sqlite3_column_int64(s, 0);
			sqlite3_finalize(s);
		}
	}
}

/* The table changed: publish the counts and a new generation. */
static void publish_table(struct engine *e, int phase, int stale)
{
	uint64_t files, symbols;
	count_table(e, e->rd_open ? e->rd.db : NULL, &files, &symbols);
	pthread_mutex_lock(&e->lock);
	e->files = files;
	e->symbols = symbols;
	e->have_table = 1;
	e->generation++;
	if (phase >= 0)
		e->phase = phase;
	e->stale = stale;
	pthread_mutex_unlock(&e->lock);
	wake(e);
}

static int open_reader(struct engine *e, struct strbuf *err)
{
	if (e->rd_open)
		return 0;
	if (store_open(&e->rd, e->db, STORE_READ, err) < 0)
		return -1;
	e->rd_open = 1;
	return 0;
}

static int load_table(struct engine *e, struct strbuf *err)
{
	if (open_reader(e, err) < 0)
		return -1;
	return search_table_load(&e->table, e->rd.db, err);
}

static void dups_index_ready(struct engine *e);

static void fail(struct engine *e, const char *what, struct strbuf *err)
{
	dups_index_ready(e);   /* the dups thread says what it can load */
	pthread_mutex_lock(&e->lock);
	e->phase = ENGINE_FAILED;
	{
		char *m = xasprintf("%s: %s", what, err->buf ? err->buf : "unknown error");
		set_message_locked(e, m);
		free(m);
	}
	pthread_mutex_unlock(&e->lock);
	wake(e);
}

static void on_first_run_file(void *ctx, const char *path, int removed)
{
	struct engine *e = ctx;
	(void)removed;
	ARRAY_GROW(e->changed, e->ccap, e->nchanged + 1);
	e->changed[e->nchanged++] = xstrdup(path);
}

static void update_files(struct engine *e, const char *const *paths, size_t n)
{
	struct strbuf err = STRBUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (search_update_file(&e->table, e->rd.db, paths[i], &err) < 0) {
			engine_set_message(e, err.buf);
			sb_reset(&err);
		}
	sb_release(&err);
}

static void load_graph(struct engine *e);

static void dups_queue(struct engine *e, const char *const *paths, size_t n);

/* Files the index changed while watching (a batch, or the watcher's first
 * run, which catches what changed since the engine's own first run): the
 * search table, the duplicates and the graph follow. */
static void files_changed(struct engine *e, const char *const *paths, size_t n)
{
	struct strbuf err = STRBUF_INIT;
	dups_queue(e, paths, n);
	if (open_reader(e, &err) == 0)
		update_files(e, paths, n);
	sb_release(&err);
}

static void publish_changes(struct engine *e)
{
	publish_table(e, -1, 0);
	/* the graph takes far longer than the rest (~0.5 s on a kernel tree):
	 * its own thread reloads it and wakes the UI when it is in */
	pthread_mutex_lock(&e->graph_req_lock);
	e->graph_want = 1;
	atomic_store(&e->graph_pending, 1);
	pthread_cond_signal(&e->graph_cond);
	pthread_mutex_unlock(&e->graph_req_lock);
}

static void on_batch(void *ctx, const struct watch_batch *b)
{
	struct engine *e = ctx;
	files_changed(e, b->changed, b->nchanged);
	files_changed(e, b->removed, b->nremoved);
	pthread_mutex_lock(&e->lock);
	e->batches++;
	pthread_mutex_unlock(&e->lock);
	publish_changes(e);
}

/* ---- the call graph (index thread builds, UI reads) ------------------------- */

/* Load the call graph from the index thread's read connection and swap it
 * in; the old one is freed outside the lock. A failure keeps the old graph
 * and leaves a notice. */
static void swap_graph(struct engine *e, struct store *rd, int *rd_open)
{
	struct strbuf err = STRBUF_INIT;
	struct graph *g, *old;
	uint64_t gen;
	if (!*rd_open && store_open(rd, e->db, STORE_READ, &err) == 0)
		*rd_open = 1;
	if (!*rd_open || !(g = graph_load(rd->db, &err))) {
		char *m = xasprintf("call graph not loaded: %s", err.buf ? err.buf : "unknown error");
		engine_set_message(e, m);
		free(m);
		sb_release(&err);
		return;
	}
	sb_release(&err);
	pthread_rwlock_wrlock(&e->graph_lock);
	old = e->graph;
	e->graph = g;
	gen = ++e->graph_gen;
	pthread_rwlock_unlock(&e->graph_lock);
	if (old)
		graph_free(old);
	pthread_mutex_lock(&e->lock);
	e->graph_gen_pub = gen;
	pthread_mutex_unlock(&e->lock);
	wake(e);
}

static void load_graph(struct engine *e)
{
	swap_graph(e, &e->rd, &e->rd_open);
}

static int graph_defines(void *ctx, const char *path, const char *name)
{
	const struct graph *g = ctx;
	uint32_t first;
	size_t n = graph_file_nodes(g, path, &first);
	for (size_t i = 0; i < n; i++) {
		struct gnode_info ni;
		graph_node(g, first + (uint32_t)i, &ni);
		if (!strcmp(ni.name, name))
			return 1;
	}
	return 0;
}

/* The graph thread: the diff's roots in the current graph. */
static void diff_answer(struct engine *e, struct engine_diff *d)
{
	struct strbuf err = STRBUF_INIT;
	struct diff_scan s;
	memset(d, 0, sizeof(*d));
	if (diff_scan(e->root, NULL, &s, &err) < 0) {
		d->error = xstrdup(err.buf ? err.buf : "the diff failed");
		sb_release(&err);
		return;
	}
	pthread_rwlock_rdlock(&e->graph_lock);
	if (!e->graph) {
		d->error = xstrdup("the call graph is still loading");
	} else {
		diff_scan_keep_gone(&s, graph_defines, e->graph);
		d->graph_gen = e->graph_gen;
		d->nroots = diff_roots(e->graph, &s, &d->roots, &d->nchanged);
		d->files = s.ndf;
		d->deleted = s.ngone;
	}
	pthread_rwlock_unlock(&e->graph_lock);
	diff_scan_release(&s);
	sb_release(&err);
}

static void *graph_main(void *arg)
{
	struct engine *e = arg;
	struct store rd;
	int rd_open = 0;
	pthread_mutex_lock(&e->graph_req_lock);
	for (;;) {
		while (!e->graph_want && !e->diff_want && !e->graph_stopping)
			pthread_cond_wait(&e->graph_cond, &e->graph_req_lock);
		if (e->graph_stopping)
			break;
		if (e->graph_want) {
			e->graph_want = 0;   /* batches meanwhile ask again: one more load */
			pthread_mutex_unlock(&e->graph_req_lock);
			swap_graph(e, &rd, &rd_open);
			pthread_mutex_lock(&e->graph_req_lock);
			if (!e->graph_want)
				atomic_store(&e->graph_pending, 0);
			pthread_mutex_unlock(&e->graph_req_lock);
			wake(e);   /* the UI sees graph_pending cleared */
		} else {
			struct engine_diff d;
			e->diff_want = 0;
			pthread_mutex_unlock(&e->graph_req_lock);
			diff_answer(e, &d);
			pthread_mutex_lock(&e->graph_req_lock);
			engine_diff_release(&e->diff_result);
			e->diff_result = d;
			e->diff_new = 1;
			pthread_mutex_unlock(&e->graph_req_lock);
			wake(e);
		}
		pthread_mutex_lock(&e->graph_req_lock);
	}
	pthread_mutex_unlock(&e->graph_req_lock);
	if (rd_open)
		store_close(&rd);
	atomic_store(&e->graph_done, 1);
	return NULL;
}

/* After each index run (the index thread): add its tiers to the session's. */
static void on_run(void *ctx, const struct index_stats *st)
{
	struct engine *e = ctx;
	pthread_mutex_lock(&e->lock);
	e->cstats.runs++;
	e->cstats.l0 += st->l0;
	e->cstats.l1 += st->l1;
	e->cstats.l2 += st->l2;
	e->cstats.l3 += st->l3;
	e->cstats.parsed += st->parsed;
	e->cstats.bytes_reused += st->bytes_l0 + st->bytes_l1 + st->bytes_l2 + st->bytes_l3;
	pthread_mutex_unlock(&e->lock);
	if (atomic_load(&e->in_watch) && e->nchanged) {
		/* the watcher's first run found changes (its batches report theirs) */
		files_changed(e, (const char *const *)e->changed, e->nchanged);
		for (size_t i = 0; i < e->nchanged; i++)
			free(e->changed[i]);
		e->nchanged = 0;
		publish_changes(e);
	}
	wake(e);
}

void engine_cache_stats(struct engine *e, struct engine_cache_stats *out)
{
	pthread_mutex_lock(&e->lock);
	*out = e->cstats;
	pthread_mutex_unlock(&e->lock);
}

static void *index_main(void *arg)
{
	struct engine *e = arg;
	struct strbuf err = STRBUF_INIT;
	struct index_opts o;
	struct index_stats st;
	struct stat sb;
	int warm = 0;

	/* Warm start: an existing index answers searches while it is refreshed. */
	if (stat(e->db, &sb) == 0 && load_table(e, &err) == 0) {
		warm = 1;
		publish_table(e, ENGINE_INDEXING, 1);
		load_graph(e);
	} else {
		sb_reset(&err);
		if (e->rd_open) {
			store_close(&e->rd);
			e->rd_open = 0;
		}
	}
	pthread_mutex_lock(&e->lock);
	e->phase = ENGINE_INDEXING;
	e->cold = !warm;
	e->t_index = now_seconds();
	pthread_cond_broadcast(&e->cond);   /* the search thread starts partial loads */
	pthread_mutex_unlock(&e->lock);
	wake(e);

	memset(&o, 0, sizeof(o));
	o.l1 = e->l1;
	o.jobs = e->jobs;
	o.on_file = on_first_run_file;
	o.ctx = e;
	o.on_run = on_run;   /* stays for the watcher's runs */
	o.run_ctx = e;
	if (index_run(e->root, e->db, &o, &e->progress, &st, &err) < 0) {
		fail(e, "indexing failed", &err);
		goto out;
	}
	pthread_mutex_lock(&e->load_lock);
	if (warm && e->nchanged <= ENGINE_INCREMENTAL_MAX && !st.removed) {
		update_files(e, (const char *const *)e->changed, e->nchanged);
	} else if (load_table(e, &err) < 0) {
		pthread_mutex_unlock(&e->load_lock);
		fail(e, "loading the index failed", &err);
		goto out;
	}
	for (size_t i = 0; i < e->nchanged; i++)
		free(e->changed[i]);
	e->nchanged = 0;
	load_graph(e);   /* before "up to date": the tree answers from then on */
	dups_index_ready(e);
	publish_table(e, ENGINE_WATCHING, 0);
	pthread_mutex_unlock(&e->load_lock);

	/* Live updates. Its first run is a refresh (nearly all L0 hits); what it
	 * finds changed is collected like the first run's and applied in on_run. */
	o.on_file = on_first_run_file;
	o.ctx = e;
	tl_stop = &e->stop;
	atomic_store(&e->in_watch, 1);
	if (!atomic_load(&e->quit) && watch_run(e->root, e->db, &o, on_batch, e, &e->stop, &err) < 0)
		fail(e, "watching failed", &err);
	atomic_store(&e->in_watch, 0);
out:
	if (e->rd_open) {
		store_close(&e->rd);
		e->rd_open = 0;
	}
	sb_release(&err);
	atomic_store(&e->index_done, 1);
	return NULL;
}

/* ---- the search thread ----------------------------------------------------- */

void engine_results_release(struct engine_results *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->hits[i].name);
		free(r->hits[i].qualified);
		free(r->hits[i].file);
		free(r->hits[i].pos);
	}
	free(r->hits);
	free(r->query);
	free(r->error);
	memset(r, 0, sizeof(*r));
}

static char *visible_dup(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	sb_add_visible(&sb, s, strlen(s));
	if (!sb.buf)
		return xstrdup("");
	return sb.buf;
}

/* Returns 0, or SEARCH_CANCELLED. */
static int run_search(struct engine *e, const char *query, size_t limit, struct engine_results *out)
{
	struct search_opts so = { 0 };
	struct search_result res;
	struct strbuf err = STRBUF_INIT;
	int rc;
	so.limit = limit;
	so.threads = 1;
	so.cancel = &e->cancel;
	so.state = &e->sstate;
	rc = search_run(&e->table, query, &so, &res, &err);
	if (rc == SEARCH_CANCELLED) {
		sb_release(&err);
		return rc;
	}
	if (rc < 0) {
		out->error = visible_dup(err.buf ? err.buf : "bad query");
		sb_release(&err);
		return 0;
	}
	out->hits = xcalloc(res.n ? res.n : 1, sizeof(*out->hits));
	for (size_t i = 0; i < res.n; i++) {
		const struct search_hit *h = &res.hits[i];
		struct engine_hit *o = &out->hits[i];
		o->name = visible_dup(h->name);
		o->qualified = visible_dup(h->qualified);
		o->kind = sym_kind_name(h->kind);
		o->file = xstrdup(h->file);
		o->line = (int)h->line;
		o->callers = (int)h->callers;
		/* positions index the raw text: keep them only when it is unchanged */
		if (h->npos && !strcmp(o->qualified, h->qualified)) {
			o->pos = xreallocarray(NULL, h->npos, sizeof(*o->pos));
			memcpy(o->pos, h->pos, h->npos * sizeof(*o->pos));
			o->npos = h->npos;
		}
	}
	out->n = res.n;
	out->total = res.total;
	search_result_release(&res);
	sb_release(&err);
	return 0;
}

/* During a cold first index, load what is committed so far, at growing
 * intervals (1, 2, 4, 8 s...): searches answer long before the index is
 * complete. Called by the search thread without engine.lock; db is its own
 * read connection. */
static void partial_load(struct engine *e, struct store *db, int *db_open)
{
	struct strbuf err = STRBUF_INIT;
	uint64_t files, symbols;
	int still;
	pthread_mutex_lock(&e->load_lock);
	pthread_mutex_lock(&e->lock);
	still = e->phase == ENGINE_INDEXING && e->cold && !e->stopping;
	pthread_mutex_unlock(&e->lock);
	if (still && !*db_open && store_open(db, e->db, STORE_READ, &err) == 0)
		*db_open = 1;
	if (still && *db_open && search_table_load(&e->table, db->db, &err) == 0) {
		count_table(e, db->db, &files, &symbols);
		pthread_mutex_lock(&e->lock);
		e->files = files;
		e->symbols = symbols;
		e->have_table = 1;
		e->stale = 1;
		e->generation++;
		pthread_mutex_unlock(&e->lock);
		wake(e);
	}
	pthread_mutex_unlock(&e->load_lock);
	sb_release(&err);
}

static void *search_main(void *arg)
{
	struct engine *e = arg;
	struct store pdb;
	int pdb_open = 0;
	double next_load = 0, interval = 1.0;
	pthread_mutex_lock(&e->lock);
	for (;;) {
		char *query;
		size_t limit;
		uint64_t gen;
		struct engine_results r;
		while (!e->req_query && !e->stopping) {
			if (e->phase == ENGINE_INDEXING && e->cold) {
				struct timespec ts;
				double t;
				if (next_load == 0)
					next_load = now_seconds() + interval;
				if (now_seconds() >= next_load) {
					pthread_mutex_unlock(&e->lock);
					partial_load(e, &pdb, &pdb_open);
					interval *= 2;
					next_load = now_seconds() + interval;
					pthread_mutex_lock(&e->lock);
					continue;
				}
				/* now_seconds is CLOCK_MONOTONIC: the condition variable uses it too */
				t = next_load;
				ts.tv_sec = (time_t)t;
				ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
				pthread_cond_timedwait(&e->cond, &e->lock, &ts);
			} else {
				pthread_cond_wait(&e->cond, &e->lock);
			}
		}
		if (e->stopping)
			break;
		query = e->req_query;
		limit = e->req_limit;
		gen = e->generation;
		e->req_query = NULL;
		atomic_store(&e->cancel, 0);
		pthread_mutex_unlock(&e->lock);

		memset(&r, 0, sizeof(r));
		r.query = query;
		r.generation = gen;
		if (run_search(e, query, limit, &r) != 0) {
			engine_results_release(&r);   /* cancelled: a newer request waits */
			pthread_mutex_lock(&e->lock);
			continue;
		}
		pthread_mutex_lock(&e->lock);
		if (e->req_query) {   /* superseded while running */
			engine_results_release(&r);
			continue;
		}
		engine_results_release(&e->result);
		e->result = r;
		e->result_new = 1;
		pthread_mutex_unlock(&e->lock);
		wake(e);
		pthread_mutex_lock(&e->lock);
	}
	pthread_mutex_unlock(&e->lock);
	if (pdb_open)
		store_close(&pdb);
	search_state_release(&e->sstate);
	return NULL;
}

void engine_search(struct engine *e, const char *query, size_t limit)
{
	pthread_mutex_lock(&e->lock);
	free(e->req_query);
	e->req_query = xstrdup(query);
	e->req_limit = limit ? limit : 50;
	atomic_store(&e->cancel, 1);
	pthread_cond_signal(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

/* Move a finished result (a struct of size bytes at slot, guarded by lock,
 * new when *fresh) into taken, leaving slot empty. Returns 1 when there was
 * one; the caller releases what it held before and keeps taken. */
static int take_new(pthread_mutex_t *lock, int *fresh, void *slot, void *taken, size_t size)
{
	int got = 0;
	pthread_mutex_lock(lock);
	if (*fresh) {
		memcpy(taken, slot, size);
		memset(slot, 0, size);
		*fresh = 0;
		got = 1;
	}
	pthread_mutex_unlock(lock);
	return got;
}

int engine_take_results(struct engine *e, struct engine_results *out)
{
	struct engine_results r;
	if (!take_new(&e->lock, &e->result_new, &e->result, &r, sizeof(r)))
		return 0;
	engine_results_release(out);
	*out = r;
	return 1;
}

/* ---- status, start, stop --------------------------------------------------- */

void engine_status(struct engine *e, struct engine_status *st)
{
	double elapsed;
	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&e->lock);
	st->phase = e->phase;
	st->stale = e->stale;
	st->have_table = e->have_table;
	st->generation = e->generation;
	st->files = e->files;
	st->symbols = e->symbols;
	st->batches = e->batches;
	st->graph_generation = e->graph_gen_pub;
	st->have_graph = e->graph_gen_pub > 0;
	st->graph_pending = atomic_load(&e->graph_pending);
	memcpy(st->message, e->message, sizeof(st->message));
	elapsed = e->t_index > 0 ? now_seconds() - e->t_index : 0;
	pthread_mutex_unlock(&e->lock);
	st->done = atomic_load(&e->progress.done);
	st->total = atomic_load(&e->progress.total);
	st->rate = elapsed > 0.05 ? (double)st->done / elapsed : 0;
	st->eta = st->rate > 0 && st->total >= st->done ? (double)(st->total - st->done) / st->rate : -1;
}

static void on_stop_signal(int sig)
{
	(void)sig;
	if (tl_stop)   /* on the index thread: its watch_run stops */
		*tl_stop = 1;
}

int engine_start(struct engine *e, struct strbuf *err)
{
	struct sigaction sa;
	int rc;
	/* SIGUSR2 interrupts the watcher's poll() on stop; SA_RESTART keeps
	 * every other system call going. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR2, &sa, NULL);
	store_sqlite_setup();
	e->l1 = l1_new((size_t)64 << 20);
	if ((rc = pthread_create(&e->search_th, NULL, search_main, e))) {
		sb_addf(err, "cannot start the search thread: %s", strerror(rc));
		return -1;
	}
	e->search_started = 1;
	if ((rc = pthread_create(&e->graph_th, NULL, graph_main, e))) {
		sb_addf(err, "cannot start the graph thread: %s", strerror(rc));
		return -1;
	}
	e->graph_started = 1;
	if ((rc = pthread_create(&e->index_th, NULL, index_main, e))) {
		sb_addf(err, "cannot start the index thread: %s", strerror(rc));
		return -1;
	}
	e->index_started = 1;
	return 0;
}

/* Join a thread that sets *done as it returns, if it was started, waiting
 * until deadline at the most; -1 when it is still running then. */
static int join_by(pthread_t th, int *started, atomic_int *done, double deadline)
{
	while (*started && !atomic_load(done)) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		if (now_seconds() > deadline)
			return -1;
		nanosleep(&ts, NULL);
	}
	if (*started) {
		pthread_join(th, NULL);
		*started = 0;
	}
	return 0;
}

int engine_stop(struct engine *e, int timeout_ms)
{
	double deadline = now_seconds() + timeout_ms / 1000.0;
	pthread_mutex_lock(&e->lock);
	e->stopping = 1;
	atomic_store(&e->cancel, 1);
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
	atomic_store(&e->quit, 1);
	if (e->search_started) {
		pthread_join(e->search_th, NULL);   /* a cancelled search returns at once */
		e->search_started = 0;
	}
	pthread_mutex_lock(&e->dups_lock);
	e->dups_stopping = 1;
	pthread_cond_broadcast(&e->dups_cond);
	pthread_mutex_unlock(&e->dups_lock);
	pthread_mutex_lock(&e->graph_req_lock);
	e->graph_stopping = 1;
	pthread_cond_broadcast(&e->graph_cond);
	pthread_mutex_unlock(&e->graph_req_lock);
	/* loading definitions or a graph cannot be interrupted: wait, bounded */
	if (join_by(e->dups_th, &e->dups_started, &e->dups_done, deadline) < 0 ||
	    join_by(e->graph_th, &e->graph_started, &e->graph_done, deadline) < 0)
		return -1;
	if (!e->index_started)
		return 0;
	while (!atomic_load(&e->index_done)) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		if (now_seconds() > deadline)
			return -1;
		if (atomic_load(&e->in_watch))
			pthread_kill(e->index_th, SIGUSR2);
		nanosleep(&ts, NULL);
	}
	pthread_join(e->index_th, NULL);
	e->index_started = 0;
	return 0;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	free(e->req_query);
	engine_results_release(&e->result);
	for (size_t i = 0; i < e->nchanged; i++)
		free(e->changed[i]);
	free(e->changed);
	search_table_release(&e->table);
	engine_dups_release(&e->dups_result);
	for (size_t i = 0; i < e->ndups_paths; i++)
		free(e->dups_paths[i]);
	free(e->dups_paths);
	pthread_mutex_destroy(&e->dups_lock);
	pthread_cond_destroy(&e->dups_cond);
	engine_diff_release(&e->diff_result);
	pthread_mutex_destroy(&e->graph_req_lock);
	pthread_cond_destroy(&e->graph_cond);
	if (e->graph)
		graph_free(e->graph);
	pthread_rwlock_destroy(&e->graph_lock);
	if (e->l1)
		l1_free(e->l1);
	pthread_mutex_destroy(&e->lock);
	pthread_mutex_destroy(&e->load_lock);
	pthread_cond_destroy(&e->cond);
	close(e->wake_fd);
	free(e->root);
	free(e->db);
	free(e);
}

/* ---- call tree (UI thread, under graph_lock read) ---------------------------- */

void engine_tree_node_release(struct engine_tree_node *n)
{
	free(n->name);
	free(n->file);
	free(n->site_file);
	memset(n, 0, sizeof(*n));
}

/* The graph of generation gen, read-locked; NULL (unlocked) when stale. */
static struct graph *graph_rd(struct engine *e, uint64_t gen)
{
	pthread_rwlock_rdlock(&e->graph_lock);
	if (e->graph && e->graph_gen == gen)
		return e->graph;
	pthread_rwlock_unlock(&e->graph_lock);
	return NULL;
}

static int node_named(const struct gnode_info *ni, const char *name)
{
	size_t sl = strlen(ni->scope);
	if (!strcmp(ni->name, name))
		return 1;
	return sl && !strncmp(name, ni->scope, sl) && name[sl] == '.' && !strcmp(name + sl + 1, ni->name);
}

int engine_tree_find(struct engine *e, uint64_t gen, const char *file, int line, const char *name,
		     uint32_t *node, struct strbuf *err)
{
	struct graph *g = graph_rd(e, gen);
	uint32_t first, *found = NULL;
	size_t n, nf, defined = 0;
	if (!g) {
		sb_adds(err, "the call graph is still loading");
		return -1;
	}
	n = graph_file_nodes(g, file, &first);
	for (size_t i = 0; i < n; i++) {
		struct gnode_info ni;
		graph_node(g, first + (uint32_t)i, &ni);
		if ((int)ni.line == line && node_named(&ni, name)) {
			*node = first + (uint32_t)i;
			pthread_rwlock_unlock(&e->graph_lock);
			return 0;
		}
	}
	/* a declaration: the one definition of its name, if there is one */
	{
		const char *dot = strrchr(name, '.');
		nf = graph_find(g, dot ? dot + 1 : name, &found);
	}
	for (size_t i = 0; i < nf; i++) {
		struct gnode_info ni;
		graph_node(g, found[i], &ni);
		if (ni.kind >= 0 && node_named(&ni, name)) {
			defined++;
			*node = found[i];
		}
	}
	free(found);
	pthread_rwlock_unlock(&e->graph_lock);
	if (defined == 1)
		return 0;
	if (defined > 1)
		sb_addf(err, "%s has %zu definitions: pick one of them in the results", name, defined);
	else
		sb_addf(err, "%s is not a function: it has no calls", name);
	return -1;
}

long engine_tree_children(struct engine *e, uint64_t gen, uint32_t node, int dir, uint32_t **edges,
			  uint32_t **nodes)
{
	struct graph *g = graph_rd(e, gen);
	const uint32_t *list;
	size_t n;
	if (edges)
		*edges = NULL;
	if (nodes)
		*nodes = NULL;
	if (!g)
		return -1;
	if (node >= graph_nodes(g)) {
		pthread_rwlock_unlock(&e->graph_lock);
		return -1;
	}
	list = dir == ENGINE_CALLERS ? graph_in_edges(g, node, &n) : graph_out_edges(g, node, &n);
	if (edges && nodes) {
		*edges = xreallocarray(NULL, n ? n : 1, sizeof(uint32_t));
		*nodes = xreallocarray(NULL, n ? n : 1, sizeof(uint32_t));
		for (size_t i = 0; i < n; i++) {
			struct gedge_info ei;
			graph_edge(g, list[i], &ei);
			(*edges)[i] = list[i];
			(*nodes)[i] = dir == ENGINE_CALLERS ? ei.from : ei.to;
		}
	}
	pthread_rwlock_unlock(&e->graph_lock);
	return (long)n;
}

int engine_tree_describe(struct engine *e, uint64_t gen, uint32_t node, uint32_t edge, int dir,
			 struct engine_tree_node *out)
{
	struct graph *g = graph_rd(e, gen);
	struct gnode_info ni;
	memset(out, 0, sizeof(*out));
	if (!g)
		return -1;
	if (edge != UINT32_MAX) {
		struct gedge_info ei;
		if (edge >= graph_edges(g)) {
			pthread_rwlock_unlock(&e->graph_lock);
			return -1;
		}
		graph_edge(g, edge, &ei);
		node = dir == ENGINE_CALLERS ? ei.from : ei.to;
		out->site_file = xstrdup(ei.file);
		out->site_line = (int)ei.line;
		out->sites = (int)ei.sites;
		out->label = resolution_name(ei.resolution);
		out->uncertain = ei.resolution == RES_AMBIGUOUS || ei.resolution == RES_DYNAMIC;
	}
	if (node >= graph_nodes(g)) {
		pthread_rwlock_unlock(&e->graph_lock);
		engine_tree_node_release(out);
		return -1;
	}
	graph_node(g, node, &ni);
	out->node = node;
	out->edge = edge;
	{
		char *q = ni.scope[0] ? xasprintf("%s.%s", ni.scope, ni.name) : xstrdup(ni.name);
		out->name = visible_dup(q);
		free(q);
	}
	out->file = xstrdup(ni.file);
	out->line = (int)ni.line;
	out->external = ni.kind < 0;
	if (edge == UINT32_MAX) {
		out->site_file = xstrdup(out->file);
		out->site_line = out->line;
		out->label = "";
	}
	pthread_rwlock_unlock(&e->graph_lock);
	return 0;
}

/* ---- impact (UI thread, under graph_lock read) ------------------------------- */

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void engine_impact_release(struct engine_impact *r)
{
	for (size_t i = 0; i < r->files; i++)
		free(r->file_list[i]);
	free(r->file_list);
	free(r->test_hits);
	free(r->hits);
	free(r->per_hop);
	memset(r, 0, sizeof(*r));
}

int engine_impact(struct engine *e, uint64_t gen, const uint32_t *roots, size_t nroots, int depth,
		  struct engine_impact *out)
{
	struct graph *g = graph_rd(e, gen);
	struct impact_result r;
	const char **files;
	size_t nf = 0;
	memset(out, 0, sizeof(*out));
	if (!g)
		return -1;
	for (size_t i = 0; i < nroots; i++)
		if (roots[i] >= graph_nodes(g)) {
			pthread_rwlock_unlock(&e->graph_lock);
			return -1;
		}
	graph_impact(g, roots, nroots, depth > 0 ? (uint32_t)depth : 0, 0, &r);
	out->hits = xcalloc(r.n + 1, sizeof(*out->hits));
	out->per_hop = xcalloc((size_t)r.depth_reached + 1, sizeof(*out->per_hop));
	out->hops = (int)r.depth_reached;
	files = xcalloc(r.n + nroots + 1, sizeof(*files));
	out->test_hits = xcalloc(r.n + 1, sizeof(*out->test_hits));
	for (size_t i = 0; i < nroots + r.n; i++) {
		struct gnode_info ni;
		const struct impact_hit *h = i < nroots ? NULL : &r.hits[i - nroots];
		graph_node(g, h ? h->node : roots[i], &ni);
		if (ni.kind >= 0) {
			files[nf++] = ni.file;
			if (h && graph_is_test(ni.file, graph_test_globs))
				out->test_hits[out->tests++] = i - nroots;
		}
		if (!h)
			continue;
		out->hits[i - nroots] = (struct engine_impact_hit){
			.node = h->node, .edge = h->edge, .hop = (int)h->hop,
			.uncertain = h->uncertain, .cycle = h->cycle,
		};
		if (h->hop >= 1 && h->hop <= r.depth_reached)
			out->per_hop[h->hop - 1]++;
	}
	out->n = r.n;
	qsort(files, nf, sizeof(*files), cmp_cstr);
	out->file_list = xcalloc(nf + 1, sizeof(*out->file_list));
	for (size_t i = 0; i < nf; i++)
		if (!i || strcmp(files[i - 1], files[i]))
			out->file_list[out->files++] = xstrdup(files[i]);
	pthread_rwlock_unlock(&e->graph_lock);
	free(files);
	impact_result_release(&r);
	return 0;
}

/* ---- duplicates (the dups thread) ---------------------------------------------- */

/* The index thread: the first run has ended (or failed). */
static void dups_index_ready(struct engine *e)
{
	pthread_mutex_lock(&e->dups_lock);
	e->dups_ready = 1;
	pthread_cond_broadcast(&e->dups_cond);
	pthread_mutex_unlock(&e->dups_lock);
}

/* The index thread, after a live batch: the paths the dups thread must
 * read again (only once the clusters were asked for). */
static void dups_queue(struct engine *e, const char *const *paths, size_t n)
{
	pthread_mutex_lock(&e->dups_lock);
	if (e->dups_wanted && n) {
		ARRAY_GROW(e->dups_paths, e->dups_paths_cap, e->ndups_paths + n);
		for (size_t i = 0; i < n; i++)
			e->dups_paths[e->ndups_paths++] = xstrdup(paths[i]);
		pthread_cond_broadcast(&e->dups_cond);
	}
	pthread_mutex_unlock(&e->dups_lock);
}

void engine_dups_release(struct engine_dups *d)
{
	for (size_t i = 0; i < d->n; i++) {
		for (size_t k = 0; k < d->c[i].n; k++) {
			free(d->c[i].m[k].file);
			free(d->c[i].m[k].name);
		}
		free(d->c[i].m);
	}
	free(d->c);
	free(d->error);
	memset(d, 0, sizeof(*d));
}

/* Copy the report's sets of one kind into out's clusters. */
static void dups_copy_sets(struct engine_dups *out, const struct dups_set *v, size_t n, int kind)
{
	for (size_t i = 0; i < n; i++) {
		struct engine_dup_cluster *c = &out->c[out->n++];
		c->kind = kind;
		c->sim = 1.0;
		c->lines = v[i].lines;
		c->size = v[i].size;
		c->n = v[i].n;
		c->m = xcalloc(v[i].n ? v[i].n : 1, sizeof(*c->m));
		for (size_t k = 0; k < v[i].n; k++) {
			const struct dups_member *s = &v[i].m[k];
			struct engine_dup_member *m = &c->m[k];
			m->file = xstrdup(s->path);
			m->name = visible_dup(s->name ? s->name : "");
			m->line = (int)s->line;
			m->end_line = (int)s->end_line;
			m->tokens = s->ntokens;
			m->sim = s->sim;
			m->with = s->with;
			if (kind == ENGINE_DUP_NEAR && s->sim < c->sim)
				c->sim = s->sim;
		}
	}
}

static void dups_build(struct dups *d, struct engine_dups *out)
{
	struct dups_report r;
	struct dups_summary sum;
	dups_report(d, 1, &r);
	dups_summarize(&r, &sum);
	out->c = xcalloc(r.nfiles + r.nexact + r.nnear + 1, sizeof(*out->c));
	dups_copy_sets(out, r.files, r.nfiles, ENGINE_DUP_FILE);
	dups_copy_sets(out, r.exact, r.nexact, ENGINE_DUP_EXACT);
	dups_copy_sets(out, r.near, r.nnear, ENGINE_DUP_NEAR);
	out->defs = r.defs;
	out->def_lines = r.def_lines;
	out->dup_lines = r.dup_lines;
	out->share = sum.share;
	dups_report_release(&r);
}

/* Bring d up to date: load it whole the first time, else re-read the
 * changed paths (a failure reloads it whole next time). Returns the
 * structure, or NULL with a message in err. */
static struct dups *dups_refresh(struct engine *e, struct store *db, int *db_open, struct dups *d,
				 char **paths, size_t n, struct strbuf *err)
{
	static const struct dups_opts o = { DUPS_DEFAULT_THRESHOLD, DUPS_DEFAULT_MIN_TOKENS };
	if (!*db_open) {
		if (store_open(db, e->db, STORE_READ, err) < 0)
			return d;
		*db_open = 1;
	}
	if (!d)
		return dups_load(db->db, &o, err);
	for (size_t i = 0; i < n; i++)
		if (dups_update_file(d, db->db, paths[i], err) < 0) {
			dups_free(d);
			return NULL;
		}
	return d;
}

static void *dups_main(void *arg)
{
	struct engine *e = arg;
	struct strbuf err = STRBUF_INIT;
	struct store db;
	struct dups *d = NULL;
	int db_open = 0, failed = 0;
	pthread_mutex_lock(&e->dups_lock);
	for (;;) {
		struct engine_dups out;
		char **paths;
		size_t n;
		while (!e->dups_stopping && !(e->dups_ready && ((!d && !failed) || e->ndups_paths)))
			pthread_cond_wait(&e->dups_cond, &e->dups_lock);
		if (e->dups_stopping)
			break;
		paths = e->dups_paths;
		n = e->ndups_paths;
		e->dups_paths = NULL;
		e->ndups_paths = e->dups_paths_cap = 0;
		pthread_mutex_unlock(&e->dups_lock);

		memset(&out, 0, sizeof(out));
		sb_reset(&err);
		d = dups_refresh(e, &db, &db_open, d, paths, n, &err);
		failed = !d;
		if (d)
			dups_build(d, &out);
		else
			out.error = visible_dup(err.buf ? err.buf : "the definitions could not be loaded");
		for (size_t i = 0; i < n; i++)
			free(paths[i]);
		free(paths);

		pthread_mutex_lock(&e->dups_lock);
		engine_dups_release(&e->dups_result);
		out.generation = ++e->dups_gen;
		e->dups_result = out;
		e->dups_new = 1;
		pthread_mutex_unlock(&e->dups_lock);
		wake(e);
		pthread_mutex_lock(&e->dups_lock);
	}
	pthread_mutex_unlock(&e->dups_lock);
	if (d)
		dups_free(d);
	if (db_open)
		store_close(&db);
	sb_release(&err);
	atomic_store(&e->dups_done, 1);
	return NULL;
}

int engine_dups_request(struct engine *e, struct strbuf *err)
{
	int rc;
	if (e->dups_started)
		return 0;   /* running: it keeps the clusters current */
	pthread_mutex_lock(&e->dups_lock);
	e->dups_wanted = 1;
	pthread_mutex_unlock(&e->dups_lock);
	if ((rc = pthread_create(&e->dups_th, NULL, dups_main, e))) {
		sb_addf(err, "cannot start the duplicates thread: %s", strerror(rc));
		pthread_mutex_lock(&e->dups_lock);
		e->dups_wanted = 0;
		pthread_mutex_unlock(&e->dups_lock);
		return -1;
	}
	e->dups_started = 1;
	return 0;
}

int engine_take_dups(struct engine *e, struct engine_dups *out)
{
	struct engine_dups r;
	if (!take_new(&e->dups_lock, &e->dups_new, &e->dups_result, &r, sizeof(r)))
		return 0;
	engine_dups_release(out);
	*out = r;
	return 1;
}

/* ---- impact of the working-tree diff (the graph thread) ------------------------ */

void engine_diff_release(struct engine_diff *d)
{
	free(d->roots);
	free(d->error);
	memset(d, 0, sizeof(*d));
}

void engine_diff_request(struct engine *e)
{
	pthread_mutex_lock(&e->graph_req_lock);
	e->diff_want = 1;
	pthread_cond_signal(&e->graph_cond);
	pthread_mutex_unlock(&e->graph_req_lock);
}

int engine_take_diff(struct engine *e, struct engine_diff *out)
{
	struct engine_diff r;
	if (!take_new(&e->graph_req_lock, &e->diff_new, &e->diff_result, &r, sizeof(r)))
		return 0;
	engine_diff_release(out);
	*out = r;
	return 1;
}

/* ---- source text ------------------------------------------------------------ */

/* Is rel a plain relative path without ".." components? */
static int path_is_tame(const char *rel)
{
	const char *p = rel;
	if (!*rel || *rel == '/')
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += n;
		while (*p == '/')
			p++;
	}
	return 1;
}

int engine_read_file(struct engine *e, const char *path, struct engine_file *out,
		     struct strbuf *err)
{
	char *full, *real;
	size_t rl = strlen(e->root), cap = 0;
	struct stat sb;
	int fd;
	ssize_t got = 0;
	memset(out, 0, sizeof(*out));
	if (!path_is_tame(path)) {
		sb_addf(err, "'%s' is not a path inside the repository", path);
		return -1;
	}
	full = xasprintf("%s/%s", e->root, path);
	real = realpath(full, NULL);
	free(full);
	if (!real) {
		sb_addf(err, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	if (strncmp(real, e->root, rl) || (real[rl] != '/' && strcmp(e->root, "/"))) {
		sb_addf(err, "'%s' leads out of the repository", path);
		free(real);
		return -1;
	}
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	free(real);
	if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		sb_addf(err, "cannot read '%s': %s", path, fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if ((uint64_t)sb.st_size > ENGINE_MAX_FILE) {
		sb_addf(err, "'%s' is larger than %u MiB", path, ENGINE_MAX_FILE >> 20);
		close(fd);
		return -1;
	}
	out->data = xmalloc((size_t)sb.st_size + 1);
	while ((size_t)got < (size_t)sb.st_size) {
		ssize_t r = read(fd, out->data + got, (size_t)sb.st_size - (size_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += r;
	}
	close(fd);
	out->len = (size_t)got;
	out->data[out->len] = 0;
	out->path = xstrdup(path);
	for (size_t off = 0; off < out->len || (off == 0 && out->len == 0); ) {
		const char *nl;
		ARRAY_GROW(out->lines, cap, out->nlines + 1);
		out->lines[out->nlines++] = off;
		nl = memchr(out->data + off, '\n', out->len - off);
		if (!nl)
			break;
		off = (size_t)(nl - out->data) + 1;
	}
	return 0;
}

void engine_file_release(struct engine_file *f)
{
	free(f->path);
	free(f->data);
	free(f->lines);
	memset(f, 0, sizeof(*f));
}

const char *engine_file_line(const struct engine_file *f, size_t n, size_t *len)
{
	size_t a, b;
	if (n < 1 || n > f->nlines)
		return NULL;
	a = f->lines[n - 1];
	b = n < f->nlines ? f->lines[n] - 1 : f->len;
	if (b > a && f->data[b - 1] == '\n')
		b--;
	if (b > a && f->data[b - 1] == '\r')
		b--;
	*len = b - a;
	return f->data + a;
}

/* Columns taken by visible text t (one per code point; good enough for
 * tab stops in source code). */
static size_t text_columns(const char *t, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)t[i] & 0xc0) != 0x80)
			c++;
	return c;
}

void engine_visible(struct strbuf *sb, const char *s, size_t n, int tabstop, int ascii)
{
	struct strbuf seg = STRBUF_INIT;
	size_t col = 0;
	if (tabstop < 1)
		tabstop = 8;
	while (n) {
		const char *tab = memchr(s, '\t', n);
		size_t k = tab ? (size_t)(tab - s) : n;
		sb_reset(&seg);
		sb_add_visible(&seg, s, k);
		for (size_t i = 0; i < seg.len; i++) {
			unsigned char c = (unsigned char)seg.buf[i];
			if (ascii && c >= 0x80) {
				if ((c & 0xc0) != 0x80)
					sb_addc(sb, '?');
			} else {
				sb_addc(sb, (char)c);
			}
		}
		col += text_columns(seg.buf ? seg.buf : "", seg.len);
		if (!tab)
			break;
		do
			sb_addc(sb, ' ');
		while (++col % (size_t)tabstop);
		s += k + 1;
		n -= k + 1;
	}
	if (!sb->buf)
		sb_adds(sb, "");
	sb_release(&seg);
}
