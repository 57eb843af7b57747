/* grammars/c/lang.c — C extraction: definitions and call sites from a
 * tree-sitter-c tree, with recovery for code the parser could not fully
 * understand (kernel-style macros, attributes, ...). See README.md. */
#include "lang.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- grammar symbols, looked up once ------------------------------------ */

enum {
	N_FUNCTION_DEFINITION, N_DECLARATION, N_TYPE_DEFINITION, N_STRUCT, N_UNION, N_ENUM,
	N_ENUMERATOR, N_PREPROC_DEF, N_PREPROC_FUNCTION_DEF, N_CALL, N_IDENTIFIER,
	N_FIELD_IDENTIFIER, N_TYPE_IDENTIFIER, N_FIELD_EXPRESSION, N_PAREN_EXPRESSION,
	N_POINTER_EXPRESSION, N_SUBSCRIPT_EXPRESSION, N_PARAMETER_LIST, N_COMPOUND,
	N_FUNCTION_DECLARATOR, N_POINTER_DECLARATOR, N_PAREN_DECLARATOR, N_INIT_DECLARATOR,
	N_ARRAY_DECLARATOR, N_ATTRIBUTED_DECLARATOR, N_STORAGE_CLASS, N_COMMENT, N_STRING,
	N_NUMBER, N_CHAR, N_PREPROC_INCLUDE, N_PREPROC_CALL, N_PRIMITIVE_TYPE,
	N_CONCAT_STRING, N_MACRO_TYPE_SPECIFIER, N_SIZED_TYPE_SPECIFIER,
	N_ATTRIBUTE_SPECIFIER, N_TYPE_QUALIFIER, N_TYPE_DESCRIPTOR, N_PREPROC_PARAMS,
	N_PREPROC_DEFINED,
	N__COUNT
};

static const char *const node_names[N__COUNT] = {
	[N_FUNCTION_DEFINITION] = "function_definition",
	[N_DECLARATION] = "declaration",
	[N_TYPE_DEFINITION] = "type_definition",
	[N_STRUCT] = "struct_specifier",
	[N_UNION] = "union_specifier",
	[N_ENUM] = "enum_specifier",
	[N_ENUMERATOR] = "enumerator",
	[N_PREPROC_DEF] = "preproc_def",
	[N_PREPROC_FUNCTION_DEF] = "preproc_function_def",
	[N_CALL] = "call_expression",
	[N_IDENTIFIER] = "identifier",
	[N_FIELD_IDENTIFIER] = "field_identifier",
	[N_TYPE_IDENTIFIER] = "type_identifier",
	[N_FIELD_EXPRESSION] = "field_expression",
	[N_PAREN_EXPRESSION] = "parenthesized_expression",
	[N_POINTER_EXPRESSION] = "pointer_expression",
	[N_SUBSCRIPT_EXPRESSION] = "subscript_expression",
	[N_PARAMETER_LIST] = "parameter_list",
	[N_COMPOUND] = "compound_statement",
	[N_FUNCTION_DECLARATOR] = "function_declarator",
	[N_POINTER_DECLARATOR] = "pointer_declarator",
	[N_PAREN_DECLARATOR] = "parenthesized_declarator",
	[N_INIT_DECLARATOR] = "init_declarator",
	[N_ARRAY_DECLARATOR] = "array_declarator",
	[N_ATTRIBUTED_DECLARATOR] = "attributed_declarator",
	[N_STORAGE_CLASS] = "storage_class_specifier",
	[N_COMMENT] = "comment",
	[N_STRING] = "string_literal",
	[N_NUMBER] = "number_literal",
	[N_CHAR] = "char_literal",
	[N_PREPROC_INCLUDE] = "preproc_include",
	[N_PREPROC_CALL] = "preproc_call",
	[N_PRIMITIVE_TYPE] = "primitive_type",
	[N_CONCAT_STRING] = "concatenated_string",
	[N_MACRO_TYPE_SPECIFIER] = "macro_type_specifier",
	[N_SIZED_TYPE_SPECIFIER] = "sized_type_specifier",
	[N_ATTRIBUTE_SPECIFIER] = "attribute_specifier",
	[N_TYPE_QUALIFIER] = "type_qualifier",
	[N_TYPE_DESCRIPTOR] = "type_descriptor",
	[N_PREPROC_PARAMS] = "preproc_params",
	[N_PREPROC_DEFINED] = "preproc_defined",
};

enum { F_DECLARATOR, F_BODY, F_NAME, F_TYPE, F_FUNCTION, F_ARGUMENT, F_FIELD, F__COUNT };
static const char *const field_names[F__COUNT] = {
	[F_DECLARATOR] = "declarator", [F_BODY] = "body", [F_NAME] = "name",
	[F_TYPE] = "type", [F_FUNCTION] = "function", [F_ARGUMENT] = "argument",
	[F_FIELD] = "field",
};

/* What the walker does with each grammar symbol (indexed by TSSymbol). */
enum {
	A_NONE,     /* descend */
	A_SKIP = LANG_A_SKIP, /* leaf-like: never holds anything of interest */
	A_SPECIAL,  /* handled in visit() */
	A_CLEAN,    /* of no interest unless it holds parse errors (to count) */
};

static TSSymbol sym[N__COUNT];
static TSSymbol sym_lbrace;   /* the anonymous '{' token */
static TSFieldId fld[F__COUNT];
static struct lang_tables tab; /* node_id, action (A_*) per TSSymbol */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int debug_recovery;   /* CIDX_DEBUG_RECOVERY is set: print statistics */

static void init_tables(void)
{
	const TSLanguage *l = tree_sitter_c();
	debug_recovery = getenv("CIDX_DEBUG_RECOVERY") != NULL;
	/* tokens (anonymous symbols) have no children: A_SKIP */
	lang_tables_init(&tab, l, node_names, N__COUNT, sym);
	lang_fields_init(l, field_names, F__COUNT, fld);
	static const int skip[] = { N_COMMENT, N_NUMBER, N_PRIMITIVE_TYPE, N_TYPE_IDENTIFIER,
				    N_FIELD_IDENTIFIER, N_IDENTIFIER };
	LANG_MARK(&tab, tab.action, skip, A_SKIP);
	static const int clean[] = { N_PARAMETER_LIST, N_TYPE_DESCRIPTOR, N_SIZED_TYPE_SPECIFIER,
				     N_PREPROC_PARAMS, N_PREPROC_DEFINED, N_STRING, N_CHAR,
				     N_PREPROC_INCLUDE, N_PREPROC_CALL, N_CONCAT_STRING,
				     N_TYPE_QUALIFIER, N_STORAGE_CLASS, N_ATTRIBUTE_SPECIFIER };
	LANG_MARK(&tab, tab.action, clean, A_CLEAN);
	static const int special[] = { N_FUNCTION_DEFINITION, N_DECLARATION, N_TYPE_DEFINITION,
				       N_STRUCT, N_UNION, N_ENUM, N_ENUMERATOR, N_PREPROC_DEF,
				       N_PREPROC_FUNCTION_DEF, N_CALL, N_COMPOUND };
	LANG_MARK(&tab, tab.action, special, A_SPECIAL);
	sym_lbrace = ts_language_symbol_for_name(l, "{", 1, false);
	if (sym_lbrace < tab.nsymbols)
		tab.action[sym_lbrace] = A_SPECIAL;
}

static inline int nid(TSSymbol s)
{
	return lang_nid(&tab, s);
}

static inline bool is(TSNode n, int which)
{
	return ts_node_symbol(n) == sym[which];
}

/* ---- walker state ------------------------------------------------------- */

enum scope_kind {
	SC_FUNC,    /* a function definition: calls inside belong to sym */
	SC_BLOCK,   /* a block that is not at file scope but has no function */
	SC_TAG,     /* struct/union/enum body: parent of enumerators/nested tags */
	SC_ERROR,   /* inside an ERROR node */
};

