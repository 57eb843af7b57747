/* cli_graph.c — `cidx impact`, `path`, `cycles` and `hotspots`: the call
 * graph analyses (graph.h) on the command line, as text or JSON. */
#include "cli.h"
#include "diffroots.h"
#include "indexer.h"
#include "extract.h"
#include "graph.h"
#include "callsites.h"
#include "resolve.h"
#include "util.h"

#include <pthread.h>
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
	if (*i.scope) {
		struct strbuf q = STRBUF_INIT;
		sb_addf(&q, "%s.%s", i.scope, i.name);
		sb_adds(o, ",\"qualified\":");
		sb_add_json(o, q.buf);
		sb_release(&q);
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
	if (*i.scope) {
		sb_add_visible(o, i.scope, strlen(i.scope));
		sb_addc(o, '.');
	}
	sb_add_visible(o, i.name, strlen(i.name));
	if (i.kind < 0)
		sb_adds(o, " (not defined in the index)");
}

static void emit(struct strbuf *o)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, stdout);
	sb_release(o);
}

/* ---- impact ------------------------------------------------------------- */


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

/* What an impact walk found, ready to print. */
struct impact_view {
	const struct graph *g;
	const uint32_t *roots;
	size_t nroots;
	struct impact_result r;
	const char **files;        /* affected files, sorted, distinct */
	size_t nfiles;
	uint32_t *tests;           /* hits in test files */
	size_t ntests;
};

static void impact_view_make(struct impact_view *v, const struct graph *g, const uint32_t *roots,
			     size_t nroots, uint32_t depth, int strict, const char *const *tests)
{
	memset(v, 0, sizeof(*v));
	v->g = g;
	v->roots = roots;
	v->nroots = nroots;
	graph_impact(g, roots, nroots, depth, strict, &v->r);
	/* affected files (the roots' own included) and tests */
	v->files = xcalloc(v->r.n + nroots + 1, sizeof(*v->files));
	v->tests = xcalloc(v->r.n + 1, sizeof(*v->tests));
	for (size_t i = 0; i < nroots + v->r.n; i++) {
		struct gnode_info ni;
		graph_node(g, i < nroots ? roots[i] : v->r.hits[i - nroots].node, &ni);
		if (ni.kind >= 0)
			v->files[v->nfiles++] = ni.file;
		if (i >= nroots && ni.kind >= 0 && graph_is_test(ni.file, tests))
			v->tests[v->ntests++] = (uint32_t)(i - nroots);
	}
	qsort(v->files, v->nfiles, sizeof(*v->files), cmp_str);
	{
		size_t w = 0;
		for (size_t i = 0; i < v->nfiles; i++)
			if (!w || strcmp(v->files[w - 1], v->files[i]))
				v->files[w++] = v->files[i];
		v->nfiles = w;
	}
}

static void impact_view_release(struct impact_view *v)
{
	impact_result_release(&v->r);
	free(v->files);
	free(v->tests);
}

