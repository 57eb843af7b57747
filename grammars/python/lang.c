/* grammars/python/lang.c — Python extraction: definitions, call sites and
 * imports from a tree-sitter-python tree, in one cursor walk. See README.md. */
#include "lang.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- grammar symbols, looked up once ------------------------------------ */

enum {
	N_FUNCTION_DEFINITION, N_CLASS_DEFINITION, N_DECORATOR, N_CALL, N_ATTRIBUTE,
	N_IDENTIFIER, N_SUBSCRIPT, N_PAREN, N_LAMBDA, N_ASSIGNMENT, N_FOR, N_IMPORT,
	N_IMPORT_FROM, N_FUTURE_IMPORT, N_ALIASED_IMPORT, N_DOTTED_NAME, N_WILDCARD_IMPORT,
	N_PARAMETERS, N_LAMBDA_PARAMETERS, N_TYPED_PARAMETER, N_DEFAULT_PARAMETER,
	N_TYPED_DEFAULT_PARAMETER, N_LIST_SPLAT_PATTERN, N_DICT_SPLAT_PATTERN,
	N_PATTERN_LIST, N_TUPLE_PATTERN, N_COMMENT, N_STRING_CONTENT, N_INTEGER, N_FLOAT,
	N_ESCAPE_SEQUENCE, N_STRING_START, N_STRING_END, N_TRUE, N_FALSE, N_NONE,
	N_KEYWORD_ARGUMENT, N_GENERIC_TYPE, N_STRING, N_FOR_IN_CLAUSE,
	N_LIST_COMP, N_SET_COMP, N_DICT_COMP, N_GENERATOR, N_EXPRESSION_LIST,
	N_AS_TARGET, N_NAMED_EXPRESSION, N_TUPLE,
	N__COUNT
};

static const char *const node_names[N__COUNT] = {
	[N_FUNCTION_DEFINITION] = "function_definition",
	[N_CLASS_DEFINITION] = "class_definition",
	[N_DECORATOR] = "decorator",
	[N_CALL] = "call",
	[N_ATTRIBUTE] = "attribute",
	[N_IDENTIFIER] = "identifier",
	[N_SUBSCRIPT] = "subscript",
	[N_PAREN] = "parenthesized_expression",
	[N_LAMBDA] = "lambda",
	[N_ASSIGNMENT] = "assignment",
	[N_FOR] = "for_statement",
	[N_IMPORT] = "import_statement",
	[N_IMPORT_FROM] = "import_from_statement",
	[N_FUTURE_IMPORT] = "future_import_statement",
	[N_ALIASED_IMPORT] = "aliased_import",
	[N_DOTTED_NAME] = "dotted_name",
	[N_WILDCARD_IMPORT] = "wildcard_import",
	[N_PARAMETERS] = "parameters",
	[N_LAMBDA_PARAMETERS] = "lambda_parameters",
	[N_TYPED_PARAMETER] = "typed_parameter",
	[N_DEFAULT_PARAMETER] = "default_parameter",
	[N_TYPED_DEFAULT_PARAMETER] = "typed_default_parameter",
	[N_LIST_SPLAT_PATTERN] = "list_splat_pattern",
	[N_DICT_SPLAT_PATTERN] = "dictionary_splat_pattern",
	[N_PATTERN_LIST] = "pattern_list",
	[N_TUPLE_PATTERN] = "tuple_pattern",
	[N_COMMENT] = "comment",
	[N_STRING_CONTENT] = "string_content",
	[N_INTEGER] = "integer",
	[N_FLOAT] = "float",
	[N_ESCAPE_SEQUENCE] = "escape_sequence",
	[N_STRING_START] = "string_start",
	[N_STRING_END] = "string_end",
	[N_TRUE] = "true",
	[N_FALSE] = "false",
	[N_NONE] = "none",
	[N_KEYWORD_ARGUMENT] = "keyword_argument",
	[N_GENERIC_TYPE] = "generic_type",
	[N_STRING] = "string",
	[N_FOR_IN_CLAUSE] = "for_in_clause",
	[N_LIST_COMP] = "list_comprehension",
	[N_SET_COMP] = "set_comprehension",
	[N_DICT_COMP] = "dictionary_comprehension",
	[N_GENERATOR] = "generator_expression",
	[N_EXPRESSION_LIST] = "expression_list",
	[N_AS_TARGET] = "as_pattern_target",
	[N_NAMED_EXPRESSION] = "named_expression",
	[N_TUPLE] = "tuple",
};

enum {
	F_NAME, F_BODY, F_PARAMETERS, F_SUPERCLASSES, F_FUNCTION, F_ARGUMENTS, F_OBJECT,
	F_ATTRIBUTE, F_VALUE, F_LEFT, F_RIGHT, F_ALIAS, F_MODULE_NAME, F_DEFINITION,
	F__COUNT
};
static const char *const field_names[F__COUNT] = {
	[F_NAME] = "name", [F_BODY] = "body", [F_PARAMETERS] = "parameters",
	[F_SUPERCLASSES] = "superclasses", [F_FUNCTION] = "function",
	[F_ARGUMENTS] = "arguments", [F_OBJECT] = "object", [F_ATTRIBUTE] = "attribute",
	[F_VALUE] = "value", [F_LEFT] = "left", [F_RIGHT] = "right", [F_ALIAS] = "alias",
	[F_MODULE_NAME] = "module_name", [F_DEFINITION] = "definition",
};

