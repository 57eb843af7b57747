/* test_search.c — the fuzzy symbol search: the scorer's bonuses and
 * penalties with exact expected scores, its alignment against a brute-force
 * search of every alignment, the query syntax, the tie-breaks, narrowing
 * while typing, cancellation, two scan threads, and incremental updates
 * answering exactly like a fresh load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract.h"
#include "indexer.h"
#include "search.h"
#include "store.h"
#include "util.h"
#include "scratch.h"

/* ---- the scorer ------------------------------------------------------------ */

/* "score p0,p1,..." for term against s, or "none". */
static char *scored(const char *term, const char *s)
{
	uint16_t pos[64];
	struct strbuf sb = STRBUF_INIT;
	int sc = search_score(term, s, pos);
	if (sc == SEARCH_NOMATCH)
		return xstrdup("none");
	sb_addf(&sb, "%d", sc);
	for (size_t i = 0; i < strlen(term); i++)
		sb_addf(&sb, "%c%u", i ? ',' : ' ', pos[i]);
	return sb.buf;
}

#define EXPECT_SCORE(term, s, want) do { \
	char *got_ = scored(term, s); \
	if (strcmp(got_, want)) \
		fail_msg("'%s' in '%s': expected '%s', got '%s'", term, s, want, got_); \
	free(got_); \
} while (0)

static void test_word_boundaries(void **state)
{
	(void)state;
	/* first character at the start: 16 + 2 x 10 */
	EXPECT_SCORE("f", "foo", "36 0");
	/* after _ and . (8, doubled as the first character), after :: and / (9) */
	EXPECT_SCORE("b", "a_b", "32 2");
	EXPECT_SCORE("b", "a.b", "32 2");
	EXPECT_SCORE("b", "a::b", "34 3");
	EXPECT_SCORE("b", "a/b", "34 2");
	EXPECT_SCORE("b", "a-b", "32 2");
	/* camelCase, acronym end, letter/digit changes (7) */
	EXPECT_SCORE("b", "aB", "30 1");
	EXPECT_SCORE("s", "HTTPServer", "30 4");
	EXPECT_SCORE("8", "x86", "30 1");
	EXPECT_SCORE("x", "86x", "30 2");
	/* no bonus inside a word */
	EXPECT_SCORE("b", "ab", "16 1");
	/* the best occurrence wins: the one at a word start */
	EXPECT_SCORE("b", "abc_bar", "32 4");
	/* f (36); from a word's start to the next word's: the rest of the
	 * word (oo) is free, the _ costs 1 after the gap's 3; b after _ (16 + 8) */
	EXPECT_SCORE("fb", "foo_bar", "56 0,4");
	/* camelCase b (16 + 7); the gap is all vowels: 1 each */
	EXPECT_SCORE("fb", "fooBar", "57 0,3");
	/* b starts no word: a gap of 2 (-3 -1) */
	EXPECT_SCORE("fb", "fxxbxx", "48 0,3");
}

static void test_consecutive_and_gaps(void **state)
{
	(void)state;
	/* a run inherits its first character's bonus: the prefix is best */
	EXPECT_SCORE("mut", "mutex", "88 0,1,2");
	/* a run inside a word earns CONSEC (4) per following character */
	EXPECT_SCORE("ab", "xab", "36 1,2");
	/* a gap of one costs 3 */
	EXPECT_SCORE("ab", "xaxb", "29 1,3");
	/* each further skipped character costs 1 more */
	EXPECT_SCORE("ab", "xaxxb", "28 1,4");
	/* a run after _ carries its 8 */
	EXPECT_SCORE("v4", "tcp_v4_rcv", "56 4,5");
	/* the best alignment, not the leftmost: a_ab beats a....b */
	EXPECT_SCORE("ab", "axxxx_ab", "56 6,7");
	/* initials: 36, then twice (-3 -1 for each _) + 24 */
	EXPECT_SCORE("nrs", "netif_receive_skb", "76 0,6,14");
	/* a word left from inside pays for its rest: m (36), t after the
	 * vowel u (-1, 16), then "ex_" (-3 -2) and l (16 + 8) */
	EXPECT_SCORE("mtl", "mutex_lock", "70 0,2,6");
	/* dropping vowels costs 1 each: m (36), t (-1, 16), x (-1, 16) */
	EXPECT_SCORE("mtx", "mutex", "66 0,2,4");
	EXPECT_SCORE("zz", "abc", "none");
	EXPECT_SCORE("ba", "ab", "none");
}