struct scope {
	uint32_t depth;     /* tree depth of the node that opened it */
	uint32_t body;      /* SC_FUNC: where the body starts */
	uint32_t end;       /* end byte (scopes also close by position) */
	int32_t sym;
	uint8_t kind;
};

#define RECENT 8

struct walker {
	const char *src;
	size_t len;
	struct xresult *out;
	TSNode *anc;        /* the nodes from the root down to the current one */
	size_t anc_cap;
	struct scope *sc;
	size_t nsc, sc_cap;
	uint32_t min_end;   /* the earliest end of a scope in sc */
	int32_t func;       /* innermost function symbol or -1 */
	uint32_t body_start; /* ... whose body starts there */
	int32_t rfunc;      /* a function recovered from loose tokens, or -1 */
	uint32_t pending_body; /* a function's body starts there (0: none) */
	int32_t pending_sym;
	uint32_t pending_end;
	uint32_t static_until; /* a header fragment with 'static' ends there */
	uint32_t rend;      /* ... whose body ends there (0: none) */
	uint32_t rbody;     /* ... and starts there */
	uint32_t blocks;    /* SC_FUNC/SC_BLOCK scopes open */
	uint32_t errors;    /* SC_ERROR scopes open */
	char *scratch;
	size_t scratch_cap;
	uint32_t memo_from, memo_at; /* col1_brace_end's last search */
	uint32_t recent[RECENT]; /* start bytes of the last calls' names */
	unsigned nrecent;
	/* statistics for CIDX_DEBUG_RECOVERY */
	struct {
		unsigned defs;        /* functions named by recovery */
		unsigned error_defs;  /* symbols found inside ERROR nodes */
		unsigned error_calls; /* calls found inside ERROR nodes */
		unsigned loose_calls; /* ... of which not call_expressions */
		int32_t *rec;         /* the recovered functions (debug only) */
		size_t nrec, rec_cap;
	} st;
};

static void recompute(struct walker *w)
{
	w->func = -1;
	w->blocks = w->errors = 0;
	if (w->rend) {
		w->func = w->rfunc;
		w->body_start = w->rbody;
		w->blocks = 1;
	}
	for (size_t i = 0; i < w->nsc; i++) {
		if (w->sc[i].kind == SC_FUNC) {
			w->func = w->sc[i].sym;
			w->body_start = w->sc[i].body;
			w->blocks++;
		} else if (w->sc[i].kind == SC_BLOCK) {
			w->blocks++;
		} else if (w->sc[i].kind == SC_ERROR) {
			w->errors++;
		}
	}
}

static void push_scope(struct walker *w, uint32_t depth, uint32_t end, int32_t s, int kind,
		       uint32_t body)
{
	if (w->nsc == w->sc_cap) {
		w->sc_cap = w->sc_cap ? w->sc_cap * 2 : 32;
		w->sc = realloc(w->sc, w->sc_cap * sizeof(*w->sc));
		if (!w->sc)
			abort();
	}
	if (kind == SC_FUNC || kind == SC_BLOCK) {
		/* code nests: a block ends with the function it is in, even
		 * where the parser ran it on */
		for (size_t i = w->nsc; i-- > 0;)
			if (w->sc[i].kind == SC_FUNC || w->sc[i].kind == SC_BLOCK) {
				if (end > w->sc[i].end)
					end = w->sc[i].end;
				break;
			}
		if (w->rend && end > w->rend)
			end = w->rend;
	}
	if (end < w->min_end)
		w->min_end = end;
	w->sc[w->nsc++] = (struct scope){ depth, body, end, s, (uint8_t)kind };
	if (kind == SC_FUNC) {
		w->func = s;
		w->body_start = body;
		w->blocks++;
	} else if (kind == SC_BLOCK) {
		w->blocks++;
	} else if (kind == SC_ERROR) {
		w->errors++;
	}
}

/* Close the scopes that node (depth, start) is not inside of. */
static inline void pop_scopes(struct walker *w, uint32_t depth, uint32_t start)
{
	if (w->sc[w->nsc - 1].depth < depth && start < w->min_end)
		return;
	size_t n = 0;
	w->min_end = UINT32_MAX;
	for (size_t i = 0; i < w->nsc; i++) {
		if (w->sc[i].depth >= depth || start >= w->sc[i].end)
			continue;
		if (w->sc[i].end < w->min_end)
			w->min_end = w->sc[i].end;
		w->sc[n++] = w->sc[i];
	}
	w->nsc = n;
	recompute(w);
}

static int32_t tag_parent(const struct walker *w)
{
	for (size_t i = w->nsc; i-- > 0;)
		if (w->sc[i].kind == SC_TAG || w->sc[i].kind == SC_FUNC)
			return w->sc[i].sym;
	return -1;
}

/* Function s was recovered from what the parser could not make sense of. */
static void recovered(struct walker *w, int32_t s)
{
	w->st.defs++;
	if (!debug_recovery)
		return;
	if (w->st.nrec == w->st.rec_cap) {
		w->st.rec_cap = w->st.rec_cap ? 2 * w->st.rec_cap : 64;
		w->st.rec = realloc(w->st.rec, w->st.rec_cap * sizeof(*w->st.rec));
		if (!w->st.rec)
			abort();
	}
	w->st.rec[w->st.nrec++] = s;
}

static size_t count_kind(const struct xresult *o, int kind)
{
	size_t n = 0;
	for (size_t i = 0; i < o->nsyms; i++)
		n += o->syms[i].kind == kind;
	return n;
}

/* Print the recovery statistics of one file (CIDX_DEBUG_RECOVERY). */
static void report_recovery(const struct walker *w)
{
	const struct xresult *o = w->out;
	size_t in_rec = 0, enclosed = 0;
	uint8_t *mark = calloc(o->nsyms + 1, 1);
	if (!mark)
		abort();
	for (size_t i = 0; i < w->st.nrec; i++)
		mark[w->st.rec[i]] = 1;
	for (size_t i = 0; i < o->ncalls; i++) {
		if (o->calls[i].caller >= 0) {
			enclosed++;
			in_rec += mark[o->calls[i].caller];
		}
	}
	fprintf(stderr, "cidx-recovery: functions=%zu recovered_functions=%u error_syms=%u "
		"calls=%zu enclosed=%zu calls_in_recovered=%zu error_calls=%u loose_calls=%u "
		"parse_errors=%u\n",
		count_kind(o, SK_FUNCTION), w->st.defs, w->st.error_defs, o->ncalls, enclosed,
		in_rec, w->st.error_calls, w->st.loose_calls, o->parse_errors);
	free(mark);
}

/* ---- small helpers ------------------------------------------------------ */

static TSNode field_child(TSNode n, int f)
{
	return ts_node_child_by_field_id(n, fld[f]);
}

static TSNode first_named_child(TSNode n)
{
	uint32_t k = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode c = ts_node_named_child(n, i);
		if (!is(c, N_COMMENT))
			return c;
	}
	return (TSNode){ 0 };
}

static bool has_storage(const struct walker *w, TSNode n, const char *word)
{
	size_t wl = strlen(word);
	TSTreeCursor c = ts_tree_cursor_new(n);
	bool found = false;
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			TSNode k = ts_tree_cursor_current_node(&c);
			if (is(k, N_STORAGE_CLASS)) {
				uint32_t a = ts_node_start_byte(k), b = ts_node_end_byte(k);
				if (b - a == wl && !memcmp(w->src + a, word, wl)) {
					found = true;
					break;
				}
			}
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
	return found;
}

/* The declared name below a declarator and what declares it:
 * function_declarator (a function), pointer/array (an object), or nothing. */
struct decl {
	TSNode name;
	int wrapper;   /* N_FUNCTION_DECLARATOR, N_POINTER_DECLARATOR, N_ARRAY_DECLARATOR or -1 */
	bool has_init;
	bool typedef_;  /* in: resolving a typedef's declarator */
};

