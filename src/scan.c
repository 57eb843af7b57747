/* scan.c — find the repository root and list the source files to index.
 *
 * The tree is walked here (open/fdopendir/readdir, d_type when the file
 * system fills it in, fstatat otherwise); libgit2 answers "is this path
 * ignored?". libgit2 is used rather than the git command because it never
 * runs anything a repository configures: no hooks, no core.fsmonitor, no
 * filter drivers, no pager or editor. Nothing on this path spawns a process.
 *
 * Ignore rules apply only when the root holds a ".git" entry: .gitignore at
 * every level, $GIT_DIR/info/exclude and core.excludesFile (else the XDG
 * git/ignore). When the root is not a git repository there are no ignore
 * rules at all; ".git" entries are still skipped at every level. A nested
 * repository below the root is walked like any directory, under the root
 * repository's rules.
 *
 * Cost. git_ignore_path_is_ignored rebuilds its stack of ignore files on
 * every call (a stat per ancestor directory plus the global files, 10-20 us
 * a call here): asking it about every entry made a warm scan of 8.7k kernel
 * files take 115-165 ms instead of 22 ms, and of the whole kernel tree (55k
 * sources, 306 .gitignore files) 1.2-1.5 s instead of 0.27 s. So each ignore
 * file is also read here and compiled into a coarse matcher that can only
 * err on the side of "may match": '*' matches anything (slashes included),
 * case is folded, '/' is dropped from patterns and paths, and anything
 * unusual (odd brackets, trailing blanks, a dangling escape) widens the
 * pattern. libgit2 is asked only about paths some pattern may match, and
 * its answer is final. That is exact: with no pattern matching a path
 * itself, libgit2's answer is decided by the path's parent directories,
 * which the walk has already found not ignored (ignored ones are pruned).
 * CIDX_SCAN_NO_PREFILTER=1 in the environment asks libgit2 about every
 * path (used by the tests to compare both ways).
 *
 * Reading the ignore files first also guards libgit2 1.5, which opens them
 * with a blocking open(2), loops forever on a line starting with a vertical
 * tab or form feed, and can crash on a pattern left empty ("!\\"). A
 * .gitignore that is a FIFO or device or holds such a line makes its
 * directory a SKIP_UNREADABLE skip (scan_tree fails with a message for the
 * root's own, info/exclude or the excludes file). The files libgit2 reads to
 * open the repository (a gitlink, commondir, the config and its includes)
 * are checked for FIFOs and devices the same way. */
#include "scan.h"
#include "extract.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include "gitlib.h"
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes read from an extensionless file to look for a shebang. */
#define HEAD_BYTES 256
/* An ignore file larger than this is not read by the prefilter (libgit2
 * still applies it: every path is then asked about). */
#define IGNORE_FILE_MAX (8u << 20)

static const char *const skip_names[SKIP__COUNT] = {
	[SKIP_BINARY] = "binary",
	[SKIP_TOO_LARGE] = "too-large",
	[SKIP_UNREADABLE] = "unreadable",
	[SKIP_SYMLINK_OUTSIDE] = "symlink-outside",
};

const char *skip_reason_name(int reason)
{
	return reason >= 0 && reason < SKIP__COUNT ? skip_names[reason] : "unknown";
}

/* ---- the prefilter: a widened copy of every ignore pattern --------------- */

enum { T_LIT, T_ANY, T_SET, T_STAR };

struct tok {
	unsigned char type;  /* T_* */
	unsigned char ch;    /* T_LIT: the lower-cased byte */
	uint32_t set;        /* T_SET: index in rules.sets */
};

struct rule {
	uint32_t tok, ntok;  /* slice of rules.toks */
	unsigned char path;  /* match against the whole path (slashes removed)
				rather than the base name */
	int last;            /* the lower-cased byte the text must end with, or -1 */
};

struct rules {
	struct rule *v;
	size_t n, cap;
	struct tok *toks;
	size_t ntoks, toks_cap;
	unsigned char (*sets)[32];   /* 256-bit byte sets */
	size_t nsets, sets_cap;
	size_t npath;                /* rules with path set */
	size_t rule_start;           /* first token of the rule being compiled */
};

struct rules_mark { size_t n, ntoks, nsets, npath; };

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static void push_tok(struct rules *rs, unsigned char type, unsigned char ch, uint32_t set)
{
	/* "**" is "*" here; merge stars within the rule being compiled */
	if (type == T_STAR && rs->ntoks > rs->rule_start &&
	    rs->toks[rs->ntoks - 1].type == T_STAR)
		return;
	ARRAY_GROW(rs->toks, rs->toks_cap, rs->ntoks + 1);
	rs->toks[rs->ntoks].type = type;
	rs->toks[rs->ntoks].ch = ch;
	rs->toks[rs->ntoks].set = set;
	rs->ntoks++;
}

static void set_add(unsigned char *set, unsigned lo, unsigned hi)
{
	if (lo > hi) {
		unsigned t = lo;
		lo = hi;
		hi = t;
	}
	for (unsigned c = lo; c <= hi; c++) {
		unsigned char l = lower((unsigned char)c);
		set[l >> 3] |= (unsigned char)(1u << (l & 7));
	}
}

/* Parse a bracket expression; p points after '['. Returns the position
 * after the closing ']', or NULL when it is anything but plain (classes,
 * escapes, a nested '[', unterminated): the caller then widens the rule
 * to match everything rather than risk splitting the pattern differently
 * from wildmatch. */
