/* dups.h — duplicated code: exact duplicate files, exact duplicate function
 * definitions and near-duplicate clusters (MinHash + LSH, minhash.h).
 *
 * index.db keeps each file's definitions in one row of table dupsigs (the
 * blob below), written by the indexer next to the file's other rows. The
 * engine loads every blob into memory: definitions grouped by identical
 * signature, groups bucketed by their DUP_BANDS band hashes, and an edge
 * between two groups sharing a bucket whose signatures agree on at least
 * threshold × DUP_PERMS values. Near-duplicate clusters are the connected
 * components. dups_update_file patches all of it for one changed file, so
 * that a watcher keeps clusters current without reloading.
 *
 * Blob layout (little-endian): "CXD1", u32 ndefs, then per definition
 * u32 sym (index among the file's symbols), u32 line, u32 end_line,
 * u32 ntokens, u32 hash low, u32 hash high, u8 has_sig, u8 name length,
 * the name (at most 255 bytes, no NUL), and when has_sig is 1,
 * DUP_BANDS u32 band hashes and DUP_PERMS u8 signature values.
 *
 * Thread safety: a struct dups is used by one thread at a time (no locks);
 * the report's strings point into it and stay valid until the next
 * dups_update_file or dups_free. */
#ifndef CIDX_DUPS_H
#define CIDX_DUPS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "extract.h"
#include "util.h"

/* Append x's definitions to blob as above. */
void dups_encode(const struct xresult *x, struct strbuf *blob);

struct dups_opts {
	double threshold;    /* estimated Jaccard of near duplicates, in (0, 1] */
	uint32_t min_tokens; /* definitions shorter than this are left out */
};
#define DUPS_DEFAULT_THRESHOLD 0.85
#define DUPS_DEFAULT_MIN_TOKENS 30

struct dups;
/* Load every file's definitions from index.db (db: a read connection).
 * Returns NULL with a message in err when the index cannot be read or holds
 * a malformed blob. */
struct dups *dups_load(sqlite3 *db, const struct dups_opts *o, struct strbuf *err);
/* Re-read one file (path relative to the root, as in files.path) after the
 * index changed it: its old definitions leave, its new ones (none if it is
 * no longer indexed) join, and clusters are recomputed. Returns 0, or -1
 * with a message in err. */
int dups_update_file(struct dups *d, sqlite3 *db, const char *path, struct strbuf *err);
void dups_free(struct dups *d);

struct dups_member {
	const char *path, *name;
	uint32_t line, end_line;  /* the definition, from its name to its end */
	uint32_t ntokens;
	uint64_t hash;            /* exact body hash */
	double sim;               /* near clusters: estimated similarity to `with` */
	uint32_t with;            /* near clusters: index of the most similar other member */
};

struct dups_set {
	struct dups_member *m;    /* sorted by path, then line */
	size_t n;
	uint64_t lines;           /* sum of the members' lines */
	uint64_t size;            /* exact duplicate files: the size in bytes */
};

struct dups_report {
	struct dups_set *files;   /* exact duplicate files (name = NULL, line = 0) */
	size_t nfiles;
	struct dups_set *exact;   /* definitions with equal bodies (same hash and token count) */
	size_t nexact;
	struct dups_set *near;    /* near-duplicate clusters holding at least two different bodies */
	size_t nnear;
	uint64_t defs;            /* function definitions indexed */
	uint64_t def_lines;       /* lines of all of them */
	uint64_t dup_lines;       /* lines of those in an exact group (or, near != 0, a near cluster) */
};

/* Build the report; near: also near-duplicate clusters. Sets are sorted by
 * lines (largest first), then by their first member. */
void dups_report(struct dups *d, int near, struct dups_report *r);
void dups_report_release(struct dups_report *r);

/* What `cidx dups` and the TUI's duplicates pane both say of a report. */
struct dups_summary {
	double share;             /* dup_lines / def_lines (0 when no definitions) */
	size_t clusters;          /* duplicate file groups + exact groups + near clusters */
};
void dups_summarize(const struct dups_report *r, struct dups_summary *s);

/* Statistics of the in-memory structure (for the benchmark). */
struct dups_stats {
	size_t files, defs, groups, edges, buckets;
};
void dups_stats(const struct dups *d, struct dups_stats *s);

#endif
