/* grammars/cpp/lang.c — C++ extraction: definitions with their namespace and
 * class scopes, call sites with their receivers, #include and using
 * directives, from a tree-sitter-cpp tree in one cursor walk. See README.md. */
#include "lang.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- grammar symbols, looked up once ------------------------------------ */

enum {
	N_FUNCTION_DEFINITION, N_DECLARATION, N_FIELD_DECLARATION, N_TYPE_DEFINITION,
	N_ALIAS_DECLARATION, N_NAMESPACE_DEFINITION, N_CLASS, N_STRUCT, N_UNION, N_ENUM,
	N_ENUMERATOR, N_PREPROC_DEF, N_PREPROC_FUNCTION_DEF, N_PREPROC_INCLUDE,
	N_USING_DECLARATION, N_NAMESPACE_ALIAS, N_CALL, N_NEW, N_COMPOUND_LITERAL, N_LAMBDA,
	N_FOR_RANGE, N_IDENTIFIER, N_FIELD_IDENTIFIER, N_TYPE_IDENTIFIER,
	N_NAMESPACE_IDENTIFIER, N_QUALIFIED_IDENTIFIER, N_TEMPLATE_TYPE, N_TEMPLATE_FUNCTION,
	N_TEMPLATE_METHOD, N_DESTRUCTOR_NAME, N_OPERATOR_NAME, N_OPERATOR_CAST,
	N_FIELD_EXPRESSION, N_PAREN_EXPRESSION, N_POINTER_EXPRESSION, N_SUBSCRIPT_EXPRESSION,
	N_FUNCTION_DECLARATOR, N_POINTER_DECLARATOR, N_REFERENCE_DECLARATOR, N_PAREN_DECLARATOR,
	N_INIT_DECLARATOR, N_ARRAY_DECLARATOR, N_ATTRIBUTED_DECLARATOR, N_STORAGE_CLASS,
	N_COMPOUND, N_BASE_CLASS_CLAUSE, N_PARAMETER_DECLARATION,
	N_OPTIONAL_PARAMETER_DECLARATION, N_VARIADIC_PARAMETER_DECLARATION,
	N_VARIADIC_DECLARATOR, N_THIS, N_STRING, N_NESTED_NAMESPACE, N_DEPENDENT_NAME,
	N_TEMPLATE_PARAMETER_LIST, N_COMMENT, N_NUMBER, N_PRIMITIVE_TYPE, N_RAW_STRING, N_CHAR,
	N_PREPROC_ARG, N_FRIEND, N_ARGUMENT_LIST, N_EXPRESSION_STATEMENT, N_INITIALIZER_LIST,
	N_ATTRIBUTE_SPECIFIER, N_ATTRIBUTE_DECLARATION, N_MS_DECLSPEC,
	N__COUNT
};

static const char *const node_names[N__COUNT] = {
	[N_FUNCTION_DEFINITION] = "function_definition",
	[N_DECLARATION] = "declaration",
	[N_FIELD_DECLARATION] = "field_declaration",
	[N_TYPE_DEFINITION] = "type_definition",
	[N_ALIAS_DECLARATION] = "alias_declaration",
	[N_NAMESPACE_DEFINITION] = "namespace_definition",
	[N_CLASS] = "class_specifier",
	[N_STRUCT] = "struct_specifier",
	[N_UNION] = "union_specifier",
	[N_ENUM] = "enum_specifier",
	[N_ENUMERATOR] = "enumerator",
	[N_PREPROC_DEF] = "preproc_def",
	[N_PREPROC_FUNCTION_DEF] = "preproc_function_def",
	[N_PREPROC_INCLUDE] = "preproc_include",
	[N_USING_DECLARATION] = "using_declaration",
	[N_NAMESPACE_ALIAS] = "namespace_alias_definition",
	[N_CALL] = "call_expression",
	[N_NEW] = "new_expression",
	[N_COMPOUND_LITERAL] = "compound_literal_expression",
	[N_LAMBDA] = "lambda_expression",
	[N_FOR_RANGE] = "for_range_loop",
	[N_IDENTIFIER] = "identifier",
	[N_FIELD_IDENTIFIER] = "field_identifier",
	[N_TYPE_IDENTIFIER] = "type_identifier",
	[N_NAMESPACE_IDENTIFIER] = "namespace_identifier",
	[N_QUALIFIED_IDENTIFIER] = "qualified_identifier",
	[N_TEMPLATE_TYPE] = "template_type",
	[N_TEMPLATE_FUNCTION] = "template_function",
	[N_TEMPLATE_METHOD] = "template_method",
	[N_DESTRUCTOR_NAME] = "destructor_name",
	[N_OPERATOR_NAME] = "operator_name",
	[N_OPERATOR_CAST] = "operator_cast",
	[N_FIELD_EXPRESSION] = "field_expression",
	[N_PAREN_EXPRESSION] = "parenthesized_expression",
	[N_POINTER_EXPRESSION] = "pointer_expression",
	[N_SUBSCRIPT_EXPRESSION] = "subscript_expression",
	[N_FUNCTION_DECLARATOR] = "function_declarator",
	[N_POINTER_DECLARATOR] = "pointer_declarator",
	[N_REFERENCE_DECLARATOR] = "reference_declarator",
	[N_PAREN_DECLARATOR] = "parenthesized_declarator",
	[N_INIT_DECLARATOR] = "init_declarator",
	[N_ARRAY_DECLARATOR] = "array_declarator",
	[N_ATTRIBUTED_DECLARATOR] = "attributed_declarator",
	[N_STORAGE_CLASS] = "storage_class_specifier",
	[N_COMPOUND] = "compound_statement",
	[N_BASE_CLASS_CLAUSE] = "base_class_clause",
	[N_PARAMETER_DECLARATION] = "parameter_declaration",
	[N_OPTIONAL_PARAMETER_DECLARATION] = "optional_parameter_declaration",
	[N_VARIADIC_PARAMETER_DECLARATION] = "variadic_parameter_declaration",
	[N_VARIADIC_DECLARATOR] = "variadic_declarator",
	[N_THIS] = "this",
	[N_STRING] = "string_literal",
	[N_NESTED_NAMESPACE] = "nested_namespace_specifier",
	[N_DEPENDENT_NAME] = "dependent_name",
	[N_TEMPLATE_PARAMETER_LIST] = "template_parameter_list",
	[N_COMMENT] = "comment",
	[N_NUMBER] = "number_literal",
	[N_PRIMITIVE_TYPE] = "primitive_type",
	[N_RAW_STRING] = "raw_string_literal",
	[N_CHAR] = "char_literal",
	[N_PREPROC_ARG] = "preproc_arg",
	[N_FRIEND] = "friend_declaration",
	[N_ARGUMENT_LIST] = "argument_list",
	[N_EXPRESSION_STATEMENT] = "expression_statement",
	[N_INITIALIZER_LIST] = "initializer_list",
	[N_ATTRIBUTE_SPECIFIER] = "attribute_specifier",
	[N_ATTRIBUTE_DECLARATION] = "attribute_declaration",
	[N_MS_DECLSPEC] = "ms_declspec_modifier",
};

enum {
	F_DECLARATOR, F_BODY, F_NAME, F_TYPE, F_FUNCTION, F_ARGUMENT, F_FIELD, F_SCOPE,
	F_PARAMETERS, F_PATH, F_VALUE, F_OPERATOR,
	F__COUNT
};
static const char *const field_names[F__COUNT] = {
	[F_DECLARATOR] = "declarator", [F_BODY] = "body", [F_NAME] = "name",
	[F_TYPE] = "type", [F_FUNCTION] = "function", [F_ARGUMENT] = "argument",
	[F_FIELD] = "field", [F_SCOPE] = "scope", [F_PARAMETERS] = "parameters",
	[F_PATH] = "path", [F_VALUE] = "value", [F_OPERATOR] = "operator",
};

enum { A_DESCEND, A_SKIP, A_SPECIAL };