static const char *parse_bracket(struct rules *rs, const char *p, const char *e, int *any)
{
	unsigned char set[32];
	int first = 1;
	memset(set, 0, sizeof(set));
	*any = 0;
	if (p < e && (*p == '!' || *p == '^')) {
		*any = 1;   /* a negated set: any byte, as far as we care */
		p++;
	}
	for (;;) {
		unsigned char c;
		if (p >= e)
			return NULL;
		c = (unsigned char)*p;
		if (c == ']' && !first)
			break;
		if (c == '\\' || c == '[')
			return NULL;
		first = 0;
		if (p + 2 < e && p[1] == '-' && p[2] != ']') {
			if (p[2] == '\\' || p[2] == '[')
				return NULL;
			set_add(set, c, (unsigned char)p[2]);
			p += 3;
		} else {
			set_add(set, c, c);
			p++;
		}
	}
	if (!*any) {
		ARRAY_GROW(rs->sets, rs->sets_cap, rs->nsets + 1);
		memcpy(rs->sets[rs->nsets], set, sizeof(set));
		push_tok(rs, T_SET, 0, (uint32_t)rs->nsets);
		rs->nsets++;
	}
	return p + 1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Compile one line [s, e) of an ignore file (no newline) into a rule that
 * matches at least every path libgit2's rule would. bom: the line followed
 * a UTF-8 byte order mark; at_end: nothing follows it in the file. */
static void add_rule(struct rules *rs, const char *s, const char *e, int bom, int at_end)
{
	const char *p;
	int lead = bom, trail = 0, dir = 0, slash = 0, everything = 0;
	struct rule r;

	for (p = s; p < e && (*p == ' ' || *p == '\t'); p++)
		;
	if (p == e || (p + 1 == e && *p == '\r'))
		return;              /* blank: libgit2 trims it to nothing */
	if (*s == '#' && !bom)
		return;              /* a comment */
	for (p = s; p < e && is_blank(*p); p++)
		;
	if (at_end && p + 1 == e && *p == '.')
		everything = 1;      /* libgit2 may read a final "." as "match all" */
	while (e > s && is_blank(e[-1]))
		e--, trail = 1;      /* libgit2 keeps escaped ones and one of two CRs */
	while (s < e && is_blank(*s))
		s++, lead = 1;
	if (s < e && *s == '!')
		s++;
	if (s < e && e[-1] == '/')
		e--, dir = 1;
	for (p = s; p < e; p++)
		if (*p == '/')
			slash = 1;

	rs->rule_start = rs->ntoks;
	r.tok = (uint32_t)rs->ntoks;
	r.path = (unsigned char)(slash || dir || trail);
	if (r.path || lead)
		push_tok(rs, T_STAR, 0, 0);
	for (p = s; p < e && !everything;) {
		unsigned char c = (unsigned char)*p++;
		if (c == '*') {
			push_tok(rs, T_STAR, 0, 0);
		} else if (c == '?') {
			push_tok(rs, T_ANY, 0, 0);
		} else if (c == '[') {
			int any;
			p = parse_bracket(rs, p, e, &any);
			if (!p)
				everything = 1;
			else if (any)
				push_tok(rs, T_ANY, 0, 0);
		} else if (c == '\\') {
			if (p == e) {
				push_tok(rs, T_STAR, 0, 0);   /* escaped trailing blank */
			} else {
				c = (unsigned char)*p++;
				if (c != '/')
					push_tok(rs, T_LIT, lower(c), 0);
			}
		} else if (c != '/') {
			push_tok(rs, T_LIT, lower(c), 0);
		}
	}
	if (everything) {
		rs->ntoks = r.tok;
		push_tok(rs, T_STAR, 0, 0);
	}
	if (trail)
		push_tok(rs, T_STAR, 0, 0);
	r.ntok = (uint32_t)(rs->ntoks - r.tok);
	if (dir) {
		/* libgit2 might match a directory pattern against a whole path
		 * without FNM_PATHNAME, where '?' and sets can match a '/'
		 * that is dropped here: make them '*' */
		for (uint32_t i = r.tok; i < r.tok + r.ntok; i++)
			if (rs->toks[i].type == T_ANY || rs->toks[i].type == T_SET)
				rs->toks[i].type = T_STAR;
	}
	r.last = r.ntok && rs->toks[r.tok + r.ntok - 1].type == T_LIT ?
		 rs->toks[r.tok + r.ntok - 1].ch : -1;
	ARRAY_GROW(rs->v, rs->cap, rs->n + 1);
	rs->v[rs->n++] = r;
	if (r.path)
		rs->npath++;
}

/* Add every rule of an ignore file's content (which libgit2 reads as a C
 * string: it ends at the first NUL). */
static void add_rules(struct rules *rs, const char *data, size_t len)
{
	const char *end = data + strnlen(data, len);
	int bom = 0;
	if (end - data >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
		data += 3;
		bom = 1;
	}
	while (data < end) {
		const char *nl = memchr(data, '\n', (size_t)(end - data));
		const char *e = nl ? nl : end;
		/* libgit2 also ends a pattern at a vertical tab or form feed */
		for (const char *q = data; q < e; q++)
			if (*q == '\v' || *q == '\f') {
				e = q;
				break;
			}
		add_rule(rs, data, e, bom, e == end);
		bom = 0;
		data = nl ? nl + 1 : end;
	}
}

static void add_match_all(struct rules *rs)
{
	add_rules(rs, "*", 1);
}

static struct rules_mark rules_mark(const struct rules *rs)
{
	struct rules_mark m = { rs->n, rs->ntoks, rs->nsets, rs->npath };
	return m;
}

static void rules_pop(struct rules *rs, struct rules_mark m)
{
	rs->n = m.n;
	rs->ntoks = m.ntoks;
	rs->nsets = m.nsets;
	rs->npath = m.npath;
}

static void rules_release(struct rules *rs)
{
	free(rs->v);
	free(rs->toks);
	free(rs->sets);
	memset(rs, 0, sizeof(*rs));
}

/* Glob where '*' matches any run of bytes, '?' any byte; linear with one
 * backtracking point, which is exact for this pattern language. */
static int glob_match(const struct rules *rs, const struct tok *p, size_t np,
		      const unsigned char *t, size_t nt)
{
	size_t pi = 0, ti = 0, star_p = (size_t)-1, star_t = 0;
	while (ti < nt) {
		if (pi < np) {
			const struct tok *k = &p[pi];
			if (k->type == T_STAR) {
				star_p = ++pi;
				star_t = ti;
				continue;
			}
			if (k->type == T_ANY ||
			    (k->type == T_LIT && k->ch == t[ti]) ||
			    (k->type == T_SET && (rs->sets[k->set][t[ti] >> 3] >> (t[ti] & 7) & 1))) {
				pi++;
				ti++;
				continue;
			}
		}
		if (star_p == (size_t)-1)
			return 0;
		pi = star_p;
		ti = ++star_t;
	}
	while (pi < np && p[pi].type == T_STAR)
		pi++;
	return pi == np;
}

/* Might any rule match the path rel (base name at rel + base)? */
static int rules_may_match(const struct rules *rs, const char *rel, size_t len, size_t base,
			   struct strbuf *scratch)
{
	const unsigned char *bn, *full = NULL;
	size_t nbn, nfull = 0;

	sb_reset(scratch);
	for (size_t i = base; i < len; i++)
		sb_addc(scratch, (char)lower((unsigned char)rel[i]));
	nbn = scratch->len;
	if (rs->npath) {
		for (size_t i = 0; i < len; i++)
			if (rel[i] != '/')
				sb_addc(scratch, (char)lower((unsigned char)rel[i]));
		nfull = scratch->len - nbn;
	}
	bn = (const unsigned char *)scratch->buf;
	if (rs->npath)
		full = bn + nbn;
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->v[i];
		const unsigned char *t = r->path ? full : bn;
		size_t nt = r->path ? nfull : nbn;
		if (r->last >= 0 && (!nt || t[nt - 1] != r->last))
			continue;
		if (glob_match(rs, rs->toks + r->tok, r->ntok, t, nt))
			return 1;
	}
	return 0;
}

/* ---- ignore files ------------------------------------------------------- */

enum { IGN_NONE, IGN_RULES, IGN_UNSAFE };

#define UNSAFE_WHY "is unsafe to read: libgit2 would hang or crash on it (a FIFO or " \
	"device, a vertical tab or form feed, or a pattern that is a lone '\\')"

