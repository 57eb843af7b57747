/* extract.c — the language table, the extractor (one TSParser per language,
 * owned by one thread) and the xresult value type. */
#include "extract.h"
#include "lang.h"
#include "util.h"
#include "grammar_versions.h"

#include <stdlib.h>
#include <string.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

static const char *const kind_names[SK__COUNT] = {
	[SK_FUNCTION] = "function",   [SK_PROTOTYPE] = "prototype",
	[SK_STRUCT] = "struct",       [SK_UNION] = "union",
	[SK_ENUM] = "enum",           [SK_TYPEDEF] = "typedef",
	[SK_ENUMERATOR] = "enumerator", [SK_MACRO] = "macro",
	[SK_FMACRO] = "function-macro", [SK_VARIABLE] = "variable",
};

const char *sym_kind_name(int kind)
{
	return kind >= 0 && kind < SK__COUNT ? kind_names[kind] : "unknown";
}

int sym_kind_from_name(const char *name)
{
	for (int k = 0; k < SK__COUNT; k++)
		if (!strcmp(kind_names[k], name))
			return k;
	return -1;
}

struct lang_def {
	const char *name;
	const char *key;                  /* name@version of the grammar package */
	const char *const *exts;          /* NULL-terminated, with the dot */
	const char *const *interpreters;  /* shebang interpreters, NULL-terminated */
	const TSLanguage *(*grammar)(void);
	lang_extract_fn extract;
};

static const char *const c_exts[] = { ".c", ".h", NULL };
static const char *const no_interp[] = { NULL };

static const struct lang_def langs[] = {
	{ "c", "c@" GRAMMAR_VERSION_tree_sitter_c, c_exts, no_interp, tree_sitter_c, lang_c_extract },
};
#define NLANGS ((int)(sizeof(langs) / sizeof(langs[0])))

int lang_count(void) { return NLANGS; }

const char *lang_key(int lang)
{
	return lang >= 0 && lang < NLANGS ? langs[lang].key : "unknown";
}

const char *lang_name(int lang)
{
	return lang >= 0 && lang < NLANGS ? langs[lang].name : "unknown";
}

static int interp_lang(const char *head, size_t len)
{
	const char *end, *p, *word;
	size_t wlen;
	if (len < 3 || head[0] != '#' || head[1] != '!')
		return -1;
	end = memchr(head, '\n', len);
	if (!end)
		end = head + len;
	/* last path component of the interpreter, or the word after "env" */
	p = head + 2;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	word = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	for (const char *q = word; q < p; q++)
		if (*q == '/')
			word = q + 1;
	wlen = (size_t)(p - word);
	if (wlen == 3 && !memcmp(word, "env", 3)) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		word = p;
		while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		wlen = (size_t)(p - word);
	}
	for (int l = 0; l < NLANGS; l++)
		for (const char *const *i = langs[l].interpreters; *i; i++) {
			size_t il = strlen(*i);
			/* "python3.11" matches "python" followed by a version */
			if (wlen >= il && !memcmp(word, *i, il) &&
			    strspn(word + il, "0123456789.") == wlen - il)
				return l;
		}
	return -1;
}

int lang_for_path(const char *path, const char *head, size_t head_len)
{
	const char *base = strrchr(path, '/');
	const char *dot;
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (dot && dot != base) {
		for (int l = 0; l < NLANGS; l++)
			for (const char *const *e = langs[l].exts; *e; e++)
				if (!strcmp(dot, *e))
					return l;
		return -1;
	}
	return head ? interp_lang(head, head_len) : -1;
}

/* ---- xresult ------------------------------------------------------------ */

void xresult_init(struct xresult *r)
{
	memset(r, 0, sizeof(*r));
	xresult_clear(r);
}

void xresult_clear(struct xresult *r)
{
	r->nsyms = r->ncalls = r->ndefs = 0;
	r->parse_errors = 0;
	r->strings_len = 0;
	ARRAY_GROW(r->strings, r->strings_cap, 1);
	r->strings[0] = 0;
	r->strings_len = 1;
}

