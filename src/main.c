/* main.c — the `cidx` command line: index, query, search, stats, dump, extract.
 * Output formats here are relied on by tests, scripts and editors. */
#include "callsites.h"
#include "cli.h"
#include "extract.h"
#include "fp.h"
#include "grep.h"
#include "indexer.h"
#include "query.h"
#include "scan.h"
#include "search.h"
#include "store.h"
#include "util.h"
#include "watch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CIDX_VERSION "0.1.0"

static const char usage_text[] =
	"usage: cidx <command> [options]\n"
	"\n"
	"commands:\n"
	"  index [DIR] [--jobs N] [--max-size BYTES]   build or refresh the index of DIR's repository\n"
	"  query def NAME [--json]        where NAME is defined\n"
	"  query callers NAME [--json]    every call site of NAME, with how it was resolved\n"
	"  query callees NAME [--json]    every call made by NAME\n"
	"  search QUERY [--limit N] [--json]   fuzzy symbol search, best first (N: 20);\n"
	"                                 terms AND-ed: abc 'abc ^abc abc$ !abc k:KIND f:PATH l:LANG;\n"
	"                                 --json: {\"query\",\"total\",\"results\":[{name,qualified,\n"
	"                                 kind,file,line,score,positions}]} (positions: byte\n"
	"                                 offsets of the matched characters in qualified)\n"
	"  impact NAME [--depth N|all] [--strict] [--tests GLOB]... [--json]\n"
	"                                 what calls NAME, transitively, hop by hop (depth 3):\n"
	"                                 each caller with the edge's resolution, files, tests;\n"
	"                                 uncertain: reached through a name-only, ambiguous or\n"
	"                                 unresolved edge; --strict: resolved edges only\n"
	"  path FROM TO [--json]          the shortest call paths from FROM to TO\n"
	"  cycles [--json]                call cycles (recursion included), largest first\n"
	"  hotspots [--top N] [--json]    definitions and files by fan-in and fan-out (N: 20)\n"
	"  edges [--json]                 every call site with its resolution and targets:\n"
	"                                 FILE:LINE:COL CALLER -> CALLEE LABEL QNAME@FILE:LINE...\n"
	"  dups [--near] [--threshold T] [--min-tokens N] [--json]\n"
	"                                 duplicated code: equal files, equal definitions of\n"
	"                                 at least N tokens (30); --near: also near-duplicate\n"
	"                                 clusters, estimated similarity at least T (0.85)\n"
	"  watch [DIR]                    index, then keep the index current as files change;\n"
	"                                 one JSON line per committed batch:\n"
	"                                 {\"changed\":[...],\"removed\":[...],\"ms\":N}\n"
	"  grep PATTERN [-i] [--lang L] [--json] [--jobs N]\n"
	"                                 PCRE2 search of the indexed files, by path and line:\n"
	"                                 PATH:LINE:COL: SYMBOL: TEXT, where COL is the first\n"
	"                                 match's byte column, SYMBOL the innermost enclosing\n"
	"                                 definition or <file scope>, TEXT the line (leading\n"
	"                                 blanks trimmed, \"...\" where a long line is cut);\n"
	"                                 --json: one object per line, {file, line, col, text,\n"
	"                                 symbol, symbol_kind, matches: [[start,end],...] (bytes\n"
	"                                 of text), clipped}; exit 0 found, 1 none, 2 error;\n"
	"                                 matches in colour on a terminal unless NO_COLOR is set\n"
	"  stats [--json]                 what the index holds and how the last run went\n"
	"  dump                           canonical text dump of the whole index\n"
	"  extract FILE...                print what extraction finds in files (no index)\n"
	"  version                        print the version\n"
	"\n"
	"options for every command:\n"
	"  --db PATH    use this index file instead of the one in the cache directory\n"
	"               (${CIDX_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/cidx}/repos/...)\n"
	"\n"
	"Commands find the repository from the current directory (or DIR): the nearest\n"
	"ancestor holding .git. Paths in output are relative to that root.\n";

_Noreturn void usage_error(const char *fmt, const char *arg)
{
	fputs("cidx: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n\n", stderr);
	fputs(usage_text, stderr);
	exit(2);
}


uint64_t parse_number(const char *opt, const char *v)
{
	char *end;
	unsigned long long n;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-')
		usage_error("%s takes a whole number", opt);
	return n;
}

/* Options may come anywhere after the command. */
void parse_args(struct cli *c, int argc, char **argv, int allow_jobs)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if (!strcmp(a, "--")) {
			for (i++; i < argc; i++) {
				if (c->nargs == 8)
					usage_error("too many arguments: '%s'", argv[i]);
				c->args[c->nargs++] = argv[i];
			}
			break;
		}
		if (a[0] != '-' || !a[1]) {
			if (c->nargs == 8)
				usage_error("too many arguments: '%s'", a);
			c->args[c->nargs++] = a;
			continue;
		}
		if (!strcmp(a, "--json")) {
			c->json = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			exit(0);
		}
#define TAKE(opt) (!strncmp(a, opt "=", sizeof(opt)) ? (val = a + sizeof(opt)) : \
		   !strcmp(a, opt) ? (i + 1 < argc ? (val = argv[++i]) : \
				      (usage_error("%s needs a value", opt), NULL)) : NULL)
		if (TAKE("--db"))
			c->db = val;
		else if (allow_jobs && TAKE("--jobs")) {
			uint64_t n = parse_number("--jobs", val);
			if (n < 1 || n > 256)
				usage_error("--jobs takes a number from 1 to 256, not '%s'", val);
			c->jobs = (int)n;
		} else if (allow_jobs && TAKE("--max-size"))
			c->max_size = parse_number("--max-size", val);
		else
			usage_error("unknown option '%s'", a);
#undef TAKE
	}
}

/* Root of the repository holding dir (or the current directory). */
char *find_root(const char *dir)
{
	struct strbuf err = STRBUF_INIT;
	char *root;
	if (scan_find_root(dir ? dir : ".", &root, &err) < 0)
		die(1, "%s", err.buf);
	return root;
}

char *db_path(const struct cli *c, const char *root)
{
	return c->db ? xstrdup(c->db) : store_default_path(root);
}

