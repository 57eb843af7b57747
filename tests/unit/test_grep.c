/* test_grep.c — the regex search engine: hits with their lines, columns,
 * match spans and enclosing definitions; case folding, the language filter,
 * files without a final newline or with "\r\n" line ends, long lines,
 * pattern errors, files that changed since indexing, the same output for any
 * thread count, and cancellation from another thread. */
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

#include "extract.h"
#include "grep.h"
#include "indexer.h"
#include "store.h"
#include "util.h"
#include "scratch.h"

#define NGEN 300     /* generated files, for the thread and cancellation cases */

static struct scratch sc;
static struct store st;

static const char a_c[] =
	"int first_hit;\n"                          /* 1 */
	"struct point {\n"
	"\tint x;\n"
	"\tint y;\n"
	"};\n"                                      /* 5 */
	"static int helper(int v)\n"
	"{\n"
	"\treturn v * 2; /* Helper */\n"
	"}\n"
	"int api(int a)\n"                          /* 10 */
	"{\n"
	"\treturn helper(a) + helper(a + 1);\n"
	"}\n"
	"int proto(int);\n"
	"#define TWICE(x) \\\n"                     /* 15 */
	"\t((x) + (x))\n"
	"enum color { RED, GREEN };\n"
	"static const int table[] = {\n"
	"\t1, 2,\n"
	"};\n"                                      /* 20 */
	"int last_hit(void) { return 0; }";        /* no final newline */

static const char b_h[] =
	"int crlf_one(void);\r\n"
	"static inline int crlf_two(void)\r\n"
	"{\r\n"
	"\treturn 2;\r\n"
	"}\r\n";

static void put_long_line(void)
{
	char *p = xasprintf("%s/long.c", sc.root);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs("/* long */\n", f);
	for (int i = 0; i < 5000; i++)
		fputc('a', f);
	fputs("NEEDLE", f);
	for (int i = 0; i < 3000; i++)
		fputc('b', f);
	fputs("\n", f);
	fclose(f);
	free(p);
}

static void put_generated(void)
{
	char *d = xasprintf("%s/gen", sc.root);
	assert_int_equal(mkdir(d, 0755), 0);
	for (int i = 0; i < NGEN; i++) {
		char *p = xasprintf("%s/f%03d.c", d, i);
		FILE *f = fopen(p, "w");
		assert_non_null(f);
		for (int k = 0; k < 30; k++)
			fprintf(f, "int g%d_%d(int x)\n{\n\treturn x + %d;\n}\n", i, k, (i * 7 + k) % 13);
		fclose(f);
		free(p);
	}
	free(d);
}

static int setup(void **state)
{
	(void)state;
	scratch_init(&sc);
	scratch_put(&sc, "a.c", a_c);
	scratch_put(&sc, "b.h", b_h);
	scratch_put(&sc, "esc.c", "const char *red = \"\x1b[31mred\x1b[0m\";\n");
	scratch_put(&sc, "atomic.c", "int ab \n  cd;\n");
	put_long_line();
	put_generated();
	scratch_index_open(&sc, 2, &st);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(&st);
	scratch_release(&sc);
	return 0;
}

/* Every hit as one line: "FILE:LINE:COL SYMBOL(KIND) |TEXT| [a,b)..." */
static int collect(void *ctx, const struct grep_hit *h)
{
	struct strbuf *o = ctx;
	assert_int_equal(strlen(h->text), h->text_len);
	sb_addf(o, "%s:%u:%u %s(%s) |%s|", h->file, h->line, h->col, h->symbol ? h->symbol : "-",
		h->symbol ? sym_kind_name(h->symbol_kind) : "-", h->text);
	for (size_t i = 0; i < h->nspans; i++)
		sb_addf(o, " [%u,%u)", h->spans[i].start, h->spans[i].end);
	sb_addc(o, '\n');
	return 0;
}

struct search {
	const char *pattern;
	int flags;
	const char *lang;
	int jobs;
	struct grep_stats stats;
	int rc;
};