/* Whether libgit2 1.5 would be left with an empty pattern by this line: a
 * negated one makes it pass NULL to wildmatch ("*" then "!\\" in a top-level
 * ignore file crashes it). Its own trimming (CRs at the start of a line, a
 * '!', a leading '/', one CR, unescaped trailing blanks, one trailing '/')
 * would leave a lone backslash, which unescaping then removes. Checked for
 * every line, negated or not, at any level: such a line means nothing. */
static int empty_pattern_line(const char *s, const char *e)
{
	while (s < e && *s == '\r')
		s++;
	if (s < e && *s == '!')
		s++;
	if (s < e && *s == '/')
		s++;
	if (e > s && e[-1] == '\r')
		e--;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t')) {
		const char *b = e - 1;
		while (b > s && b[-1] == '\\')
			b--;
		if ((e - 1 - b) % 2)
			break;   /* an escaped blank stays */
		e--;
	}
	if (e > s && e[-1] == '/')
		e--;
	return e - s == 1 && *s == '\\';
}

/* Whether libgit2 must not read this ignore file content (see UNSAFE_WHY). */
static int unsafe_content(const char *data, size_t len)
{
	const char *end = data + strnlen(data, len);
	if (memchr(data, '\v', (size_t)(end - data)) || memchr(data, '\f', (size_t)(end - data)))
		return 1;   /* a line starting with one makes libgit2 loop */
	while (data < end) {
		const char *nl = memchr(data, '\n', (size_t)(end - data));
		const char *e = nl ? nl : end;
		if (empty_pattern_line(data, e))
			return 1;
		data = nl ? nl + 1 : end;
	}
	return 0;
}

/* Read up to n bytes from fd (fewer at end of file or on an error). */
static size_t read_up_to(int fd, char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

/* Read the ignore file path (relative to dirfd) into rs the way libgit2 will
 * see it. IGN_UNSAFE when libgit2 must not read it: not a regular file (a
 * FIFO would block it), or content it would loop or crash on. */
static int load_ignore_file(struct rules *rs, int dirfd, const char *path)
{
	struct stat st;
	char *data;
	size_t got = 0;
	int fd, rc = IGN_RULES;

	if (fstatat(dirfd, path, &st, 0) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return IGN_NONE;
		add_match_all(rs);    /* libgit2 may see more than we do */
		return IGN_RULES;
	}
	if (S_ISDIR(st.st_mode))
		return IGN_NONE;      /* libgit2 reads it as absent */
	if (!S_ISREG(st.st_mode))
		return IGN_UNSAFE;
	if ((uint64_t)st.st_size > IGNORE_FILE_MAX) {
		add_match_all(rs);
		return IGN_RULES;
	}
	fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		add_match_all(rs);    /* libgit2 may manage where we did not */
		return IGN_RULES;
	}
	data = xmalloc((size_t)st.st_size + 1);
	got = read_up_to(fd, data, (size_t)st.st_size);
	if (got < (size_t)st.st_size) {
		/* short read or error: let libgit2 decide everything */
		add_match_all(rs);
	} else {
		if (unsafe_content(data, got))
			rc = IGN_UNSAFE;
		else
			add_rules(rs, data, got);
	}
	free(data);
	close(fd);
	return rc;
}

/* ---- libgit2 ------------------------------------------------------------ */

static const char *git_msg(void)
{
	const git_error *e = GIT(git_error_last)();
	return e && e->message ? e->message : "unknown error";
}

/* The excludes file libgit2 reads: core.excludesFile (a leading "~/" means
 * the home directory; a relative path is relative to the current directory,
 * as libgit2 has it), else "ignore" in the first XDG directory holding one.
 * NULL when there is none. */
static char *excludes_file_path(git_repository *repo)
{
	git_config *cfg = NULL;
	git_config_entry *ent = NULL;
	git_buf buf = GIT_BUF_INIT;
	char *path = NULL;

	if (GIT(git_repository_config_snapshot)(&cfg, repo) == 0 &&
	    GIT(git_config_get_entry)(&ent, cfg, "core.excludesfile") == 0) {
		const char *v = ent->value;
		if (v && v[0] == '~' && v[1] == '/') {
			if (GIT(git_config_get_path)(&buf, cfg, "core.excludesfile") == 0 && buf.ptr)
				path = xstrdup(buf.ptr);
		} else if (v) {
			path = xstrdup(v);
		}
		GIT(git_config_entry_free)(ent);
	} else if (GIT(git_libgit2_opts)(GIT_OPT_GET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, &buf) == 0 &&
		   buf.ptr) {
		const char *d = buf.ptr;
		while (*d && !path) {
			const char *colon = strchr(d, ':');
			size_t n = colon ? (size_t)(colon - d) : strlen(d);
			if (n) {
				char *cand = xasprintf("%.*s/ignore", (int)n, d);
				if (access(cand, F_OK) == 0)
					path = cand;
				else
					free(cand);
			}
			d += n + (colon != NULL);
		}
	}
	GIT(git_buf_dispose)(&buf);
	GIT(git_config_free)(cfg);
	gitlib_error_clear();
	return path;
}

/* ---- files libgit2 reads when opening a repository ----------------------- */

/* Whether path exists as something that would block a reader (a FIFO or a
 * device: libgit2 opens its files without O_NONBLOCK). */
static int would_block(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

/* The first line of a small regular file, or NULL. */
static char *read_first_line(const char *path)
{
	char buf[4096];
	ssize_t n;
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (n = read(fd, buf, sizeof(buf) - 1)) < 0) {
		close(fd);
		return NULL;
	}
	close(fd);
	buf[n] = 0;
	buf[strcspn(buf, "\r\n")] = 0;
	return xstrdup(buf);
}

/* p, or p relative to the directory base when it is not absolute. */
static char *resolve_in(const char *base, const char *p)
{
	return p[0] == '/' ? xstrdup(p) : xasprintf("%s/%s", base, p);
}

/* The first file a git config file reads (itself, or through include.path
 * and includeIf.*.path, whatever the condition) that would block, or NULL.
 * A plain line reader: values with escapes are not followed. */
static char *config_blocker(const char *cfg, int depth)
{
	char section[16] = "";
	char *data, *line, *dir, *slash, *save = NULL, *found = NULL;
	size_t len;

	if (would_block(cfg))
		return xstrdup(cfg);
	if (depth > 10 || read_file(cfg, &data, &len) < 0)
		return NULL;
	dir = xstrdup(cfg);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		strcpy(dir, ".");
	for (line = strtok_r(data, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		char *v, *e;
		size_t i = 0;
		line += strspn(line, " \t");
		if (*line == '[') {
			line++;
			while (i + 1 < sizeof(section) && line[i] && !strchr("] \t\".", line[i])) {
				section[i] = (char)lower((unsigned char)line[i]);
				i++;
			}
			section[i] = 0;
			continue;
		}
		if (strcmp(section, "include") && strcmp(section, "includeif"))
			continue;
		if (strncasecmp(line, "path", 4) || !strchr(" \t=", line[4]))
			continue;
		v = line + 4 + strspn(line + 4, " \t");
		if (*v++ != '=')
			continue;
		v += strspn(v, " \t");
		e = v + strcspn(v, ";#\r");
		while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e - v >= 2 && *v == '"' && e[-1] == '"')
			v++, e--;
		*e = 0;
		if (!*v || strchr(v, '\\') || strchr(v, '"'))
			continue;
		if (v[0] == '~' && v[1] == '/') {
			const char *home = getenv("HOME");
			char *p = xasprintf("%s/%s", home ? home : "", v + 2);
			found = config_blocker(p, depth + 1);
			free(p);
		} else {
			char *p = resolve_in(dir, v);
			found = config_blocker(p, depth + 1);
			free(p);
		}
	}
	free(dir);
	free(data);
	return found;
}

