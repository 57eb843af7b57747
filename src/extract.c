/* extract.c — the language table, the extractor (one TSParser per language,
 * owned by one thread) and the xresult value type. */
#include "extract.h"
#include "lang.h"
#include "util.h"
#include "grammar_versions.h"

#include <stdlib.h>
#include <string.h>

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
	r->nsyms = r->ncalls = 0;
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
	if (r->ncalls > 1)
		qsort_r(r->calls, r->ncalls, sizeof(*r->calls), cmp_call, r);
	free(r->syms);
	r->syms = ns;
	r->syms_cap = r->nsyms;
	free(order);
	free(where);
}

/* ---- extractor ---------------------------------------------------------- */

struct extractor {
	TSParser *parser;
	int current;             /* language the parser is set to, or -1 */
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
	free(ex);
}

int extractor_run(struct extractor *ex, int lang, const char *src, size_t len,
		  struct xresult *out)
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
	ts_tree_delete(tree);
	xresult_sort(out);
	return 0;
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