/* "hops", "impacted", "files", "tests" and "total" members (no braces). */
static void impact_json(struct strbuf *o, const struct impact_view *v)
{
	const struct graph *g = v->g;
	sb_adds(o, "\"hops\":[");
	for (uint32_t h = 1, k = 0; h <= v->r.depth_reached; h++) {
		size_t n = 0, unsure = 0;
		for (; k < v->r.n && v->r.hits[k].hop == h; k++, n++)
			unsure += v->r.hits[k].uncertain;
		sb_addf(o, "%s{\"hop\":%u,\"count\":%zu,\"resolved\":%zu,\"uncertain\":%zu}",
			h > 1 ? "," : "", h, n, n - unsure, unsure);
	}
	sb_adds(o, "],\"impacted\":[");
	for (size_t i = 0; i < v->r.n; i++) {
		const struct impact_hit *x = &v->r.hits[i];
		struct gedge_info e;
		struct gnode_info to;
		graph_edge(g, x->edge, &e);
		graph_node(g, e.to, &to);
		if (i)
			sb_addc(o, ',');
		json_node(o, g, x->node);
		sb_addf(o, ",\"hop\":%u,\"calls\":", x->hop);
		sb_add_json(o, to.name);
		sb_adds(o, ",\"call_file\":");
		sb_add_json(o, e.file);
		sb_addf(o, ",\"call_line\":%u,\"resolution\":\"%s\",\"uncertain\":%s,\"cycle\":%s}",
			e.line, resolution_name(e.resolution), x->uncertain ? "true" : "false",
			x->cycle ? "true" : "false");
	}
	sb_adds(o, "],\"files\":[");
	for (size_t i = 0; i < v->nfiles; i++) {
		if (i)
			sb_addc(o, ',');
		sb_add_json(o, v->files[i]);
	}
	sb_adds(o, "],\"tests\":[");
	for (size_t i = 0; i < v->ntests; i++) {
		if (i)
			sb_addc(o, ',');
		json_node(o, g, v->r.hits[v->tests[i]].node);
		sb_addc(o, '}');
	}
	sb_addf(o, "],\"total\":%zu", v->r.n);
}

/* The hops, then files and tests, as text. */
static void impact_text(struct strbuf *o, const struct impact_view *v)
{
	const struct graph *g = v->g;
	for (uint32_t h = 1, k = 0; h <= v->r.depth_reached; h++) {
		size_t n = 0, unsure = 0, k0 = k;
		for (; k < v->r.n && v->r.hits[k].hop == h; k++, n++)
			unsure += v->r.hits[k].uncertain;
		sb_addf(o, "hop %u: %zu caller%s (%zu resolved, %zu uncertain)\n",
			h, n, n == 1 ? "" : "s", n - unsure, unsure);
		for (size_t i = k0; i < k; i++) {
			const struct impact_hit *x = &v->r.hits[i];
			struct gedge_info e;
			struct gnode_info to;
			graph_edge(g, x->edge, &e);
			graph_node(g, e.to, &to);
			sb_adds(o, "  ");
			text_node(o, g, x->node);
			sb_adds(o, " -> ");
			sb_add_visible(o, to.name, strlen(to.name));
			sb_addf(o, " [%s]%s\n", resolution_name(e.resolution), x->cycle ? " (cycle)" : "");
		}
	}
	sb_addf(o, "%zu caller%s in %zu file%s; %zu test%s\n", v->r.n, v->r.n == 1 ? "" : "s",
		v->nfiles, v->nfiles == 1 ? "" : "s", v->ntests, v->ntests == 1 ? "" : "s");
	for (size_t i = 0; i < v->ntests; i++) {
		sb_adds(o, "  test ");
		text_node(o, g, v->r.hits[v->tests[i]].node);
		sb_addc(o, '\n');
	}
}

static void depth_text(struct strbuf *o, uint32_t depth, int strict, int json)
{
	if (json) {
		if (depth)
			sb_addf(o, "\"depth\":%u", depth);
		else
			sb_adds(o, "\"depth\":\"all\"");
		sb_addf(o, ",\"strict\":%s,", strict ? "true" : "false");
	} else {
		if (depth)
			sb_addf(o, "depth %u", depth);
		else
			sb_adds(o, "depth all");
		sb_adds(o, strict ? ", resolved edges only\n" : "\n");
	}
}

static int impact_diff(struct cli *c, const char *rev, uint32_t depth, int strict,
		       const char *const *tests);