static bool resolve_declarator(TSNode d, struct decl *out)
{
	/* callers set typedef_ (or zero-initialise) */
	out->wrapper = -1;
	out->has_init = false;
	out->name = (TSNode){ 0 };
	for (int guard = 0; guard < 64 && !ts_node_is_null(d); guard++) {
		int k = nid(ts_node_symbol(d));
		switch (k) {
		case N_IDENTIFIER:
		case N_TYPE_IDENTIFIER:
		case N_FIELD_IDENTIFIER:
		case N_PRIMITIVE_TYPE:
			/* typedef _Bool bool; but not STATIC int INIT f( */
			if (!out->typedef_ && k == N_PRIMITIVE_TYPE)
				return false;
			out->name = d;
			return ts_node_end_byte(d) > ts_node_start_byte(d);
		case N_INIT_DECLARATOR:
			out->has_init = true;
			d = field_child(d, F_DECLARATOR);
			break;
		case N_FUNCTION_DECLARATOR:
		case N_POINTER_DECLARATOR:
		case N_ARRAY_DECLARATOR:
			out->wrapper = k;
			d = field_child(d, F_DECLARATOR);
			break;
		case N_PAREN_DECLARATOR:
		case N_ATTRIBUTED_DECLARATOR:
			d = first_named_child(d);
			/* parenthesized_declarator may start with ms_call_modifier */
			while (!ts_node_is_null(d) && nid(ts_node_symbol(d)) < 0 &&
			       !ts_node_is_error(d))
				d = ts_node_next_named_sibling(d);
			break;
		default:
			return false;
		}
	}
	return false;
}

/* Add a symbol named by node name, ending where node whole ends. */
static int32_t add_sym(struct walker *w, TSNode name, int kind, int flags, TSNode whole,
		       int32_t parent)
{
	struct xsym s = { 0 };
	TSPoint p = ts_node_start_point(name);
	s.name = xresult_node_str(w->out, name, w->src);
	s.kind = (uint8_t)kind;
	s.flags = (uint8_t)flags;
	s.line = ts_line(p);
	s.col = ts_col(p);
	lang_end_pos(w->src, whole, true, &s.end_line, &s.end_col);
	s.parent = parent;
	if (w->errors)
		w->st.error_defs++;
	return xresult_add_sym(w->out, &s);
}

/* Copy src[a, b) collapsing whitespace runs to one space. */
static uint32_t collapsed_str(struct walker *w, uint32_t a, uint32_t b)
{
	size_t n = 0;
	bool sp = false;
	ARRAY_GROW(w->scratch, w->scratch_cap, b - a + 1);
	for (uint32_t i = a; i < b; i++) {
		char c = w->src[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			sp = true;
			continue;
		}
		if (sp && n > 0)
			w->scratch[n++] = ' ';
		sp = false;
		w->scratch[n++] = c;
	}
	return xresult_str(w->out, w->scratch, n);
}

static bool is_keyword(const char *s, size_t n)
{
	static const char *const kw[] = {
		"if", "while", "for", "switch", "return", "sizeof", "do", "else", "case",
		"goto", "typeof", "__typeof__", "__typeof", "_Alignof", "alignof",
		"__alignof__", "__attribute__", "__attribute", "asm", "__asm__", "__asm",
		"defined", "_Static_assert", "static_assert", "_Generic", "break",
		"continue", "default", "struct", "union", "enum", "typedef", "int", "char",
		"void", "long", "short", "unsigned", "signed", "float", "double", "const",
		"volatile", "static", "extern", "inline", "register", "auto", "_Bool",
		"__builtin_offsetof", "__extension__", "__volatile__",
	};
	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (kw[i][0] == s[0] && strlen(kw[i]) == n && !memcmp(kw[i], s, n))
			return true;
	return false;
}

/* Words that take parenthesized arguments after a function's parameters
 * or before its name without being its name. */
static bool is_attribute_word(const char *s, size_t n)
{
	static const char *const words[] = {
		"__attribute__", "__attribute", "__acquires", "__releases", "__must_hold",
		"__cond_acquires", "__cond_releases", "__printf", "__scanf", "__section",
		"__aligned", "__alloc_size", "__diagnose_as", "__counted_by", "asm",
		"__asm__", "__asm", "__nocapture", "__no_sanitize_or_inline",
		"__realloc_size", "__assume_aligned",
		"__annotate", "__ksym", "__retain",
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && !memcmp(words[i], s, n))
			return true;
	return false;
}

static void add_call(struct walker *w, TSNode name, uint32_t receiver, int flags)
{
	struct xcall c = { 0 };
	TSPoint p = ts_node_start_point(name);
	uint32_t a = ts_node_start_byte(name), b = ts_node_end_byte(name);
	if (b <= a || is_keyword(w->src + a, b - a) ||
	    ((w->src[a] == '_' || w->src[a] == 'a') && is_attribute_word(w->src + a, b - a)))
		return; /* not calls: sizeof(x), __aligned(8) */
	c.callee = xresult_str(w->out, w->src + a, b - a);
	c.receiver = receiver;
	c.line = ts_line(p);
	c.col = ts_col(p);
	c.caller = w->func;
	c.flags = (uint8_t)flags;
	if (w->errors)
		w->st.error_calls++;
	w->recent[w->nrecent++ % RECENT] = a;
	xresult_add_call(w->out, &c);
}

/* Record the call made by call_expression n. */
static void on_call(struct walker *w, TSNode n)
{
	TSNode f = field_child(n, F_FUNCTION);
	bool parens = false;
	for (int guard = 0; guard < 16 && !ts_node_is_null(f); guard++) {
		int k = nid(ts_node_symbol(f));
		if (k == N_IDENTIFIER) {
			/* (u32)(x) is a cast of x; (*fp)(x) below is a call */
			if (!parens)
				add_call(w, f, 0, 0);
			return;
		}
		if (k == N_FIELD_EXPRESSION) {
			TSNode field = field_child(f, F_FIELD), arg = field_child(f, F_ARGUMENT);
			if (ts_node_is_null(field) || ts_node_is_null(arg))
				return;
			add_call(w, field,
				 collapsed_str(w, ts_node_start_byte(arg), ts_node_end_byte(arg)),
				 CALL_DYNAMIC);
			return;
		}
		if (k == N_PAREN_EXPRESSION) {
			parens = true;
			f = first_named_child(f);
			continue;
		}
		if (k == N_POINTER_EXPRESSION || k == N_SUBSCRIPT_EXPRESSION) {
			/* (*fp)(x), tbl[i](x): through a pointer */
			TSNode a = field_child(f, F_ARGUMENT);
			if (k == N_POINTER_EXPRESSION && w->src[ts_node_start_byte(f)] != '*')
				return; /* (&x)(...): not through a pointer */
			if (!ts_node_is_null(a) && is(a, N_IDENTIFIER)) {
				add_call(w, a, 0, CALL_DYNAMIC);
				return;
			}
			f = a;
			parens = false;
			continue;
		}
		return;
	}
}

/* ---- recovery: function headers the parser lost ------------------------- */

