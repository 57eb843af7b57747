/* test_dups.c — duplicate detection on tests/fixtures/dups-repo: planted
 * near duplicates (renamed variables, one inserted statement, reordered
 * statements) next to non-duplicates of the same size and shape, exact
 * duplicate definitions and an exact duplicate file.
 *
 * Every reported near pair (each member and the member it is most similar
 * to) is checked against the exact Jaccard similarity of the two shingle
 * sets (extractor_def_shingles); recall on the planted pairs must be at
 * least 95%; and a structure patched file by file (dups_update_file) must
 * report exactly what a fresh load reports. CIDX_TEST_VERBOSE=1 prints the
 * exact and estimated similarity of every pair of definitions.
 * Runs from the repository root (as `make test` does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dups.h"
#include "extract.h"
#include "indexer.h"
#include "minhash.h"
#include "store.h"
#include "util.h"
#include "scratch.h"

#define FIXTURE "tests/fixtures/dups-repo"
#define THRESHOLD DUPS_DEFAULT_THRESHOLD

/* The planted near duplicates (by definition name). */
static const char *const planted[][2] = {
	{ "parse_config_line", "read_setting_line" },      /* renamed */
	{ "checksum_block", "checksum_block_counted" },    /* one statement inserted */
	{ "device_init", "device_setup" },                 /* statements reordered */
	{ "histogram", "bucket_counts" },                  /* renamed */
	{ "histogram", "bucket_counts_seen" },          /* renamed, one statement inserted */
	{ "bucket_counts", "bucket_counts_seen" },      /* one statement inserted */
};
#define NPLANTED (sizeof(planted) / sizeof(planted[0]))

/* Definitions of the same size and shape that duplicate nothing. */
static const char *const unique_defs[] = {
	"count_words", "parse_number", "setting_default", "crc_update", "device_release",
	"variance", "sort_ints",
};

static struct scratch sc;
static struct extractor *ex;

static void index_scratch(void)
{
	struct index_opts o = { 0 };
	struct index_stats st;
	struct strbuf err = STRBUF_INIT;
	o.jobs = 2;
	if (index_run(sc.root, sc.db, &o, NULL, &st, &err) < 0)
		fail_msg("index_run: %s", err.buf);
	sb_release(&err);
}

static struct dups *load(struct store *st)
{
	struct dups_opts o = { THRESHOLD, DUPS_DEFAULT_MIN_TOKENS };
	struct strbuf err = STRBUF_INIT;
	struct dups *d = dups_load(st->db, &o, &err);
	if (!d)
		fail_msg("dups_load: %s", err.buf);
	sb_release(&err);
	return d;
}

/* The shingle set of the definition at path:line of the scratch repository. */
static long shingles(const char *path, uint32_t line, uint64_t **set)
{
	char *p = xasprintf("%s/%s", sc.root, path), *src;
	size_t len;
	long n;
	assert_int_equal(read_file(p, &src, &len), 0);
	n = extractor_def_shingles(ex, lang_for_path(p, src, len), src, len, line, set);
	assert_true(n > 0);
	free(p);
	free(src);
	return n;
}

static double exact_jaccard(const struct dups_member *a, const struct dups_member *b)
{
	uint64_t *x, *y;
	long nx = shingles(a->path, a->line, &x), ny = shingles(b->path, b->line, &y);
	double j = shingle_jaccard(x, (size_t)nx, y, (size_t)ny);
	free(x);
	free(y);
	return j;
}

