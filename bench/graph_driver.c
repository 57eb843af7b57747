/* graph_driver.c — in-process timings of the call graph for bench/graph-bench.sh:
 *   graph-driver DB RUNS NAME...
 * prints one tab-separated line per measurement:
 *   load <ms> <nodes> <edges>
 *   impact <name> <depth|all> <median ms> <p95 ms> <callers>
 *   cycles <median ms> <count>
 * Medians over RUNS repetitions of the same query on the loaded graph. */
#include "graph.h"
#include "store.h"
#include "util.h"
#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct store st;
	struct strbuf err = STRBUF_INIT;
	struct graph *g;
	double t0, *ms;
	int runs;
	if (argc < 4)
		die(2, "usage: graph-driver DB RUNS NAME...");
	runs = atoi(argv[2]);
	if (runs < 1)
		die(2, "RUNS must be at least 1");
	ms = xcalloc((size_t)runs, sizeof(*ms));
	if (store_open(&st, argv[1], STORE_READ, &err) < 0)
		die(1, "%s", err.buf);
	t0 = now_seconds();
	g = graph_load(st.db, &err);
	if (!g)
		die(1, "%s", err.buf);
	printf("load\t%.1f\t%zu\t%zu\n", (now_seconds() - t0) * 1e3, graph_nodes(g), graph_edges(g));
	for (int a = 3; a < argc; a++) {
		uint32_t *roots;
		size_t nroots = graph_find(g, argv[a], &roots);
		if (!nroots)
			die(1, "no node named '%s'", argv[a]);
		for (uint32_t depth = 3;; depth = 0) {
			struct impact_result r = { 0 };
			for (int i = 0; i < runs; i++) {
				impact_result_release(&r);
				t0 = now_seconds();
				graph_impact(g, roots, nroots, depth, 0, &r);
				ms[i] = (now_seconds() - t0) * 1e3;
			}
			printf("impact\t%s\t%s\t%.2f\t%.2f\t%zu\n", argv[a], depth ? "3" : "all",
			       pick(ms, (size_t)runs, 0.5), pick(ms, (size_t)runs, 0.95), r.n);
			impact_result_release(&r);
			if (!depth)
				break;
		}
		free(roots);
	}
	{
		uint32_t *members;
		size_t *starts, n = 0;
		for (int i = 0; i < runs; i++) {
			t0 = now_seconds();
			n = graph_cycles(g, &members, &starts);
			ms[i] = (now_seconds() - t0) * 1e3;
			free(members);
			free(starts);
		}
		printf("cycles\t%.2f\t%zu\n", pick(ms, (size_t)runs, 0.5), n);
	}
	graph_free(g);
	store_close(&st);
	free(ms);
	return 0;
}