static inline bool idch(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* The start of the logical line holding byte b (continued lines joined). */
static uint32_t logical_line_start(const char *s, uint32_t b)
{
	uint32_t ls = b;
	for (;;) {
		while (ls > 0 && s[ls - 1] != '\n')
			ls--;
		/* the line before ends with a backslash: same logical line */
		if (ls >= 2 && (s[ls - 2] == '\\' ||
				(ls >= 3 && s[ls - 2] == '\r' && s[ls - 3] == '\\'))) {
			ls--;
			continue;
		}
		return ls;
	}
}

/* Is byte b in a preprocessor directive? */
static bool in_directive(const char *s, uint32_t b)
{
	uint32_t i = logical_line_start(s, b);
	while (i < b && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < b && s[i] == '#';
}

/* Move p back over whitespace, comments and preprocessor lines. */
static uint32_t back_ws(const char *s, uint32_t p)
{
	for (int guard = 0; guard < 256; guard++) {
		while (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '\t' || s[p - 1] == '\n' ||
				 s[p - 1] == '\r' || s[p - 1] == '\f' || s[p - 1] == '\v'))
			p--;
		if (p == 0)
			return 0;
		if (p >= 2 && s[p - 1] == '/' && s[p - 2] == '*') {
			uint32_t q = p - 2;
			while (q >= 2 && !(s[q - 2] == '/' && s[q - 1] == '*'))
				q--;
			if (q < 2)
				return p;
			p = q - 2;
			continue;
		}
		/* the line holding s[p-1]: a directive, or ending in a line comment? */
		uint32_t ls = logical_line_start(s, p - 1), f;
		f = ls;
		while (f < p && (s[f] == ' ' || s[f] == '\t'))
			f++;
		if (f < p && s[f] == '#') {
			p = ls;
			continue;
		}
		ls = p;
		while (ls > 0 && s[ls - 1] != '\n')
			ls--;
		f = ls;
		while (f < p && (s[f] == ' ' || s[f] == '\t'))
			f++;
		char q = 0;
		for (uint32_t i = f; i + 1 < p; i++) {
			if (q) {
				if (s[i] == '\\')
					i++;
				else if (s[i] == q)
					q = 0;
			} else if (s[i] == '"' || s[i] == '\'') {
				q = s[i];
			} else if (s[i] == '/' && s[i + 1] == '/') {
				p = i;
				goto again;
			} else if (s[i] == '/' && s[i + 1] == '*') {
				/* a block comment opening on this line */
				uint32_t j = i + 2;
				while (j + 1 < p && !(s[j] == '*' && s[j + 1] == '/'))
					j++;
				i = j + 1;
			}
		}
		return p;
again:;
	}
	return p;
}


/* Words that can not be part of a function header. */
static bool is_statement_word(const char *s, size_t n)
{
	static const char *const kw[] = {
		"if", "else", "while", "for", "do", "switch", "return", "case", "goto",
		"sizeof", "typedef", "default", "break", "continue",
	};
	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (kw[i][0] == s[0] && strlen(kw[i]) == n && !memcmp(kw[i], s, n))
			return true;
	return false;
}

struct header {
	uint32_t name, name_end;   /* the function's name */
	uint32_t start;            /* the header's first token */
	bool is_static;
};

/* The function header ending just before the '{' at byte lbrace, read from
 * the text:  [static] TYPE... NAME ( ... ) [ATTR(...)...] {
 * The last parenthesized group not introduced by an attribute word names the
 * function (for SYSCALL_DEFINE3(open, ...) { that is the macro). A header
 * starts a line: its first token or its brace is in column 1. */
static bool header_before(const struct walker *w, uint32_t lbrace, struct header *h)
{
	const char *s = w->src;
	uint32_t p = lbrace;
	bool have = false;
	h->is_static = false;
	h->start = lbrace;
	h->name = h->name_end = 0;
	for (int tok = 0; tok < 48; tok++) {
		p = back_ws(s, p);
		if (p == 0)
			break;
		char c = s[p - 1];
		if (c == ')') {
			int d = 0;
			uint32_t q = p, e, b;
			while (q > 0) {
				char k = s[--q];
				if (k == ')')
					d++;
				else if (k == '(' && --d == 0)
					break;
				else if (k == ';' || k == '{' || k == '}')
					return false;
			}
			if (d != 0)
				return false;
			e = back_ws(s, q);
			for (b = e; b > 0 && idch(s[b - 1]); b--)
				;
			if (b == e || (s[b] >= '0' && s[b] <= '9')) {
				/* (*f(void))(int) and the like */
				if (!have)
					return false;
				break;
			}
			if (!have && is_keyword(s + b, e - b))
				return false;
			if (!have && !is_attribute_word(s + b, e - b)) {
				have = true;
				h->name = b;
				h->name_end = e;
			}
			p = b;
		} else if (idch(c)) {
			uint32_t b = p;
			while (b > 0 && idch(s[b - 1]))
				b--;
			if (tok == 0 || is_statement_word(s + b, p - b))
				return false; /* struct x {, else {, ... */
			if (p - b == 6 && !memcmp(s + b, "static", 6))
				h->is_static = true;
			p = b;
		} else if (c == '*' && have) {
			p--;
		} else {
			break;
		}
		h->start = p;
	}
	if (!have)
		return false;
	return h->start == 0 || s[h->start - 1] == '\n' || lbrace == 0 || s[lbrace - 1] == '\n';
}

/* Does 'static' come right before byte pos, among words and attributes
 * the parser may have left out of the definition starting there (in an
 * ERROR before it: static __printf(2, 3) | void f(...) {)? */
static bool static_before(const struct walker *w, uint32_t pos)
{
	const char *s = w->src;
	uint32_t p = pos;
	for (int tok = 0; tok < 16; tok++) {
		p = back_ws(s, p);
		if (p == 0)
			return false;
		if (idch(s[p - 1])) {
			uint32_t b = p;
			while (b > 0 && idch(s[b - 1]))
				b--;
			if (p - b == 6 && !memcmp(s + b, "static", 6))
				return true;
			if (is_statement_word(s + b, p - b))
				return false;
			p = b;
		} else if (s[p - 1] == ')') {
			int d = 0;
			uint32_t q = p, b, e;
			while (q > 0 && p - q < 256) {
				char k = s[--q];
				if (k == ')')
					d++;
				else if (k == '(' && --d == 0)
					break;
			}
			e = back_ws(s, q);
			for (b = e; b > 0 && idch(s[b - 1]); b--)
				;
			if (d != 0 || !is_attribute_word(s + b, e - b))
				return false;
			p = b;
		} else {
			return false;
		}
	}
	return false;
}

/* The point of byte b, found through the tree below n (or near it). */
static TSPoint byte_point(const struct walker *w, TSNode n, uint32_t b)
{
	TSNode d = ts_node_descendant_for_byte_range(n, b, b + 1);
	TSPoint p = ts_node_start_point(d);
	uint32_t i = ts_node_start_byte(d);
	if (i > b) {
		p = ts_node_start_point(n);
		i = ts_node_start_byte(n);
	}
	if (i > b) {
		uint32_t ls = b;
		for (; i > b; i--)
			if (w->src[i - 1] == '\n')
				p.row--;
		while (ls > 0 && w->src[ls - 1] != '\n')
			ls--;
		p.column = b - ls;
		return p;
	}
	for (; i < b; i++) {
		if (w->src[i] == '\n') {
			p.row++;
			p.column = 0;
		} else {
			p.column++;
		}
	}
	return p;
}

/* The end (exclusive) of the first '}' in column 1 in [from, to), not in a
 * continued preprocessor line; or to. */
static uint32_t col1_brace_end(struct walker *w, uint32_t from, uint32_t to)
{
	uint32_t found = UINT32_MAX;
	/* the answer for any start in [memo_from, memo_at - 1) is memo_at */
	if (from >= w->memo_from && from + 1 < w->memo_at) {
		found = w->memo_at;
	} else {
		const char *p = w->src + from, *e = w->src + w->len;
		while (p < e && (p = memchr(p, '\n', (size_t)(e - p))) != NULL && p + 1 < e) {
			if (p[1] == '}' && !(p > w->src && (p[-1] == '\\' ||
							     (p[-1] == '\r' && p - 1 > w->src &&
							      p[-2] == '\\')))) {
				found = (uint32_t)(p + 2 - w->src);
				break;
			}
			p++;
		}
		w->memo_from = from;
		w->memo_at = found;
	}
	return found < to ? found : to;
}

/* Where the block of code body really ends (a byte offset). When the block
 * holds parse errors the parser may have run it past its closing brace
 * (swallowed by an ERROR), taking in the functions that follow: end it at
 * its first '}' in column 1, where every function of common C styles ends. */
static uint32_t block_end(struct walker *w, TSNode body, uint32_t end)
{
	if (!ts_node_has_error(body))
		return end;
	return col1_brace_end(w, ts_node_start_byte(body), end);
}

/* Set the end of symbol s to byte end (exclusive) inside node n. */
static void set_end(const struct walker *w, struct xsym *s, TSNode n, uint32_t end)
{
	if (end == ts_node_end_byte(n)) {
		lang_end_pos(w->src, n, true, &s->end_line, &s->end_col);
	} else {
		TSPoint p = byte_point(w, n, end - 1);
		s->end_line = p.row + 1;
		s->end_col = p.column + 1;
	}
}

/* Add the function of header h (found through node ref) whose body ends at
 * byte end; st: known to be static otherwise. */
static int32_t add_recovered(struct walker *w, const struct header *h, TSNode ref, uint32_t end,
			     bool st, bool count)
{
	struct xresult *o = w->out;
	TSPoint np = byte_point(w, ref, h->name);
	uint32_t line = np.row + 1, col = np.column + 1;
	int32_t s = -1;
	/* the header was seen as a call (SYSCALL_DEFINE3(...) at file scope)
	 * or a declaration (a prototype): it is this definition */
	while (o->ncalls > 0 && o->calls[o->ncalls - 1].caller < 0 &&
	       (o->calls[o->ncalls - 1].line > line ||
		(o->calls[o->ncalls - 1].line == line && o->calls[o->ncalls - 1].col >= col)))
		o->ncalls--;
	if (o->nsyms > 0) {
		struct xsym *l = &o->syms[o->nsyms - 1];
		if (l->line == line && l->col == col &&
		    (l->kind == SK_PROTOTYPE || l->kind == SK_VARIABLE)) {
			s = (int32_t)o->nsyms - 1;
			l->kind = SK_FUNCTION;
			set_end(w, l, ref, end);
		}
	}
	if (s < 0) {
		struct xsym x = { 0 };
		x.name = xresult_str(o, w->src + h->name, h->name_end - h->name);
		x.kind = SK_FUNCTION;
		x.flags = st || h->is_static ? SYM_STATIC : 0;
		x.line = line;
		x.col = col;
		set_end(w, &x, ref, end);
		x.parent = -1;
		s = xresult_add_sym(o, &x);
	}
	if (count)
		recovered(w, s);
	return s;
}

/* Recover the function whose body opens with the '{' at byte lbrace and ends
 * at byte end from the header before it; ref is a node holding lbrace (for
 * positions). Returns the new function symbol, or -1. */
static int32_t recover_function(struct walker *w, TSNode ref, uint32_t lbrace, uint32_t end)
{
	struct header h;
	if (!header_before(w, lbrace, &h))
		return -1;
	return add_recovered(w, &h, ref, end, false, true);
}

/* A compound_statement at file level that is no function's body: recover
 * the function it belongs to from the text before it. */
static void on_orphan_block(struct walker *w, TSNode n, uint32_t depth)
{
	uint32_t end = block_end(w, n, ts_node_end_byte(n));
	int32_t s = recover_function(w, n, ts_node_start_byte(n), end);
	if (s >= 0) {
		push_scope(w, depth, end, s, SC_FUNC, ts_node_start_byte(n));
		return;
	}
	push_scope(w, depth, end, -1, SC_BLOCK, 0);
}

/* The end (exclusive) of the '}' closing the '{' at byte lb, if it comes
 * before limit (comments, strings and character constants skipped); or
 * limit. (static void f(void) {} closes on its own line.) */
static uint32_t matching_brace_end(const struct walker *w, uint32_t lb, uint32_t limit)
{
	const char *s = w->src;
	uint32_t d = 0, e = limit < w->len ? limit : (uint32_t)w->len;
	for (uint32_t i = lb; i < e; i++) {
		char c = s[i];
		if (c == '{') {
			d++;
		} else if (c == '}') {
			if (--d == 0)
				return i + 1;
		} else if (c == '/' && i + 1 < e && s[i + 1] == '*') {
			const char *x = memmem(s + i + 2, e - i - 2, "*/", 2);
			if (!x)
				break;
			i = (uint32_t)(x + 1 - s);
		} else if (c == '/' && i + 1 < e && s[i + 1] == '/') {
			const char *x = memchr(s + i, '\n', e - i);
			if (!x)
				break;
			i = (uint32_t)(x - s);
		} else if (c == '"' || c == '\'') {
			for (i++; i < e && s[i] != c && s[i] != '\n'; i++)
				if (s[i] == '\\')
					i++;
		}
	}
	return limit;
}

/* A '{' token loose in an ERROR node at file level: if a function header
 * precedes it, the function's body runs to the first '}' in column 1 (the
 * statements in between are the ERROR's other children, or follow it). */
static void on_loose_brace(struct walker *w, TSNode n, TSNode parent)
{
	uint32_t lb = ts_node_start_byte(n), end = col1_brace_end(w, lb, UINT32_MAX);
	if (end == UINT32_MAX)
		end = ts_node_end_byte(parent);
	end = matching_brace_end(w, lb, end);
	if (end <= lb)
		return;
	int32_t s = recover_function(w, parent, lb, end);
	if (s >= 0) {
		w->rfunc = s;
		w->rend = end;
		w->rbody = lb;
		recompute(w);
	}
}

/* ---- definitions -------------------------------------------------------- */

static int32_t add_function(struct walker *w, TSNode name, TSNode n, uint32_t end, bool st)
{
	int32_t s = add_sym(w, name, SK_FUNCTION, st ? SYM_STATIC : 0, n, -1);
	set_end(w, &w->out->syms[s], n, end);
	return s;
}

/* Inside a function body the parser takes some macro statements for
 * definitions: for_each_cpu(cpu) { ... } as a function named by the type
 * for_each_cpu, for_each_entity(se) f(se)->x = 1; as a function f whose
 * return type is the macro. Record the calls they make. */
static void nested_function(struct walker *w, TSNode n, const struct decl *d, bool ok)
{
	TSNode t = field_child(n, F_TYPE);
	if (!ts_node_is_null(t)) {
		if (is(t, N_TYPE_IDENTIFIER)) {
			add_call(w, t, 0, 0);
		} else if (is(t, N_MACRO_TYPE_SPECIFIER)) {
			TSNode m = field_child(t, F_NAME);
			if (!ts_node_is_null(m))
				add_call(w, m, 0, 0);
		}
	}
	if (ok && d->wrapper == N_FUNCTION_DECLARATOR && !ts_node_is_null(t) &&
	    is(t, N_MACRO_TYPE_SPECIFIER))
		add_call(w, d->name, 0, 0);
}

/* The name of the first function_declarator at or below n (at most a few
 * hundred nodes in), or a null node. */
static TSNode find_function_name(TSNode n)
{
	TSTreeCursor c = ts_tree_cursor_new(n);
	TSNode found = { 0 };
	uint32_t depth = 0;
	for (int steps = 0; steps < 400; steps++) {
		TSNode k = ts_tree_cursor_current_node(&c);
		struct decl d = { .typedef_ = false };
		if (is(k, N_FUNCTION_DECLARATOR) && resolve_declarator(k, &d)) {
			found = d.name;
			break;
		}
		if (ts_tree_cursor_goto_first_child(&c)) {
			depth++;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (depth == 0 || !ts_tree_cursor_goto_parent(&c))
				goto out;
			depth--;
		}
	}
out:
	ts_tree_cursor_delete(&c);
	return found;
}

/* If the declarator of function_definition n (resolved to d) is an attribute
 * macro (static int __printf(4, 0) __init f(...) { ...), the parser may have
 * taken the real declarator for an old-style parameter declaration: return
 * its name, or a null node. */
static TSNode misplaced_name(const struct walker *w, TSNode n, const struct decl *d)
{
	uint32_t a = ts_node_start_byte(d->name), b = ts_node_end_byte(d->name);
	TSNode found = { 0 };
	if (!is_attribute_word(w->src + a, b - a))
		return found;
	TSTreeCursor c = ts_tree_cursor_new(n);
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			TSNode k = ts_tree_cursor_current_node(&c);
			if (ts_tree_cursor_current_field_id(&c) == fld[F_BODY])
				break;
			if (is(k, N_DECLARATION)) {
				found = find_function_name(k);
				if (!ts_node_is_null(found))
					break;
			}
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
	return found;
}

/* function_definition n at depth. */
static void on_function(struct walker *w, TSNode n, uint32_t depth)
{
	struct decl d = { .typedef_ = false };
	TSNode body = field_child(n, F_BODY), t;
	uint32_t end = ts_node_end_byte(n);
	bool ok = resolve_declarator(field_child(n, F_DECLARATOR), &d);
	bool st;
	int32_t s;
	uint32_t body_start = end;
	if (!ts_node_is_null(body)) {
		end = block_end(w, body, end);
		body_start = ts_node_start_byte(body);
	}
	if (w->blocks && w->func < 0 && ts_node_start_point(n).column == 0 && ok &&
	    d.wrapper == N_FUNCTION_DECLARATOR) {
		/* a definition in column 1 inside a block belonging to no
		 * function (an initializer the parser took for one and ran
		 * on): that block is over, this is file level */
		size_t k = 0;
		for (size_t i = 0; i < w->nsc; i++)
			if (w->sc[i].kind != SC_BLOCK)
				w->sc[k++] = w->sc[i];
		w->nsc = k;
		recompute(w);
	}
	if (w->blocks) {
		/* a nested function (GNU C) or, mostly, a macro statement */
		nested_function(w, n, &d, ok);
		push_scope(w, depth, end, w->func, w->func >= 0 ? SC_FUNC : SC_BLOCK, w->body_start);
		return;
	}
	if (ok && in_directive(w->src, ts_node_start_byte(d.name))) {
		/* a #define the parser did not see as one (inside an ERROR):
		 * this is no definition; its body may be recovered as orphan */
		return;
	}
	st = has_storage(w, n, "static");
	if (w->static_until) {
		/* static noinline void | __sched f(...) { */
		uint32_t i = w->static_until;
		while (i < ts_node_start_byte(n) && (w->src[i] == ' ' || w->src[i] == '\t' ||
						     w->src[i] == '\n' || w->src[i] == '\r'))
			i++;
		if (i == ts_node_start_byte(n))
			st = true;
		w->static_until = 0;
	}
	if (!ts_node_is_null(body) && ts_node_has_error(n)) {
		/* annotations the parser does not know can mislead it: the
		 * text before the body tells the name (static int __printf(4, 0)
		 * __init f(...) {: f, not __printf) */
		struct header h;
		uint32_t lb = ts_node_start_byte(body);
		if (header_before(w, lb, &h)) {
			bool same = ok && d.wrapper == N_FUNCTION_DECLARATOR &&
				    ts_node_start_byte(d.name) == h.name;
			bool junk = h.start > ts_node_start_byte(n);
			s = add_recovered(w, &h, n, end, st && !junk, !same);
			if (junk) {
				/* static DEFINE_PER_CPU(long, x); taken for the
				 * type of the definition that follows */
				TSNode mt = field_child(n, F_TYPE);
				if (!ts_node_is_null(mt) && is(mt, N_MACRO_TYPE_SPECIFIER) &&
				    ts_node_end_byte(mt) <= h.start) {
					TSNode m = field_child(mt, F_NAME);
					if (!ts_node_is_null(m))
						add_call(w, m, 0, 0);
				}
				/* the node also holds code before the header (whole
				 * functions the parser lost in a macro it took for
				 * a type): visit that at file level; the function
				 * starts with its body */
				w->pending_body = lb;
				w->pending_sym = s;
				w->pending_end = end;
			} else {
				push_scope(w, depth, end, s, SC_FUNC, lb);
			}
			return;
		}
	}
	if (ok && !ts_node_is_null(body) && ts_node_has_error(n) &&
	    ts_node_start_byte(body) > ts_node_end_byte(d.name) &&
	    memchr(w->src + ts_node_end_byte(d.name), '{',
		   ts_node_start_byte(body) - ts_node_end_byte(d.name))) {
		/* a brace between the declarator and the body: what the parser
		 * took for old-style parameter declarations holds code (whole
		 * functions after a macro line it took for this header). Visit
		 * it at file level; the body may be recovered as an orphan. */
		return;
	}
	if (ok && d.wrapper == N_FUNCTION_DECLARATOR) {
		bool moved = false;
		if (ts_node_has_error(n)) {
			TSNode real = misplaced_name(w, n, &d);
			if (!ts_node_is_null(real)) {
				moved = true;
				d.name = real;
			}
		}
		if (!st)
			st = static_before(w, ts_node_start_byte(n));
		s = add_function(w, d.name, n, end, st);
		if (moved)
			recovered(w, s);
		push_scope(w, depth, end, s, SC_FUNC, body_start);
		return;
	}
	t = field_child(n, F_TYPE);
	if (!ok && !ts_node_is_null(t) && is(t, N_MACRO_TYPE_SPECIFIER)) {
		/* bool __init __attribute((weak)) f(unsigned long size) { ...:
		 * f(...) taken for a macro type, with a missing declarator */
		TSNode m = field_child(t, F_NAME);
		if (!ts_node_is_null(m)) {
			s = add_function(w, m, n, end, st);
			recovered(w, s);
			push_scope(w, depth, end, s, SC_FUNC, body_start);
			return;
		}
	}
	if (!ts_node_is_null(t) && is(t, N_TYPE_IDENTIFIER)) {
		/* MACRO(args) { ... }: a type name applied to a parenthesized
		 * declarator; the function is named by the macro */
		s = add_function(w, t, n, end, st);
		recovered(w, s);
		push_scope(w, depth, end, s, SC_FUNC, body_start);
		return;
	}
	push_scope(w, depth, end, -1, SC_BLOCK, 0);
}

static bool ends_missing(TSNode n)
{
	uint32_t k = ts_node_child_count(n);
	return k > 0 && ts_node_is_missing(ts_node_child(n, k - 1));
}

/* Is declaration n, without its ';', the start of a function header the
 * parser cut at an annotation it does not know (static noinline void
 * __sched f(...) {, bool __init __attribute((weak)) f(...) {)? Then the
 * text after it runs on with words to a '('. (static char *p __initdata;
 * is a declaration whose annotation the parser left out.) */
static bool header_fragment(const struct walker *w, TSNode n)
{
	if (!ends_missing(n))
		return false;
	uint32_t i = ts_node_end_byte(n), wb = 0, we = 0;
	bool words = false;
	while (i < w->len) {
		char c = w->src[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '*') {
			i++;
		} else if (idch(c)) {
			wb = i;
			while (i < w->len && idch(w->src[i]))
				i++;
			we = i;
			words = true;
		} else if (c == '(' && words && is_attribute_word(w->src + wb, we - wb)) {
			/* an attribute's arguments: static int __init __printf(3, 4) */
			int d = 0;
			for (uint32_t lim = i + 4096; i < w->len && i < lim; i++) {
				if (w->src[i] == '(')
					d++;
				else if (w->src[i] == ')' && --d == 0)
					break;
			}
			i++;
			words = false;
		} else {
			return words && c == '(';
		}
	}
	return false;
}

/* A variable named by src[a, b) (in declaration n). A declaration the
 * parser split in two may name it twice: once is enough. */
static void add_var(struct walker *w, TSNode n, uint32_t a, uint32_t b, bool is_static)
{
	struct xresult *o = w->out;
	struct xsym s = { 0 };
	TSPoint p = byte_point(w, n, a);
	s.line = p.row + 1;
	s.col = p.column + 1;
	if (o->nsyms > 0 && o->syms[o->nsyms - 1].line == s.line &&
	    o->syms[o->nsyms - 1].col == s.col && o->syms[o->nsyms - 1].kind == SK_VARIABLE)
		return;
	s.name = xresult_str(o, w->src + a, b - a);
	s.kind = SK_VARIABLE;
	s.flags = is_static ? SYM_STATIC : 0;
	lang_end_pos(w->src, n, true, &s.end_line, &s.end_col);
	if (a >= ts_node_end_byte(n)) {
		/* the name is past the node (int __read_mostly | x = 1;): the
		 * definition ends at its ';' */
		int d = 0;
		uint32_t i = b;
		for (; i < w->len; i++) {
			char c = w->src[i];
			if (c == '(' || c == '{' || c == '[')
				d++;
			else if (c == ')' || c == '}' || c == ']')
				d--;
			else if (c == ';' && d <= 0)
				break;
		}
		if (i < w->len) {
			TSPoint e = byte_point(w, n, i);
			s.end_line = e.row + 1;
			s.end_col = e.column + 1;
		}
	}
	s.parent = -1;
	if (w->errors)
		w->st.error_defs++;
	xresult_add_sym(o, &s);
}

/* Annotations (mostly the Linux kernel's) that sit among the words of a
 * declaration without being its type or its name. */
static bool is_annotation_word(const char *s, size_t n)
{
	static const char *const words[] = {
		"__read_mostly", "__ro_after_init", "__initdata", "__initconst", "__exitdata",
		"__refdata", "__initdata_memblock", "__meminitdata", "__percpu", "__rcu",
		"__user", "__iomem", "__force", "__visible", "__used", "__maybe_unused",
		"__always_unused", "__cacheline_aligned", "__cacheline_aligned_in_smp",
		"____cacheline_aligned", "____cacheline_aligned_in_smp", "__page_aligned_data",
		"__page_aligned_bss", "__nosavedata", "__latent_entropy", "__randomize_layout",
		"__packed", "__weak", "__init", "__exit", "__cold", "__hot", "__noreturn",
		"__must_check", "__always_inline", "noinline", "notrace", "__sched", "__kprobes",
		"noinstr", "__cpuidle", "__ref", "__lockfunc", "asmlinkage", "__inline",
		"__inline__", "__unused", "__attribute_const__", "__pure", "__bpf_kfunc",
		"__private", "__bitwise", "__nocast", "__tracepoint_string", "__ksym",
		"__initrodata", "__lsm_ro_after_init", "__gnu_inline", "__no_kcsan",
		"__nocfi", "__noinline", "__flatten", "__refconst", "__safe", "__kernel",
		"____cacheline_internodealigned_in_smp", "__cpumask_var_read_mostly",
		"__tracer_data", "__net_initdata", "__net_exitdata", "__no_randomize_layout",
		"__initdata_or_module", "__exit_call", "__noinstr_section", "__irq_entry",
		"__nostackprotector", "__no_stack_protector", "__section_aligned",
	};
	if (n < 4 || !(s[0] == '_' || s[0] == 'n' || s[0] == 'a'))
		return false;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i][2] == s[2] && strlen(words[i]) == n && !memcmp(words[i], s, n))
			return true;
	return false;
}