static TSFieldId fld[F__COUNT];
static const char *fld_name[F__COUNT]; /* the grammar's own strings: compared by address */
static uint8_t *action;   /* per TSSymbol: A_* */
static uint8_t *node_id;  /* per TSSymbol: N_* + 1, or 0 */
static uint32_t nsymbols;
static TSSymbol sym_lbrace;   /* the '{' token */
static uint8_t *normal_brace; /* per TSSymbol: a '{' child of it opens its body */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_tables(void)
{
	const TSLanguage *l = tree_sitter_cpp();
	nsymbols = ts_language_symbol_count(l);
	action = calloc(nsymbols, 1);
	node_id = calloc(nsymbols, 1);
	normal_brace = calloc(nsymbols, 1);
	if (!action || !node_id || !normal_brace)
		abort();
	static const char *const bodies[] = {
		"compound_statement", "field_declaration_list", "declaration_list",
		"enumerator_list", "requirement_seq", "compound_requirement",
	};
	for (size_t k = 0; k < sizeof(bodies) / sizeof(bodies[0]); k++)
		for (uint32_t i = 0; i < nsymbols; i++)
			if (ts_language_symbol_type(l, (TSSymbol)i) == TSSymbolTypeRegular &&
			    !strcmp(ts_language_symbol_name(l, (TSSymbol)i), bodies[k]))
				normal_brace[i] = 1;
	/* a name can have several symbols (aliases): mark every one */
	for (uint32_t i = 0; i < nsymbols; i++) {
		if (ts_language_symbol_type(l, (TSSymbol)i) != TSSymbolTypeRegular) {
			action[i] = A_SKIP;
			continue;
		}
		const char *name = ts_language_symbol_name(l, (TSSymbol)i);
		for (int k = 0; k < N__COUNT; k++)
			if (!strcmp(name, node_names[k])) {
				node_id[i] = (uint8_t)(k + 1);
				break;
			}
	}
	for (int i = 0; i < F__COUNT; i++)
	{
		fld[i] = ts_language_field_id_for_name(l, field_names[i],
						       (uint32_t)strlen(field_names[i]));
		fld_name[i] = ts_language_field_name_for_id(l, fld[i]);
	}
	/* a '{' matters only where the parser lost the body it opens */
	sym_lbrace = ts_language_symbol_for_name(l, "{", 1, false);
	if (sym_lbrace < nsymbols)
		action[sym_lbrace] = A_SPECIAL;
	for (uint32_t i = 0; i < nsymbols; i++) {
		switch (node_id[i] - 1) {
		case N_COMMENT: case N_NUMBER: case N_PRIMITIVE_TYPE: case N_STRING:
		case N_RAW_STRING: case N_CHAR: case N_PREPROC_ARG: case N_IDENTIFIER:
		case N_FIELD_IDENTIFIER: case N_TYPE_IDENTIFIER: case N_NAMESPACE_IDENTIFIER:
		case N_TEMPLATE_PARAMETER_LIST: case N_BASE_CLASS_CLAUSE: case N_THIS:
		case N_ATTRIBUTE_SPECIFIER: case N_ATTRIBUTE_DECLARATION: case N_MS_DECLSPEC:
			action[i] = A_SKIP; /* __attribute__((aligned(8))), [[nodiscard("x")]] */
			break;
		case N_FUNCTION_DEFINITION: case N_DECLARATION: case N_FIELD_DECLARATION:
		case N_TYPE_DEFINITION: case N_ALIAS_DECLARATION: case N_NAMESPACE_DEFINITION:
		case N_CLASS: case N_STRUCT: case N_UNION: case N_ENUM: case N_ENUMERATOR:
		case N_PREPROC_DEF: case N_PREPROC_FUNCTION_DEF: case N_PREPROC_INCLUDE:
		case N_USING_DECLARATION: case N_NAMESPACE_ALIAS: case N_CALL: case N_NEW:
		case N_COMPOUND_LITERAL: case N_LAMBDA: case N_FOR_RANGE: case N_FRIEND:
		case N_EXPRESSION_STATEMENT: case N_COMPOUND:
			action[i] = A_SPECIAL;
			break;
		default:
			break;
		}
	}
}

static inline int nid(TSNode n)
{
	TSSymbol s = ts_node_symbol(n);
	return s < nsymbols ? node_id[s] - 1 : -1;
}

/* Is child i of n in field f? */
static inline bool child_in_field(TSNode n, uint32_t i, int f)
{
	return ts_node_field_name_for_child(n, i) == fld_name[f];
}

static inline TSNode field_child(TSNode n, int f)
{
	return ts_node_child_by_field_id(n, fld[f]);
}

/* ---- walker state ------------------------------------------------------- */

enum scope_kind {
	SC_NAMESPACE, /* namespace body (sym -1: anonymous, its contents static) */
	SC_TYPE,      /* class/struct/union body: functions in it are methods */
	SC_ENUM,      /* enum body: parent of enumerators */
	SC_FUNC,      /* function body: calls inside belong to sym */
	SC_LAMBDA,    /* lambda body: calls inside belong to the enclosing function */
};

struct scope {
	uint32_t depth;   /* tree depth of the node that opened it */
	int32_t sym;      /* its symbol, or -1 (anonymous) */
	uint32_t qname;   /* "scope.name" of sym for what nests inside; UINT32_MAX: not yet */
	uint32_t nlocals; /* locals recorded before it opened */
	uint8_t kind;
	uint8_t is_static; /* inside an anonymous namespace */
};

struct local { uint32_t a, b; }; /* a parameter's or local variable's name in src */

struct walker {
	const char *src;
	struct xresult *out;
	struct scope *sc;
	size_t nsc, sc_cap;
	struct local *loc;
	size_t nloc, loc_cap;
	uint32_t *ns;      /* qualified names of the namespaces defined so far */
	size_t nns, ns_cap;
	char *buf;         /* scratch for qualified names */
	size_t buf_len, buf_cap;
	uint32_t header_at; /* a function_definition starting there is named... */
	int32_t header_sym; /* ... by this symbol (an annotated header), 0: none */
	uint32_t rend;      /* a body recovered from the text ends there (0: none)... */
	int32_t rsym;       /* ... and is the body of this symbol ... */
	size_t rbase;       /* ... holding the scopes from this index up */
	bool errors;        /* the tree has parse errors */
};

static void buf_put(struct walker *w, const char *s, size_t n)
{
	if (w->buf_len + n + 1 > w->buf_cap) {
		w->buf_cap = (w->buf_len + n + 1) * 2;
		w->buf = realloc(w->buf, w->buf_cap);
		if (!w->buf)
			abort();
	}
	memcpy(w->buf + w->buf_len, s, n);
	w->buf_len += n;
}

/* Append a "." component separator unless at the start of the buffer or
 * of a ","-separated item. */
static void buf_dot(struct walker *w)
{
	if (w->buf_len && w->buf[w->buf_len - 1] != ',')
		buf_put(w, ".", 1);
}

static void buf_node(struct walker *w, TSNode n)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	buf_put(w, w->src + a, b - a);
}

static inline bool idch(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (unsigned char)c >= 0x80;
}

/* A name as written without its whitespace, except one space between two
 * words: "operator ==" -> "operator==", "operator  new" -> "operator new". */
static uint32_t name_str(struct walker *w, TSNode n)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	bool sp = false;
	if (nid(n) == N_OPERATOR_CAST) {
		/* operator bool() const: the name ends before its declarator */
		TSNode d = field_child(n, F_DECLARATOR);
		if (!ts_node_is_null(d))
			b = ts_node_start_byte(d);
	} else if (nid(n) != N_OPERATOR_NAME && nid(n) != N_DESTRUCTOR_NAME) {
		return xresult_str(w->out, w->src + a, b - a);
	}
	w->buf_len = 0;
	for (uint32_t i = a; i < b; i++) {
		char c = w->src[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			sp = true;
			continue;
		}
		if (sp && w->buf_len && idch(w->buf[w->buf_len - 1]) && idch(c))
			buf_put(w, " ", 1);
		sp = false;
		buf_put(w, &c, 1);
	}
	return xresult_str(w->out, w->buf, w->buf_len);
}