void xresult_release(struct xresult *r)
{
	free(r->syms);
	free(r->calls);
	free(r->defs);
	free(r->strings);
	memset(r, 0, sizeof(*r));
}

uint32_t xresult_str(struct xresult *r, const char *s, size_t n)
{
	uint32_t off;
	if (n == 0)
		return 0;
	if (r->strings_len + n + 1 > UINT32_MAX)
		die(3, "extraction result too large");
	ARRAY_GROW(r->strings, r->strings_cap, r->strings_len + n + 1);
	off = (uint32_t)r->strings_len;
	memcpy(r->strings + off, s, n);
	r->strings[off + n] = 0;
	r->strings_len += n + 1;
	return off;
}

uint32_t xresult_node_str(struct xresult *r, TSNode n, const char *src)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	return xresult_str(r, src + a, b - a);
}

int32_t xresult_add_sym(struct xresult *r, const struct xsym *s)
{
	ARRAY_GROW(r->syms, r->syms_cap, r->nsyms + 1);
	r->syms[r->nsyms] = *s;
	return (int32_t)r->nsyms++;
}

void xresult_add_call(struct xresult *r, const struct xcall *c)
{
	ARRAY_GROW(r->calls, r->calls_cap, r->ncalls + 1);
	r->calls[r->ncalls++] = *c;
}