/* The name a file-scope declaration starting at byte a declares, read from
 * the text when annotations confused the parser: the last word that is no
 * annotation before the first '=', ';', ',', '[' or ':' (the parentheses of
 * an attribute are skipped; any other '(' gives up). */
static bool decl_name_from_text(const struct walker *w, uint32_t a, uint32_t *na, uint32_t *nb)
{
	const char *s = w->src;
	uint32_t i = a, lb = 0, le = 0, wb = 0, we = 0;
	for (int tok = 0; tok < 64 && i < w->len; tok++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '*') {
			i++;
			tok--;
		} else if (c == '/' && i + 1 < w->len && s[i + 1] == '*') {
			const char *e = memmem(s + i + 2, w->len - i - 2, "*/", 2);
			if (!e)
				return false;
			i = (uint32_t)(e + 2 - s);
		} else if (idch(c)) {
			wb = i;
			while (i < w->len && idch(s[i]))
				i++;
			we = i;
			if (!is_annotation_word(s + wb, we - wb) && !is_attribute_word(s + wb, we - wb)) {
				lb = wb;
				le = we;
			}
		} else if (c == '(') {
			int d = 0;
			if (we == 0 || !is_attribute_word(s + wb, we - wb))
				return false;
			for (uint32_t lim = i + 4096; i < w->len && i < lim; i++) {
				if (s[i] == '(')
					d++;
				else if (s[i] == ')' && --d == 0)
					break;
			}
			i++;
		} else if (c == '=' || c == ';' || c == ',' || c == '[' || c == ':') {
			break;
		} else {
			return false;
		}
	}
	if (le == 0 || (s[lb] >= '0' && s[lb] <= '9') || is_keyword(s + lb, le - lb))
		return false;
	*na = lb;
	*nb = le;
	return true;
}

