/* search_driver.c — the in-process half of the search benchmarks, linked
 * with build/libcidx.a (built by `make build/search-driver`).
 *
 *   search-driver speed DB QUERIES [REPEAT]
 *       Load the search table from index.db DB, then replay typing: for each
 *       line of QUERIES, every prefix of it is run in turn with one narrowing
 *       state, as a search pane would as keys arrive. Prints one line per
 *       keystroke, "LEN<TAB>WALL_US<TAB>CPU_US<TAB>TOTAL<TAB>QUERY" (CPU: every
 *       thread of the process), then "# memory ..." and
 *       "# load ..." lines. REPEAT (default 1) replays the list that often.
 *       SEARCH_THREADS=1 or 2 sets the scan threads (default: the library's).
 *   search-driver rank CANDIDATES QUERIES LIMIT
 *       Load candidates, one per line "KIND<TAB>NAME" (NAME may be
 *       "Parent.name"; the part before the last '.' becomes the parent), then
 *       print, for each line of QUERIES, one line with the 0-based candidate
 *       line numbers of the top LIMIT results, space-separated (the line
 *       number is stored as the symbol's line).
 */
#include "search.h"
#include "store.h"
#include "extract.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char **read_lines(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, **v = NULL;
	size_t cap = 0, vcap = 0, len;
	ssize_t r;
	if (!f)
		die(1, "cannot open '%s'", path);
	*n = 0;
	while ((r = getline(&line, &cap, f)) >= 0) {
		len = (size_t)r;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		ARRAY_GROW(v, vcap, *n + 1);
		v[(*n)++] = xstrndup(line, len);
	}
	free(line);
	fclose(f);
	return v;
}

/* CPU time of the whole process (every thread), in seconds. */
static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int speed(int argc, char **argv)
{
	const char *th = getenv("SEARCH_THREADS");
	int threads = th ? atoi(th) : 0;
	struct search_table t;
	struct store st;
	struct strbuf err = STRBUF_INIT;
	struct search_memory m;
	size_t nq, repeat = argc > 4 ? (size_t)atoi(argv[4]) : 1;
	char **qs = read_lines(argv[3], &nq);
	double t0;
	if (store_open(&st, argv[2], STORE_READ, &err) < 0)
		die(1, "%s", err.buf);
	search_table_init(&t);
	t0 = now_seconds();
	if (search_table_load(&t, st.db, &err) < 0)
		die(1, "%s", err.buf);
	printf("# load %.3f s\n", now_seconds() - t0);
	for (size_t r = 0; r < repeat; r++) {
		for (size_t i = 0; i < nq; i++) {
			struct search_state state = { 0 };
			size_t len = strlen(qs[i]);
			for (size_t k = 1; k <= len; k++) {
				char *pre = xstrndup(qs[i], k);
				struct search_opts o = { .limit = 50, .state = &state };
				struct search_result res;
				double a = now_seconds(), b, ca = cpu_seconds(), cb;
				o.threads = threads;
				if (search_run(&t, pre, &o, &res, &err) < 0)
					die(1, "%s", err.buf);
				b = now_seconds();
				cb = cpu_seconds();
				printf("%zu\t%.1f\t%.1f\t%zu\t%s\n", k, (b - a) * 1e6, (cb - ca) * 1e6,
				       res.total, pre);
				search_result_release(&res);
				free(pre);
			}
			search_state_release(&state);
		}
	}
	search_table_memory(&t, &m);
	printf("# memory symbols=%zu strings=%zu name_bytes=%zu total=%zu per_symbol=%.1f\n",
	       m.symbols, m.strings, m.name_bytes, m.total, m.per_symbol);
	search_table_release(&t);
	store_close(&st);
	return 0;
}

static int rank(int argc, char **argv)
{
	struct search_table t;
	struct strbuf err = STRBUF_INIT, out = STRBUF_INIT;
	size_t nc, nq, limit = (size_t)atoi(argv[4]);
	char **cands = read_lines(argv[2], &nc), **qs = read_lines(argv[3], &nq);
	(void)argc;
	search_table_init(&t);
	for (size_t i = 0; i < nc; i++) {
		char *tab = strchr(cands[i], '\t'), *name, *dot;
		int kind;
		if (!tab)
			die(1, "candidate line %zu has no tab", i + 1);
		*tab = 0;
		kind = sym_kind_from_name(cands[i]);
		if (kind < 0)
			die(1, "unknown kind '%s' on candidate line %zu", cands[i], i + 1);
		name = tab + 1;
		dot = strrchr(name, '.');
		if (dot && dot != name && dot[1]) {
			*dot = 0;
			search_add(&t, "candidates", "c", dot + 1, name, kind, (uint32_t)i);
		} else {
			search_add(&t, "candidates", "c", name, NULL, kind, (uint32_t)i);
		}
	}
	for (size_t i = 0; i < nq; i++) {
		struct search_opts o = { .limit = limit, .threads = 1 };
		struct search_result res;
		sb_reset(&out);
		if (search_run(&t, qs[i], &o, &res, &err) < 0)
			die(1, "query '%s': %s", qs[i], err.buf);
		for (size_t k = 0; k < res.n; k++)
			sb_addf(&out, "%s%u", k ? " " : "", res.hits[k].line);
		sb_addc(&out, '\n');
		fwrite(out.buf, 1, out.len, stdout);
		search_result_release(&res);
	}
	search_table_release(&t);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "speed"))
		return speed(argc, argv);
	if (argc == 5 && !strcmp(argv[1], "rank"))
		return rank(argc, argv);
	fprintf(stderr, "usage: search-driver speed DB QUERIES [REPEAT]\n"
			"       search-driver rank CANDIDATES QUERIES LIMIT\n");
	return 2;
}
