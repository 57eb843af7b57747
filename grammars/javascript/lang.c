/* grammars/javascript/lang.c — JavaScript, TypeScript and TSX extraction:
 * definitions, call sites and imports from one cursor walk over a
 * tree-sitter tree. See README.md. */
#include "walk.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- grammar symbols, looked up once per dialect ------------------------ */

enum {
	N_FUNCTION_DECLARATION = 1, N_GENERATOR_FUNCTION_DECLARATION, N_FUNCTION_EXPRESSION,
	N_GENERATOR_FUNCTION, N_ARROW_FUNCTION, N_CLASS_DECLARATION, N_CLASS,
	N_ABSTRACT_CLASS_DECLARATION, N_CLASS_BODY, N_CLASS_HERITAGE, N_EXTENDS_CLAUSE,
	N_IMPLEMENTS_CLAUSE, N_METHOD_DEFINITION, N_FIELD_DEFINITION, N_PUBLIC_FIELD_DEFINITION,
	N_METHOD_SIGNATURE, N_ABSTRACT_METHOD_SIGNATURE, N_FUNCTION_SIGNATURE,
	N_CONSTRUCT_SIGNATURE, N_INTERFACE_DECLARATION, N_INTERFACE_BODY, N_EXTENDS_TYPE_CLAUSE,
	N_ENUM_DECLARATION, N_ENUM_BODY, N_ENUM_ASSIGNMENT, N_TYPE_ALIAS_DECLARATION,
	N_INTERNAL_MODULE, N_MODULE, N_VARIABLE_DECLARATOR, N_ASSIGNMENT_EXPRESSION,
	N_EXPORT_STATEMENT, N_IMPORT_STATEMENT, N_IMPORT_CLAUSE, N_NAMED_IMPORTS,
	N_NAMESPACE_IMPORT, N_IMPORT_SPECIFIER, N_EXPORT_CLAUSE, N_EXPORT_SPECIFIER,
	N_NAMESPACE_EXPORT, N_IMPORT_REQUIRE_CLAUSE, N_CALL_EXPRESSION, N_NEW_EXPRESSION,
	N_MEMBER_EXPRESSION, N_SUBSCRIPT_EXPRESSION, N_PARENTHESIZED_EXPRESSION,
	N_SEQUENCE_EXPRESSION, N_NESTED_IDENTIFIER, N_NESTED_TYPE_IDENTIFIER, N_GENERIC_TYPE,
	N_IMPORT, N_OBJECT, N_PAIR, N_OBJECT_PATTERN, N_ARRAY_PATTERN,
	N_SHORTHAND_PROPERTY_IDENTIFIER_PATTERN, N_PAIR_PATTERN, N_OBJECT_ASSIGNMENT_PATTERN,
	N_FORMAL_PARAMETERS, N_REQUIRED_PARAMETER, N_OPTIONAL_PARAMETER, N_ASSIGNMENT_PATTERN,
	N_REST_PATTERN, N_COMPUTED_PROPERTY_NAME, N_NON_NULL_EXPRESSION, N_AS_EXPRESSION,
	N_SATISFIES_EXPRESSION, N_TYPE_ASSERTION, N_FOR_IN_STATEMENT, N_CATCH_CLAUSE,
	/* leaf-like: looked at from their parents, never descended into */
	N__LEAF,
	N_IDENTIFIER = N__LEAF, N_PROPERTY_IDENTIFIER, N_PRIVATE_PROPERTY_IDENTIFIER,
	N_TYPE_IDENTIFIER, N_THIS, N_SUPER, N_STRING, N_NUMBER, N_COMMENT, N_REGEX,
	N_SHORTHAND_PROPERTY_IDENTIFIER, N_PREDEFINED_TYPE, N_TRUE, N_FALSE, N_NULL,
	N_UNDEFINED, N_HASH_BANG_LINE, N_STATEMENT_IDENTIFIER, N_JSX_TEXT, N_HTML_COMMENT,
	N_TYPE_ANNOTATION, N_TYPE_ARGUMENTS, N_TYPE_PARAMETERS, N_ESCAPE_SEQUENCE,
	N_STRING_FRAGMENT, N_PROPERTY_SIGNATURE, N_INDEX_SIGNATURE, N_META_PROPERTY,
	N_OPTIONAL_CHAIN, N_ACCESSIBILITY_MODIFIER, N_OVERRIDE_MODIFIER,
	N__COUNT
};

static const char *const node_names[N__COUNT] = {
	[N_FUNCTION_DECLARATION] = "function_declaration",
	[N_GENERATOR_FUNCTION_DECLARATION] = "generator_function_declaration",
	[N_FUNCTION_EXPRESSION] = "function_expression",
	[N_GENERATOR_FUNCTION] = "generator_function",
	[N_ARROW_FUNCTION] = "arrow_function",
	[N_CLASS_DECLARATION] = "class_declaration",
	[N_CLASS] = "class",
	[N_ABSTRACT_CLASS_DECLARATION] = "abstract_class_declaration",
	[N_CLASS_BODY] = "class_body",
	[N_CLASS_HERITAGE] = "class_heritage",
	[N_EXTENDS_CLAUSE] = "extends_clause",
	[N_IMPLEMENTS_CLAUSE] = "implements_clause",
	[N_METHOD_DEFINITION] = "method_definition",
	[N_FIELD_DEFINITION] = "field_definition",
	[N_PUBLIC_FIELD_DEFINITION] = "public_field_definition",
	[N_METHOD_SIGNATURE] = "method_signature",
	[N_ABSTRACT_METHOD_SIGNATURE] = "abstract_method_signature",
	[N_FUNCTION_SIGNATURE] = "function_signature",
	[N_INTERFACE_DECLARATION] = "interface_declaration",
	[N_EXTENDS_TYPE_CLAUSE] = "extends_type_clause",
	[N_ENUM_DECLARATION] = "enum_declaration",
	[N_ENUM_BODY] = "enum_body",
	[N_ENUM_ASSIGNMENT] = "enum_assignment",
	[N_TYPE_ALIAS_DECLARATION] = "type_alias_declaration",
	[N_INTERNAL_MODULE] = "internal_module",
	[N_MODULE] = "module",
	[N_VARIABLE_DECLARATOR] = "variable_declarator",
	[N_ASSIGNMENT_EXPRESSION] = "assignment_expression",
	[N_EXPORT_STATEMENT] = "export_statement",
	[N_IMPORT_STATEMENT] = "import_statement",
	[N_IMPORT_CLAUSE] = "import_clause",
	[N_NAMED_IMPORTS] = "named_imports",
	[N_NAMESPACE_IMPORT] = "namespace_import",
	[N_IMPORT_SPECIFIER] = "import_specifier",
	[N_EXPORT_CLAUSE] = "export_clause",
	[N_EXPORT_SPECIFIER] = "export_specifier",
	[N_NAMESPACE_EXPORT] = "namespace_export",
	[N_IMPORT_REQUIRE_CLAUSE] = "import_require_clause",
	[N_CALL_EXPRESSION] = "call_expression",
	[N_NEW_EXPRESSION] = "new_expression",
	[N_MEMBER_EXPRESSION] = "member_expression",
	[N_SUBSCRIPT_EXPRESSION] = "subscript_expression",
	[N_PARENTHESIZED_EXPRESSION] = "parenthesized_expression",
	[N_SEQUENCE_EXPRESSION] = "sequence_expression",
	[N_IDENTIFIER] = "identifier",
	[N_PROPERTY_IDENTIFIER] = "property_identifier",
	[N_PRIVATE_PROPERTY_IDENTIFIER] = "private_property_identifier",
	[N_TYPE_IDENTIFIER] = "type_identifier",
	[N_NESTED_IDENTIFIER] = "nested_identifier",
	[N_NESTED_TYPE_IDENTIFIER] = "nested_type_identifier",
	[N_GENERIC_TYPE] = "generic_type",
	[N_THIS] = "this",
	[N_SUPER] = "super",
	[N_IMPORT] = "import",
	[N_STRING] = "string",
	[N_NUMBER] = "number",
	[N_OBJECT] = "object",
	[N_PAIR] = "pair",
	[N_OBJECT_PATTERN] = "object_pattern",
	[N_ARRAY_PATTERN] = "array_pattern",
	[N_SHORTHAND_PROPERTY_IDENTIFIER_PATTERN] = "shorthand_property_identifier_pattern",
	[N_PAIR_PATTERN] = "pair_pattern",
	[N_FORMAL_PARAMETERS] = "formal_parameters",
	[N_REQUIRED_PARAMETER] = "required_parameter",
	[N_OPTIONAL_PARAMETER] = "optional_parameter",
	[N_ASSIGNMENT_PATTERN] = "assignment_pattern",
	[N_REST_PATTERN] = "rest_pattern",
	[N_COMPUTED_PROPERTY_NAME] = "computed_property_name",
	[N_NON_NULL_EXPRESSION] = "non_null_expression",
	[N_AS_EXPRESSION] = "as_expression",
	[N_SATISFIES_EXPRESSION] = "satisfies_expression",
	[N_FOR_IN_STATEMENT] = "for_in_statement",
	[N_CATCH_CLAUSE] = "catch_clause",
	[N_COMMENT] = "comment",
	[N_INTERFACE_BODY] = "interface_body",
	[N_CONSTRUCT_SIGNATURE] = "construct_signature",
	[N_OBJECT_ASSIGNMENT_PATTERN] = "object_assignment_pattern",
	[N_TYPE_ASSERTION] = "type_assertion",
	[N_REGEX] = "regex",
	[N_SHORTHAND_PROPERTY_IDENTIFIER] = "shorthand_property_identifier",
	[N_PREDEFINED_TYPE] = "predefined_type",
	[N_TRUE] = "true",
	[N_FALSE] = "false",
	[N_NULL] = "null",
	[N_UNDEFINED] = "undefined",
	[N_HASH_BANG_LINE] = "hash_bang_line",
	[N_STATEMENT_IDENTIFIER] = "statement_identifier",
	[N_JSX_TEXT] = "jsx_text",
	[N_HTML_COMMENT] = "html_comment",
	[N_TYPE_ANNOTATION] = "type_annotation",
	[N_TYPE_ARGUMENTS] = "type_arguments",
	[N_TYPE_PARAMETERS] = "type_parameters",
	[N_ESCAPE_SEQUENCE] = "escape_sequence",
	[N_STRING_FRAGMENT] = "string_fragment",
	[N_PROPERTY_SIGNATURE] = "property_signature",
	[N_INDEX_SIGNATURE] = "index_signature",
	[N_META_PROPERTY] = "meta_property",
	[N_OPTIONAL_CHAIN] = "optional_chain",
	[N_ACCESSIBILITY_MODIFIER] = "accessibility_modifier",
	[N_OVERRIDE_MODIFIER] = "override_modifier",
};