/* Does declaration n (with parse errors) hold a function's body the parser
 * did not see: a '{' right after a ')'? */
static bool swallowed_body(const struct walker *w, TSNode n)
{
	if (!ts_node_has_error(n))
		return false;
	const char *e = w->src + ts_node_end_byte(n);
	const char *p = w->src + ts_node_start_byte(n);
	while (p < e && (p = memchr(p, '{', (size_t)(e - p))) != NULL) {
		uint32_t q = back_ws(w->src, (uint32_t)(p - w->src)), lo = ts_node_start_byte(n);
		if (q > lo && w->src[q - 1] == ')') {
			/* f(...) {, not (struct x[]){ ... } */
			int d = 0;
			while (q > lo) {
				char k = w->src[--q];
				if (k == ')')
					d++;
				else if (k == '(' && --d == 0)
					break;
			}
			q = back_ws(w->src, q);
			if (q > lo && idch(w->src[q - 1]))
				return true;
		}
		p++;
	}
	return false;
}

static void on_declaration(struct walker *w, TSNode n, bool typedef_)
{
	bool is_static = false, is_extern = false, checked = false, named = false;
	bool swallowed = !typedef_ && swallowed_body(w, n);
	TSTreeCursor c = ts_tree_cursor_new(n);
	if (!ts_tree_cursor_goto_first_child(&c)) {
		ts_tree_cursor_delete(&c);
		return;
	}
	do {
		TSNode k = ts_tree_cursor_current_node(&c);
		if (is(k, N_STORAGE_CLASS)) {
			uint32_t a = ts_node_start_byte(k), b = ts_node_end_byte(k);
			if (b - a == 6 && !memcmp(w->src + a, "static", 6))
				is_static = true;
			else if (b - a == 6 && !memcmp(w->src + a, "extern", 6))
				is_extern = true;
			continue;
		}
		if (ts_tree_cursor_current_field_id(&c) != fld[F_DECLARATOR])
			continue;
		struct decl d = { .typedef_ = typedef_ };
		if (!resolve_declarator(k, &d))
			continue;
		named = true;
		if (swallowed)
			break; /* all of it is pieces of a function */
		if (typedef_) {
			add_sym(w, d.name, SK_TYPEDEF, 0, n, w->func);
		} else if (d.wrapper == N_FUNCTION_DECLARATOR) {
			/* without its ';' it is the header of a definition
			 * (#ifdef A / int f(int a) / #else / int f(void) / #endif {...}) */
			uint32_t a = ts_node_start_byte(d.name), b = ts_node_end_byte(d.name);
			if (is_attribute_word(w->src + a, b - a)) {
				/* static u8 __aligned(8) buf[] = ...; */
				if (!is_extern &&
				    decl_name_from_text(w, ts_node_start_byte(n), &a, &b))
					add_var(w, n, a, b, is_static);
			} else if (!ends_missing(n)) {
				add_sym(w, d.name, SK_PROTOTYPE, is_static ? SYM_STATIC : 0, n,
					-1);
			}
		} else if (!is_extern || d.has_init) {
			uint32_t a = ts_node_start_byte(d.name), b = ts_node_end_byte(d.name);
			if (!checked && (is_annotation_word(w->src + a, b - a) ||
					 ts_node_has_error(n) || ends_missing(n))) {
				/* int __read_mostly x = 1;  static char *p __initdata; */
				uint32_t ta, tb;
				if (decl_name_from_text(w, ts_node_start_byte(n), &ta, &tb)) {
					a = ta;
					b = tb;
				} else if (is_annotation_word(w->src + a, b - a)) {
					continue; /* struct { ... } __packed; */
				}
			}
			checked = true;
			add_var(w, n, a, b, is_static);
		}
	} while (ts_tree_cursor_goto_next_sibling(&c));
	ts_tree_cursor_delete(&c);
	if (!named && !typedef_) {
		/* static DEFINE_PER_CPU(int, x); a macro taken for a type, with
		 * no declarator: the macro's invocation */
		TSNode t = field_child(n, F_TYPE);
		if (!ts_node_is_null(t) && is(t, N_MACRO_TYPE_SPECIFIER)) {
			TSNode m = field_child(t, F_NAME);
			if (!ts_node_is_null(m))
				add_call(w, m, 0, 0);
		}
	}
}