/* Open the index for reading; without one, exit with status fail_code. */
static void open_read_or(const struct cli *c, struct store *st, char **root_out, int fail_code)
{
	struct strbuf err = STRBUF_INIT;
	char *root = c->db ? NULL : find_root(NULL);
	char *path = db_path(c, root);
	if (store_open(st, path, STORE_READ, &err) < 0)
		die(fail_code, "%s", err.buf);
	free(path);
	if (!root) {
		root = store_meta_get(st, "root");
		if (!root)
			root = xstrdup(".");
	}
	*root_out = root;
}

void open_read(const struct cli *c, struct store *st, char **root_out)
{
	open_read_or(c, st, root_out, 1);
}

/* ---- index -------------------------------------------------------------- */

/* Arguments of the commands that index: [DIR] and the indexing options. */
static void index_setup(int argc, char **argv, const char *cmd, struct index_opts *o,
			char **root, char **path)
{
	struct cli c;
	parse_args(&c, argc, argv, 1);
	if (c.nargs > 1)
		usage_error(cmd, c.args[1]);
	*root = find_root(c.nargs ? c.args[0] : NULL);
	*path = db_path(&c, *root);
	memset(o, 0, sizeof(*o));
	o->jobs = c.jobs;
	o->max_size = c.max_size;
}

static int cmd_index(int argc, char **argv)
{
	struct index_opts o;
	struct index_stats s;
	struct strbuf err = STRBUF_INIT;
	char *root, *path;
	index_setup(argc, argv, "index takes one directory, not '%s'", &o, &root, &path);
	if (index_run(root, path, &o, NULL, &s, &err) < 0)
		die(1, "%s", err.buf);
	printf("indexed %llu files (%llu parsed, %llu unchanged, %llu from cache), %llu symbols and "
	       "%llu calls written, %llu removed, %llu skipped, in %.2fs\n",
	       (unsigned long long)s.files, (unsigned long long)s.parsed,
	       (unsigned long long)(s.l0 + s.l2), (unsigned long long)(s.l1 + s.l3),
	       (unsigned long long)s.symbols,
	       (unsigned long long)s.calls, (unsigned long long)s.removed,
	       (unsigned long long)s.skipped, s.seconds);
	free(root);
	free(path);
	return 0;
}

/* ---- watch -------------------------------------------------------------- */

static volatile sig_atomic_t watch_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static void print_batch(void *ctx, const struct watch_batch *b)
{
	struct strbuf o = STRBUF_INIT;
	(void)ctx;
	sb_adds(&o, "{\"changed\":[");
	for (size_t i = 0; i < b->nchanged; i++) {
		if (i)
			sb_addc(&o, ',');
		sb_add_json(&o, b->changed[i]);
	}
	sb_adds(&o, "],\"removed\":[");
	for (size_t i = 0; i < b->nremoved; i++) {
		if (i)
			sb_addc(&o, ',');
		sb_add_json(&o, b->removed[i]);
	}
	sb_addf(&o, "],\"ms\":%.0f}\n", b->ms);
	fwrite(o.buf, 1, o.len, stdout);
	fflush(stdout);
	sb_release(&o);
}

static int cmd_watch(int argc, char **argv)
{
	struct index_opts o;
	struct strbuf err = STRBUF_INIT;
	struct sigaction sa;
	char *root, *path;
	int rc;
	index_setup(argc, argv, "watch takes one directory, not '%s'", &o, &root, &path);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;   /* no SA_RESTART: poll() returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	rc = watch_run(root, path, &o, print_batch, NULL, &watch_stop, &err);
	if (rc < 0)
		fprintf(stderr, "cidx: %s\n", err.buf);
	sb_release(&err);
	free(root);
	free(path);
	return rc < 0 ? 1 : 0;
}

/* ---- source lines for human output -------------------------------------- */

struct srcfile {
	char *path;
	char *buf;
	size_t len;
	int cur_line;    /* line number starting at cur_off (1-based); 0: none */
	size_t cur_off;
};

static void srcfile_release(struct srcfile *f)
{
	free(f->path);
	if (f->buf && f->len)
		munmap(f->buf, f->len);
	memset(f, 0, sizeof(*f));
}

/* Map a file read-only (no copy: a query may touch hundreds of files). */
static char *map_file(const char *path, size_t *len)
{
	struct stat sb;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size == 0) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	*len = (size_t)sb.st_size;
	return p;
}

/* Append the visible text of root/path:line (trimmed) to sb. Lines are
 * found by moving a cursor with memchr: results come sorted by line. */
static void add_source_line(struct srcfile *f, const char *root, const char *path, int line,
			    struct strbuf *sb)
{
	const char *a, *b, *end;
	if (!f->path || strcmp(f->path, path)) {
		char *full = xasprintf("%s/%s", root, path);
		srcfile_release(f);
		f->path = xstrdup(path);
		f->buf = map_file(full, &f->len);
		free(full);
	}
	if (!f->buf || line < 1)
		return;
	if (f->cur_line == 0 || line < f->cur_line) {
		f->cur_line = 1;
		f->cur_off = 0;
	}
	end = f->buf + f->len;
	a = f->buf + f->cur_off;
	while (f->cur_line < line) {
		const char *nl = memchr(a, '\n', (size_t)(end - a));
		if (!nl)
			return;
		a = nl + 1;
		f->cur_line++;
	}
	f->cur_off = (size_t)(a - f->buf);
	b = memchr(a, '\n', (size_t)(end - a));
	if (!b)
		b = end;
	while (a < b && (*a == ' ' || *a == '\t'))
		a++;
	while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
		b--;
	sb_add_visible(sb, a, (size_t)(b - a));
}

/* ---- query -------------------------------------------------------------- */

/* "scope.name", or name at top level, into o. */
static void add_qname(struct strbuf *o, const char *scope, const char *name)
{
	if (scope && *scope)
		sb_addf(o, "%s.", scope);
	sb_adds(o, name);
}

static void json_sym_fields(struct strbuf *o, const struct qsym *s)
{
	struct strbuf q = STRBUF_INIT;
	sb_adds(o, "\"name\":");
	sb_add_json(o, s->name);
	if (s->scope && *s->scope) {
		add_qname(&q, s->scope, s->name);
		sb_adds(o, ",\"qualified\":");
		sb_add_json(o, q.buf);
		sb_release(&q);
	}
	sb_addf(o, ",\"kind\":\"%s\",\"file\":", sym_kind_name(s->kind));
	sb_add_json(o, s->file);
	sb_addf(o, ",\"line\":%d,\"end_line\":%d,\"col\":%d", s->line, s->end_line, s->col);
}

