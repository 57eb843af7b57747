/* cache.c — L1 (memory) and L3 (shared cas.db) tiers, and the serialized
 * form of extraction results they hold. */
#include "cache.h"
#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- serialization ------------------------------------------------------ */

#define SER_MAGIC "CX3"

struct ser_header {
	char magic[4];
	uint32_t sym_size, call_size, def_size, import_size;
	uint32_t nsyms, ncalls, ndefs, nimports, strings_len, parse_errors, module;
};

void xresult_serialize(const struct xresult *r, struct strbuf *sb)
{
	struct ser_header h;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, SER_MAGIC, 4);
	h.sym_size = sizeof(struct xsym);
	h.call_size = sizeof(struct xcall);
	h.def_size = sizeof(struct xdef);
	h.import_size = sizeof(struct ximport);
	h.nimports = (uint32_t)r->nimports;
	h.module = r->module;
	h.nsyms = (uint32_t)r->nsyms;
	h.ncalls = (uint32_t)r->ncalls;
	h.ndefs = (uint32_t)r->ndefs;
	h.strings_len = (uint32_t)r->strings_len;
	h.parse_errors = r->parse_errors;
	sb_add(sb, (const char *)&h, sizeof(h));
	sb_add(sb, (const char *)r->syms, r->nsyms * sizeof(*r->syms));
	sb_add(sb, (const char *)r->calls, r->ncalls * sizeof(*r->calls));
	sb_add(sb, (const char *)r->defs, r->ndefs * sizeof(*r->defs));
	sb_add(sb, (const char *)r->imports, r->nimports * sizeof(*r->imports));
	sb_add(sb, r->strings, r->strings_len);
}

static int str_ok(const struct xresult *r, uint32_t off)
{
	return off < r->strings_len;
}

int xresult_deserialize(struct xresult *r, const void *data, size_t len)
{
	struct ser_header h;
	const char *p = data;
	uint64_t need;
	xresult_clear(r);
	if (len < sizeof(h))
		return -1;
	memcpy(&h, p, sizeof(h));
	if (memcmp(h.magic, SER_MAGIC, 4) || h.sym_size != sizeof(struct xsym) ||
	    h.call_size != sizeof(struct xcall) || h.def_size != sizeof(struct xdef) ||
	    h.import_size != sizeof(struct ximport) ||
	    h.strings_len == 0)
		return -1;
	need = sizeof(h) + (uint64_t)h.nsyms * sizeof(struct xsym) +
	       (uint64_t)h.ncalls * sizeof(struct xcall) +
	       (uint64_t)h.ndefs * sizeof(struct xdef) +
	       (uint64_t)h.nimports * sizeof(struct ximport) + h.strings_len;
	if (need != len)
		return -1;
	p += sizeof(h);
	ARRAY_GROW(r->syms, r->syms_cap, h.nsyms);
	if (h.nsyms)
		memcpy(r->syms, p, (size_t)h.nsyms * sizeof(struct xsym));
	p += (size_t)h.nsyms * sizeof(struct xsym);
	ARRAY_GROW(r->calls, r->calls_cap, h.ncalls);
	if (h.ncalls)
		memcpy(r->calls, p, (size_t)h.ncalls * sizeof(struct xcall));
	p += (size_t)h.ncalls * sizeof(struct xcall);
	ARRAY_GROW(r->defs, r->defs_cap, h.ndefs);
	if (h.ndefs)
		memcpy(r->defs, p, (size_t)h.ndefs * sizeof(struct xdef));
	p += (size_t)h.ndefs * sizeof(struct xdef);
	ARRAY_GROW(r->imports, r->imports_cap, h.nimports);
	if (h.nimports)
		memcpy(r->imports, p, (size_t)h.nimports * sizeof(struct ximport));
	p += (size_t)h.nimports * sizeof(struct ximport);
	ARRAY_GROW(r->strings, r->strings_cap, h.strings_len);
	memcpy(r->strings, p, h.strings_len);
	r->nsyms = h.nsyms;
	r->ncalls = h.ncalls;
	r->ndefs = h.ndefs;
	r->nimports = h.nimports;
	r->module = h.module;
	r->strings_len = h.strings_len;
	r->parse_errors = h.parse_errors;
	if (!str_ok(r, r->module))
		goto bad;
	for (size_t i = 0; i < r->nimports; i++) {
		const struct ximport *im = &r->imports[i];
		if (!str_ok(r, im->module) || !str_ok(r, im->name) || !str_ok(r, im->alias))
			goto bad;
	}
	if (r->strings[0] || r->strings[r->strings_len - 1])
		goto bad;
	for (size_t i = 0; i < r->nsyms; i++) {
		const struct xsym *s = &r->syms[i];
		if (!str_ok(r, s->name) || !str_ok(r, s->scope) || !str_ok(r, s->bases) ||
		    s->kind >= SK__COUNT ||
		    s->parent < -1 || s->parent >= (int64_t)r->nsyms)
			goto bad;
	}
	for (size_t i = 0; i < r->ncalls; i++) {
		const struct xcall *c = &r->calls[i];
		if (!str_ok(r, c->callee) || !str_ok(r, c->receiver) ||
		    c->caller < -1 || c->caller >= (int64_t)r->nsyms)
			goto bad;
	}
	/* definitions: function symbols, in symbol order */
	for (size_t k = 0; k < r->ndefs; k++) {
		const struct xdef *d = &r->defs[k];
		if (d->sym >= r->nsyms || !sym_kind_has_body(r->syms[d->sym].kind) ||
		    (k > 0 && d->sym <= r->defs[k - 1].sym) || d->has_sig > 1 ||
		    (d->has_sig && d->ntokens < DUP_SIG_FLOOR))
			goto bad;
	}
	return 0;
bad:
	xresult_clear(r);
	return -1;
}

