/* graph.h — the call graph in memory: callable definitions as nodes, resolved
 * call edges between them (with how each was resolved), and the analyses that
 * walk it: transitive callers (impact), shortest call paths, cycles (strongly
 * connected components) and fan-in/fan-out hotspots.
 *
 * Built once from an index (about a second on a kernel tree) and then queried
 * in memory: no recursive SQL per question. Edges are resolved by the same
 * rules as `cidx query callers` (resolve.h). A name called but defined
 * nowhere in the index (a library function, a macro from outside) is a node
 * of its own, reached by unresolved edges; call sites through a pointer have
 * no edge. Several call sites from one definition to another make one edge
 * that counts them.
 *
 * Threads: a graph is read-only once loaded; any number of threads may query
 * it at once. graph_load and graph_free need exclusive use. */
#ifndef CIDX_GRAPH_H
#define CIDX_GRAPH_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct graph;

/* A definition (node) as the caller sees it; strings belong to the graph. */
struct gnode_info {
	int64_t sym_id;
	const char *name;
	const char *scope;         /* "" at top level (the qualified name is scope.name) */
	const char *file;
	int kind;                  /* enum sym_kind; -1 for a name called but defined
				    * nowhere in the index (file "", line 0) */
	uint32_t line, col, end_line;
};

struct gedge_info {
	uint32_t from, to;         /* nodes: from calls to */
	int resolution;            /* enum resolution */
	uint32_t sites;            /* call sites from `from` to `to` */
	const char *file;          /* the first call site */
	uint32_t line, col;
};

/* Load the graph of the index open as db. Returns NULL with a message. */
struct graph *graph_load(sqlite3 *db, struct strbuf *err);
void graph_free(struct graph *g);
size_t graph_nodes(const struct graph *g);
size_t graph_edges(const struct graph *g);
void graph_node(const struct graph *g, uint32_t n, struct gnode_info *out);
void graph_edge(const struct graph *g, uint32_t e, struct gedge_info *out);

/* The definitions of one file: nodes *first .. *first + count - 1, in line
 * order. Returns count (0 when the file defines nothing callable). */
size_t graph_file_nodes(const struct graph *g, const char *path, uint32_t *first);

/* The edge from -> to, or UINT32_MAX when from does not call to. */
uint32_t graph_edge_between(const struct graph *g, uint32_t from, uint32_t to);
/* The edges into node n (its callers, in caller order) or out of it (its
 * callees, in callee order): *count edge indices, valid while g lives. */
const uint32_t *graph_in_edges(const struct graph *g, uint32_t n, size_t *count);
const uint32_t *graph_out_edges(const struct graph *g, uint32_t n, size_t *count);

/* The definitions named name (nodes, in file and line order), or else the
 * node of the name when it is called but never defined; *out is allocated
 * (caller frees). Returns the count. */
size_t graph_find(const struct graph *g, const char *name, uint32_t **out);

/* ---- a part of the graph, read from the index as needed ---- */

/* For a question about a few definitions (impact --diff): the roots (every
 * callable definition of some files, every definition of some names) and
 * their callers up to depth hops (0: all), loaded through the index's
 * callee table instead of resolving every call of the index. Within that
 * radius the part answers graph_impact exactly as the whole graph does:
 * every node nearer the roots than depth has all its callers, which is all
 * graph_impact reads (it never expands the last hop). */
struct graph_part;
struct graph_part *graph_part_new(sqlite3 *db);
int graph_part_add_file(struct graph_part *p, const char *path, struct strbuf *err);
/* The definitions named name (or, defined nowhere, the name's own node). */
int graph_part_add_name(struct graph_part *p, const char *name, struct strbuf *err);
/* Did the files added so far define name in path? */
int graph_part_defines(const struct graph_part *p, const char *path, const char *name);
/* Load the callers and return the graph (p is freed); NULL with a message. */
struct graph *graph_part_finish(struct graph_part *p, uint32_t depth, struct strbuf *err);

/* ---- impact: transitive callers, hop by hop ---- */

struct impact_hit {
	uint32_t node;             /* a definition that (transitively) calls a root */
	uint32_t hop;              /* 1: calls a root directly */
	uint32_t edge;             /* the edge that reached it: node -> a hit of hop - 1 */
	int uncertain;             /* reached through a name-only or ambiguous edge somewhere */
	int cycle;                 /* it also calls a definition nearer the root: a cycle */
};

struct impact_result {
	struct impact_hit *hits;   /* by hop, then file, line */
	size_t n;
	uint32_t depth_reached;    /* the deepest hop with hits */
};

/* Walk callers from the roots up to depth hops (0: no limit). strict: follow
 * only resolved edges (see resolution_is_resolved). */
void graph_impact(const struct graph *g, const uint32_t *roots, size_t nroots, uint32_t depth,
		  int strict, struct impact_result *out);
void impact_result_release(struct impact_result *r);

/* ---- shortest call paths ---- */

/* Up to max shortest paths from any of from[] to any of to[], each a list of
 * nodes (first a from node, last a to node). Returns the number of paths
 * (0: no path); *paths and each path are allocated (free with
 * graph_paths_free). */
size_t graph_paths(const struct graph *g, const uint32_t *from, size_t nfrom,
		   const uint32_t *to, size_t nto, size_t max, uint32_t ***paths, size_t **lens);
void graph_paths_free(uint32_t **paths, size_t *lens, size_t n);

/* ---- cycles ---- */

/* Strongly connected components with more than one node, and nodes that
 * call themselves; largest first, members in file and line order. *members
 * holds them back to back; (*starts)[i] .. (*starts)[i+1] is cycle i.
 * Returns the number of cycles. */
size_t graph_cycles(const struct graph *g, uint32_t **members, size_t **starts);

/* ---- fan-in / fan-out ---- */

/* Distinct callers and callees of a node. */
uint32_t graph_fan_in(const struct graph *g, uint32_t n);
uint32_t graph_fan_out(const struct graph *g, uint32_t n);

/* Where tests live, by the usual conventions of each language (NULL-
 * terminated fnmatch patterns over root-relative paths): the default of
 * `cidx impact --tests` and of the TUI's impact mode. */
extern const char *const graph_test_globs[];
/* Does path match one of globs? */
int graph_is_test(const char *path, const char *const *globs);

#endif
