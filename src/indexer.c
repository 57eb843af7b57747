/* indexer.c — one index run (see indexer.h).
 *
 * Threads: N parse workers each own an extractor (one TSParser) and take
 * jobs by an atomic counter; they hand results to the writer (the calling
 * thread) through a bounded queue guarded by run.q_lock. Only the writer
 * touches SQLite. Each commit holds whole files, so a run killed at any
 * moment leaves a consistent index that the next run completes. */
#include "indexer.h"
#include "callsites.h"
#include "dups.h"
#include "cache.h"
#include "extract.h"
#include "fp.h"
#include "scan.h"
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QUEUE_MAX 64           /* results waiting for the writer */
#define BATCH_FILES 2000       /* files per transaction ... */
#define INLINE_JOBS 2          /* runs with this few files to read need no worker threads */
#define BATCH_SECONDS 0.5      /* ... or this long, whichever comes first */
/* a one-shot run needs L1 only for files duplicated within the tree */
#define L1_DEFAULT_BYTES ((size_t)16 << 20)

struct old_file {
	int64_t id;
	char *path;
	char *lang;
	uint64_t size, inode;
	int64_t mtime_ns, ctime_ns;
	uint8_t fp[FP_LEN];
	int64_t sym_lo, nsyms; /* its symbols' ids: sym_lo .. sym_lo+nsyms-1 */
	int seen;              /* still listed by this scan */
	int in_scope;          /* covered by this run (all rows, or under opts->paths) */
};

struct job {
	const struct scan_file *sf;
	struct old_file *old;  /* NULL for a new file */
};

enum res_kind { R_L1, R_L2, R_L3, R_PARSED, R_BINARY, R_UNREADABLE };

struct result {
	struct result *next;
	struct job *job;
	enum res_kind kind;
	int err;               /* errno for R_UNREADABLE */
	size_t bytes;
	uint8_t fp[FP_LEN];
	struct xresult x;
	struct strbuf sites;   /* x's call sites encoded for the writer (callsites.h) */
	struct callref *refs;  /* x's distinct callees */
	size_t nrefs;
	struct strbuf dsigs;   /* x's definitions encoded for the writer (dups.h) */
};

struct run {
	const char *root;
	struct l1 *l1;                 /* shared by the workers (its own lock) */
	const char *cas_path;          /* NULL: no L3 */
	struct job *jobs;
	size_t njobs;
	atomic_size_t next;            /* next job to take (workers) */

	pthread_mutex_t q_lock;        /* guards q_head, q_tail, q_len, workers_left, first_left */
	pthread_cond_t q_ready;        /* writer: a result arrived or a worker left */
	pthread_cond_t q_space;        /* workers: the queue has room */
	struct result *q_head, *q_tail;
	size_t q_len;
	int workers_left;
	double first_left;             /* when the first worker ran out of jobs (CIDX_TRACE) */
};

static void queue_push(struct run *r, struct result *res)
{
	pthread_mutex_lock(&r->q_lock);
	while (r->q_len >= QUEUE_MAX)
		pthread_cond_wait(&r->q_space, &r->q_lock);
	res->next = NULL;
	if (r->q_tail)
		r->q_tail->next = res;
	else
		r->q_head = res;
	r->q_tail = res;
	r->q_len++;
	pthread_cond_signal(&r->q_ready);
	pthread_mutex_unlock(&r->q_lock);
}

/* Next result, or NULL when every worker has finished and the queue is empty. */
static struct result *queue_pop(struct run *r)
{
	struct result *res;
	pthread_mutex_lock(&r->q_lock);
	while (!r->q_head && r->workers_left > 0)
		pthread_cond_wait(&r->q_ready, &r->q_lock);
	res = r->q_head;
	if (res) {
		r->q_head = res->next;
		if (!r->q_head)
			r->q_tail = NULL;
		r->q_len--;
		pthread_cond_signal(&r->q_space);
	}
	pthread_mutex_unlock(&r->q_lock);
	return res;
}

