/* grep.c — PCRE2 search over the indexed files. Owns the compiled pattern,
 * the worker threads of one run, the per-file result slots that put their
 * hits back in path order, and the enclosing-symbol lookup.
 *
 * A file is searched in two steps. The whole buffer is searched first (one
 * JIT call finds the next candidate anywhere, multiline mode); the line
 * holding the candidate is then matched on its own, which decides whether it
 * is a hit and where its matches are. The first step only ever finds more
 * than the second, except for constructs that can fail because they see past
 * the line (see needs_line_mode): patterns using them are matched line by
 * line. The buffer pass is also skipped when PCRE2 knows no first code unit
 * (the pattern starts with a class: the JIT would try every position) but a
 * required one: only lines holding that byte are matched, found with memchr
 * (PCRE2 itself rejects any subject without it). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "grep.h"
#include "extract.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Cancellation is checked at least once per this many bytes of a file. */
#define GREP_CHUNK (256u << 10)
/* A file that grew past this since it was indexed is not read. */
#define GREP_FILE_MAX ((size_t)1 << 30)
/* Helpers may run this many files ahead of the emitter: bounds the memory
 * held by results waiting for their turn. */
#define GREP_WINDOW 64

struct grep {
	pcre2_code *code;
	int jit;          /* pcre2_jit_compile succeeded */
	int utf;
	int line_mode;    /* assertions that see past a line break: no buffer pass */
	/* Lines without pre (or pre_alt) cannot match: PCRE2's first or required
	 * code unit, for the passes that go line by line. -1: none. */
	int pre, pre_alt;
	int pre_lines;    /* go line by line over the lines holding pre */
};

/* ---- compiling ------------------------------------------------------------ */

/* Could the buffer pass miss a line that matches on its own? Only when
 * something can fail because it sees past the line: lookarounds, \A \z \Z
 * \G, atomic groups and possessive quantifiers (which cannot give back what
 * they took from the next line), backtracking verbs. A textual check: a
 * false positive only costs speed. */
static int needs_line_mode(const char *p)
{
	static const char *const marks[] = { "(?=", "(?!", "(?<=", "(?<!", "(?>", "(*",
		"*+", "++", "?+", "}+" };
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(p, marks[i]))
			return 1;
	for (; *p; p++)
		if (p[0] == '\\' && p[1] && strchr("AzZG", p[1]))
			return 1;
	return 0;
}

static pcre2_code *compile(const char *pattern, uint32_t opts, int *errcode, PCRE2_SIZE *erroff)
{
	pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
	pcre2_code *code;
	if (!cc)
		die(1, "out of memory");
	/* "\r\n" files: $ matches before the "\r" as in the line-by-line step */
	pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
	code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts, errcode, erroff, cc);
	pcre2_compile_context_free(cc);
	return code;
}

/* Choose how candidate lines are found (see the top of the file). */
static void set_prefilter(struct grep *g, const char *pattern, int flags)
{
	uint32_t first = 0, last = 0, unit = 0;
	pcre2_pattern_info(g->code, PCRE2_INFO_FIRSTCODETYPE, &first);
	pcre2_pattern_info(g->code, PCRE2_INFO_LASTCODETYPE, &last);
	g->pre = g->pre_alt = -1;
	if (last == 1)
		pcre2_pattern_info(g->code, PCRE2_INFO_LASTCODEUNIT, &unit);
	else if (first == 1)
		pcre2_pattern_info(g->code, PCRE2_INFO_FIRSTCODEUNIT, &unit);
	if (last == 1 || first == 1) {
		g->pre = (int)unit;
		/* PCRE2 may hold a caseless ASCII unit in either case */
		if (unit < 128 && ((flags & GREP_CASELESS) || strstr(pattern, "(?")) &&
		    ((unit | 0x20) >= 'a' && (unit | 0x20) <= 'z'))
			g->pre_alt = (int)(unit ^ 0x20);
	}
	g->pre_lines = g->pre >= 0 && (g->line_mode || first == 0);
}