enum {
	F_NAME, F_BODY, F_VALUE, F_LEFT, F_RIGHT, F_FUNCTION, F_ARGUMENTS, F_OBJECT,
	F_PROPERTY, F_CONSTRUCTOR, F_SOURCE, F_ALIAS, F_KEY, F_PARAMETER, F_PATTERN,
	F_MODULE,
	F__COUNT
};
static const char *const field_names[F__COUNT] = {
	[F_NAME] = "name", [F_BODY] = "body", [F_VALUE] = "value", [F_LEFT] = "left",
	[F_RIGHT] = "right", [F_FUNCTION] = "function", [F_ARGUMENTS] = "arguments",
	[F_OBJECT] = "object", [F_PROPERTY] = "property", [F_CONSTRUCTOR] = "constructor",
	[F_SOURCE] = "source", [F_ALIAS] = "alias", [F_KEY] = "key",
	[F_PARAMETER] = "parameter", [F_PATTERN] = "pattern", [F_MODULE] = "module",
};

/* What the walker does with a node (per TSSymbol). */
enum { A_DESCEND, A_SKIP, A_SPECIAL };

struct tables {
	uint32_t nsymbols;
	uint8_t *id;        /* per TSSymbol: N_*, or 0 */
	uint8_t *action;    /* per TSSymbol: A_* */
	TSSymbol default_kw; /* the anonymous "default" token */
	TSFieldId fld[F__COUNT];
};

static struct tables tabs[JS__COUNT];
static pthread_once_t once[JS__COUNT] = { PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT,
					  PTHREAD_ONCE_INIT };

static void init_dialect(int d)
{
	const TSLanguage *l = d == JS_JAVASCRIPT ? tree_sitter_javascript() :
			      d == JS_TYPESCRIPT ? tree_sitter_typescript() : tree_sitter_tsx();
	struct tables *t = &tabs[d];
	t->nsymbols = ts_language_symbol_count(l);
	t->id = xcalloc(t->nsymbols, 1);
	t->action = xcalloc(t->nsymbols, 1);
	/* every symbol carrying a name we know (aliases give one name several
	 * symbols), so that comparing ts_node_symbol() is enough */
	for (uint32_t i = 0; i < t->nsymbols; i++) {
		const char *name = ts_language_symbol_name(l, (TSSymbol)i);
		if (ts_language_symbol_type(l, (TSSymbol)i) != TSSymbolTypeRegular) {
			t->action[i] = A_SKIP;
			if (name && !strcmp(name, "default"))
				t->default_kw = (TSSymbol)i;
			continue;
		}
		for (int k = 1; k < N__COUNT && name; k++)
			if (node_names[k] && !strcmp(name, node_names[k])) {
				t->id[i] = (uint8_t)k;
				t->action[i] = k >= N__LEAF ? A_SKIP : A_SPECIAL;
				break;
			}
	}
	for (int f = 0; f < F__COUNT; f++)
		t->fld[f] = ts_language_field_id_for_name(l, field_names[f],
							  (uint32_t)strlen(field_names[f]));
}

static void init_js(void) { init_dialect(JS_JAVASCRIPT); }
static void init_ts(void) { init_dialect(JS_TYPESCRIPT); }
static void init_tsx(void) { init_dialect(JS_TSX); }

/* ---- walker state ------------------------------------------------------- */

enum scope_kind {
	SC_FUNC,    /* a named function or method: calls inside belong to sym */
	SC_CLOSURE, /* an anonymous function: its calls belong to the enclosing definition */
	SC_CLASS,   /* a class body: code there belongs to the class */
	SC_NS,      /* namespace, interface or enum body: names things, runs at file level */
	SC_OBJ,     /* an object literal bound to a name: its functions are definitions */
	SC_ANON,    /* an object literal or class nobody names: its functions are closures */
};

#define QUAL_UNSET UINT32_MAX

struct scope {
	uint32_t depth;     /* tree depth of the node that opened it */
	int32_t sym;        /* SC_FUNC, SC_CLASS, SC_NS: its symbol (or -1) */
	uint32_t name;      /* SC_OBJ: the object's name as a path ("api", "A.b") */
	uint32_t qual;      /* qualified name of what is defined inside, QUAL_UNSET until known */
	uint32_t nvars;     /* walker's nvars when it was opened */
	uint8_t kind;
	uint8_t member_kind; /* SC_OBJ: SK_METHOD, or SK_FUNCTION for module exports */
};

/* A function or class value that its parent names: `const f = () => {}`,
 * `exports.h = function () {}`, `{ m: () => {} }`, `x = class {}`. */
struct claim {
	const void *id;     /* the value node */
	uint32_t na, nb;    /* its name in src */
	TSPoint npos;
	uint32_t scope;     /* QUAL_UNSET: the current one */
	int kind;           /* SK_FUNCTION / SK_METHOD for functions */
	bool top_members;   /* an object whose functions are the module's (module.exports) */
	bool set;
};

/* A parameter or local: its name in src, and the previous one in the same
 * hash bucket (names are added and dropped in stack order, so a bucket's
 * head is restored from the entry dropped). */
struct var { uint32_t a, b; int32_t prev; };

#define VAR_BUCKETS 256

struct walker {
	const struct tables *t;
	const char *src;
	size_t len;
	struct xresult *out;
	struct scope *sc;
	size_t nsc, sc_cap;
	struct var *vars;   /* parameters and locals of the enclosing functions */
	size_t nvars, vars_cap;
	int32_t var_head[VAR_BUCKETS]; /* per name hash: the latest var, or -1 */
	int32_t caller;     /* innermost function/method/class symbol, or -1 */
	uint32_t nfuncs;    /* SC_FUNC/SC_CLOSURE scopes open */
	struct claim claim;
	const void *class_body; /* the body of the class just named... */
	int32_t class_sym;      /* ... and its symbol */
	const void *require_done; /* a require() call already taken as an import */
	struct range { uint32_t a, b; } *errs; /* outermost ERROR nodes, in order */
	size_t nerrs, errs_cap;
	char *scratch;
	size_t scratch_cap;
};

static inline int nid(const struct walker *w, TSNode n)
{
	if (ts_node_is_null(n))
		return 0;
	TSSymbol s = ts_node_symbol(n);
	return s < w->t->nsymbols ? w->t->id[s] : 0;
}

static inline TSNode field(const struct walker *w, TSNode n, int f)
{
	return ts_node_child_by_field_id(n, w->t->fld[f]);
}

static inline uint32_t var_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h & (VAR_BUCKETS - 1);
}

/* Forget the vars added since there were n. */
static void drop_vars(struct walker *w, size_t n)
{
	while (w->nvars > n) {
		const struct var *v = &w->vars[--w->nvars];
		w->var_head[var_hash(w->src + v->a, v->b - v->a)] = v->prev;
	}
}

static void recompute(struct walker *w)
{
	w->caller = -1;
	w->nfuncs = 0;
	bool found = false;
	for (size_t i = w->nsc; i-- > 0;) {
		const struct scope *s = &w->sc[i];
		if (s->kind == SC_FUNC || s->kind == SC_CLOSURE)
			w->nfuncs++;
		if (found)
			continue;
		if (s->kind == SC_FUNC || s->kind == SC_CLASS) {
			w->caller = s->sym;
			found = true;
		} else if (s->kind == SC_NS) {
			found = true;
		}
	}
}