/* struct/union/enum specifier n: a definition if it has a body. Returns
 * whether to visit its children. */
static bool on_tag(struct walker *w, TSNode n, uint32_t depth, int kind)
{
	TSNode body = field_child(n, F_BODY);
	if (ts_node_is_null(body))
		return ts_node_has_error(n);
	TSNode name = field_child(n, F_NAME);
	int32_t s = -1;
	if (!ts_node_is_null(name))
		s = add_sym(w, name, kind, 0, n, tag_parent(w));
	push_scope(w, depth, ts_node_end_byte(n), s, SC_TAG, 0);
	return true;
}

/* ---- the walk ----------------------------------------------------------- */

/* A word in an ERROR inside a function body, followed by a '(' (the parser
 * made no call_expression of it, or took it for a type: f(x) as a type
 * descriptor, for_each_x(i) as a macro type): a call. */
static void loose_call(struct walker *w, TSNode n)
{
	uint32_t a = ts_node_start_byte(n);
	if (!lang_paren_follows(w->src, w->len, n) || a < w->body_start)
		return;
	for (unsigned i = 0; i < RECENT; i++)
		if (w->recent[i] == a && w->nrecent > i)
			return; /* already a call */
	size_t before = w->out->ncalls;
	add_call(w, n, 0, 0);
	if (w->out->ncalls > before)
		w->st.loose_calls++;
}