static void process_job(struct run *r, struct extractor *ex, struct cas *cas, struct job *j,
			struct result *res)
{
	char *path = xasprintf("%s/%s", r->root, j->sf->path);
	char *src;
	size_t len;
	res->job = j;
	if (read_file(path, &src, &len) < 0) {
		res->kind = R_UNREADABLE;
		res->err = errno;
		free(path);
		return;
	}
	free(path);
	res->bytes = len;
	if (memchr(src, 0, len)) {
		res->kind = R_BINARY;
		free(src);
		return;
	}
	fp_compute(src, len, res->fp);
	if (j->old && !memcmp(j->old->fp, res->fp, FP_LEN) &&
	    !strcmp(j->old->lang, lang_name(j->sf->lang))) {
		res->kind = R_L2;
		free(src);
		return;
	}
	/* Content seen before: in this process (L1), or by any repository of
	 * this user (L3). Otherwise parse it, once even when several files of
	 * the run share it (the L1 claim makes the others wait for it). */
	if (l1_get_or_claim(r->l1, res->fp, j->sf->lang, &res->x)) {
		res->kind = R_L1;
	} else if (cas && cas_get(cas, res->fp, j->sf->lang, &res->x)) {
		res->kind = R_L3;
		l1_put(r->l1, res->fp, j->sf->lang, &res->x);
	} else {
		res->kind = R_PARSED;
		if (extractor_run(ex, j->sf->lang, src, len, &res->x) < 0)
			xresult_clear(&res->x);  /* the parser gave up: keep the file, no rows */
		l1_put(r->l1, res->fp, j->sf->lang, &res->x);
	}
	free(src);
	/* encoded here, in parallel, so the single writer only stores bytes */
	if (res->x.ncalls || res->x.nimports)
		callsites_encode(&res->x, &res->sites, &res->refs, &res->nrefs);
	if (res->x.ndefs)
		dups_encode(&res->x, &res->dsigs);
}

static void *worker_main(void *arg)
{
	struct run *r = arg;
	struct extractor *ex = extractor_new();
	struct strbuf err = STRBUF_INIT;
	/* each worker reads L3 through its own connection */
	struct cas *cas = r->cas_path ? cas_open(r->cas_path, &err) : NULL;
	sb_release(&err);
	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		struct result *res;
		if (i >= r->njobs)
			break;
		res = xcalloc(1, sizeof(*res));
		xresult_init(&res->x);
		process_job(r, ex, cas, &r->jobs[i], res);
		queue_push(r, res);
	}
	extractor_free(ex);
	cas_close(cas);
	pthread_mutex_lock(&r->q_lock);
	if (!r->first_left)
		r->first_left = now_seconds();
	r->workers_left--;
	pthread_cond_signal(&r->q_ready);
	pthread_mutex_unlock(&r->q_lock);
	return NULL;
}

/* ---- the writer --------------------------------------------------------- */

enum {
	S_INS_FILE, S_UPD_FILE, S_UPD_STAT, S_DEL_SYMS, S_DEL_SITES, S_DEL_REFS, S_DEL_DSIGS,
	S_DEL_FILE, S_INS_SYM, S_INS_SITES, S_INS_REF, S_INS_DSIGS, S__COUNT
};

static const char *const stmt_sql[S__COUNT] = {
	[S_INS_FILE] = "INSERT INTO files(path,lang,size,mtime_ns,ctime_ns,inode,fp,parse_errors,nsyms,ncalls,sym_lo,ndefs,module,nimports)"
		       " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
	[S_UPD_FILE] = "UPDATE files SET lang=?2,size=?3,mtime_ns=?4,ctime_ns=?5,inode=?6,fp=?7,"
		       "parse_errors=?8,nsyms=?9,ncalls=?10,sym_lo=?11,ndefs=?12,module=?13,nimports=?14 WHERE id=?1",
	[S_UPD_STAT] = "UPDATE files SET size=?2,mtime_ns=?3,ctime_ns=?4,inode=?5 WHERE id=?1",
	[S_DEL_SYMS] = "DELETE FROM symbols WHERE id >= ?1 AND id < ?1 + ?2",
	[S_DEL_SITES] = "DELETE FROM callsites WHERE file_id=?1",
	[S_DEL_REFS] = "DELETE FROM callrefs WHERE file_id=?1",
	[S_DEL_DSIGS] = "DELETE FROM dupsigs WHERE file_id=?1",
	[S_DEL_FILE] = "DELETE FROM files WHERE id=?1",
	[S_INS_SYM] = "INSERT INTO symbols(id,file_id,name,kind,flags,line,col,end_line,end_col,parent,scope,bases)"
		      " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
	[S_INS_SITES] = "INSERT INTO callsites(file_id,data) VALUES(?1,?2)",
	[S_INS_REF] = "INSERT INTO callrefs(file_id,callee,n) VALUES(?1,?2,?3)",
	[S_INS_DSIGS] = "INSERT INTO dupsigs(file_id,data) VALUES(?1,?2)",
};

struct writer {
	struct store *st;
	int64_t *written;          /* ids of the files whose rows this run wrote */
	size_t nwritten, written_cap;
	struct cas *cas;           /* L3 puts and touches; NULL without L3 */
	sqlite3_stmt *s[S__COUNT];
	int64_t next_sym_id;
	int in_tx;
	struct strbuf *err;
};

static int wfail(struct writer *w, const char *what)
{
	sb_addf(w->err, "writing the index '%s' (%s): %s", w->st->path, what,
		sqlite3_errmsg(w->st->db));
	return -1;
}