struct grep *grep_new(const char *pattern, int flags, struct strbuf *err)
{
	struct grep *g;
	uint32_t opts = PCRE2_MULTILINE | (flags & GREP_CASELESS ? PCRE2_CASELESS : 0);
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code = compile(pattern, opts | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errcode, &erroff);
	int utf = code != NULL;
	/* a pattern that is not valid UTF-8 is matched byte by byte */
	if (!code && errcode <= PCRE2_ERROR_UTF8_ERR1 && errcode >= PCRE2_ERROR_UTF8_ERR21)
		code = compile(pattern, opts, &errcode, &erroff);
	if (!code) {
		PCRE2_UCHAR msg[256];
		if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", errcode);
		sb_addf(err, "bad pattern at offset %zu: %s", (size_t)erroff, (const char *)msg);
		return NULL;
	}
	g = xcalloc(1, sizeof(*g));
	g->code = code;
	g->utf = utf;
	g->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	g->line_mode = needs_line_mode(pattern);
	set_prefilter(g, pattern, flags);
	return g;
}

void grep_free(struct grep *g)
{
	if (!g)
		return;
	pcre2_code_free(g->code);
	free(g);
}

int grep_jit(const struct grep *g)
{
	return g->jit;
}

/* ---- one file's results ------------------------------------------------- */

struct fhit {
	uint32_t line, col;
	size_t text_off, text_len;     /* in fres.text */
	size_t text_start, line_len;
	size_t span_off, nspans;       /* in fres.spans */
	int32_t sym;                   /* index in fres.syms, or -1 */
};

struct fsym {
	size_t name;                   /* offset in fres.names */
	int kind;
	uint32_t line, end_line;
};

struct fres {
	struct fhit *hits;
	size_t nhits, hits_cap;
	struct grep_span *spans;
	size_t nspans, spans_cap;
	struct strbuf text;            /* hit texts, each NUL-terminated */
	struct fsym *syms;
	size_t nsyms, syms_cap;
	struct strbuf names;           /* symbol names, each NUL-terminated */
};

static void fres_free(struct fres *r)
{
	if (!r)
		return;
	free(r->hits);
	free(r->spans);
	sb_release(&r->text);
	free(r->syms);
	sb_release(&r->names);
	free(r);
}

/* ---- a run ---------------------------------------------------------------- */

struct gfile {
	char *path;
	int64_t id, sym_lo, nsyms;
};

struct slot {
	struct fres *res;   /* NULL: nothing to emit */
	int done;
};

struct run {
	const struct grep *g;
	const char *dbpath;            /* for the helpers' own connections */
	const char *root;              /* canonical, for the no-openat2 fallback */
	int rootfd;
	struct gfile *files;           /* sorted by path; read-only during the run */
	size_t nfiles;
	atomic_int *cancel;            /* the caller's flag, may be NULL */
	atomic_int stop;               /* the callback asked to stop */

	pthread_mutex_t lock;          /* guards next, emitted, slots[] */
	pthread_cond_t cond;           /* broadcast when a slot is done, emitted
	                                  moves, or the run stops */
	size_t next;                   /* next file to claim */
	size_t emitted;                /* files handed to the callback so far */
	struct slot *slots;

	/* counters, updated by every thread */
	atomic_uint_fast64_t searched, unreadable, binary, limit;
};

static int run_stopping(struct run *r)
{
	return atomic_load_explicit(&r->stop, memory_order_relaxed) ||
	       (r->cancel && atomic_load_explicit(r->cancel, memory_order_relaxed));
}

/* Per-thread matching state. */
struct worker {
	struct run *run;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *stack;
	char *buf;
	size_t cap;
	sqlite3 *db;                   /* own connection (helpers) or the caller's */
	int own_db;
	sqlite3_stmt *syms;            /* a file's symbols */
};

/* Set up w for run r: its own read-only connection to the index unless db
 * (the caller's) is given. Returns 0, or -1 with a message in err. */
