/* search.h — fuzzy symbol search: an in-memory table of every indexed
 * symbol, kept current file by file, and an fzf-style ranked query over it.
 *
 * Ranking: a query term matches a symbol's qualified name ("parent.name";
 * the name alone when there is no parent) as a subsequence and is scored
 * like fzf's v2 algorithm: points per matched character, bonuses where a
 * word starts (string start, after _ - . :: /, camelCase, letter/digit
 * changes), in consecutive runs, the first character's bonus doubled, gap
 * penalties; the best alignment is found by dynamic programming. Two rules
 * for identifiers: a gap that leaves a word whose start was matched for the
 * start of another word does not pay for the rest of that word (initials:
 * "nrs" for netif_receive_skb), and a gap of vowels only costs one per vowel
 * (consonant abbreviations: "mtx"). Equal scores
 * are broken by what cidx knows about code: exact name, then prefix, then
 * definitions before prototypes, shorter qualified names, more call sites,
 * and finally file, line and name so that the order never depends on how the
 * table was built.
 *
 * Query syntax (terms separated by spaces are AND-ed):
 *   abc      fuzzy          'abc   substring       ^abc   prefix
 *   abc$     suffix         ^abc$  whole name      !abc   does not contain
 *   !^abc    no prefix      !abc$  no suffix       !'abc  not a fuzzy match
 *   k:KIND   kind, or a prefix of one (k:func is function, the start of
 *            function-macro too; repeat for several kinds)
 *   f:TEXT   file path contains TEXT      l:LANG  language (l:c)
 *   !k: !f: !l:  the opposite of each filter
 * A term is case-insensitive unless it has an upper-case letter (smart case).
 *
 * Threads: the table carries a read-write lock (search_table.lock). Queries
 * (search_run) take it shared, so any number of threads may query at once;
 * search_table_load, search_update_file and search_add take it exclusively
 * and wait for running queries. search_run may use one extra thread of its
 * own for large scans; it joins it before returning. A struct search_state is
 * owned by one caller and must not be shared between concurrent queries; it
 * notices table changes by the generation and then scans everything.
 * search_table_release needs every other user to be gone. Results are
 * copies: they stay valid after the table changes. The cancel flag is read
 * without the lock, by the scanning threads, every 1024 texts. */
#ifndef CIDX_SEARCH_H
#define CIDX_SEARCH_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "intern.h"
#include "util.h"

struct search_file;

struct search_table {
	pthread_rwlock_t lock;      /* guards everything below */
	uint64_t generation;        /* bumped by every change */

	/* distinct match texts and names, by id (struct intern) */
	struct intern strs;
	uint64_t *mask;             /* character classes present; bit 63: has symbols */
	uint32_t *first;            /* first symbol whose text this is, or NONE */
	uint32_t *nsyms;            /* live symbols whose text this is */
	uint32_t *calls;            /* call sites naming this string */
	size_t strs_cap;

	/* symbols, struct-of-arrays by slot; a file's symbols are contiguous */
	uint32_t *name;             /* string id of the name */
	uint32_t *text;             /* string id of the qualified name */
	uint32_t *next;             /* next symbol with the same text, or NONE */
	uint32_t *file;             /* file index */
	uint32_t *line;
	uint8_t *kind;              /* enum sym_kind, or SEARCH_DEAD */
	size_t nslots, slots_cap, ndead;

	/* files, by index; paths interned in paths (same ids) */
	struct intern paths;
	struct search_file *files;
	size_t files_cap;
	char *langs[32];            /* language names, by small id */
	int nlangs;
};

/* What search_table_memory reports. */
struct search_memory {
	size_t symbols;             /* live symbols */
	size_t strings;             /* distinct strings held (names, qualified names, callees) */
	size_t name_bytes;          /* bytes of the live symbols' distinct names, NUL included */
	size_t total;               /* every heap byte the table holds */
	double per_symbol;          /* (total - name_bytes) / symbols */
};

void search_table_init(struct search_table *t);
void search_table_release(struct search_table *t);
/* Replace the table's contents with every symbol in db (an index.db opened
 * with store_open). Returns 0, or -1 with a message in err. */
int search_table_load(struct search_table *t, sqlite3 *db, struct strbuf *err);
/* Re-read the symbols of one file (root-relative path) from db, or drop
 * them when the file is no longer indexed; refresh the call-site counts of
 * every name the file calls or called. Afterwards the table answers exactly
 * as a fresh search_table_load would. Returns 0, or -1 with a message. */
int search_update_file(struct search_table *t, sqlite3 *db, const char *path, struct strbuf *err);
/* Add one symbol without a database (benchmarks, tests): parent may be NULL.
 * The qualified name is parent + separator + name. */
void search_add(struct search_table *t, const char *path, const char *lang, const char *name,
		const char *parent, int kind, uint32_t line);
/* Set the number of call sites naming name (search_table_load reads them). */
void search_set_calls(struct search_table *t, const char *name, uint32_t n);
size_t search_table_count(struct search_table *t);
void search_table_memory(struct search_table *t, struct search_memory *m);

/* The separator between a parent's name and its member's, by language. */
const char *search_qual_sep(const char *lang);

/* One result. Every pointer is owned by the result set. */
struct search_hit {
	char *name;
	char *qualified;
	int kind;                   /* enum sym_kind */
	char *file;
	char *lang;
	uint32_t line;
	int score;
	uint32_t callers;
	uint16_t *pos;              /* matched byte offsets in qualified, ascending */
	size_t npos;
};

struct search_result {
	struct search_hit *hits;
	size_t n;
	size_t total;               /* symbols that matched, before the limit */
};
void search_result_release(struct search_result *r);

/* Narrowing state for a caller who types: when a query extends the previous
 * one (more characters in the last term, or a new term), only the previous
 * matches are scanned; and the previous results, scored first, give a score
 * below which nothing can make the new top. Zero-initialise; release with
 * search_state_release. */
struct search_state {
	char *query;
	uint64_t generation;
	uint32_t *ids;              /* matched string ids (ascending in runs of chunks) */
	size_t n, cap;
	int valid;                  /* ids are the matches of query */
	uint32_t *top;              /* the texts of the last results: scored first, */
	size_t ntop, topcap;        /* they tell the scan early what it must beat */
};
void search_state_release(struct search_state *s);

struct search_opts {
	size_t limit;               /* results wanted; 0 means 20 */
	int threads;                /* 1 or 2; 0: 2 when a CPU is free for the second
				     * (the 1-minute load average is below CPUs - 0.5) */
	const atomic_int *cancel;   /* non-zero: give up (returns SEARCH_CANCELLED) */
	struct search_state *state; /* NULL: no narrowing */
};

#define SEARCH_CANCELLED 1

/* Run query over t. Returns 0 with res filled (res->n may be 0), -1 with a
 * message in err when the query is malformed (unknown kind, ...), or
 * SEARCH_CANCELLED (res left empty). */
int search_run(struct search_table *t, const char *query, const struct search_opts *o,
	       struct search_result *res, struct strbuf *err);

/* The scorer alone, for tests and tools: the score of query term text
 * (smart case, fuzzy) against s, or SEARCH_NOMATCH; positions (at most
 * strlen(text) entries) are filled when pos is not NULL. */
#define SEARCH_NOMATCH INT32_MIN
int search_score(const char *text, const char *s, uint16_t *pos);

#endif