/* The first file libgit2 would block on while opening the repository at
 * root (a gitlink, commondir, the repository config and what it includes),
 * or NULL. */
static char *repo_blocker(const char *root, const char *dotgit)
{
	struct stat st;
	char *gitdir, *commondir = NULL, *p, *line, *found = NULL;
	const char *cfgs[] = { "config", "config.worktree" };

	if (would_block(dotgit))
		return xstrdup(dotgit);
	if (stat(dotgit, &st) < 0)
		return NULL;
	if (S_ISDIR(st.st_mode)) {
		gitdir = xstrdup(dotgit);
	} else {
		line = read_first_line(dotgit);
		if (!line || strncmp(line, "gitdir:", 7)) {
			free(line);
			return NULL;   /* libgit2 will say what is wrong */
		}
		gitdir = resolve_in(root, line + 7 + strspn(line + 7, " \t"));
		free(line);
	}
	p = xasprintf("%s/commondir", gitdir);
	if (would_block(p)) {
		found = p;
		p = NULL;
	} else if ((line = read_first_line(p))) {
		commondir = resolve_in(gitdir, line);
		free(line);
	}
	free(p);
	for (size_t i = 0; i < 2 && !found; i++) {
		p = xasprintf("%s/%s", gitdir, cfgs[i]);
		found = config_blocker(p, 0);
		free(p);
	}
	if (commondir && !found) {
		p = xasprintf("%s/config", commondir);
		found = config_blocker(p, 0);
		free(p);
	}
	free(commondir);
	free(gitdir);
	return found;
}

int scan_open_git(const char *root, git_repository **repo, struct strbuf *err)
{
	char *dotgit = xasprintf("%s/.git", strcmp(root, "/") ? root : "");
	char *path = NULL;
	const char *wd;
	size_t root_len = strcmp(root, "/") ? strlen(root) : 0;
	int rc = -1;

	*repo = NULL;
	if (gitlib_load(err) < 0)
		goto out;
	if ((path = repo_blocker(root, dotgit))) {
		sb_addf(err, "'%s' is a FIFO or a device, which would block reading the "
			"repository; remove it to use '%s'", path, root);
		goto out;
	}
	if (GIT(git_repository_open_ext)(repo, root, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		*repo = NULL;
		sb_addf(err, "cannot read the git repository '%s': %s; repair it, or remove "
			"'.git' to index without ignore rules", dotgit, git_msg());
		goto out;
	}
	/* Evaluate against this directory whatever core.worktree or core.bare
	 * say (nothing is written: no gitlink update). Only when it differs:
	 * libgit2 1.5 leaks a buffer when setting the same one. */
	wd = GIT(git_repository_workdir)(*repo);
	if ((!wd || strncmp(wd, root, root_len) || strcmp(wd + root_len, "/")) &&
	    GIT(git_repository_set_workdir)(*repo, root, 0) < 0) {
		sb_addf(err, "cannot use '%s' as the work tree of its repository: %s",
			root, git_msg());
		goto out;
	}
	rc = 0;
out:
	gitlib_error_clear();
	free(path);
	free(dotgit);
	if (rc < 0 && *repo) {
		GIT(git_repository_free)(*repo);
		*repo = NULL;
	}
	return rc;
}

/* $XDG_CONFIG_HOME/git/ignore, else ~/.config/git/ignore: where git and
 * libgit2 look when core.excludesFile is not set (NULL: no home at all). */
static char *xdg_ignore_path(void)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *h = getenv("HOME");
	if (x && *x)
		return xasprintf("%s/git/ignore", x);
	return h && *h ? xasprintf("%s/.config/git/ignore", h) : NULL;
}

/* Could the config file at path set core.excludesFile or pull in another
 * file? Anything we cannot read plainly (a FIFO, a device, huge, an error)
 * counts as yes: libgit2 then opens it, behind the usual checks. */
static int config_file_may(const char *path)
{
	struct stat st;
	char *data;
	size_t got = 0;
	int fd, may = 1;
	if (stat(path, &st) < 0)
		return errno != ENOENT && errno != ENOTDIR;
	if (!S_ISREG(st.st_mode) || st.st_size > (1 << 20))
		return 1;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	data = xmalloc((size_t)st.st_size + 1);
	got = read_up_to(fd, data, (size_t)st.st_size);
	close(fd);
	if (got == (size_t)st.st_size) {
		data[got] = 0;
		for (size_t i = 0; i < got; i++)
			data[i] = (char)lower((unsigned char)data[i]);
		may = memchr(data, 0, got) || strstr(data, "excludesfile") || strstr(data, "include");
	}
	free(data);
	return may;
}

/* Must libgit2 read the configuration to know the excludes file? Not when
 * none of the files it reads (the repository's, the global and XDG ones,
 * /etc/gitconfig) mentions core.excludesFile or includes another file. */
static int config_may_name_excludes(const char *dotgit)
{
	const char *h = getenv("HOME"), *x = getenv("XDG_CONFIG_HOME");
	char *files[4];
	int n = 0, may = 0;
	files[n++] = xasprintf("%s/config", dotgit);
	if (h && *h)
		files[n++] = xasprintf("%s/.gitconfig", h);
	if (x && *x)
		files[n++] = xasprintf("%s/git/config", x);
	else if (h && *h)
		files[n++] = xasprintf("%s/.config/git/config", h);
	files[n++] = xstrdup("/etc/gitconfig");
	for (int i = 0; i < n; i++) {
		may = may || config_file_may(files[i]);
		free(files[i]);
	}
	return may;
}

/* libgit2's rules for every path: its built-in ones, $GIT_DIR/info/exclude
 * (info: the info directory with its trailing '/', or dotgit; NULL: none),
 * then the excludes file (excludes, taken over: NULL for the XDG default). */
static int load_global_rules(const char *root, const char *info, char *excludes,
			     struct rules *rs, struct strbuf *err)
{
	char *path = NULL;
	int rc = -1;
	add_rules(rs, ".\n..\n.git\n", 11);
	if (info) {
		size_t n = strlen(info);
		path = n && info[n - 1] == '/' ? xasprintf("%sexclude", info) :
		       xasprintf("%s/info/exclude", info);
		if (load_ignore_file(rs, AT_FDCWD, path) == IGN_UNSAFE) {
			sb_addf(err, "'%s' " UNSAFE_WHY "; remove or fix it to index '%s'", path, root);
			goto out;
		}
		free(path);
		path = NULL;
	}
	if (!excludes)
		excludes = xdg_ignore_path();
	if (excludes && *excludes && load_ignore_file(rs, AT_FDCWD, excludes) == IGN_UNSAFE) {
		sb_addf(err, "the excludes file '%s' " UNSAFE_WHY "; fix it or "
			"core.excludesFile to index '%s'", excludes, root);
		goto out;
	}
	rc = 0;
out:
	free(path);
	free(excludes);
	return rc;
}

