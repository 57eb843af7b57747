/* engine.h — the one header the terminal front end (ui/) includes: a running
 * cidx engine for one repository. It finds the root and the index, indexes
 * and then watches the tree on a background thread, keeps the fuzzy search
 * table current, answers searches on a second background thread, and wakes
 * the UI through a file descriptor it can poll().
 *
 * Threads and locks:
 *   - the caller's thread (the UI) calls every function below; none of them
 *     blocks on indexing or on a search (engine_stop waits, bounded);
 *   - "index thread": opens the index, loads the search table (at once from
 *     an existing index.db: a warm start shows results immediately), runs
 *     the first index with progress counters, then watch_run for live
 *     updates; after each committed batch it updates the search table file
 *     by file and bumps the generation;
 *   - "search thread": runs the latest submitted query; a newer submission
 *     cancels the running one. During a cold first index (no previous
 *     index.db) it also loads what is committed so far at growing intervals
 *     (1, 2, 4, 8 s...), so that searches answer before indexing ends.
 *   - "graph thread": reloads the call graph after live batches (the index
 *     thread loads the first ones itself), so a slow reload never delays
 *     the next save, and answers engine_diff_request; engine.graph_req_lock
 *     guards its requests and answer, engine.graph_lock the graph;
 *   - "dups thread": started by the first engine_dups_request (below).
 *   engine.lock (a mutex inside struct engine) guards the status, the
 *   generation, the pending query and the finished result; the search table
 *   has its own read-write lock (search.h); engine.load_lock serialises
 *   whole-table loads (a partial one never lands after the final one).
 *   engine.lock is never held while
 *   indexing or searching, so the UI only ever waits for a few copies.
 *
 * Everything an engine function returns is a copy the caller owns and frees
 * with the matching _release function. Text from files is returned raw with
 * engine_visible() to make it safe: file bytes never reach a terminal
 * unsanitised. engine.h includes util.h (strbuf, x* allocation wrappers). */
#ifndef CIDX_ENGINE_H
#define CIDX_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct engine;

struct engine_opts {
	const char *dir;        /* where to start looking for the root; NULL: "." */
	const char *db;         /* index.db path; NULL: the cache directory's */
	int jobs;               /* parse workers; <= 0: online CPUs */
};

/* Find the root and the index path; no thread runs yet. Returns NULL with a
 * message in err when dir is not a directory. */
struct engine *engine_new(const struct engine_opts *o, struct strbuf *err);
/* Start the index and search threads. Returns 0, or -1 with a message. */
int engine_start(struct engine *e, struct strbuf *err);
/* Ask the threads to stop and wait up to timeout_ms for them. Returns 0 when
 * they are gone (engine_free may follow), -1 when one is still busy (an
 * index run cannot be interrupted: the caller should exit without freeing). */
int engine_stop(struct engine *e, int timeout_ms);
void engine_free(struct engine *e);

const char *engine_root(const struct engine *e);
const char *engine_db_path(const struct engine *e);

/* Readable when something changed (status, results, generation); call
 * engine_drain_wake after waking, then engine_status / engine_take_results. */
int engine_wake_fd(const struct engine *e);
void engine_drain_wake(struct engine *e);

enum engine_phase {
	ENGINE_STARTING,        /* nothing loaded yet */
	ENGINE_INDEXING,        /* the first index run (results may be stale) */
	ENGINE_WATCHING,        /* indexed; live updates */
	ENGINE_FAILED           /* see message */
};

struct engine_status {
	int phase;              /* enum engine_phase */
	int stale;              /* results come from an index older than the tree */
	int have_table;         /* searches can return results */
	uint64_t generation;    /* bumped whenever the searchable data changed */
	uint64_t done, total;   /* files of the first index run */
	double rate;            /* files per second so far (first run) */
	double eta;             /* seconds left, < 0 unknown */
	uint64_t files, symbols;   /* what the search table holds */
	uint64_t batches;       /* live updates committed */
	int have_graph;         /* the call tree can be asked */
	uint64_t graph_generation;   /* bumped whenever the call graph was (re)loaded */
	int graph_pending;      /* the index changed and the graph is being reloaded */
	char message[256];      /* last notice or error (visible text), "" none */
};
void engine_status(struct engine *e, struct engine_status *st);

/* Set the engine's last notice (e.g. a line the watcher printed). */
void engine_set_message(struct engine *e, const char *msg);

/* ---- search ---------------------------------------------------------------- */

struct engine_hit {
	char *name;             /* visible text */
	char *qualified;        /* what the positions index (visible text) */
	const char *kind;       /* "function", "struct", ... (static) */
	char *file;             /* root-relative */
	int line;
	int callers;            /* call sites naming it */
	uint16_t *pos;          /* matched byte offsets in qualified, ascending */
	size_t npos;
};