void xresult_copy(struct xresult *dst, const struct xresult *src)
{
	xresult_clear(dst);
	ARRAY_GROW(dst->syms, dst->syms_cap, src->nsyms);
	ARRAY_GROW(dst->calls, dst->calls_cap, src->ncalls);
	ARRAY_GROW(dst->defs, dst->defs_cap, src->ndefs);
	ARRAY_GROW(dst->imports, dst->imports_cap, src->nimports);
	ARRAY_GROW(dst->strings, dst->strings_cap, src->strings_len);
	if (src->nsyms)
		memcpy(dst->syms, src->syms, src->nsyms * sizeof(*src->syms));
	if (src->ncalls)
		memcpy(dst->calls, src->calls, src->ncalls * sizeof(*src->calls));
	if (src->ndefs)
		memcpy(dst->defs, src->defs, src->ndefs * sizeof(*src->defs));
	if (src->nimports)
		memcpy(dst->imports, src->imports, src->nimports * sizeof(*src->imports));
	memcpy(dst->strings, src->strings, src->strings_len);
	dst->nimports = src->nimports;
	dst->module = src->module;
	dst->nsyms = src->nsyms;
	dst->ncalls = src->ncalls;
	dst->ndefs = src->ndefs;
	dst->strings_len = src->strings_len;
	dst->parse_errors = src->parse_errors;
}

static size_t xresult_bytes(const struct xresult *r)
{
	return sizeof(*r) + r->nsyms * sizeof(*r->syms) + r->ncalls * sizeof(*r->calls) +
	       r->ndefs * sizeof(*r->defs) + r->nimports * sizeof(*r->imports) + r->strings_len;
}

/* ---- L1 ----------------------------------------------------------------- */

struct l1_entry {
	uint8_t fp[FP_LEN];
	int lang;
	int ready;                     /* 0: a worker is extracting it */
	struct xresult r;
	size_t bytes;
	struct l1_entry *hnext;        /* hash chain */
	struct l1_entry *prev, *next;  /* LRU list of ready entries, most recent first */
};

struct l1 {
	pthread_mutex_t lock;          /* guards everything below */
	pthread_cond_t done;           /* an in-flight entry became ready or went away */
	struct l1_entry **buckets;
	size_t nbuckets, n;
	struct l1_entry *head, *tail;
	size_t bytes, max_bytes;
};

struct l1 *l1_new(size_t max_bytes)
{
	struct l1 *c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->done, NULL);
	c->nbuckets = 1024;
	c->buckets = xcalloc(c->nbuckets, sizeof(*c->buckets));
	c->max_bytes = max_bytes;
	return c;
}

static void entry_free(struct l1_entry *e)
{
	xresult_release(&e->r);
	free(e);
}

void l1_free(struct l1 *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nbuckets; i++)
		for (struct l1_entry *e = c->buckets[i], *nx; e; e = nx) {
			nx = e->hnext;
			entry_free(e);
		}
	free(c->buckets);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->done);
	free(c);
}