/* What the walker does with each grammar symbol (indexed by TSSymbol). */
enum {
	A_NONE,     /* descend */
	A_SKIP,     /* holds nothing of interest: tokens, names, literals, comments */
	A_SPECIAL,  /* handled in visit() */
};

static TSSymbol sym[N__COUNT];
static TSSymbol s_def, s_class; /* the keywords */
static TSFieldId fld[F__COUNT];
static uint8_t *action;      /* per TSSymbol: A_* */
static uint8_t *node_id;     /* per TSSymbol: N_* + 1, or 0 */
static uint32_t nsymbols;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_tables(void)
{
	const TSLanguage *l = tree_sitter_python();
	nsymbols = ts_language_symbol_count(l);
	action = xcalloc(nsymbols, 1);
	node_id = xcalloc(nsymbols, 1);
	for (int i = 0; i < N__COUNT; i++) {
		sym[i] = ts_language_symbol_for_name(l, node_names[i],
						     (uint32_t)strlen(node_names[i]), true);
		if (sym[i] < nsymbols)
			node_id[sym[i]] = (uint8_t)(i + 1);
	}
	s_def = ts_language_symbol_for_name(l, "def", 3, false);
	s_class = ts_language_symbol_for_name(l, "class", 5, false);
	for (int i = 0; i < F__COUNT; i++)
		fld[i] = ts_language_field_id_for_name(l, field_names[i],
						       (uint32_t)strlen(field_names[i]));
	/* tokens (anonymous symbols) have no children of interest */
	for (uint32_t i = 0; i < nsymbols; i++)
		if (ts_language_symbol_type(l, (TSSymbol)i) != TSSymbolTypeRegular)
			action[i] = A_SKIP;
	static const int skip[] = { N_IDENTIFIER, N_COMMENT, N_STRING_CONTENT, N_INTEGER,
				    N_FLOAT, N_ESCAPE_SEQUENCE, N_STRING_START, N_STRING_END,
				    N_TRUE, N_FALSE, N_NONE, N_DOTTED_NAME };
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (sym[skip[i]] < nsymbols)
			action[sym[skip[i]]] = A_SKIP;
	static const int special[] = { N_FUNCTION_DEFINITION, N_CLASS_DEFINITION, N_DECORATOR,
				       N_CALL, N_LAMBDA, N_ASSIGNMENT, N_FOR, N_IMPORT,
				       N_IMPORT_FROM, N_FUTURE_IMPORT, N_STRING,
				       N_LIST_COMP, N_SET_COMP, N_DICT_COMP, N_GENERATOR,
				       N_ATTRIBUTE, N_AS_TARGET, N_NAMED_EXPRESSION };
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (sym[special[i]] < nsymbols)
			action[sym[special[i]]] = A_SPECIAL;
}

static inline int nid(TSSymbol s)
{
	return s < nsymbols ? node_id[s] - 1 : -1;
}

static inline bool is(TSNode n, int which)
{
	return ts_node_symbol(n) == sym[which];
}

static inline TSNode field_child(TSNode n, int f)
{
	return ts_node_child_by_field_id(n, fld[f]);
}

/* ---- walker state ------------------------------------------------------- */

enum scope_kind {
	SC_CLASS,   /* class body: code in it is the class's */
	SC_FUNC,    /* def, or a lambda bound to a module/class-level name */
	SC_LAMBDA,  /* an anonymous lambda: its calls are the enclosing definition's */
};

/* A name bound in a function (parameter or local): byte range in src, and
 * the name added before it with the same hash bucket (-1: none). */
struct name {
	uint32_t a, n;
	int32_t prev;
};

#define NAME_BUCKETS 256  /* power of 2 */

struct scope {
	uint32_t depth;     /* tree depth of the node that opened it */
	uint32_t body;      /* byte where its own code starts (before: the enclosing scope's) */
	uint32_t end;       /* byte where it ends (definitions recovered from an ERROR) */
	int32_t caller;     /* the symbol calls inside belong to */
	uint32_t qual;      /* qualified name of the definition: scope of what it holds */
	uint32_t names;     /* its parameters and locals start there in walker.names */
	uint32_t nparams;   /* how many of those are parameters */
	struct name first;  /* first parameter (n = 0: none or a splat) */
	uint8_t kind;       /* SC_* */
	bool method;        /* SC_FUNC directly in a class body */
};

struct walker {
	const char *src;
	size_t len;
	struct xresult *out;
	struct scope *sc;
	size_t nsc, sc_cap;
	struct name *names;  /* a stack: scopes truncate it when they close */
	size_t nnames, names_cap;
	int32_t bucket[NAME_BUCKETS]; /* the last name added in each hash bucket */
	TSTreeCursor aux;    /* for short walks below one node, reused */
	struct bound {
		uint32_t at;       /* start byte of a lambda named by an assignment */
		int32_t sym;       /* ... its symbol */
	} *bound;            /* of the last assignment that named lambdas */
	size_t nbound, bound_cap;
	char *scratch;
	size_t scratch_cap;
	uint32_t *headers;   /* start bytes of def headers in ERRORs taken for calls */
	size_t nheaders, headers_cap;
};

/* The innermost scope holding byte b (a scope's parameters and decorators
 * are its enclosing scope's code), or NULL at module level. */
static const struct scope *scope_at(const struct walker *w, uint32_t b)
{
	for (size_t i = w->nsc; i-- > 0;)
		if (b >= w->sc[i].body && b < w->sc[i].end)
			return &w->sc[i];
	return NULL;
}

static int32_t caller_at(const struct walker *w, uint32_t b)
{
	const struct scope *s = scope_at(w, b);
	return s ? s->caller : -1;
}

