/* store.c — index.db location, schema creation and safe opening. */
#include "store.h"
#include "extract.h"
#include "fp.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS files("
	" id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, lang TEXT NOT NULL,"
	" size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,"
	" inode INTEGER NOT NULL, fp BLOB NOT NULL, parse_errors INTEGER NOT NULL,"
	" sym_lo INTEGER NOT NULL, nsyms INTEGER NOT NULL, ncalls INTEGER NOT NULL,"
	" ndefs INTEGER NOT NULL, module TEXT, nimports INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE IF NOT EXISTS symbols("
	" id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL, name TEXT NOT NULL,"
	" kind INTEGER NOT NULL, flags INTEGER NOT NULL, line INTEGER NOT NULL,"
	" col INTEGER NOT NULL, end_line INTEGER NOT NULL, end_col INTEGER NOT NULL,"
	" parent INTEGER, scope TEXT, bases TEXT);"
	/* A file's symbols have the ids sym_lo .. sym_lo+nsyms-1; its call sites
	 * and imports are one blob (callsites.h), its distinct callees one row each,
	 * clustered by file: all are replaced without per-file indexes. */
	"CREATE TABLE IF NOT EXISTS callsites(file_id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS callrefs("
	" file_id INTEGER NOT NULL, callee TEXT NOT NULL, n INTEGER NOT NULL,"
	" PRIMARY KEY(file_id, callee)) WITHOUT ROWID;"
	/* a file's function definitions for duplicate detection: one blob
	 * (dups.h) with signatures and LSH band hashes, no row per definition */
	"CREATE TABLE IF NOT EXISTS dupsigs(file_id INTEGER PRIMARY KEY, data BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS skipped(path TEXT PRIMARY KEY, reason TEXT NOT NULL);";

static const char index_sql[] =
	"CREATE INDEX IF NOT EXISTS symbols_name ON symbols(name);"
	"CREATE INDEX IF NOT EXISTS callrefs_callee ON callrefs(callee);";

static const char drop_index_sql[] =
	"DROP INDEX IF EXISTS symbols_name; DROP INDEX IF EXISTS callrefs_callee;";

char *store_cache_dir(void)
{
	const char *e = getenv("CIDX_CACHE_DIR");
	if (e && *e)
		return xstrdup(e);
	e = getenv("XDG_CACHE_HOME");
	if (e && *e == '/')
		return xasprintf("%s/cidx", e);
	e = getenv("HOME");
	return xasprintf("%s/.cache/cidx", e && *e ? e : "/tmp");
}

char *store_default_path(const char *root)
{
	uint8_t h[FP_LEN];
	char hex[2 * FP_LEN + 1];
	const char *base = strrchr(root, '/');
	char *dir = store_cache_dir(), *p;
	base = base && base[1] ? base + 1 : "root";
	fp_compute(root, strlen(root), h);
	fp_hex(h, hex);
	hex[16] = 0;
	p = xasprintf("%s/repos/%s-%s/index.db", dir, base, hex);
	free(dir);
	return p;
}

int store_make_parent_dirs(const char *path, struct strbuf *err)
{
	char *d = xstrdup(path);
	char *slash = strrchr(d, '/');
	if (!slash) {
		free(d);
		return 0;
	}
	*slash = 0;
	for (char *p = d + 1; ; p++) {
		char c = *p;
		if (c == '/' || c == 0) {
			*p = 0;
			if (mkdir(d, 0700) < 0 && errno != EEXIST) {
				sb_addf(err, "cannot create cache directory '%s': %s; set CIDX_CACHE_DIR "
					"or pass --db PATH to put the index somewhere writable",
					d, strerror(errno));
				free(d);
				return -1;
			}
			*p = c;
		}
		if (c == 0)
			break;
	}
	free(d);
	return 0;
}