static void json_cands(struct strbuf *o, const struct qedge *e)
{
	if (e->resolution != RES_AMBIGUOUS)
		return;
	sb_addf(o, ",\"candidates\":[");
	for (size_t k = 0; k < e->ncands; k++) {
		sb_adds(o, k ? ",{" : "{");
		json_sym_fields(o, &e->cands[k]);
		sb_addc(o, '}');
	}
	sb_addc(o, ']');
}

static void json_target(struct strbuf *o, const struct qedge *e)
{
	if (e->ncands == 1 && e->resolution != RES_AMBIGUOUS) {
		sb_adds(o, ",\"def_file\":");
		sb_add_json(o, e->cands[0].file);
		sb_addf(o, ",\"def_line\":%d", e->cands[0].line);
	} else {
		sb_adds(o, ",\"def_file\":null,\"def_line\":null");
	}
}

static void human_res(struct strbuf *o, const struct qedge *e)
{
	sb_addf(o, " [%s", resolution_name(e->resolution));
	if (e->resolution == RES_AMBIGUOUS)
		sb_addf(o, " among %zu:", e->ncands);
	for (size_t k = 0; k < e->ncands; k++) {
		const struct qsym *d = &e->cands[k];
		sb_adds(o, k ? ", " : " ");
		if (e->resolution == RES_AMBIGUOUS || (d->scope && *d->scope)) {
			add_qname(o, d->scope, d->name);
			sb_addc(o, ' ');
		}
		sb_addf(o, "%s:%d", d->file, d->line);
	}
	sb_addc(o, ']');
}

int unknown_name(struct query *q, const char *name)
{
	char *sug[5];
	size_t n = query_suggest(q, name, sug, 5);
	fprintf(stderr, "cidx: no symbol '%s'", name);
	for (size_t i = 0; i < n; i++) {
		fprintf(stderr, "%s%s", i ? ", " : "; did you mean: ", sug[i]);
		free(sug[i]);
	}
	fputc('\n', stderr);
	return 1;
}

static int cmd_query(int argc, char **argv)
{
	struct cli c;
	struct store st;
	struct query q;
	struct srcfile sf = { 0 };
	struct strbuf o = STRBUF_INIT;
	char *root;
	const char *what, *name;
	int rc = 0;
	parse_args(&c, argc, argv, 0);
	if (c.nargs != 2)
		usage_error("%s", c.nargs < 2 ? "query needs a kind (def, callers, callees) and a NAME"
				       : "query takes one NAME");
	what = c.args[0];
	name = c.args[1];
	if (strcmp(what, "def") && strcmp(what, "callers") && strcmp(what, "callees"))
		usage_error("unknown query '%s' (def, callers or callees)", what);
	if (!*name)
		usage_error("%s", "the NAME to look up is empty");
	open_read(&c, &st, &root);
	query_init(&q, st.db);
	if (!query_known(&q, name)) {
		rc = unknown_name(&q, name);
		goto out;
	}
	if ((strchr(name, '.') || strstr(name, "::")) && !query_defs_count(&q, name)) {
		/* Store.save where no save is in a Store: say so, not "called but
		 * not defined" or an empty list */
		fprintf(stderr, "cidx: nothing defined in the index answers to '%s' (the name exists,"
			" but not under that qualifier); try the name alone\n", name);
		rc = 1;
		goto out;
	}
	if (c.json)
		sb_addc(&o, '[');
	if (!strcmp(what, "def")) {
		struct qsym *d;
		size_t n;
		if (query_defs(&q, name, &d, &n) < 0)
			die(1, "query failed: %s", sqlite3_errmsg(st.db));
		if (n == 0 && !c.json)
			fprintf(stderr, "cidx: '%s' is called but not defined in this repository\n", name);
		for (size_t i = 0; i < n; i++) {
			if (c.json) {
				sb_adds(&o, i ? ",{" : "{");
				json_sym_fields(&o, &d[i]);
				sb_addc(&o, '}');
			} else {
				sb_addf(&o, "%s:%d: ", d[i].file, d[i].line);
				add_source_line(&sf, root, d[i].file, d[i].line, &o);
				if (d[i].kind == SK_PROTOTYPE)
					sb_adds(&o, " [prototype]");
				sb_addc(&o, '\n');
			}
		}
		qsyms_free(d, n);
	} else {
		int callers = !strcmp(what, "callers");
		struct qedge *e;
		size_t n;
		if ((callers ? query_callers(&q, name, &e, &n) : query_callees(&q, name, &e, &n)) < 0)
			die(1, "query failed: %s", sqlite3_errmsg(st.db));
		for (size_t i = 0; i < n; i++) {
			if (c.json) {
				sb_adds(&o, i ? ",{" : "{");
				if (callers) {
					sb_adds(&o, "\"caller\":");
					if (e[i].caller.name) {
						sb_add_json(&o, e[i].caller.name);
						if (e[i].caller.scope && *e[i].caller.scope) {
							struct strbuf qn = STRBUF_INIT;
							add_qname(&qn, e[i].caller.scope, e[i].caller.name);
							sb_adds(&o, ",\"caller_qualified\":");
							sb_add_json(&o, qn.buf);
							sb_release(&qn);
						}
						sb_adds(&o, ",\"caller_file\":");
						sb_add_json(&o, e[i].caller.file);
						sb_addf(&o, ",\"caller_line\":%d,", e[i].caller.line);
					} else {
						sb_adds(&o, "null,\"caller_file\":null,\"caller_line\":null,");
					}
				} else {
					sb_adds(&o, "\"callee\":");
					sb_add_json(&o, e[i].callee);
					sb_addc(&o, ',');
				}
				sb_adds(&o, "\"file\":");
				sb_add_json(&o, e[i].file);
				sb_addf(&o, ",\"line\":%d,\"col\":%d,\"resolution\":\"%s\"", e[i].line,
					e[i].col, resolution_name(e[i].resolution));
				if (e[i].receiver) {
					sb_adds(&o, ",\"receiver\":");
					sb_add_json(&o, e[i].receiver);
				}
				json_target(&o, &e[i]);
				json_cands(&o, &e[i]);
				sb_addc(&o, '}');
			} else {
				sb_addf(&o, "%s:%d: ", e[i].file, e[i].line);
				if (callers && e[i].caller.name)
					add_qname(&o, e[i].caller.scope, e[i].caller.name);
				else if (callers)
					sb_adds(&o, "<file scope>");
				if (callers)
					sb_adds(&o, ": ");
				else
					sb_addf(&o, "%s: ", e[i].callee);
				add_source_line(&sf, root, e[i].file, e[i].line, &o);
				human_res(&o, &e[i]);
				sb_addc(&o, '\n');
			}
			if (o.len > 1 << 16) {
				fwrite(o.buf, 1, o.len, stdout);
				sb_reset(&o);
			}
		}
		qedges_free(e, n);
	}
	if (c.json)
		sb_adds(&o, "]\n");
	if (o.len)
		fwrite(o.buf, 1, o.len, stdout);
out:
	sb_release(&o);
	srcfile_release(&sf);
	query_release(&q);
	store_close(&st);
	free(root);
	return rc;
}