static int step(struct writer *w, int which)
{
	sqlite3_stmt *s = w->s[which];
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return wfail(w, stmt_sql[which]);
	return 0;
}

static int del_rows(struct writer *w, const struct old_file *o)
{
	int64_t file_id = o->id;
	sqlite3_bind_int64(w->s[S_DEL_SYMS], 1, o->sym_lo);
	sqlite3_bind_int64(w->s[S_DEL_SYMS], 2, o->nsyms);
	sqlite3_bind_int64(w->s[S_DEL_SITES], 1, file_id);
	sqlite3_bind_int64(w->s[S_DEL_REFS], 1, file_id);
	sqlite3_bind_int64(w->s[S_DEL_DSIGS], 1, file_id);
	return step(w, S_DEL_SYMS) < 0 || step(w, S_DEL_SITES) < 0 ||
	       step(w, S_DEL_REFS) < 0 || step(w, S_DEL_DSIGS) < 0 ? -1 : 0;
}

/* A file's call sites: one blob, and one row per distinct callee. */
static int write_calls(struct writer *w, int64_t file_id, const struct result *res)
{
	sqlite3_bind_int64(w->s[S_INS_SITES], 1, file_id);
	sqlite3_bind_blob(w->s[S_INS_SITES], 2, res->sites.buf, (int)res->sites.len, SQLITE_STATIC);
	if (step(w, S_INS_SITES) < 0)
		return -1;
	for (size_t i = 0; i < res->nrefs; i++) {
		sqlite3_stmt *s = w->s[S_INS_REF];
		sqlite3_bind_int64(s, 1, file_id);
		sqlite3_bind_text(s, 2, res->refs[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, res->refs[i].n);
		if (step(w, S_INS_REF) < 0)
			return -1;
	}
	return 0;
}

static int write_parsed(struct writer *w, struct result *res, struct index_stats *stats)
{
	const struct scan_file *sf = res->job->sf;
	const struct xresult *x = &res->x;
	int64_t file_id, base;
	sqlite3_stmt *s;
	int which = res->job->old ? S_UPD_FILE : S_INS_FILE;

	if (res->job->old && del_rows(w, res->job->old) < 0)
		return -1;
	s = w->s[which];
	if (res->job->old)
		sqlite3_bind_int64(s, 1, res->job->old->id);
	else
		sqlite3_bind_text(s, 1, sf->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, lang_name(sf->lang), -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, (int64_t)sf->size);
	sqlite3_bind_int64(s, 4, sf->mtime_ns);
	sqlite3_bind_int64(s, 5, sf->ctime_ns);
	sqlite3_bind_int64(s, 6, (int64_t)sf->inode);
	sqlite3_bind_blob(s, 7, res->fp, FP_LEN, SQLITE_STATIC);
	sqlite3_bind_int(s, 8, (int)x->parse_errors);
	sqlite3_bind_int64(s, 9, (int64_t)x->nsyms);
	sqlite3_bind_int64(s, 10, (int64_t)x->ncalls);
	sqlite3_bind_int64(s, 11, w->next_sym_id);
	sqlite3_bind_int64(s, 12, (int64_t)x->ndefs);
	if (x->module)
		sqlite3_bind_text(s, 13, xstr(x, x->module), -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 13);
	sqlite3_bind_int64(s, 14, (int64_t)x->nimports);
	if (step(w, which) < 0)
		return -1;
	file_id = res->job->old ? res->job->old->id : sqlite3_last_insert_rowid(w->st->db);
	ARRAY_GROW(w->written, w->written_cap, w->nwritten + 1);
	w->written[w->nwritten++] = file_id;

	/* Symbol ids are assigned here (single writer), so parents and callers
	 * are known before their rows are inserted. */
	base = w->next_sym_id;
	w->next_sym_id += (int64_t)x->nsyms;
	s = w->s[S_INS_SYM];
	for (size_t i = 0; i < x->nsyms; i++) {
		const struct xsym *y = &x->syms[i];
		sqlite3_bind_int64(s, 1, base + (int64_t)i);
		sqlite3_bind_int64(s, 2, file_id);
		sqlite3_bind_text(s, 3, xstr(x, y->name), -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, y->kind);
		sqlite3_bind_int(s, 5, y->flags);
		sqlite3_bind_int(s, 6, (int)y->line);
		sqlite3_bind_int(s, 7, (int)y->col);
		sqlite3_bind_int(s, 8, (int)y->end_line);
		sqlite3_bind_int(s, 9, (int)y->end_col);
		if (y->parent >= 0)
			sqlite3_bind_int64(s, 10, base + y->parent);
		else
			sqlite3_bind_null(s, 10);
		if (y->scope)
			sqlite3_bind_text(s, 11, xstr(x, y->scope), -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(s, 11);
		if (y->bases)
			sqlite3_bind_text(s, 12, xstr(x, y->bases), -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(s, 12);
		if (step(w, S_INS_SYM) < 0)
			return -1;
	}
	if ((x->ncalls || x->nimports) && write_calls(w, file_id, res) < 0)
		return -1;
	if (x->ndefs) {
		sqlite3_bind_int64(w->s[S_INS_DSIGS], 1, file_id);
		sqlite3_bind_blob(w->s[S_INS_DSIGS], 2, res->dsigs.buf, (int)res->dsigs.len,
				  SQLITE_STATIC);
		if (step(w, S_INS_DSIGS) < 0)
			return -1;
	}
	stats->symbols += x->nsyms;
	stats->calls += x->ncalls;
	return 0;
}

static int write_stat_only(struct writer *w, struct result *res)
{
	const struct scan_file *sf = res->job->sf;
	sqlite3_stmt *s = w->s[S_UPD_STAT];
	sqlite3_bind_int64(s, 1, res->job->old->id);
	sqlite3_bind_int64(s, 2, (int64_t)sf->size);
	sqlite3_bind_int64(s, 3, sf->mtime_ns);
	sqlite3_bind_int64(s, 4, sf->ctime_ns);
	sqlite3_bind_int64(s, 5, (int64_t)sf->inode);
	return step(w, S_UPD_STAT);
}

static int remove_file(struct writer *w, struct old_file *o)
{
	if (del_rows(w, o) < 0)
		return -1;
	sqlite3_bind_int64(w->s[S_DEL_FILE], 1, o->id);
	return step(w, S_DEL_FILE);
}

static int tx_begin(struct writer *w)
{
	if (store_exec(w->st, "BEGIN IMMEDIATE", w->err) < 0)
		return -1;
	if (w->cas)
		cas_begin(w->cas);
	w->in_tx = 1;
	return 0;
}

static int tx_commit(struct writer *w)
{
	w->in_tx = 0;
	if (w->cas)
		cas_commit(w->cas);   /* the cache is best effort: never fails a run */
	return store_exec(w->st, "COMMIT", w->err);
}

/* ---- the run ------------------------------------------------------------ */

/* Is path one of paths, or below one of them? */
static int in_paths(const char *path, const char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(paths[i]);
		if (l == 0 || (!strncmp(path, paths[i], l) && (path[l] == 0 || path[l] == '/')))
			return 1;
	}
	return 0;
}

static int cmp_old(const void *a, const void *b)
{
	return strcmp(((const struct old_file *)a)->path, ((const struct old_file *)b)->path);
}

/* The stored files, sorted by path: all of them, or (paths != NULL) those at
 * or below the given paths, found through the path index. */
static int load_old(struct store *st, const char *const *paths, size_t npaths,
		    struct old_file **out, size_t *n, struct strbuf *err)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc = SQLITE_DONE;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(st->db, paths ?
			       "SELECT id,path,lang,size,mtime_ns,ctime_ns,inode,fp,sym_lo,nsyms FROM files"
			       " WHERE path=?1 OR (path > ?1 || '/' AND path < ?1 || '0') OR ?1 = ''" :
			       /* table order and a sort in memory: walking the path
				* index costs a b-tree lookup per row */
			       "SELECT id,path,lang,size,mtime_ns,ctime_ns,inode,fp,sym_lo,nsyms FROM files",
			       -1, &s, NULL) != SQLITE_OK) {
		sb_addf(err, "reading the index '%s': %s", st->path, sqlite3_errmsg(st->db));
		return -1;
	}
	for (size_t p = 0; p < (paths ? npaths : 1); p++) {
		if (paths) {
			/* a path below another listed one was loaded with it */
			int covered = 0;
			for (size_t q = 0; q < npaths && !covered; q++)
				covered = q != p && in_paths(paths[p], &paths[q], 1) &&
					  (strcmp(paths[p], paths[q]) || q < p);
			if (covered)
				continue;
			sqlite3_bind_text(s, 1, paths[p], -1, SQLITE_STATIC);
		}
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			struct old_file *o;
			const void *fp = sqlite3_column_blob(s, 7);
			ARRAY_GROW(*out, cap, *n + 1);
			o = &(*out)[(*n)++];
			memset(o, 0, sizeof(*o));
			o->id = sqlite3_column_int64(s, 0);
			o->path = xstrdup((const char *)sqlite3_column_text(s, 1));
			o->lang = xstrdup((const char *)sqlite3_column_text(s, 2));
			o->size = (uint64_t)sqlite3_column_int64(s, 3);
			o->mtime_ns = sqlite3_column_int64(s, 4);
			o->ctime_ns = sqlite3_column_int64(s, 5);
			o->inode = (uint64_t)sqlite3_column_int64(s, 6);
			if (fp && sqlite3_column_bytes(s, 7) == FP_LEN)
				memcpy(o->fp, fp, FP_LEN);
			o->sym_lo = sqlite3_column_int64(s, 8);
			o->nsyms = sqlite3_column_int64(s, 9);
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			break;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		sb_addf(err, "reading the index '%s': %s", st->path, sqlite3_errmsg(st->db));
		return -1;
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_old);
	return 0;
}