static size_t bucket_of(const struct l1 *c, const uint8_t fp[FP_LEN], int lang)
{
	uint64_t h;
	memcpy(&h, fp, sizeof(h));
	return (size_t)((h ^ (uint64_t)lang) % c->nbuckets);
}

static struct l1_entry **find(struct l1 *c, const uint8_t fp[FP_LEN], int lang)
{
	struct l1_entry **pp = &c->buckets[bucket_of(c, fp, lang)];
	while (*pp && (memcmp((*pp)->fp, fp, FP_LEN) || (*pp)->lang != lang))
		pp = &(*pp)->hnext;
	return pp;
}

static void lru_unlink(struct l1 *c, struct l1_entry *e)
{
	if (e->prev) e->prev->next = e->next; else c->head = e->next;
	if (e->next) e->next->prev = e->prev; else c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push_front(struct l1 *c, struct l1_entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head) c->head->prev = e; else c->tail = e;
	c->head = e;
}

static void remove_entry(struct l1 *c, struct l1_entry *e)
{
	struct l1_entry **pp = find(c, e->fp, e->lang);
	*pp = e->hnext;
	c->n--;
	if (e->ready) {
		lru_unlink(c, e);
		c->bytes -= e->bytes;
	}
	entry_free(e);
}

static void grow_buckets(struct l1 *c)
{
	size_t old = c->nbuckets;
	struct l1_entry **ob = c->buckets;
	c->nbuckets *= 2;
	c->buckets = xcalloc(c->nbuckets, sizeof(*c->buckets));
	for (size_t i = 0; i < old; i++)
		for (struct l1_entry *e = ob[i], *nx; e; e = nx) {
			size_t b = bucket_of(c, e->fp, e->lang);
			nx = e->hnext;
			e->hnext = c->buckets[b];
			c->buckets[b] = e;
		}
	free(ob);
}

int l1_get_or_claim(struct l1 *c, const uint8_t fp[FP_LEN], int lang, struct xresult *out)
{
	struct l1_entry *e;
	pthread_mutex_lock(&c->lock);
	for (;;) {
		e = *find(c, fp, lang);
		if (!e || e->ready)
			break;
		pthread_cond_wait(&c->done, &c->lock);
	}
	if (e) {
		xresult_copy(out, &e->r);
		lru_unlink(c, e);
		lru_push_front(c, e);
		pthread_mutex_unlock(&c->lock);
		return 1;
	}
	e = xcalloc(1, sizeof(*e));
	memcpy(e->fp, fp, FP_LEN);
	e->lang = lang;
	xresult_init(&e->r);
	if (c->n + 1 > c->nbuckets)
		grow_buckets(c);
	{
		struct l1_entry **pp = find(c, fp, lang);
		*pp = e;
	}
	c->n++;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

void l1_put(struct l1 *c, const uint8_t fp[FP_LEN], int lang, const struct xresult *r)
{
	struct l1_entry *e;
	pthread_mutex_lock(&c->lock);
	e = *find(c, fp, lang);
	if (e && !e->ready) {
		size_t bytes = xresult_bytes(r);
		if (bytes > c->max_bytes) {
			remove_entry(c, e);   /* too large to keep: just release waiters */
		} else {
			xresult_copy(&e->r, r);
			e->bytes = bytes;
			e->ready = 1;
			c->bytes += bytes;
			lru_push_front(c, e);
			while (c->bytes > c->max_bytes && c->tail && c->tail != e)
				remove_entry(c, c->tail);
		}
		pthread_cond_broadcast(&c->done);
	}
	pthread_mutex_unlock(&c->lock);
}

void l1_abandon(struct l1 *c, const uint8_t fp[FP_LEN], int lang)
{
	struct l1_entry *e;
	pthread_mutex_lock(&c->lock);
	e = *find(c, fp, lang);
	if (e && !e->ready)
		remove_entry(c, e);
	pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->lock);
}

/* ---- L3 ----------------------------------------------------------------- */

/* Bump when the cas table changes: an old cache is simply dropped. */
#define CAS_SCHEMA 3

struct cas {
	sqlite3 *db;
	sqlite3_stmt *get, *put, *put_blob, *drop_blob, *touch, *grow;
	int in_tx;
};