/* ---- search ------------------------------------------------------------- */

/* Take this command's own --limit out of argv (the rest goes to parse_args). */
const char *take_opt(int *argc, char **argv, const char *name, int has_value)
{
	size_t len = strlen(name);
	for (int i = 0; i < *argc; i++) {
		const char *val;
		int used = 1;
		if (!strcmp(argv[i], "--"))
			break;
		if (has_value && !strncmp(argv[i], name, len) && argv[i][len] == '=') {
			val = argv[i] + len + 1;
		} else if (!strcmp(argv[i], name)) {
			if (!has_value)
				val = "";
			else if (i + 1 >= *argc)
				usage_error("%s needs a value", name);
			else
				val = argv[i + 1], used = 2;
		} else {
			continue;
		}
		memmove(argv + i, argv + i + used, (size_t)(*argc - i - used) * sizeof(*argv));
		*argc -= used;
		return val;
	}
	return NULL;
}

const char *take_opt_last(int *argc, char **argv, const char *name, int has_value)
{
	const char *v, *last = NULL;
	while ((v = take_opt(argc, argv, name, has_value)))
		last = v;
	return last;
}

static size_t take_limit(int *argc, char **argv)
{
	const char *v = take_opt_last(argc, argv, "--limit", 1);
	uint64_t limit;
	if (!v)
		return 20;
	limit = parse_number("--limit", v);
	if (limit < 1 || limit > 100000)
		usage_error("--limit takes a number from 1 to 100000, not '%s'", v);
	return (size_t)limit;
}

static void search_json(struct strbuf *o, const char *query, const struct search_result *r)
{
	sb_adds(o, "{\"query\":");
	sb_add_json(o, query);
	sb_addf(o, ",\"total\":%zu,\"results\":[", r->total);
	for (size_t i = 0; i < r->n; i++) {
		const struct search_hit *h = &r->hits[i];
		sb_adds(o, i ? ",{\"name\":" : "{\"name\":");
		sb_add_json(o, h->name);
		sb_adds(o, ",\"qualified\":");
		sb_add_json(o, h->qualified);
		sb_addf(o, ",\"kind\":\"%s\",\"file\":", sym_kind_name(h->kind));
		sb_add_json(o, h->file);
		sb_addf(o, ",\"line\":%u,\"score\":%d,\"positions\":[", h->line, h->score);
		for (size_t k = 0; k < h->npos; k++)
			sb_addf(o, "%s%u", k ? "," : "", h->pos[k]);
		sb_adds(o, "]}");
	}
	sb_adds(o, "]}\n");
}

/* One line per hit: kind, qualified name, file:line, score, in columns. */
static void search_text(struct strbuf *o, const struct search_result *r)
{
	struct strbuf *names = xcalloc(r->n ? r->n : 1, sizeof(*names));
	size_t width = 0;
	for (size_t i = 0; i < r->n; i++) {
		sb_add_visible(&names[i], r->hits[i].qualified, strlen(r->hits[i].qualified));
		if (names[i].len > width)
			width = names[i].len;
	}
	if (width > 48)
		width = 48;
	for (size_t i = 0; i < r->n; i++) {
		const struct search_hit *h = &r->hits[i];
		sb_addf(o, "%-10s %-*s  ", sym_kind_name(h->kind), (int)width, names[i].buf);
		sb_add_visible(o, h->file, strlen(h->file));
		sb_addf(o, ":%u  %d\n", h->line, h->score);
		sb_release(&names[i]);
	}
	free(names);
}

static int cmd_search(int argc, char **argv)
{
	struct cli c;
	struct store st;
	struct search_table t;
	struct search_result r;
	struct search_opts so = { 0 };
	struct strbuf q = STRBUF_INIT, o = STRBUF_INIT, err = STRBUF_INIT;
	char *root;
	int rc;
	so.limit = take_limit(&argc, argv);
	parse_args(&c, argc, argv, 0);
	for (int i = 0; i < c.nargs; i++) {
		if (i)
			sb_addc(&q, ' ');
		sb_adds(&q, c.args[i]);
	}
	if (!q.len || strspn(q.buf, " \t") == q.len)
		usage_error("%s", "search needs a QUERY");
	open_read(&c, &st, &root);
	search_table_init(&t);
	if (search_table_load(&t, st.db, &err) < 0)
		die(1, "%s", err.buf);
	rc = search_run(&t, q.buf, &so, &r, &err);
	if (rc < 0) {
		fprintf(stderr, "cidx: %s\n", err.buf);
		rc = 2;
		goto out;
	}
	if (c.json)
		search_json(&o, q.buf, &r);
	else
		search_text(&o, &r);
	if (o.len)
		fwrite(o.buf, 1, o.len, stdout);
	fflush(stdout);
	rc = 0;
	if (!r.n) {
		sb_reset(&o);
		sb_add_visible(&o, q.buf, q.len);
		fprintf(stderr, "cidx: no symbol matches '%s'\n", o.buf);
		rc = 1;
	}
	search_result_release(&r);
out:
	search_table_release(&t);
	store_close(&st);
	sb_release(&q);
	sb_release(&o);
	sb_release(&err);
	free(root);
	return rc;
}

