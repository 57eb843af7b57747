/* store.h — the repository's index.db: where it lives, its schema, opening
 * it safely (WAL, schema/extractor version checks, damaged files moved aside
 * and rebuilt). Writes happen in indexer.c, reads in query.c. */
#ifndef CIDX_STORE_H
#define CIDX_STORE_H

#include <sqlite3.h>
#include "util.h"

#define CIDX_SCHEMA_VERSION 5

/* Process-wide SQLite settings; called before the first connection opens. */
void store_sqlite_setup(void);

/* Directory holding cidx's caches: $CIDX_CACHE_DIR, else
 * ${XDG_CACHE_HOME:-$HOME/.cache}/cidx. Caller frees. */
char *store_cache_dir(void);
/* Default index.db path for a repository root:
 * CACHE/repos/<basename>-<hash of root>/index.db. Caller frees. */
char *store_default_path(const char *root);

/* mkdir -p the directory part of path; -1 with a message naming the
 * directory and the overrides. */
int store_make_parent_dirs(const char *path, struct strbuf *err);

enum store_mode { STORE_READ, STORE_WRITE };

struct store {
	sqlite3 *db;
	char *path;
	int fresh;       /* opened for writing and the files table was empty */
};

/* Open the index at path. STORE_WRITE creates the directory and the schema
 * when needed; a file that is not a usable index (garbage, truncated, made by
 * a newer cidx) is moved aside to PATH.bad-<N> with a notice on stderr and a
 * new one is created. STORE_READ fails with a message when there is no
 * index yet. Returns 0, or -1 with a message in err. */
int store_open(struct store *st, const char *path, enum store_mode mode, struct strbuf *err);
void store_close(struct store *st);

/* Read and write the meta table. store_meta_get returns a malloc'd string
 * or NULL. */
char *store_meta_get(struct store *st, const char *key);
int store_meta_set(struct store *st, const char *key, const char *value);

/* Run one SQL statement without results; -1 with message in err on failure. */
int store_exec(struct store *st, const char *sql, struct strbuf *err);

/* Secondary indexes are dropped for a cold bulk load and rebuilt after it. */
int store_drop_indexes(struct store *st, struct strbuf *err);
int store_create_indexes(struct store *st, struct strbuf *err);

#endif
