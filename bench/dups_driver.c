/* dups_driver.c — in-process timings of duplicate detection for
 * bench/dups-bench.sh:
 *   dups-driver DB RUNS [THRESHOLD MIN_TOKENS]
 * prints tab-separated lines:
 *   full <median ms> <p95 ms>     load every signature + LSH + verify + cluster + report
 *   stats <files> <defs> <groups> <edges> <buckets>
 *   report <file groups> <exact groups> <near clusters> <def lines> <dup lines exact> <dup lines near>
 *   update <median ms> <p95 ms> <max ms> <n>   dups_update_file + report on RUNS files
 * With CHECK_ROOT set to the indexed directory, also the exact Jaccard of up
 * to CHECK_PAIRS (default 300) reported near pairs, sampled evenly:
 *   check <pairs> <min> <5th percentile> <median> <below threshold - 0.05>
 * The one-file update re-reads a file's rows and patches the structure:
 * its definitions leave (groups, buckets, edges), come back (LSH probes and
 * verification) and clusters are recomputed, as after an edit. */
#include "dups.h"
#include "extract.h"
#include "minhash.h"
#include "store.h"
#include "util.h"
#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exact Jaccard of the shingle sets of two reported definitions. */
static double exact(struct extractor *ex, const char *root, const struct dups_member *a,
		    const struct dups_member *b)
{
	uint64_t *set[2];
	long n[2];
	const struct dups_member *m[2] = { a, b };
	double j;
	for (int i = 0; i < 2; i++) {
		char *p = xasprintf("%s/%s", root, m[i]->path), *src;
		size_t len;
		if (read_file(p, &src, &len) < 0)
			die(1, "cannot read '%s'", p);
		n[i] = extractor_def_shingles(ex, lang_for_path(p, src, len), src, len, m[i]->line,
					      &set[i]);
		if (n[i] < 0)
			die(1, "no definition at %s:%u", p, m[i]->line);
		free(p);
		free(src);
	}
	j = shingle_jaccard(set[0], (size_t)n[0], set[1], (size_t)n[1]);
	free(set[0]);
	free(set[1]);
	return j;
}

static void check_pairs(const struct dups_report *r, const char *root, double threshold)
{
	struct extractor *ex = extractor_new();
	size_t total = 0, want, step, k = 0, n = 0, below = 0;
	double *js;
	const char *w = getenv("CHECK_PAIRS");
	want = w ? (size_t)atoi(w) : 300;
	for (size_t i = 0; i < r->nnear; i++)
		total += r->near[i].n;
	if (!total || !want)
		return;
	step = total > want ? total / want : 1;
	js = xcalloc(total / step + 1, sizeof(*js));
	for (size_t i = 0; i < r->nnear; i++)
		for (size_t m = 0; m < r->near[i].n; m++, k++) {
			const struct dups_member *a = &r->near[i].m[m], *b = &r->near[i].m[a->with];
			if (k % step)
				continue;
			js[n] = exact(ex, root, a, b);
			below += js[n] < threshold - 0.05;
			n++;
		}
	printf("check\t%zu\t%.3f\t%.3f\t%.3f\t%zu\n", n, pick(js, n, 0), pick(js, n, 0.05),
	       pick(js, n, 0.5), below);
	free(js);
	extractor_free(ex);
}

int main(int argc, char **argv)
{
	struct store st;
	struct strbuf err = STRBUF_INIT;
	struct dups_opts o = { DUPS_DEFAULT_THRESHOLD, DUPS_DEFAULT_MIN_TOKENS };
	struct dups *d = NULL;
	struct dups_report r;
	struct dups_stats s;
	sqlite3_stmt *q;
	char **paths = NULL;
	size_t npaths = 0, cap = 0;
	double t0, *ms;
	int runs;
	if (argc < 3)
		die(2, "usage: dups-driver DB RUNS [THRESHOLD MIN_TOKENS]");
	runs = atoi(argv[2]);
	if (runs < 1)
		die(2, "RUNS must be at least 1");
	if (argc > 4) {
		o.threshold = atof(argv[3]);
		o.min_tokens = (uint32_t)atoi(argv[4]);
	}
	ms = xcalloc((size_t)runs, sizeof(*ms));
	if (store_open(&st, argv[1], STORE_READ, &err) < 0)
		die(1, "%s", err.buf);
	for (int i = 0; i < runs; i++) {
		dups_free(d);
		t0 = now_seconds();
		d = dups_load(st.db, &o, &err);
		if (!d)
			die(1, "%s", err.buf);
		dups_report(d, 1, &r);
		ms[i] = (now_seconds() - t0) * 1e3;
		if (i + 1 < runs)
			dups_report_release(&r);
	}
	printf("full\t%.1f\t%.1f\n", pick(ms, (size_t)runs, 0.5), pick(ms, (size_t)runs, 0.95));
	dups_stats(d, &s);
	printf("stats\t%zu\t%zu\t%zu\t%zu\t%zu\n", s.files, s.defs, s.groups, s.edges, s.buckets);
	{
		struct dups_report e;
		dups_report(d, 0, &e);
		printf("report\t%zu\t%zu\t%zu\t%llu\t%llu\t%llu\n", r.nfiles, r.nexact, r.nnear,
		       (unsigned long long)r.def_lines, (unsigned long long)e.dup_lines,
		       (unsigned long long)r.dup_lines);
		dups_report_release(&e);
	}
	if (getenv("CHECK_ROOT"))
		check_pairs(&r, getenv("CHECK_ROOT"), o.threshold);
	dups_report_release(&r);
	/* the files with the most definitions first: the costliest updates */
	if (sqlite3_prepare_v2(st.db, "SELECT path FROM files ORDER BY ndefs DESC, path LIMIT ?1",
			       -1, &q, NULL) != SQLITE_OK)
		die(1, "%s", sqlite3_errmsg(st.db));
	sqlite3_bind_int(q, 1, runs);
	while (sqlite3_step(q) == SQLITE_ROW) {
		ARRAY_GROW(paths, cap, npaths + 1);
		paths[npaths++] = xstrdup((const char *)sqlite3_column_text(q, 0));
	}
	sqlite3_finalize(q);
	for (size_t i = 0; i < npaths; i++) {
		t0 = now_seconds();
		if (dups_update_file(d, st.db, paths[i], &err) < 0)
			die(1, "%s", err.buf);
		ms[i] = (now_seconds() - t0) * 1e3;
	}
	if (npaths) {
		double max = 0;
		for (size_t i = 0; i < npaths; i++)
			if (ms[i] > max)
				max = ms[i];
		printf("update\t%.2f\t%.2f\t%.2f\t%zu\n", pick(ms, npaths, 0.5), pick(ms, npaths, 0.95),
		       max, npaths);
	}
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	dups_free(d);
	store_close(&st);
	free(ms);
	return 0;
}
