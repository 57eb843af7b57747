/* extract.c — the language table, the extractor (a TSParser per file in
 * its arena, owned by one thread) and the xresult value type. */
#include "extract.h"
#include "lang.h"
#include "tsarena.h"
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
	[SK_METHOD] = "method",       [SK_CLASS] = "class",
	[SK_INTERFACE] = "interface", [SK_TRAIT] = "trait",
	[SK_NAMESPACE] = "namespace", [SK_MODULE] = "module",
};

int sym_kind_callable(int kind, int lang)
{
	return kind == SK_FUNCTION || kind == SK_METHOD || kind == SK_FMACRO ||
	       (lang != LANG_C && sym_kind_is_type(kind));  /* C has no constructors */
}

int sym_kind_is_type(int kind)
{
	return kind == SK_CLASS || kind == SK_STRUCT || kind == SK_INTERFACE ||
	       kind == SK_TRAIT || kind == SK_ENUM || kind == SK_UNION;
}

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
	/* lexical conventions, for reading definitions' tokens (fingerprint_defs) */
	const char *line_comment;          /* e.g. "//" */
	const char *block_open, *block_close; /* e.g. "/" "*" and "*" "/" */
	const char *quotes;                /* characters opening literals */
};

static const char *const no_interp[] = { NULL };
static const char *const c_exts[] = { ".c", ".h", NULL };
static const char *const cpp_exts[] = { ".cc", ".cpp", ".cxx", ".c++", ".hh", ".hpp", ".hxx",
					".h++", ".ipp", ".tcc", NULL };
static const char *const py_exts[] = { ".py", NULL };
static const char *const py_interp[] = { "python", NULL };
static const char *const js_exts[] = { ".js", ".mjs", ".cjs", ".jsx", NULL };
static const char *const js_interp[] = { "node", "nodejs", NULL };
static const char *const ts_exts[] = { ".ts", ".mts", ".cts", NULL };
static const char *const ts_interp[] = { "ts-node", "tsx", "deno", NULL };
static const char *const tsx_exts[] = { ".tsx", NULL };
static const char *const go_exts[] = { ".go", NULL };
static const char *const rs_exts[] = { ".rs", NULL };
static const char *const java_exts[] = { ".java", NULL };

static const struct lang_def langs[] = {
	{ "c", "c@" GRAMMAR_VERSION_tree_sitter_c, c_exts, no_interp, tree_sitter_c, lang_c_extract,
	  "//", "/*", "*/", "\"'" },
	{ "cpp", "cpp@" GRAMMAR_VERSION_tree_sitter_cpp, cpp_exts, no_interp, tree_sitter_cpp,
	  lang_cpp_extract, "//", "/*", "*/", "\"'" },
	{ "python", "python@" GRAMMAR_VERSION_tree_sitter_python, py_exts, py_interp,
	  tree_sitter_python, lang_python_extract, "#", NULL, NULL, "\"'" },
	{ "javascript", "javascript@" GRAMMAR_VERSION_tree_sitter_javascript, js_exts, js_interp,
	  tree_sitter_javascript, lang_javascript_extract, "//", "/*", "*/", "\"'`" },
	{ "typescript", "typescript@" GRAMMAR_VERSION_tree_sitter_typescript, ts_exts, ts_interp,
	  tree_sitter_typescript, lang_typescript_extract, "//", "/*", "*/", "\"'`" },
	{ "tsx", "tsx@" GRAMMAR_VERSION_tree_sitter_typescript, tsx_exts, no_interp,
	  tree_sitter_tsx, lang_tsx_extract, "//", "/*", "*/", "\"'`" },
	{ "go", "go@" GRAMMAR_VERSION_tree_sitter_go, go_exts, no_interp, tree_sitter_go,
	  lang_go_extract, "//", "/*", "*/", "\"'`" },
	{ "rust", "rust@" GRAMMAR_VERSION_tree_sitter_rust, rs_exts, no_interp, tree_sitter_rust,
	  lang_rust_extract, "//", "/*", "*/", "\"" },
	{ "java", "java@" GRAMMAR_VERSION_tree_sitter_java, java_exts, no_interp, tree_sitter_java,
	  lang_java_extract, "//", "/*", "*/", "\"'" },
};
#define NLANGS ((int)(sizeof(langs) / sizeof(langs[0])))
_Static_assert(NLANGS == LANG__COUNT, "enum lang_id follows the language table");