/* Run a search; its transcript (caller frees). */
static char *search(struct search *s)
{
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct grep_opts o = { 0 };
	struct grep *g = grep_new(s->pattern, s->flags, &err);
	if (!g)
		fail_msg("grep_new: %s", err.buf);
	o.lang = s->lang;
	o.jobs = s->jobs ? s->jobs : 2;
	s->rc = grep_run(g, st.db, sc.root, &o, collect, &out, &s->stats, &err);
	if (s->rc < 0)
		fail_msg("grep_run: %s", err.buf);
	grep_free(g);
	sb_release(&err);
	return out.buf ? out.buf : xstrdup("");
}

static void check(const char *pattern, int flags, const char *want)
{
	struct search s = { pattern, flags, NULL, 0, { 0 }, 0 };
	char *got = search(&s);
	assert_string_equal(got, want);
	assert_int_equal(s.rc, 0);
	free(got);
}

static void test_hits_with_enclosing_symbols(void **state)
{
	(void)state;
	/* first and last line (no final newline), every kind of definition;
	 * prototypes and enumerators are not definitions */
	check("\\bhelper\\b|int x;|RED|1, 2|\\(\\(x\\)|proto|_hit", 0,
	      "a.c:1:10 first_hit(variable) |int first_hit;| [9,13)\n"
	      "a.c:3:2 point(struct) |\tint x;| [1,7)\n"
	      "a.c:6:12 helper(function) |static int helper(int v)| [11,17)\n"
	      "a.c:12:9 api(function) |\treturn helper(a) + helper(a + 1);| [8,14) [20,26)\n"
	      "a.c:14:5 -(-) |int proto(int);| [4,9)\n"
	      "a.c:16:2 TWICE(function-macro) |\t((x) + (x))| [1,5)\n"
	      "a.c:17:14 color(enum) |enum color { RED, GREEN };| [13,16)\n"
	      "a.c:19:2 table(variable) |\t1, 2,| [1,5)\n"
	      "a.c:21:9 last_hit(function) |int last_hit(void) { return 0; }| [8,12)\n");
}

static void test_caseless(void **state)
{
	struct search s = { "HELPER", 0, NULL, 0, { 0 }, 0 };
	char *got;
	(void)state;
	got = search(&s);
	assert_string_equal(got, "");
	assert_int_equal(s.stats.hits, 0);
	assert_int_equal(s.stats.matched, 0);
	free(got);
	/* no first code unit, a caseless required one: lines holding either
	 * case of it are matched */
	check("[a-z]+_HIT", GREP_CASELESS,
	      "a.c:1:5 first_hit(variable) |int first_hit;| [4,13)\n"
	      "a.c:21:5 last_hit(function) |int last_hit(void) { return 0; }| [4,12)\n");
	check("[a-z]+(?i)_HIT", 0,
	      "a.c:1:5 first_hit(variable) |int first_hit;| [4,13)\n"
	      "a.c:21:5 last_hit(function) |int last_hit(void) { return 0; }| [4,12)\n");
	check("HELPER", GREP_CASELESS,
	      "a.c:6:12 helper(function) |static int helper(int v)| [11,17)\n"
	      "a.c:8:19 helper(function) |\treturn v * 2; /* Helper */| [18,24)\n"
	      "a.c:12:9 api(function) |\treturn helper(a) + helper(a + 1);| [8,14) [20,26)\n");
}

static void test_crlf_lines(void **state)
{
	(void)state;
	/* "\r\n" is a line end: $ matches before it, text leaves it out */
	check("void\\)$|^\\treturn \\d;$", 0,
	      "b.h:2:28 crlf_two(function) |static inline int crlf_two(void)| [27,32)\n"
	      "b.h:4:1 crlf_two(function) |\treturn 2;| [0,10)\n");
}

static void test_lines_are_matched_alone(void **state)
{
	(void)state;
	/* never across a line break */
	check("ab\\s+cd", 0, "");
	/* an atomic group would swallow the next line's blanks in a whole-buffer
	 * search and miss this line */
	check("ab(?>\\s*)$", 0, "atomic.c:1:5 -(-) |int ab | [4,7)\n");
	/* a lookahead sees only its own line */
	check("helper(?!\\(a\\))", 0,
	      "a.c:6:12 helper(function) |static int helper(int v)| [11,17)\n"
	      "a.c:12:21 api(function) |\treturn helper(a) + helper(a + 1);| [20,26)\n");
	/* an empty match makes a hit without a span */
	check("^(?=\\t1)|int x;", 0,
	      "a.c:3:2 point(struct) |\tint x;| [1,7)\n"
	      "a.c:19:1 table(variable) |\t1, 2,|\n");
}