/* The qualified name that definitions nested in scope entry i get as
 * their scope: the chain of enclosing named definitions. */
#define QNAME_MAX 1024

static uint32_t scope_qname(struct walker *w, size_t i)
{
	size_t j = i + 1;
	while (j > 0 && w->sc[j - 1].qname == UINT32_MAX)
		j--; /* entries j..i are not computed yet: outermost first */
	for (; j <= i; j++) {
		struct scope *e = &w->sc[j];
		if (e->sym < 0 || (j && strlen(xstr(w->out, w->sc[j - 1].qname)) > QNAME_MAX)) {
			/* anonymous; or absurdly deep (a hostile file): the chain
			 * stops growing, so that names stay small */
			e->qname = j ? w->sc[j - 1].qname : 0;
			continue;
		}
		const struct xsym *s = &w->out->syms[e->sym];
		w->buf_len = 0;
		if (s->scope)
			buf_put(w, xstr(w->out, s->scope), strlen(xstr(w->out, s->scope)));
		buf_dot(w);
		buf_put(w, xstr(w->out, s->name), strlen(xstr(w->out, s->name)));
		e->qname = xresult_str(w->out, w->buf, w->buf_len);
	}
	return w->sc[i].qname;
}

static uint32_t cur_scope(struct walker *w)
{
	return w->nsc ? scope_qname(w, w->nsc - 1) : 0;
}

static int32_t cur_parent(const struct walker *w)
{
	for (size_t i = w->nsc; i-- > 0;)
		if (w->sc[i].sym >= 0)
			return w->sc[i].sym;
	return -1;
}

/* The symbol calls belong to: the innermost function, or a class whose
 * body holds the call (member initializers), or -1. */
static int32_t cur_caller(const struct walker *w)
{
	size_t lo = w->rend ? w->rbase : 0;
	for (size_t i = w->nsc; i-- > lo;)
		if (w->sc[i].kind == SC_FUNC || (w->sc[i].kind == SC_TYPE && w->sc[i].sym >= 0))
			return w->sc[i].sym;
		else if (w->sc[i].kind == SC_NAMESPACE)
			return -1;
	return w->rend ? w->rsym : -1;
}

/* Is the innermost code a function's or a lambda's body? */
static bool in_function(const struct walker *w)
{
	size_t lo = w->rend ? w->rbase : 0;
	for (size_t i = w->nsc; i-- > lo;)
		if (w->sc[i].kind == SC_FUNC || w->sc[i].kind == SC_LAMBDA)
			return true;
		else if (w->sc[i].kind != SC_ENUM)
			return false;
	return w->rend != 0;
}

static bool any_function(const struct walker *w)
{
	if (w->rend)
		return true;
	for (size_t i = w->nsc; i-- > 0;)
		if (w->sc[i].kind == SC_FUNC || w->sc[i].kind == SC_LAMBDA)
			return true;
	return false;
}

static bool in_type(const struct walker *w)
{
	return w->nsc && w->nsc > (w->rend ? w->rbase : 0) && w->sc[w->nsc - 1].kind == SC_TYPE;
}

static bool in_anon_namespace(const struct walker *w)
{
	return w->nsc && w->sc[w->nsc - 1].is_static;
}

static void push_scope(struct walker *w, uint32_t depth, int32_t s, int kind)
{
	if (w->nsc == w->sc_cap) {
		w->sc_cap = w->sc_cap ? w->sc_cap * 2 : 32;
		w->sc = realloc(w->sc, w->sc_cap * sizeof(*w->sc));
		if (!w->sc)
			abort();
	}
	bool st = w->nsc && w->sc[w->nsc - 1].is_static;
	w->sc[w->nsc++] = (struct scope){ depth, s, UINT32_MAX, (uint32_t)w->nloc,
					  (uint8_t)kind, st };
}

static void add_local(struct walker *w, TSNode name)
{
	if (w->nloc >= 4096)
		return; /* generated code: keep is_local() cheap */
	if (w->nloc == w->loc_cap) {
		w->loc_cap = w->loc_cap ? w->loc_cap * 2 : 64;
		w->loc = realloc(w->loc, w->loc_cap * sizeof(*w->loc));
		if (!w->loc)
			abort();
	}
	w->loc[w->nloc++] = (struct local){ ts_node_start_byte(name), ts_node_end_byte(name) };
}

static bool is_local(const struct walker *w, TSNode name)
{
	uint32_t a = ts_node_start_byte(name), n = ts_node_end_byte(name) - a;
	for (size_t i = w->nloc; i-- > 0;)
		if (w->loc[i].b - w->loc[i].a == n && !memcmp(w->src + w->loc[i].a, w->src + a, n))
			return true;
	return false;
}

/* ---- definitions -------------------------------------------------------- */

/* End of node n as (line, col) of its last byte, 1-based; a trailing
 * newline (preprocessor lines include theirs) is not part of it. */