int lang_family(int lang)
{
	switch (lang) {
	case LANG_CPP: return LANG_C;
	case LANG_TYPESCRIPT: case LANG_TSX: return LANG_JAVASCRIPT;
	default: return lang;
	}
}

int lang_by_name(const char *name)
{
	for (int l = 0; l < NLANGS; l++)
		if (!strcmp(langs[l].name, name))
			return l;
	return -1;
}

int lang_count(void) { return NLANGS; }

void lang_names_add(struct strbuf *sb)
{
	for (int l = 0; l < NLANGS; l++)
		sb_addf(sb, "%s%s", l ? ", " : "", langs[l].name);
}

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
	r->nsyms = r->ncalls = r->ndefs = r->nimports = 0;
	r->parse_errors = 0;
	r->module = 0;
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
	free(r->imports);
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

uint32_t xresult_path_str(struct xresult *r, const char *src, uint32_t a, uint32_t b)
{
	char buf[128];
	size_t n = 0;
	for (uint32_t i = a; i < b && n < sizeof(buf); i++) {
		char c = src[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if ((c == ':' && i + 1 < b && src[i + 1] == ':') ||
		    (c == '-' && i + 1 < b && src[i + 1] == '>')) {
			buf[n++] = '.';
			i++;
			continue;
		}
		buf[n++] = c;
	}
	return xresult_str(r, buf, n);
}

uint32_t ts_count_errors(TSNode root)
{
	TSTreeCursor cur;
	uint32_t n = 0;
	if (!ts_node_has_error(root))
		return 0;
	cur = ts_tree_cursor_new(root);
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&cur);
		if (ts_node_is_error(node) || ts_node_is_missing(node))
			n++;
		if (ts_node_has_error(node) && ts_tree_cursor_goto_first_child(&cur))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&cur))
			if (!ts_tree_cursor_goto_parent(&cur)) {
				ts_tree_cursor_delete(&cur);
				return n;
			}
	}
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