static uint32_t qual_at(const struct walker *w, uint32_t b)
{
	const struct scope *s = scope_at(w, b);
	return s ? s->qual : 0;
}

static struct scope *push_scope(struct walker *w, uint32_t depth, uint32_t body, int kind,
				int32_t caller, uint32_t qual)
{
	ARRAY_GROW(w->sc, w->sc_cap, w->nsc + 1);
	struct scope *s = &w->sc[w->nsc++];
	*s = (struct scope){ .depth = depth, .body = body, .caller = caller, .qual = qual,
			     .end = UINT32_MAX, .names = (uint32_t)w->nnames,
			     .kind = (uint8_t)kind };
	return s;
}

static inline uint32_t name_hash(const char *s, uint32_t n)
{
	uint32_t h = 2166136261u;
	for (uint32_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h & (NAME_BUCKETS - 1);
}

static void add_name(struct walker *w, TSNode n)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	if (b <= a)
		return;
	uint32_t h = name_hash(w->src + a, b - a);
	ARRAY_GROW(w->names, w->names_cap, w->nnames + 1);
	w->names[w->nnames] = (struct name){ a, b - a, w->bucket[h] };
	w->bucket[h] = (int32_t)w->nnames++;
}

/* Forget the names from index n on (their scope closed). */
static void drop_names(struct walker *w, size_t n)
{
	while (w->nnames > n) {
		const struct name *x = &w->names[--w->nnames];
		w->bucket[name_hash(w->src + x->a, x->n)] = x->prev;
	}
}

static inline bool same_text(const struct walker *w, struct name x, const char *s, uint32_t n)
{
	return x.n == n && !memcmp(w->src + x.a, s, n);
}

/* ---- small helpers ------------------------------------------------------ */

/* 1-based line and inclusive column of the last byte before byte e. */
static void end_pos(const struct walker *w, TSNode n, uint32_t *line, uint32_t *col)
{
	TSPoint p = ts_node_end_point(n);
	uint32_t sb = ts_node_start_byte(n), b = ts_node_end_byte(n);
	if (p.column > 0 || b <= sb) {
		*line = p.row + 1;
		*col = p.column;
		return;
	}
	/* ends at the start of a line: back up over whitespace */
	uint32_t row = p.row;
	while (b > sb && (w->src[b - 1] == '\n' || w->src[b - 1] == '\r' ||
			  w->src[b - 1] == ' ' || w->src[b - 1] == '\t' || w->src[b - 1] == '\f')) {
		if (w->src[b - 1] == '\n')
			row--;
		b--;
	}
	uint32_t ls = b;
	while (ls > 0 && w->src[ls - 1] != '\n')
		ls--;
	*line = row + 1;
	*col = b - ls;
}

/* The last node of definition n that is not a comment: the parser hangs the
 * comments after a body onto it, and a definition ends with its code. */
static TSNode last_code(struct walker *w, TSNode n)
{
	TSNode last = n;
	uint32_t e = ts_node_end_byte(n), ls = e;
	while (ls > 0 && w->src[ls - 1] != '\n')
		ls--;
	if (!memchr(w->src + ls, '#', e - ls))
		return n; /* its last line has no comment: it ends with code */
	ts_tree_cursor_reset(&w->aux, n);
	while (ts_tree_cursor_goto_last_child(&w->aux)) {
		TSNode c = ts_tree_cursor_current_node(&w->aux);
		bool found = true;
		while (is(c, N_COMMENT) || ts_node_end_byte(c) <= ts_node_start_byte(c)) {
			if (!ts_tree_cursor_goto_previous_sibling(&w->aux)) {
				found = false;
				break;
			}
			c = ts_tree_cursor_current_node(&w->aux);
		}
		if (!found)
			break;
		last = c;
	}
	return last;
}

/* "scope.name" (or "name" at top level) in the arena. */
static uint32_t qualify(struct walker *w, uint32_t scope, uint32_t name)
{
	if (!scope)
		return name;
	const char *s = xstr(w->out, scope), *n = xstr(w->out, name);
	size_t ls = strlen(s), ln = strlen(n);
	ARRAY_GROW(w->scratch, w->scratch_cap, ls + ln + 2);
	memcpy(w->scratch, s, ls);
	w->scratch[ls] = '.';
	memcpy(w->scratch + ls + 1, n, ln);
	return xresult_str(w->out, w->scratch, ls + 1 + ln);
}

/* Add a definition named by node name whose code ends with node last. */
static int32_t add_sym(struct walker *w, TSNode name, int kind, TSNode last, uint32_t scope,
		       uint32_t bases)
{
	struct xsym s = { 0 };
	TSPoint p = ts_node_start_point(name);
	s.name = xresult_node_str(w->out, name, w->src);
	s.kind = (uint8_t)kind;
	s.line = ts_line(p);
	s.col = ts_col(p);
	end_pos(w, last, &s.end_line, &s.end_col);
	s.parent = caller_at(w, ts_node_start_byte(name));
	s.scope = scope;
	s.bases = bases;
	return xresult_add_sym(w->out, &s);
}

/* Is a name chain: identifiers joined by attribute access. */
static bool is_name_chain(TSNode n)
{
	for (int guard = 0; guard < 64; guard++) {
		if (is(n, N_IDENTIFIER))
			return true;
		if (!is(n, N_ATTRIBUTE))
			return false;
		n = field_child(n, F_OBJECT);
		if (ts_node_is_null(n))
			return false;
	}
	return false;
}

/* ---- parameters and locals ---------------------------------------------- */