static int stat_unchanged(const struct old_file *o, const struct scan_file *sf)
{
	return o->size == sf->size && o->mtime_ns == sf->mtime_ns &&
	       o->ctime_ns == sf->ctime_ns && o->inode == sf->inode &&
	       !strcmp(o->lang, lang_name(sf->lang));
}

static int write_skips(struct writer *w, const struct scan_result *sr,
		       struct result **cskip, size_t ncskip, const struct index_opts *opts)
{
	sqlite3_stmt *s;
	if (!opts->paths) {
		if (store_exec(w->st, "DELETE FROM skipped", w->err) < 0)
			return -1;
	} else {
		if (sqlite3_prepare_v2(w->st->db, "DELETE FROM skipped WHERE path=?1 OR "
				       "(substr(path,1,length(?1)+1) = ?1 || '/')", -1, &s, NULL) != SQLITE_OK)
			return wfail(w, "skipped");
		for (size_t i = 0; i < opts->npaths; i++) {
			sqlite3_bind_text(s, 1, opts->paths[i], -1, SQLITE_STATIC);
			if (sqlite3_step(s) != SQLITE_DONE) {
				sqlite3_finalize(s);
				return wfail(w, "skipped");
			}
			sqlite3_reset(s);
		}
		sqlite3_finalize(s);
	}
	if (sqlite3_prepare_v2(w->st->db, "INSERT OR REPLACE INTO skipped(path,reason) VALUES(?,?)",
			       -1, &s, NULL) != SQLITE_OK)
		return wfail(w, "skipped");
	for (size_t i = 0; i < sr->nskips + ncskip; i++) {
		const char *path = i < sr->nskips ? sr->skips[i].path : cskip[i - sr->nskips]->job->sf->path;
		int reason = i < sr->nskips ? sr->skips[i].reason :
			cskip[i - sr->nskips]->kind == R_BINARY ? SKIP_BINARY : SKIP_UNREADABLE;
		sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, skip_reason_name(reason), -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE) {
			sqlite3_finalize(s);
			return wfail(w, "skipped");
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return 0;
}

static void free_result(struct result *res)
{
	xresult_release(&res->x);
	sb_release(&res->sites);
	sb_release(&res->dsigs);
	free(res->refs);
	free(res);
}

static int max_sym_id(struct store *st, int64_t *out)
{
	sqlite3_stmt *s;
	int ok;
	if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id),0)+1 FROM symbols", -1, &s, NULL) != SQLITE_OK)
		return -1;
	ok = sqlite3_step(s) == SQLITE_ROW;
	if (ok)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return ok ? 0 : -1;
}