static void test_raw_text_and_long_lines(void **state)
{
	struct search s = { "NEEDLE", 0, NULL, 0, { 0 }, 0 };
	struct strbuf want = STRBUF_INIT;
	char *got;
	(void)state;
	/* the engine gives the file's bytes; callers make them visible */
	check("31mred", 0, "esc.c:1:22 red(variable) |const char *red = \"\x1b[31mred\x1b[0m\";| [21,27)\n");
	/* 5000 a, NEEDLE, 3000 b: a window of GREP_TEXT_MAX bytes from
	 * GREP_TEXT_LEAD before the match */
	sb_adds(&want, "long.c:2:5001 -(-) |");
	for (int i = 0; i < GREP_TEXT_LEAD; i++)
		sb_addc(&want, 'a');
	sb_adds(&want, "NEEDLE");
	for (int i = 0; i < GREP_TEXT_MAX - GREP_TEXT_LEAD - 6; i++)
		sb_addc(&want, 'b');
	sb_addf(&want, "| [%d,%d)\n", GREP_TEXT_LEAD, GREP_TEXT_LEAD + 6);
	got = search(&s);
	assert_string_equal(got, want.buf);
	free(got);
	sb_release(&want);
}

struct clip {
	size_t text_start, line_len;
};

static int clip_of(void *ctx, const struct grep_hit *h)
{
	struct clip *c = ctx;
	c->text_start = h->text_start;
	c->line_len = h->line_len;
	return 0;
}

static void test_long_line_offsets(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct grep_opts o = { 0 };
	struct clip c = { 0, 0 };
	struct grep *g = grep_new("NEEDLE", 0, &err);
	(void)state;
	assert_non_null(g);
	assert_int_equal(grep_run(g, st.db, sc.root, &o, clip_of, &c, NULL, &err), 0);
	assert_int_equal(c.text_start, 5000 - GREP_TEXT_LEAD);
	assert_int_equal(c.line_len, 5000 + 6 + 3000);
	grep_free(g);
}

static void test_lang_filter(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct grep_opts o = { 0 };
	struct grep_stats gs;
	struct search s = { "crlf_two", 0, "c", 0, { 0 }, 0 };
	struct grep *g;
	char *got;
	(void)state;
	got = search(&s);
	assert_string_equal(got, "b.h:2:19 crlf_two(function) |static inline int crlf_two(void)| [18,26)\n");
	assert_int_equal(s.stats.files, NGEN + 5);
	free(got);
	g = grep_new("x", 0, &err);
	o.lang = "cobol";
	assert_int_equal(grep_run(g, st.db, sc.root, &o, collect, NULL, &gs, &err), -1);
	assert_string_equal(err.buf, "unknown language 'cobol' (known: c, cpp, python, javascript, typescript, tsx, go, rust, java)");
	grep_free(g);
	sb_release(&err);
}

static void bad(const char *pattern, const char *want)
{
	struct strbuf err = STRBUF_INIT;
	assert_null(grep_new(pattern, 0, &err));
	assert_string_equal(err.buf, want);
	sb_release(&err);
}

static void test_bad_patterns(void **state)
{
	(void)state;
	bad("(ab", "bad pattern at offset 3: missing closing parenthesis");
	bad("a[b", "bad pattern at offset 3: missing terminating ] for character class");
	bad("x{2,1}", "bad pattern at offset 5: numbers out of order in {} quantifier");
	bad("*x", "bad pattern at offset 0: quantifier does not follow a repeatable item");
}

static void test_utf8(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct grep *g = grep_new("caf\xc3\xa9", GREP_CASELESS, &err);
	(void)state;
	assert_non_null(g);
	grep_free(g);
	/* not UTF-8: still a pattern, matched byte by byte */
	g = grep_new("caf\xe9", 0, &err);
	assert_non_null(g);
	grep_free(g);
	sb_release(&err);
}

