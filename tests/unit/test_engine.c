/* test_engine.c — the engine behind cidx-tui (src/engine.h): reading source
 * files only inside the root, text made safe for a terminal, and a running
 * engine (index thread, search thread, wake fd) answering a search and
 * stopping cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "scratch.h"

static struct scratch sc;
static struct engine *eng;

static int setup(void **state)
{
	struct engine_opts o = { 0 };
	struct strbuf err = STRBUF_INIT;
	char *git, *out, *link;
	(void)state;
	scratch_init(&sc);
	git = xasprintf("%s/.git", sc.root);
	assert_int_equal(mkdir(git, 0755), 0);
	scratch_put(&sc, "a.c", "static int helper(int x)\r\n{\n\treturn x;\n}\nint api(int y) { return helper(y); }\n");
	scratch_put(&sc, "b.c", "int other(void) { return 0; }\n");
	out = xasprintf("%s/secret.txt", sc.dir);
	link = xasprintf("%s/out.c", sc.root);
	assert_int_equal(symlink(out, link), 0);
	free(link);
	link = xasprintf("%s/in.c", sc.root);
	assert_int_equal(symlink("b.c", link), 0);
	{
		FILE *f = fopen(out, "w");
		assert_non_null(f);
		fputs("secret\n", f);
		fclose(f);
	}
	o.dir = sc.root;
	o.db = sc.db;
	o.jobs = 1;
	eng = engine_new(&o, &err);
	if (!eng)
		fail_msg("engine_new: %s", err.buf);
	free(git);
	free(out);
	free(link);
	sb_release(&err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	/* a failed check leaves the engine running: stop it before freeing */
	if (eng && engine_stop(eng, 10000) < 0)
		fprintf(stderr, "test_engine: the engine did not stop within 10 s\n");
	engine_free(eng);
	scratch_release(&sc);
	return 0;
}

static void test_read_inside_root(void **state)
{
	struct engine_file f;
	struct strbuf err = STRBUF_INIT;
	const char *l;
	size_t n;
	(void)state;
	assert_int_equal(engine_read_file(eng, "a.c", &f, &err), 0);
	assert_int_equal(f.nlines, 5);
	l = engine_file_line(&f, 1, &n);
	assert_int_equal(n, strlen("static int helper(int x)"));   /* no \r\n */
	assert_memory_equal(l, "static int helper(int x)", n);
	l = engine_file_line(&f, 5, &n);
	assert_memory_equal(l, "int api(int y) { return helper(y); }", n);
	assert_int_equal(n, strlen("int api(int y) { return helper(y); }"));
	assert_null(engine_file_line(&f, 6, &n));
	assert_null(engine_file_line(&f, 0, &n));
	engine_file_release(&f);
	/* a symlink to a file inside the root is fine */
	assert_int_equal(engine_read_file(eng, "in.c", &f, &err), 0);
	engine_file_release(&f);
	sb_release(&err);
}

static void test_refuse_outside_root(void **state)
{
	const char *bad[] = { "../secret.txt", "/etc/passwd", "out.c", "sub/../../secret.txt", "", "nope.c" };
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct engine_file f;
		struct strbuf err = STRBUF_INIT;
		assert_int_equal(engine_read_file(eng, bad[i], &f, &err), -1);
		assert_non_null(err.buf);
		assert_null(f.data);
		sb_release(&err);
	}
}

static void test_visible(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	(void)state;
	engine_visible(&sb, "a\tb", 3, 4, 0);
	assert_string_equal(sb.buf, "a   b");
	sb_reset(&sb);
	engine_visible(&sb, "ab\tc\td", 6, 4, 0);
	assert_string_equal(sb.buf, "ab  c   d");
	sb_reset(&sb);
	engine_visible(&sb, "x\x1b[2Jy\x7f\x07", 8, 8, 0);
	assert_string_equal(sb.buf, "x^[[2Jy^?^G");
	sb_reset(&sb);
	engine_visible(&sb, "caf\xc3\xa9 \xc2\x85 \xff", 10, 8, 0);
	assert_string_equal(sb.buf, "caf\xc3\xa9 <U+0085> \\xff");
	sb_reset(&sb);
	engine_visible(&sb, "caf\xc3\xa9\t!", 7, 8, 1);   /* ASCII: one '?' per character */
	assert_string_equal(sb.buf, "caf?    !");
	sb_reset(&sb);
	engine_visible(&sb, "", 0, 8, 0);
	assert_string_equal(sb.buf, "");
	sb_release(&sb);
}