static void end_pos(const struct walker *w, TSNode n, uint32_t *line, uint32_t *col)
{
	TSPoint e = ts_node_end_point(n);
	uint32_t sb = ts_node_start_byte(n), eb = ts_node_end_byte(n);
	if (e.column > 0 || eb <= sb) {
		*line = e.row + 1;
		*col = e.column;
		return;
	}
	uint32_t b = eb, row = e.row;
	while (b > sb && (w->src[b - 1] == '\n' || w->src[b - 1] == '\r')) {
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

static int32_t add_sym_named(struct walker *w, TSNode name, uint32_t name_off, int kind,
			     int flags, TSNode whole, uint32_t scope, int32_t parent)
{
	struct xsym s = { 0 };
	TSPoint p = ts_node_start_point(name);
	s.name = name_off;
	s.kind = (uint8_t)kind;
	s.flags = (uint8_t)flags;
	s.line = ts_line(p);
	s.col = ts_col(p);
	end_pos(w, whole, &s.end_line, &s.end_col);
	s.parent = parent;
	s.scope = scope;
	return xresult_add_sym(w->out, &s);
}

static int32_t add_sym(struct walker *w, TSNode name, int kind, int flags, TSNode whole)
{
	uint32_t scope = cur_scope(w);
	return add_sym_named(w, name, name_str(w, name), kind, flags, whole, scope,
			     cur_parent(w));
}

/* Write the components of a qualifier (namespace_identifier, template_type
 * without its arguments, ...) to the scratch buffer. */
static void buf_qualifier(struct walker *w, TSNode q)
{
	int k = nid(q);
	if (k == N_TEMPLATE_TYPE || k == N_TEMPLATE_FUNCTION || k == N_TEMPLATE_METHOD) {
		TSNode n = field_child(q, F_NAME);
		if (!ts_node_is_null(n))
			q = n;
	} else if (k == N_NESTED_NAMESPACE) {
		uint32_t nc = ts_node_named_child_count(q);
		for (uint32_t i = 0; i < nc; i++) {
			buf_dot(w);
			buf_node(w, ts_node_named_child(q, i));
		}
		return;
	}
	buf_dot(w);
	buf_node(w, q);
}

/* Split a possibly qualified name (a::B<T>::f) into its qualifier, written
 * to the scratch buffer after what is there ("a.B"), and the last name,
 * returned (template arguments dropped: f<int> -> f). */
static TSNode split_qualified(struct walker *w, TSNode n)
{
	for (int guard = 0; guard < 64 && nid(n) == N_QUALIFIED_IDENTIFIER; guard++) {
		TSNode s = field_child(n, F_SCOPE);
		if (!ts_node_is_null(s))
			buf_qualifier(w, s);
		n = field_child(n, F_NAME);
	}
	int k = nid(n);
	if (k == N_TEMPLATE_FUNCTION || k == N_TEMPLATE_METHOD || k == N_TEMPLATE_TYPE) {
		TSNode m = field_child(n, F_NAME);
		if (!ts_node_is_null(m))
			n = m;
	}
	return n;
}

/* The declared name below a declarator, and whether it is a function's:
 * the declarator right above the name is a function declarator (int *f(),
 * int (*f(int))(double)), not a pointer (void (*fp)(int)). */
static TSNode declared_name(TSNode d, bool *is_func)
{
	*is_func = false;
	for (int guard = 0; guard < 64 && !ts_node_is_null(d); guard++) {
		switch (nid(d)) {
		case N_FUNCTION_DECLARATOR:
			*is_func = true;
			d = field_child(d, F_DECLARATOR);
			break;
		case N_INIT_DECLARATOR:
			d = field_child(d, F_DECLARATOR);
			break;
		case N_POINTER_DECLARATOR:
		case N_ARRAY_DECLARATOR:
			*is_func = false;
			d = field_child(d, F_DECLARATOR);
			break;
		case N_REFERENCE_DECLARATOR:
		case N_VARIADIC_DECLARATOR:
			*is_func = false;
			d = ts_node_named_child(d, 0);
			break;
		case N_PAREN_DECLARATOR:
		case N_ATTRIBUTED_DECLARATOR:
			d = ts_node_named_child(d, 0);
			break;
		case N_OPERATOR_CAST:
			*is_func = true;
			return d;
		case N_IDENTIFIER: case N_FIELD_IDENTIFIER: case N_TYPE_IDENTIFIER:
		case N_QUALIFIED_IDENTIFIER: case N_DESTRUCTOR_NAME: case N_OPERATOR_NAME:
		case N_TEMPLATE_FUNCTION:
			return d;
		default:
			return (TSNode){ 0 };
		}
	}
	return (TSNode){ 0 };
}

static bool has_storage(const struct walker *w, TSNode n, const char *word, size_t wl)
{
	uint32_t nc = ts_node_child_count(n);
	for (uint32_t i = 0; i < nc; i++) {
		TSNode k = ts_node_child(n, i);
		if (nid(k) == N_STORAGE_CLASS) {
			uint32_t a = ts_node_start_byte(k), b = ts_node_end_byte(k);
			if (b - a == wl && !memcmp(w->src + a, word, wl))
				return true;
		}
	}
	return false;
}

static bool is_namespace(const struct walker *w, const char *q, size_t n)
{
	for (size_t i = 0; i < w->nns; i++) {
		const char *s = xstr(w->out, w->ns[i]);
		if (strlen(s) == n && !memcmp(s, q, n))
			return true;
	}
	return false;
}

/* A named definition with a (possibly qualified) name node: its scope is
 * the enclosing chain plus the qualifier. Sets *qualified when there was
 * one and *ns_only when the full scope names a namespace of this file. */
static int32_t add_qualified(struct walker *w, TSNode name, int kind, int flags, TSNode whole,
			     bool method_if_qualified)
{
	uint32_t outer = cur_scope(w);
	w->buf_len = 0;
	if (outer)
		buf_put(w, xstr(w->out, outer), strlen(xstr(w->out, outer)));
	size_t before = w->buf_len;
	TSNode last = split_qualified(w, name);
	if (ts_node_is_null(last) || ts_node_end_byte(last) <= ts_node_start_byte(last))
		return -1;
	uint32_t scope = outer;
	if (w->buf_len != before) {
		if (method_if_qualified && !is_namespace(w, w->buf, w->buf_len))
			kind = SK_METHOD;
		scope = xresult_str(w->out, w->buf, w->buf_len);
	}
	return add_sym_named(w, last, name_str(w, last), kind, flags, whole, scope,
			     cur_parent(w));
}

static void add_params(struct walker *w, TSNode plist)
{
	uint32_t nc = ts_node_named_child_count(plist);
	for (uint32_t i = 0; i < nc; i++) {
		TSNode p = ts_node_named_child(plist, i);
		int k = nid(p);
		if (k != N_PARAMETER_DECLARATION && k != N_OPTIONAL_PARAMETER_DECLARATION &&
		    k != N_VARIADIC_PARAMETER_DECLARATION)
			continue;
		bool f;
		TSNode n = declared_name(field_child(p, F_DECLARATOR), &f);
		if (!ts_node_is_null(n) && nid(n) == N_IDENTIFIER)
			add_local(w, n);
	}
}

/* The parameter list of a function declarator chain. */
static TSNode params_of(TSNode d)
{
	for (int guard = 0; guard < 16 && !ts_node_is_null(d); guard++) {
		int k = nid(d);
		if (k == N_FUNCTION_DECLARATOR)
			return field_child(d, F_PARAMETERS);
		if (k == N_REFERENCE_DECLARATOR || k == N_PAREN_DECLARATOR ||
		    k == N_ATTRIBUTED_DECLARATOR)
			d = ts_node_named_child(d, 0);
		else
			d = field_child(d, F_DECLARATOR);
	}
	return (TSNode){ 0 };
}

static void on_function(struct walker *w, TSNode n, uint32_t depth)
{
	TSNode body = field_child(n, F_BODY);
	TSNode decl = field_child(n, F_DECLARATOR);
	bool is_func;
	TSNode name = declared_name(decl, &is_func);
	int32_t s = -1;
	if (w->header_at && ts_node_start_byte(n) == w->header_at) {
		/* void C::f() LOCKS_REQUIRED(mu) { ...: named by its header */
		s = w->header_sym;
		w->header_at = 0;
		if (ts_node_is_null(body))
			return;
		push_scope(w, depth, s, SC_FUNC);
		return;
	}
	if (!ts_node_is_null(name)) {
		int kind = ts_node_is_null(body) ? SK_PROTOTYPE : in_type(w) ? SK_METHOD
									   : SK_FUNCTION;
		int flags = 0;
		if (kind == SK_FUNCTION &&
		    (in_anon_namespace(w) || has_storage(w, n, "static", 6)))
			flags = SYM_STATIC;
		s = add_qualified(w, name, kind, flags, n, kind == SK_FUNCTION);
	}
	if (ts_node_is_null(body))
		return;
	if (ts_node_has_error(n) && !ts_node_is_null(decl) &&
	    memchr(w->src + ts_node_start_byte(n), '{',
		   ts_node_start_byte(decl) - ts_node_start_byte(n))) {
		/* whole functions the parser took for this one's return type
		 * (macros it did not know): what precedes the declarator is
		 * visited at namespace level, the body opens the scope */
		w->header_at = ts_node_start_byte(body);
		w->header_sym = s;
		return;
	}
	push_scope(w, depth, s, SC_FUNC);
	TSNode pl = params_of(decl);
	if (!ts_node_is_null(pl))
		add_params(w, pl);
}

/* A declaration cut short by a macro the parser did not know, the body
 * following as a function named by the macro:
 *     void C::f() LOCKS_REQUIRED(mu) {   (declaration C::f() without ';',
 *                                         function LOCKS_REQUIRED(mu) {...})
 * Names that function by the declaration and returns true. */
static bool annotated_header(struct walker *w, TSNode n)
{
	uint32_t nc = ts_node_child_count(n);
	if (!nc || !ts_node_is_missing(ts_node_child(n, nc - 1)))
		return false;
	TSNode next = ts_node_next_sibling(n);
	if (ts_node_is_null(next) || nid(next) != N_FUNCTION_DEFINITION)
		return false;
	TSNode nd = field_child(next, F_DECLARATOR);
	if (ts_node_is_null(nd) || nid(nd) != N_FUNCTION_DECLARATOR ||
	    nid(field_child(nd, F_DECLARATOR)) != N_IDENTIFIER)
		return false;
	TSNode d = field_child(n, F_DECLARATOR);
	bool is_func;
	TSNode name = declared_name(d, &is_func);
	if (ts_node_is_null(name))
		return false;
	if (!is_func) {
		/* void C::f() reads as an object initialised with () */
		TSNode v = nid(d) == N_INIT_DECLARATOR ? field_child(d, F_VALUE) : (TSNode){ 0 };
		if (ts_node_is_null(v) || nid(v) != N_ARGUMENT_LIST)
			return false;
	}
	int kind = in_type(w) ? SK_METHOD : SK_FUNCTION, flags = 0;
	if (kind == SK_FUNCTION && (in_anon_namespace(w) || has_storage(w, n, "static", 6)))
		flags = SYM_STATIC;
	int32_t s = add_qualified(w, name, kind, flags, next, kind == SK_FUNCTION);
	if (s < 0)
		return false;
	w->header_at = ts_node_start_byte(next);
	w->header_sym = s;
	return true;
}

/* At namespace level, a macro call without ';' followed by a block is a
 * definition named by the macro (TEST(Suite, Name) { ... } with a string
 * argument, MATCHER(IsEven, "") { ... }): the block is its body. Returns
 * whether n was such a header. */
static bool macro_header(struct walker *w, TSNode n)
{
	uint32_t nc = ts_node_child_count(n);
	if (nc != 2 || !ts_node_is_missing(ts_node_child(n, 1)))
		return false;
	TSNode next = ts_node_next_sibling(n), call = ts_node_child(n, 0);
	if (ts_node_is_null(next) || nid(next) != N_COMPOUND || nid(call) != N_CALL)
		return false;
	TSNode name = field_child(call, F_FUNCTION);
	if (ts_node_is_null(name) || nid(name) != N_IDENTIFIER)
		return false;
	int32_t s = add_sym_named(w, name, xresult_node_str(w->out, name, w->src), SK_FUNCTION,
				  0, next, cur_scope(w), cur_parent(w));
	w->header_at = ts_node_start_byte(next);
	w->header_sym = s;
	return true;
}

static void call_qualified(struct walker *w, TSNode f, int flags);
static bool swallowed_body(struct walker *w, TSNode n, size_t len);

/* Declarations: at namespace level prototypes and variables; in a class,
 * member function declarations (prototypes); in a function, locals. A
 * declarator with arguments or braces (X x(1); X x{1};) constructs X. */
static void on_declaration(struct walker *w, TSNode n, size_t len)
{
	bool func = in_function(w), type = in_type(w), built = false;
	int st = -1, ext = -1;
	if (!func && ts_node_has_error(n) && (annotated_header(w, n) || swallowed_body(w, n, len)))
		return;
	uint32_t nc = ts_node_child_count(n);
	for (uint32_t i = 0; i < nc; i++) {
		if (!child_in_field(n, i, F_DECLARATOR))
			continue;
		TSNode d = ts_node_child(n, i);
		bool is_func;
		TSNode name = declared_name(d, &is_func);
		if (ts_node_is_null(name))
			continue;
		if (!built && !is_func && nid(d) == N_INIT_DECLARATOR && !ts_node_has_error(n)) {
			/* Circle c{1.0}; std::string s("x"); construct their type */
			TSNode v = field_child(d, F_VALUE), t = field_child(n, F_TYPE);
			int vk = ts_node_is_null(v) ? -1 : nid(v);
			int tk = ts_node_is_null(t) ? -1 : nid(t);
			if ((vk == N_INITIALIZER_LIST || vk == N_ARGUMENT_LIST) &&
			    (tk == N_TYPE_IDENTIFIER || tk == N_QUALIFIED_IDENTIFIER ||
			     tk == N_TEMPLATE_TYPE)) {
				call_qualified(w, t, CALL_NEW);
				built = true;
			}
		}
		if (func) {
			if (!is_func && nid(name) == N_IDENTIFIER)
				add_local(w, name);
			continue;
		}
		if (is_func) {
			add_qualified(w, name, SK_PROTOTYPE, 0, n, false);
			continue;
		}
		if (type)
			continue; /* data members are not symbols */
		if (ext == -1) {
			st = in_anon_namespace(w) || has_storage(w, n, "static", 6);
			ext = has_storage(w, n, "extern", 6);
		}
		if (ext && nid(d) != N_INIT_DECLARATOR)
			continue;
		TSNode v = nid(d) == N_INIT_DECLARATOR ? field_child(d, F_VALUE) : (TSNode){ 0 };
		if (!ts_node_is_null(v) && nid(v) == N_LAMBDA) {
			/* auto f = [](int x) { ... }; a function: the lambda is its body */
			w->header_sym = add_qualified(w, name, SK_FUNCTION, st ? SYM_STATIC : 0, n,
						      false);
			w->header_at = ts_node_start_byte(v);
			continue;
		}
		add_qualified(w, name, SK_VARIABLE, st ? SYM_STATIC : 0, n, false);
	}
}

/* The bases of a class as "A,ns.B" (template arguments dropped). */
static uint32_t class_bases(struct walker *w, TSNode n)
{
	TSNode clause = { 0 };
	uint32_t nc = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < nc; i++) {
		TSNode c = ts_node_named_child(n, i);
		if (nid(c) == N_BASE_CLASS_CLAUSE) {
			clause = c;
			break;
		}
	}
	if (ts_node_is_null(clause))
		return 0;
	w->buf_len = 0;
	nc = ts_node_named_child_count(clause);
	for (uint32_t i = 0; i < nc; i++) {
		TSNode c = ts_node_named_child(clause, i);
		int k = nid(c);
		if (k != N_TYPE_IDENTIFIER && k != N_TEMPLATE_TYPE && k != N_QUALIFIED_IDENTIFIER)
			continue;
		if (w->buf_len)
			buf_put(w, ",", 1);
		size_t mark = w->buf_len;
		TSNode last = split_qualified(w, c);
		if (w->buf_len != mark)
			buf_put(w, ".", 1);
		if (!ts_node_is_null(last))
			buf_node(w, last);
	}
	return w->buf_len ? xresult_str(w->out, w->buf, w->buf_len) : 0;
}

/* class/struct/union/enum specifier n: a definition when it has a body. */
static bool on_type(struct walker *w, TSNode n, uint32_t depth, int kind)
{
	TSNode body = field_child(n, F_BODY);
	if (ts_node_is_null(body))
		return false;
	TSNode name = field_child(n, F_NAME);
	int32_t s = -1;
	if (!ts_node_is_null(name)) {
		uint32_t bases = kind == SK_ENUM ? 0 : class_bases(w, n);
		s = add_qualified(w, name, kind, 0, n, false);
		if (s >= 0)
			w->out->syms[s].bases = bases;
	}
	if (kind == SK_ENUM) {
		/* enum class E { A }: A is E::A; enum E { A }: A is in E's scope */
		TSNode k = ts_node_child(n, 1);
		bool scoped = !ts_node_is_null(k) && !ts_node_is_named(k);
		push_scope(w, depth, s, SC_ENUM);
		if (!scoped)
			w->sc[w->nsc - 1].qname = w->nsc > 1 ? scope_qname(w, w->nsc - 2) : 0;
	} else {
		push_scope(w, depth, s, SC_TYPE);
	}
	return true;
}

static void on_namespace(struct walker *w, TSNode n, uint32_t depth)
{
	TSNode name = field_child(n, F_NAME);
	if (ts_node_is_null(name)) {
		push_scope(w, depth, -1, SC_NAMESPACE);
		w->sc[w->nsc - 1].is_static = 1;
		return;
	}
	/* namespace a::b { }: a, and b inside it */
	uint32_t nc = nid(name) == N_NESTED_NAMESPACE ? ts_node_named_child_count(name) : 1;
	for (uint32_t i = 0; i < nc; i++) {
		TSNode part = nid(name) == N_NESTED_NAMESPACE ? ts_node_named_child(name, i) : name;
		int32_t s = add_sym(w, part, SK_NAMESPACE, 0, n);
		push_scope(w, depth, s, SC_NAMESPACE);
		if (w->nns == w->ns_cap) {
			w->ns_cap = w->ns_cap ? w->ns_cap * 2 : 16;
			w->ns = realloc(w->ns, w->ns_cap * sizeof(*w->ns));
			if (!w->ns)
				abort();
		}
		w->ns[w->nns++] = scope_qname(w, w->nsc - 1);
	}
}

/* ---- calls -------------------------------------------------------------- */

static void add_call(struct walker *w, TSNode name, uint32_t receiver, int flags)
{
	struct xcall c = { 0 };
	TSPoint p = ts_node_start_point(name);
	if (ts_node_end_byte(name) <= ts_node_start_byte(name))
		return;
	c.callee = name_str(w, name);
	c.receiver = receiver;
	c.line = ts_line(p);
	c.col = ts_col(p);
	c.caller = cur_caller(w);
	c.flags = (uint8_t)flags;
	xresult_add_call(w->out, &c);
}

/* Names that look like callees in a parse but are not: casts, and
 * keywords an ERROR region left as identifiers (else X x(1);). */
static bool not_a_call(const struct walker *w, TSNode name)
{
	static const char *const words[] = {
		"static_cast", "dynamic_cast", "const_cast", "reinterpret_cast", "typeid",
		"else", "return", "case", "do", "goto", "throw", "delete", "new", "typedef",
		"using", "co_return", "co_yield", "co_await", "template", "typename",
	};
	uint32_t a = ts_node_start_byte(name), n = ts_node_end_byte(name) - a;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && !memcmp(words[i], w->src + a, n))
			return true;
	return false;
}