/* The scan of one run, on a thread of its own while the stored rows load. */
struct scan_task {
	const char *root;
	const struct scan_opts *sopts;
	const struct index_opts *opts;
	struct scan_result *out;
	struct strbuf err;
	int rc;
	double seconds;        /* how long the walk took (CIDX_TRACE) */
};

static void *scan_main(void *arg)
{
	struct scan_task *t = arg;
	double t0 = now_seconds();
	t->rc = t->opts->paths ?
		scan_paths(t->root, t->opts->paths, t->opts->npaths, t->sopts, t->out, &t->err) :
		scan_tree(t->root, t->sopts, t->out, &t->err);
	t->seconds = now_seconds() - t0;
	return NULL;
}

/* Nothing lost: the rows stored equal what extraction produced for every
 * file (kept per file as files.nsyms / files.ncalls). */
static int check_counts(struct store *st, const int64_t *ids, size_t nids, int whole,
			struct strbuf *err)
{
	sqlite3_stmt *s;
	int ok = 0;
	if (whole) {
		/* after a cold load: every row of the index */
		if (sqlite3_prepare_v2(st->db, "SELECT (SELECT coalesce(sum(nsyms),0) FROM files) = (SELECT count(*) FROM symbols)"
				       " AND (SELECT coalesce(sum(ncalls),0) FROM files) = (SELECT coalesce(sum(n),0) FROM callrefs)"
				       " AND (SELECT count(*) FROM files WHERE ncalls > 0 OR nimports > 0) = (SELECT count(*) FROM callsites)"
				       " AND (SELECT count(*) FROM files WHERE ndefs > 0) = (SELECT count(*) FROM dupsigs)",
				       -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
			ok = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	} else {
		/* otherwise the files this run wrote, through the file_id indexes:
		 * old rows not deleted or new ones not stored would show here */
		ok = 1;
		if (sqlite3_prepare_v2(st->db, "SELECT nsyms = (SELECT count(*) FROM symbols"
				       "  WHERE id >= sym_lo AND id < sym_lo + nsyms AND file_id=?1)"
				       " AND ncalls = (SELECT coalesce(sum(n),0) FROM callrefs WHERE file_id=?1)"
				       " AND (ncalls > 0 OR nimports > 0) = EXISTS(SELECT 1 FROM callsites WHERE file_id=?1)"
				       " AND (ndefs > 0) = EXISTS(SELECT 1 FROM dupsigs WHERE file_id=?1)"
				       " FROM files WHERE id=?1", -1, &s, NULL) != SQLITE_OK)
			ok = 0;
		for (size_t i = 0; ok && i < nids; i++) {
			sqlite3_bind_int64(s, 1, ids[i]);
			if (sqlite3_step(s) == SQLITE_ROW && !sqlite3_column_int(s, 0))
				ok = 0;
			sqlite3_reset(s);
		}
		sqlite3_finalize(s);
	}
	if (!ok)
		sb_addf(err, "index '%s' holds other symbol or call counts than were extracted; "
			"delete it and run 'cidx index' again, and please report this", st->path);
	return ok ? 0 : -1;
}

/* CIDX_TRACE=1: the time of each phase of a run on stderr, for profiling. */
static void trace_value(const char *phase, double seconds)
{
	const char *e = getenv("CIDX_TRACE");
	if (e && *e == '1')
		fprintf(stderr, "cidx: trace %-10s %8.1f ms\n", phase, seconds * 1e3);
}

/* Trace the time since *t, and restart it. */
static void trace(const char *phase, double *t)
{
	double now = now_seconds();
	trace_value(phase, now - *t);
	*t = now;
}

static int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

int index_run(const char *root, const char *dbpath, const struct index_opts *opts,
	      struct index_progress *progress, struct index_stats *stats, struct strbuf *err)
{
	struct scan_opts sopts = { opts->max_size };
	struct scan_result sr = { 0 };
	struct store st;
	struct writer w = { 0 };
	struct old_file *old = NULL;
	size_t nold = 0, oi = 0, batch = 0, ncskip = 0, cskip_cap = 0;
	struct result **cskip = NULL;     /* files skipped by content, kept for the skipped table */
	struct run r = { 0 };
	pthread_t *tids = NULL;
	int nworkers = opts->jobs > 0 ? opts->jobs : online_cpus();
	int started = 0, rc = -1, fresh;
	struct l1 *own_l1 = NULL;
	char *cas_file = NULL;
	uint64_t cas_max;
	double t0 = now_seconds(), tbatch, tt = t0;
	struct result *res;

	memset(stats, 0, sizeof(*stats));
	if (cas_max_bytes(&cas_max, err) < 0)
		return -1;
	/* The directory walk (stat-bound, and libgit2's start-up when the root
	 * is a git repository) runs while the index opens and its stored rows
	 * load (SQLite): they are independent. */
	{
		struct scan_task t = { root, &sopts, opts, &sr, STRBUF_INIT, 0, 0 };
		pthread_t tid;
		int threaded = pthread_create(&tid, NULL, scan_main, &t) == 0;
		int opened, lrc = -1;
		if (!threaded)
			scan_main(&t);
		opened = store_open(&st, dbpath, STORE_WRITE, err) == 0;
		/* a refresh reads the files table whole: map it rather than copy
		 * it page by page (a cold load keeps reads off its peak RSS) */
		if (opened && !st.fresh)
			sqlite3_exec(st.db, "PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
		if (opened)
			lrc = load_old(&st, opts->paths, opts->npaths, &old, &nold, err);
		trace("open+load", &tt);
		if (threaded)
			pthread_join(tid, NULL);
		trace_value("scan", t.seconds);
		if (opened && t.rc < 0)
			sb_add(err, t.err.buf, t.err.len);
		sb_release(&t.err);
		if (!opened) {
			scan_result_release(&sr);
			return -1;
		}
		if (t.rc < 0 || lrc < 0)
			goto out;
	}
	w.st = &st;
	w.err = err;
	fresh = st.fresh;
	trace("join", &tt);
	for (size_t i = 0; i < nold; i++)
		old[i].in_scope = !opts->paths || in_paths(old[i].path, opts->paths, opts->npaths);

	/* Merge the sorted scan with the sorted stored files: L0 hits need no
	 * work at all; the rest become jobs. */
	r.jobs = xreallocarray(NULL, sr.nfiles ? sr.nfiles : 1, sizeof(*r.jobs));
	for (size_t i = 0; i < sr.nfiles; i++) {
		const struct scan_file *sf = &sr.files[i];
		struct old_file *o = NULL;
		while (oi < nold && strcmp(old[oi].path, sf->path) < 0)
			oi++;
		if (oi < nold && !strcmp(old[oi].path, sf->path)) {
			o = &old[oi];
			o->seen = 1;
		}
		stats->files++;
		if (o && stat_unchanged(o, sf)) {
			stats->l0++;
			stats->bytes_l0 += sf->size;
			continue;
		}
		r.jobs[r.njobs].sf = sf;
		r.jobs[r.njobs].old = o;
		r.njobs++;
	}
	if (progress) {
		atomic_store(&progress->total, stats->files);
		atomic_store(&progress->done, stats->l0);
	}

	for (int k = 0; k < S__COUNT; k++)
		if (sqlite3_prepare_v3(st.db, stmt_sql[k], -1, SQLITE_PREPARE_PERSISTENT, &w.s[k], NULL) != SQLITE_OK) {
			wfail(&w, stmt_sql[k]);
			goto out;
		}
	if (max_sym_id(&st, &w.next_sym_id) < 0) {
		wfail(&w, "symbol ids");
		goto out;
	}
	/* A cold load is faster with the secondary indexes built once at the end;
	 * otherwise make sure they exist (a killed cold run may have left none). */
	if (fresh ? store_drop_indexes(&st, err) < 0 : store_create_indexes(&st, err) < 0)
		goto out;

	r.root = root;
	r.l1 = opts->l1 ? opts->l1 : (own_l1 = l1_new(L1_DEFAULT_BYTES));
	if (!opts->no_cas && r.njobs > 0) {
		struct strbuf cerr = STRBUF_INIT;
		cas_file = cas_path();
		w.cas = cas_open(cas_file, &cerr);
		if (!w.cas) {
			fprintf(stderr, "cidx: %s\n", cerr.buf);
			free(cas_file);
			cas_file = NULL;
		}
		sb_release(&cerr);
		r.cas_path = cas_file;
	}
	atomic_init(&r.next, 0);
	pthread_mutex_init(&r.q_lock, NULL);
	pthread_cond_init(&r.q_ready, NULL);
	pthread_cond_init(&r.q_space, NULL);
	if ((size_t)nworkers > r.njobs)
		nworkers = r.njobs ? (int)r.njobs : 0;
	if (r.njobs <= INLINE_JOBS)
		nworkers = 0;   /* the writer does them: no threads, no second L3 connection */
	/* Jobs stay in path order, never biggest first: files are written as
	 * they come, so the order sets the symbol ids, and call resolution
	 * breaks some ties by id (find_in_class's base-class queue): longest-
	 * first turned one stdlib edge from ambiguous to same-class. */
	r.workers_left = nworkers;
	tids = xcalloc((size_t)nworkers + 1, sizeof(*tids));
	for (; started < nworkers; started++) {
		int e = pthread_create(&tids[started], NULL, worker_main, &r);
		if (e) {
			sb_addf(err, "cannot start a worker thread: %s", strerror(e));
			pthread_mutex_lock(&r.q_lock);
			r.workers_left -= nworkers - started;
			pthread_mutex_unlock(&r.q_lock);
			atomic_store(&r.next, r.njobs);  /* stop the ones already running */
			break;
		}
	}

	trace("setup", &tt);
	if (!nworkers && r.njobs) {
		struct extractor *ex = extractor_new();
		for (size_t i = 0; i < r.njobs; i++) {
			res = xcalloc(1, sizeof(*res));
			xresult_init(&res->x);
			process_job(&r, ex, w.cas, &r.jobs[i], res);
			queue_push(&r, res);
		}
		extractor_free(ex);
	}
	if (tx_begin(&w) < 0)
		goto drain;
	tbatch = now_seconds();
	while ((res = queue_pop(&r))) {
		int wr = 0;
		switch (res->kind) {
		case R_L2:
			stats->l2++;
			stats->bytes_l2 += res->bytes;
			wr = write_stat_only(&w, res);
			break;
		case R_L1:
		case R_L3:
		case R_PARSED:
			if (res->kind == R_PARSED) {
				stats->parsed++;
				stats->bytes_parsed += res->bytes;
				if (w.cas)
					cas_put(w.cas, res->fp, res->job->sf->lang, &res->x);
			} else if (res->kind == R_L3) {
				stats->l3++;
				stats->bytes_l3 += res->bytes;
				if (w.cas)
					cas_touch(w.cas, res->fp, res->job->sf->lang);
			} else {
				stats->l1++;
				stats->bytes_l1 += res->bytes;
			}
			wr = write_parsed(&w, res, stats);
			if (opts->on_file)
				opts->on_file(opts->ctx, res->job->sf->path, 0);
			break;
		case R_BINARY:
		case R_UNREADABLE:
			stats->files--;
			if (res->job->old) {
				res->job->old->seen = 0;   /* no longer indexed: its rows go */
			}
			ARRAY_GROW(cskip, cskip_cap, ncskip + 1);
			cskip[ncskip++] = res;
			res = NULL;
			break;
		}
		if (res)
			free_result(res);
		if (progress)
			atomic_fetch_add(&progress->done, 1);
		if (wr < 0)
			goto drain;
		if (++batch >= BATCH_FILES || now_seconds() - tbatch > BATCH_SECONDS) {
			if (tx_commit(&w) < 0 || tx_begin(&w) < 0)
				goto drain;
			batch = 0;
			tbatch = now_seconds();
		}
	}
	for (size_t i = 0; i < nold; i++)
		if (!old[i].seen && old[i].in_scope) {
			if (remove_file(&w, &old[i]) < 0)
				goto drain;
			stats->removed++;
			if (opts->on_file)
				opts->on_file(opts->ctx, old[i].path, 1);
		}
	if (write_skips(&w, &sr, cskip, ncskip, opts) < 0)
		goto drain;
	stats->skipped = sr.nskips + ncskip;
	if (tx_commit(&w) < 0)
		goto drain;
	trace("write", &tt);
	{
		/* how long workers idled at the end while the last one finished */
		double first_left;
		pthread_mutex_lock(&r.q_lock);
		first_left = r.first_left;
		pthread_mutex_unlock(&r.q_lock);
		if (first_left > 0)
			trace_value("tail", tt - first_left);
	}
	if (fresh && store_create_indexes(&st, err) < 0)
		goto drain;
	trace("indexes", &tt);
	if (check_counts(&st, w.written, w.nwritten, fresh, err) < 0)
		goto drain;
	trace("check", &tt);
	if (w.cas) {
		uint64_t ev;
		if (cas_evict(w.cas, cas_max, &ev) == 0)
			stats->cas_evicted = ev;
	}
	stats->seconds = now_seconds() - t0;
	{
		char *j = xasprintf("{\"files\":%llu,\"l0\":%llu,\"l1\":%llu,\"l2\":%llu,\"l3\":%llu,"
				    "\"parsed\":%llu,\"removed\":%llu,\"skipped\":%llu,\"bytes_reused\":%llu,"
				    "\"seconds\":%.3f}",
				    (unsigned long long)stats->files, (unsigned long long)stats->l0,
				    (unsigned long long)stats->l1, (unsigned long long)stats->l2,
				    (unsigned long long)stats->l3, (unsigned long long)stats->parsed,
				    (unsigned long long)stats->removed, (unsigned long long)stats->skipped,
				    (unsigned long long)(stats->bytes_l0 + stats->bytes_l1 + stats->bytes_l2 +
							 stats->bytes_l3),
				    stats->seconds);
		/* a watcher's partial runs do not replace the last full run */
		if ((!opts->paths && store_meta_set(&st, "last_run", j) < 0) ||
		    store_meta_set(&st, "root", root) < 0) {
			free(j);
			wfail(&w, "meta");
			goto drain;
		}
		free(j);
	}
	trace("evict+meta", &tt);
	if (fresh)   /* after a cold load, fold the large WAL into the database */
		sqlite3_exec(st.db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	trace("checkpoint", &tt);
	if (opts->on_run)
		opts->on_run(opts->run_ctx, stats);
	rc = 0;
drain:
	/* On an error, stop the workers and throw their results away. */
	if (rc < 0) {
		atomic_store(&r.next, r.njobs);
		while ((res = queue_pop(&r)))
			free_result(res);
		if (w.in_tx)
			sqlite3_exec(st.db, "ROLLBACK", NULL, NULL, NULL);
	}
	for (int k = 0; k < started; k++)
		pthread_join(tids[k], NULL);
	free(tids);
	pthread_mutex_destroy(&r.q_lock);
	pthread_cond_destroy(&r.q_ready);
	pthread_cond_destroy(&r.q_space);
out:
	for (size_t i = 0; i < ncskip; i++)
		free_result(cskip[i]);
	free(cskip);
	for (int k = 0; k < S__COUNT; k++)
		sqlite3_finalize(w.s[k]);
	for (size_t i = 0; i < nold; i++) {
		free(old[i].path);
		free(old[i].lang);
	}
	free(old);
	free(r.jobs);
	free(w.written);
	cas_close(w.cas);
	free(cas_file);
	l1_free(own_l1);
	scan_result_release(&sr);
	store_close(&st);
	return rc;
}
