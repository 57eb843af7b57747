/* test_indexer.c — the indexer's progress counters, read from another thread
 * while a run goes on, and its per-run statistics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "indexer.h"
#include "util.h"
#include "scratch.h"

#define NFILES 400

struct job {
	const char *root, *db;
	struct index_progress progress;
	struct index_stats stats;
	int rc;
	atomic_int finished;
};

static void *run(void *arg)
{
	struct job *j = arg;
	struct index_opts o = { 0 };
	struct strbuf err = STRBUF_INIT;
	o.jobs = 2;
	j->rc = index_run(j->root, j->db, &o, &j->progress, &j->stats, &err);
	if (j->rc < 0)
		fprintf(stderr, "index_run: %s\n", err.buf);
	sb_release(&err);
	atomic_store(&j->finished, 1);
	return NULL;
}

static void test_progress_is_readable_while_indexing(void **state)
{
	struct scratch sc;
	struct job j;
	pthread_t t;
	uint64_t last = 0, total = 0;
	int seen_partial = 0, monotonic = 1;
	(void)state;
	scratch_init(&sc);
	for (int i = 0; i < NFILES; i++) {
		char *p = xasprintf("%s/f%d.c", sc.root, i);
		FILE *f = fopen(p, "w");
		assert_non_null(f);
		for (int k = 0; k < 40; k++)
			fprintf(f, "int f%d_%d(int x) { return g%d(x) + h(x, %d); }\n", i, k, k, i);
		fclose(f);
		free(p);
	}
	memset(&j, 0, sizeof(j));
	j.root = sc.root;
	j.db = sc.db;
	atomic_init(&j.progress.total, 0);
	atomic_init(&j.progress.done, 0);
	atomic_init(&j.finished, 0);
	assert_int_equal(pthread_create(&t, NULL, run, &j), 0);
	/* Poll the counters as a UI would; they only move forward and, on a
	 * tree this size, are seen strictly between 0 and the total. */
	while (!atomic_load(&j.finished)) {
		uint64_t d = atomic_load(&j.progress.done);
		uint64_t n = atomic_load(&j.progress.total);
		if (d < last)
			monotonic = 0;
		last = d;
		if (n)
			total = n;
		if (n && d > 0 && d < n)
			seen_partial = 1;
		usleep(200);
	}
	pthread_join(t, NULL);
	assert_int_equal(j.rc, 0);
	assert_true(monotonic);
	assert_true(seen_partial);
	assert_int_equal(total, NFILES);
	assert_int_equal(atomic_load(&j.progress.done), NFILES);
	assert_int_equal(j.stats.files, NFILES);
	assert_int_equal(j.stats.parsed, NFILES);
	assert_int_equal(j.stats.symbols, NFILES * 40);
	assert_int_equal(j.stats.calls, NFILES * 80);
	scratch_release(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_progress_is_readable_while_indexing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