static void push_scope(struct walker *w, uint32_t depth, int kind, int32_t sym, uint32_t name)
{
	ARRAY_GROW(w->sc, w->sc_cap, w->nsc + 1);
	w->sc[w->nsc++] = (struct scope){ .depth = depth, .sym = sym, .name = name,
					  .qual = QUAL_UNSET, .nvars = (uint32_t)w->nvars,
					  .kind = (uint8_t)kind, .member_kind = SK_METHOD };
	recompute(w);
}

/* Close the scopes opened by nodes that the node at depth is not inside. */
static inline void pop_scopes(struct walker *w, uint32_t depth)
{
	if (!w->nsc || w->sc[w->nsc - 1].depth < depth)
		return;
	while (w->nsc && w->sc[w->nsc - 1].depth >= depth) {
		drop_vars(w, w->sc[w->nsc - 1].nvars);
		w->nsc--;
	}
	recompute(w);
}

static char *scratch(struct walker *w, size_t n)
{
	if (n > w->scratch_cap) {
		w->scratch_cap = n + 256;
		w->scratch = xrealloc(w->scratch, w->scratch_cap);
	}
	return w->scratch;
}

/* Add "a.b" (either may be empty) to the arena. */
static uint32_t join_str(struct walker *w, uint32_t a, uint32_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	size_t la = strlen(xstr(w->out, a)), lb = strlen(xstr(w->out, b));
	char *s = scratch(w, la + lb + 1);
	memcpy(s, xstr(w->out, a), la);
	s[la] = '.';
	memcpy(s + la + 1, xstr(w->out, b), lb);
	return xresult_str(w->out, s, la + lb + 1);
}

static bool contributes(const struct scope *s)
{
	return s->kind == SC_OBJ || ((s->kind == SC_FUNC || s->kind == SC_CLASS || s->kind == SC_NS) &&
				     s->sym >= 0);
}

/* The qualified name of scope i: what definitions inside it are scoped by. */
static uint32_t qual_of(struct walker *w, size_t i)
{
	struct scope *s = &w->sc[i];
	if (s->qual != QUAL_UNSET)
		return s->qual;
	if (s->kind == SC_OBJ) {
		uint32_t outer = 0;
		for (size_t j = i; j-- > 0;)
			if (contributes(&w->sc[j])) {
				outer = qual_of(w, j);
				break;
			}
		s = &w->sc[i];
		s->qual = join_str(w, outer, s->name);
	} else {
		const struct xsym *y = &w->out->syms[s->sym];
		uint32_t sc = y->scope, nm = y->name;
		s->qual = join_str(w, sc, nm);
	}
	return s->qual;
}

/* The scope of a definition made here, and its parent symbol. */
static uint32_t cur_scope(struct walker *w)
{
	for (size_t i = w->nsc; i-- > 0;)
		if (contributes(&w->sc[i]))
			return qual_of(w, i);
	return 0;
}

static int32_t cur_parent(const struct walker *w)
{
	for (size_t i = w->nsc; i-- > 0;)
		if ((w->sc[i].kind == SC_FUNC || w->sc[i].kind == SC_CLASS ||
		     w->sc[i].kind == SC_NS) && w->sc[i].sym >= 0)
			return w->sc[i].sym;
	return -1;
}

/* Is the innermost scope one opened by the node's parent (at depth - 1)? */
static const struct scope *direct_scope(const struct walker *w, uint32_t depth)
{
	if (w->nsc && w->sc[w->nsc - 1].depth + 1 == depth)
		return &w->sc[w->nsc - 1];
	return NULL;
}

/* ---- small helpers ------------------------------------------------------ */

static void end_pos(const struct walker *w, TSNode n, uint32_t *line, uint32_t *col)
{
	TSPoint e = ts_node_end_point(n);
	uint32_t sb = ts_node_start_byte(n), b = ts_node_end_byte(n);
	if (e.column > 0 || b <= sb) {
		*line = e.row + 1;
		*col = e.column;
		return;
	}
	uint32_t row = e.row;
	while (b > sb && (w->src[b - 1] == '\n' || w->src[b - 1] == '\r' ||
			  w->src[b - 1] == ' ' || w->src[b - 1] == '\t')) {
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

static int32_t add_def(struct walker *w, uint32_t na, uint32_t nb, TSPoint npos, int kind,
		       TSNode whole, uint32_t scope, int32_t parent)
{
	struct xsym s = { 0 };
	if (nb <= na)
		return -1;
	s.name = xresult_str(w->out, w->src + na, nb - na);
	s.kind = (uint8_t)kind;
	s.line = ts_line(npos);
	s.col = ts_col(npos);
	end_pos(w, whole, &s.end_line, &s.end_col);
	s.parent = parent;
	s.scope = scope;
	return xresult_add_sym(w->out, &s);
}

/* The bytes naming a definition: identifiers as written, strings without
 * their quotes, computed names as written. */
static bool name_range(const struct walker *w, TSNode n, uint32_t *a, uint32_t *b)
{
	if (ts_node_is_null(n))
		return false;
	*a = ts_node_start_byte(n);
	*b = ts_node_end_byte(n);
	if (nid(w, n) == N_STRING && *b - *a >= 2) {
		(*a)++;
		(*b)--;
	}
	return *b > *a;
}

static bool text_is(const struct walker *w, TSNode n, const char *s)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	size_t l = strlen(s);
	return b - a == l && !memcmp(w->src + a, s, l);
}

static bool is_function_value(int k)
{
	return k == N_FUNCTION_EXPRESSION || k == N_ARROW_FUNCTION || k == N_GENERATOR_FUNCTION;
}

/* Drop what does not change which value an expression is: parentheses
 * around one expression, TypeScript's x!, x as T, x satisfies T, <T>x. */
static TSNode unwrap(const struct walker *w, TSNode n)
{
	for (int guard = 0; guard < 16 && !ts_node_is_null(n); guard++) {
		int k = nid(w, n);
		if (k != N_PARENTHESIZED_EXPRESSION && k != N_NON_NULL_EXPRESSION &&
		    k != N_AS_EXPRESSION && k != N_SATISFIES_EXPRESSION && k != N_TYPE_ASSERTION)
			break;
		/* <T>x: the expression comes after the type */
		TSNode c = ts_node_named_child(n, k == N_TYPE_ASSERTION ?
							   ts_node_named_child_count(n) - 1 : 0);
		while (!ts_node_is_null(c) && nid(w, c) == N_COMMENT)
			c = ts_node_next_named_sibling(c);
		if (ts_node_is_null(c) || nid(w, c) == N_SEQUENCE_EXPRESSION)
			break;
		n = c;
	}
	return n;
}

/* Write the name chain n (a, this.a.b, a?.b!.c) into buf; false if n is
 * anything else. */
static bool chain(const struct walker *w, TSNode n, char *buf, size_t cap, size_t *len)
{
	n = unwrap(w, n);
	int k = nid(w, n);
	if (k == N_IDENTIFIER || k == N_THIS || k == N_SUPER || k == N_PROPERTY_IDENTIFIER ||
	    k == N_PRIVATE_PROPERTY_IDENTIFIER || k == N_TYPE_IDENTIFIER) {
		uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
		if (*len + (b - a) + 1 > cap)
			return false;
		memcpy(buf + *len, w->src + a, b - a);
		*len += b - a;
		return true;
	}
	if (k == N_MEMBER_EXPRESSION || k == N_NESTED_IDENTIFIER ||
	    k == N_NESTED_TYPE_IDENTIFIER) {
		TSNode o = field(w, n, k == N_NESTED_TYPE_IDENTIFIER ? F_MODULE : F_OBJECT);
		TSNode p = field(w, n, k == N_NESTED_TYPE_IDENTIFIER ? F_NAME : F_PROPERTY);
		if (ts_node_is_null(o) || ts_node_is_null(p) || !chain(w, o, buf, cap, len) ||
		    *len + 1 >= cap)
			return false;
		buf[(*len)++] = '.';
		return chain(w, p, buf, cap, len);
	}
	return false;
}

/* n as a receiver: its name chain, or its text (whitespace dropped). */
static uint32_t receiver_str(struct walker *w, TSNode n)
{
	char buf[128];
	size_t len = 0;
	if (chain(w, n, buf, sizeof(buf), &len))
		return xresult_str(w->out, buf, len);
	return xresult_path_str(w->out, w->src, ts_node_start_byte(n), ts_node_end_byte(n));
}

static bool is_var(const struct walker *w, uint32_t a, uint32_t b)
{
	for (int32_t i = w->var_head[var_hash(w->src + a, b - a)]; i >= 0; i = w->vars[i].prev)
		if (w->vars[i].b - w->vars[i].a == b - a &&
		    !memcmp(w->src + w->vars[i].a, w->src + a, b - a))
			return true;
	return false;
}

static void add_var(struct walker *w, TSNode n)
{
	int k = nid(w, n);
	if (k != N_IDENTIFIER && k != N_SHORTHAND_PROPERTY_IDENTIFIER_PATTERN)
		return;
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n), h = var_hash(w->src + a, b - a);
	ARRAY_GROW(w->vars, w->vars_cap, w->nvars + 1);
	w->vars[w->nvars] = (struct var){ a, b, w->var_head[h] };
	w->var_head[h] = (int32_t)w->nvars++;
}