static void test_same_output_for_any_thread_count(void **state)
{
	struct search one = { "return x \\+ (3|11);|helper|NEEDLE|^}", 0, NULL, 1, { 0 }, 0 };
	struct search four = one;
	char *a, *b;
	(void)state;
	four.jobs = 4;
	a = search(&one);
	b = search(&four);
	assert_string_equal(a, b);
	assert_int_equal(one.stats.hits, four.stats.hits);
	/* in each generated file, every function ends with "}" and 2 of 13
	 * constants come back, plus the hand-written files */
	assert_int_equal(one.stats.files, NGEN + 5);
	assert_int_equal(one.stats.searched, NGEN + 5);
	assert_true(one.stats.hits > NGEN * 30);
	assert_non_null(strstr(a, "gen/f000.c:4:1 g0_0(function) |}| [0,1)\n"
			       "gen/f000.c:8:1 g0_1(function) |}| [0,1)\n"));
	assert_non_null(strstr(a, "gen/f299.c:120:1 g299_29(function) |}| [0,1)\n"));
	free(a);
	free(b);
}

/* ---- cancellation ------------------------------------------------------ */

struct cancel_test {
	atomic_int flag;
	int calls;
	int flag_seen_in_callback;
};

static void *canceller(void *arg)
{
	struct cancel_test *c = arg;
	atomic_store(&c->flag, 1);
	return NULL;
}

/* On the first hit, another thread cancels; no hit may follow. */
static int cancel_on_first(void *ctx, const struct grep_hit *h)
{
	struct cancel_test *c = ctx;
	pthread_t t;
	(void)h;
	if (atomic_load(&c->flag))
		c->flag_seen_in_callback = 1;
	if (c->calls++ == 0) {
		assert_int_equal(pthread_create(&t, NULL, canceller, c), 0);
		assert_int_equal(pthread_join(t, NULL), 0);
	}
	return 0;
}

static void test_cancel_from_another_thread(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct grep_opts o = { 0 };
	struct grep_stats gs;
	struct cancel_test c;
	struct grep *g = grep_new("return", 0, &err);
	(void)state;
	assert_non_null(g);
	for (int jobs = 1; jobs <= 4; jobs *= 2) {
		memset(&c, 0, sizeof(c));
		atomic_init(&c.flag, 0);
		o.jobs = jobs;
		o.cancel = &c.flag;
		assert_int_equal(grep_run(g, st.db, sc.root, &o, cancel_on_first, &c, &gs, &err), 1);
		assert_int_equal(c.calls, 1);
		assert_int_equal(c.flag_seen_in_callback, 0);
		assert_int_equal(gs.hits, 1);
		assert_int_equal(gs.stopped, 1);
		/* stopped early: the helpers never ran further than the window */
		assert_true(gs.searched < gs.files);
		assert_true(gs.searched <= 64 + (uint64_t)jobs);
	}
	/* cancelled before it starts: nothing at all */
	atomic_store(&c.flag, 1);
	c.calls = 0;
	assert_int_equal(grep_run(g, st.db, sc.root, &o, cancel_on_first, &c, &gs, &err), 1);
	assert_int_equal(c.calls, 0);
	assert_int_equal(gs.searched, 0);
	grep_free(g);
	sb_release(&err);
}

static int stop_after_two(void *ctx, const struct grep_hit *h)
{
	int *n = ctx;
	(void)h;
	return ++*n == 2;
}

static void test_callback_stops(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct grep_opts o = { 0 };
	struct grep_stats gs;
	int n = 0;
	struct grep *g = grep_new("return", 0, &err);
	(void)state;
	o.jobs = 2;
	assert_int_equal(grep_run(g, st.db, sc.root, &o, stop_after_two, &n, &gs, &err), 1);
	assert_int_equal(n, 2);
	assert_int_equal(gs.hits, 2);
	grep_free(g);
	sb_release(&err);
}

/* ---- files that changed after indexing --------------------------------- */