/* Open the repository whose work tree is root, when root holds ".git", and
 * load the rules libgit2 applies everywhere into rs. *repo stays NULL for a
 * plain directory. */
static int open_repo(const char *root, int *git, git_repository **repo, struct rules *rs,
		     struct strbuf *err)
{
	struct stat st;
	git_buf info = GIT_BUF_INIT;
	char *dotgit = xasprintf("%s/.git", strcmp(root, "/") ? root : "");
	char *path = NULL;
	int rc = -1;

	*repo = NULL;
	*git = 0;
	if (lstat(dotgit, &st) < 0) {
		free(dotgit);
		return 0;
	}
	*git = 1;
	if (S_ISDIR(st.st_mode) && !config_may_name_excludes(dotgit)) {
		/* The rules that apply everywhere can be read without libgit2:
		 * open it only when a path needs its answer (starting it costs
		 * more than walking a large tree's rules). */
		rc = load_global_rules(root, dotgit, NULL, rs, err);
		free(dotgit);
		return rc;
	}
	if (scan_open_git(root, repo, err) < 0)
		goto out;
	if (GIT(git_repository_item_path)(&info, *repo, GIT_REPOSITORY_ITEM_INFO) == 0 && info.ptr)
		path = xstrdup(info.ptr);
	if (load_global_rules(root, path, excludes_file_path(*repo), rs, err) < 0)
		goto out;
	rc = 0;
out:
	gitlib_error_clear();
	if (info.ptr)
		GIT(git_buf_dispose)(&info);
	free(path);
	free(dotgit);
	if (rc < 0 && *repo) {
		GIT(git_repository_free)(*repo);
		*repo = NULL;
	}
	return rc;
}

/* ---- the walk ----------------------------------------------------------- */

struct walk {
	struct scan_result *out;
	int git;                 /* the root is a git repository: ignore rules apply */
	git_repository *repo;    /* opened eagerly, or on the first question for it */
	struct strbuf git_err;   /* why opening it late failed (the scan then fails) */
	/* (when the global rules are readable without libgit2 it is opened
	 * on the first question only: see open_repo) */
	int no_prefilter;        /* ask libgit2 about every path */
	struct rules rules;      /* the prefilter's view of the rules in force */
	uint64_t max_size;
	const char *root;        /* canonical */
	size_t root_len;
	struct strbuf path;      /* absolute path of the current entry */
	size_t rel_off;          /* where the root-relative part starts in path */
	struct strbuf probe;     /* "rel/" for directory ignore queries */
	struct strbuf scratch;
	int threads;             /* walkers for the root's subdirectories (scan_tree) */
};

struct dent {
	size_t name;             /* offset in the directory's name arena */
	unsigned char type;      /* DT_* */
};

static const char *rel_path(const struct walk *w)
{
	return w->path.len > w->rel_off ? w->path.buf + w->rel_off : "";
}

static void add_skip(struct walk *w, const char *rel, int reason)
{
	struct scan_result *r = w->out;
	ARRAY_GROW(r->skips, r->skips_cap, r->nskips + 1);
	r->skips[r->nskips].path = xstrdup(rel);
	r->skips[r->nskips].reason = reason;
	r->nskips++;
}

static void add_dir(struct walk *w, const char *rel)
{
	struct scan_result *r = w->out;
	ARRAY_GROW(r->dirs, r->dirs_cap, r->ndirs + 1);
	r->dirs[r->ndirs++] = xstrdup(rel);
}

static void add_file(struct walk *w, const char *rel, int lang, const struct stat *st)
{
	struct scan_result *r = w->out;
	struct scan_file *f;
	ARRAY_GROW(r->files, r->files_cap, r->nfiles + 1);
	f = &r->files[r->nfiles++];
	f->path = xstrdup(rel);
	f->lang = lang;
	f->size = (uint64_t)st->st_size;
	f->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	f->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
	f->inode = (uint64_t)st->st_ino;
}

/* Whether lang_for_path would look at the head: no extension in the base
 * name (a leading dot does not start one). */
static int has_extension(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot && dot != name;
}

/* Language of a regular file with no extension, from its shebang; -1 when it
 * has none or cannot be read. Never blocks: the caller saw a regular file,
 * and O_NONBLOCK covers a FIFO swapped in since. */