/* The names a parameter or destructuring pattern binds. */
static void add_pattern_vars(struct walker *w, TSNode n, int guard)
{
	if (ts_node_is_null(n) || guard > 8)
		return;
	switch (nid(w, n)) {
	case N_IDENTIFIER:
	case N_SHORTHAND_PROPERTY_IDENTIFIER_PATTERN:
		add_var(w, n);
		return;
	case N_ASSIGNMENT_PATTERN:
	case N_OBJECT_ASSIGNMENT_PATTERN:
		add_pattern_vars(w, field(w, n, F_LEFT), guard + 1);
		return;
	case N_PAIR_PATTERN:
		add_pattern_vars(w, field(w, n, F_VALUE), guard + 1);
		return;
	case N_REQUIRED_PARAMETER:
	case N_OPTIONAL_PARAMETER:
		add_pattern_vars(w, field(w, n, F_PATTERN), guard + 1);
		return;
	case N_REST_PATTERN:
	case N_OBJECT_PATTERN:
	case N_ARRAY_PATTERN:
	case N_FORMAL_PARAMETERS: {
		uint32_t k = ts_node_named_child_count(n);
		for (uint32_t i = 0; i < k; i++)
			add_pattern_vars(w, ts_node_named_child(n, i), guard + 1);
		return;
	}
	}
}

static void add_call(struct walker *w, TSNode name, uint32_t callee, uint32_t receiver,
		     int flags)
{
	struct xcall c = { 0 };
	TSPoint p = ts_node_start_point(name);
	if (!callee) {
		uint32_t a = ts_node_start_byte(name), b = ts_node_end_byte(name);
		if (b <= a)
			return;
		callee = xresult_str(w->out, w->src + a, b - a);
	}
	c.callee = callee;
	c.receiver = receiver;
	c.line = ts_line(p);
	c.col = ts_col(p);
	c.caller = w->caller;
	c.flags = (uint8_t)flags;
	xresult_add_call(w->out, &c);
}

/* ---- imports ------------------------------------------------------------ */

static uint32_t string_content(struct walker *w, TSNode s)
{
	uint32_t a, b;
	if (ts_node_is_null(s) || nid(w, s) != N_STRING || !name_range(w, s, &a, &b))
		return 0;
	return xresult_str(w->out, w->src + a, b - a);
}

static void add_import(struct walker *w, uint32_t module, uint32_t name, uint32_t alias,
		       TSNode at)
{
	struct ximport im = { .module = module, .name = name, .alias = alias,
			      .line = ts_line(ts_node_start_point(at)) };
	xresult_add_import(w->out, &im);
}

static uint32_t node_name_str(struct walker *w, TSNode n)
{
	uint32_t a, b;
	if (!name_range(w, n, &a, &b))
		return 0;
	return xresult_str(w->out, w->src + a, b - a);
}

/* { a, b as c }: one import per specifier (import_specifier or export_specifier). */
static void add_specifiers(struct walker *w, uint32_t module, TSNode list, int spec, TSNode at)
{
	uint32_t ks = ts_node_named_child_count(list);
	for (uint32_t m = 0; m < ks; m++) {
		TSNode s = ts_node_named_child(list, m);
		if (nid(w, s) == spec)
			add_import(w, module, node_name_str(w, field(w, s, F_NAME)),
				   node_name_str(w, field(w, s, F_ALIAS)), at);
	}
}

static void on_import(struct walker *w, TSNode n)
{
	TSNode src = field(w, n, F_SOURCE);
	uint32_t module = string_content(w, src);
	bool any = false;
	uint32_t k = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode c = ts_node_named_child(n, i);
		int ck = nid(w, c);
		if (ck == N_IMPORT_REQUIRE_CLAUSE) {
			/* TypeScript: import fs = require("fs") */
			TSNode id = ts_node_named_child(c, 0);
			add_import(w, string_content(w, field(w, c, F_SOURCE)), 0,
				   node_name_str(w, id), n);
			any = true;
			continue;
		}
		if (ck != N_IMPORT_CLAUSE)
			continue;
		uint32_t kc = ts_node_named_child_count(c);
		for (uint32_t j = 0; j < kc; j++) {
			TSNode e = ts_node_named_child(c, j);
			int ek = nid(w, e);
			any = true;
			if (ek == N_IDENTIFIER) {
				add_import(w, module, xresult_str(w->out, "default", 7),
					   node_name_str(w, e), n);
			} else if (ek == N_NAMESPACE_IMPORT) {
				add_import(w, module, 0,
					   node_name_str(w, ts_node_named_child(e, 0)), n);
			} else if (ek == N_NAMED_IMPORTS) {
				add_specifiers(w, module, e, N_IMPORT_SPECIFIER, n);
			}
		}
	}
	if (!any && module)
		add_import(w, module, 0, 0, n); /* import "./side-effect" */
}

/* export { a as b } from "./x"; export * from "./x"; export * as ns from "./x" */
static void on_reexport(struct walker *w, TSNode n, TSNode src)
{
	uint32_t module = string_content(w, src);
	bool any = false;
	uint32_t k = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode c = ts_node_named_child(n, i);
		int ck = nid(w, c);
		if (ck == N_NAMESPACE_EXPORT) {
			add_import(w, module, 0, node_name_str(w, ts_node_named_child(c, 0)), n);
			any = true;
		} else if (ck == N_EXPORT_CLAUSE) {
			add_specifiers(w, module, c, N_EXPORT_SPECIFIER, n);
			any = true;
		}
	}
	if (!any)
		add_import(w, module, xresult_str(w->out, "*", 1), 0, n);
}

/* require("x") with a string: its module, else 0. */
static uint32_t require_module(struct walker *w, TSNode call)
{
	if (nid(w, call) != N_CALL_EXPRESSION)
		return 0;
	TSNode f = field(w, call, F_FUNCTION);
	if (ts_node_is_null(f) || nid(w, f) != N_IDENTIFIER || !text_is(w, f, "require"))
		return 0;
	TSNode args = field(w, call, F_ARGUMENTS);
	if (ts_node_is_null(args) || ts_node_named_child_count(args) != 1)
		return 0;
	return string_content(w, ts_node_named_child(args, 0));
}

/* Same text: an alias that only repeats the name is no alias. */
static uint32_t alias_if_different(struct walker *w, uint32_t name, uint32_t alias)
{
	if (name && alias && !strcmp(xstr(w->out, name), xstr(w->out, alias)))
		return 0;
	return alias;
}

/* const m = require("x"); const { a, b: c } = require("x"); const f = require("x").f */
static bool require_declarator(struct walker *w, TSNode d, TSNode name, TSNode value)
{
	value = unwrap(w, value);
	TSNode call = value, prop = { 0 };
	if (nid(w, value) == N_MEMBER_EXPRESSION) {
		call = unwrap(w, field(w, value, F_OBJECT));
		prop = field(w, value, F_PROPERTY);
	}
	uint32_t module = require_module(w, call);
	if (!module)
		return false;
	w->require_done = call.id;
	uint32_t pname = ts_node_is_null(prop) ? 0 : node_name_str(w, prop);
	int nk = nid(w, name);
	if (nk == N_IDENTIFIER) {
		uint32_t alias = node_name_str(w, name);
		add_import(w, module, pname, alias_if_different(w, pname, alias), d);
	} else if (nk == N_OBJECT_PATTERN && !pname) {
		uint32_t k = ts_node_named_child_count(name);
		for (uint32_t i = 0; i < k; i++) {
			TSNode p = ts_node_named_child(name, i);
			int pk = nid(w, p);
			if (pk == N_OBJECT_ASSIGNMENT_PATTERN) {
				/* { c = 3 } */
				p = field(w, p, F_LEFT);
				pk = nid(w, p);
			}
			if (pk == N_SHORTHAND_PROPERTY_IDENTIFIER_PATTERN) {
				add_import(w, module, node_name_str(w, p), 0, d);
			} else if (pk == N_PAIR_PATTERN) {
				uint32_t nm = node_name_str(w, field(w, p, F_KEY));
				TSNode v = field(w, p, F_VALUE);
				if (nid(w, v) == N_ASSIGNMENT_PATTERN)
					v = field(w, v, F_LEFT);
				uint32_t al = nid(w, v) == N_IDENTIFIER ? node_name_str(w, v) : 0;
				add_import(w, module, nm, alias_if_different(w, nm, al), d);
			}
		}
	} else {
		add_import(w, module, pname, 0, d);
	}
	return true;
}

/* ---- definitions -------------------------------------------------------- */

/* Let the value node v (a function, class or object) be named by the node
 * name (its text is the name). */
