/* test_query.c — call resolution at query time: every edge says how it was
 * resolved, and same-name definitions are never merged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "indexer.h"
#include "query.h"
#include "store.h"
#include "util.h"
#include "scratch.h"

static struct scratch sc;
static struct store st;
static struct query q;

static int setup(void **state)
{
	(void)state;
	scratch_init(&sc);
	scratch_put(&sc, "a.c", "static int helper(int x) { return x; }\n"
		    "int api(int y) { return helper(y) + twice(y) + inl(y); }\n");
	scratch_put(&sc, "b.c", "static int helper(int x) { return -x; }\n"
		    "int twice(int z) { return helper(z) + printf(\"x\"); }\n"
		    "void run(struct ops *o) { o->open(1); dup(2); }\n");
	scratch_put(&sc, "c.c", "int dup(int v) { return v; }\n");
	scratch_put(&sc, "d.c", "int dup(int v) { return v + 1; }\n");
	scratch_put(&sc, "h.h", "static inline int inl(int v) { return v; }\n");
	scratch_index_open(&sc, 1, &st);
	query_init(&q, st.db);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	query_release(&q);
	store_close(&st);
	scratch_release(&sc);
	return 0;
}

/* The edge of name's callers made from file. */
static const struct qedge *edge_from(const struct qedge *e, size_t n, const char *file)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(e[i].file, file))
			return &e[i];
	fail_msg("no call from %s", file);
	return NULL;
}

static void test_same_name_statics_stay_apart(void **state)
{
	struct qedge *e;
	size_t n;
	const struct qedge *a, *b;
	(void)state;
	assert_int_equal(query_callers(&q, "helper", &e, &n), 2);
	a = edge_from(e, n, "a.c");
	b = edge_from(e, n, "b.c");
	assert_int_equal(a->resolution, RES_SAME_FILE);
	assert_string_equal(a->cands[0].file, "a.c");
	assert_string_equal(a->caller.name, "api");
	assert_int_equal(b->resolution, RES_SAME_FILE);
	assert_string_equal(b->cands[0].file, "b.c");
	assert_string_equal(b->caller.name, "twice");
	qedges_free(e, n);
}

static void test_labels(void **state)
{
	struct qedge *e;
	size_t n;
	(void)state;
	/* one visible definition elsewhere */
	assert_int_equal(query_callers(&q, "twice", &e, &n), 1);
	assert_int_equal(e[0].resolution, RES_NAME_ONLY);
	assert_string_equal(e[0].cands[0].file, "b.c");
	qedges_free(e, n);
	/* two definitions: ambiguous, both candidates listed */
	assert_int_equal(query_callers(&q, "dup", &e, &n), 1);
	assert_int_equal(e[0].resolution, RES_AMBIGUOUS);
	assert_int_equal(e[0].ncands, 2);
	assert_string_equal(e[0].cands[0].file, "c.c");
	assert_string_equal(e[0].cands[1].file, "d.c");
	qedges_free(e, n);
	/* through a member: dynamic, with its receiver */
	assert_int_equal(query_callers(&q, "open", &e, &n), 1);
	assert_int_equal(e[0].resolution, RES_DYNAMIC);
	assert_string_equal(e[0].receiver, "o");
	qedges_free(e, n);
	/* nothing in the index defines it */
	assert_int_equal(query_callers(&q, "printf", &e, &n), 1);
	assert_int_equal(e[0].resolution, RES_UNRESOLVED);
	assert_int_equal(e[0].ncands, 0);
	qedges_free(e, n);
	/* a static inline in a header is visible to the files including it */
	assert_int_equal(query_callers(&q, "inl", &e, &n), 1);
	assert_int_equal(e[0].resolution, RES_NAME_ONLY);
	assert_string_equal(e[0].cands[0].file, "h.h");
	qedges_free(e, n);
}

static void test_callees_in_order(void **state)
{
	struct qedge *e;
	size_t n;
	(void)state;
	assert_int_equal(query_callees(&q, "api", &e, &n), 3);
	assert_string_equal(e[0].callee, "helper");
	assert_int_equal(e[0].resolution, RES_SAME_FILE);
	assert_string_equal(e[1].callee, "twice");
	assert_string_equal(e[2].callee, "inl");
	assert_true(e[0].col < e[1].col && e[1].col < e[2].col);
	qedges_free(e, n);
}

static void test_known_and_suggestions(void **state)
{
	char *sug[3];
	size_t n;
	(void)state;
	assert_true(query_known(&q, "helper"));
	assert_true(query_known(&q, "printf"));   /* a callee only */
	assert_false(query_known(&q, "nothing_like_it"));
	n = query_suggest(&q, "helpr", sug, 3);
	assert_true(n >= 1);
	assert_string_equal(sug[0], "helper");
	for (size_t i = 0; i < n; i++)
		free(sug[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_name_statics_stay_apart),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_callees_in_order),
		cmocka_unit_test(test_known_and_suggestions),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