/* A call of a (possibly qualified) name: f(), ns::A::f(), f<int>(). */
static void call_qualified(struct walker *w, TSNode f, int flags)
{
	w->buf_len = 0;
	TSNode last = split_qualified(w, f);
	if (ts_node_is_null(last))
		return;
	int k = nid(last);
	if (k != N_IDENTIFIER && k != N_TYPE_IDENTIFIER && k != N_FIELD_IDENTIFIER &&
	    k != N_DESTRUCTOR_NAME && k != N_OPERATOR_NAME)
		return;
	uint32_t recv = 0;
	if (!w->buf_len && not_a_call(w, last))
		return; /* static_cast<T>(x) and the like are no calls */
	if (w->buf_len) {
		recv = xresult_str(w->out, w->buf, w->buf_len);
		flags |= CALL_SCOPED;
	} else if (!(flags & CALL_NEW) && k == N_IDENTIFIER && is_local(w, last)) {
		flags |= CALL_DYNAMIC; /* a parameter or local variable */
	}
	add_call(w, last, recv, flags);
}

static void on_call(struct walker *w, TSNode n)
{
	TSNode f = field_child(n, F_FUNCTION);
	bool through = false;
	for (int guard = 0; guard < 16 && !ts_node_is_null(f); guard++) {
		switch (nid(f)) {
		case N_IDENTIFIER:
		case N_QUALIFIED_IDENTIFIER:
		case N_TEMPLATE_FUNCTION:
			if (through) {
				if (nid(f) == N_IDENTIFIER)
					add_call(w, f, 0, CALL_DYNAMIC);
			} else {
				/* (f)(x) is a call of f */
				call_qualified(w, f, 0);
			}
			return;
		case N_FIELD_EXPRESSION: {
			TSNode field = field_child(f, F_FIELD), arg = field_child(f, F_ARGUMENT);
			if (ts_node_is_null(field) || ts_node_is_null(arg))
				return;
			int k = nid(field);
			if (k == N_TEMPLATE_METHOD || k == N_DEPENDENT_NAME) {
				TSNode m = k == N_DEPENDENT_NAME ? ts_node_named_child(field, 0)
								 : field;
				if (!ts_node_is_null(m) && nid(m) == N_TEMPLATE_METHOD)
					m = field_child(m, F_NAME);
				field = m;
			} else if (k == N_QUALIFIED_IDENTIFIER) {
				field = split_qualified(w, field); /* p->Base::f() */
			}
			if (ts_node_is_null(field))
				return;
			TSNode op = field_child(f, F_OPERATOR);
			if (!ts_node_is_null(op) && w->src[ts_node_end_byte(op) - 1] == '*') {
				/* (obj.*pm)(), (p->*pm)(): through a pointer to member */
				add_call(w, field, 0, CALL_DYNAMIC);
				return;
			}
			if (nid(arg) == N_THIS) {
				add_call(w, field, xresult_node_str(w->out, arg, w->src),
					 through ? CALL_DYNAMIC : CALL_SELF);
				return;
			}
			add_call(w, field,
				 xresult_path_str(w->out, w->src, ts_node_start_byte(arg),
						  ts_node_end_byte(arg)),
				 through ? CALL_DYNAMIC : CALL_MEMBER);
			return;
		}
		case N_PAREN_EXPRESSION:
			f = ts_node_named_child(f, 0);
			break;
		case N_POINTER_EXPRESSION:
			if (w->src[ts_node_start_byte(f)] != '*')
				return;
			through = true;
			f = field_child(f, F_ARGUMENT);
			break;
		case N_SUBSCRIPT_EXPRESSION:
			through = true;
			f = field_child(f, F_ARGUMENT);
			break;
		default:
			return;
		}
	}
}