static void claim(struct walker *w, TSNode v, TSNode name, int kind, uint32_t scope)
{
	uint32_t a, b;
	if (ts_node_is_null(v) || !name_range(w, name, &a, &b))
		return;
	w->claim = (struct claim){ .id = v.id, .na = a, .nb = b,
				   .npos = ts_node_start_point(name), .scope = scope,
				   .kind = kind, .set = true };
}

static bool claimed(struct walker *w, TSNode n)
{
	if (w->claim.set && w->claim.id == n.id) {
		w->claim.set = false;
		return true;
	}
	return false;
}

/* `name = value` where value is a function, class or object: name it. */
static void name_value(struct walker *w, TSNode value, TSNode name, int fkind, uint32_t scope)
{
	TSNode v = unwrap(w, value);
	int vk = nid(w, v);
	if (is_function_value(vk) || vk == N_CLASS || vk == N_OBJECT)
		claim(w, v, name, fkind, scope);
}

/* The bases of a class or interface, as written, "," separated. */
static void add_base(struct walker *w, TSNode n, char *buf, size_t cap, size_t *len)
{
	if (nid(w, n) == N_GENERIC_TYPE)
		n = field(w, n, F_NAME);
	size_t save = *len;
	if (*len && *len + 1 < cap)
		buf[(*len)++] = ',';
	if (ts_node_is_null(n) || !chain(w, n, buf, cap, len))
		*len = save;
}

static uint32_t bases_of(struct walker *w, TSNode n)
{
	char buf[512];
	size_t len = 0;
	uint32_t k = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode c = ts_node_named_child(n, i);
		int ck = nid(w, c);
		if (ck == N_CLASS_HERITAGE) {
			uint32_t kh = ts_node_named_child_count(c);
			for (uint32_t j = 0; j < kh; j++) {
				TSNode h = ts_node_named_child(c, j);
				int hk = nid(w, h);
				if (hk == N_EXTENDS_CLAUSE || hk == N_IMPLEMENTS_CLAUSE) {
					uint32_t ke = ts_node_named_child_count(h);
					for (uint32_t m = 0; m < ke; m++) {
						TSNode e = ts_node_named_child(h, m);
						if (nid(w, e) != N_TYPE_ARGUMENTS)
							add_base(w, e, buf, sizeof(buf), &len);
					}
				} else {
					add_base(w, h, buf, sizeof(buf), &len);
				}
			}
		} else if (ck == N_EXTENDS_TYPE_CLAUSE) {
			uint32_t ke = ts_node_named_child_count(c);
			for (uint32_t m = 0; m < ke; m++)
				add_base(w, ts_node_named_child(c, m), buf, sizeof(buf), &len);
		}
	}
	return len ? xresult_str(w->out, buf, len) : 0;
}

/* The `default` keyword of export default ..., which names an anonymous
 * default export. */
static TSNode default_keyword(const struct walker *w, TSNode parent)
{
	uint32_t k = ts_node_child_count(parent);
	for (uint32_t i = 0; i < k; i++) {
		TSNode c = ts_node_child(parent, i);
		if (ts_node_symbol(c) == w->t->default_kw && !ts_node_is_named(c))
			return c;
	}
	return (TSNode){ 0 };
}

/* A function-like node: named by itself, by its parent, or a closure. */
static void on_function(struct walker *w, TSNode n, uint32_t depth, int k)
{
	int32_t s = -1;
	if (claimed(w, n)) {
		uint32_t scope = w->claim.scope == QUAL_UNSET ? cur_scope(w) : w->claim.scope;
		s = add_def(w, w->claim.na, w->claim.nb, w->claim.npos, w->claim.kind, n, scope,
			    cur_parent(w));
	} else {
		/* declarations, and function expressions with a name of their
		 * own: f(function cb() {}) */
		TSNode name = field(w, n, F_NAME);
		uint32_t a, b;
		if (name_range(w, name, &a, &b))
			s = add_def(w, a, b, ts_node_start_point(name), SK_FUNCTION, n,
				    cur_scope(w), cur_parent(w));
	}
	push_scope(w, depth, s >= 0 ? SC_FUNC : SC_CLOSURE, s, 0);
	if (k == N_ARROW_FUNCTION)
		add_var(w, field(w, n, F_PARAMETER));
}

static void on_class(struct walker *w, TSNode n, TSNode parent)
{
	TSNode name = field(w, n, F_NAME);
	uint32_t a, b, scope = QUAL_UNSET;
	TSPoint at;
	int32_t s = -1;
	if (claimed(w, n)) {
		a = w->claim.na;
		b = w->claim.nb;
		at = w->claim.npos;
		scope = w->claim.scope;
	} else if (name_range(w, name, &a, &b)) {
		at = ts_node_start_point(name);
	} else {
		TSNode d = nid(w, parent) == N_EXPORT_STATEMENT ? default_keyword(w, parent) :
								   (TSNode){ 0 };
		if (!name_range(w, d, &a, &b))
			a = b = 0;
		at = ts_node_start_point(d);
	}
	if (b > a) {
		s = add_def(w, a, b, at, nid(w, n) == N_INTERFACE_DECLARATION ? SK_INTERFACE :
									 SK_CLASS,
			    n, scope == QUAL_UNSET ? cur_scope(w) : scope, cur_parent(w));
		if (s >= 0)
			w->out->syms[s].bases = bases_of(w, n);
	}
	TSNode body = field(w, n, F_BODY);
	w->class_body = ts_node_is_null(body) ? NULL : body.id;
	w->class_sym = s;
}

/* A method, getter, setter or constructor: in a class, in a named object
 * literal, or a closure. */
static void on_method(struct walker *w, TSNode n, uint32_t depth)
{
	const struct scope *in = direct_scope(w, depth);
	int32_t s = -1;
	if (in && (in->kind == SC_CLASS || in->kind == SC_OBJ)) {
		int kind = in->kind == SC_OBJ ? in->member_kind : SK_METHOD;
		TSNode name = field(w, n, F_NAME);
		uint32_t a, b;
		if (name_range(w, name, &a, &b))
			s = add_def(w, a, b, ts_node_start_point(name), kind, n, cur_scope(w),
				    cur_parent(w));
	}
	push_scope(w, depth, s >= 0 ? SC_FUNC : SC_CLOSURE, s, 0);
}

/* A declaration without a body: overloads, declare function, interface
 * and abstract methods. */
static void on_signature(struct walker *w, TSNode n)
{
	/* a construct signature, new (x: T): U, is named by its `new` */
	TSNode name = nid(w, n) == N_CONSTRUCT_SIGNATURE ? ts_node_child(n, 0) :
							  field(w, n, F_NAME);
	uint32_t a, b;
	if (name_range(w, name, &a, &b))
		add_def(w, a, b, ts_node_start_point(name), SK_PROTOTYPE, n, cur_scope(w),
			cur_parent(w));
}

/* namespace A.B { } / module M { } / declare module "m" { } */
static void on_namespace(struct walker *w, TSNode n, uint32_t depth)
{
	TSNode name = field(w, n, F_NAME);
	uint32_t scope = cur_scope(w);
	int32_t s = -1;
	if (nid(w, name) == N_NESTED_IDENTIFIER) {
		TSNode o = field(w, name, F_OBJECT);
		if (!ts_node_is_null(o)) {
			char buf[128];
			size_t len = 0;
			if (chain(w, o, buf, sizeof(buf), &len))
				scope = join_str(w, scope, xresult_str(w->out, buf, len));
		}
		name = field(w, name, F_PROPERTY);
	}
	uint32_t a, b;
	if (name_range(w, name, &a, &b))
		s = add_def(w, a, b, ts_node_start_point(name), SK_NAMESPACE, n, scope,
			    cur_parent(w));
	push_scope(w, depth, SC_NS, s, 0);
}

static void on_enum(struct walker *w, TSNode n, uint32_t depth)
{
	TSNode name = field(w, n, F_NAME), body = field(w, n, F_BODY);
	uint32_t a, b;
	if (!name_range(w, name, &a, &b))
		return;
	int32_t s = add_def(w, a, b, ts_node_start_point(name), SK_ENUM, n, cur_scope(w),
			    cur_parent(w));
	if (ts_node_is_null(body) || s < 0)
		return;
	push_scope(w, depth, SC_NS, s, 0);
	uint32_t scope = cur_scope(w), k = ts_node_named_child_count(body);
	for (uint32_t i = 0; i < k; i++) {
		TSNode e = ts_node_named_child(body, i), en = e;
		if (nid(w, e) == N_ENUM_ASSIGNMENT)
			en = field(w, e, F_NAME);
		if (nid(w, en) == N_COMMENT || !name_range(w, en, &a, &b))
			continue;
		add_def(w, a, b, ts_node_start_point(en), SK_ENUMERATOR, e, scope, s);
	}
}