/* The report as text: what incremental and fresh must agree on. */
static char *report_text(struct dups *d)
{
	struct dups_report r;
	struct strbuf o = STRBUF_INIT;
	dups_report(d, 1, &r);
	sb_addf(&o, "defs %llu lines %llu dup %llu\n", (unsigned long long)r.defs,
		(unsigned long long)r.def_lines, (unsigned long long)r.dup_lines);
	for (int kind = 0; kind < 3; kind++) {
		const struct dups_set *v = kind == 0 ? r.files : kind == 1 ? r.exact : r.near;
		size_t n = kind == 0 ? r.nfiles : kind == 1 ? r.nexact : r.nnear;
		for (size_t i = 0; i < n; i++) {
			sb_addf(&o, "%d set %zu lines %llu size %llu\n", kind, i,
				(unsigned long long)v[i].lines, (unsigned long long)v[i].size);
			for (size_t k = 0; k < v[i].n; k++) {
				const struct dups_member *m = &v[i].m[k];
				sb_addf(&o, "  %s %s %u-%u %u %.4f %u\n", m->path, m->name ? m->name : "-",
					m->line, m->end_line, m->ntokens, m->sim, m->with);
			}
		}
	}
	dups_report_release(&r);
	return o.buf;
}

static int setup(void **state)
{
	char *cmd;
	(void)state;
	if (access(FIXTURE, R_OK) < 0) {
		fprintf(stderr, "test_dups: run from the repository root (%s not found)\n", FIXTURE);
		return -1;
	}
	scratch_init(&sc);
	cmd = xasprintf("cp -R %s/. '%s'", FIXTURE, sc.root);
	if (system(cmd) != 0)
		return -1;
	free(cmd);
	ex = extractor_new();
	index_scratch();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	extractor_free(ex);
	if (getenv("CIDX_TEST_KEEP"))
		fprintf(stderr, "kept %s\n", sc.dir);
	else
		scratch_release(&sc);
	return 0;
}

/* Which near cluster (1-based) or exact group (negative) holds name; 0: none. */
static int where(const struct dups_report *r, const char *name)
{
	for (size_t i = 0; i < r->nnear; i++)
		for (size_t k = 0; k < r->near[i].n; k++)
			if (!strcmp(r->near[i].m[k].name, name))
				return (int)i + 1;
	for (size_t i = 0; i < r->nexact; i++)
		for (size_t k = 0; k < r->exact[i].n; k++)
			if (!strcmp(r->exact[i].m[k].name, name))
				return -(int)i - 1;
	return 0;
}

static void test_near_pairs_checked_by_exact_jaccard(void **state)
{
	struct store st;
	struct strbuf err = STRBUF_INIT;
	struct dups *d;
	struct dups_report r;
	size_t found = 0, pairs = 0;
	double lowest = 1;
	(void)state;
	assert_int_equal(store_open(&st, sc.db, STORE_READ, &err), 0);
	d = load(&st);
	dups_report(d, 1, &r);

	/* every reported near pair: its exact Jaccard */
	for (size_t i = 0; i < r.nnear; i++)
		for (size_t k = 0; k < r.near[i].n; k++) {
			const struct dups_member *m = &r.near[i].m[k], *w = &r.near[i].m[m->with];
			double j = exact_jaccard(m, w);
			assert_true(m->with != k);
			assert_true(m->sim >= THRESHOLD);
			if (getenv("CIDX_TEST_VERBOSE"))
				printf("reported %s ~ %s: estimated %.3f, exact %.3f\n", m->name, w->name,
				       m->sim, j);
			if (j < lowest)
				lowest = j;
			if (j < THRESHOLD - 0.05)
				fail_msg("%s ~ %s reported at %.2f, exact Jaccard %.3f", m->name, w->name,
					 m->sim, j);
			pairs++;
		}
	assert_true(pairs > 0);
	/* exact groups: equal token streams, so equal shingle sets */
	for (size_t i = 0; i < r.nexact; i++)
		for (size_t k = 1; k < r.exact[i].n; k++) {
			assert_true(r.exact[i].m[k].hash == r.exact[i].m[0].hash);
			assert_true(exact_jaccard(&r.exact[i].m[0], &r.exact[i].m[k]) == 1.0);
		}

	/* recall on the planted pairs; the planted edits keep exact Jaccard
	 * above the threshold at these sizes (DUP_SHINGLE = 4) */
	for (size_t p = 0; p < NPLANTED; p++) {
		int a = where(&r, planted[p][0]), b = where(&r, planted[p][1]);
		if (a && a == b)
			found++;
		else
			fprintf(stderr, "planted pair %s ~ %s not reported\n", planted[p][0], planted[p][1]);
	}
	assert_true(found * 100 >= NPLANTED * 95);
	/* nothing else clustered */
	for (size_t u = 0; u < sizeof(unique_defs) / sizeof(unique_defs[0]); u++)
		if (where(&r, unique_defs[u]))
			fail_msg("%s reported as a duplicate", unique_defs[u]);
	if (getenv("CIDX_TEST_VERBOSE"))
		printf("recall %zu/%zu, lowest exact Jaccard of a reported pair %.3f\n", found,
		       (size_t)NPLANTED, lowest);

	/* the file and the definitions copied verbatim */
	assert_int_equal(r.nfiles, 1);
	assert_int_equal(r.files[0].n, 2);
	assert_string_equal(r.files[0].m[0].path, "include/ringbuf.h");
	assert_string_equal(r.files[0].m[1].path, "third_party/ringbuf.h");
	assert_true(where(&r, "clamp_value") < 0 && where(&r, "clamp_value") == where(&r, "limit_value"));
	assert_true(where(&r, "ringbuf_write") < 0);
	assert_int_equal(where(&r, "zero"), 0);   /* below --min-tokens */

	dups_report_release(&r);
	dups_free(d);
	store_close(&st);
}