#define STR_(x) #x
#define STR(x) STR_(x)
#define CAS_SCHEMA_STR STR(CAS_SCHEMA)

static int user_version(sqlite3 *db)
{
	sqlite3_stmt *s;
	int v = -1;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

int cas_max_bytes(uint64_t *out, struct strbuf *err)
{
	const char *v = getenv("CIDX_CAS_MAX");
	char *end;
	double n;
	*out = CAS_DEFAULT_MAX;
	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtod(v, &end);
	if (errno || end == v || n < 0)
		goto bad;
	switch (*end) {
	case 'k': case 'K': n *= 1024; end++; break;
	case 'm': case 'M': n *= 1024 * 1024; end++; break;
	case 'g': case 'G': n *= 1024.0 * 1024 * 1024; end++; break;
	default: break;
	}
	if (*end)
		goto bad;
	*out = (uint64_t)n;
	return 0;
bad:
	sb_addf(err, "CIDX_CAS_MAX='%s' is not a size; use bytes or a number with K, M or G (e.g. 500M)", v);
	return -1;
}

char *cas_path(void)
{
	char *dir = store_cache_dir(), *p;
	p = xasprintf("%s/cas.db", dir);
	free(dir);
	return p;
}

struct cas *cas_open(const char *path, struct strbuf *err)
{
	struct cas *c = xcalloc(1, sizeof(*c));
	char *msg = NULL;
	if (store_make_parent_dirs(path, err) < 0) {
		free(c);
		return NULL;
	}
	store_sqlite_setup();
	/* one connection per thread: no per-call connection mutex */
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(c->db, 10000);
	if (sqlite3_exec(c->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
			 NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	if (user_version(c->db) != CAS_SCHEMA &&
	    sqlite3_exec(c->db,
			 "BEGIN IMMEDIATE;"
			 "DROP TABLE IF EXISTS cas; DROP TABLE IF EXISTS cas_total;"
			 "DROP TABLE IF EXISTS cas_blob;"
			 /* The results live apart from their keys: a last-used touch
			  * rewrites a small key row, never the blob. */
			 "CREATE TABLE cas_blob(id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
			 "CREATE TABLE cas(fp BLOB NOT NULL, lang TEXT NOT NULL,"
			 " xver INTEGER NOT NULL, size INTEGER NOT NULL, last_used INTEGER NOT NULL,"
			 " blob INTEGER NOT NULL, PRIMARY KEY(fp, lang, xver)) WITHOUT ROWID;"
			 "CREATE INDEX cas_lru ON cas(last_used, size);"
			 /* the running total, so that checking the cap costs one row */
			 "CREATE TABLE cas_total(id INTEGER PRIMARY KEY CHECK (id = 0), bytes INTEGER NOT NULL);"
			 "INSERT INTO cas_total VALUES(0, 0);"
			 "PRAGMA user_version=" CAS_SCHEMA_STR ";"
			 "COMMIT;", NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	if (sqlite3_prepare_v2(c->db, "SELECT b.data FROM cas JOIN cas_blob b ON b.id = cas.blob"
			       " WHERE fp=?1 AND lang=?2 AND xver=?3", -1, &c->get, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT INTO cas_blob(data) VALUES(?1)", -1, &c->put_blob,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "DELETE FROM cas_blob WHERE id=?1", -1, &c->drop_blob,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO cas(fp,lang,xver,blob,size,last_used)"
			       " VALUES(?1,?2,?3,?4,?5,?6)", -1, &c->put, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "UPDATE cas_total SET bytes = bytes + ?1 WHERE id = 0",
			       -1, &c->grow, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "UPDATE cas SET last_used=?4 WHERE fp=?1 AND lang=?2 AND xver=?3",
			       -1, &c->touch, NULL) != SQLITE_OK)
		goto fail;
	return c;
fail:
	sb_addf(err, "shared cache '%s' unavailable (%s); indexing without it", path,
		msg ? msg : c->db ? sqlite3_errmsg(c->db) : "out of memory");
	sqlite3_free(msg);
	cas_close(c);
	return NULL;
}

void cas_close(struct cas *c)
{
	if (!c)
		return;
	if (c->in_tx)
		cas_commit(c);
	sqlite3_finalize(c->get);
	sqlite3_finalize(c->put);
	sqlite3_finalize(c->put_blob);
	sqlite3_finalize(c->drop_blob);
	sqlite3_finalize(c->touch);
	sqlite3_finalize(c->grow);
	sqlite3_close(c->db);
	free(c);
}

static void bind_key(sqlite3_stmt *s, const uint8_t fp[FP_LEN], int lang)
{
	sqlite3_bind_blob(s, 1, fp, FP_LEN, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, lang_key(lang), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, CIDX_EXTRACTOR_VERSION);
}

/* Last-used stamps: a counter from the wall clock in microseconds keeps LRU
 * order stable across processes. */
static int64_t stamp(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int cas_get(struct cas *c, const uint8_t fp[FP_LEN], int lang, struct xresult *out)
{
	int hit = 0;
	bind_key(c->get, fp, lang);
	if (sqlite3_step(c->get) == SQLITE_ROW)
		hit = xresult_deserialize(out, sqlite3_column_blob(c->get, 0),
					  (size_t)sqlite3_column_bytes(c->get, 0)) == 0;
	sqlite3_reset(c->get);
	return hit;
}

static int step_reset(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(s);
	return rc;
}

int cas_put(struct cas *c, const uint8_t fp[FP_LEN], int lang, const struct xresult *r)
{
	struct strbuf sb = STRBUF_INIT;
	int64_t blob;
	int rc;
	xresult_serialize(r, &sb);
	sqlite3_bind_blob(c->put_blob, 1, sb.buf, (int)sb.len, SQLITE_STATIC);
	rc = step_reset(c->put_blob);
	blob = sqlite3_last_insert_rowid(c->db);
	if (rc == 0) {
		bind_key(c->put, fp, lang);
		sqlite3_bind_int64(c->put, 4, blob);
		sqlite3_bind_int64(c->put, 5, (int64_t)sb.len);
		sqlite3_bind_int64(c->put, 6, stamp());
		rc = step_reset(c->put);
	}
	if (rc == 0 && sqlite3_changes(c->db) == 1) {
		sqlite3_bind_int64(c->grow, 1, (int64_t)sb.len);
		rc = step_reset(c->grow);
	} else if (rc == 0) {   /* another process stored it first */
		sqlite3_bind_int64(c->drop_blob, 1, blob);
		rc = step_reset(c->drop_blob);
	}
	sb_release(&sb);
	return rc;
}

int cas_touch(struct cas *c, const uint8_t fp[FP_LEN], int lang)
{
	bind_key(c->touch, fp, lang);
	sqlite3_bind_int64(c->touch, 4, stamp());
	return step_reset(c->touch);
}

int cas_begin(struct cas *c)
{
	if (c->in_tx)
		return 0;
	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	c->in_tx = 1;
	return 0;
}

int cas_commit(struct cas *c)
{
	if (!c->in_tx)
		return 0;
	c->in_tx = 0;
	return sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int cas_evict(struct cas *c, uint64_t max_bytes, uint64_t *evicted)
{
	sqlite3_stmt *s;
	int64_t total = 0, cut = -1;
	*evicted = 0;
	if (sqlite3_prepare_v2(c->db, "SELECT bytes FROM cas_total WHERE id = 0", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		total = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if ((uint64_t)total <= max_bytes)
		return 0;
	/* Walk from the least recently used entry until enough is freed. */
	if (sqlite3_prepare_v2(c->db, "SELECT last_used, size FROM cas ORDER BY last_used", -1, &s, NULL) != SQLITE_OK)
		return -1;
	while ((uint64_t)total > max_bytes && sqlite3_step(s) == SQLITE_ROW) {
		cut = sqlite3_column_int64(s, 0);
		total -= sqlite3_column_int64(s, 1);
		(*evicted)++;
	}
	sqlite3_finalize(s);
	if (cut < 0)
		return 0;
	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(c->db, "DELETE FROM cas_blob WHERE id IN"
			       " (SELECT blob FROM cas WHERE last_used <= ?1)", -1, &s, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(s, 1, cut);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		goto fail;
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(c->db, "DELETE FROM cas WHERE last_used <= ?1", -1, &s, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(s, 1, cut);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_finalize(s);
		goto fail;
	}
	*evicted = (uint64_t)sqlite3_changes(c->db);
	sqlite3_finalize(s);
	if (sqlite3_exec(c->db, "UPDATE cas_total SET bytes = (SELECT coalesce(sum(size),0) FROM cas)"
			 " WHERE id = 0; COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}