struct engine_results {
	char *query;            /* the query these answer */
	uint64_t generation;    /* of the data searched */
	struct engine_hit *hits;
	size_t n;
	size_t total;           /* matches before the limit */
	char *error;            /* a malformed query: message, else NULL */
};
void engine_results_release(struct engine_results *r);

/* Ask for the best limit matches of query; returns at once. A search still
 * running for an older query is cancelled. */
void engine_search(struct engine *e, const char *query, size_t limit);
/* Move the newest finished results into *out (releasing what it held).
 * Returns 1 when there were new ones, 0 otherwise. */
int engine_take_results(struct engine *e, struct engine_results *out);

/* ---- source text ------------------------------------------------------------ */

struct engine_file {
	char *path;             /* root-relative, as asked */
	char *data;             /* raw bytes (NUL-terminated copy) */
	size_t len;
	size_t *lines;          /* offset of each line's start; nlines entries */
	size_t nlines;
};
/* Read root/path (at most 8 MiB) and index its lines. The path must stay
 * inside the root: absolute paths, ".." and symlinks leading out of the
 * root are refused. Returns 0, or -1 with a message in err. */
int engine_read_file(struct engine *e, const char *path, struct engine_file *out,
		     struct strbuf *err);
void engine_file_release(struct engine_file *f);
/* Line n (1-based) without its newline; NULL past the end. */
const char *engine_file_line(const struct engine_file *f, size_t n, size_t *len);

/* Append s[0..n) to sb as text a terminal may show: tabs expanded to the
 * next multiple of tabstop (counted from column col0), control characters
 * and escape sequences as visible placeholders (^[, ^?, <U+0085>, \xNN).
 * ascii: non-ASCII characters become '?' (for a non-UTF-8 locale). */
void engine_visible(struct strbuf *sb, const char *s, size_t n, int tabstop, int ascii);

/* ---- call tree ---------------------------------------------------------------
 * The call graph (graph.h) lives in the engine: the index thread loads it
 * after the first index run (and at once from an existing index), and again
 * after each live update. engine.graph_lock (a read-write lock) guards it;
 * each function below holds it for its own duration only. Node and edge ids
 * are valid for one graph generation (engine_status.graph_generation): a
 * call with an older generation fails with -1 and the caller re-roots. */

enum engine_tree_dir { ENGINE_CALLEES, ENGINE_CALLERS };

/* One node of the tree as the UI shows it. name is visible text; the paths
 * are raw (for engine_read_file): pass them through engine_visible to show. */
struct engine_tree_node {
	uint32_t node;          /* graph node */
	uint32_t edge;          /* the edge from its parent (UINT32_MAX: a root) */
	char *name;             /* qualified name */
	char *file;             /* the definition; "" for a name defined nowhere */
	int line;
	int external;           /* called but defined nowhere in the index */
	char *site_file;        /* the first call site of the edge (root: the definition) */
	int site_line;
	int sites;              /* call sites along the edge (0 for a root) */
	const char *label;      /* the edge's resolution: "same-file", "ambiguous"... ("" root) */
	int uncertain;          /* ambiguous or dynamic: the edge may not be the real one */
};
void engine_tree_node_release(struct engine_tree_node *n);

/* The graph node of the definition named name (qualified or not) at
 * file:line. Returns 0 with *node set, -1 with a message in err (no graph
 * yet, or not a callable definition). */
int engine_tree_find(struct engine *e, uint64_t gen, const char *file, int line, const char *name,
		     uint32_t *node, struct strbuf *err);
/* The children of node (callees or callers), in file and line order: the
 * edges leading to them in *edges and the child nodes in *nodes, both
 * allocated (caller frees); with edges NULL only the count. Returns the
 * count, or -1 when gen is not the current graph. */
long engine_tree_children(struct engine *e, uint64_t gen, uint32_t node, int dir, uint32_t **edges,
			  uint32_t **nodes);
/* Describe a node reached through edge (UINT32_MAX: node itself, as a
 * root) in direction dir. Returns 0, or -1 when gen is not current. */
int engine_tree_describe(struct engine *e, uint64_t gen, uint32_t node, uint32_t edge, int dir,
			 struct engine_tree_node *out);

/* ---- impact (blast radius) ---------------------------------------------------
 * The transitive callers of one node up to depth hops (graph_impact, every
 * edge followed, as `cidx impact` does by default), computed under
 * graph_lock read. Hits come by hop, then file and line; each hit's edge
 * goes from it to a hit one hop nearer (engine_tree_describe with
 * ENGINE_CALLERS names the hit). files counts the distinct files of the
 * root and the hits; tests the hits in test files (the same conventions as
 * `cidx impact`). */