/* `left = right`: exports.f = function () {}, A.prototype.m = ..., f = () => {} */
static void on_assignment(struct walker *w, TSNode n)
{
	TSNode left = field(w, n, F_LEFT), right = field(w, n, F_RIGHT);
	if (ts_node_is_null(left) || ts_node_is_null(right))
		return;
	int vk = nid(w, unwrap(w, right));
	if (!is_function_value(vk) && vk != N_CLASS && vk != N_OBJECT)
		return;
	int lk = nid(w, left);
	if (lk == N_IDENTIFIER) {
		/* f = () => {}, also for a local declared before: let f; f = ... */
		name_value(w, right, left, SK_FUNCTION, QUAL_UNSET);
		return;
	}
	if (lk != N_MEMBER_EXPRESSION)
		return;
	TSNode obj = field(w, left, F_OBJECT), prop = field(w, left, F_PROPERTY);
	if (ts_node_is_null(obj) || ts_node_is_null(prop) ||
	    nid(w, prop) != N_PROPERTY_IDENTIFIER)
		return;
	char buf[128];
	size_t len = 0;
	if (!chain(w, obj, buf, sizeof(buf), &len))
		return;
	if (len == 6 && !memcmp(buf, "module", 6) && text_is(w, prop, "exports")) {
		/* module.exports = { ... }: its functions are the module's;
		 * module.exports = function f() {}: f */
		TSNode v = unwrap(w, right);
		if (vk == N_OBJECT) {
			claim(w, v, prop, SK_FUNCTION, 0);
			w->claim.top_members = true;
		} else if (is_function_value(vk)) {
			claim(w, v, field(w, v, F_NAME), SK_FUNCTION, 0);
		}
		return;
	}
	if ((len == 7 && !memcmp(buf, "exports", 7)) ||
	    (len == 14 && !memcmp(buf, "module.exports", 14))) {
		name_value(w, right, prop, SK_FUNCTION, 0);
		return;
	}
	if (len >= 4 && !memcmp(buf, "this", 4) && (len == 4 || buf[4] == '.'))
		return; /* this.x = function: a value, not a definition */
	if (vk == N_OBJECT && text_is(w, prop, "prototype")) {
		/* A.prototype = { m() {} }: methods of A */
		claim(w, unwrap(w, right), obj, SK_METHOD, QUAL_UNSET);
		return;
	}
	if (len > 10 && !memcmp(buf + len - 10, ".prototype", 10))
		len -= 10; /* A.prototype.m = function: a method of A */
	uint32_t scope = join_str(w, cur_scope(w), xresult_str(w->out, buf, len));
	name_value(w, right, prop, SK_METHOD, scope);
}

/* ---- calls -------------------------------------------------------------- */

/* call_expression n: how its callee is written. */
static void on_call(struct walker *w, TSNode n)
{
	TSNode f = field(w, n, F_FUNCTION);
	if (ts_node_is_null(f))
		return;
	int k = nid(w, f);
	if (k == N_NON_NULL_EXPRESSION) {
		f = unwrap(w, f);
		k = nid(w, f);
	}
	switch (k) {
	case N_IDENTIFIER: {
		uint32_t a = ts_node_start_byte(f), b = ts_node_end_byte(f);
		if (b - a == 7 && !memcmp(w->src + a, "require", 7) && w->require_done != n.id) {
			uint32_t m = require_module(w, n);
			if (m)
				add_import(w, m, 0, 0, n); /* require("./side-effect") */
		}
		add_call(w, f, 0, 0, is_var(w, a, b) ? CALL_DYNAMIC : 0);
		return;
	}
	case N_IMPORT:
		add_call(w, f, 0, 0, CALL_DYNAMIC); /* import("./x") */
		return;
	case N_SUPER:
		add_call(w, f, xresult_str(w->out, "constructor", 11),
			 xresult_str(w->out, "super", 5), CALL_SUPER);
		return;
	case N_MEMBER_EXPRESSION: {
		TSNode obj = unwrap(w, field(w, f, F_OBJECT)), prop = field(w, f, F_PROPERTY);
		if (ts_node_is_null(obj) || ts_node_is_null(prop))
			return;
		int ok = nid(w, obj);
		if (ok == N_THIS)
			add_call(w, prop, 0, xresult_str(w->out, "this", 4), CALL_SELF);
		else if (ok == N_SUPER)
			add_call(w, prop, 0, xresult_str(w->out, "super", 5), CALL_SUPER);
		else
			add_call(w, prop, 0, receiver_str(w, obj), CALL_MEMBER);
		return;
	}
	}
	/* through a value: handlers[k](), (0, m.f)(), f()(), (function () {})() */
	TSNode v = f;
	for (int guard = 0; guard < 8; guard++) {
		v = unwrap(w, v);
		int vk = nid(w, v);
		if (vk == N_PARENTHESIZED_EXPRESSION || vk == N_SEQUENCE_EXPRESSION) {
			/* (a, b): the last expression */
			uint32_t c = ts_node_named_child_count(v);
			if (!c)
				break;
			v = ts_node_named_child(v, c - 1);
			continue;
		}
		if (vk == N_SUBSCRIPT_EXPRESSION) {
			v = field(w, v, F_OBJECT);
			continue;
		}
		break;
	}
	int vk = nid(w, v);
	if (vk == N_IDENTIFIER) {
		add_call(w, v, 0, 0, CALL_DYNAMIC);
	} else if (vk == N_MEMBER_EXPRESSION && !ts_node_is_null(field(w, v, F_PROPERTY))) {
		add_call(w, field(w, v, F_PROPERTY), 0, receiver_str(w, field(w, v, F_OBJECT)),
			 CALL_DYNAMIC);
	} else if (is_function_value(vk)) {
		add_call(w, v, xresult_str(w->out, "function", 8), 0, CALL_DYNAMIC);
	} else {
		/* f()(): no name of its own; placed at its argument list */
		TSNode args = field(w, n, F_ARGUMENTS);
		add_call(w, ts_node_is_null(args) ? n : args, xresult_str(w->out, "()", 2), 0,
			 CALL_DYNAMIC);
	}
}

static void on_new(struct walker *w, TSNode n)
{
	TSNode c = unwrap(w, field(w, n, F_CONSTRUCTOR));
	int k = nid(w, c);
	if (k == N_IDENTIFIER) {
		/* new Ctor() of a parameter or local: through a value */
		add_call(w, c, 0, 0,
			 is_var(w, ts_node_start_byte(c), ts_node_end_byte(c)) ? CALL_NEW | CALL_DYNAMIC :
										 CALL_NEW);
	} else if (k == N_MEMBER_EXPRESSION && !ts_node_is_null(field(w, c, F_PROPERTY))) {
		add_call(w, field(w, c, F_PROPERTY), 0, receiver_str(w, field(w, c, F_OBJECT)),
			 CALL_NEW | CALL_MEMBER);
	} else if (!ts_node_is_null(c)) {
		/* new (f())(): placed at its `new` */
		add_call(w, n, xresult_str(w->out, "()", 2), 0, CALL_NEW | CALL_DYNAMIC);
	}
}

/* ---- recovery: definitions in code the parser lost ---------------------- */

static inline bool id_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
	       (unsigned char)c >= 0x80;
}

static inline bool id_char(char c)
{
	return id_start(c) || (c >= '0' && c <= '9');
}

/* If s[*i...] starts with word w followed by a space, step over both. */
static bool take_word(const char *s, size_t len, size_t *i, const char *word)
{
	size_t n = strlen(word), k = *i;
	if (k + n >= len || memcmp(s + k, word, n) || (s[k + n] != ' ' && s[k + n] != '\t' &&
						      !(s[k + n] == '*' && !strcmp(word, "function"))))
		return false;
	k += n;
	while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '*'))
		k++;
	*i = k;
	return true;
}

/* The end of the line holding byte i (the '\n' or len). */
static size_t line_end(const char *s, size_t len, size_t i)
{
	const char *e = memchr(s + i, '\n', len - i);
	return e ? (size_t)(e - s) : len;
}

/* A definition header starting a line in column 1, read from the text:
 *   [export] [default] [declare] [abstract] [async] function[*] NAME
 *   ... class|interface|enum|namespace NAME
 *   [export] const|let|var NAME [: T] = ... => (on the same line)
 * Returns the kind, and the name in [*na, *nb); -1 if the line is none. */
static int header_at(const char *s, size_t len, size_t i, size_t *na, size_t *nb, bool *braced)
{
	static const char *const mods[] = { "export", "default", "declare", "abstract", "async" };
	static const struct { const char *word; int kind; } kw[] = {
		{ "function", SK_FUNCTION }, { "class", SK_CLASS }, { "interface", SK_INTERFACE },
		{ "enum", SK_ENUM }, { "namespace", SK_NAMESPACE },
	};
	for (size_t m = 0; m < sizeof(mods) / sizeof(mods[0]); m++)
		take_word(s, len, &i, mods[m]);
	int kind = -1;
	for (size_t k = 0; k < sizeof(kw) / sizeof(kw[0]) && kind < 0; k++)
		if (take_word(s, len, &i, kw[k].word))
			kind = kw[k].kind;
	*braced = kind >= 0;
	if (kind < 0 && (take_word(s, len, &i, "const") || take_word(s, len, &i, "let") ||
			 take_word(s, len, &i, "var")))
		kind = SK_FUNCTION;
	if (kind < 0 || i >= len || !id_start(s[i]))
		return -1;
	*na = i;
	while (i < len && id_char(s[i]))
		i++;
	*nb = i;
	if (!*braced) {
		/* a variable holding a function: = function, = async, = (...) =>,
		 * = <T>(...) => (the arrow checked by the caller), = x => */
		size_t e = line_end(s, len, i);
		const char *eq = memchr(s + i, '=', e - i);
		if (!eq)
			return -1;
		size_t k = (size_t)(eq - s) + 1;
		while (k < e && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k < e && (s[k] == '(' || s[k] == '<'))
			return kind;
		if (k + 8 <= e && (!memcmp(s + k, "function", 8) || !memcmp(s + k, "async", 5)))
			return kind;
		while (k < e && id_char(s[k]))
			k++;
		while (k < e && s[k] == ' ')
			k++;
		return k + 1 < e && s[k] == '=' && s[k + 1] == '>' ? kind : -1;
	}
	return kind;
}