static int cmp_sym_idx(const void *a, const void *b, void *ctx)
{
	const struct xresult *r = ctx;
	const struct xsym *x = &r->syms[*(const uint32_t *)a];
	const struct xsym *y = &r->syms[*(const uint32_t *)b];
	if (x->line != y->line) return x->line < y->line ? -1 : 1;
	if (x->col != y->col) return x->col < y->col ? -1 : 1;
	if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
	{
		int c = strcmp(xstr(r, x->name), xstr(r, y->name));
		if (c) return c;
	}
	return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

static int cmp_call(const void *a, const void *b, void *ctx)
{
	const struct xresult *r = ctx;
	const struct xcall *x = a, *y = b;
	if (x->line != y->line) return x->line < y->line ? -1 : 1;
	if (x->col != y->col) return x->col < y->col ? -1 : 1;
	return strcmp(xstr(r, x->callee), xstr(r, y->callee));
}

void xresult_sort(struct xresult *r)
{
	uint32_t *order, *where;
	struct xsym *ns;
	order = xreallocarray(NULL, r->nsyms, sizeof(*order));
	where = xreallocarray(NULL, r->nsyms, sizeof(*where));
	for (size_t i = 0; i < r->nsyms; i++)
		order[i] = (uint32_t)i;
	if (r->nsyms > 1)
		qsort_r(order, r->nsyms, sizeof(*order), cmp_sym_idx, r);
	for (size_t i = 0; i < r->nsyms; i++)
		where[order[i]] = (uint32_t)i;
	ns = xreallocarray(NULL, r->nsyms, sizeof(*ns));
	for (size_t i = 0; i < r->nsyms; i++) {
		ns[i] = r->syms[order[i]];
		if (ns[i].parent >= 0)
			ns[i].parent = (int32_t)where[ns[i].parent];
	}
	for (size_t i = 0; i < r->ncalls; i++)
		if (r->calls[i].caller >= 0)
			r->calls[i].caller = (int32_t)where[r->calls[i].caller];
	for (size_t i = 0; i < r->ndefs; i++)
		r->defs[i].sym = where[r->defs[i].sym];
	if (r->ncalls > 1)
		qsort_r(r->calls, r->ncalls, sizeof(*r->calls), cmp_call, r);
	free(r->syms);
	r->syms = ns;
	r->syms_cap = r->nsyms;
	free(order);
	free(where);
}

/* ---- extractor ---------------------------------------------------------- */

/* A definition whose tokens are being read (fingerprint_defs). */
struct def_run {
	uint32_t def;            /* index in xresult.defs */
	uint32_t name, end;      /* bytes: where its name starts, where it ends */
	struct mh_state mh;
};

struct extractor {
	TSParser *parser;
	int current;             /* language the parser is set to, or -1 */
	uint8_t *cls[NLANGS];    /* per grammar symbol: enum tok_class, made on first use */
	uint32_t *lines;         /* byte offset of each line of the current file */
	size_t lines_cap;
	struct def_run *runs;    /* one per definition of the current file */
	size_t runs_cap;
	uint32_t *active;        /* runs whose range the walk is in */
	size_t active_cap;
	struct strbuf *text;     /* per run: its tokens' text, for the exact hash */
	size_t text_cap;
};

struct extractor *extractor_new(void)
{
	struct extractor *ex = xcalloc(1, sizeof(*ex));
	ex->parser = ts_parser_new();
	if (!ex->parser)
		die(3, "cannot create a tree-sitter parser");
	ex->current = -1;
	return ex;
}

void extractor_free(struct extractor *ex)
{
	if (!ex)
		return;
	ts_parser_delete(ex->parser);
	for (int l = 0; l < NLANGS; l++)
		free(ex->cls[l]);
	free(ex->lines);
	free(ex->runs);
	free(ex->active);
	for (size_t i = 0; i < ex->text_cap; i++)
		sb_release(&ex->text[i]);
	free(ex->text);
	free(ex);
}

/* ---- duplicate-detection fingerprints ----------------------------------- */

/* How a token counts, by its grammar symbol's name, for every language:
 * comments are skipped; names become one placeholder, numbers another,
 * string and character literals (whole, children included) a third, so
 * that renaming leaves the normalised stream unchanged; the rest
 * (keywords, operators, punctuation, primitive types) stays as written. */
enum tok_class { TC_KEEP, TC_SKIP, TC_IDENT, TC_NUM, TC_STR };

static uint8_t *token_classes(struct extractor *ex, int lang)
{
	const TSLanguage *g;
	uint32_t n;
	if (ex->cls[lang])
		return ex->cls[lang];
	g = langs[lang].grammar();
	n = ts_language_symbol_count(g);
	ex->cls[lang] = xcalloc(n ? n : 1, 1);
	for (uint32_t i = 0; i < n; i++) {
		const char *name = ts_language_symbol_name(g, (TSSymbol)i);
		int named = ts_language_symbol_type(g, (TSSymbol)i) == TSSymbolTypeRegular;
		uint8_t c = TC_KEEP;
		if (!name)
			continue;
		if (strstr(name, "comment"))
			c = TC_SKIP;
		else if (!named)
			c = TC_KEEP;
		else if (strstr(name, "string") || strstr(name, "char_literal") ||
			 strstr(name, "character_literal"))
			c = TC_STR;
		else if (strstr(name, "identifier"))
			c = TC_IDENT;
		else if (strstr(name, "number") || strstr(name, "integer") || strstr(name, "float"))
			c = TC_NUM;
		ex->cls[lang][i] = c;
	}
	return ex->cls[lang];
}

/* Byte offset of 1-based (line, col) in the current file, clamped to len. */
static uint32_t line_col_byte(const struct extractor *ex, size_t nlines, size_t len,
			      uint32_t line, uint32_t col)
{
	uint64_t b;
	if (line == 0 || line > nlines)
		return (uint32_t)len;
	b = (uint64_t)ex->lines[line - 1] + col;
	return b > len ? (uint32_t)len : (uint32_t)b;
}

static void finish_def(struct extractor *ex, struct xresult *out, struct def_run *r)
{
	struct xdef *d = &out->defs[r->def];
	struct strbuf *t = &ex->text[r - ex->runs];
	d->ntokens = r->mh.ntokens;
	d->hash = XXH3_64bits(t->buf ? t->buf : "", t->len);
	d->has_sig = d->ntokens >= DUP_SIG_FLOOR && mh_finish(&r->mh, d->sig, d->bands) == 0;
}

/* Fill out->defs from the leaves of the parse tree: one pass in byte order,
 * skipping subtrees outside every definition. A definition covers its name
 * (xsym line/col) to its end; the name itself is left out so that copies
 * under another name compare equal. capture >= 0: also append the shingle
 * hashes of definition number `capture` to *cap. */
static void fingerprint_defs(struct extractor *ex, int lang, TSNode root, const char *src,
			     size_t len, struct xresult *out, long capture,
			     uint64_t **cap, size_t *ncap, size_t *capcap)
{
	const uint8_t *cls = token_classes(ex, lang);
	uint32_t nsymbols = ts_language_symbol_count(langs[lang].grammar());
	size_t nlines = 1, nruns = 0, next = 0, nactive = 0;
	TSTreeCursor c;

	out->ndefs = 0;
	for (size_t i = 0; i < out->nsyms; i++)
		if (out->syms[i].kind == SK_FUNCTION)
			nruns++;
	if (!nruns)
		return;
	ARRAY_GROW(ex->lines, ex->lines_cap, 1);
	ex->lines[0] = 0;
	for (const char *p = src, *e = src + len; (p = memchr(p, '\n', (size_t)(e - p))); p++) {
		ARRAY_GROW(ex->lines, ex->lines_cap, nlines + 1);
		ex->lines[nlines++] = (uint32_t)(p + 1 - src);
	}
	ARRAY_GROW(out->defs, out->defs_cap, nruns);
	ARRAY_GROW(ex->runs, ex->runs_cap, nruns);
	ARRAY_GROW(ex->active, ex->active_cap, nruns);
	if (ex->text_cap < nruns) {
		size_t old = ex->text_cap;
		ARRAY_GROW(ex->text, ex->text_cap, nruns);
		memset(ex->text + old, 0, (ex->text_cap - old) * sizeof(*ex->text));
	}
	for (size_t i = 0, k = 0; i < out->nsyms; i++) {
		const struct xsym *y = &out->syms[i];
		struct def_run *r;
		if (y->kind != SK_FUNCTION)
			continue;
		memset(&out->defs[k], 0, sizeof(out->defs[k]));
		out->defs[k].sym = (uint32_t)i;
		r = &ex->runs[k];
		r->def = (uint32_t)k;
		r->name = line_col_byte(ex, nlines, len, y->line, y->col - 1);
		r->end = line_col_byte(ex, nlines, len, y->end_line, y->end_col);
		if (r->end < r->name)
			r->end = r->name;
		mh_init(&r->mh);
		sb_reset(&ex->text[k]);
		k++;
	}
	out->ndefs = nruns;
	/* syms are sorted by position, so runs are sorted by name */

	c = ts_tree_cursor_new(root);
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
		TSSymbol sym = ts_node_symbol(n);
		uint8_t tc = sym < nsymbols ? cls[sym] : TC_KEEP;
		size_t k = 0;
		/* retire the definitions that ended before this node */
		for (size_t i = 0; i < nactive; i++) {
			struct def_run *r = &ex->runs[ex->active[i]];
			if (r->end <= s)
				finish_def(ex, out, r);
			else
				ex->active[k++] = ex->active[i];
		}
		nactive = k;
		if (tc == TC_SKIP || e <= s || (!nactive && (next >= nruns || ex->runs[next].name >= e)))
			goto skip;   /* a comment, a missing node, or outside every definition */
		if (tc != TC_STR && ts_tree_cursor_goto_first_child(&c))
			continue;
		/* a token (a whole literal for TC_STR) */
		while (next < nruns && ex->runs[next].name <= s)
			ex->active[nactive++] = (uint32_t)next++;
		{
			uint64_t v = tc == TC_IDENT ? 0x49 : tc == TC_NUM ? 0x4e : tc == TC_STR ? 0x53 :
				     XXH3_64bits(src + s, e - s);
			for (size_t i = 0; i < nactive; i++) {
				struct def_run *r = &ex->runs[ex->active[i]];
				struct strbuf *t = &ex->text[ex->active[i]];
				uint64_t h;
				if (s == r->name || s >= r->end)
					continue;   /* the name, or past the end (retired next) */
				sb_add(t, src + s, e - s);
				sb_addc(t, 0);
				h = mh_add(&r->mh, v);
				if ((long)r->def == capture && h) {
					ARRAY_GROW(*cap, *capcap, *ncap + 1);
					(*cap)[(*ncap)++] = h;
				}
			}
		}
skip:
		while (!ts_tree_cursor_goto_next_sibling(&c))
			if (!ts_tree_cursor_goto_parent(&c))
				goto done;
	}
done:
	ts_tree_cursor_delete(&c);
	for (size_t i = 0; i < nactive; i++)
		finish_def(ex, out, &ex->runs[ex->active[i]]);
	for (; next < nruns; next++)
		finish_def(ex, out, &ex->runs[next]);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* extractor_run, and with capture >= 0 the shingles of that definition. */
static int run(struct extractor *ex, int lang, const char *src, size_t len,
	       struct xresult *out, uint32_t capture_line, uint64_t **cap, long *ncap)
{
	TSTree *tree;
	xresult_clear(out);
	if (lang < 0 || lang >= NLANGS || len > UINT32_MAX)
		return -1;
	if (ex->current != lang) {
		if (!ts_parser_set_language(ex->parser, langs[lang].grammar()))
			return -1;
		ex->current = lang;
	}
	tree = ts_parser_parse_string(ex->parser, NULL, src, (uint32_t)len);
	if (!tree)
		return -1;
	langs[lang].extract(tree, src, len, out);
	xresult_sort(out);
	if (!cap) {
		fingerprint_defs(ex, lang, ts_tree_root_node(tree), src, len, out, -1, NULL, NULL, NULL);
	} else {
		long which = -1;
		size_t n = 0, capcap = 0, k = 0;
		for (size_t i = 0, d = 0; i < out->nsyms && which < 0; i++)
			if (out->syms[i].kind == SK_FUNCTION) {
				if (out->syms[i].line == capture_line)
					which = (long)d;
				d++;
			}
		*cap = NULL;
		fingerprint_defs(ex, lang, ts_tree_root_node(tree), src, len, out, which, cap, &n,
				 &capcap);
		if (n > 1)
			qsort(*cap, n, sizeof(**cap), cmp_u64);
		for (size_t i = 0; i < n; i++)
			if (i == 0 || (*cap)[i] != (*cap)[k - 1])
				(*cap)[k++] = (*cap)[i];
		*ncap = which < 0 ? -1 : (long)k;
	}
	ts_tree_delete(tree);
	return 0;
}

int extractor_run(struct extractor *ex, int lang, const char *src, size_t len,
		  struct xresult *out)
{
	return run(ex, lang, src, len, out, 0, NULL, NULL);
}

long extractor_def_shingles(struct extractor *ex, int lang, const char *src, size_t len,
			    uint32_t line, uint64_t **set)
{
	struct xresult x;
	long n = -1;
	xresult_init(&x);
	*set = NULL;
	if (run(ex, lang, src, len, &x, line, set, &n) < 0)
		n = -1;
	if (n < 0) {
		free(*set);
		*set = NULL;
	}
	xresult_release(&x);
	return n;
}

void xresult_print(FILE *f, const char *path, const struct xresult *r)
{
	for (size_t i = 0; i < r->nsyms; i++) {
		const struct xsym *s = &r->syms[i];
		fprintf(f, "sym %s:%u:%u-%u:%u %s %s", path, s->line, s->col, s->end_line,
			s->end_col, sym_kind_name(s->kind), xstr(r, s->name));
		if (s->flags & SYM_STATIC)
			fputs(" static", f);
		if (s->parent >= 0)
			fprintf(f, " in %s", xstr(r, r->syms[s->parent].name));
		fputc('\n', f);
	}
	for (size_t i = 0; i < r->ncalls; i++) {
		const struct xcall *c = &r->calls[i];
		fprintf(f, "call %s:%u:%u %s -> %s", path, c->line, c->col,
			c->caller >= 0 ? xstr(r, r->syms[c->caller].name) : "-", xstr(r, c->callee));
		if (c->receiver)
			fprintf(f, " via %s", xstr(r, c->receiver));
		if (c->flags & CALL_DYNAMIC)
			fputs(" dynamic", f);
		fputc('\n', f);
	}
}