/* ---- grep --------------------------------------------------------------- */

struct grep_out {
	struct strbuf o;
	int json;
	int flush_each;     /* stdout is a terminal: show hits as they come */
	int color;          /* ... and NO_COLOR is not set */
};

#define GREP_SGR_PATH  "\033[35m"
#define GREP_SGR_POS   "\033[32m"
#define GREP_SGR_SYM   "\033[36m"
#define GREP_SGR_MATCH "\033[1;31m"
#define GREP_SGR_OFF   "\033[m"

/* Append v in decimal (printf costs a tenth of a common pattern's time). */
static void add_uint(struct strbuf *o, uint32_t v)
{
	char d[10];
	size_t n = 0;
	do
		d[sizeof(d) - ++n] = (char)('0' + v % 10);
	while ((v /= 10) && n < sizeof(d));
	sb_add(o, d + sizeof(d) - n, n);
}

/* Append h->text[from..] made visible, its matches in colour when asked. */
static void add_hit_text(struct strbuf *o, const struct grep_hit *h, size_t from, int color)
{
	size_t at = from;
	for (size_t i = 0; color && i < h->nspans; i++) {
		size_t a = h->spans[i].start, b = h->spans[i].end;
		if (b <= at)
			continue;
		a = a < at ? at : a;
		sb_add_visible(o, h->text + at, a - at);
		sb_adds(o, GREP_SGR_MATCH);
		sb_add_visible(o, h->text + a, b - a);
		sb_adds(o, GREP_SGR_OFF);
		at = b;
	}
	sb_add_visible(o, h->text + at, h->text_len - at);
}

static void grep_flush(struct grep_out *g)
{
	if (g->o.len)
		fwrite(g->o.buf, 1, g->o.len, stdout);
	sb_reset(&g->o);
	if (g->flush_each)
		fflush(stdout);
}

static int print_hit(void *ctx, const struct grep_hit *h)
{
	struct grep_out *g = ctx;
	struct strbuf *o = &g->o;
	int clipped = h->text_start > 0 || h->text_start + h->text_len < h->line_len;
	if (g->json) {
		sb_adds(o, "{\"file\":");
		sb_add_json(o, h->file);
		sb_addf(o, ",\"line\":%u,\"col\":%u,\"text\":", h->line, h->col);
		sb_add_json(o, h->text);
		sb_adds(o, ",\"symbol\":");
		if (h->symbol) {
			sb_add_json(o, h->symbol);
			sb_addf(o, ",\"symbol_kind\":\"%s\"", sym_kind_name(h->symbol_kind));
		} else {
			sb_adds(o, "null,\"symbol_kind\":null");
		}
		sb_adds(o, ",\"matches\":[");
		for (size_t i = 0; i < h->nspans; i++)
			sb_addf(o, "%s[%u,%u]", i ? "," : "", h->spans[i].start, h->spans[i].end);
		sb_addf(o, "],\"clipped\":%s}\n", clipped ? "true" : "false");
	} else {
		size_t lead = 0;
		int c = g->color;
		while (lead < h->text_len && (h->text[lead] == ' ' || h->text[lead] == '\t'))
			lead++;
		sb_adds(o, c ? GREP_SGR_PATH : "");
		sb_add_visible(o, h->file, strlen(h->file));
		sb_adds(o, c ? GREP_SGR_OFF ":" GREP_SGR_POS : ":");
		add_uint(o, h->line);
		sb_addc(o, ':');
		add_uint(o, h->col);
		sb_adds(o, c ? GREP_SGR_OFF ": " GREP_SGR_SYM : ": ");
		if (h->symbol)
			sb_add_visible(o, h->symbol, strlen(h->symbol));
		else
			sb_adds(o, "<file scope>");
		sb_adds(o, c ? GREP_SGR_OFF : "");
		sb_adds(o, h->text_start > 0 ? ": ..." : ": ");
		add_hit_text(o, h, lead, c);
		sb_adds(o, h->text_start + h->text_len < h->line_len ? "...\n" : "\n");
	}
	if (g->flush_each || o->len > 1 << 16)
		grep_flush(g);
	return 0;
}

static int cmd_grep(int argc, char **argv)
{
	struct cli c;
	struct store st;
	struct grep *g;
	struct grep_opts go = { 0 };
	struct grep_stats gs;
	struct grep_out out = { STRBUF_INIT, 0, 0, 0 };
	struct strbuf err = STRBUF_INIT;
	char **rest = xreallocarray(NULL, (size_t)argc + 1, sizeof(*rest));
	char *root;
	int nrest = 0, flags = 0, rc;
	/* -i and --lang are grep's own; the rest are the common options */
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				rest[nrest++] = argv[i++];
		} else if (!strcmp(argv[i], "-i") || !strcmp(argv[i], "--ignore-case")) {
			flags |= GREP_CASELESS;
		} else if (!strcmp(argv[i], "--lang")) {
			if (i + 1 == argc)
				usage_error("%s needs a value", "--lang");
			go.lang = argv[++i];
		} else if (!strncmp(argv[i], "--lang=", 7)) {
			go.lang = argv[i] + 7;
		} else {
			rest[nrest++] = argv[i];
		}
	}
	parse_args(&c, nrest, rest, 1);
	free(rest);
	if (c.max_size)
		usage_error("%s", "grep does not take --max-size");
	if (c.nargs != 1)
		usage_error("%s", c.nargs ? "grep takes one PATTERN (quote it)" : "grep needs a PATTERN");
	g = grep_new(c.args[0], flags, &err);
	if (!g)
		die(2, "%s", err.buf);
	open_read_or(&c, &st, &root, 2);   /* like grep: 1 only means "no match" */
	go.jobs = c.jobs;
	out.json = c.json;
	out.flush_each = isatty(STDOUT_FILENO);
	out.color = out.flush_each && !(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	rc = grep_run(g, st.db, root, &go, print_hit, &out, &gs, &err);
	grep_flush(&out);
	fflush(stdout);
	if (rc < 0) {
		fprintf(stderr, "cidx: %s\n", err.buf);
	} else {
		if (gs.unreadable)
			fprintf(stderr, "cidx: %llu indexed files could not be read (removed or replaced "
				"since the last index?); run cidx index\n", (unsigned long long)gs.unreadable);
		if (gs.binary)
			fprintf(stderr, "cidx: %llu files now hold NUL bytes and were not searched\n",
				(unsigned long long)gs.binary);
		if (gs.limit)
			fprintf(stderr, "cidx: PCRE2's match limit was reached; lines skipped: %llu\n",
				(unsigned long long)gs.limit);
	}
	sb_release(&out.o);
	sb_release(&err);
	grep_free(g);
	store_close(&st);
	free(root);
	return rc < 0 ? 2 : gs.hits ? 0 : 1;
}