/* The name a parameter node binds (null for tuple parameters). */
static TSNode param_name(TSNode p)
{
	for (int guard = 0; guard < 4; guard++) {
		int k = nid(ts_node_symbol(p));
		switch (k) {
		case N_IDENTIFIER:
			return p;
		case N_TYPED_PARAMETER:
		case N_LIST_SPLAT_PATTERN:
		case N_DICT_SPLAT_PATTERN:
			p = ts_node_named_child(p, 0);
			break;
		case N_DEFAULT_PARAMETER:
		case N_TYPED_DEFAULT_PARAMETER:
			p = field_child(p, F_NAME);
			break;
		default:
			return (TSNode){ 0 };
		}
		if (ts_node_is_null(p))
			break;
	}
	return (TSNode){ 0 };
}

/* Record the parameters of scope s from a parameters/lambda_parameters node. */
static void add_params(struct walker *w, struct scope *s, TSNode params)
{
	bool first = true;
	ts_tree_cursor_reset(&w->aux, params);
	if (!ts_tree_cursor_goto_first_child(&w->aux))
		return;
	do {
		TSNode p = ts_tree_cursor_current_node(&w->aux);
		if (!ts_node_is_named(p) || is(p, N_COMMENT))
			continue;
		TSNode name = param_name(p);
		if (ts_node_is_null(name))
			continue;
		add_name(w, name);
		if (first && !is(p, N_LIST_SPLAT_PATTERN) && !is(p, N_DICT_SPLAT_PATTERN))
			s->first = w->names[w->nnames - 1];
		first = false;
	} while (ts_tree_cursor_goto_next_sibling(&w->aux));
	s->nparams = (uint32_t)w->nnames - s->names;
}

/* Names bound by an assignment or for target inside a function: calls of
 * them are calls through values. */
static void add_targets(struct walker *w, TSNode t)
{
	if (ts_node_is_null(t))
		return;
	if (is(t, N_IDENTIFIER)) {
		add_name(w, t);
		return;
	}
	if (!is(t, N_PATTERN_LIST) && !is(t, N_TUPLE_PATTERN) && !is(t, N_TUPLE))
		return;
	uint32_t k = ts_node_named_child_count(t);
	for (uint32_t i = 0; i < k; i++) {
		TSNode c = ts_node_named_child(t, i);
		if (is(c, N_IDENTIFIER))
			add_name(w, c);
	}
}

/* Is node n code of the innermost scope, a function's (where names bound
 * are locals)? */
static bool in_function(const struct walker *w, TSNode n)
{
	const struct scope *in = scope_at(w, ts_node_start_byte(n));
	return in && in->kind != SC_CLASS && in == &w->sc[w->nsc - 1];
}

/* Is the identifier at src[a, a+n) a parameter or local of a function
 * enclosing byte a (closures see their enclosing functions' names)? */
static bool is_local(const struct walker *w, uint32_t a, uint32_t n)
{
	size_t end = w->nnames;
	if (w->nsc && a < w->sc[w->nsc - 1].body)
		end = w->sc[w->nsc - 1].names; /* in a default value: not its own */
	for (int32_t i = w->bucket[name_hash(w->src + a, n)]; i >= 0; i = w->names[i].prev)
		if ((size_t)i < end && same_text(w, w->names[i], w->src + a, n))
			return true;
	return false;
}

/* Receiver identifier src[a, a+n) (self or cls): is it the first parameter
 * of the method that binds it? */
static bool is_self(const struct walker *w, uint32_t a, uint32_t n)
{
	for (size_t i = w->nsc; i-- > 0;) {
		const struct scope *s = &w->sc[i];
		if (s->kind == SC_CLASS || a < s->body)
			continue;
		for (uint32_t k = 0; k < s->nparams; k++)
			if (same_text(w, w->names[s->names + k], w->src + a, n))
				return s->method && s->first.a == w->names[s->names + k].a;
	}
	return false;
}

/* ---- definitions -------------------------------------------------------- */

static void on_function(struct walker *w, TSNode n, uint32_t depth)
{
	TSNode name = field_child(n, F_NAME), body = field_child(n, F_BODY);
	if (ts_node_is_null(name) || ts_node_end_byte(name) <= ts_node_start_byte(name))
		return;
	uint32_t at = ts_node_start_byte(name);
	const struct scope *in = scope_at(w, at);
	bool method = in && in->kind == SC_CLASS;
	uint32_t scope = in ? in->qual : 0;
	int32_t s = add_sym(w, name, method ? SK_METHOD : SK_FUNCTION, last_code(w, n), scope, 0);
	TSNode params = field_child(n, F_PARAMETERS);
	uint32_t start = ts_node_is_null(body) ? ts_node_end_byte(n) : ts_node_start_byte(body);
	if (!ts_node_is_null(params) && ts_node_has_error(params))
		start = ts_node_end_byte(name); /* the parser ran its body into them */
	struct scope *sc = push_scope(w, depth, start, SC_FUNC, s,
				      qualify(w, scope, w->out->syms[s].name));
	sc->method = method;
	if (!ts_node_is_null(params))
		add_params(w, sc, params);
}

/* The bases of a class: its superclass arguments that are name chains
 * (subscripts by their value: Generic[T] is Generic), "," separated. */
