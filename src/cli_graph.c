/* cli_graph.c — `cidx impact`, `path`, `cycles` and `hotspots`: the call
 * graph analyses (graph.h) on the command line, as text or JSON. */
#include "cli.h"
#include "extract.h"
#include "graph.h"
#include "util.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Load the graph of the current index (dies with a message). */
static struct graph *open_graph(const struct cli *c, struct store *st, struct query *q)
{
	struct strbuf err = STRBUF_INIT;
	struct graph *g;
	char *root;
	open_read(c, st, &root);
	free(root);
	query_init(q, st->db);
	g = graph_load(st->db, &err);
	if (!g)
		die(1, "%s", err.buf);
	return g;
}

static void close_graph(struct graph *g, struct store *st, struct query *q)
{
	graph_free(g);
	query_release(q);
	store_close(st);
}

/* The definitions named name, or exit 1 with a suggestion. */
static size_t find_or_die(struct graph *g, struct query *q, const char *name, uint32_t **out)
{
	size_t n = graph_find(g, name, out);
	if (n)
		return n;
	free(*out);
	if (!query_known(q, name))
		exit(unknown_name(q, name));
	fprintf(stderr, "cidx: '%s' has no function definition in the index "
		"(it is a type, variable or prototype, or defined outside the repository)\n", name);
	exit(1);
}

static void json_node(struct strbuf *o, const struct graph *g, uint32_t n)
{
	struct gnode_info i;
	graph_node(g, n, &i);
	sb_adds(o, "{\"name\":");
	sb_add_json(o, i.name);
	if (i.kind < 0) {   /* called, but defined nowhere in the index */
		sb_adds(o, ",\"kind\":\"external\",\"file\":null,\"line\":null");
		return;
	}
	sb_addf(o, ",\"kind\":\"%s\",\"file\":", sym_kind_name(i.kind));
	sb_add_json(o, i.file);
	sb_addf(o, ",\"line\":%u", i.line);
}

static void text_node(struct strbuf *o, const struct graph *g, uint32_t n)
{
	struct gnode_info i;
	graph_node(g, n, &i);
	if (i.kind >= 0) {
		sb_add_visible(o, i.file, strlen(i.file));
		sb_addf(o, ":%u ", i.line);
	}
	sb_add_visible(o, i.name, strlen(i.name));
	if (i.kind < 0)
		sb_adds(o, " (not defined in the index)");
}

static void emit(struct strbuf *o)
{
	fwrite(o->buf, 1, o->len, stdout);
	sb_release(o);
}

/* ---- impact ------------------------------------------------------------- */

/* Where tests live, by the usual conventions of each language. */
static const char *const default_tests[] = {
	"test/*", "*/test/*", "tests/*", "*/tests/*", "testing/*", "*/testing/*",
	"*/selftests/*", "*/__tests__/*", "spec/*", "*/spec/*",
	"test_*", "*/test_*", "*_test.*", "*_tests.*", "*.test.*", "*.spec.*", "*Test.java",
	"*Tests.java", NULL
};

static int is_test(const char *path, const char *const *globs)
{
	for (; *globs; globs++)
		if (!fnmatch(*globs, path, 0))
			return 1;
	return 0;
}