int store_exec(struct store *st, const char *sql, struct strbuf *err)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		sb_addf(err, "database '%s': %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

char *store_meta_get(struct store *st, const char *key)
{
	sqlite3_stmt *s;
	char *v = NULL;
	if (sqlite3_prepare_v2(st->db, "SELECT value FROM meta WHERE key=?", -1, &s, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return v;
}

int store_meta_set(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *s;
	int rc;
	if (sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO meta(key,value) VALUES(?,?)",
			       -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(s) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(s);
	return rc;
}

int store_drop_indexes(struct store *st, struct strbuf *err)
{
	return store_exec(st, drop_index_sql, err);
}

int store_create_indexes(struct store *st, struct strbuf *err)
{
	/* building an index sorts its keys: let SQLite sort on a second thread */
	sqlite3_exec(st->db, "PRAGMA threads=2", NULL, NULL, NULL);
	return store_exec(st, index_sql, err);
}

/* Move a damaged index (and its WAL/SHM) aside so that it can be looked at. */
static int move_aside(const char *path, const char *why, struct strbuf *err)
{
	char *dst = NULL;
	for (int n = 1; n < 1000; n++) {
		struct stat sb;
		free(dst);
		dst = xasprintf("%s.bad-%d", path, n);
		if (lstat(dst, &sb) < 0)
			break;
	}
	if (rename(path, dst) < 0) {
		sb_addf(err, "index '%s' is unusable (%s) and cannot be moved aside: %s; "
			"delete it by hand", path, why, strerror(errno));
		free(dst);
		return -1;
	}
	for (const char *suf = "-wal"; suf; suf = strcmp(suf, "-wal") ? NULL : "-shm") {
		char *a = xasprintf("%s%s", path, suf);
		unlink(a);
		free(a);
	}
	fprintf(stderr, "cidx: index '%s' was unusable (%s); moved it to '%s' and rebuilding\n",
		path, why, dst);
	free(dst);
	return 0;
}

/* Is the database file shorter than its header says? A full integrity check
 * reads the whole file, far too slow for every open; a cut-off file is the
 * damage seen in practice (full disk, copy interrupted), and SQLite reports
 * other corruption as it meets it. */
static int truncated(const char *path)
{
	unsigned char h[100];
	struct stat sb;
	uint64_t page, pages;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	if (fread(h, 1, sizeof(h), f) != sizeof(h) || fstat(fileno(f), &sb) < 0) {
		fclose(f);
		return 0;
	}
	fclose(f);
	page = (uint64_t)h[16] << 8 | h[17];
	if (page == 1)
		page = 65536;
	pages = (uint64_t)h[28] << 24 | (uint64_t)h[29] << 16 | (uint64_t)h[30] << 8 | h[31];
	/* the in-header size is only valid when the two change counters agree */
	if (memcmp(h + 24, h + 92, 4) || pages == 0)
		return 0;
	return (uint64_t)sb.st_size < page * pages;
}

/* Check that an existing database is an index this cidx can use. Returns 0
 * when usable, 1 when it must be rebuilt (why set), -1 on a hard error. */
static int check_usable(struct store *st, const char **why)
{
	char *v;
	sqlite3_stmt *s;
	int n = 0, rc;
	rc = sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master", -1, &s, NULL);
	if (rc != SQLITE_OK) {
		*why = sqlite3_errmsg(st->db);
		return 1;
	}
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW) {
		*why = "not a database";
		return 1;
	}
	if (n == 0)
		return 0;  /* empty file: a new database */
	v = store_meta_get(st, "schema");
	if (!v) {
		*why = "not a cidx index";
		return 1;
	}
	n = atoi(v);
	free(v);
	if (n != CIDX_SCHEMA_VERSION) {
		*why = n > CIDX_SCHEMA_VERSION ? "made by a newer cidx" : "made by an older cidx";
		return 1;
	}
	if (truncated(st->path)) {
		*why = "truncated";
		return 1;
	}
	return 0;
}

static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
	/* Memory statistics take a global mutex on every allocation of every
	 * connection; nothing here reads them. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

void store_sqlite_setup(void)
{
	pthread_once(&sqlite_once, sqlite_setup);
}

/* How long to wait for another process's write lock: $CIDX_BUSY_TIMEOUT_MS,
 * else 10 s. */
static int busy_timeout_ms(void)
{
	const char *v = getenv("CIDX_BUSY_TIMEOUT_MS");
	char *end;
	long n;
	if (!v || !*v)
		return 10000;
	n = strtol(v, &end, 10);
	return *end || n < 0 || n > 3600000 ? 10000 : (int)n;
}

static int open_db(struct store *st, int flags, struct strbuf *err)
{
	store_sqlite_setup();
	/* a store's connection is used by one thread at a time */
	if (sqlite3_open_v2(st->path, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sb_addf(err, "cannot open index '%s': %s", st->path,
			st->db ? sqlite3_errmsg(st->db) : "out of memory");
		sqlite3_close(st->db);
		st->db = NULL;
		return -1;
	}
	sqlite3_busy_timeout(st->db, busy_timeout_ms());
	return 0;
}

int store_open(struct store *st, const char *path, enum store_mode mode, struct strbuf *err)
{
	const char *why = NULL;
	char whybuf[256];
	char ver[32];
	int r;
	memset(st, 0, sizeof(*st));
	st->path = xstrdup(path);
	if (mode == STORE_READ) {
		if (access(path, F_OK) < 0) {
			sb_addf(err, "no index at '%s'; run 'cidx index' in the repository first", path);
			goto fail;
		}
		if (open_db(st, SQLITE_OPEN_READONLY, err) < 0)
			goto fail;
		r = check_usable(st, &why);
		if (r != 0) {
			sb_addf(err, "index '%s' is unusable (%s); run 'cidx index' to rebuild it",
				path, why ? why : "unknown");
			goto fail;
		}
		return 0;
	}
	if (store_make_parent_dirs(path, err) < 0)
		goto fail;
	for (int attempt = 0; ; attempt++) {
		if (open_db(st, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err) < 0)
			goto fail;
		r = check_usable(st, &why);
		if (r == 0)
			break;
		/* why may point into the connection's error message: keep a copy */
		snprintf(whybuf, sizeof(whybuf), "%s", why ? why : "unknown");
		why = whybuf;
		sqlite3_close(st->db);
		st->db = NULL;
		if (attempt > 0 || move_aside(path, why, err) < 0)
			goto fail;
	}
	if (store_exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		       "PRAGMA cache_size=-8192;", err) < 0 ||
	    store_exec(st, schema_sql, err) < 0)
		goto fail;
	snprintf(ver, sizeof(ver), "%d", CIDX_SCHEMA_VERSION);
	{
		char *cur = store_meta_get(st, "schema");
		if (!cur && store_meta_set(st, "schema", ver) < 0) {
			sb_addf(err, "cannot write to index '%s': %s", path, sqlite3_errmsg(st->db));
			free(cur);
			goto fail;
		}
		free(cur);
	}
	{
		/* Rows made by another extractor version are recomputed. */
		char *cur = store_meta_get(st, "extractor");
		snprintf(ver, sizeof(ver), "%d", CIDX_EXTRACTOR_VERSION);
		if (!cur || strcmp(cur, ver)) {
			if (cur)
				fprintf(stderr, "cidx: index made by extractor version %s, this is %s; "
					"re-extracting every file\n", cur, ver);
			if (store_exec(st, "BEGIN; DELETE FROM callrefs; DELETE FROM callsites; DELETE FROM dupsigs;"
					       " DELETE FROM symbols; DELETE FROM files;", err) < 0 ||
			    store_meta_set(st, "extractor", ver) < 0 ||
			    store_exec(st, "COMMIT", err) < 0) {
				free(cur);
				goto fail;
			}
		}
		free(cur);
	}
	{
		sqlite3_stmt *s;
		st->fresh = 0;
		if (sqlite3_prepare_v2(st->db, "SELECT NOT EXISTS(SELECT 1 FROM files)", -1, &s, NULL) == SQLITE_OK) {
			if (sqlite3_step(s) == SQLITE_ROW)
				st->fresh = sqlite3_column_int(s, 0);
			sqlite3_finalize(s);
		}
	}
	return 0;
fail:
	store_close(st);
	return -1;
}

void store_close(struct store *st)
{
	if (st->db)
		sqlite3_close(st->db);
	free(st->path);
	st->db = NULL;
	st->path = NULL;
}