static void test_smart_case(void **state)
{
	(void)state;
	EXPECT_SCORE("foo", "FOO_BAR", "88 0,1,2");
	EXPECT_SCORE("Foo", "foo_bar", "none");
	EXPECT_SCORE("Foo", "Foo_bar", "88 0,1,2");
	EXPECT_SCORE("fB", "foo_bar", "none");
	EXPECT_SCORE("fB", "fooBar", "57 0,3");
}

/* The scoring rules, written out a second time, and every alignment tried:
 * the DP must find the maximum. */
static int ref_class(int c)
{
	if ((c >= 'a' && c <= 'z') || c >= 0x80)
		return 1;
	if (c >= 'A' && c <= 'Z')
		return 2;
	if (c >= '0' && c <= '9')
		return 3;
	if (c == '_' || c == '-' || c == ' ' || c == '.')
		return 4;
	if (c == ':' || c == '/')
		return 5;
	return 0;
}

static int ref_bonus(const char *s, int j)
{
	int n = (int)strlen(s), c = ref_class((unsigned char)s[j]), p;
	if (j == 0)
		return 10;
	if (c == 0 || c == 4 || c == 5)
		return 8;
	p = ref_class((unsigned char)s[j - 1]);
	if (p == 5)
		return 9;
	if (p == 4 || p == 0)
		return 8;
	if ((p == 1 && c == 2) || ((p == 3) != (c == 3)))
		return 7;
	if (p == 2 && c == 2 && j + 1 < n && ref_class((unsigned char)s[j + 1]) == 1)
		return 7;
	return 0;
}

static int ref_score(const char *s, const int *p, int m)
{
	int sc = 0, first = 0, run_at_word = 0;
	for (int i = 0; i < m; i++) {
		int b = ref_bonus(s, p[i]), c = ref_class((unsigned char)s[p[i]]);
		sc += 16;
		if (i == 0) {
			sc += 2 * b;
			first = b;
		} else if (p[i] == p[i - 1] + 1) {
			int v = b > first ? b : first;
			sc += v > 4 ? v : 4;
		} else {
			int gap = -3 - (p[i] - p[i - 1] - 2);
			int wc = ref_class((unsigned char)s[p[i]]);
			if (b >= 7 && wc >= 1 && wc <= 3 && run_at_word) {
				/* from a run that began a word to a word start: the
				 * rest of the word left is free */
				int we = p[i - 1] + 1, pc = ref_class((unsigned char)s[p[i - 1]]);
				if (pc >= 1 && pc <= 3)
					while (s[we] && ref_class((unsigned char)s[we]) >= 1 &&
					       ref_class((unsigned char)s[we]) <= 3 && ref_bonus(s, we) < 7)
						we++;
				if (-3 - (p[i] - we) > gap)
					gap = -3 - (p[i] - we);
			}
			{
				int allv = 1;
				for (int k = p[i - 1] + 1; k < p[i]; k++)
					allv &= strchr("aeiouAEIOU", s[k]) != NULL;
				if (allv && -(p[i] - p[i - 1] - 1) > gap)
					gap = -(p[i] - p[i - 1] - 1);   /* vowels dropped */
			}
			sc += gap + b;
			first = b;
		}
		if (i == 0 || p[i] != p[i - 1] + 1)   /* a run starts here */
			run_at_word = b >= 7 && c >= 1 && c <= 3;
	}
	return sc;
}