/* new X(...), new ns::X<T>{...}, X{...}: constructor calls of the type. */
static void on_new(struct walker *w, TSNode n)
{
	TSNode t = field_child(n, F_TYPE);
	if (ts_node_is_null(t))
		return;
	int k = nid(t);
	if (k == N_TYPE_IDENTIFIER || k == N_TEMPLATE_TYPE || k == N_QUALIFIED_IDENTIFIER)
		call_qualified(w, t, CALL_NEW);
}

/* ---- imports ------------------------------------------------------------ */

static void add_import(struct walker *w, TSNode n, uint32_t module, uint32_t name,
		       uint32_t alias)
{
	struct ximport im = { module, name, alias, ts_line(ts_node_start_point(n)) };
	xresult_add_import(w->out, &im);
}

static void on_include(struct walker *w, TSNode n)
{
	TSNode p = field_child(n, F_PATH);
	if (ts_node_is_null(p))
		return;
	uint32_t a = ts_node_start_byte(p), b = ts_node_end_byte(p);
	if (b - a >= 2 && (w->src[a] == '"' || w->src[a] == '<')) {
		a++;
		b--;
	}
	add_import(w, n, xresult_str(w->out, w->src + a, b - a), 0, 0);
}

/* using namespace a::b;  using a::b::c;  namespace x = a::b; */
static void on_using(struct walker *w, TSNode n, bool alias_def)
{
	TSNode target = { 0 }, alias = { 0 };
	bool whole = false;
	uint32_t nc = ts_node_child_count(n);
	for (uint32_t i = 0; i < nc; i++) {
		TSNode c = ts_node_child(n, i);
		if (!ts_node_is_named(c)) {
			uint32_t a = ts_node_start_byte(c);
			if (ts_node_end_byte(c) - a == 9 && !memcmp(w->src + a, "namespace", 9))
				whole = !alias_def;
			continue;
		}
		int k = nid(c);
		if (alias_def && child_in_field(n, i, F_NAME))
			alias = c;
		else if (k == N_IDENTIFIER || k == N_QUALIFIED_IDENTIFIER ||
			 k == N_NAMESPACE_IDENTIFIER || k == N_NESTED_NAMESPACE)
			target = c;
	}
	if (ts_node_is_null(target))
		return;
	w->buf_len = 0;
	if (whole || alias_def) {
		buf_qualifier(w, target);
		if (nid(target) == N_QUALIFIED_IDENTIFIER) {
			w->buf_len = 0;
			TSNode last = split_qualified(w, target);
			buf_dot(w);
			buf_node(w, last);
		}
		uint32_t m = xresult_str(w->out, w->buf, w->buf_len);
		add_import(w, n, m, whole ? xresult_str(w->out, "*", 1) : 0,
			   ts_node_is_null(alias) ? 0 : xresult_node_str(w->out, alias, w->src));
		return;
	}
	TSNode last = split_qualified(w, target);
	if (!w->buf_len)
		return; /* using ::f; names the global f again */
	uint32_t m = xresult_str(w->out, w->buf, w->buf_len);
	add_import(w, n, m, name_str(w, last), 0);
}