int cmd_impact(int argc, char **argv)
{
	struct cli c;
	struct store st;
	struct query q;
	struct graph *g;
	struct impact_view v;
	struct strbuf o = STRBUF_INIT;
	const char *dv, **tests_opt;
	const char *const *tests;
	uint32_t *roots, depth = 3;
	size_t nroots;
	int strict, diff, rc = 0;

	dv = take_opt_last(&argc, argv, "--depth", 1);
	strict = take_opt_last(&argc, argv, "--strict", 0) != NULL;
	diff = take_opt_last(&argc, argv, "--diff", 0) != NULL;
	tests_opt = take_tests(&argc, argv);
	tests = tests_opt ? tests_opt : graph_test_globs;
	if (dv) {
		if (!strcmp(dv, "all"))
			depth = 0;
		else if ((depth = (uint32_t)parse_number("--depth", dv)) < 1 || depth > 1000)
			usage_error("--depth takes a number from 1 to 1000 or 'all', not '%s'", dv);
	}
	parse_args(&c, argc, argv, 0);
	if (diff) {
		if (c.nargs > 1)
			usage_error("impact --diff takes at most one REV, not '%s'", c.args[1]);
		rc = impact_diff(&c, c.nargs ? c.args[0] : NULL, depth, strict, tests);
		free(tests_opt);
		return rc;
	}
	if (c.nargs != 1 || !*c.args[0])
		usage_error("%s", "impact needs one NAME (or --diff [REV])");
	g = open_graph(&c, &st, &q);
	nroots = find_or_die(g, &q, c.args[0], &roots);
	impact_view_make(&v, g, roots, nroots, depth, strict, tests);
	if (c.json) {
		sb_adds(&o, "{\"name\":");
		sb_add_json(&o, c.args[0]);
		sb_addc(&o, ',');
		depth_text(&o, depth, strict, 1);
		sb_adds(&o, "\"roots\":[");
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
		sb_adds(&o, "],");
		impact_json(&o, &v);
		sb_adds(&o, "}\n");
	} else {
		struct gnode_info r0;
		graph_node(g, roots[0], &r0);
		sb_adds(&o, "impact of ");
		sb_add_visible(&o, c.args[0], strlen(c.args[0]));
		if (r0.kind < 0)
			sb_adds(&o, " (not defined in the index), ");
		else
			sb_addf(&o, " (%zu definition%s), ", nroots, nroots == 1 ? "" : "s");
		depth_text(&o, depth, strict, 0);
		for (size_t i = 0; i < nroots && r0.kind >= 0; i++) {
			sb_adds(&o, "  ");
			text_node(&o, g, roots[i]);
			sb_adds(&o, graph_edge_between(g, roots[i], roots[i]) != UINT32_MAX ?
				" (recursive)\n" : "\n");
		}
		impact_text(&o, &v);
	}
	emit(&o);
	impact_view_release(&v);
	free(tests_opt);
	free(roots);
	close_graph(g, &st, &q);
	return 0;
}

/* ---- impact --diff -------------------------------------------------------- */

/* The diff, on a thread of its own while the index is brought up to date
 * (the two walks of the tree overlap). Nothing is shared while it runs:
 * the caller reads the job only after joining the thread. */
struct diff_job {
	const char *root, *rev;
	struct diff_scan scan;
	struct strbuf err;
	int rc;
};

static void *diff_thread(void *arg)
{
	struct diff_job *j = arg;
	j->rc = diff_scan(j->root, j->rev, &j->scan, &j->err);
	return NULL;
}

static int part_defines(void *ctx, const char *path, const char *name)
{
	return graph_part_defines(ctx, path, name);
}