static uint32_t class_bases(struct walker *w, TSNode args)
{
	size_t n = 0, count = 0;
	uint32_t one = 0;
	ts_tree_cursor_reset(&w->aux, args);
	if (!ts_tree_cursor_goto_first_child(&w->aux))
		return 0;
	do {
		TSNode b = ts_tree_cursor_current_node(&w->aux);
		if (is(b, N_SUBSCRIPT))
			b = field_child(b, F_VALUE);
		if (ts_node_is_null(b) || !is_name_chain(b))
			continue;
		uint32_t o = xresult_path_str(w->out, w->src, ts_node_start_byte(b),
					      ts_node_end_byte(b));
		const char *t = xstr(w->out, o);
		size_t tl = strlen(t);
		ARRAY_GROW(w->scratch, w->scratch_cap, n + tl + 2);
		if (n)
			w->scratch[n++] = ',';
		memcpy(w->scratch + n, t, tl);
		n += tl;
		one = o;
		count++;
	} while (ts_tree_cursor_goto_next_sibling(&w->aux));
	return count > 1 ? xresult_str(w->out, w->scratch, n) : one;
}

static void on_class(struct walker *w, TSNode n, uint32_t depth)
{
	TSNode name = field_child(n, F_NAME);
	if (ts_node_is_null(name) || ts_node_end_byte(name) <= ts_node_start_byte(name))
		return;
	uint32_t scope = qual_at(w, ts_node_start_byte(name));
	TSNode sup = field_child(n, F_SUPERCLASSES);
	uint32_t bases = ts_node_is_null(sup) ? 0 : class_bases(w, sup);
	int32_t s = add_sym(w, name, SK_CLASS, last_code(w, n), scope, bases);
	/* the class's code starts after its header's expressions (and takes
	 * in what the parser could not place before the body) */
	uint32_t start = ts_node_end_byte(ts_node_is_null(sup) ? name : sup);
	push_scope(w, depth, start, SC_CLASS, s, qualify(w, scope, w->out->syms[s].name));
}

/* name = lambda ...: a function named name (a method in a class body). */
static void bind_lambda(struct walker *w, TSNode name, TSNode lambda, const struct scope *in)
{
	bool method = in && in->kind == SC_CLASS;
	int32_t s = add_sym(w, name, method ? SK_METHOD : SK_FUNCTION, last_code(w, lambda),
			    in ? in->qual : 0, 0);
	ARRAY_GROW(w->bound, w->bound_cap, w->nbound + 1);
	w->bound[w->nbound++] = (struct bound){ ts_node_start_byte(lambda), s };
}

/* name = lambda ... and a, b = lambda ..., lambda ... name functions. Other
 * names bound in a function are locals: calls of them are calls through
 * values. */
static void on_assignment(struct walker *w, TSNode n)
{
	TSNode left = ts_node_child(n, 0), right = field_child(n, F_RIGHT);
	if (ts_node_is_null(left) || ts_node_is_null(right))
		return;
	const struct scope *in = scope_at(w, ts_node_start_byte(n));
	bool local = in_function(w, n);
	w->nbound = 0;
	if (is(left, N_IDENTIFIER) && is(right, N_LAMBDA)) {
		bind_lambda(w, left, right, in);
	} else if (is(left, N_PATTERN_LIST) && is(right, N_EXPRESSION_LIST)) {
		uint32_t k = ts_node_named_child_count(left);
		for (uint32_t i = 0; i < k; i++) {
			TSNode t = ts_node_named_child(left, i), v = ts_node_named_child(right, i);
			if (is(t, N_IDENTIFIER) && !ts_node_is_null(v) && is(v, N_LAMBDA))
				bind_lambda(w, t, v, in);
			else if (local)
				add_targets(w, t);
		}
	} else if (local) {
		add_targets(w, left);
	}
}

static void on_lambda(struct walker *w, TSNode n, uint32_t depth)
{
	uint32_t at = ts_node_start_byte(n);
	const struct scope *in = scope_at(w, at);
	struct scope *sc = NULL;
	for (size_t i = 0; i < w->nbound; i++) {
		if (w->bound[i].at != at)
			continue;
		int32_t s = w->bound[i].sym;
		sc = push_scope(w, depth, at, SC_FUNC, s,
				qualify(w, w->out->syms[s].scope, w->out->syms[s].name));
		sc->method = in && in->kind == SC_CLASS;
		break;
	}
	if (!sc)
		sc = push_scope(w, depth, at, SC_LAMBDA, in ? in->caller : -1, in ? in->qual : 0);
	TSNode params = field_child(n, F_PARAMETERS);
	if (!ts_node_is_null(params))
		add_params(w, sc, params);
}

/* [f(x) for f in fs]: the loop variables are the comprehension's own
 * names, bound before its first expression runs. */
static void on_comprehension(struct walker *w, TSNode n, uint32_t depth)
{
	uint32_t at = ts_node_start_byte(n);
	const struct scope *in = scope_at(w, at);
	struct scope *sc = push_scope(w, depth, at, SC_LAMBDA, in ? in->caller : -1,
				      in ? in->qual : 0);
	ts_tree_cursor_reset(&w->aux, n);
	if (ts_tree_cursor_goto_first_child(&w->aux)) {
		do {
			TSNode c = ts_tree_cursor_current_node(&w->aux);
			if (is(c, N_FOR_IN_CLAUSE)) {
				TSNode t = field_child(c, F_LEFT);
				if (!ts_node_is_null(t))
					add_targets(w, t);
			}
		} while (ts_tree_cursor_goto_next_sibling(&w->aux));
	}
	sc->nparams = (uint32_t)w->nnames - sc->names;
}

/* ---- calls -------------------------------------------------------------- */

