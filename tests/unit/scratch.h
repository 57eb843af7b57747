/* scratch.h — a throw-away repository for unit tests that index: a mkdtemp
 * directory holding repo/, index.db and cache/ (CIDX_CACHE_DIR points there,
 * never at the developer's own cache). Include after cmocka.h. */
#ifndef CIDX_TEST_SCRATCH_H
#define CIDX_TEST_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "indexer.h"
#include "store.h"
#include "util.h"

struct scratch {
	char *dir, *root, *db, *cache;
};

static inline void scratch_init(struct scratch *s)
{
	char tmpl[] = "/tmp/cidx-unit.XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	s->dir = xstrdup(d);
	s->root = xasprintf("%s/repo", s->dir);
	s->db = xasprintf("%s/index.db", s->dir);
	s->cache = xasprintf("%s/cache", s->dir);
	setenv("CIDX_CACHE_DIR", s->cache, 1);
	assert_int_equal(mkdir(s->root, 0755), 0);
}

/* Write text to repo/name. */
static inline void scratch_put(const struct scratch *s, const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", s->root, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(p);
}

/* Index repo/ into index.db with jobs workers and open it for reading. */
static inline void scratch_index_open(const struct scratch *s, int jobs, struct store *st)
{
	struct index_opts o = { 0 };
	struct index_stats stats;
	struct strbuf err = STRBUF_INIT;
	o.jobs = jobs;
	if (index_run(s->root, s->db, &o, NULL, &stats, &err) < 0)
		fail_msg("index_run: %s", err.buf);
	if (store_open(st, s->db, STORE_READ, &err) < 0)
		fail_msg("store_open: %s", err.buf);
	sb_release(&err);
}

static inline void scratch_release(struct scratch *s)
{
	char *cmd = xasprintf("rm -rf '%s'", s->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(s->dir);
	free(s->root);
	free(s->db);
	free(s->cache);
}

#endif