static int worker_init(struct worker *w, struct run *r, sqlite3 *db, struct strbuf *err)
{
	char *sql;
	int rc;
	memset(w, 0, sizeof(*w));
	w->run = r;
	w->db = db;
	w->md = pcre2_match_data_create_from_pattern(r->g->code, NULL);
	w->mctx = pcre2_match_context_create(NULL);
	if (!w->md || !w->mctx)
		die(1, "out of memory");
	if (r->g->jit) {
		w->stack = pcre2_jit_stack_create(32 << 10, 8 << 20, NULL);
		if (!w->stack)
			die(1, "out of memory");
		pcre2_jit_stack_assign(w->mctx, NULL, w->stack);
	}
	if (!db) {
		store_sqlite_setup();
		w->own_db = 1;
		if (sqlite3_open_v2(r->dbpath, &w->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
				    NULL) != SQLITE_OK) {
			sb_addf(err, "cannot open index '%s': %s", r->dbpath,
				w->db ? sqlite3_errmsg(w->db) : "out of memory");
			return -1;
		}
		sqlite3_busy_timeout(w->db, 10000);
	}
	sql = xasprintf("SELECT name, kind, line, end_line FROM symbols"
			" WHERE id >= ?1 AND id < ?1 + ?2 AND file_id = ?3"
			" AND kind NOT IN (%d, %d)", SK_PROTOTYPE, SK_ENUMERATOR);
	rc = sqlite3_prepare_v2(w->db, sql, -1, &w->syms, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		sb_addf(err, "reading the index: %s", sqlite3_errmsg(w->db));
		return -1;
	}
	return 0;
}

static void worker_release(struct worker *w)
{
	sqlite3_finalize(w->syms);
	if (w->own_db)
		sqlite3_close(w->db);
	pcre2_match_data_free(w->md);
	pcre2_match_context_free(w->mctx);
	pcre2_jit_stack_free(w->stack);
	free(w->buf);
}

/* Match s[0..n) from off; > 0 when matched (ovector in w->md), else a PCRE2
 * error code (PCRE2_ERROR_NOMATCH: none). */
static int match_at(struct worker *w, const char *s, size_t n, size_t off)
{
	const struct grep *g = w->run->g;
	if (g->jit)
		return pcre2_jit_match(g->code, (PCRE2_SPTR)s, n, off, 0, w->md, w->mctx);
	return pcre2_match(g->code, (PCRE2_SPTR)s, n, off, 0, w->md, w->mctx);
}

/* Newlines in p[0..n), eight bytes at a time. */
static size_t count_newlines(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, lows = 0x7f7f7f7f7f7f7f7full;
	size_t c = 0, i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x, t;
		memcpy(&x, p + i, 8);
		x ^= ones * '\n';
		/* high bit of each byte set iff the byte is non-zero */
		t = ((x & lows) + lows) | x;
		/* one per newline byte, summed by the multiply into the top byte */
		c += (size_t)((((~t & ~lows) >> 7) * ones) >> 56);
	}
	for (; i < n; i++)
		c += p[i] == '\n';
	return c;
}

/* Move i forward to the start of a UTF-8 character. */
static size_t char_start(const char *s, size_t i, size_t n)
{
	while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
		i++;
	return i;
}

/* Match one line (s[0..n), terminator excluded) and record it as a hit when
 * it matches. Returns 1 for a hit, 0 for none, or a PCRE2 error (< 0). */
static int match_line(struct worker *w, const char *s, size_t n, uint32_t lineno, struct fres *res)
{
	size_t off = 0, win_lo = 0, win_hi = n, span0 = res->nspans;
	int rc, hit = 0;
	struct fhit *h = NULL;
	while (off <= n) {
		PCRE2_SIZE *ov;
		size_t a, b;
		rc = match_at(w, s, n, off);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			return hit ? hit : rc;   /* a hit keeps the spans found so far */
		ov = pcre2_get_ovector_pointer(w->md);
		a = ov[0];
		b = ov[1];
		if (b < a)      /* \K in a lookahead can put the start after the end */
			b = a;
		if (!hit) {
			hit = 1;
			if (n > GREP_TEXT_MAX) {
				win_lo = a > GREP_TEXT_LEAD ? a - GREP_TEXT_LEAD : 0;
				win_lo = w->run->g->utf ? char_start(s, win_lo, a) : win_lo;
				win_hi = win_lo + GREP_TEXT_MAX < n ? win_lo + GREP_TEXT_MAX : n;
				/* back to a character start so the text ends on a whole one */
				while (w->run->g->utf && win_hi < n && win_hi > a &&
				       ((unsigned char)s[win_hi] & 0xc0) == 0x80)
					win_hi--;
			}
			ARRAY_GROW(res->hits, res->hits_cap, res->nhits + 1);
			h = &res->hits[res->nhits++];
			h->line = lineno;
			h->col = (uint32_t)a + 1;
			h->text_off = res->text.len;
			h->text_len = win_hi - win_lo;
			h->text_start = win_lo;
			h->line_len = n;
			h->span_off = span0;
			h->nspans = 0;
			h->sym = -1;
			sb_add(&res->text, s + win_lo, win_hi - win_lo);
			sb_addc(&res->text, 0);
		}
		if (a >= win_hi || res->nspans - span0 >= GREP_SPANS_MAX)
			break;
		if (b > a) {
			ARRAY_GROW(res->spans, res->spans_cap, res->nspans + 1);
			res->spans[res->nspans].start = (uint32_t)(a - win_lo);
			res->spans[res->nspans].end = (uint32_t)((b < win_hi ? b : win_hi) - win_lo);
			res->nspans++;
			h->nspans++;
			off = b;
		} else {
			if (a >= n)
				break;
			off = w->run->g->utf ? char_start(s, a + 1, n) : a + 1;
		}
	}
	return hit;
}