/* A call of name, placed at p, made by the code at byte at. */
static void add_call_at(struct walker *w, TSNode name, TSPoint p, uint32_t at, uint32_t receiver,
			int flags)
{
	struct xcall c = { 0 };
	uint32_t a = ts_node_start_byte(name), b = ts_node_end_byte(name);
	if (b <= a)
		return;
	c.callee = xresult_str(w->out, w->src + a, b - a);
	c.receiver = receiver;
	c.line = ts_line(p);
	c.col = ts_col(p);
	c.caller = caller_at(w, at);
	c.flags = (uint8_t)flags;
	xresult_add_call(w->out, &c);
}

static inline void add_call(struct walker *w, TSNode name, uint32_t at, uint32_t receiver,
			    int flags)
{
	add_call_at(w, name, ts_node_start_point(name), at, receiver, flags);
}

static inline bool word_is(const struct walker *w, TSNode n, const char *s, uint32_t len)
{
	uint32_t a = ts_node_start_byte(n);
	return ts_node_end_byte(n) - a == len && !memcmp(w->src + a, s, len);
}

/* Call of obj.attr(...) at byte at. */
static void member_call(struct walker *w, TSNode f, uint32_t at, int extra)
{
	TSNode obj = field_child(f, F_OBJECT), attr = field_child(f, F_ATTRIBUTE);
	if (ts_node_is_null(obj) || ts_node_is_null(attr))
		return;
	uint32_t a = ts_node_start_byte(obj), b = ts_node_end_byte(obj);
	if (is(obj, N_IDENTIFIER) && !extra &&
	    (word_is(w, obj, "self", 4) || word_is(w, obj, "cls", 3)) && is_self(w, a, b - a)) {
		add_call(w, attr, at, xresult_str(w->out, w->src + a, b - a), CALL_SELF);
		return;
	}
	if (is(obj, N_CALL) && !extra) {
		TSNode sf = ts_node_child(obj, 0);
		if (is(sf, N_IDENTIFIER) && word_is(w, sf, "super", 5)) {
			add_call(w, attr, at, xresult_str(w->out, "super", 5), CALL_SUPER);
			return;
		}
	}
	add_call(w, attr, at, xresult_path_str(w->out, w->src, a, b), CALL_MEMBER | extra);
}

/* A call of a value that is not a name: x[0](), f()(), (g)(). Named by the
 * name the value comes from; at the argument list when that name is also
 * a call's (f()() calls f, then what f returned). */
static void dynamic_call(struct walker *w, TSNode n, TSNode f, uint32_t at)
{
	bool through_call = false;
	for (int guard = 0; guard < 64 && !ts_node_is_null(f); guard++) {
		int k = nid(ts_node_symbol(f));
		if (k == N_IDENTIFIER || k == N_ATTRIBUTE) {
			if (through_call) {
				/* position of the outer argument list, callee name of f */
				TSNode args = field_child(n, F_ARGUMENTS);
				TSNode name = k == N_IDENTIFIER ? f : field_child(f, F_ATTRIBUTE);
				if (!ts_node_is_null(args) && !ts_node_is_null(name))
					add_call_at(w, name, ts_node_start_point(args), at, 0,
						    CALL_DYNAMIC);
			} else if (k == N_IDENTIFIER) {
				add_call(w, f, at, 0, CALL_DYNAMIC);
			} else {
				member_call(w, f, at, CALL_DYNAMIC);
			}
			return;
		}
		if (k == N_SUBSCRIPT) {
			f = field_child(f, F_VALUE);
		} else if (k == N_CALL) {
			through_call = true;
			f = ts_node_child(f, 0);
		} else if (k == N_PAREN) {
			f = ts_node_named_child(f, 0);
		} else {
			return; /* (lambda: 0)(), "".join: nothing to name it by */
		}
	}
}

/* A call of the name f: through a value when f is a parameter or local. */
static void name_call(struct walker *w, TSNode f, uint32_t at)
{
	uint32_t a = ts_node_start_byte(f);
	add_call(w, f, at, 0, is_local(w, a, ts_node_end_byte(f) - a) ? CALL_DYNAMIC : 0);
}

static void on_call(struct walker *w, TSNode n)
{
	TSNode f = ts_node_child(n, 0);
	uint32_t at = ts_node_start_byte(n);
	if (ts_node_is_null(f))
		return;
	for (size_t i = 0; i < w->nheaders; i++)
		if (w->headers[i] == at)
			return; /* def f(x) in an ERROR */
	int k = nid(ts_node_symbol(f));
	if (k == N_IDENTIFIER)
		name_call(w, f, at);
	else if (k == N_ATTRIBUTE)
		member_call(w, f, at, 0);
	else
		dynamic_call(w, n, f, at);
}

/* @name and @a.b (without arguments) call the decorator with the function. */
static void on_decorator(struct walker *w, TSNode n)
{
	TSNode e = ts_node_named_child(n, 0);
	if (ts_node_is_null(e))
		return;
	if (is(e, N_IDENTIFIER))
		name_call(w, e, ts_node_start_byte(n));
	else if (is(e, N_ATTRIBUTE))
		member_call(w, e, ts_node_start_byte(n), 0);
}

/* ---- imports ------------------------------------------------------------ */

static void add_import(struct walker *w, TSNode stmt, uint32_t module, uint32_t name,
		       uint32_t alias)
{
	struct ximport im = { module, name, alias, ts_line(ts_node_start_point(stmt)) };
	xresult_add_import(w->out, &im);
}

static inline uint32_t path_of(struct walker *w, TSNode n)
{
	return xresult_path_str(w->out, w->src, ts_node_start_byte(n), ts_node_end_byte(n));
}