static int ref_best(const char *s, const char *q, int *p, int i, int from)
{
	int m = (int)strlen(q), n = (int)strlen(s), best = SEARCH_NOMATCH;
	if (i == m)
		return ref_score(s, p, m);
	for (int j = from; j < n; j++) {
		/* q has no upper case: smart case folds s */
		if ((s[j] >= 'A' && s[j] <= 'Z' ? s[j] + 32 : s[j]) != q[i])
			continue;
		p[i] = j;
		int v = ref_best(s, q, p, i + 1, j + 1);
		if (v > best)
			best = v;
	}
	return best;
}

static void test_alignment_is_optimal(void **state)
{
	const char alpha[] = "ab_.B1e";
	unsigned seed = 12345;
	(void)state;
	for (int round = 0; round < 3000; round++) {
		char s[13], q[5];
		int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
		int m = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 4;
		int p[8], want, got;
		uint16_t pos[8];
		for (int i = 0; i < n; i++)
			s[i] = alpha[((seed = seed * 1103515245u + 12345u) >> 16) % 7];
		s[n] = 0;
		for (int i = 0; i < m; i++)
			q[i] = "ab_."[((seed = seed * 1103515245u + 12345u) >> 16) % 4];
		q[m] = 0;
		want = ref_best(s, q, p, 0, 0);
		got = search_score(q, s, pos);
		if (got != want)
			fail_msg("'%s' in '%s': DP %d, every alignment's best %d", q, s, got, want);
		if (got != SEARCH_NOMATCH) {
			int ip[8];
			for (int i = 0; i < m; i++)
				ip[i] = pos[i];
			/* the positions given are an alignment with that score */
			for (int i = 0; i < m; i++)
				assert_int_equal(s[ip[i]] >= 'A' && s[ip[i]] <= 'Z' ? s[ip[i]] + 32 : s[ip[i]], q[i]);
			assert_int_equal(ref_score(s, ip, m), got);
		}
	}
}

/* ---- queries over a table built by hand ------------------------------------ */

static struct search_table tb;

static int table_setup(void **state)
{
	(void)state;
	search_table_init(&tb);
	/* path, lang, name, parent, kind, line */
	search_add(&tb, "src/hash.c", "c", "hash_string", NULL, SK_FUNCTION, 7);
	search_add(&tb, "src/hash.c", "c", "hash_init", NULL, SK_FUNCTION, 20);
	search_add(&tb, "src/hash.c", "c", "hash", NULL, SK_FUNCTION, 30);
	search_add(&tb, "include/hash.h", "c", "hash_string", NULL, SK_PROTOTYPE, 3);
	search_add(&tb, "include/hash.h", "c", "hash", NULL, SK_PROTOTYPE, 4);
	search_add(&tb, "include/hash.h", "c", "HASH_MAX", NULL, SK_MACRO, 1);
	search_add(&tb, "include/hash.h", "c", "hash_table", NULL, SK_STRUCT, 8);
	search_add(&tb, "include/hash.h", "c", "buckets", "hash_table", SK_VARIABLE, 9);
	search_add(&tb, "lib/str.c", "c", "str_hash", NULL, SK_FUNCTION, 5);
	search_add(&tb, "lib/str.c", "c", "rehash_all", NULL, SK_FUNCTION, 15);
	search_add(&tb, "lib/str.c", "c", "shash", NULL, SK_FUNCTION, 25);
	search_add(&tb, "lib/str.c", "c", "shasb", NULL, SK_FUNCTION, 35);
	search_add(&tb, "lib/str.c", "c", "COLOR_RED", "color", SK_ENUMERATOR, 40);
	search_add(&tb, "tools/gen.py", "python", "gen_hash", NULL, SK_FUNCTION, 2);
	search_set_calls(&tb, "shasb", 9);
	search_set_calls(&tb, "shash", 2);
	return 0;
}

static int table_teardown(void **state)
{
	(void)state;
	search_table_release(&tb);
	return 0;
}