/* Where a definition whose header starts at byte i ends: a braced one at
 * the next line starting with '}', a variable before the next line that
 * starts with anything but a closing bracket or whitespace. Returns the
 * byte of that last line's start, and its row in *row. */
static size_t def_end(const char *s, size_t len, size_t i, bool braced, uint32_t *row)
{
	size_t last = i;
	uint32_t r = *row;
	if (braced) {
		/* function f() { ... } on one line */
		int depth = 0;
		bool opened = false;
		for (size_t k = i, e = line_end(s, len, i); k < e; k++) {
			if (s[k] == '{')
				depth++, opened = true;
			else if (s[k] == '}' && --depth == 0 && opened)
				return i;
		}
	}
	for (size_t k = line_end(s, len, i); k < len; k = line_end(s, len, k)) {
		k++; /* the next line's start */
		r++;
		if (k >= len)
			break;
		char c = s[k];
		if (braced ? c == '}' : (c != ' ' && c != '\t' && c != '\n' && c != '\r' &&
					 c != '}' && c != ')' && c != ']')) {
			if (braced) {
				*row = r;
				return k;
			}
			break;
		}
		if (!braced && c != '\n' && c != '\r')
			last = k, *row = r;
	}
	if (!braced)
		return last;
	return (size_t)-1;
}

static bool is_js_keyword(const char *s, size_t n)
{
	static const char *const kw[] = {
		"if", "for", "while", "switch", "catch", "return", "function", "typeof", "await",
		"yield", "new", "super", "import", "delete", "void", "in", "of", "instanceof",
		"else", "do", "case", "throw", "with", "constructor",
	};
	for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (strlen(kw[i]) == n && !memcmp(kw[i], s, n))
			return true;
	return false;
}

/* Is there a call among the first n at this position? */
static bool has_call_at(const struct xresult *o, size_t n, uint32_t line, uint32_t col)
{
	for (size_t k = 0; k < n; k++)
		if (o->calls[k].line == line && o->calls[k].col == col)
			return true;
	return false;
}

/* The calls in src[a, b), a recovered definition's text after its name
 * (which is on row `row`, col0 bytes into its line), that the parser made
 * no call of: a name followed by "(", with the names before it joined by
 * "." as its receiver; not keywords, not `function f(`, not a member's
 * header (a name first on its line whose parentheses are followed by "{"
 * or ":"); strings and comments skipped. */
static void loose_calls(struct walker *w, size_t a, size_t b, uint32_t row, size_t col0,
			int32_t caller, size_t ncalls0)
{
	const char *s = w->src;
	size_t ls = a - col0; /* start of the current line */
	for (size_t i = a; i < b; i++) {
		char c = s[i];
		if (c == '\n') {
			row++;
			ls = i + 1;
		} else if (c == '/' && i + 1 < b && s[i + 1] == '/') {
			i = line_end(s, b, i) - 1;
		} else if (c == '/' && i + 1 < b && s[i + 1] == '*') {
			const char *e = memmem(s + i + 2, b - i - 2, "*/", 2);
			size_t stop = e ? (size_t)(e - s) + 1 : b;
			for (; i < stop; i++)
				if (s[i] == '\n')
					row++, ls = i + 1;
		} else if (c == '"' || c == '\'' || c == '`') {
			for (i++; i < b && s[i] != c; i++) {
				if (s[i] == '\\')
					i++;
				else if (s[i] == '\n')
					row++, ls = i + 1;
			}
		} else if (id_start(c) && (i == 0 || !id_char(s[i - 1]))) {
			size_t na = i;
			while (i < b && id_char(s[i]))
				i++;
			size_t nb = i, k = i;
			i--;
			while (k < b && (s[k] == ' ' || s[k] == '\t'))
				k++;
			if (k >= b || s[k] != '(' || is_js_keyword(s + na, nb - na))
				continue;
			/* the receiver: name.name. before it (?. written .) */
			size_t ra = na;
			while (ra >= 2 && s[ra - 1] == '.') {
				size_t q = ra - 1;
				if (q > 0 && s[q - 1] == '?')
					q--;
				size_t p = q;
				while (p > 0 && id_char(s[p - 1]))
					p--;
				if (p == q)
					break;
				ra = p;
			}
			size_t first = ls;
			while (first < ra && (s[first] == ' ' || s[first] == '\t'))
				first++;
			size_t pb = ra;
			while (pb > ls && (s[pb - 1] == ' ' || s[pb - 1] == '\t'))
				pb--;
			if (pb >= ls + 8 && !memcmp(s + pb - 8, "function", 8))
				continue; /* function f( */
			if (first == ra && ra == na) {
				/* name( ... ) { or name( ... ): a member's header */
				int d = 0;
				size_t q = k;
				for (; q < b; q++) {
					if (s[q] == '(')
						d++;
					else if (s[q] == ')' && --d == 0)
						break;
				}
				for (q++; q < b && (s[q] == ' ' || s[q] == '\t'); q++)
					;
				if (q < b && (s[q] == '{' || s[q] == ':'))
					continue;
			}
			uint32_t line = row + 1, col = (uint32_t)(na - ls) + 1;
			if (has_call_at(w->out, ncalls0, line, col))
				continue;
			struct xcall x = { 0 };
			x.callee = xresult_str(w->out, s + na, nb - na);
			x.line = line;
			x.col = col;
			x.caller = caller;
			if (ra < na) {
				/* a.b?.f( has the receiver a.b */
				char buf[128];
				size_t n = 0;
				for (size_t q = ra; q + 1 < na && n < sizeof(buf); q++)
					if (s[q] != '?')
						buf[n++] = s[q];
				x.receiver = xresult_str(w->out, buf, n);
				bool self = n == 4 && !memcmp(buf, "this", 4);
				x.flags = self ? CALL_SELF : CALL_MEMBER;
			} else if (pb >= ls + 3 && !memcmp(s + pb - 3, "new", 3) &&
				   (pb == ls + 3 || !id_char(s[pb - 4]))) {
				x.flags = CALL_NEW;
			}
			xresult_add_call(w->out, &x);
		}
	}
}

/* Files the parser lost track of (an ERROR spanning definitions, as
 * tree-sitter-typescript does with `<in out T>` and some generic call
 * signatures) still have their top-level definitions: headers in column 1
 * inside an ERROR that gave no symbol become definitions, ending at the
 * next '}' in column 1, and the calls the walk left at file level inside
 * them become theirs. */
static void recover_headers(struct walker *w)
{
	struct xresult *o = w->out;
	size_t nsyms0 = o->nsyms;
	uint32_t row = 0;
	size_t e = 0;
	for (size_t i = 0; i < w->len; i = line_end(w->src, w->len, i) + 1, row++) {
		while (e < w->nerrs && w->errs[e].b <= i)
			e++;
		if (e == w->nerrs)
			break;
		if (i < w->errs[e].a || !id_start(w->src[i]))
			continue;
		size_t na, nb;
		bool braced;
		int kind = header_at(w->src, w->len, i, &na, &nb, &braced);
		if (kind < 0)
			continue;
		bool known = false;
		for (size_t k = 0; k < nsyms0 && !known; k++)
			known = o->syms[k].line == row + 1 &&
				strlen(xstr(o, o->syms[k].name)) == nb - na &&
				!memcmp(xstr(o, o->syms[k].name), w->src + na, nb - na);
		if (known)
			continue;
		uint32_t erow = row;
		size_t end = def_end(w->src, w->len, i, braced, &erow);
		if (end == (size_t)-1)
			continue;
		if (!braced &&
		    !memmem(w->src + nb, line_end(w->src, w->len, end) - nb, "=>", 2) &&
		    !memmem(w->src + nb, line_end(w->src, w->len, i) - nb, "function", 8))
			continue; /* = (a + b) * c holds no function */
		struct xsym y = { 0 };
		y.name = xresult_str(o, w->src + na, nb - na);
		y.kind = (uint8_t)kind;
		y.line = row + 1;
		y.col = (uint32_t)(na - i) + 1;
		y.end_line = erow + 1;
		y.end_col = braced && end != i ? 1 : (uint32_t)(line_end(w->src, w->len, end) - end);
		y.parent = -1;
		int32_t id = xresult_add_sym(o, &y);
		if (kind != SK_FUNCTION && kind != SK_CLASS)
			continue;
		size_t ncalls0 = o->ncalls;
		for (size_t k = 0; k < ncalls0; k++)
			if (o->calls[k].caller < 0 && o->calls[k].line >= y.line &&
			    o->calls[k].line <= y.end_line)
				o->calls[k].caller = id;
		loose_calls(w, nb, line_end(w->src, w->len, end), row, nb - i, id, ncalls0);
	}
}