static int impact_diff(struct cli *c, const char *rev, uint32_t depth, int strict,
		       const char *const *tests)
{
	struct strbuf err = STRBUF_INIT, o = STRBUF_INIT;
	char *root = find_root(NULL), *dbp = db_path(c, root);
	struct diff_job job = { .root = root, .rev = rev, .err = STRBUF_INIT };
	const struct diff_scan *ds = &job.scan;
	struct index_opts io;
	struct index_stats ist;
	struct store st;
	struct graph_part *part;
	pthread_t th;
	char *rroot;
	struct graph *g;
	struct impact_view v;
	uint32_t *roots = NULL;
	size_t nchanged, nroots;
	int irc;

	if (pthread_create(&th, NULL, diff_thread, &job) != 0)
		die(1, "cannot start a thread for the diff (out of resources?)");
	/* the index must describe the working tree as it is now */
	memset(&io, 0, sizeof(io));
	irc = index_run(root, dbp, &io, NULL, &ist, &err);
	pthread_join(th, NULL);
	if (irc < 0)
		die(1, "%s", err.buf);
	if (job.rc < 0)
		die(1, "%s", job.err.buf);
	sb_release(&job.err);
	/* only the part of the graph within depth of the changes is read */
	open_read(c, &st, &rroot);
	free(rroot);
	part = graph_part_new(st.db);
	for (size_t i = 0; i < ds->ndf && !err.len; i++)
		if (ds->df[i].path)
			graph_part_add_file(part, ds->df[i].path, &err);
	diff_scan_keep_gone(&job.scan, part_defines, part);
	for (size_t i = 0; i < ds->ngone && !err.len; i++)
		graph_part_add_name(part, ds->gone[i].name, &err);
	if (!(g = graph_part_finish(part, depth, &err)) || err.len)
		die(1, "%s", err.buf);
	nroots = diff_roots(g, ds, &roots, &nchanged);
	impact_view_make(&v, g, roots, nroots, depth, strict, tests);
	if (c->json) {
		sb_adds(&o, "{\"rev\":");
		sb_add_json(&o, rev ? rev : "HEAD");
		sb_addc(&o, ',');
		depth_text(&o, depth, strict, 1);
		sb_adds(&o, "\"changed_files\":[");
		for (size_t i = 0; i < ds->ndf; i++) {
			if (i)
				sb_addc(&o, ',');
			sb_add_json(&o, ds->df[i].path ? ds->df[i].path : ds->df[i].old_path);
		}
		sb_adds(&o, "],\"changed\":[");
		for (size_t i = 0; i < nchanged; i++) {
			if (i)
				sb_addc(&o, ',');
			json_node(&o, g, roots[i]);
			sb_addc(&o, '}');
		}
		sb_adds(&o, "],\"deleted\":[");
		for (size_t i = 0; i < ds->ngone; i++) {
			sb_adds(&o, i ? ",{\"name\":" : "{\"name\":");
			sb_add_json(&o, ds->gone[i].name);
			sb_adds(&o, ",\"file\":");
			sb_add_json(&o, ds->gone[i].file);
			sb_addf(&o, ",\"line\":%u}", ds->gone[i].line);
		}
		sb_adds(&o, "],");
		impact_json(&o, &v);
		sb_adds(&o, "}\n");
	} else {
		sb_addf(&o, "changes against %s: %zu file%s, %zu definition%s changed, %zu deleted; ",
			rev ? rev : "HEAD", ds->ndf, ds->ndf == 1 ? "" : "s", nchanged,
			nchanged == 1 ? "" : "s", ds->ngone);
		depth_text(&o, depth, strict, 0);
		for (size_t i = 0; i < nchanged; i++) {
			sb_adds(&o, "  changed ");
			text_node(&o, g, roots[i]);
			sb_addc(&o, '\n');
		}
		for (size_t i = 0; i < ds->ngone; i++) {
			sb_adds(&o, "  deleted ");
			sb_add_visible(&o, ds->gone[i].file, strlen(ds->gone[i].file));
			sb_addf(&o, ":%u ", ds->gone[i].line);
			sb_add_visible(&o, ds->gone[i].name, strlen(ds->gone[i].name));
			sb_adds(&o, rev ? " (at " : " (at HEAD)\n");
			if (rev) {
				sb_add_visible(&o, rev, strlen(rev));
				sb_adds(&o, ")\n");
			}
		}
		impact_text(&o, &v);
	}
	emit(&o);
	impact_view_release(&v);
	free(roots);
	diff_scan_release(&job.scan);
	graph_free(g);
	store_close(&st);
	free(root);
	free(dbp);
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

/* ---- edges -------------------------------------------------------------- */

struct edges_out {
	struct strbuf line, tmp;
	char **targets;
	size_t cap;
	int json, first;
};

static void print_edge(void *ctx, const struct redge *e)
{
	struct edges_out *o = ctx;
	const struct callsite *s = e->site;
	size_t n = e->picks->n;
	ARRAY_GROW(o->targets, o->cap, n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		const struct rdef *d = e->picks->v[i];
		rdef_qname(d, &o->tmp);
		sb_addf(&o->tmp, "@%s:%u", d->path, d->line);
		o->targets[i] = xstrdup(o->tmp.buf);
	}
	if (n > 1)
		qsort(o->targets, n, sizeof(*o->targets), cmp_str);
	sb_reset(&o->line);
	if (o->json) {
		sb_adds(&o->line, o->first ? "[" : ",");
		sb_adds(&o->line, "{\"file\":");
		sb_add_json(&o->line, e->path);
		sb_addf(&o->line, ",\"line\":%u,\"col\":%u,\"caller\":", s->line, s->col);
		if (e->caller) {
			rdef_qname(e->caller, &o->tmp);
			sb_add_json(&o->line, o->tmp.buf);
		} else {
			sb_adds(&o->line, "null");
		}
		sb_adds(&o->line, ",\"callee\":");
		sb_add_json(&o->line, s->callee);
		sb_adds(&o->line, ",\"receiver\":");
		if (s->receiver)
			sb_add_json(&o->line, s->receiver);
		else
			sb_adds(&o->line, "null");
		sb_adds(&o->line, ",\"resolution\":");
		sb_add_json(&o->line, resolution_name(e->res));
		sb_adds(&o->line, ",\"targets\":[");
		for (size_t i = 0; i < n; i++) {
			if (i)
				sb_addc(&o->line, ',');
			sb_add_json(&o->line, o->targets[i]);
		}
		sb_adds(&o->line, "]}");
		o->first = 0;
	} else {
		sb_addf(&o->line, "%s:%u:%u ", e->path, s->line, s->col);
		if (e->caller) {
			rdef_qname(e->caller, &o->tmp);
			sb_add_visible(&o->line, o->tmp.buf, o->tmp.len);
		} else {
			sb_addc(&o->line, '-');
		}
		sb_adds(&o->line, " -> ");
		if (s->receiver) {
			sb_add_visible(&o->line, s->receiver, strlen(s->receiver));
			sb_addc(&o->line, '.');
		}
		sb_add_visible(&o->line, s->callee, strlen(s->callee));
		sb_addf(&o->line, " %s", resolution_name(e->res));
		for (size_t i = 0; i < n; i++) {
			sb_addc(&o->line, ' ');
			sb_add_visible(&o->line, o->targets[i], strlen(o->targets[i]));
		}
		sb_addc(&o->line, '\n');
	}
	for (size_t i = 0; i < n; i++)
		free(o->targets[i]);
	fwrite(o->line.buf, 1, o->line.len, stdout);
}

int cmd_edges(int argc, char **argv)
{
	struct cli c;
	struct store st;
	struct strbuf err = STRBUF_INIT;
	struct rindex *ri;
	struct edges_out o = { STRBUF_INIT, STRBUF_INIT, NULL, 0, 0, 1 };
	char *root;
	parse_args(&c, argc, argv, 0);
	if (c.nargs)
		usage_error("edges takes no arguments, not '%s'", c.args[0]);
	open_read(&c, &st, &root);
	o.json = c.json;
	if (!(ri = rindex_load(st.db, &err)) || rindex_each_edge(ri, st.db, print_edge, &o, &err) < 0)
		die(1, "%s", err.buf);
	if (o.json)
		fputs(o.first ? "[]\n" : "]\n", stdout);
	rindex_free(ri);
	sb_release(&o.line);
	sb_release(&o.tmp);
	free(o.targets);
	sb_release(&err);
	store_close(&st);
	free(root);
	return 0;
}