/* The results as "qualified kind file:line score [positions]" lines. */
static char *run(struct search_table *t, const char *query, size_t limit, struct search_state *st,
		 int threads)
{
	struct search_opts o = { .limit = limit, .state = st, .threads = threads };
	struct search_result r;
	struct strbuf sb = STRBUF_INIT, err = STRBUF_INIT;
	if (search_run(t, query, &o, &r, &err) < 0) {
		sb_addf(&sb, "error: %s", err.buf);
		sb_release(&err);
		return sb.buf;
	}
	sb_addf(&sb, "total %zu\n", r.total);
	for (size_t i = 0; i < r.n; i++) {
		const struct search_hit *h = &r.hits[i];
		sb_addf(&sb, "%s %s %s:%u %d", h->qualified, sym_kind_name(h->kind), h->file, h->line,
			h->score);
		for (size_t k = 0; k < h->npos; k++)
			sb_addf(&sb, "%c%u", k ? ',' : ' ', h->pos[k]);
		sb_addc(&sb, '\n');
	}
	search_result_release(&r);
	sb_release(&err);
	return sb.buf;
}

#define EXPECT_RUN(query, limit, want) do { \
	char *got_ = run(&tb, query, limit, NULL, 1); \
	if (strcmp(got_, want)) \
		fail_msg("query '%s':\n--- expected\n%s--- got\n%s", query, want, got_); \
	free(got_); \
} while (0)

static void test_tie_breaks(void **state)
{
	(void)state;
	/* all four start with "hash" (same score): the exact name first, its
	 * definition before its prototype, then shorter names */
	EXPECT_RUN("hash", 6,
		   "total 12\n"
		   "hash function src/hash.c:30 114 0,1,2,3\n"
		   "hash prototype include/hash.h:4 114 0,1,2,3\n"
		   "HASH_MAX macro include/hash.h:1 114 0,1,2,3\n"
		   "hash_init function src/hash.c:20 114 0,1,2,3\n"
		   "hash_table struct include/hash.h:8 114 0,1,2,3\n"
		   "hash_string function src/hash.c:7 114 0,1,2,3\n");
	/* equal score and length: more callers first */
	EXPECT_RUN("sh", 2,
		   "total 13\n"
		   "shasb function lib/str.c:35 62 0,1\n"
		   "shash function lib/str.c:25 62 0,1\n");
}

static void test_syntax(void **state)
{
	(void)state;
	EXPECT_RUN("'ash_s", 5,
		   "total 2\n"
		   "hash_string function src/hash.c:7 104 1,2,3,4,5\n"
		   "hash_string prototype include/hash.h:3 104 1,2,3,4,5\n");
	EXPECT_RUN("^sh", 5,
		   "total 2\n"
		   "shasb function lib/str.c:35 62 0,1\n"
		   "shash function lib/str.c:25 62 0,1\n");
	EXPECT_RUN("hash$", 3,
		   "total 5\n"
		   "hash function src/hash.c:30 114 0,1,2,3\n"
		   "hash prototype include/hash.h:4 114 0,1,2,3\n"
		   "str_hash function lib/str.c:5 104 4,5,6,7\n");
	EXPECT_RUN("^hash$", 5,
		   "total 2\n"
		   "hash function src/hash.c:30 114 0,1,2,3\n"
		   "hash prototype include/hash.h:4 114 0,1,2,3\n");
	/* negations: substring, prefix, suffix, fuzzy */
	EXPECT_RUN("hash !_", 5,
		   "total 3\n"
		   "hash function src/hash.c:30 114 0,1,2,3\n"
		   "hash prototype include/hash.h:4 114 0,1,2,3\n"
		   "shash function lib/str.c:25 76 1,2,3,4\n");
	EXPECT_RUN("hash !^h", 5,
		   "total 4\n"
		   "str_hash function lib/str.c:5 104 4,5,6,7\n"
		   "gen_hash function tools/gen.py:2 104 4,5,6,7\n"
		   "shash function lib/str.c:25 76 1,2,3,4\n"
		   "rehash_all function lib/str.c:15 76 2,3,4,5\n");
	EXPECT_RUN("sh !h$", 5,
		   "total 8\n"
		   "shasb function lib/str.c:35 62 0,1\n"
		   "HASH_MAX macro include/hash.h:1 36 2,3\n"
		   "hash_init function src/hash.c:20 36 2,3\n"
		   "hash_table struct include/hash.h:8 36 2,3\n"
		   "rehash_all function lib/str.c:15 36 4,5\n");
	EXPECT_RUN("hs !'ht", 5,
		   "total 8\n"
		   "hash function src/hash.c:30 51 0,2\n"
		   "HASH_MAX macro include/hash.h:1 51 0,2\n"
		   "hash prototype include/hash.h:4 51 0,2\n"
		   "str_hash function lib/str.c:5 47 4,6\n"
		   "gen_hash function tools/gen.py:2 47 4,6\n");
	/* AND-ed terms: both must match; scores add up */
	EXPECT_RUN("str hash", 5,
		   "total 3\n"
		   "hash_string function src/hash.c:7 194 0,1,2,3,5,6,7\n"
		   "hash_string prototype include/hash.h:3 194 0,1,2,3,5,6,7\n"
		   "str_hash function lib/str.c:5 192 0,1,2,4,5,6,7\n");
	/* a qualified name matches as a whole; positions index into it */
	EXPECT_RUN("ht.b", 2,
		   "total 1\n"
		   "hash_table.buckets variable include/hash.h:9 98 0,5,10,11\n");
	/* smart case */
	EXPECT_RUN("HM", 3,
		   "total 1\n"
		   "HASH_MAX macro include/hash.h:1 56 0,5\n");
}