static int lang_from_head(int dirfd, const char *name, const char *lang_path)
{
	char head[HEAD_BYTES];
	size_t got = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (got < sizeof(head)) {
		ssize_t n = read(fd, head + got, sizeof(head) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	return got ? lang_for_path(lang_path, head, got) : -1;
}

/* Is the current entry (w->path) ignored? base: offset of its name in the
 * relative path. */
static int is_ignored(struct walk *w, size_t base, int dir)
{
	const char *rel = rel_path(w);
	size_t len = strlen(rel);
	int ignored = 0;

	if (!w->git)
		return 0;
	if (!w->no_prefilter && !rules_may_match(&w->rules, rel, len, base, &w->scratch))
		return 0;
	if (!w->repo && (w->git_err.len || scan_open_git(w->root, &w->repo, &w->git_err) < 0))
		return 0;   /* walk_end reports git_err */
	if (dir) {
		sb_reset(&w->probe);
		sb_add(&w->probe, rel, len);
		sb_addc(&w->probe, '/');   /* so that "build/" patterns apply */
		rel = w->probe.buf;
	}
	if (GIT(git_ignore_path_is_ignored)(&ignored, w->repo, rel) < 0) {
		/* e.g. a path libgit2 finds too long: keep it */
		gitlib_error_clear();
		return 0;
	}
	return ignored;
}

static int inside_root(const struct walk *w, const char *resolved)
{
	if (w->root_len == 1)   /* the root is "/" */
		return 1;
	return !strncmp(resolved, w->root, w->root_len) &&
	       (resolved[w->root_len] == '/' || resolved[w->root_len] == 0);
}

/* A symlink, known not to be ignored. lang is its language by name, or -1
 * (then only a shebang in a target inside the root makes it a source). */
static void visit_symlink(struct walk *w, int lang)
{
	const char *rel = rel_path(w);
	char *resolved = realpath(w->path.buf, NULL);
	struct stat st;

	if (!resolved) {
		/* dangling, a loop, or a component we may not search */
		if (lang >= 0)
			add_skip(w, rel, errno == EACCES ? SKIP_UNREADABLE : SKIP_SYMLINK_OUTSIDE);
		return;
	}
	if (stat(resolved, &st) < 0) {
		if (lang >= 0)
			add_skip(w, rel, SKIP_UNREADABLE);
	} else if (!inside_root(w, resolved)) {
		/* never read: a target outside the root is not ours to open */
		if (lang >= 0 || S_ISDIR(st.st_mode))
			add_skip(w, rel, SKIP_SYMLINK_OUTSIDE);
	} else if (S_ISDIR(st.st_mode)) {
		/* inside the root: its files are listed under their own paths */
	} else if (!S_ISREG(st.st_mode)) {
		if (lang >= 0)
			add_skip(w, rel, SKIP_UNREADABLE);   /* FIFO, device, socket */
	} else {
		if (lang < 0)
			lang = lang_from_head(AT_FDCWD, resolved, rel);
		if (lang < 0)
			;
		else if ((uint64_t)st.st_size > w->max_size)
			add_skip(w, rel, SKIP_TOO_LARGE);
		else
			add_file(w, rel, lang, &st);
	}
	free(resolved);
}

/* One entry of a directory being walked (w->path is its absolute path). */
static void visit_entry(struct walk *w, int dirfd, const char *name, unsigned char type,
			size_t base, int *is_dir)
{
	struct stat st;
	int lang;

	*is_dir = 0;
	if (type == DT_UNKNOWN) {
		if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (lang_for_path(name, NULL, 0) >= 0)
				add_skip(w, rel_path(w), SKIP_UNREADABLE);
			return;
		}
		type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG :
		       S_ISLNK(st.st_mode) ? DT_LNK : DT_FIFO;
	}
	if (type == DT_DIR) {
		*is_dir = !is_ignored(w, base, 1);
		return;
	}
	lang = lang_for_path(name, NULL, 0);
	if (type == DT_LNK) {
		/* resolved whatever its name: it may be a directory pointing
		 * outside the root */
		if (!is_ignored(w, base, 0))
			visit_symlink(w, lang);
		return;
	}
	if (lang < 0 && (type != DT_REG || has_extension(name)))
		return;   /* not a source file by its name */
	if (is_ignored(w, base, 0))
		return;
	if (type != DT_REG) {
		add_skip(w, rel_path(w), SKIP_UNREADABLE);   /* FIFO, device, socket */
		return;
	}
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) {
		/* vanished or replaced since readdir */
		if (lang >= 0)
			add_skip(w, rel_path(w), SKIP_UNREADABLE);
		return;
	}
	if (lang < 0 && (lang = lang_from_head(dirfd, name, name)) < 0)
		return;
	if ((uint64_t)st.st_size > w->max_size)
		add_skip(w, rel_path(w), SKIP_TOO_LARGE);
	else
		add_file(w, rel_path(w), lang, &st);
}

static int walk_dir(struct walk *w, int is_root, struct strbuf *err);

/* The root's subdirectories walked by w->threads threads, each taking the
 * next one from a shared counter: the walk is mostly stat system calls,
 * which run in parallel. Each thread has its own copy of the rules in force
 * at the root, its own libgit2 repository (opened when a rule needs it) and
 * its own result, appended to w->out at the end (scan results are sorted
 * afterwards, so the order of the appends does not matter). */
struct par_walk {
	pthread_mutex_t lock;        /* guards next */
	size_t next;
	size_t nsub;
	const char *names;
	const struct dent *ents;
	size_t base_len;             /* of the paths: root + "/" */
};

struct par_worker {
	pthread_t tid;
	struct par_walk *pw;
	struct walk w;
	struct scan_result out;
	struct strbuf err;
};

static void par_loop(struct par_walk *pw, struct walk *w, struct strbuf *err)
{
	for (;;) {
		size_t i;
		pthread_mutex_lock(&pw->lock);
		i = pw->next++;
		pthread_mutex_unlock(&pw->lock);
		if (i >= pw->nsub)
			return;
		w->path.len = pw->base_len;
		sb_adds(&w->path, pw->names + pw->ents[i].name);
		walk_dir(w, 0, err);
	}
}

static void *par_main(void *arg)
{
	struct par_worker *pk = arg;
	par_loop(pk->pw, &pk->w, &pk->err);
	return NULL;
}

static void rules_copy(struct rules *dst, const struct rules *src)
{
	memset(dst, 0, sizeof(*dst));
	ARRAY_GROW(dst->v, dst->cap, src->n ? src->n : 1);
	ARRAY_GROW(dst->toks, dst->toks_cap, src->ntoks ? src->ntoks : 1);
	ARRAY_GROW(dst->sets, dst->sets_cap, src->nsets ? src->nsets : 1);
	if (src->n)
		memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	if (src->ntoks)
		memcpy(dst->toks, src->toks, src->ntoks * sizeof(*src->toks));
	if (src->nsets)
		memcpy(dst->sets, src->sets, src->nsets * sizeof(*src->sets));
	dst->n = src->n;
	dst->ntoks = src->ntoks;
	dst->nsets = src->nsets;
	dst->npath = src->npath;
	dst->rule_start = src->rule_start;
}

static void append_result(struct scan_result *to, struct scan_result *from)
{
	ARRAY_GROW(to->files, to->files_cap, to->nfiles + from->nfiles);
	if (from->nfiles)
		memcpy(to->files + to->nfiles, from->files, from->nfiles * sizeof(*from->files));
	to->nfiles += from->nfiles;
	ARRAY_GROW(to->skips, to->skips_cap, to->nskips + from->nskips);
	if (from->nskips)
		memcpy(to->skips + to->nskips, from->skips, from->nskips * sizeof(*from->skips));
	to->nskips += from->nskips;
	ARRAY_GROW(to->dirs, to->dirs_cap, to->ndirs + from->ndirs);
	if (from->ndirs)
		memcpy(to->dirs + to->ndirs, from->dirs, from->ndirs * sizeof(*from->dirs));
	to->ndirs += from->ndirs;
	free(from->files);
	free(from->skips);
	free(from->dirs);
	memset(from, 0, sizeof(*from));
}

static void walk_parallel(struct walk *w, const char *names, const struct dent *ents,
			  size_t nsub, size_t base_len)
{
	struct par_walk pw = { .nsub = nsub, .names = names, .ents = ents, .base_len = base_len };
	int nt = w->threads - 1;
	struct par_worker *pk = xcalloc((size_t)nt, sizeof(*pk));
	struct strbuf err = STRBUF_INIT;
	int started = 0;
	if (pthread_mutex_init(&pw.lock, NULL))
		die(3, "cannot create the scan lock");
	for (int t = 0; t < nt; t++) {
		struct walk *c = &pk[t].w;
		*c = *w;   /* settings and the root; then its own state */
		c->out = &pk[t].out;
		c->repo = NULL;
		memset(&c->git_err, 0, sizeof(c->git_err));
		memset(&c->probe, 0, sizeof(c->probe));
		memset(&c->scratch, 0, sizeof(c->scratch));
		memset(&c->path, 0, sizeof(c->path));
		sb_add(&c->path, w->path.buf, base_len);
		rules_copy(&c->rules, &w->rules);
		pk[t].pw = &pw;
		if (pthread_create(&pk[t].tid, NULL, par_main, &pk[t]))
			break;   /* fewer threads: the others share the work */
		started++;
	}
	par_loop(&pw, w, &err);
	for (int t = 0; t < nt; t++) {
		struct walk *c = &pk[t].w;
		if (t < started)
			pthread_join(pk[t].tid, NULL);
		append_result(w->out, &pk[t].out);
		if (c->git_err.len && !w->git_err.len)
			sb_add(&w->git_err, c->git_err.buf, c->git_err.len);
		if (c->repo)
			GIT(git_repository_free)(c->repo);
		sb_release(&c->git_err);
		sb_release(&c->probe);
		sb_release(&c->scratch);
		sb_release(&c->path);
		rules_release(&c->rules);
		sb_release(&pk[t].err);
	}
	pthread_mutex_destroy(&pw.lock);
	sb_release(&err);
	free(pk);
}