static void test_changed_files_are_skipped(void **state)
{
	struct scratch s2;
	struct store st2;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	struct grep_opts o = { 0 };
	struct grep_stats gs;
	struct grep *g;
	char *p, *outside;
	(void)state;
	scratch_init(&s2);
	scratch_put(&s2, "gone.c", "int secret_gone;\n");
	scratch_put(&s2, "link.c", "int secret_link;\n");
	scratch_put(&s2, "fifo.c", "int secret_fifo;\n");
	scratch_put(&s2, "stays.c", "int secret_stays;\n");
	scratch_put(&s2, "bin.c", "int secret_bin;\n");
	/* the store is opened now, the files change under it */
	scratch_index_open(&s2, 1, &st2);
	/* removed; a symlink leading out of the root; a FIFO (must not block);
	 * NUL bytes */
	p = xasprintf("%s/gone.c", s2.root);
	assert_int_equal(unlink(p), 0);
	free(p);
	outside = xasprintf("%s/outside.c", s2.dir);
	p = xasprintf("%s/link.c", s2.root);
	{
		FILE *f = fopen(outside, "w");
		assert_non_null(f);
		fputs("int secret_outside;\n", f);
		fclose(f);
	}
	assert_int_equal(unlink(p), 0);
	assert_int_equal(symlink(outside, p), 0);
	free(p);
	p = xasprintf("%s/fifo.c", s2.root);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0644), 0);
	free(p);
	p = xasprintf("%s/bin.c", s2.root);
	{
		FILE *f = fopen(p, "w");
		assert_non_null(f);
		fwrite("int secret_bin;\0\n", 1, 17, f);
		fclose(f);
	}
	free(p);
	g = grep_new("secret_\\w+", 0, &err);
	o.jobs = 2;
	assert_int_equal(grep_run(g, st2.db, s2.root, &o, collect, &out, &gs, &err), 0);
	assert_string_equal(out.buf, "stays.c:1:5 secret_stays(variable) |int secret_stays;| [4,16)\n");
	assert_int_equal(gs.files, 5);
	assert_int_equal(gs.searched, 1);
	assert_int_equal(gs.unreadable, 3);
	assert_int_equal(gs.binary, 1);
	grep_free(g);
	store_close(&st2);
	free(outside);
	sb_release(&out);
	sb_release(&err);
	scratch_release(&s2);
}

/* PCRE2's match limit: the line where it is reached is skipped and
 * counted, the other lines are searched. */
static void test_match_limit(void **state)
{
	struct scratch s2;
	struct store st2;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT, text = STRBUF_INIT;
	struct grep_opts o = { 0 };
	struct grep_stats gs;
	struct grep *g;
	(void)state;
	scratch_init(&s2);
	sb_adds(&text, "aaa\n");
	for (int i = 0; i < 40; i++)
		sb_addc(&text, 'a');
	sb_adds(&text, "X\naaaa\n");
	scratch_put(&s2, "limit.c", text.buf);
	scratch_index_open(&s2, 1, &st2);
	g = grep_new("^(?:a+)+$", 0, &err);
	assert_non_null(g);
	o.jobs = 1;
	assert_int_equal(grep_run(g, st2.db, s2.root, &o, collect, &out, &gs, &err), 0);
	assert_string_equal(out.buf, "limit.c:1:1 -(-) |aaa| [0,3)\n"
			    "limit.c:3:1 -(-) |aaaa| [0,4)\n");
	assert_int_equal(gs.limit, 1);
	assert_int_equal(gs.searched, 1);
	grep_free(g);
	store_close(&st2);
	sb_release(&out);
	sb_release(&err);
	sb_release(&text);
	scratch_release(&s2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hits_with_enclosing_symbols),
		cmocka_unit_test(test_caseless),
		cmocka_unit_test(test_crlf_lines),
		cmocka_unit_test(test_lines_are_matched_alone),
		cmocka_unit_test(test_raw_text_and_long_lines),
		cmocka_unit_test(test_long_line_offsets),
		cmocka_unit_test(test_lang_filter),
		cmocka_unit_test(test_bad_patterns),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_same_output_for_any_thread_count),
		cmocka_unit_test(test_cancel_from_another_thread),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_changed_files_are_skipped),
		cmocka_unit_test(test_match_limit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