/* ---- the walk ----------------------------------------------------------- */

/* Visit node n; returns whether to visit its children. */
static bool visit(struct walker *w, TSNode n, int k, uint32_t depth, TSNode parent)
{
	switch (k) {
	case N_FUNCTION_DECLARATION:
	case N_GENERATOR_FUNCTION_DECLARATION:
	case N_FUNCTION_EXPRESSION:
	case N_GENERATOR_FUNCTION:
	case N_ARROW_FUNCTION:
		on_function(w, n, depth, k);
		return true;
	case N_CLASS_DECLARATION:
	case N_CLASS:
	case N_ABSTRACT_CLASS_DECLARATION:
		on_class(w, n, parent);
		return true;
	case N_INTERFACE_DECLARATION: {
		on_class(w, n, parent);
		if (w->class_sym >= 0)
			push_scope(w, depth, SC_NS, w->class_sym, 0);
		w->class_body = NULL;
		return true;
	}
	case N_CLASS_BODY:
		if (w->class_body == n.id && w->class_sym >= 0)
			push_scope(w, depth, SC_CLASS, w->class_sym, 0);
		else
			push_scope(w, depth, SC_ANON, -1, 0);
		w->class_body = NULL;
		return true;
	case N_METHOD_DEFINITION:
		on_method(w, n, depth);
		return true;
	case N_FIELD_DEFINITION:
	case N_PUBLIC_FIELD_DEFINITION: {
		const struct scope *in = direct_scope(w, depth);
		if (in && in->kind == SC_CLASS)
			name_value(w, field(w, n, F_VALUE),
				   field(w, n, k == N_FIELD_DEFINITION ? F_PROPERTY : F_NAME),
				   SK_METHOD, QUAL_UNSET);
		return true;
	}
	case N_METHOD_SIGNATURE:
	case N_ABSTRACT_METHOD_SIGNATURE:
	case N_CONSTRUCT_SIGNATURE: {
		/* members of interfaces and classes, not of type literals;
		 * where the parser made one of code it lost track of, the
		 * calls in it are still visited */
		int pk = nid(w, parent);
		if (pk == N_INTERFACE_BODY || pk == N_CLASS_BODY) {
			on_signature(w, n);
			return ts_node_has_error(n);
		}
		return true;
	}
	case N_FUNCTION_SIGNATURE:
		on_signature(w, n);
		return false;
	case N_INTERNAL_MODULE:
	case N_MODULE:
		on_namespace(w, n, depth);
		return true;
	case N_ENUM_DECLARATION:
		on_enum(w, n, depth);
		return false;
	case N_TYPE_ALIAS_DECLARATION: {
		TSNode name = field(w, n, F_NAME);
		uint32_t a, b;
		if (name_range(w, name, &a, &b))
			add_def(w, a, b, ts_node_start_point(name), SK_TYPEDEF, n, cur_scope(w),
				cur_parent(w));
		return false;
	}
	case N_OBJECT: {
		if (claimed(w, n)) {
			if (w->claim.top_members) {
				/* module.exports = {...}: members at the top level */
				push_scope(w, depth, SC_OBJ, -1, 0);
				w->sc[w->nsc - 1].qual = 0;
				w->sc[w->nsc - 1].member_kind = SK_FUNCTION;
			} else {
				uint32_t name = xresult_str(w->out, w->src + w->claim.na,
							    w->claim.nb - w->claim.na);
				uint32_t scope = w->claim.scope;
				push_scope(w, depth, SC_OBJ, -1, name);
				if (scope != QUAL_UNSET)
					w->sc[w->nsc - 1].qual = join_str(w, scope, name);
			}
		} else {
			push_scope(w, depth, SC_ANON, -1, 0);
		}
		return true;
	}
	case N_PAIR: {
		const struct scope *in = direct_scope(w, depth);
		if (in && in->kind == SC_OBJ) {
			TSNode key = field(w, n, F_KEY);
			int kk = nid(w, key);
			if (kk == N_PROPERTY_IDENTIFIER || kk == N_STRING || kk == N_NUMBER ||
			    kk == N_IDENTIFIER || kk == N_COMPUTED_PROPERTY_NAME)
				name_value(w, field(w, n, F_VALUE), key, in->member_kind,
					   QUAL_UNSET);
		}
		return true;
	}
	case N_VARIABLE_DECLARATOR: {
		TSNode name = field(w, n, F_NAME), value = field(w, n, F_VALUE);
		if (ts_node_is_null(value)) {
			if (w->nfuncs)
				add_pattern_vars(w, name, 0);
			return false;
		}
		if (require_declarator(w, n, name, value))
			return true;
		if (nid(w, name) == N_IDENTIFIER) {
			int vk = nid(w, unwrap(w, value));
			if (is_function_value(vk) || vk == N_CLASS || vk == N_OBJECT) {
				name_value(w, value, name, SK_FUNCTION, QUAL_UNSET);
				return true;
			}
		}
		if (w->nfuncs)
			add_pattern_vars(w, name, 0);
		return true;
	}
	case N_ASSIGNMENT_EXPRESSION:
		on_assignment(w, n);
		return true;
	case N_FORMAL_PARAMETERS:
		if (w->nfuncs)
			add_pattern_vars(w, n, 0);
		return true;
	case N_FOR_IN_STATEMENT:
		if (w->nfuncs)
			add_pattern_vars(w, field(w, n, F_LEFT), 0);
		return true;
	case N_CATCH_CLAUSE:
		if (w->nfuncs)
			add_pattern_vars(w, field(w, n, F_PARAMETER), 0);
		return true;
	case N_EXPORT_STATEMENT: {
		TSNode src = field(w, n, F_SOURCE);
		if (!ts_node_is_null(src)) {
			on_reexport(w, n, src);
			return false;
		}
		TSNode v = field(w, n, F_VALUE);
		if (!ts_node_is_null(v)) {
			/* export default function () {} / class {} / { ... } */
			TSNode d = default_keyword(w, n), uv = unwrap(w, v);
			int vk = nid(w, uv);
			if (!ts_node_is_null(d) && (is_function_value(vk) || vk == N_OBJECT) &&
			    ts_node_is_null(field(w, uv, F_NAME))) {
				claim(w, uv, d, SK_FUNCTION, QUAL_UNSET);
				w->claim.top_members = vk == N_OBJECT;
			}
		}
		return true;
	}
	case N_IMPORT_STATEMENT:
		on_import(w, n);
		return false;
	case N_CALL_EXPRESSION:
		on_call(w, n);
		return true;
	case N_NEW_EXPRESSION:
		on_new(w, n);
		return true;
	}
	return true;
}

void js_walk(int dialect, const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	static void (*const inits[JS__COUNT])(void) = { init_js, init_ts, init_tsx };
	pthread_once(&once[dialect], inits[dialect]);
	struct walker w = { 0 };
	TSNode *anc = NULL;
	size_t anc_cap = 0;
	uint32_t depth = 0;
	w.t = &tabs[dialect];
	w.src = src;
	w.len = len;
	w.out = out;
	w.caller = -1;
	w.class_sym = -1;
	memset(w.var_head, 0xff, sizeof(w.var_head));

	TSNode root = ts_tree_root_node(tree);
	out->parse_errors = ts_count_errors(root);
	TSTreeCursor c = ts_tree_cursor_new(root);
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		TSSymbol s = ts_node_symbol(n);
		int act = s < w.t->nsymbols ? w.t->action[s] : A_DESCEND;
		bool down = false;
		if (s >= w.t->nsymbols && ts_node_is_error(n)) {
			uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
			if (!w.nerrs || a >= w.errs[w.nerrs - 1].b) {
				ARRAY_GROW(w.errs, w.errs_cap, w.nerrs + 1);
				w.errs[w.nerrs++] = (struct range){ a, b };
			}
		}
		if (act != A_SKIP) {
			ARRAY_GROW(anc, anc_cap, depth + 1);
			anc[depth] = n;
			pop_scopes(&w, depth);
			down = act == A_DESCEND ||
			       visit(&w, n, w.t->id[s], depth, depth ? anc[depth - 1] : n);
		}
		if (down && ts_tree_cursor_goto_first_child(&c)) {
			depth++;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!ts_tree_cursor_goto_parent(&c))
				goto done;
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&c);
	if (w.nerrs)
		recover_headers(&w);
	free(w.errs);
	free(anc);
	free(w.sc);
	free(w.vars);
	free(w.scratch);
}

void lang_javascript_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	js_walk(JS_JAVASCRIPT, tree, src, len, out);
}