/* ---- stats -------------------------------------------------------------- */

static int64_t scalar(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = 0;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		die(1, "reading the index: %s", sqlite3_errmsg(st->db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Rows of "SELECT key, count" as (key, n) pairs, appended to o. */
static void add_counts(struct store *st, const char *sql, struct strbuf *o, int json,
		       int kind_names)
{
	sqlite3_stmt *s;
	int first = 1;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		die(1, "reading the index: %s", sqlite3_errmsg(st->db));
	sb_adds(o, json ? "{" : "");
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *k = kind_names ? sym_kind_name(sqlite3_column_int(s, 0))
					   : (const char *)sqlite3_column_text(s, 0);
		if (json) {
			sb_adds(o, first ? "" : ",");
			sb_add_json(o, k);
			sb_addf(o, ":%lld", (long long)sqlite3_column_int64(s, 1));
		} else {
			sb_addf(o, "%s%s %lld", first ? "" : ", ", k, (long long)sqlite3_column_int64(s, 1));
		}
		first = 0;
	}
	sqlite3_finalize(s);
	sb_adds(o, json ? "}" : "");
}

/* Per language: files, definitions, call sites and their resolutions. */
struct lang_stats {
	int64_t files, defs, perr, calls, dynamic, enclosed;
	int64_t res[RES__COUNT];
};

static void count_edge(void *ctx, const struct redge *e)
{
	struct lang_stats *ls = &((struct lang_stats *)ctx)[e->lang];
	ls->calls++;
	ls->dynamic += (e->site->flags & CALL_DYNAMIC) != 0;
	ls->enclosed += e->site->caller >= 0;
	ls->res[e->res]++;
}

static void count_langs(struct store *st, struct lang_stats *ls)
{
	sqlite3_stmt *s;
	struct strbuf err = STRBUF_INIT;
	struct rindex *ri;
	memset(ls, 0, LANG__COUNT * sizeof(*ls));
	if (sqlite3_prepare_v2(st->db, "SELECT f.lang, count(*), sum(f.parse_errors > 0),"
			       " sum(f.nsyms) - coalesce(sum((SELECT count(*) FROM symbols s"
			       " WHERE s.id >= f.sym_lo AND s.id < f.sym_lo + f.nsyms AND s.kind = ?1)), 0)"
			       " FROM files f GROUP BY f.lang", -1, &s, NULL) != SQLITE_OK)
		die(1, "reading the index: %s", sqlite3_errmsg(st->db));
	sqlite3_bind_int(s, 1, SK_PROTOTYPE);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int l = lang_by_name((const char *)sqlite3_column_text(s, 0));
		if (l < 0)
			continue;
		ls[l].files = sqlite3_column_int64(s, 1);
		ls[l].perr = sqlite3_column_int64(s, 2);
		ls[l].defs = sqlite3_column_int64(s, 3);
	}
	sqlite3_finalize(s);
	if (!(ri = rindex_load(st->db, &err)) || rindex_each_edge(ri, st->db, count_edge, ls, &err) < 0)
		die(1, "%s", err.buf);
	rindex_free(ri);
	sb_release(&err);
}

static double lang_resolved_share(const struct lang_stats *l)
{
	int64_t r = 0;
	for (int k = 0; k < RES__COUNT; k++)
		if (resolution_is_resolved(k))
			r += l->res[k];
	return l->calls ? (double)r / (double)l->calls : 1.0;
}

static void add_lang_stats(const struct lang_stats *ls, struct strbuf *o, int json)
{
	int first = 1;
	sb_adds(o, json ? "[" : "");
	for (int l = 0; l < LANG__COUNT; l++) {
		const struct lang_stats *x = &ls[l];
		if (!x->files)
			continue;
		if (json) {
			sb_addf(o, "%s{\"lang\":\"%s\",\"files\":%lld,\"definitions\":%lld,\"calls\":%lld,"
				"\"calls_enclosed\":%lld,\"parse_error_files\":%lld,\"edges\":{",
				first ? "" : ",", lang_name(l), (long long)x->files, (long long)x->defs,
				(long long)x->calls, (long long)x->enclosed, (long long)x->perr);
			for (int k = 0; k < RES__COUNT; k++)
				sb_addf(o, "%s\"%s\":%lld", k ? "," : "", resolution_name(k),
					(long long)x->res[k]);
			sb_addf(o, "},\"resolved_share\":%.4f}", lang_resolved_share(x));
		} else {
			sb_addf(o, "  %-11s %6lld files %8lld defs %9lld calls %5lld with errors  "
				"%5.1f%% resolved", lang_name(l), (long long)x->files, (long long)x->defs,
				(long long)x->calls, (long long)x->perr, 100.0 * lang_resolved_share(x));
			for (int k = 0, f = 1; k < RES__COUNT; k++)
				if (x->res[k]) {
					sb_addf(o, "%s%s %lld", f ? " (" : ", ", resolution_name(k),
						(long long)x->res[k]);
					f = 0;
				}
			sb_adds(o, x->calls ? ")\n" : "\n");
		}
		first = 0;
	}
	sb_adds(o, json ? "]" : "");
}

static int cmd_stats(int argc, char **argv)
{
	struct cli c;
	struct store st;
	struct strbuf o = STRBUF_INIT;
	char *root, *last;
	int64_t files, syms, calls, dyn = 0, enclosed = 0, perr, skipped;
	struct lang_stats ls[LANG__COUNT];
	parse_args(&c, argc, argv, 0);
	if (c.nargs)
		usage_error("stats takes no arguments, not '%s'", c.args[0]);
	open_read(&c, &st, &root);
	files = scalar(&st, "SELECT count(*) FROM files");
	syms = scalar(&st, "SELECT count(*) FROM symbols");
	calls = scalar(&st, "SELECT coalesce(sum(ncalls),0) FROM files");
	count_langs(&st, ls);
	for (int l = 0; l < LANG__COUNT; l++) {
		dyn += ls[l].dynamic;
		enclosed += ls[l].enclosed;
	}
	perr = scalar(&st, "SELECT count(*) FROM files WHERE parse_errors > 0");
	skipped = scalar(&st, "SELECT count(*) FROM skipped");
	last = store_meta_get(&st, "last_run");
	if (c.json) {
		sb_adds(&o, "{\"root\":");
		sb_add_json(&o, root);
		sb_adds(&o, ",\"db\":");
		sb_add_json(&o, st.path);
		sb_addf(&o, ",\"files\":%lld,\"languages\":", (long long)files);
		add_lang_stats(ls, &o, 1);
		sb_addf(&o, ",\"symbols\":%lld,\"symbols_by_kind\":", (long long)syms);
		add_counts(&st, "SELECT kind, count(*) FROM symbols GROUP BY kind ORDER BY kind", &o, 1, 1);
		sb_addf(&o, ",\"calls\":%lld,\"calls_dynamic\":%lld,\"calls_enclosed\":%lld,"
			"\"enclosed_share\":%.4f,\"parse_error_files\":%lld,\"skipped\":%lld,"
			"\"skipped_by_reason\":",
			(long long)calls, (long long)dyn, (long long)enclosed,
			calls ? (double)enclosed / (double)calls : 1.0, (long long)perr, (long long)skipped);
		add_counts(&st, "SELECT reason, count(*) FROM skipped GROUP BY reason ORDER BY reason", &o, 1, 0);
		sb_addf(&o, ",\"last_run\":%s}\n", last ? last : "null");
	} else {
		sb_addf(&o, "root          %s\nindex         %s\nfiles         %lld (", root, st.path,
			(long long)files);
		add_counts(&st, "SELECT lang, count(*) FROM files GROUP BY lang ORDER BY lang", &o, 0, 0);
		sb_addf(&o, ")\nsymbols       %lld (", (long long)syms);
		add_counts(&st, "SELECT kind, count(*) FROM symbols GROUP BY kind ORDER BY kind", &o, 0, 1);
		sb_addf(&o, ")\ncalls         %lld (%lld dynamic; %.2f%% inside a function)\n",
			(long long)calls, (long long)dyn,
			calls ? 100.0 * (double)enclosed / (double)calls : 100.0);
		sb_addf(&o, "parse errors  %lld files\nskipped       %lld", (long long)perr, (long long)skipped);
		if (skipped) {
			sb_adds(&o, " (");
			add_counts(&st, "SELECT reason, count(*) FROM skipped GROUP BY reason ORDER BY reason",
				   &o, 0, 0);
			sb_adds(&o, ")");
		}
		sb_addf(&o, "\nlast run      %s\nlanguages\n", last ? last : "none");
		add_lang_stats(ls, &o, 0);
	}
	fwrite(o.buf, 1, o.len, stdout);
	sb_release(&o);
	free(last);
	free(root);
	store_close(&st);
	return 0;
}

/* ---- dump --------------------------------------------------------------- */

/* Rebuild one file's extraction result from its rows, so that the dump uses
 * the same canonical order and format as `cidx extract`. */
/* One file's rows back into an xresult: its symbols have the ids sym_lo ..
 * sym_lo+nsyms-1, so parents and callers map to local indices by offset. */
static void load_file_rows(sqlite3_stmt *qs, sqlite3_stmt *qc, int64_t file_id,
			   int64_t sym_lo, int64_t nsyms, const char *module, struct xresult *x)
{
	struct callsites cs = { 0 };
	xresult_clear(x);
	if (module)
		x->module = xresult_str(x, module, strlen(module));
	sqlite3_bind_int64(qs, 1, sym_lo);
	sqlite3_bind_int64(qs, 2, nsyms);
	while (sqlite3_step(qs) == SQLITE_ROW) {
		struct xsym s = { 0 };
		int64_t parent = sqlite3_column_type(qs, 8) == SQLITE_NULL ? -1
				 : sqlite3_column_int64(qs, 8) - sym_lo;
		s.name = xresult_str(x, (const char *)sqlite3_column_text(qs, 1),
				     (size_t)sqlite3_column_bytes(qs, 1));
		s.kind = (uint8_t)sqlite3_column_int(qs, 2);
		s.flags = (uint8_t)sqlite3_column_int(qs, 3);
		s.line = (uint32_t)sqlite3_column_int(qs, 4);
		s.col = (uint32_t)sqlite3_column_int(qs, 5);
		s.end_line = (uint32_t)sqlite3_column_int(qs, 6);
		s.end_col = (uint32_t)sqlite3_column_int(qs, 7);
		s.parent = parent >= 0 && parent < nsyms ? (int32_t)parent : -1;
		if (sqlite3_column_text(qs, 9))
			s.scope = xresult_str(x, (const char *)sqlite3_column_text(qs, 9),
					      (size_t)sqlite3_column_bytes(qs, 9));
		if (sqlite3_column_text(qs, 10))
			s.bases = xresult_str(x, (const char *)sqlite3_column_text(qs, 10),
					      (size_t)sqlite3_column_bytes(qs, 10));
		xresult_add_sym(x, &s);
	}
	sqlite3_reset(qs);
	sqlite3_bind_int64(qc, 1, file_id);
	if (sqlite3_step(qc) == SQLITE_ROW &&
	    callsites_decode(&cs, sqlite3_column_blob(qc, 0), (size_t)sqlite3_column_bytes(qc, 0)) < 0)
		die(1, "the index holds a damaged call-site record for file id %lld; "
		    "delete the index and run 'cidx index' again", (long long)file_id);
	sqlite3_reset(qc);
	for (size_t i = 0; i < cs.n; i++) {
		const struct callsite *c = &cs.v[i];
		struct xcall cl = { 0 };
		cl.caller = c->caller < (int64_t)x->nsyms ? c->caller : -1;
		cl.callee = xresult_str(x, c->callee, strlen(c->callee));
		if (c->receiver)
			cl.receiver = xresult_str(x, c->receiver, strlen(c->receiver));
		cl.line = c->line;
		cl.col = c->col;
		cl.flags = c->flags;
		xresult_add_call(x, &cl);
	}
	for (size_t i = 0; i < cs.nimports; i++) {
		const struct rimport *r = &cs.imports[i];
		struct ximport im;
		im.module = xresult_str(x, r->module, strlen(r->module));
		im.name = xresult_str(x, r->name, strlen(r->name));
		im.alias = xresult_str(x, r->alias, strlen(r->alias));
		im.line = r->line;
		xresult_add_import(x, &im);
	}
	callsites_release(&cs);
	xresult_sort(x);
}

static int cmd_dump(int argc, char **argv)
{
	struct cli c;
	struct store st;
	sqlite3_stmt *qf, *qs, *qc, *qk;
	struct xresult x;
	char *root;
	parse_args(&c, argc, argv, 0);
	if (c.nargs)
		usage_error("dump takes no arguments, not '%s'", c.args[0]);
	open_read(&c, &st, &root);
	if (sqlite3_prepare_v2(st.db, "SELECT id,path,lang,fp,parse_errors,sym_lo,nsyms,module FROM files ORDER BY path",
			       -1, &qf, NULL) ||
	    sqlite3_prepare_v2(st.db, "SELECT id,name,kind,flags,line,col,end_line,end_col,parent,scope,bases FROM symbols"
			       " WHERE id >= ?1 AND id < ?1 + ?2 ORDER BY id", -1, &qs, NULL) ||
	    sqlite3_prepare_v2(st.db, "SELECT data FROM callsites WHERE file_id=?",
			       -1, &qc, NULL) ||
	    sqlite3_prepare_v2(st.db, "SELECT path,reason FROM skipped ORDER BY path", -1, &qk, NULL))
		die(1, "reading the index: %s", sqlite3_errmsg(st.db));
	xresult_init(&x);
	printf("# cidx dump: schema %d, extractor %d\n", CIDX_SCHEMA_VERSION, CIDX_EXTRACTOR_VERSION);
	while (sqlite3_step(qf) == SQLITE_ROW) {
		char hex[2 * FP_LEN + 1] = "?";
		const char *path = (const char *)sqlite3_column_text(qf, 1);
		if (sqlite3_column_bytes(qf, 3) == FP_LEN)
			fp_hex(sqlite3_column_blob(qf, 3), hex);
		printf("file %s %s %s errors=%d\n", path, sqlite3_column_text(qf, 2), hex,
		       sqlite3_column_int(qf, 4));
		load_file_rows(qs, qc, sqlite3_column_int64(qf, 0), sqlite3_column_int64(qf, 5),
			       sqlite3_column_int64(qf, 6), (const char *)sqlite3_column_text(qf, 7), &x);
		xresult_print(stdout, path, &x);
	}
	while (sqlite3_step(qk) == SQLITE_ROW)
		printf("skip %s %s\n", sqlite3_column_text(qk, 0), sqlite3_column_text(qk, 1));
	xresult_release(&x);
	sqlite3_finalize(qf);
	sqlite3_finalize(qs);
	sqlite3_finalize(qc);
	sqlite3_finalize(qk);
	store_close(&st);
	free(root);
	return 0;
}

/* ---- extract ------------------------------------------------------------ */

static int cmd_extract(int argc, char **argv)
{
	struct extractor *ex;
	struct xresult r;
	int rc = 0;
	if (argc < 1)
		usage_error("%s", "extract needs at least one FILE");
	ex = extractor_new();
	xresult_init(&r);
	for (int i = 0; i < argc; i++) {
		char *src;
		size_t len;
		int lang;
		if (read_file(argv[i], &src, &len) < 0) {
			fprintf(stderr, "cidx: cannot read '%s': %s\n", argv[i], strerror(errno));
			rc = 1;
			continue;
		}
		lang = lang_for_path(argv[i], src, len);
		if (lang < 0 || extractor_run(ex, lang, src, len, &r) < 0) {
			fprintf(stderr, "cidx: '%s' is not a source file of a supported language\n", argv[i]);
			rc = 1;
		} else {
			xresult_print(stdout, argv[i], &r);
			printf("errors %s %u\n", argv[i], r.parse_errors);
		}
		free(src);
	}
	xresult_release(&r);
	extractor_free(ex);
	return rc;
}

int main(int argc, char **argv)
{
	const char *cmd = argc >= 2 ? argv[1] : NULL;
	if (!cmd)
		usage_error("%s", "no command given");
	if (!strcmp(cmd, "index"))
		return cmd_index(argc - 2, argv + 2);
	if (!strcmp(cmd, "query"))
		return cmd_query(argc - 2, argv + 2);
	if (!strcmp(cmd, "search"))
		return cmd_search(argc - 2, argv + 2);
	if (!strcmp(cmd, "watch"))
		return cmd_watch(argc - 2, argv + 2);
	if (!strcmp(cmd, "impact"))
		return cmd_impact(argc - 2, argv + 2);
	if (!strcmp(cmd, "path"))
		return cmd_path(argc - 2, argv + 2);
	if (!strcmp(cmd, "cycles"))
		return cmd_cycles(argc - 2, argv + 2);
	if (!strcmp(cmd, "hotspots"))
		return cmd_hotspots(argc - 2, argv + 2);
	if (!strcmp(cmd, "edges"))
		return cmd_edges(argc - 2, argv + 2);
	if (!strcmp(cmd, "dups"))
		return cmd_dups(argc - 2, argv + 2);
	if (!strcmp(cmd, "grep"))
		return cmd_grep(argc - 2, argv + 2);
	if (!strcmp(cmd, "stats"))
		return cmd_stats(argc - 2, argv + 2);
	if (!strcmp(cmd, "dump"))
		return cmd_dump(argc - 2, argv + 2);
	if (!strcmp(cmd, "extract"))
		return cmd_extract(argc - 2, argv + 2);
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("cidx %s (schema %d, extractor %d)\n", CIDX_VERSION, CIDX_SCHEMA_VERSION,
		       CIDX_EXTRACTOR_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	usage_error("unknown command '%s'", cmd);
}