struct engine_impact_hit {
	uint32_t node, edge;
	int hop;                /* 1: calls the root directly */
	int uncertain;          /* reached through a name-only or ambiguous edge */
	int cycle;              /* also calls a definition nearer the root */
};
struct engine_impact {
	struct engine_impact_hit *hits;
	size_t n;
	size_t *per_hop;        /* per_hop[h - 1]: hits at hop h, h = 1..hops */
	int hops;               /* the deepest hop with hits */
	size_t files, tests;
	char **file_list;       /* the files (raw paths, sorted): files of them */
	size_t *test_hits;      /* the hits in test files (indices in hits): tests of them */
};
/* The impact of roots (nroots of them) together. Returns 0, or -1 when gen
 * is stale (out is then empty). */
int engine_impact(struct engine *e, uint64_t gen, const uint32_t *roots, size_t nroots, int depth,
		  struct engine_impact *out);
void engine_impact_release(struct engine_impact *r);

/* ---- impact of the working-tree diff --------------------------------------------
 * engine_diff_request asks the graph thread to diff the working tree
 * (staged, unstaged, untracked) against HEAD through libgit2 and find where
 * its impact starts in the current graph, by the rules of `cidx impact
 * --diff` (diffroots.h); it reloads a pending graph first. The finished
 * answer is published like search results: the wake fd, then
 * engine_take_diff. engine.graph_req_lock guards the request and the answer. */
struct engine_diff {
	uint64_t graph_gen;     /* the graph the roots are nodes of */
	uint32_t *roots;        /* the changed definitions, then the nodes of deleted names */
	size_t nroots, nchanged;
	size_t files, deleted;  /* changed files; definitions of HEAD that are gone */
	char *error;            /* no answer (not a git repository, ...): why, else NULL */
};
void engine_diff_release(struct engine_diff *d);
void engine_diff_request(struct engine *e);
/* Move the newest answer into *out (releasing what it held). Returns 1
 * when there was a new one, 0 otherwise. */
int engine_take_diff(struct engine *e, struct engine_diff *out);

/* ---- duplicates ----------------------------------------------------------------
 * The duplicate clusters `cidx dups --near` reports (dups.h, threshold
 * DUPS_DEFAULT_THRESHOLD, at least DUPS_DEFAULT_MIN_TOKENS tokens), computed
 * on the engine's "dups thread": the first engine_dups_request starts it; it
 * waits for the first index run to end, loads every file's definitions from
 * its own read connection, and after each live batch patches them for the
 * changed files only (dups_update_file). Each finished report is published
 * like search results: the wake fd, then engine_take_dups. engine.dups_lock
 * guards the request, the changed paths queued for the thread and the
 * finished report; it is never held while loading. */

enum engine_dup_kind { ENGINE_DUP_FILE, ENGINE_DUP_EXACT, ENGINE_DUP_NEAR };

struct engine_dup_member {
	char *file;             /* root-relative, raw (for engine_read_file) */
	char *name;             /* visible text; "" for a whole file */
	int line, end_line;     /* the definition (1-based); 0 and 0 for a whole file */
	unsigned tokens;
	double sim;             /* near: estimated similarity to member `with` */
	size_t with;            /* near: index of its most similar other member */
};

struct engine_dup_cluster {
	int kind;               /* enum engine_dup_kind */
	double sim;             /* near: the lowest of its members' similarities; else 1 */
	uint64_t lines;         /* lines of its definitions (0 for whole files) */
	uint64_t size;          /* whole files: bytes each */
	struct engine_dup_member *m;   /* by path, then line */
	size_t n;
};

struct engine_dups {
	uint64_t generation;    /* 1 for the first report, then one more per update */
	struct engine_dup_cluster *c;  /* duplicate files, exact, then near (each largest first) */
	size_t n;
	uint64_t defs, def_lines, dup_lines;   /* as `cidx dups --near` sums them */
	double share;           /* dup_lines / def_lines (dups_summarize) */
	char *error;            /* the definitions could not be loaded: why, else NULL */
};
void engine_dups_release(struct engine_dups *d);

/* Ask for the clusters (and to keep them current from then on); returns at
 * once. Returns 0, or -1 with a message when the thread cannot start. */
int engine_dups_request(struct engine *e, struct strbuf *err);
/* Move the newest finished report into *out (releasing what it held).
 * Returns 1 when there was a new one, 0 otherwise. */
int engine_take_dups(struct engine *e, struct engine_dups *out);

/* ---- cache statistics ------------------------------------------------------------
 * Every index run of this session (the first, the watcher's start-up
 * refresh and each live batch) adds where its files were served from;
 * guarded by engine.lock. */
struct engine_cache_stats {
	uint64_t runs;
	uint64_t l0, l1, l2, l3, parsed;
	uint64_t bytes_reused;  /* bytes of the files l0..l3 served: not parsed again */
};
void engine_cache_stats(struct engine *e, struct engine_cache_stats *out);

#endif