/* One imported item c (dotted_name or aliased_import) of statement stmt:
 * a whole module (module 0: import c) or a name from module. */
static void import_item(struct walker *w, TSNode stmt, uint32_t module, TSNode c)
{
	TSNode m = c, al = { 0 };
	if (is(c, N_ALIASED_IMPORT)) {
		m = field_child(c, F_NAME);
		al = field_child(c, F_ALIAS);
	} else if (!is(c, N_DOTTED_NAME)) {
		return;
	}
	if (ts_node_is_null(m))
		return;
	uint32_t what = path_of(w, m), alias = ts_node_is_null(al) ? 0 : path_of(w, al);
	if (module)
		add_import(w, stmt, module, what, alias);
	else
		add_import(w, stmt, what, 0, alias);
}

/* import a.b, c as d   from M import a, b as c, *   (M: a.b, .m, .., .) */
static void on_import(struct walker *w, TSNode n, int kind)
{
	uint32_t module = 0;
	if (kind == N_FUTURE_IMPORT) {
		module = xresult_str(w->out, "__future__", 10);
	} else if (kind == N_IMPORT_FROM) {
		TSNode m = field_child(n, F_MODULE_NAME);
		if (ts_node_is_null(m))
			return;
		module = path_of(w, m);
	}
	ts_tree_cursor_reset(&w->aux, n);
	if (!ts_tree_cursor_goto_first_child(&w->aux))
		return;
	do {
		TSNode c = ts_tree_cursor_current_node(&w->aux);
		if (module && is(c, N_WILDCARD_IMPORT))
			add_import(w, n, module, xresult_str(w->out, "*", 1), 0);
		else if (ts_tree_cursor_current_field_id(&w->aux) == fld[F_NAME])
			import_item(w, n, module, c);
	} while (ts_tree_cursor_goto_next_sibling(&w->aux));
}

/* ---- recovery ----------------------------------------------------------- */

/* A definition the parser left as loose tokens in an ERROR node. */
struct loose {
	TSNode name;
	TSNode header;    /* NAME(...) taken for a call, or null */
	TSNode params;    /* parameters after NAME, or null */
	uint32_t kw;      /* start byte of its def/class keyword */
	bool class_;
};

/* Where a definition whose header ends at byte b and whose keyword starts
 * at byte kw ends, read from the text: its last line indented deeper than
 * the keyword's line (blank and comment lines skipped), or its header's
 * line. *row: in, the header's last line (0-based); out, the end's. */
static uint32_t indented_end(const struct walker *w, uint32_t kw, uint32_t b, uint32_t *row)
{
	uint32_t end = b, r = *row, n = (uint32_t)w->len, col = 0, ls = kw;
	while (ls > 0 && w->src[ls - 1] != '\n')
		ls--;
	while (ls + col < kw && (w->src[ls + col] == ' ' || w->src[ls + col] == '\t'))
		col++;
	while (end < n && w->src[end] != '\n')
		end++;
	for (uint32_t p = end; p < n;) {
		uint32_t s = p + 1, i = s, e;
		r++;
		while (i < n && (w->src[i] == ' ' || w->src[i] == '\t'))
			i++;
		for (e = i; e < n && w->src[e] != '\n'; e++)
			;
		p = e;
		if (i == e || w->src[i] == '#' || w->src[i] == '\r')
			continue;
		if (i - s <= col)
			break;
		end = e;
		*row = r;
	}
	while (end > b && (w->src[end - 1] == ' ' || w->src[end - 1] == '\t' ||
			   w->src[end - 1] == '\r'))
		end--;
	return end;
}

/* Add the loose definition d; its scope (for the calls in it) opens at
 * depth and ends where its indentation says. */
static void loose_def(struct walker *w, const struct loose *d, uint32_t depth)
{
	uint32_t at = ts_node_start_byte(d->name), bases = 0;
	const struct scope *in = scope_at(w, at);
	bool method = !d->class_ && in && in->kind == SC_CLASS;
	uint32_t scope = in ? in->qual : 0;
	TSNode head = d->name;
	if (!ts_node_is_null(d->header)) {
		TSNode args = field_child(d->header, F_ARGUMENTS);
		if (d->class_ && !ts_node_is_null(args))
			bases = class_bases(w, args);
		ARRAY_GROW(w->headers, w->headers_cap, w->nheaders + 1);
		w->headers[w->nheaders++] = ts_node_start_byte(d->header);
		head = d->header;
	}
	int32_t si = add_sym(w, d->name, d->class_ ? SK_CLASS : method ? SK_METHOD : SK_FUNCTION,
			     head, scope, bases);
	struct scope *sc = push_scope(w, depth, ts_node_end_byte(head),
				      d->class_ ? SC_CLASS : SC_FUNC, si,
				      qualify(w, scope, w->out->syms[si].name));
	struct xsym *y = &w->out->syms[si];
	uint32_t row = ts_node_end_point(head).row;
	uint32_t e = indented_end(w, d->kw, ts_node_end_byte(head), &row), ls = e;
	while (ls > 0 && w->src[ls - 1] != '\n')
		ls--;
	y->end_line = row + 1;
	y->end_col = e - ls;
	sc->end = e;
	sc->method = method;
	if (!ts_node_is_null(d->params))
		add_params(w, sc, d->params);
}

/* def NAME / class NAME (or def NAME(...) / class NAME(...), which the
 * parser takes for a call) as tokens of ERROR node n: definitions running as
 * far as their indentation says, so nested by it; calls in them are theirs.
 * A keyword that ends n names its definition by what follows n. The scopes
 * open in n's parent: a definition runs on over n's next siblings. */