/* Offset of the next byte at or after pos that equals g->pre or g->pre_alt,
 * or len; *n1 and *n2 remember where each was last found. */
static size_t next_pre(const struct grep *g, const char *buf, size_t len, size_t pos, size_t *n1,
		       size_t *n2)
{
	if (*n1 <= pos) {        /* not looked for yet, or passed */
		const char *p = memchr(buf + pos, g->pre, len - pos);
		*n1 = p ? (size_t)(p - buf) : len;
	}
	if (g->pre_alt < 0)
		return *n1;
	if (*n2 <= pos) {
		const char *p = memchr(buf + pos, g->pre_alt, len - pos);
		*n2 = p ? (size_t)(p - buf) : len;
	}
	return *n1 < *n2 ? *n1 : *n2;
}

/* Search buf[0..len) and append its hits to res. A line on which PCRE2
 * gives up (match or depth limit) is counted and skipped, like grep does;
 * when the whole-buffer pass gives up, the rest of the file goes line by
 * line. Returns 0, or -1 when the run is stopping. */
static int search_buffer(struct worker *w, const char *buf, size_t len, struct fres *res)
{
	const struct grep *g = w->run->g;
	size_t pos = 0, chunk_end = 0, cur_off = 0, pre1 = 0, pre2 = 0;
	uint32_t cur_line = 1;
	unsigned lines_since_check = 0;
	int by_line = g->line_mode;
	while (pos < len) {
		size_t s, ls, le, n;
		int rc;
		if (pos >= chunk_end || ++lines_since_check >= 4096) {
			const char *nl;
			if (run_stopping(w->run))
				return -1;
			lines_since_check = 0;
			chunk_end = len - pos > GREP_CHUNK ? pos + GREP_CHUNK : len;
			if (chunk_end < len) {
				nl = memchr(buf + chunk_end, '\n', len - chunk_end);
				chunk_end = nl ? (size_t)(nl - buf) + 1 : len;
			}
		}
		if (g->pre_lines) {
			s = next_pre(g, buf, len, pos, &pre1, &pre2);
			if (s >= len)
				break;
		} else if (by_line) {
			s = pos;
		} else {
			rc = match_at(w, buf, chunk_end, pos);
			if (rc == PCRE2_ERROR_NOMATCH) {
				pos = chunk_end;
				continue;
			}
			if (rc < 0) {
				by_line = 1;
				continue;
			}
			s = pcre2_get_ovector_pointer(w->md)[0];
			if (s >= len)
				break;
		}
		/* pos is always a line start: the candidate's line begins at or after it */
		{
			const char *nl = s > pos ? memrchr(buf + pos, '\n', s - pos) : NULL;
			ls = nl ? (size_t)(nl - buf) + 1 : pos;
			nl = memchr(buf + s, '\n', len - s);
			le = nl ? (size_t)(nl - buf) : len;
		}
		cur_line += (uint32_t)count_newlines(buf + cur_off, ls - cur_off);
		cur_off = ls;
		n = le - ls;
		if (n && buf[ls + n - 1] == '\r')
			n--;
		if (match_line(w, buf + ls, n, cur_line, res) < 0)
			atomic_fetch_add(&w->run->limit, 1);
		pos = le + 1;
	}
	return 0;
}