void xresult_add_import(struct xresult *r, const struct ximport *im)
{
	ARRAY_GROW(r->imports, r->imports_cap, r->nimports + 1);
	r->imports[r->nimports++] = *im;
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

struct extractor {
	struct tsarena arena;    /* each file's parser and tree (tsarena.h) */
	uint64_t *keywords[NLANGS]; /* per language: hash set of its keywords, made on first use */
	size_t nkw_slots[NLANGS];
	uint8_t lexcls[NLANGS][256]; /* per language and byte: enum lex_class (with keywords) */
	uint32_t *lines;         /* byte offset of each line of the current file */
	size_t lines_cap;
};

struct extractor *extractor_new(void)
{
	struct extractor *ex = xcalloc(1, sizeof(*ex));
	tsarena_install();
	return ex;
}

void extractor_free(struct extractor *ex)
{
	if (!ex)
		return;
	tsarena_release(&ex->arena);
	for (int l = 0; l < NLANGS; l++)
		free(ex->keywords[l]);
	free(ex->lines);
	free(ex);
}

/* ---- duplicate-detection fingerprints ----------------------------------- */

/* A definition's tokens are read from its text with the language's lexical
 * conventions (comments, literals) and its keywords, which come from the
 * grammar (its anonymous word tokens). Walking the parse tree's leaves gives
 * the same tokens, but tree-sitter's cursor costs hundreds of instructions a
 * node: that walk made extraction 13% slower, this lexer about 1%.
 *
 * Normalised, names become one placeholder, numbers another, string and
 * character literals a third, so that renaming leaves the stream unchanged;
 * keywords, operators and punctuation stay as written. */

enum lex_class { LX_OTHER, LX_SPACE, LX_WORD, LX_DIGIT, LX_QUOTE, LX_COMMENT = 8 };

#define TOK_IDENT 0x49
#define TOK_NUM 0x4e
#define TOK_STR 0x53

static inline int word_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static inline int word_char(unsigned char c)
{
	return word_start(c) || (c >= '0' && c <= '9') || c == '$';
}

static uint64_t *keyword_set(struct extractor *ex, int lang, size_t *nslots)
{
	const TSLanguage *g;
	uint32_t n;
	size_t cap = 64;
	if (ex->keywords[lang]) {
		*nslots = ex->nkw_slots[lang];
		return ex->keywords[lang];
	}
	g = langs[lang].grammar();
	n = ts_language_symbol_count(g);
	while (cap < 4 * (size_t)n)
		cap *= 2;
	ex->keywords[lang] = xcalloc(cap, sizeof(uint64_t));
	ex->nkw_slots[lang] = cap;
	for (unsigned c = 0; c < 256; c++) {
		const struct lang_def *L = &langs[lang];
		uint8_t k = word_start((unsigned char)c) ? LX_WORD : c >= '0' && c <= '9' ? LX_DIGIT :
			    c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ?
			    LX_SPACE : c && strchr(L->quotes, (int)c) ? LX_QUOTE : LX_OTHER;
		if ((L->line_comment && (unsigned char)L->line_comment[0] == c) ||
		    (L->block_open && (unsigned char)L->block_open[0] == c))
			k |= LX_COMMENT;
		ex->lexcls[lang][c] = k;
	}
	for (uint32_t i = 0; i < n; i++) {
		const char *name = ts_language_symbol_name(g, (TSSymbol)i);
		size_t len, k;
		uint64_t h;
		if (!name || ts_language_symbol_type(g, (TSSymbol)i) != TSSymbolTypeAnonymous ||
		    !word_start((unsigned char)name[0]))
			continue;
		for (len = 1; word_char((unsigned char)name[len]); len++)
			;
		if (name[len])
			continue;
		h = XXH3_64bits(name, len) | 1;
		for (k = h & (cap - 1); ex->keywords[lang][k] && ex->keywords[lang][k] != h;
		     k = (k + 1) & (cap - 1))
			;
		ex->keywords[lang][k] = h;
	}
	*nslots = cap;
	return ex->keywords[lang];
}

static int is_keyword(const uint64_t *set, size_t nslots, uint64_t h)
{
	for (size_t k = h & (nslots - 1); set[k]; k = (k + 1) & (nslots - 1))
		if (set[k] == h)
			return 1;
	return 0;
}

/* Operators read as one token (longest first), common to C-like languages:
 * >>= <<= ... ->* <=> -> ++ -- << >> <= >= == != && || += -= *= /= %= &= |=
 * ^= :: ## */
static size_t operator_len(const char *p, size_t left)
{
	char c = p[0], d = left > 1 ? p[1] : 0, e = left > 2 ? p[2] : 0;
	switch (c) {
	case '-': return d == '>' ? (e == '*' ? 3 : 2) : d == '-' || d == '=' ? 2 : 1;
	case '+': return d == '+' || d == '=' ? 2 : 1;
	case '<': return d == '<' ? (e == '=' ? 3 : 2) : d == '=' ? (e == '>' ? 3 : 2) : 1;
	case '>': return d == '>' ? (e == '=' ? 3 : 2) : d == '=' ? 2 : 1;
	case '.': return d == '.' && e == '.' ? 3 : 1;
	case '&': return d == '&' || d == '=' ? 2 : 1;
	case '|': return d == '|' || d == '=' ? 2 : 1;
	case ':': return d == ':' ? 2 : 1;
	case '#': return d == '#' ? 2 : 1;
	case '=': case '!': case '*': case '/': case '%': case '^': return d == '=' ? 2 : 1;
	default: return 1;
	}
}

/* Byte offset of 1-based (line, byte column col) in the current file,
 * clamped to len. */
static uint32_t line_col_byte(const struct extractor *ex, size_t nlines, size_t len,
			      uint32_t line, uint32_t col)
{
	uint64_t b;
	if (line == 0 || line > nlines)
		return (uint32_t)len;
	b = (uint64_t)ex->lines[line - 1] + col;
	return b > len ? (uint32_t)len : (uint32_t)b;
}

/* Read the tokens of src[a, b) (the first one, the name, left out) into d;
 * with cap, also collect the shingle hashes. */
static void fingerprint_def(const struct lang_def *L, const uint8_t *cls, const uint64_t *kw,
			    size_t nkw, const char *src, uint32_t a, uint32_t b, struct xdef *d,
			    uint64_t **cap, size_t *ncap, size_t *capcap)
{
	size_t lc = L->line_comment ? strlen(L->line_comment) : 0;
	size_t bo = L->block_open ? strlen(L->block_open) : 0;
	size_t bc = L->block_close ? strlen(L->block_close) : 0;
	struct mh_state mh;
	uint64_t exact = 0;
	uint32_t p = a;
	int first = 1;
	mh_init(&mh);
	for (;;) {
		unsigned char c;
		uint8_t k;
		uint32_t start;
		uint64_t v, raw;
		while (p < b && cls[(unsigned char)src[p]] == LX_SPACE)
			p++;
		if (p >= b)
			break;
		c = (unsigned char)src[p];
		k = cls[c];
		start = p;
		if (k & LX_COMMENT) {
			if (lc && b - p >= lc && !memcmp(src + p, L->line_comment, lc)) {
				const char *nl = memchr(src + p, '\n', b - p);
				p = nl ? (uint32_t)(nl - src) : b;
				continue;
			}
			if (bo && b - p >= bo && !memcmp(src + p, L->block_open, bo)) {
				const char *e = memmem(src + p + bo, b - p - bo, L->block_close, bc);
				p = e ? (uint32_t)(e - src) + (uint32_t)bc : b;
				continue;
			}
			k &= ~LX_COMMENT;
		}
		if (k == LX_WORD) {
			for (p++; p < b && ((cls[(unsigned char)src[p]] & 7) == LX_WORD ||
					    (cls[(unsigned char)src[p]] & 7) == LX_DIGIT || src[p] == '$'); p++)
				;
			raw = XXH3_64bits(src + start, p - start) | 1;
			v = is_keyword(kw, nkw, raw) ? raw : TOK_IDENT;
		} else if (k == LX_DIGIT || (c == '.' && p + 1 < b && cls[(unsigned char)src[p + 1]] == LX_DIGIT)) {
			for (p++; p < b; p++) {
				char x = src[p];
				if (!word_char((unsigned char)x) && x != '.' &&
				    !((x == '+' || x == '-') && (src[p - 1] == 'e' || src[p - 1] == 'E' ||
								 src[p - 1] == 'p' || src[p - 1] == 'P')))
					break;
			}
			raw = XXH3_64bits(src + start, p - start);
			v = TOK_NUM;
		} else if (k == LX_QUOTE) {
			for (p++; p < b && (unsigned char)src[p] != c && src[p] != '\n'; p++)
				if (src[p] == '\\' && p + 1 < b)
					p++;
			if (p < b && (unsigned char)src[p] == c)
				p++;
			raw = XXH3_64bits(src + start, p - start);
			v = TOK_STR;
		} else if (c == '\\' && p + 1 < b && (src[p + 1] == '\n' || src[p + 1] == '\r')) {
			p++;   /* a backslash-newline joins lines */
			continue;
		} else {
			p += (uint32_t)operator_len(src + p, b - p);
			raw = v = XXH3_64bits(src + start, p - start);
		}
		if (first && start == a) {
			first = 0;   /* the name */
			continue;
		}
		first = 0;
		/* the exact hash: the tokens' text in order, each hashed whole */
		exact = (exact ^ raw) * 0x9e3779b97f4a7c15ULL;
		exact ^= exact >> 29;
		v = mh_add(&mh, v);
		if (cap && v) {
			ARRAY_GROW(*cap, *capcap, *ncap + 1);
			(*cap)[(*ncap)++] = v;
		}
	}
	d->ntokens = mh.ntokens;
	d->hash = mh_mix(exact ^ mh.ntokens);
	d->has_sig = d->ntokens >= DUP_SIG_FLOOR && mh_finish(&mh, d->sig, d->bands) == 0;
}

/* Fill out->defs: one per function symbol, over its text from its name
 * (xsym line/col) to its end. capture >= 0: also the shingle hashes of
 * definition number `capture`, in *cap. */
static void fingerprint_defs(struct extractor *ex, int lang, const char *src, size_t len,
			     struct xresult *out, long capture,
			     uint64_t **cap, size_t *ncap, size_t *capcap)
{
	size_t nlines = 1, n = 0, nkw;
	const uint64_t *kw = keyword_set(ex, lang, &nkw);

	out->ndefs = 0;
	for (size_t i = 0; i < out->nsyms; i++)
		n += sym_kind_has_body(out->syms[i].kind);
	if (!n)
		return;
	ARRAY_GROW(ex->lines, ex->lines_cap, 1);
	ex->lines[0] = 0;
	for (const char *p = src, *e = src + len; (p = memchr(p, '\n', (size_t)(e - p))); p++) {
		if (nlines == ex->lines_cap)
			ARRAY_GROW(ex->lines, ex->lines_cap, nlines + 1);
		ex->lines[nlines++] = (uint32_t)(p + 1 - src);
	}
	ARRAY_GROW(out->defs, out->defs_cap, n);
	for (size_t i = 0; i < out->nsyms; i++) {
		const struct xsym *y = &out->syms[i];
		struct xdef *d;
		uint32_t a, b;
		if (!sym_kind_has_body(y->kind))
			continue;
		d = &out->defs[out->ndefs];
		memset(d, 0, sizeof(*d));
		d->sym = (uint32_t)i;
		a = line_col_byte(ex, nlines, len, y->line, y->col - 1);
		b = line_col_byte(ex, nlines, len, y->end_line, y->end_col);
		fingerprint_def(&langs[lang], ex->lexcls[lang], kw, nkw, src, a, b < a ? a : b, d,
				(long)out->ndefs == capture ? cap : NULL, ncap, capcap);
		out->ndefs++;
	}
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
	TSParser *parser;
	TSTree *tree;
	int rc = -1;
	xresult_clear(out);
	if (lang < 0 || lang >= NLANGS || len > UINT32_MAX)
		return -1;
	/* A parser of its own in the arena: the parser, the tree and the
	 * walk's allocations go with tsarena_leave, none deleted piecemeal. */
	tsarena_enter(&ex->arena);
	parser = ts_parser_new();
	if (parser && ts_parser_set_language(parser, langs[lang].grammar()) &&
	    (tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)len))) {
		langs[lang].extract(tree, src, len, out);
		rc = 0;
	}
	tsarena_leave(&ex->arena);
	if (rc < 0)
		return -1;
	xresult_sort(out);
	if (!cap) {
		fingerprint_defs(ex, lang, src, len, out, -1, NULL, NULL, NULL);
	} else {
		long which = -1;
		size_t n = 0, capcap = 0, k = 0;
		for (size_t i = 0, d = 0; i < out->nsyms && which < 0; i++)
			if (sym_kind_has_body(out->syms[i].kind)) {
				if (out->syms[i].line == capture_line)
					which = (long)d;
				d++;
			}
		*cap = NULL;
		fingerprint_defs(ex, lang, src, len, out, which, cap, &n, &capcap);
		if (n > 1)
			qsort(*cap, n, sizeof(**cap), cmp_u64);
		for (size_t i = 0; i < n; i++)
			if (i == 0 || (*cap)[i] != (*cap)[k - 1])
				(*cap)[k++] = (*cap)[i];
		*ncap = which < 0 ? -1 : (long)k;
	}
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