static void test_filters(void **state)
{
	char *got;
	(void)state;
	EXPECT_RUN("hash k:proto", 5,
		   "total 2\n"
		   "hash prototype include/hash.h:4 114 0,1,2,3\n"
		   "hash_string prototype include/hash.h:3 114 0,1,2,3\n");
	EXPECT_RUN("hash k:struct k:macro", 5,
		   "total 2\n"
		   "HASH_MAX macro include/hash.h:1 114 0,1,2,3\n"
		   "hash_table struct include/hash.h:8 114 0,1,2,3\n");
	EXPECT_RUN("hash !k:func f:hash", 5,
		   "total 5\n"
		   "hash prototype include/hash.h:4 114 0,1,2,3\n"
		   "HASH_MAX macro include/hash.h:1 114 0,1,2,3\n"
		   "hash_table struct include/hash.h:8 114 0,1,2,3\n"
		   "hash_table.buckets variable include/hash.h:9 114 0,1,2,3\n"
		   "hash_string prototype include/hash.h:3 114 0,1,2,3\n");
	EXPECT_RUN("hash f:lib/ !f:.h", 2,
		   "total 3\n"
		   "str_hash function lib/str.c:5 104 4,5,6,7\n"
		   "shash function lib/str.c:25 76 1,2,3,4\n");
	EXPECT_RUN("hash l:python", 5,
		   "total 1\n"
		   "gen_hash function tools/gen.py:2 104 4,5,6,7\n");
	EXPECT_RUN("k:enumerator", 5,
		   "total 1\n"
		   "color.COLOR_RED enumerator lib/str.c:40 0\n");
	/* k:func is function (the start of function-macro too) */
	EXPECT_RUN("gen k:func", 5,
		   "total 1\n"
		   "gen_hash function tools/gen.py:2 88 0,1,2\n");
	got = run(&tb, "hash k:fnord", 5, NULL, 1);
	assert_string_equal(got, "error: unknown kind 'fnord' in 'k:fnord'; kinds: function, prototype, "
			    "struct, union, enum, typedef, enumerator, macro, function-macro, variable, method, class, interface, trait, namespace, module");
	free(got);
	got = run(&tb, "k:e", 5, NULL, 1);   /* enum starts enumerator: enum */
	assert_string_equal(got, "total 0\n");
	free(got);
	got = run(&tb, "l:cobol x", 5, NULL, 1);
	assert_string_equal(got, "error: unknown language 'cobol' in 'l:cobol'; languages: c, cpp, python, javascript, typescript, tsx, go, rust, java");
	free(got);
	got = run(&tb, "x k:", 5, NULL, 1);
	assert_string_equal(got, "error: 'k:' needs a value after the colon (k:function, f:src/, l:c)");
	free(got);
	EXPECT_RUN("nothing_like_it", 5, "total 0\n");
}