/* Open path below the root without leaving it, symlinks included. */
static int open_beneath(struct run *r, const char *path)
{
	struct open_how how;
	char *full, *real;
	size_t rl;
	int fd;
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, r->rootfd, path, &how, sizeof(how));
	if (fd >= 0 || errno != ENOSYS)
		return fd;
	/* kernels before 5.6: resolve, check, open the result without following */
	full = xasprintf("%s/%s", r->root, path);
	real = realpath(full, NULL);
	free(full);
	rl = strlen(r->root);
	if (!real || strncmp(real, r->root, rl) || (real[rl] != '/' && strcmp(r->root, "/"))) {
		free(real);
		errno = EXDEV;
		return -1;
	}
	fd = open(real, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW);
	free(real);
	return fd;
}

/* Read files[i] into w->buf; its length, or -1 (counted as unreadable). */
static ssize_t read_indexed(struct worker *w, const struct gfile *f)
{
	struct stat st;
	size_t got = 0, want;
	int fd = open_beneath(w->run, f->path);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	want = (size_t)st.st_size;
	if (want > GREP_FILE_MAX) {
		close(fd);
		return -1;
	}
	if (want + 1 > w->cap) {
		free(w->buf);
		w->cap = want + 1 > 1u << 16 ? want + 1 : 1u << 16;
		w->buf = xmalloc(w->cap);
	}
	while (got < want) {
		ssize_t k = read(fd, w->buf + got, want - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			close(fd);
			return -1;
		}
		if (k == 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	return (ssize_t)got;
}

/* ---- enclosing symbols ----------------------------------------------------- */

/* Outer symbols first; among equal ranges, lower kinds (function, struct)
 * last so that they end up on top of the stack. */
static int fsym_cmp(const void *pa, const void *pb)
{
	const struct fsym *a = pa, *b = pb;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->end_line != b->end_line)
		return a->end_line > b->end_line ? -1 : 1;
	return b->kind - a->kind;
}

/* Label each hit of res with the innermost symbol whose lines contain it:
 * hits come in line order, so one sweep with a stack of open symbols. */
static void label_hits(struct worker *w, const struct gfile *f, struct fres *res)
{
	size_t *stack, depth = 0, next = 0;
	sqlite3_bind_int64(w->syms, 1, f->sym_lo);
	sqlite3_bind_int64(w->syms, 2, f->nsyms);
	sqlite3_bind_int64(w->syms, 3, f->id);
	while (sqlite3_step(w->syms) == SQLITE_ROW) {
		struct fsym *s;
		ARRAY_GROW(res->syms, res->syms_cap, res->nsyms + 1);
		s = &res->syms[res->nsyms++];
		s->name = res->names.len;
		s->kind = sqlite3_column_int(w->syms, 1);
		s->line = (uint32_t)sqlite3_column_int(w->syms, 2);
		s->end_line = (uint32_t)sqlite3_column_int(w->syms, 3);
		sb_add(&res->names, (const char *)sqlite3_column_text(w->syms, 0),
		       (size_t)sqlite3_column_bytes(w->syms, 0));
		sb_addc(&res->names, 0);
	}
	sqlite3_reset(w->syms);
	if (!res->nsyms)
		return;
	qsort(res->syms, res->nsyms, sizeof(*res->syms), fsym_cmp);
	stack = xreallocarray(NULL, res->nsyms, sizeof(*stack));
	for (size_t i = 0; i < res->nhits; i++) {
		uint32_t line = res->hits[i].line;
		while (next < res->nsyms && res->syms[next].line <= line) {
			while (depth && res->syms[stack[depth - 1]].end_line < res->syms[next].line)
				depth--;
			stack[depth++] = next++;
		}
		while (depth && res->syms[stack[depth - 1]].end_line < line)
			depth--;
		res->hits[i].sym = depth ? (int32_t)stack[depth - 1] : -1;
	}
	free(stack);
}

/* ---- threads ------------------------------------------------------------- */

/* Search files[i]; its hits (NULL: none). */
static struct fres *search_file(struct worker *w, size_t i)
{
	struct run *r = w->run;
	const struct gfile *f = &r->files[i];
	struct fres *res;
	ssize_t len = read_indexed(w, f);
	if (len < 0) {
		atomic_fetch_add(&r->unreadable, 1);
		return NULL;
	}
	if (memchr(w->buf, 0, (size_t)len)) {
		atomic_fetch_add(&r->binary, 1);
		return NULL;
	}
	atomic_fetch_add(&r->searched, 1);
	res = xcalloc(1, sizeof(*res));
	search_buffer(w, w->buf, (size_t)len, res);
	if (!res->nhits) {
		fres_free(res);
		return NULL;
	}
	label_hits(w, f, res);
	return res;
}

/* Claim the next file when the window allows; r->lock held. Returns the
 * index, or nfiles when there is nothing to claim now. */
static size_t claim(struct run *r)
{
	if (r->next >= r->nfiles || r->next >= r->emitted + GREP_WINDOW || run_stopping(r))
		return r->nfiles;
	return r->next++;
}

/* Search files[i] and publish the result; r->lock held on entry and exit. */
static void work_on(struct worker *w, size_t i)
{
	struct run *r = w->run;
	struct fres *res;
	pthread_mutex_unlock(&r->lock);
	res = search_file(w, i);
	pthread_mutex_lock(&r->lock);
	r->slots[i].res = res;
	r->slots[i].done = 1;
	pthread_cond_broadcast(&r->cond);
}

static void *helper_main(void *arg)
{
	struct worker *w = arg;
	struct run *r = w->run;
	pthread_mutex_lock(&r->lock);
	for (;;) {
		size_t i = claim(r);
		if (i < r->nfiles) {
			work_on(w, i);
			continue;
		}
		if (r->next >= r->nfiles || run_stopping(r))
			break;
		pthread_cond_wait(&r->cond, &r->lock);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* Hand one file's hits to the callback; 1 to stop. */
static int emit(struct run *r, const struct gfile *f, const struct fres *res, grep_hit_fn fn,
		void *ctx, struct grep_stats *st)
{
	for (size_t k = 0; k < res->nhits; k++) {
		const struct fhit *h = &res->hits[k];
		struct grep_hit hit;
		if (run_stopping(r))
			return 1;
		hit.file = f->path;
		hit.line = h->line;
		hit.col = h->col;
		hit.text = res->text.buf + h->text_off;
		hit.text_len = h->text_len;
		hit.text_start = h->text_start;
		hit.line_len = h->line_len;
		hit.spans = res->spans + h->span_off;
		hit.nspans = h->nspans;
		if (h->sym >= 0) {
			const struct fsym *s = &res->syms[h->sym];
			hit.symbol = res->names.buf + s->name;
			hit.symbol_kind = s->kind;
			hit.symbol_line = s->line;
		} else {
			hit.symbol = NULL;
			hit.symbol_kind = -1;
			hit.symbol_line = 0;
		}
		if (k == 0)
			st->matched++;
		st->hits++;
		if (fn(ctx, &hit)) {
			atomic_store(&r->stop, 1);
			return 1;
		}
	}
	return 0;
}

/* The calling thread: emit finished slots in order, search when the next
 * one is not ready, wait when there is nothing else to do. */
static void emitter(struct worker *w, grep_hit_fn fn, void *ctx, struct grep_stats *st)
{
	struct run *r = w->run;
	pthread_mutex_lock(&r->lock);
	while (r->emitted < r->nfiles && !run_stopping(r)) {
		struct slot *sl = &r->slots[r->emitted];
		size_t i;
		if (sl->done) {
			struct fres *res = sl->res;
			sl->res = NULL;
			pthread_mutex_unlock(&r->lock);
			if (res)
				emit(r, &r->files[r->emitted], res, fn, ctx, st);
			fres_free(res);
			pthread_mutex_lock(&r->lock);
			r->emitted++;
			pthread_cond_broadcast(&r->cond);
			continue;
		}
		i = claim(r);
		if (i < r->nfiles)
			work_on(w, i);
		else
			pthread_cond_wait(&r->cond, &r->lock);
	}
	atomic_store(&r->stop, 1);      /* helpers: nothing more to claim */
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

/* ---- the file list ---------------------------------------------------------- */

static int check_lang(const char *lang, struct strbuf *err)
{
	for (int i = 0; i < lang_count(); i++)
		if (!strcmp(lang, lang_name(i)))
			return 0;
	sb_addf(err, "unknown language '%s' (known: ", lang);
	lang_names_add(err);
	sb_addc(err, ')');
	return -1;
}

static int load_files(struct run *r, sqlite3 *db, const char *lang, struct strbuf *err)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;
	if (sqlite3_prepare_v2(db, "SELECT id, path, sym_lo, nsyms FROM files"
			       " WHERE ?1 IS NULL OR lang = ?1 ORDER BY path", -1, &s, NULL) != SQLITE_OK) {
		sb_addf(err, "reading the index: %s", sqlite3_errmsg(db));
		return -1;
	}
	if (lang)
		sqlite3_bind_text(s, 1, lang, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct gfile *f;
		ARRAY_GROW(r->files, cap, r->nfiles + 1);
		f = &r->files[r->nfiles++];
		f->id = sqlite3_column_int64(s, 0);
		f->path = xstrdup((const char *)sqlite3_column_text(s, 1));
		f->sym_lo = sqlite3_column_int64(s, 2);
		f->nsyms = sqlite3_column_int64(s, 3);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		sb_addf(err, "reading the index: %s", sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

int grep_run(const struct grep *g, sqlite3 *db, const char *root, const struct grep_opts *o,
	     grep_hit_fn fn, void *ctx, struct grep_stats *stats, struct strbuf *err)
{
	struct run r;
	struct grep_stats st;
	struct worker *ws;
	pthread_t *tids;
	char *canon;
	const char *dbpath;
	int jobs = o->jobs, started = 0, nws, rc = 0;
	memset(&st, 0, sizeof(st));
	if (o->lang && check_lang(o->lang, err) < 0)
		return -1;
	canon = realpath(root, NULL);
	if (!canon) {
		sb_addf(err, "cannot read the repository root '%s': %s", root, strerror(errno));
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.g = g;
	r.root = canon;
	r.cancel = o->cancel;
	r.rootfd = open(canon, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r.rootfd < 0) {
		sb_addf(err, "cannot read the repository root '%s': %s", canon, strerror(errno));
		free(canon);
		return -1;
	}
	if (load_files(&r, db, o->lang, err) < 0) {
		rc = -1;
		goto out;
	}
	dbpath = sqlite3_db_filename(db, "main");
	r.dbpath = dbpath ? dbpath : "";
	r.slots = xcalloc(r.nfiles ? r.nfiles : 1, sizeof(*r.slots));
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.cond, NULL);
	if (jobs <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = n > 0 ? (int)n : 1;
	}
	if ((size_t)jobs > r.nfiles)
		jobs = r.nfiles ? (int)r.nfiles : 1;
	ws = xcalloc((size_t)jobs, sizeof(*ws));
	tids = xcalloc((size_t)jobs, sizeof(*tids));
	/* every connection is open before any thread starts: a failure is an
	 * error of the whole run, never hits left unlabelled by one thread */
	for (nws = 0; nws < jobs; nws++)
		if (worker_init(&ws[nws], &r, nws ? NULL : db, err) < 0) {
			nws++;
			rc = -1;
			goto threads_done;
		}
	for (int i = 1; i < jobs; i++) {
		if (pthread_create(&tids[i], NULL, helper_main, &ws[i]) != 0)
			break;     /* fewer helpers; the caller searches too */
		started = i;
	}
	emitter(&ws[0], fn, ctx, &st);
	for (int i = 1; i <= started; i++)
		pthread_join(tids[i], NULL);
	st.stopped = r.emitted < r.nfiles;
	rc = st.stopped;
threads_done:
	for (int i = 0; i < nws; i++)
		worker_release(&ws[i]);
	free(ws);
	free(tids);
	for (size_t i = 0; i < r.nfiles; i++)
		fres_free(r.slots[i].res);
	free(r.slots);
	pthread_mutex_destroy(&r.lock);
	pthread_cond_destroy(&r.cond);
out:
	st.files = r.nfiles;
	st.searched = atomic_load(&r.searched);
	st.unreadable = atomic_load(&r.unreadable);
	st.binary = atomic_load(&r.binary);
	st.limit = atomic_load(&r.limit);
	if (stats)
		*stats = st;
	for (size_t i = 0; i < r.nfiles; i++)
		free(r.files[i].path);
	free(r.files);
	close(r.rootfd);
	free(canon);
	return rc;
}