/* Wait on the wake fd until cond holds (10 s deadline). */
static int wait_for(int (*cond)(void))
{
	double end = now_seconds() + 10;
	while (now_seconds() < end) {
		struct pollfd p = { .fd = engine_wake_fd(eng), .events = POLLIN };
		if (cond())
			return 1;
		if (poll(&p, 1, 100) > 0)
			engine_drain_wake(eng);
	}
	return cond();
}

static int watching(void)
{
	struct engine_status st;
	engine_status(eng, &st);
	return st.phase == ENGINE_WATCHING;
}

static struct engine_results res;

static int got_results(void)
{
	return engine_take_results(eng, &res) && !strcmp(res.query, "helpr");
}

static struct engine_dups dr;
static size_t want_clusters;

static int got_dups(void)
{
	engine_take_dups(eng, &dr);
	return dr.generation && (want_clusters == SIZE_MAX || dr.n == want_clusters);
}

static const struct engine_dup_cluster *find_kind(int kind)
{
	for (size_t i = 0; i < dr.n; i++)
		if (dr.c[i].kind == kind)
			return &dr.c[i];
	return NULL;
}

static int got_exact_pair(void)
{
	const struct engine_dup_cluster *c;
	return got_dups() && (c = find_kind(ENGINE_DUP_EXACT)) && c->n == 2;
}

/* The duplicates, asked of the running engine: a first report, then one
 * patched after a live batch adds two copies of a file; and the session's
 * cache statistics over the first run, the watcher's refresh and the batch. */
static void check_dups(void)
{
	static const char body[] = "int sum3(int a, int b, int c)\n{\n\tint t = a + b;\n\tif (t > c)\n"
		"\t\tt = t - c;\n\telse\n\t\tt = t + c * 2;\n\treturn t * a + b - c;\n}\n";
	const struct engine_dup_cluster *c;
	struct engine_cache_stats cs;
	struct strbuf err = STRBUF_INIT;
	size_t before;
	assert_int_equal(engine_dups_request(eng, &err), 0);
	want_clusters = SIZE_MAX;   /* any report */
	assert_true(wait_for(got_dups));
	assert_null(dr.error);
	assert_null(find_kind(ENGINE_DUP_EXACT));
	before = dr.n;
	scratch_put(&sc, "d1.c", body);
	scratch_put(&sc, "d2.c", body);
	/* the files, and their definitions: wait for the report that has both
	 * (a batch may catch a file half written: reports in between differ) */
	want_clusters = before + 2;
	assert_true(wait_for(got_exact_pair));
	c = find_kind(ENGINE_DUP_EXACT);
	assert_non_null(c);
	assert_int_equal(c->n, 2);
	assert_string_equal(c->m[0].file, "d1.c");
	assert_string_equal(c->m[0].name, "sum3");
	assert_int_equal(c->m[0].line, 1);
	assert_int_equal(c->m[0].end_line, 9);
	assert_string_equal(c->m[1].file, "d2.c");
	assert_int_equal(c->lines, 18);
	assert_true(dr.dup_lines >= 18 && dr.def_lines >= dr.dup_lines);
	assert_true(dr.share == (double)dr.dup_lines / (double)dr.def_lines);
	engine_dups_release(&dr);
	/* the first run and the watcher's refresh at least (the two new files
	 * land in the refresh or in a batch, as timing has it); the refresh
	 * served every file it had from L0 */
	engine_cache_stats(eng, &cs);
	assert_true(cs.runs >= 2);
	assert_true(cs.l0 >= 3);
	assert_true(cs.parsed >= 1);
	assert_true(cs.bytes_reused > 0);
	sb_release(&err);
}

static void test_running_engine(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct engine_status st;
	(void)state;
	assert_int_equal(engine_start(eng, &err), 0);
	assert_true(wait_for(watching));
	engine_status(eng, &st);
	assert_int_equal(st.files, 3);
	assert_int_equal(st.stale, 0);
	assert_true(st.have_table);
	assert_true(st.generation >= 1);
	engine_search(eng, "zzz_not_this_one", 10);   /* superseded at once */
	engine_search(eng, "helpr", 10);
	assert_true(wait_for(got_results));
	assert_true(res.n >= 1);
	assert_string_equal(res.hits[0].name, "helper");
	assert_string_equal(res.hits[0].file, "a.c");
	assert_int_equal(res.hits[0].line, 1);
	assert_string_equal(res.hits[0].kind, "function");
	assert_int_equal(res.hits[0].npos, 5);
	engine_results_release(&res);
	check_dups();
	/* the watcher stops when asked (interrupted in its poll) */
	assert_int_equal(engine_stop(eng, 5000), 0);
	sb_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_inside_root),
		cmocka_unit_test(test_refuse_outside_root),
		cmocka_unit_test(test_visible),
		cmocka_unit_test(test_running_engine),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