/* Typing with a narrowing state answers like fresh queries, whatever the
 * edit: more characters, a new term, a negation, an anchor, a filter. */
static void test_narrowing_matches_fresh(void **state)
{
	const char *typed[] = { "h", "ha", "has", "hash", "hash ", "hash !", "hash !_", "hash !_s",
				"hash", "hash$", "hash$x", "s", "sh", "sha", "shas", "shasb", "k:f",
				"k:fu", "k:fun sh", "f:l", "f:li", "f:lib h", NULL };
	struct search_state st = { 0 };
	(void)state;
	for (int i = 0; typed[i]; i++) {
		char *a = run(&tb, typed[i], 50, &st, 1), *b = run(&tb, typed[i], 50, NULL, 1);
		if (strcmp(a, b))
			fail_msg("typed '%s': narrowed\n%s\nfresh\n%s", typed[i], a, b);
		free(a);
		free(b);
	}
	search_state_release(&st);
}

static void test_cancel(void **state)
{
	atomic_int cancel = 1;
	struct search_opts o = { .limit = 5, .cancel = &cancel };
	struct search_result r;
	struct strbuf err = STRBUF_INIT;
	(void)state;
	assert_int_equal(search_run(&tb, "hash", &o, &r, &err), SEARCH_CANCELLED);
	assert_int_equal(r.n, 0);
	atomic_store(&cancel, 0);
	assert_int_equal(search_run(&tb, "hash", &o, &r, &err), 0);
	assert_int_equal(r.n, 5);
	search_result_release(&r);
}

/* ---- a large table: two scan threads, concurrent queries ------------------- */

static void fill_big(struct search_table *t)
{
	static const char *const words[] = { "net", "dev", "skb", "rx", "tx", "queue", "lock",
					     "init", "probe", "HW", "Stats", "buf", "2" };
	unsigned seed = 7;
	for (int i = 0; i < 30000; i++) {
		char name[96] = "", path[32];
		int nw = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 4;
		for (int w = 0; w < nw; w++) {
			if (w)
				strcat(name, "_");
			strcat(name, words[((seed = seed * 1103515245u + 12345u) >> 16) % 13]);
		}
		snprintf(path, sizeof(path), "d%d/f%d.c", i % 7, i % 101);
		search_add(t, path, "c", name, NULL, i % 3 ? SK_FUNCTION : SK_PROTOTYPE, (uint32_t)i);
	}
}

/* The bounds that skip alignments never change the top: the best ten are
 * the start of a list long enough that nothing is skipped. Queries are
 * random pieces of the table's own names. */
static void test_bounds_keep_the_top(void **state)
{
	static const char *const words[] = { "net", "dev", "skb", "rx", "tx", "queue", "lock",
					     "init", "probe", "HW", "Stats", "buf", "2", "aeiou",
					     "io", "x86", "Q", "get", "setup" };
	struct search_table t;
	char names[3000][64];
	unsigned seed = 99;
#define RND(n) ((int)(((seed = seed * 1103515245u + 12345u) >> 16) % (unsigned)(n)))
	(void)state;
	search_table_init(&t);
	for (int i = 0; i < 3000; i++) {
		int nw = 1 + RND(4);
		names[i][0] = 0;
		for (int w = 0; w < nw; w++) {
			if (w)
				strcat(names[i], RND(3) ? "_" : ".");
			strcat(names[i], words[RND(19)]);
		}
		search_add(&t, "f.c", "c", names[i], NULL, SK_FUNCTION, (uint32_t)i);
	}
	for (int k = 0; k < 400; k++) {
		const char *src = names[RND(3000)];
		char q[8], *shortl, *longl, *cut;
		int m = 0, len = (int)strlen(src);
		for (int j = 0; j < len && m < 1 + k % 6; j++)
			if (RND(3) == 0 && src[j] != '.')
				q[m++] = src[j];
		q[m] = 0;
		if (!m)
			continue;
		shortl = run(&t, q, 10, NULL, 1);
		longl = run(&t, q, 5000, NULL, 1);
		cut = longl;
		for (int n = 0; n < 11 && cut; n++)   /* the total line and ten hits */
			cut = strchr(cut, '\n') ? strchr(cut, '\n') + 1 : NULL;
		if (cut)
			*cut = 0;
		if (strcmp(shortl, longl))
			fail_msg("'%s': top 10\n%s\nstart of everything\n%s", q, shortl, longl);
		free(shortl);
		free(longl);
	}
#undef RND
	search_table_release(&t);
}