static void print_qname(FILE *f, const struct xresult *r, const struct xsym *s)
{
	if (s->scope)
		fprintf(f, "%s.", xstr(r, s->scope));
	fputs(xstr(r, s->name), f);
}

void xresult_print(FILE *f, const char *path, const struct xresult *r)
{
	static const struct { uint8_t flag; const char *word; } call_words[] = {
		{ CALL_DYNAMIC, "dynamic" }, { CALL_MEMBER, "member" }, { CALL_SCOPED, "scoped" },
		{ CALL_NEW, "new" }, { CALL_SELF, "self" }, { CALL_SUPER, "super" },
	};
	if (r->module)
		fprintf(f, "module %s %s\n", path, xstr(r, r->module));
	for (size_t i = 0; i < r->nimports; i++) {
		const struct ximport *im = &r->imports[i];
		fprintf(f, "import %s:%u %s", path, im->line, xstr(r, im->module));
		if (im->name)
			fprintf(f, " name %s", xstr(r, im->name));
		if (im->alias)
			fprintf(f, " as %s", xstr(r, im->alias));
		fputc('\n', f);
	}
	for (size_t i = 0; i < r->nsyms; i++) {
		const struct xsym *s = &r->syms[i];
		fprintf(f, "sym %s:%u:%u-%u:%u %s ", path, s->line, s->col, s->end_line,
			s->end_col, sym_kind_name(s->kind));
		print_qname(f, r, s);
		if (s->flags & SYM_STATIC)
			fputs(" static", f);
		if (s->parent >= 0) {
			fputs(" in ", f);
			print_qname(f, r, &r->syms[s->parent]);
		}
		if (s->bases)
			fprintf(f, " bases %s", xstr(r, s->bases));
		fputc('\n', f);
	}
	for (size_t i = 0; i < r->ncalls; i++) {
		const struct xcall *c = &r->calls[i];
		fprintf(f, "call %s:%u:%u ", path, c->line, c->col);
		if (c->caller >= 0)
			print_qname(f, r, &r->syms[c->caller]);
		else
			fputc('-', f);
		fprintf(f, " -> %s", xstr(r, c->callee));
		if (c->receiver)
			fprintf(f, " via %s", xstr(r, c->receiver));
		for (size_t k = 0; k < sizeof(call_words) / sizeof(call_words[0]); k++)
			if (c->flags & call_words[k].flag)
				fprintf(f, " %s", call_words[k].word);
		fputc('\n', f);
	}
}