/* ---- recovery: function headers read from the text ---------------------- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Move back from p over whitespace and block comments. */
static uint32_t back_blank(const char *s, uint32_t p)
{
	for (int guard = 0; guard < 64; guard++) {
		while (p > 0 && is_space(s[p - 1]))
			p--;
		if (p < 2 || s[p - 1] != '/' || s[p - 2] != '*')
			return p;
		p -= 2;
		while (p >= 2 && !(s[p - 2] == '/' && s[p - 1] == '*'))
			p--;
		p = p >= 2 ? p - 2 : 0;
	}
	return p;
}

/* Move back from p (just after a closing bracket) to its opening one;
 * returns the opening bracket's byte, or UINT32_MAX. */
static uint32_t back_match(const char *s, uint32_t p, char open, char close, uint32_t lo)
{
	int d = 0;
	while (p > lo) {
		char c = s[--p];
		if (c == close)
			d++;
		else if (c == open && --d == 0)
			return p;
		else if (c == ';' || c == '{' || c == '}')
			return UINT32_MAX;
	}
	return UINT32_MAX;
}

/* The word ending at p (identifier characters), its start in *a. */
static bool back_word(const char *s, uint32_t p, uint32_t *a)
{
	uint32_t q = p;
	while (q > 0 && idch(s[q - 1]))
		q--;
	if (q == p || (s[q] >= '0' && s[q] <= '9'))
		return false;
	*a = q;
	return true;
}

static bool word_is(const char *s, uint32_t a, uint32_t b, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(words[i]) == b - a && !memcmp(words[i], s + a, b - a))
			return true;
	return false;
}

/* The header of a body whose '{' is at byte b, read back from the text:
 *     [qual::]name(params) [const|noexcept|override|final ...] [: init(x), ...] {
 * Sets the name's bytes and the qualifier's ("A::B<T>", or empty). */
static bool header_from_text(const struct walker *w, uint32_t b, uint32_t lo, uint32_t *na,
			     uint32_t *nb, uint32_t *qa, uint32_t *qb)
{
	static const char *const trailing[] = { "const", "noexcept", "override", "final",
						"volatile", "mutable", "try" };
	static const char *const keywords[] = { "if", "while", "for", "switch", "catch", "return",
						"sizeof", "decltype", "alignof", "noexcept",
						"requires", "static_assert" };
	const char *s = w->src;
	uint32_t p = back_blank(s, b), a;
	for (int guard = 0; guard < 64; guard++) {
		if (p > lo && back_word(s, p, &a) &&
		    word_is(s, a, p, trailing, sizeof(trailing) / sizeof(trailing[0]))) {
			p = back_blank(s, a);
			continue;
		}
		if (p <= lo || (s[p - 1] != ')' && s[p - 1] != '}'))
			return false;
		/* NAME(...) or, in a constructor's initializer list, m(x) / m{x} */
		uint32_t open = s[p - 1] == ')' ? back_match(s, p, '(', ')', lo)
						: back_match(s, p, '{', '}', lo);
		if (open == UINT32_MAX)
			return false;
		uint32_t e = back_blank(s, open);
		if (e > lo && s[e - 1] == '>') /* Base<T>(x) in an initializer list */
			e = back_blank(s, back_match(s, e, '<', '>', lo) == UINT32_MAX
						? lo : back_match(s, e, '<', '>', lo));
		if (e <= lo || !back_word(s, e, &a) ||
		    word_is(s, a, e, keywords, sizeof(keywords) / sizeof(keywords[0])))
			return false;
		uint32_t before = back_blank(s, a);
		if (before > lo && (s[before - 1] == ',' ||
				    (s[before - 1] == ':' && (before < 2 || s[before - 2] != ':')))) {
			/* an initializer: the header is further back */
			p = back_blank(s, before - 1);
			continue;
		}
		if (s[open] != '(')
			return false;
		*na = before > lo && s[before - 1] == '~' ? before - 1 : a;
		*nb = e;
		/* the qualifier: A::B<T>:: right before the name */
		uint32_t q = back_blank(s, *na), qs = q;
		while (q >= lo + 2 && s[q - 1] == ':' && s[q - 2] == ':') {
			uint32_t t = back_blank(s, q - 2);
			if (t > lo && s[t - 1] == '>') {
				uint32_t m = back_match(s, t, '<', '>', lo);
				if (m == UINT32_MAX)
					break;
				t = back_blank(s, m);
			}
			if (!back_word(s, t, &a))
				break;
			q = a;
		}
		*qa = q;
		*qb = q == qs ? q : back_blank(s, qs - 2);
		return true;
	}
	return false;
}