/* Walk the directory at w->path. Its subdirectories are walked after it is
 * closed, so that one directory is open at a time whatever the depth. */
static int walk_dir(struct walk *w, int is_root, struct strbuf *err)
{
	struct strbuf names = STRBUF_INIT;
	struct dent *ents = NULL;
	size_t nents = 0, ents_cap = 0, nsub = 0, base_len, base;
	struct rules_mark mark = rules_mark(&w->rules);
	int slash, fd, rc = 0;
	DIR *d;
	struct dirent *de;

	fd = open(w->path.buf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (is_root) {
			sb_addf(err, "cannot open '%s': %s", w->root, strerror(errno));
			rc = -1;
		} else {
			add_skip(w, rel_path(w), SKIP_UNREADABLE);
		}
		if (fd >= 0)
			close(fd);
		return rc;
	}
	while ((errno = 0, de = readdir(d))) {
		const char *n = de->d_name;
		if (!strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, ".git"))
			continue;
		ARRAY_GROW(ents, ents_cap, nents + 1);
		ents[nents].name = names.len;
		ents[nents].type = de->d_type;
		nents++;
		sb_add(&names, n, strlen(n) + 1);
	}
	if (errno && !is_root)
		add_skip(w, rel_path(w), SKIP_UNREADABLE);   /* listing cut short */

	if (w->git) {
		for (size_t i = 0; i < nents; i++) {
			if (strcmp(names.buf + ents[i].name, ".gitignore"))
				continue;
			if (load_ignore_file(&w->rules, fd, ".gitignore") != IGN_UNSAFE)
				break;
			if (is_root) {
				sb_addf(err, "'%s/.gitignore' " UNSAFE_WHY "; remove or fix "
					"it to index '%s'", w->root, w->root);
				rc = -1;
			} else {
				add_skip(w, rel_path(w), SKIP_UNREADABLE);
			}
			goto out;
		}
	}

	add_dir(w, rel_path(w));
	slash = w->path.buf[w->path.len - 1] != '/';   /* not after the root "/" */
	if (slash)
		sb_addc(&w->path, '/');
	base_len = w->path.len;
	base = base_len > w->rel_off ? base_len - w->rel_off : 0;
	for (size_t i = 0; i < nents; i++) {
		int is_dir;
		w->path.len = base_len;
		sb_adds(&w->path, names.buf + ents[i].name);
		visit_entry(w, fd, names.buf + ents[i].name, ents[i].type, base, &is_dir);
		if (is_dir)
			ents[nsub++] = ents[i];   /* keep the directories, in place */
	}
	closedir(d);
	d = NULL;

	if (is_root && w->threads > 1 && nsub > 1) {
		walk_parallel(w, names.buf, ents, nsub, base_len);
	} else {
		for (size_t i = 0; i < nsub; i++) {
			w->path.len = base_len;
			sb_adds(&w->path, names.buf + ents[i].name);
			walk_dir(w, 0, err);
		}
	}
	w->path.len = base_len - (size_t)slash;
	w->path.buf[w->path.len] = 0;
out:
	if (d)
		closedir(d);
	rules_pop(&w->rules, mark);
	free(ents);
	sb_release(&names);
	return rc;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct scan_file *)a)->path, ((const struct scan_file *)b)->path);
}