/* The exact and estimated similarity of every pair of definitions (the
 * figures behind DUP_SHINGLE; printed with CIDX_TEST_VERBOSE=1), and the
 * planted pairs' exact Jaccard at least the threshold. */
static void test_planted_pairs_exact_jaccard(void **state)
{
	struct store st;
	struct strbuf err = STRBUF_INIT;
	struct dups *d;
	struct dups_report r;
	struct dups_opts o = { THRESHOLD, 1 };
	(void)state;
	assert_int_equal(store_open(&st, sc.db, STORE_READ, &err), 0);
	/* min_tokens 1: every definition shows up, in exact groups or alone */
	d = dups_load(st.db, &o, &err);
	assert_non_null(d);
	dups_report(d, 1, &r);
	dups_report_release(&r);
	dups_free(d);
	{
		/* the definitions, from the fixture's symbols */
		sqlite3_stmt *s;
		struct dups_member m[64];
		size_t n = 0;
		double worst_unique = 0;
		assert_int_equal(sqlite3_prepare_v2(st.db, "SELECT f.path, s.name, s.line FROM symbols s"
						    " JOIN files f ON f.id = s.file_id WHERE s.kind = 0"
						    " ORDER BY f.path, s.line", -1, &s, NULL), SQLITE_OK);
		while (sqlite3_step(s) == SQLITE_ROW && n < 64) {
			memset(&m[n], 0, sizeof(m[n]));
			m[n].path = xstrdup((const char *)sqlite3_column_text(s, 0));
			m[n].name = xstrdup((const char *)sqlite3_column_text(s, 1));
			m[n].line = (uint32_t)sqlite3_column_int(s, 2);
			n++;
		}
		sqlite3_finalize(s);
		for (size_t i = 0; i < n; i++)
			for (size_t k = i + 1; k < n; k++) {
				uint64_t *x, *y;
				long nx = shingles(m[i].path, m[i].line, &x);
				long ny = shingles(m[k].path, m[k].line, &y);
				double j = shingle_jaccard(x, (size_t)nx, y, (size_t)ny);
				int is_planted = 0, is_unique = 0;
				for (size_t p = 0; p < NPLANTED; p++)
					is_planted |= (!strcmp(planted[p][0], m[i].name) &&
						       !strcmp(planted[p][1], m[k].name)) ||
						      (!strcmp(planted[p][1], m[i].name) &&
						       !strcmp(planted[p][0], m[k].name));
				for (size_t u = 0; u < sizeof(unique_defs) / sizeof(unique_defs[0]); u++)
					is_unique |= !strcmp(unique_defs[u], m[i].name) ||
						     !strcmp(unique_defs[u], m[k].name);
				if (getenv("CIDX_TEST_VERBOSE") && (j > 0.3 || is_planted))
					printf("%-24s %-24s %4ld %4ld shingles  exact %.3f%s\n", m[i].name,
					       m[k].name, nx, ny, j, is_planted ? "  planted" : "");
				if (is_planted && j < THRESHOLD)
					fail_msg("planted pair %s ~ %s: exact Jaccard %.3f", m[i].name,
						 m[k].name, j);
				if (is_unique && j > worst_unique && nx >= 20 && ny >= 20)
					worst_unique = j;
				free(x);
				free(y);
			}
		if (getenv("CIDX_TEST_VERBOSE"))
			printf("highest exact Jaccard involving a non-duplicate: %.3f\n", worst_unique);
		assert_true(worst_unique < THRESHOLD - 0.2);
		for (size_t i = 0; i < n; i++) {
			free((char *)m[i].path);
			free((char *)m[i].name);
		}
	}
	store_close(&st);
}