static void on_error(struct walker *w, TSNode n, uint32_t depth)
{
	uint32_t kw = 0;
	int pending = 0;  /* 1: after def, 2: after class */
	uint32_t at = depth ? depth - 1 : 0;
	ts_tree_cursor_reset(&w->aux, n);
	if (!ts_tree_cursor_goto_first_child(&w->aux))
		return;
	/* collected first: loose_def uses the cursor */
	struct loose *l = NULL;
	size_t nl = 0, cap = 0;
	do {
		TSNode c = ts_tree_cursor_current_node(&w->aux);
		TSSymbol cs = ts_node_symbol(c);
		TSNode name = { 0 }, header = { 0 };
		if (nl && cs == sym[N_PARAMETERS] && !pending &&
		    ts_node_end_byte(l[nl - 1].name) == ts_node_start_byte(c))
			l[nl - 1].params = c;
		if (pending && cs == sym[N_IDENTIFIER]) {
			name = c;
		} else if (pending && cs == sym[N_CALL]) {
			name = ts_node_child(c, 0);
			header = c;
		}
		if (!ts_node_is_null(name) && is(name, N_IDENTIFIER)) {
			ARRAY_GROW(l, cap, nl + 1);
			l[nl++] = (struct loose){ .name = name, .header = header, .kw = kw,
						  .class_ = pending == 2 };
		}
		pending = 0;
		if (cs == s_def || cs == s_class) {
			pending = cs == s_def ? 1 : 2;
			kw = ts_node_start_byte(c);
		}
	} while (ts_tree_cursor_goto_next_sibling(&w->aux));
	for (size_t i = 0; i < nl; i++)
		loose_def(w, &l[i], at);
	free(l);
	TSNode nx = pending && depth ? ts_node_next_sibling(n) : (TSNode){ 0 };
	if (ts_node_is_null(nx))
		return;
	struct loose d = { .name = nx, .kw = kw, .class_ = pending == 2 };
	if (is(nx, N_CALL)) {
		d.name = ts_node_child(nx, 0);
		d.header = nx;
	}
	if (!ts_node_is_null(d.name) && is(d.name, N_IDENTIFIER))
		loose_def(w, &d, at);
}

/* ---- the walk ----------------------------------------------------------- */

/* Visit node n; returns false if its children need not be visited. */
static bool visit(struct walker *w, TSNode n, TSSymbol s, uint32_t depth)
{
	if (s >= nsymbols || action[s] == A_NONE) {
		if (s == (TSSymbol)-1) /* ERROR */
			on_error(w, n, depth);
		return true;
	}
	if (action[s] == A_SKIP)
		return false;
	switch (nid(s)) {
	case N_FUNCTION_DEFINITION:
		on_function(w, n, depth);
		return true;
	case N_CLASS_DEFINITION:
		on_class(w, n, depth);
		return true;
	case N_DECORATOR:
		on_decorator(w, n);
		return true;
	case N_CALL:
		on_call(w, n);
		return true;
	case N_LAMBDA:
		on_lambda(w, n, depth);
		return true;
	case N_ASSIGNMENT:
		on_assignment(w, n);
		return true;
	case N_ATTRIBUTE:
		/* a.b holds no code: calls of it are handled at the call */
		return !is(ts_node_child(n, 0), N_IDENTIFIER);
	case N_LIST_COMP:
	case N_SET_COMP:
	case N_DICT_COMP:
	case N_GENERATOR:
		on_comprehension(w, n, depth);
		return true;
	case N_FOR:
		if (in_function(w, n))
			add_targets(w, field_child(n, F_LEFT));
		return true;
	case N_AS_TARGET:
		/* with f() as x, except E as e, case P() as p */
		if (in_function(w, n))
			add_targets(w, ts_node_named_child(n, 0));
		return true;
	case N_NAMED_EXPRESSION:
		if (in_function(w, n))
			add_targets(w, field_child(n, F_NAME));
		return true;
	case N_STRING: {
		/* only f-strings hold code: f"..." rb'...' */
		const char *p = w->src + ts_node_start_byte(n);
		for (int i = 0; i < 3 && p[i] != '"' && p[i] != '\''; i++)
			if (p[i] == 'f' || p[i] == 'F')
				return true;
		return false;
	}
	case N_IMPORT:
	case N_IMPORT_FROM:
	case N_FUTURE_IMPORT:
		on_import(w, n, nid(s));
		return false;
	}
	return true;
}

void lang_python_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	struct walker w = { 0 };
	uint32_t depth = 0;
	TSNode root = ts_tree_root_node(tree);
	pthread_once(&init_once, init_tables);
	w.src = src;
	w.len = len;
	w.out = out;
	w.aux = ts_tree_cursor_new(root);
	memset(w.bucket, 0xff, sizeof(w.bucket));
	out->parse_errors = ts_count_errors(root);

	struct tswalk c;
	TSNode n;
	TSSymbol s;
	bool descend = false;
	tswalk_init(&c, root);
	while (tswalk_next(&c, descend, &n, &s, &depth)) {
		while (w.nsc && w.sc[w.nsc - 1].depth >= depth) {
			drop_names(&w, w.sc[w.nsc - 1].names);
			w.nsc--;
		}
		descend = visit(&w, n, s, depth);
	}
	tswalk_release(&c);
	ts_tree_cursor_delete(&w.aux);
	free(w.sc);
	free(w.names);
	free(w.scratch);
	free(w.headers);
	free(w.bound);
}
