/* test_linediff.c — the duplicates pane's line diff (ui/linediff.c): exact
 * edits for common head and tail, a change in the middle, insertions,
 * deletions, empty sides, the side-by-side pairing, and the size cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linediff.h"
#include "util.h"

/* Split text at '\n' into lines (borrowing text). */
static size_t split(const char *text, struct ld_line *v, size_t max)
{
	size_t n = 0;
	while (*text && n < max) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);
		v[n].s = text;
		v[n++].len = len;
		text += len + (nl ? 1 : 0);
	}
	return n;
}

/* The edits as unified-diff lines: " x", "-x", "+x", one per line. */
static char *render(const char *ta, const char *tb, int sbs)
{
	struct ld_line a[64], b[64];
	size_t na = split(ta, a, 64), nb = split(tb, b, 64);
	struct ld_edit *e, *rows;
	struct strbuf sb = STRBUF_INIT;
	long n = linediff(a, na, b, nb, &e);
	assert_true(n >= 0);
	if (sbs) {
		size_t nr = linediff_side_by_side(e, (size_t)n, &rows);
		for (size_t i = 0; i < nr; i++) {
			static const char mark[] = " -+|";
			const struct ld_line *l = rows[i].a >= 0 ? &a[rows[i].a] : NULL;
			const struct ld_line *r = rows[i].b >= 0 ? &b[rows[i].b] : NULL;
			sb_addf(&sb, "%-6.*s %c %.*s\n", l ? (int)l->len : 0, l ? l->s : "", mark[rows[i].op],
				r ? (int)r->len : 0, r ? r->s : "");
		}
		free(rows);
	} else {
		for (long i = 0; i < n; i++) {
			const struct ld_line *l = e[i].op == LD_ADD ? &b[e[i].b] : &a[e[i].a];
			sb_addf(&sb, "%c%.*s\n", " -+"[e[i].op], (int)l->len, l->s);
		}
	}
	free(e);
	return sb.buf ? sb.buf : xstrdup("");
}

static void check(const char *a, const char *b, int sbs, const char *want)
{
	char *got = render(a, b, sbs);
	assert_string_equal(got, want);
	free(got);
}

static void test_unified(void **state)
{
	(void)state;
	check("a\nb\nc\n", "a\nb\nc\n", 0, " a\n b\n c\n");
	check("a\nb\nc\n", "a\nx\nc\n", 0, " a\n-b\n+x\n c\n");
	check("a\nc\n", "a\nb\nc\n", 0, " a\n+b\n c\n");
	check("a\nb\nc\n", "a\nc\n", 0, " a\n-b\n c\n");
	check("", "x\ny\n", 0, "+x\n+y\n");
	check("x\ny\n", "", 0, "-x\n-y\n");
	check("", "", 0, "");
	/* two separate changes around a common middle */
	check("int f(int a)\n{\n\treturn a + 1;\n}\n", "int g(int b)\n{\n\treturn b + 1;\n}\n", 0,
	      "-int f(int a)\n+int g(int b)\n {\n-\treturn a + 1;\n+\treturn b + 1;\n }\n");
	/* the longest common subsequence wins over the first match */
	check("x\na\nb\nc\n", "a\nb\nc\nx\n", 0, "-x\n a\n b\n c\n+x\n");
	check("p\nq\nr\ns\n", "q\ns\nt\n", 0, "-p\n q\n-r\n s\n+t\n");
}

static void test_side_by_side(void **state)
{
	(void)state;
	check("a\nb\nc\n", "a\nx\nc\n", 1, "a        a\nb      | x\nc        c\n");
	/* three deleted, one added: one pair, then two left-only rows */
	check("a\nb1\nb2\nb3\nc\n", "a\nx\nc\n", 1,
	      "a        a\nb1     | x\nb2     - \nb3     - \nc        c\n");
	check("a\n", "a\ny\nz\n", 1, "a        a\n       + y\n       + z\n");
}

static void test_cap(void **state)
{
	/* 3000 × 3000 different lines: beyond the cap; equal ones are not */
	size_t n = 3000;
	struct ld_line *a = calloc(n, sizeof(*a)), *b = calloc(n, sizeof(*b));
	struct ld_edit *e = (struct ld_edit *)1;
	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	for (size_t i = 0; i < n; i++) {
		a[i] = (struct ld_line){ "left", 4 };
		b[i] = (struct ld_line){ "right", 5 };
	}
	assert_int_equal(linediff(a, n, b, n, &e), -1);
	assert_null(e);
	assert_int_equal(linediff(a, n, a, n, &e), (long)n);   /* all head: no table */
	free(e);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unified),
		cmocka_unit_test(test_side_by_side),
		cmocka_unit_test(test_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