/* Patched file by file after edits, the structure reports what a fresh
 * load reports; edits undone, it reports what it did first. */
static void test_incremental_equals_fresh(void **state)
{
	struct store st;
	struct strbuf err = STRBUF_INIT;
	struct dups *d, *fresh;
	char *before, *inc, *full, *back, *p;
	static const char *const changed[] = {
		"src/stats.c", "src/math_b.c", "src/new.c", "src/device.c", "third_party/ringbuf.h"
	};
	(void)state;
	assert_int_equal(store_open(&st, sc.db, STORE_READ, &err), 0);
	d = load(&st);
	before = report_text(d);
	store_close(&st);

	/* a copy of crc_update renamed, and of device_release with a statement
	 * more; bucket_counts_seen gone; math_b.c deleted; device_setup's
	 * body changed; the duplicate header edited */
	scratch_put(&sc, "src/new.c",
		    "unsigned int crc32_step(unsigned int c0, const unsigned char *p, size_t len)\n"
		    "{\n\tstatic unsigned int t[256];\n\tstatic int init;\n\tsize_t i;\n\n"
		    "\tif (!init) {\n\t\tfor (unsigned int x = 0; x < 256; x++) {\n"
		    "\t\t\tunsigned int r = x;\n\t\t\tfor (int b = 0; b < 8; b++)\n"
		    "\t\t\t\tr = r & 1 ? 0xedb88320u ^ (r >> 1) : r >> 1;\n\t\t\tt[x] = r;\n\t\t}\n"
		    "\t\tinit = 1;\n\t}\n\tc0 = ~c0;\n\tfor (i = 0; i < len; i++)\n"
		    "\t\tc0 = t[(c0 ^ p[i]) & 0xff] ^ (c0 >> 8);\n\treturn ~c0;\n}\n");
	{
		char *path = xasprintf("%s/src/stats.c", sc.root), *src, *cut;
		size_t len;
		assert_int_equal(read_file(path, &src, &len), 0);
		cut = strstr(src, "void bucket_counts_seen");
		assert_non_null(cut);
		*cut = 0;
		scratch_put(&sc, "src/stats.c", src);
		free(src);
		free(path);
	}
	p = xasprintf("%s/src/math_b.c", sc.root);
	assert_int_equal(unlink(p), 0);
	free(p);
	{
		char *path = xasprintf("%s/src/device.c", sc.root), *src, *at;
		size_t len;
		assert_int_equal(read_file(path, &src, &len), 0);
		at = strstr(src, "\tmutex_init(&dev->lock);\n\tlist_init(&dev->queue);");
		assert_non_null(at);
		memcpy(at, "\tmutex_init(&dev->lock);\n\tlist_init(&dev->other);", 49);
		scratch_put(&sc, "src/device.c", src);
		free(src);
		free(path);
	}
	scratch_put(&sc, "third_party/ringbuf.h", "/* emptied */\n");
	index_scratch();

	assert_int_equal(store_open(&st, sc.db, STORE_READ, &err), 0);
	for (size_t i = 0; i < sizeof(changed) / sizeof(changed[0]); i++)
		assert_int_equal(dups_update_file(d, st.db, changed[i], &err), 0);
	inc = report_text(d);
	fresh = load(&st);
	full = report_text(fresh);
	assert_string_equal(inc, full);
	assert_string_not_equal(inc, before);
	assert_non_null(strstr(full, "crc32_step"));   /* the new copy is found */
	dups_free(fresh);
	store_close(&st);

	/* undo everything: back where it started */
	{
		char *cmd = xasprintf("cp -R %s/. '%s' && rm -f '%s/src/new.c'", FIXTURE, sc.root, sc.root);
		assert_int_equal(system(cmd), 0);
		free(cmd);
	}
	index_scratch();
	assert_int_equal(store_open(&st, sc.db, STORE_READ, &err), 0);
	for (size_t i = 0; i < sizeof(changed) / sizeof(changed[0]); i++)
		assert_int_equal(dups_update_file(d, st.db, changed[i], &err), 0);
	back = report_text(d);
	assert_string_equal(back, before);
	/* many updates: the names of removed definitions are dropped from the
	 * arena now and then, and nothing else changes */
	for (int i = 0; i < 3000; i++)
		assert_int_equal(dups_update_file(d, st.db, "src/stats.c", &err), 0);
	free(back);
	back = report_text(d);
	assert_string_equal(back, before);
	dups_free(d);
	store_close(&st);
	free(before);
	free(inc);
	free(full);
	free(back);
	sb_release(&err);
}