/* A declaration in a body: for_each_cpu(cpu) flush(cpu); is one, with the
 * macro for a type and flush(cpu) for a function declarator: two calls, and
 * more in the "parameters" (g(x) taken for a type), found as in an ERROR. */
static void body_declaration(struct walker *w, TSNode n, uint32_t depth)
{
	TSNode t = field_child(n, F_TYPE);
	if (!ts_node_is_null(t) && is(t, N_TYPE_IDENTIFIER)) {
		/* BEGIN_CRITICAL<newline> flush(list); reads as a local prototype
		 * of flush returning BEGIN_CRITICAL: a "type" on an earlier line
		 * than the name is an object-like macro statement, and the rest a
		 * call. (Real local prototypes keep their type on the same line.) */
		struct decl d = { .typedef_ = false };
		if (resolve_declarator(field_child(n, F_DECLARATOR), &d) &&
		    d.wrapper == N_FUNCTION_DECLARATOR &&
		    ts_node_end_point(t).row < ts_node_start_point(d.name).row)
			add_call(w, d.name, 0, 0);
		return;
	}
	if (ts_node_is_null(t) || !is(t, N_MACRO_TYPE_SPECIFIER))
		return;
	push_scope(w, depth, ts_node_end_byte(n), -1, SC_ERROR, 0);
	TSNode m = field_child(t, F_NAME);
	if (!ts_node_is_null(m))
		add_call(w, m, 0, 0);
	struct decl d = { .typedef_ = false };
	if (resolve_declarator(field_child(n, F_DECLARATOR), &d) &&
	    d.wrapper == N_FUNCTION_DECLARATOR)
		add_call(w, d.name, 0, 0);
}

/* Visit node n; returns false if its children need not be visited. */
static bool visit(struct walker *w, TSNode n, TSSymbol s, uint32_t depth, TSNode parent)
{
	if (s >= tab.nsymbols || tab.action[s] == A_NONE) {
		if (ts_node_is_error(n)) {
			w->out->parse_errors++;
			push_scope(w, depth, ts_node_end_byte(n), -1, SC_ERROR, 0);
		} else if (ts_node_is_missing(n)) {
			w->out->parse_errors++;
		}
		return true;
	}
	if (tab.action[s] == A_SKIP) {
		if (ts_node_is_missing(n))
			w->out->parse_errors++;
		else if (w->errors && w->func >= 0 &&
			 (s == sym[N_IDENTIFIER] || s == sym[N_TYPE_IDENTIFIER]) &&
			 !is(parent, N_CALL))
			loose_call(w, n);
		return false;
	}
	if (tab.action[s] == A_CLEAN)
		/* in a body, parameter lists are mostly macro arguments the
		 * parser took for a declarator: for_each_cpu(c) f(a[g(c)]);
		 * and in an ERROR there, a type can be a call: f(x) */
		return ts_node_has_error(n) ||
		       (w->blocks && (s == sym[N_PARAMETER_LIST] || w->errors));
	if (s == sym_lbrace) {
		if (ts_node_is_missing(n))
			w->out->parse_errors++;
		else if (!w->blocks && ts_node_is_error(parent))
			on_loose_brace(w, n, parent);
		return false;
	}
	switch (nid(s)) {
	case N_FUNCTION_DEFINITION:
		on_function(w, n, depth);
		return true;
	case N_DECLARATION:
		/* at file scope, a declaration without its ';' may be the start
		 * of a function header (static noinline void | __sched f() {) */
		if (w->blocks) {
			body_declaration(w, n, depth);
		} else {
			if (!header_fragment(w, n))
				on_declaration(w, n, false);
			else if (has_storage(w, n, "static"))
				w->static_until = ts_node_end_byte(n);
		}
		return true;
	case N_TYPE_DEFINITION:
		on_declaration(w, n, true);
		return true;
	case N_STRUCT:
		return on_tag(w, n, depth, SK_STRUCT);
	case N_UNION:
		return on_tag(w, n, depth, SK_UNION);
	case N_ENUM:
		return on_tag(w, n, depth, SK_ENUM);
	case N_ENUMERATOR: {
		TSNode name = field_child(n, F_NAME);
		if (!ts_node_is_null(name))
			add_sym(w, name, SK_ENUMERATOR, 0, n, tag_parent(w));
		return true;
	}
	case N_PREPROC_DEF:
	case N_PREPROC_FUNCTION_DEF: {
		TSNode name = field_child(n, F_NAME);
		if (!ts_node_is_null(name))
			add_sym(w, name, nid(s) == N_PREPROC_DEF ? SK_MACRO : SK_FMACRO, 0, n,
				-1);
		return ts_node_has_error(n); /* the body is opaque text */
	}
	case N_CALL:
		if (!is(parent, N_FUNCTION_DECLARATOR))
			on_call(w, n);
		return true;
	case N_COMPOUND:
		if (w->pending_body && ts_node_start_byte(n) == w->pending_body) {
			push_scope(w, depth, w->pending_end, w->pending_sym, SC_FUNC, w->pending_body);
			w->pending_body = 0;
		} else if (!w->blocks) {
			on_orphan_block(w, n, depth);
		}
		return true;
	}
	return true;
}

/* One node of the walk: the ancestors, the recovered body and the scopes
 * at its position, then visit. */
static bool step(void *ctx, TSNode n, TSSymbol s, uint32_t depth)
{
	struct walker *w = ctx;
	uint32_t start = ts_node_start_byte(n);
	LANG_ANC_SET(w->anc, w->anc_cap, depth, n);
	if (w->rend && start >= w->rend) {
		w->rend = 0;
		recompute(w);
	}
	if (w->nsc)
		pop_scopes(w, depth, start);
	return visit(w, n, s, depth, depth ? w->anc[depth - 1] : n);
}

void lang_c_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	struct walker w = { 0 };
	pthread_once(&init_once, init_tables);
	w.src = src;
	w.len = len;
	w.out = out;
	w.func = w.rfunc = -1;
	w.min_end = UINT32_MAX;

	lang_walk(ts_tree_root_node(tree), step, &w);
	if (debug_recovery)
		report_recovery(&w);
	free(w.st.rec);
	free(w.anc);
	free(w.sc);
	free(w.scratch);
}