struct qjob {
	struct search_table *t;
	const char *query;
	char *out;
};

static void *qjob_run(void *arg)
{
	struct qjob *j = arg;
	j->out = run(j->t, j->query, 30, NULL, 2);
	return NULL;
}

static void test_two_threads_agree(void **state)
{
	struct search_table big;
	const char *qs[] = { "n", "nd", "net_rx", "sk q", "HW", "lk !^l", "2$", "qu k:proto", "ntrx",
			     "dvq", "nstt", "ilk", "e", "sttsbf", "pb_nt", NULL };
	pthread_t th[2];
	struct qjob jobs[2];
	(void)state;
	search_table_init(&big);
	fill_big(&big);
	for (int i = 0; qs[i]; i++) {
		char *one = run(&big, qs[i], 30, NULL, 1), *two = run(&big, qs[i], 30, NULL, 2);
		if (strcmp(one, two))
			fail_msg("'%s': one thread\n%s\ntwo threads\n%s", qs[i], one, two);
		free(one);
		free(two);
	}
	/* two queries at once, each with its own extra thread, while a writer adds */
	for (int i = 0; i < 2; i++) {
		jobs[i].t = &big;
		jobs[i].query = i ? "dev" : "probe";
		assert_int_equal(pthread_create(&th[i], NULL, qjob_run, &jobs[i]), 0);
	}
	search_add(&big, "late.c", "c", "late_probe", NULL, SK_FUNCTION, 1);
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		assert_true(!strncmp(jobs[i].out, "total ", 6));
		free(jobs[i].out);
	}
	search_table_release(&big);
}

/* ---- incremental updates against a fresh load ----------------------------- */

static const char *const probe_queries[] = {
	"a", "he", "help", "reg", "k:func", "k:proto", "^reg", "count$", "f:src", "cnt", "x !y",
	"Red", "color", "k:enumerator", "ops.o", NULL
};

/* Every probe query's results (with callers) from t. */
static char *answers(struct search_table *t)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; probe_queries[i]; i++) {
		struct search_opts o = { .limit = 100 };
		struct search_result r;
		struct strbuf err = STRBUF_INIT;
		if (search_run(t, probe_queries[i], &o, &r, &err) < 0)
			fail_msg("'%s': %s", probe_queries[i], err.buf);
		sb_addf(&sb, "== %s (%zu)\n", probe_queries[i], r.total);
		for (size_t k = 0; k < r.n; k++)
			sb_addf(&sb, "%s %s %s %s:%u %d callers=%u\n", r.hits[k].qualified, r.hits[k].name,
				sym_kind_name(r.hits[k].kind), r.hits[k].file, r.hits[k].line,
				r.hits[k].score, r.hits[k].callers);
		search_result_release(&r);
	}
	return sb.buf;
}

static void reindex(struct scratch *sc)
{
	struct index_opts o = { 0 };
	struct index_stats s;
	struct strbuf err = STRBUF_INIT;
	o.jobs = 1;
	if (index_run(sc->root, sc->db, &o, NULL, &s, &err) < 0)
		fail_msg("index_run: %s", err.buf);
}

static void expect_same_as_fresh(struct search_table *inc, struct store *st, const char *when)
{
	struct search_table fresh;
	struct strbuf err = STRBUF_INIT;
	char *a, *b;
	search_table_init(&fresh);
	if (search_table_load(&fresh, st->db, &err) < 0)
		fail_msg("load: %s", err.buf);
	a = answers(inc);
	b = answers(&fresh);
	if (strcmp(a, b))
		fail_msg("%s: incremental\n%s\nfresh\n%s", when, a, b);
	assert_int_equal(search_table_count(inc), search_table_count(&fresh));
	free(a);
	free(b);
	search_table_release(&fresh);
}