/* The byte just after the '}' that closes the '{' at byte b, or 0. */
static uint32_t body_end(const struct walker *w, uint32_t b, size_t len)
{
	const char *s = w->src;
	int d = 0;
	for (size_t i = b; i < len; i++) {
		char c = s[i];
		if (c == '"' || c == '\'') {
			for (i++; i < len && s[i] != c && s[i] != '\n'; i++)
				if (s[i] == '\\')
					i++;
		} else if (c == '/' && i + 1 < len && s[i + 1] == '/') {
			while (i < len && s[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < len && s[i + 1] == '*') {
			for (i += 2; i + 1 < len && !(s[i] == '*' && s[i + 1] == '/'); i++)
				;
			i++;
		} else if (c == '{') {
			d++;
		} else if (c == '}' && --d == 0) {
			return (uint32_t)i + 1;
		}
	}
	return 0;
}

/* A '{' the parser left outside any body, at namespace or class level: when
 * the text before it is a function's header, the function is defined here,
 * its body running to the matching '}' (macros the grammar does not know
 * often leave whole definitions in ERROR nodes). */
static void loose_brace_at(struct walker *w, uint32_t b, uint32_t brow, size_t len)
{
	uint32_t na, nb, qa, qb, lo = b > 4096 ? b - 4096 : 0;
	if (!header_from_text(w, b, lo, &na, &nb, &qa, &qb))
		return;
	uint32_t end = body_end(w, b, len);
	if (!end)
		return;
	/* positions: lines counted from the brace's back to the name and on
	 * to the end */
	struct xsym y = { 0 };
	uint32_t row = brow, ls;
	for (uint32_t i = na; i < b; i++)
		row -= w->src[i] == '\n';
	for (ls = na; ls > 0 && w->src[ls - 1] != '\n'; ls--)
		;
	y.line = row + 1;
	y.col = na - ls + 1;
	for (uint32_t i = na; i + 1 < end; i++)
		if (w->src[i] == '\n') {
			row++;
			ls = i + 1;
		}
	y.end_line = row + 1;
	y.end_col = end - ls;
	y.name = xresult_str(w->out, w->src + na, nb - na);
	y.parent = cur_parent(w);
	y.kind = in_type(w) ? SK_METHOD : SK_FUNCTION;
	uint32_t outer = cur_scope(w);
	y.scope = outer;
	if (qb > qa) {
		w->buf_len = 0;
		if (outer)
			buf_put(w, xstr(w->out, outer), strlen(xstr(w->out, outer)));
		/* A<T>::B:: -> A.B */
		int angle = 0;
		for (uint32_t i = qa; i < qb; i++) {
			char c = w->src[i];
			if (c == '<')
				angle++;
			else if (c == '>')
				angle--;
			else if (!angle && c == ':' && i + 1 < qb && w->src[i + 1] == ':') {
				i++;
			} else if (!angle && idch(c)) {
				if (i == qa || !idch(w->src[i - 1])) {
					buf_dot(w);
				}
				buf_put(w, &c, 1);
			}
		}
		if (!is_namespace(w, w->buf, w->buf_len))
			y.kind = SK_METHOD;
		y.scope = xresult_str(w->out, w->buf, w->buf_len);
	} else if (y.kind == SK_FUNCTION && in_anon_namespace(w)) {
		y.flags = SYM_STATIC;
	}
	w->rsym = xresult_add_sym(w->out, &y);
	w->rend = end;
	w->rbase = w->nsc;
}

static void loose_brace(struct walker *w, TSNode brace, size_t len)
{
	if (ts_node_symbol(brace) == sym_lbrace)
		loose_brace_at(w, ts_node_start_byte(brace), ts_node_start_point(brace).row, len);
}

/* Does declaration n, with errors, hold the start of a function's body the
 * parser did not see (a '{' right after a ')': T C::f() { g(); } read as
 * an object initialised with braces)? Its names are then pieces of that
 * function's header, not declarations: the function is recovered from the
 * text instead. */
static bool swallowed_body(struct walker *w, TSNode n, size_t len)
{
	const char *p = w->src + ts_node_start_byte(n), *e = w->src + ts_node_end_byte(n);
	while (p < e && (p = memchr(p, '{', (size_t)(e - p))) != NULL) {
		uint32_t q = back_blank(w->src, (uint32_t)(p - w->src));
		if (q > 0 && w->src[q - 1] == ')') {
			uint32_t b = (uint32_t)(p - w->src), row = ts_node_start_point(n).row;
			for (uint32_t i = ts_node_start_byte(n); i < b; i++)
				row += w->src[i] == '\n';
			loose_brace_at(w, b, row, len);
			return true;
		}
		p++;
	}
	return false;
}

/* ---- the walk ----------------------------------------------------------- */

static bool visit(struct walker *w, TSNode n, TSSymbol s, uint32_t depth, TSSymbol parent,
		  size_t len)
{
	if (s >= nsymbols || action[s] == A_DESCEND)
		return true;
	if (action[s] == A_SKIP)
		return false;
	if (s == sym_lbrace) {
		if (w->errors && (parent >= nsymbols || !normal_brace[parent]) && !in_function(w) &&
		    !ts_node_is_missing(n))
			loose_brace(w, n, len);
		return false;
	}
	switch (node_id[s] - 1) {
	case N_FUNCTION_DEFINITION:
		on_function(w, n, depth);
		return true;
	case N_DECLARATION:
	case N_FIELD_DECLARATION:
		on_declaration(w, n, len);
		return true;
	case N_TYPE_DEFINITION:
	case N_ALIAS_DECLARATION: {
		uint32_t nc = ts_node_child_count(n);
		for (uint32_t i = 0; i < nc; i++) {
			if (!child_in_field(n, i, F_DECLARATOR) && !child_in_field(n, i, F_NAME))
				continue;
			bool is_func;
			TSNode name = declared_name(ts_node_child(n, i), &is_func);
			if (!ts_node_is_null(name))
				add_sym(w, name, SK_TYPEDEF, 0, n);
		}
		return true;
	}
	case N_NAMESPACE_DEFINITION:
		on_namespace(w, n, depth);
		return true;
	case N_CLASS:
		return on_type(w, n, depth, SK_CLASS);
	case N_STRUCT:
		return on_type(w, n, depth, SK_STRUCT);
	case N_UNION:
		return on_type(w, n, depth, SK_UNION);
	case N_ENUM:
		return on_type(w, n, depth, SK_ENUM);
	case N_ENUMERATOR: {
		TSNode name = field_child(n, F_NAME);
		if (!ts_node_is_null(name))
			add_sym(w, name, SK_ENUMERATOR, 0, n);
		return true;
	}
	case N_PREPROC_DEF:
	case N_PREPROC_FUNCTION_DEF: {
		TSNode name = field_child(n, F_NAME);
		if (!ts_node_is_null(name))
			add_sym_named(w, name, xresult_node_str(w->out, name, w->src),
				      node_id[s] - 1 == N_PREPROC_DEF ? SK_MACRO : SK_FMACRO, 0, n,
				      0, -1);
		return false; /* the body is opaque text */
	}
	case N_PREPROC_INCLUDE:
		on_include(w, n);
		return false;
	case N_USING_DECLARATION:
		if (!in_type(w)) /* using Base::f; in a class names no import */
			on_using(w, n, false);
		return false;
	case N_NAMESPACE_ALIAS:
		on_using(w, n, true);
		return false;
	case N_CALL:
		on_call(w, n);
		return true;
	case N_NEW:
	case N_COMPOUND_LITERAL:
		on_new(w, n);
		return true;
	case N_LAMBDA: {
		/* calls inside belong to the enclosing function; its parameters
		 * are locals there */
		TSNode d = field_child(n, F_DECLARATOR);
		if (w->header_at && ts_node_start_byte(n) == w->header_at) {
			push_scope(w, depth, w->header_sym, SC_FUNC);
			w->header_at = 0;
		} else {
			push_scope(w, depth, -1, SC_LAMBDA);
		}
		if (!ts_node_is_null(d)) {
			TSNode pl = field_child(d, F_PARAMETERS);
			if (!ts_node_is_null(pl))
				add_params(w, pl);
		}
		return true;
	}
	case N_FOR_RANGE: {
		bool is_func;
		TSNode name = declared_name(field_child(n, F_DECLARATOR), &is_func);
		if (!ts_node_is_null(name) && nid(name) == N_IDENTIFIER && any_function(w))
			add_local(w, name);
		return true;
	}
	case N_EXPRESSION_STATEMENT:
		return in_function(w) || in_type(w) || !ts_node_has_error(n) ||
		       !macro_header(w, n);
	case N_COMPOUND:
		if (w->header_at && ts_node_start_byte(n) == w->header_at) {
			push_scope(w, depth, w->header_sym, SC_FUNC);
			w->header_at = 0;
		} else if (w->errors && !in_function(w) && ts_node_child_count(n)) {
			/* a block outside any function: a body whose header the
			 * parser lost */
			loose_brace(w, ts_node_child(n, 0), len);
		}
		return true;
	case N_FRIEND: {
		/* friend class X; friend void f(); name no members, but an inline
		 * friend function is defined here */
		uint32_t nc = ts_node_named_child_count(n);
		for (uint32_t i = 0; i < nc; i++)
			if (nid(ts_node_named_child(n, i)) == N_FUNCTION_DEFINITION)
				return true;
		return false;
	}
	default:
		return true;
	}
}

void lang_cpp_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	struct walker w = { 0 };
	uint32_t depth = 0;
	pthread_once(&init_once, init_tables);
	w.src = src;
	w.out = out;
	TSNode root = ts_tree_root_node(tree);
	out->parse_errors = ts_count_errors(root);
	bool errors = w.errors = out->parse_errors > 0;
	TSSymbol *anc = NULL; /* the symbols of the ancestors (with parse errors) */
	size_t anc_cap = 0;

	TSTreeCursor c = ts_tree_cursor_new(root);
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		TSSymbol s = ts_node_symbol(n);
		while (w.nsc && w.sc[w.nsc - 1].depth >= depth) {
			w.nsc--;
			w.nloc = w.sc[w.nsc].nlocals;
		}
		if (w.rbase > w.nsc)
			w.rbase = w.nsc;
		if (w.rend && ts_node_start_byte(n) >= w.rend)
			w.rend = 0;
		if (errors) {
			if (depth >= anc_cap) {
				anc_cap = anc_cap ? anc_cap * 2 : 256;
				anc = realloc(anc, anc_cap * sizeof(*anc));
				if (!anc)
					abort();
			}
			anc[depth] = s;
		}
		if (visit(&w, n, s, depth, depth && errors ? anc[depth - 1] : 0, len) &&
		    ts_tree_cursor_goto_first_child(&c)) {
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
	free(anc);
	free(w.sc);
	free(w.loc);
	free(w.ns);
	free(w.buf);
}
