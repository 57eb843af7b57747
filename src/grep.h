/* grep.h — regular-expression search over the files of the index (PCRE2,
 * JIT-compiled), each hit labelled with its innermost enclosing definition.
 *
 * Files are read from the repository root, never through a symlink leading
 * out of it. Workers search them in parallel and the hits are streamed to a
 * callback in a fixed order (by path, then line), so the output does not
 * depend on the number of threads. A search can be cancelled from any thread.
 *
 * Thread-safety:
 *   - A compiled struct grep is immutable: any number of grep_run calls may
 *     use it at once, from any threads. grep_free it when none is running.
 *   - grep_run blocks its calling thread (which also searches) and creates
 *     jobs - 1 helper threads, all joined before it returns.
 *   - The callback is only ever called from the thread that called grep_run,
 *     one hit at a time; it needs no locking of its own against the engine.
 *   - The cancel flag may be set from any thread (or a signal handler) while
 *     grep_run runs; it is only read by the engine.
 *   - The db connection passed to grep_run is used by the calling thread only
 *     (the file list); helpers open their own read-only connections to the
 *     same file. Do not use that connection elsewhere during the call.
 *
 * Semantics, like grep: every line is matched on its own (a match never spans
 * a line break; "\r\n" line ends count as "\n"), a line with several matches
 * is one hit. Positions are bytes: col is the 1-based byte column of the
 * line's first match, spans are byte offsets into hit->text. */
#ifndef CIDX_GREP_H
#define CIDX_GREP_H

#include <sqlite3.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include "util.h"

#define GREP_CASELESS 0x1       /* -i */

/* At most this many bytes of a long line are kept per hit: a window that
 * starts a little before the first match. */
#define GREP_TEXT_MAX 400
/* Bytes kept before the first match when a line is clipped. */
#define GREP_TEXT_LEAD 60
/* At most this many match spans are kept per hit. */
#define GREP_SPANS_MAX 32

struct grep;

/* Compile pattern (UTF-8 mode when the pattern is valid UTF-8; subjects with
 * invalid UTF-8 are still searched) and JIT-compile it when the platform
 * allows, else the interpreter is used. flags: GREP_*. Returns the compiled
 * pattern, or NULL with PCRE2's own message in err:
 *   "bad pattern at offset 3: missing closing parenthesis". */
struct grep *grep_new(const char *pattern, int flags, struct strbuf *err);
void grep_free(struct grep *g);
/* Whether the JIT compiler is in use (for tests and diagnostics). */
int grep_jit(const struct grep *g);

struct grep_span {
	uint32_t start, end;    /* [start, end) in bytes of hit->text; start < end */
};

struct grep_hit {
	const char *file;       /* root-relative path */
	uint32_t line;          /* 1-based */
	uint32_t col;           /* 1-based byte column of the first match */
	const char *text;       /* the line without "\n" / "\r\n", NUL-terminated,
	                           clipped to GREP_TEXT_MAX bytes around the first
	                           match; raw file bytes: sanitise before display */
	size_t text_len;
	size_t text_start;      /* offset of text[0] in the line (> 0: clipped left) */
	size_t line_len;        /* the whole line's length (> text_start + text_len:
	                           clipped right) */
	const struct grep_span *spans;  /* non-empty matches inside text, in order */
	size_t nspans;          /* may be 0: an empty match, or outside the window */
	const char *symbol;     /* innermost definition whose lines contain the hit
	                           (prototypes and enumerators excluded), or NULL */
	int symbol_kind;        /* enum sym_kind, -1 without a symbol */
	uint32_t symbol_line;   /* line of the symbol's name, 0 without a symbol */
};

/* Called for each hit in order; everything it points to is valid only for
 * the duration of the call. Return 0 to go on, anything else to stop the
 * search (grep_run then returns 1). */
typedef int (*grep_hit_fn)(void *ctx, const struct grep_hit *hit);

struct grep_opts {
	const char *lang;       /* only files of this language ("c"); NULL: all */
	int jobs;               /* threads, the caller's included; <= 0: online CPUs */
	/* Set to non-zero from any thread to stop the search: no callback is
	 * made after the engine sees it, workers stop between files and every
	 * few hundred kilobytes inside big ones. NULL: not cancellable. */
	atomic_int *cancel;
};

struct grep_stats {
	uint64_t files;         /* indexed files to search (language filter applied) */
	uint64_t searched;      /* files read and searched */
	uint64_t matched;       /* files with at least one hit (emitted) */
	uint64_t hits;          /* hits emitted */
	uint64_t unreadable;    /* vanished, not a regular file any more, unreadable,
	                           over 1 GiB, or reached through a symlink leading
	                           outside root */
	uint64_t binary;        /* a NUL byte now in the content: not searched */
	uint64_t limit;         /* lines skipped: PCRE2's match or depth limit hit */
	int stopped;            /* cancelled, or the callback asked to stop */
};

/* Search the files recorded in the index db (root-relative paths, read from
 * root) for g. Returns 0 when the search ran to its end, 1 when it was
 * cancelled or stopped by the callback, -1 with a message in err (unknown
 * language: the message lists the known ones; database error). stats may
 * be NULL. */
int grep_run(const struct grep *g, sqlite3 *db, const char *root, const struct grep_opts *o,
	     grep_hit_fn fn, void *ctx, struct grep_stats *stats, struct strbuf *err);

#endif