static void update(struct search_table *t, struct store *st, const char *path)
{
	struct strbuf err = STRBUF_INIT;
	if (search_update_file(t, st->db, path, &err) < 0)
		fail_msg("update %s: %s", path, err.buf);
}

static void test_incremental_equals_fresh(void **state)
{
	struct scratch sc;
	struct store st;
	struct search_table t;
	struct strbuf err = STRBUF_INIT;
	char *before;
	(void)state;
	scratch_init(&sc);
	scratch_put(&sc, "reg.c", "struct registry { int count; };\n"
		    "int registry_count(struct registry *r) { return helper(r->count); }\n"
		    "int reg_add(int x) { return helper(x) + helper(x); }\n");
	scratch_put(&sc, "help.c", "int helper(int x) { return x; }\n"
		    "enum color { RED, GREEN };\n"
		    "struct ops { int (*open)(void); };\n");
	scratch_put(&sc, "src.h", "int helper(int x);\nint reg_add(int x);\n#define CNT 3\n");
	reindex(&sc);
	if (store_open(&st, sc.db, STORE_READ, &err) < 0)
		fail_msg("store_open: %s", err.buf);
	search_table_init(&t);
	if (search_table_load(&t, st.db, &err) < 0)
		fail_msg("load: %s", err.buf);
	before = answers(&t);
	assert_non_null(strstr(before, "helper helper function help.c:1 "));
	assert_non_null(strstr(before, "callers=3"));   /* helper: three call sites */

	/* a file changes: symbols and call counts move */
	scratch_put(&sc, "reg.c", "int registry_count(int n) { return n; }\n"
		    "int reg_add(int x) { return helper(x); }\n"
		    "int reg_remove(int x) { return reg_add(x) - registry_count(x); }\n");
	reindex(&sc);
	update(&t, &st, "reg.c");
	expect_same_as_fresh(&t, &st, "after editing reg.c");

	/* a new file, then a removed one, then an unknown path */
	scratch_put(&sc, "src_new.c", "static int counter;\nvoid count_up(void) { counter++; helper(1); }\n");
	reindex(&sc);
	update(&t, &st, "src_new.c");
	expect_same_as_fresh(&t, &st, "after adding src_new.c");
	{
		char *p = xasprintf("%s/help.c", sc.root);
		assert_int_equal(unlink(p), 0);
		free(p);
	}
	reindex(&sc);
	update(&t, &st, "help.c");
	update(&t, &st, "never/was.c");
	expect_same_as_fresh(&t, &st, "after removing help.c");

	/* many edits of one file: dead slots are compacted away */
	for (int round = 0; round < 40; round++) {
		struct strbuf src = STRBUF_INIT;
		for (int k = 0; k < 40; k++)
			sb_addf(&src, "int gen_%d_%d(void) { return reg_add(%d); }\n", round, k, k);
		scratch_put(&sc, "gen.c", src.buf);
		sb_release(&src);
		reindex(&sc);
		update(&t, &st, "gen.c");
	}
	expect_same_as_fresh(&t, &st, "after 40 rewrites of gen.c");

	free(before);
	search_table_release(&t);
	store_close(&st);
	scratch_release(&sc);
}

int main(void)
{
#define TABLE_TEST(f) cmocka_unit_test_setup_teardown(f, table_setup, table_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_word_boundaries),
		cmocka_unit_test(test_consecutive_and_gaps),
		cmocka_unit_test(test_smart_case),
		cmocka_unit_test(test_alignment_is_optimal),
		TABLE_TEST(test_tie_breaks),
		TABLE_TEST(test_syntax),
		TABLE_TEST(test_filters),
		TABLE_TEST(test_narrowing_matches_fresh),
		TABLE_TEST(test_cancel),
		cmocka_unit_test(test_bounds_keep_the_top),
		cmocka_unit_test(test_two_threads_agree),
		cmocka_unit_test(test_incremental_equals_fresh),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
