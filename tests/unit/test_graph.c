/* test_graph.c — a part of the call graph (graph_part, read from the index
 * hop by hop) answers impact exactly as the whole graph does: on every
 * fixture repository, for every defined name and every file as roots, at
 * depths 1, 2, 3 and all, strict and not, the hits (node, hop, the edge that
 * reached it with its resolution and call sites, uncertain, cycle) are the
 * same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "graph.h"
#include "resolve.h"
#include "store.h"
#include "util.h"
#include "scratch.h"

static const uint32_t depths[] = { 1, 2, 3, 0 };

/* The impact of roots as text: one line per hit. */
static void describe(const struct graph *g, const uint32_t *roots, size_t nroots, uint32_t depth,
		     int strict, struct strbuf *out)
{
	struct impact_result r;
	sb_reset(out);
	graph_impact(g, roots, nroots, depth, strict, &r);
	for (size_t i = 0; i < r.n; i++) {
		struct gnode_info n, to;
		struct gedge_info e;
		graph_node(g, r.hits[i].node, &n);
		graph_edge(g, r.hits[i].edge, &e);
		graph_node(g, e.to, &to);
		sb_addf(out, "%u %s:%u %s.%s -> %s:%u %s [%s x%u %s:%u] u%d c%d\n", r.hits[i].hop, n.file,
			n.line, n.scope, n.name, to.file, to.line, to.name, resolution_name(e.resolution),
			e.sites, e.file, e.line, r.hits[i].uncertain, r.hits[i].cycle);
	}
	impact_result_release(&r);
}

/* Compare the whole graph with a part built from one name or one file. */
static void compare(sqlite3 *db, const struct graph *whole, const char *name, const char *file,
		    size_t *checked)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT, err = STRBUF_INIT;
	for (size_t d = 0; d < sizeof(depths) / sizeof(depths[0]); d++) {
		struct graph_part *p = graph_part_new(db);
		struct graph *part;
		uint32_t *rw = NULL, *rp = NULL, first;
		size_t nw, np;
		if (name)
			assert_int_equal(graph_part_add_name(p, name, &err), 0);
		else
			assert_int_equal(graph_part_add_file(p, file, &err), 0);
		part = graph_part_finish(p, depths[d], &err);
		if (!part)
			fail_msg("graph_part_finish: %s", err.buf);
		if (name) {
			nw = graph_find(whole, name, &rw);
			np = graph_find(part, name, &rp);
		} else {
			nw = graph_file_nodes(whole, file, &first);
			rw = xcalloc(nw + 1, sizeof(*rw));
			for (size_t i = 0; i < nw; i++)
				rw[i] = first + (uint32_t)i;
			np = graph_file_nodes(part, file, &first);
			rp = xcalloc(np + 1, sizeof(*rp));
			for (size_t i = 0; i < np; i++)
				rp[i] = first + (uint32_t)i;
		}
		assert_int_equal(nw, np);
		for (int strict = 0; strict < 2; strict++) {
			describe(whole, rw, nw, depths[d], strict, &a);
			describe(part, rp, np, depths[d], strict, &b);
			if (strcmp(a.buf ? a.buf : "", b.buf ? b.buf : ""))
				fail_msg("%s %s depth %u strict %d:\nwhole graph:\n%spart:\n%s", name ? "name" : "file",
					 name ? name : file, depths[d], strict, a.buf ? a.buf : "", b.buf ? b.buf : "");
			(*checked)++;
		}
		free(rw);
		free(rp);
		graph_free(part);
	}
	sb_release(&a);
	sb_release(&b);
	sb_release(&err);
}

static void check_fixture(const char *fixture)
{
	struct scratch sc;
	struct store st;
	struct strbuf err = STRBUF_INIT;
	struct graph *g;
	size_t checked = 0, hits_seen = 0;
	const char *last_file = NULL;
	char *cmd;
	scratch_init(&sc);
	cmd = xasprintf("cp -R '%s'/. '%s'", fixture, sc.root);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	scratch_index_open(&sc, 2, &st);
	if (!(g = graph_load(st.db, &err)))
		fail_msg("graph_load: %s", err.buf);
	for (size_t n = 0; n < graph_nodes(g); n++) {
		struct gnode_info ni;
		size_t nin;
		graph_node(g, (uint32_t)n, &ni);
		graph_in_edges(g, (uint32_t)n, &nin);
		hits_seen += nin;
		compare(st.db, g, ni.name, NULL, &checked);
		/* nodes are in file order: each file once, at its first node */
		if (ni.file[0] && (!last_file || strcmp(last_file, ni.file))) {
			compare(st.db, g, NULL, ni.file, &checked);
			last_file = ni.file;
		}
	}
	/* the fixture has a graph worth comparing */
	assert_true(graph_nodes(g) >= 10);
	assert_true(hits_seen >= 10);
	assert_true(checked >= 80);
	graph_free(g);
	store_close(&st);
	sb_release(&err);
	scratch_release(&sc);
}

static void test_graph_repo(void **state) { (void)state; check_fixture("tests/fixtures/graph-repo"); }
static void test_c_repo(void **state) { (void)state; check_fixture("tests/fixtures/c-repo"); }
static void test_python(void **state) { (void)state; check_fixture("tests/fixtures/lang-python"); }
static void test_javascript(void **state) { (void)state; check_fixture("tests/fixtures/lang-javascript"); }
static void test_typescript(void **state) { (void)state; check_fixture("tests/fixtures/lang-typescript"); }
static void test_cpp(void **state) { (void)state; check_fixture("tests/fixtures/lang-cpp"); }
static void test_java(void **state) { (void)state; check_fixture("tests/fixtures/lang-java"); }
static void test_go(void **state) { (void)state; check_fixture("tests/fixtures/lang-go"); }
static void test_rust(void **state) { (void)state; check_fixture("tests/fixtures/lang-rust"); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_graph_repo), cmocka_unit_test(test_c_repo),
		cmocka_unit_test(test_python), cmocka_unit_test(test_javascript),
		cmocka_unit_test(test_typescript), cmocka_unit_test(test_cpp),
		cmocka_unit_test(test_java), cmocka_unit_test(test_go),
		cmocka_unit_test(test_rust),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