/* --tests GLOB, repeatable: replaces the default conventions. */
static const char **take_tests(int *argc, char **argv)
{
	const char **globs = NULL;
	size_t n = 0, cap = 0;
	const char *v;
	while ((v = take_opt(argc, argv, "--tests", 1))) {
		ARRAY_GROW(globs, cap, n + 2);
		globs[n++] = v;
		globs[n] = NULL;
	}
	return globs;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cmd_impact(int argc, char **argv)
{
	struct cli c;
	struct store st;
	struct query q;
	struct graph *g;
	struct impact_result r;
	struct strbuf o = STRBUF_INIT;
	const char *dv, **tests_opt;
	const char *const *tests;
	uint32_t *roots, depth = 3;
	size_t nroots, nfiles = 0, fcap = 0, ntests = 0;
	const char **files = NULL;
	uint32_t *test_hits = NULL;
	int strict;

	dv = take_opt_last(&argc, argv, "--depth", 1);
	strict = take_opt_last(&argc, argv, "--strict", 0) != NULL;
	tests_opt = take_tests(&argc, argv);
	tests = tests_opt ? tests_opt : default_tests;
	if (dv) {
		if (!strcmp(dv, "all"))
			depth = 0;
		else if ((depth = (uint32_t)parse_number("--depth", dv)) < 1 || depth > 1000)
			usage_error("--depth takes a number from 1 to 1000 or 'all', not '%s'", dv);
	}
	parse_args(&c, argc, argv, 0);
	if (c.nargs != 1 || !*c.args[0])
		usage_error("%s", "impact needs one NAME");
	g = open_graph(&c, &st, &q);
	nroots = find_or_die(g, &q, c.args[0], &roots);
	graph_impact(g, roots, nroots, depth, strict, &r);

	/* affected files (the roots' own included) and tests */
	files = xcalloc(r.n + nroots + 1, sizeof(*files));
	test_hits = xcalloc(r.n + 1, sizeof(*test_hits));
	for (size_t i = 0; i < nroots + r.n; i++) {
		struct gnode_info ni;
		graph_node(g, i < nroots ? roots[i] : r.hits[i - nroots].node, &ni);
		if (ni.kind >= 0)
			files[nfiles++] = ni.file;
		if (i >= nroots && is_test(ni.file, tests))
			test_hits[ntests++] = (uint32_t)(i - nroots);
	}
	qsort(files, nfiles, sizeof(*files), cmp_str);
	{
		size_t w = 0;
		for (size_t i = 0; i < nfiles; i++)
			if (!w || strcmp(files[w - 1], files[i]))
				files[w++] = files[i];
		nfiles = w;
	}
	(void)fcap;

	if (c.json) {
		sb_adds(&o, "{\"name\":");
		sb_add_json(&o, c.args[0]);
		if (depth)
			sb_addf(&o, ",\"depth\":%u", depth);
		else
			sb_adds(&o, ",\"depth\":\"all\"");
		sb_addf(&o, ",\"strict\":%s,\"roots\":[", strict ? "true" : "false");
		for (size_t i = 0; i < nroots; i++) {
			if (i)
				sb_addc(&o, ',');
			json_node(&o, g, roots[i]);
			sb_addc(&o, '}');
		}
		sb_adds(&o, "],\"recursive\":[");
		for (size_t i = 0, k = 0; i < nroots; i++)
			if (graph_edge_between(g, roots[i], roots[i]) != UINT32_MAX) {
				if (k++)
					sb_addc(&o, ',');
				json_node(&o, g, roots[i]);
				sb_addc(&o, '}');
			}
		sb_adds(&o, "],\"hops\":[");
		for (uint32_t h = 1, k = 0; h <= r.depth_reached; h++) {
			size_t n = 0, unsure = 0;
			for (; k < r.n && r.hits[k].hop == h; k++, n++)
				unsure += r.hits[k].uncertain;
			sb_addf(&o, "%s{\"hop\":%u,\"count\":%zu,\"resolved\":%zu,\"uncertain\":%zu}",
				h > 1 ? "," : "", h, n, n - unsure, unsure);
		}
		sb_adds(&o, "],\"impacted\":[");
		for (size_t i = 0; i < r.n; i++) {
			const struct impact_hit *x = &r.hits[i];
			struct gedge_info e;
			struct gnode_info to;
			graph_edge(g, x->edge, &e);
			graph_node(g, e.to, &to);
			if (i)
				sb_addc(&o, ',');
			json_node(&o, g, x->node);
			sb_addf(&o, ",\"hop\":%u,\"calls\":", x->hop);
			sb_add_json(&o, to.name);
			sb_adds(&o, ",\"call_file\":");
			sb_add_json(&o, e.file);
			sb_addf(&o, ",\"call_line\":%u,\"resolution\":\"%s\",\"uncertain\":%s,\"cycle\":%s}",
				e.line, resolution_name(e.resolution), x->uncertain ? "true" : "false",
				x->cycle ? "true" : "false");
		}
		sb_adds(&o, "],\"files\":[");
		for (size_t i = 0; i < nfiles; i++) {
			if (i)
				sb_addc(&o, ',');
			sb_add_json(&o, files[i]);
		}
		sb_adds(&o, "],\"tests\":[");
		for (size_t i = 0; i < ntests; i++) {
			if (i)
				sb_addc(&o, ',');
			json_node(&o, g, r.hits[test_hits[i]].node);
			sb_addc(&o, '}');
		}
		sb_addf(&o, "],\"total\":%zu}\n", r.n);
	} else {
		struct gnode_info r0;
		graph_node(g, roots[0], &r0);
		sb_adds(&o, "impact of ");
		sb_add_visible(&o, c.args[0], strlen(c.args[0]));
		if (r0.kind < 0)
			sb_adds(&o, " (not defined in the index), depth ");
		else
			sb_addf(&o, " (%zu definition%s), depth ", nroots, nroots == 1 ? "" : "s");
		if (depth)
			sb_addf(&o, "%u", depth);
		else
			sb_adds(&o, "all");
		sb_adds(&o, strict ? ", resolved edges only\n" : "\n");
		for (size_t i = 0; i < nroots && r0.kind >= 0; i++) {
			sb_adds(&o, "  ");
			text_node(&o, g, roots[i]);
			sb_adds(&o, graph_edge_between(g, roots[i], roots[i]) != UINT32_MAX ?
				" (recursive)\n" : "\n");
		}
		for (uint32_t h = 1, k = 0; h <= r.depth_reached; h++) {
			size_t n = 0, unsure = 0, k0 = k;
			for (; k < r.n && r.hits[k].hop == h; k++, n++)
				unsure += r.hits[k].uncertain;
			sb_addf(&o, "hop %u: %zu caller%s (%zu resolved, %zu uncertain)\n",
				h, n, n == 1 ? "" : "s", n - unsure, unsure);
			for (size_t i = k0; i < k; i++) {
				const struct impact_hit *x = &r.hits[i];
				struct gedge_info e;
				struct gnode_info to;
				graph_edge(g, x->edge, &e);
				graph_node(g, e.to, &to);
				sb_adds(&o, "  ");
				text_node(&o, g, x->node);
				sb_adds(&o, " -> ");
				sb_add_visible(&o, to.name, strlen(to.name));
				sb_addf(&o, " [%s]%s\n", resolution_name(e.resolution),
					x->cycle ? " (cycle)" : "");
			}
		}
		sb_addf(&o, "%zu caller%s in %zu file%s; %zu test%s\n", r.n, r.n == 1 ? "" : "s",
			nfiles, nfiles == 1 ? "" : "s", ntests, ntests == 1 ? "" : "s");
		for (size_t i = 0; i < ntests; i++) {
			sb_adds(&o, "  test ");
			text_node(&o, g, r.hits[test_hits[i]].node);
			sb_addc(&o, '\n');
		}
	}
	emit(&o);
	free(files);
	free(test_hits);
	free(tests_opt);
	free(roots);
	impact_result_release(&r);
	close_graph(g, &st, &q);
	return 0;
}

/* ---- path ---------------------------------------------------------------- */

#define MAX_PATHS 10

int cmd_path(int argc, char **argv)
{
	struct cli c;
	struct store st;
	struct query q;
	struct graph *g;
	struct strbuf o = STRBUF_INIT;
	uint32_t *from, *to, **paths;
	size_t nfrom, nto, np, *lens;

	parse_args(&c, argc, argv, 0);
	if (c.nargs != 2 || !*c.args[0] || !*c.args[1])
		usage_error("%s", "path needs FROM and TO");
	g = open_graph(&c, &st, &q);
	nfrom = find_or_die(g, &q, c.args[0], &from);
	nto = find_or_die(g, &q, c.args[1], &to);
	np = graph_paths(g, from, nfrom, to, nto, MAX_PATHS, &paths, &lens);
	if (c.json) {
		sb_adds(&o, "{\"from\":");
		sb_add_json(&o, c.args[0]);
		sb_adds(&o, ",\"to\":");
		sb_add_json(&o, c.args[1]);
		sb_adds(&o, ",\"paths\":[");
	}
	for (size_t p = 0; p < np; p++) {
		if (c.json)
			sb_adds(&o, p ? ",[" : "[");
		else
			sb_addf(&o, "path %zu (%zu call%s):\n", p + 1, lens[p] - 1, lens[p] == 2 ? "" : "s");
		for (size_t i = 0; i < lens[p]; i++) {
			const char *res = NULL;
			if (i) {
				struct gedge_info ei;
				graph_edge(g, graph_edge_between(g, paths[p][i - 1], paths[p][i]), &ei);
				res = resolution_name(ei.resolution);
			}
			if (c.json) {
				if (i)
					sb_addc(&o, ',');
				json_node(&o, g, paths[p][i]);
				if (res)
					sb_addf(&o, ",\"resolution\":\"%s\"", res);
				sb_addc(&o, '}');
			} else {
				sb_adds(&o, i ? "  -> " : "     ");
				text_node(&o, g, paths[p][i]);
				if (res)
					sb_addf(&o, " [%s]", res);
				sb_addc(&o, '\n');
			}
		}
		if (c.json)
			sb_addc(&o, ']');
	}
	if (c.json)
		sb_adds(&o, "]}\n");
	emit(&o);
	if (!np) {
		struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
		sb_add_visible(&a, c.args[0], strlen(c.args[0]));
		sb_add_visible(&b, c.args[1], strlen(c.args[1]));
		fprintf(stderr, "cidx: no call path from %s to %s in the index\n", a.buf, b.buf);
		sb_release(&a);
		sb_release(&b);
	}
	graph_paths_free(paths, lens, np);
	free(from);
	free(to);
	close_graph(g, &st, &q);
	return np ? 0 : 1;
}

/* ---- cycles ---------------------------------------------------------------- */

int cmd_cycles(int argc, char **argv)
{
	struct cli c;
	struct store st;
	struct query q;
	struct graph *g;
	struct strbuf o = STRBUF_INIT;
	uint32_t *members;
	size_t *starts, n;

	parse_args(&c, argc, argv, 0);
	if (c.nargs)
		usage_error("cycles takes no arguments, not '%s'", c.args[0]);
	g = open_graph(&c, &st, &q);
	n = graph_cycles(g, &members, &starts);
	if (c.json)
		sb_adds(&o, "{\"cycles\":[");
	for (size_t i = 0; i < n; i++) {
		size_t size = starts[i + 1] - starts[i];
		if (c.json)
			sb_addf(&o, "%s{\"size\":%zu,\"members\":[", i ? "," : "", size);
		else if (size == 1)
			sb_addf(&o, "cycle %zu: recursion\n", i + 1);
		else
			sb_addf(&o, "cycle %zu: %zu definitions\n", i + 1, size);
		for (size_t k = starts[i]; k < starts[i + 1]; k++) {
			if (c.json) {
				if (k > starts[i])
					sb_addc(&o, ',');
				json_node(&o, g, members[k]);
				sb_addc(&o, '}');
			} else {
				sb_adds(&o, "  ");
				text_node(&o, g, members[k]);
				sb_addc(&o, '\n');
			}
		}
		if (c.json)
			sb_adds(&o, "]}");
	}
	if (c.json)
		sb_addf(&o, "],\"total\":%zu}\n", n);
	else
		sb_addf(&o, "%zu cycle%s\n", n, n == 1 ? "" : "s");
	emit(&o);
	free(members);
	free(starts);
	close_graph(g, &st, &q);
	return 0;
}

/* ---- hotspots --------------------------------------------------------------- */

struct rank {
	uint32_t node;
	uint64_t key;
};

static int cmp_rank(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return (x->node > y->node) - (x->node < y->node);
}

struct frank {
	const char *file;
	uint64_t in, out;
};

static int cmp_frank(const void *a, const void *b)
{
	const struct frank *x = a, *y = b;
	if (x->in + x->out != y->in + y->out)
		return x->in + x->out > y->in + y->out ? -1 : 1;
	return strcmp(x->file, y->file);
}

int cmd_hotspots(int argc, char **argv)
{
	static const char *const what[3] = { "fan_in", "fan_out", "fan_in_x_fan_out" };
	static const char *const title[3] = {
		"most callers (fan-in)", "most callees (fan-out)", "fan-in x fan-out"
	};
	struct cli c;
	struct store st;
	struct query q;
	struct graph *g;
	struct strbuf o = STRBUF_INIT;
	const char *tv = take_opt_last(&argc, argv, "--top", 1);
	size_t top = 20, n, nf = 0;
	struct rank *r;
	struct frank *fr;

	if (tv && ((top = (size_t)parse_number("--top", tv)) < 1 || top > 100000))
		usage_error("--top takes a number from 1 to 100000, not '%s'", tv);
	parse_args(&c, argc, argv, 0);
	if (c.nargs)
		usage_error("hotspots takes no arguments, not '%s'", c.args[0]);
	g = open_graph(&c, &st, &q);
	n = graph_nodes(g);
	r = xcalloc(n ? n : 1, sizeof(*r));
	fr = xcalloc(n ? n : 1, sizeof(*fr));
	if (c.json)
		sb_adds(&o, "{");
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < n; i++) {
			uint64_t in = graph_fan_in(g, (uint32_t)i), out = graph_fan_out(g, (uint32_t)i);
			struct gnode_info ni;
			graph_node(g, (uint32_t)i, &ni);
			r[i].node = (uint32_t)i;
			/* definitions only: names defined outside the index rank nowhere */
			r[i].key = ni.kind < 0 ? 0 : k == 0 ? in : k == 1 ? out : in * out;
		}
		qsort(r, n, sizeof(*r), cmp_rank);
		if (c.json)
			sb_addf(&o, "%s\"%s\":[", k ? "," : "", what[k]);
		else
			sb_addf(&o, "%s%s:\n", k ? "\n" : "", title[k]);
		for (size_t i = 0; i < n && i < top && r[i].key; i++) {
			uint32_t in = graph_fan_in(g, r[i].node), out = graph_fan_out(g, r[i].node);
			if (c.json) {
				if (i)
					sb_addc(&o, ',');
				json_node(&o, g, r[i].node);
				sb_addf(&o, ",\"fan_in\":%u,\"fan_out\":%u}", in, out);
			} else {
				sb_addf(&o, "  %6llu  ", (unsigned long long)r[i].key);
				text_node(&o, g, r[i].node);
				sb_addf(&o, "  (in %u, out %u)\n", in, out);
			}
		}
		if (c.json)
			sb_addc(&o, ']');
	}
	/* files: the fan-in and fan-out of their definitions, summed */
	for (size_t i = 0; i < n; i++) {
		struct gnode_info ni;
		graph_node(g, (uint32_t)i, &ni);
		if (ni.kind < 0)
			continue;
		/* nodes are in file order: one run per file */
		if (!nf || strcmp(fr[nf - 1].file, ni.file))
			fr[nf++].file = ni.file;
		fr[nf - 1].in += graph_fan_in(g, (uint32_t)i);
		fr[nf - 1].out += graph_fan_out(g, (uint32_t)i);
	}
	qsort(fr, nf, sizeof(*fr), cmp_frank);
	sb_adds(&o, c.json ? ",\"files\":[" : "\nfiles (fan-in + fan-out of their definitions):\n");
	for (size_t i = 0; i < nf && i < top && fr[i].in + fr[i].out; i++) {
		if (c.json) {
			sb_adds(&o, i ? ",{\"file\":" : "{\"file\":");
			sb_add_json(&o, fr[i].file);
			sb_addf(&o, ",\"fan_in\":%llu,\"fan_out\":%llu}", (unsigned long long)fr[i].in,
				(unsigned long long)fr[i].out);
		} else {
			sb_addf(&o, "  %6llu  ", (unsigned long long)(fr[i].in + fr[i].out));
			sb_add_visible(&o, fr[i].file, strlen(fr[i].file));
			sb_addf(&o, "  (in %llu, out %llu)\n", (unsigned long long)fr[i].in,
				(unsigned long long)fr[i].out);
		}
	}
	if (c.json)
		sb_adds(&o, "]}\n");
	emit(&o);
	free(r);
	free(fr);
	close_graph(g, &st, &q);
	return 0;
}