static void test_blob_roundtrip_and_damage(void **state)
{
	struct xresult x;
	struct strbuf blob = STRBUF_INIT;
	static const char src[] =
		"int add_all(const int *v, int n)\n{\n\tint s = 0;\n\tfor (int i = 0; i < n; i++)\n"
		"\t\ts += v[i];\n\treturn s;\n}\n";
	(void)state;
	xresult_init(&x);
	assert_int_equal(extractor_run(ex, lang_for_path("a.c", NULL, 0), src, strlen(src), &x), 0);
	assert_int_equal(x.ndefs, 1);
	/* ( const int * v , int n ) { int s = 0 ; for ( int i = 0 ; i < n ;
	 * i ++ ) s += v [ i ] ; return s ; }: 40 tokens after the name */
	assert_int_equal(x.defs[0].ntokens, 40);
	assert_int_equal(x.defs[0].has_sig, 1);
	dups_encode(&x, &blob);
	{
		/* a damaged blob is refused with a message, never half-read */
		sqlite3 *db;
		sqlite3_stmt *s;
		struct strbuf err = STRBUF_INIT;
		struct dups_opts o = { THRESHOLD, 1 };
		struct dups *d;
		assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "CREATE TABLE files(id INTEGER PRIMARY KEY, path TEXT,"
					      " fp BLOB, size INTEGER, ndefs INTEGER);"
					      "CREATE TABLE dupsigs(file_id INTEGER PRIMARY KEY, data BLOB);"
					      "INSERT INTO files VALUES(1, 'a.c', x'00', 10, 1);",
					      NULL, NULL, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO dupsigs VALUES(1, ?1)", -1, &s, NULL),
				 SQLITE_OK);
		sqlite3_bind_blob(s, 1, blob.buf, (int)blob.len, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(s), SQLITE_DONE);
		sqlite3_finalize(s);
		d = dups_load(db, &o, &err);
		assert_non_null(d);
		dups_free(d);
		assert_int_equal(sqlite3_prepare_v2(db, "UPDATE dupsigs SET data = ?1", -1, &s, NULL),
				 SQLITE_OK);
		sqlite3_bind_blob(s, 1, blob.buf, (int)blob.len - 1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(s), SQLITE_DONE);
		sqlite3_finalize(s);
		assert_null(dups_load(db, &o, &err));
		assert_non_null(strstr(err.buf, "'a.c'"));
		sqlite3_close(db);
		sb_release(&err);
	}
	sb_release(&blob);
	xresult_release(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blob_roundtrip_and_damage),
		cmocka_unit_test(test_near_pairs_checked_by_exact_jaccard),
		cmocka_unit_test(test_planted_pairs_exact_jaccard),
		cmocka_unit_test(test_incremental_equals_fresh),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