static int cmp_skip(const void *a, const void *b)
{
	return strcmp(((const struct scan_skip *)a)->path, ((const struct scan_skip *)b)->path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the result; with dedup (scan_paths, where the given paths may
 * overlap) drop repeated paths. */
static void finish_result(struct scan_result *r, int dedup)
{
	size_t n;
	if (r->nfiles)
		qsort(r->files, r->nfiles, sizeof(*r->files), cmp_file);
	if (r->nskips)
		qsort(r->skips, r->nskips, sizeof(*r->skips), cmp_skip);
	if (r->ndirs)
		qsort(r->dirs, r->ndirs, sizeof(*r->dirs), cmp_str);
	if (!dedup)
		return;
	for (size_t i = n = 0; i < r->nfiles; i++) {
		if (n && !strcmp(r->files[n - 1].path, r->files[i].path))
			free(r->files[i].path);
		else
			r->files[n++] = r->files[i];
	}
	r->nfiles = n;
	for (size_t i = n = 0; i < r->nskips; i++) {
		if (n && !strcmp(r->skips[n - 1].path, r->skips[i].path))
			free(r->skips[i].path);
		else
			r->skips[n++] = r->skips[i];
	}
	r->nskips = n;
	for (size_t i = n = 0; i < r->ndirs; i++) {
		if (n && !strcmp(r->dirs[n - 1], r->dirs[i]))
			free(r->dirs[i]);
		else
			r->dirs[n++] = r->dirs[i];
	}
	r->ndirs = n;
}

/* Set up w for a scan of root: canonical root, repository, global rules.
 * out is overwritten (not released first). */
static int walk_begin(struct walk *w, const char *root, const struct scan_opts *opts,
		      struct scan_result *out, struct strbuf *err)
{
	const char *env = getenv("CIDX_SCAN_NO_PREFILTER");
	struct stat st;
	char *canon;

	memset(out, 0, sizeof(*out));
	memset(w, 0, sizeof(*w));
	canon = realpath(root, NULL);
	if (!canon) {
		sb_addf(err, "cannot open '%s': %s", root, strerror(errno));
		return -1;
	}
	if (stat(canon, &st) < 0 || !S_ISDIR(st.st_mode)) {
		sb_addf(err, "'%s' is not a directory; give the directory to index", root);
		free(canon);
		return -1;
	}
	w->out = out;
	w->no_prefilter = env && *env && strcmp(env, "0");
	w->max_size = opts && opts->max_size ? opts->max_size : SCAN_DEFAULT_MAX_SIZE;
	w->root = canon;
	w->root_len = strlen(canon);
	if (open_repo(canon, &w->git, &w->repo, &w->rules, err) < 0) {
		rules_release(&w->rules);
		free(canon);
		w->root = NULL;
		return -1;
	}
	/* path is the root, then root + "/" + rel below it ("/" + rel for "/") */
	sb_adds(&w->path, canon);
	w->rel_off = w->root_len == 1 ? 1 : w->root_len + 1;
	return 0;
}

/* Release w; on failure leave out empty, else sort it. */
static int walk_end(struct walk *w, int rc, int dedup, struct strbuf *err)
{
	if (rc == 0 && w->git_err.len) {
		sb_add(err, w->git_err.buf, w->git_err.len);
		rc = -1;
	}
	sb_release(&w->git_err);
	if (w->repo)
		GIT(git_repository_free)(w->repo);
	rules_release(&w->rules);
	sb_release(&w->path);
	sb_release(&w->probe);
	sb_release(&w->scratch);
	free((char *)w->root);
	if (rc < 0) {
		scan_result_release(w->out);
		return -1;
	}
	finish_result(w->out, dedup);
	return 0;
}

int scan_tree(const char *root, const struct scan_opts *opts, struct scan_result *out,
	      struct strbuf *err)
{
	struct walk w;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (walk_begin(&w, root, opts, out, err) < 0)
		return -1;
	w.threads = cpus >= 2 ? 2 : 1;
	return walk_end(&w, walk_dir(&w, 1, err), 0, err);
}

/* The root-relative form of path p in rel ('/'-separated, no "." or empty
 * components, no trailing '/'; "" for the root). An absolute p must lie
 * under the root. -1 for ".." or a path outside the root. */
static int normalise_rel(const struct walk *w, const char *p, struct strbuf *rel)
{
	sb_reset(rel);
	sb_adds(rel, "");
	if (p[0] == '/') {
		if (w->root_len > 1 && (strncmp(p, w->root, w->root_len) ||
					(p[w->root_len] && p[w->root_len] != '/')))
			return -1;
		p += w->root_len > 1 ? w->root_len : 0;
	}
	while (*p) {
		size_t n = strcspn(p, "/");
		if (n == 2 && !strncmp(p, "..", 2))
			return -1;
		if (n && !(n == 1 && *p == '.')) {
			if (rel->len)
				sb_addc(rel, '/');
			sb_add(rel, p, n);
		}
		p += n + (p[n] == '/');
	}
	return 0;
}

/* scan_paths for one root-relative path: walk down from the root the way
 * walk_dir would (ancestor .gitignore files loaded, ignored or symlinked
 * ancestors and .git leave the path out), then visit or walk the path. */
static int scan_one(struct walk *w, const char *rel, struct strbuf *err)
{
	struct rules_mark mark = rules_mark(&w->rules);
	size_t base_len, base;
	int fd, rc = 0, is_dir, at_root = 1;
	struct stat st;

	w->path.len = w->rel_off - (w->root_len == 1 ? 0 : 1);
	w->path.buf[w->path.len] = 0;
	if (!*rel)
		return walk_dir(w, 1, err);
	fd = open(w->path.buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		sb_addf(err, "cannot open '%s': %s", w->root, strerror(errno));
		return -1;
	}
	for (;;) {
		const char *slash = strchr(rel, '/');
		size_t n = slash ? (size_t)(slash - rel) : strlen(rel);
		char name[NAME_MAX + 1];
		int sub;

		/* fd is the directory w->path; load its rules */
		if (w->git && load_ignore_file(&w->rules, fd, ".gitignore") == IGN_UNSAFE) {
			if (at_root) {
				sb_addf(err, "'%s/.gitignore' " UNSAFE_WHY "; remove or fix "
					"it to index '%s'", w->root, w->root);
				rc = -1;
			} else {
				add_skip(w, rel_path(w), SKIP_UNREADABLE);
			}
			break;
		}
		if (n > NAME_MAX || (n == 4 && !strncmp(rel, ".git", 4)))
			break;   /* not a name, or inside .git: left out */
		memcpy(name, rel, n);
		name[n] = 0;
		if (w->path.buf[w->path.len - 1] != '/')
			sb_addc(&w->path, '/');
		base_len = w->path.len;
		base = base_len - w->rel_off;
		sb_adds(&w->path, name);
		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			break;   /* gone */
		if (!slash) {
			/* the path itself */
			if (S_ISDIR(st.st_mode)) {
				if (!is_ignored(w, base, 1))
					walk_dir(w, 0, err);
			} else {
				visit_entry(w, fd, name, S_ISREG(st.st_mode) ? DT_REG :
					    S_ISLNK(st.st_mode) ? DT_LNK : DT_FIFO, base, &is_dir);
			}
			break;
		}
		/* an ancestor: a real, not ignored directory, or the path is out */
		if (!S_ISDIR(st.st_mode) || is_ignored(w, base, 1))
			break;
		sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			add_skip(w, rel_path(w), SKIP_UNREADABLE);
			break;
		}
		close(fd);
		fd = sub;
		at_root = 0;
		rel = slash + 1;
	}
	close(fd);
	rules_pop(&w->rules, mark);
	return rc;
}

int scan_paths(const char *root, const char *const *paths, size_t npaths,
	       const struct scan_opts *opts, struct scan_result *out, struct strbuf *err)
{
	struct walk w;
	struct strbuf rel = STRBUF_INIT;
	int rc = 0;

	if (walk_begin(&w, root, opts, out, err) < 0)
		return -1;
	for (size_t i = 0; i < npaths && rc == 0; i++) {
		if (normalise_rel(&w, paths[i], &rel) < 0) {
			sb_addf(err, "'%s' is not a path inside '%s'; give paths relative to "
				"the root", paths[i], w.root);
			rc = -1;
			break;
		}
		rc = scan_one(&w, rel.buf, err);
	}
	sb_release(&rel);
	return walk_end(&w, rc, 1, err);
}

void scan_result_release(struct scan_result *r)
{
	for (size_t i = 0; i < r->nfiles; i++)
		free(r->files[i].path);
	for (size_t i = 0; i < r->nskips; i++)
		free(r->skips[i].path);
	for (size_t i = 0; i < r->ndirs; i++)
		free(r->dirs[i]);
	free(r->files);
	free(r->skips);
	free(r->dirs);
	memset(r, 0, sizeof(*r));
}

/* ---- the root ----------------------------------------------------------- */

int scan_find_root(const char *start, char **root, struct strbuf *err)
{
	struct stat st;
	struct strbuf probe = STRBUF_INIT;
	char *dir = realpath(start, NULL);
	size_t len;

	*root = NULL;
	if (!dir || stat(dir, &st) < 0) {
		sb_addf(err, "cannot open '%s': %s", start, strerror(errno));
		free(dir);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		sb_addf(err, "'%s' is not a directory; give the directory to index", start);
		free(dir);
		return -1;
	}
	len = strlen(dir);
	for (;;) {
		sb_reset(&probe);
		sb_add(&probe, dir, len == 1 ? 0 : len);   /* "/" + ".git" at the top */
		sb_adds(&probe, "/.git");
		if (lstat(probe.buf, &st) == 0) {
			*root = xstrndup(dir, len);
			break;
		}
		if (len == 1)
			break;
		while (len > 1 && dir[len - 1] != '/')
			len--;
		if (len > 1)
			len--;   /* drop the '/' unless it is the top */
	}
	sb_release(&probe);
	if (!*root)
		*root = xstrdup(dir);
	free(dir);
	return 0;
}
