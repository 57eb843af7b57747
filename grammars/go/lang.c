/* grammars/go/lang.c — Go extraction: definitions, call sites, imports and
 * the package clause from a tree-sitter-go tree, in one cursor walk. See
 * README.md for what is extracted and how calls are classified. */
#include "lang.h"
#include "util.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

/* ---- grammar symbols, looked up once ------------------------------------ */

enum {
	N_PACKAGE_CLAUSE, N_IMPORT_SPEC, N_FUNCTION_DECLARATION, N_METHOD_DECLARATION,
	N_TYPE_SPEC, N_TYPE_ALIAS, N_STRUCT_TYPE, N_INTERFACE_TYPE, N_FIELD_DECLARATION,
	N_FIELD_DECLARATION_LIST, N_METHOD_ELEM, N_TYPE_ELEM, N_VAR_SPEC, N_CONST_SPEC,
	N_SHORT_VAR_DECLARATION, N_RANGE_CLAUSE, N_PARAMETER_LIST, N_PARAMETER_DECLARATION,
	N_VARIADIC_PARAMETER_DECLARATION, N_FUNC_LITERAL, N_CALL, N_TYPE_CONVERSION,
	N_SELECTOR, N_IDENTIFIER, N_TYPE_IDENTIFIER, N_QUALIFIED_TYPE, N_GENERIC_TYPE,
	N_POINTER_TYPE, N_PAREN_EXPR, N_INDEX_EXPR, N_TYPE_INSTANTIATION, N_EXPRESSION_LIST,
	N_DOT, N_BLANK, N_COMMENT, N_INTERPRETED_STRING, N_RAW_STRING, N_RUNE,
	N_INT, N_FLOAT, N_IMAGINARY, N_FIELD_IDENTIFIER, N_PACKAGE_IDENTIFIER,
	N_SLICE_TYPE, N_MAP_TYPE, N_ARRAY_TYPE, N_CHANNEL_TYPE, N_FUNCTION_TYPE,
	N_TYPE_ARGUMENTS, N_TYPE_PARAMETER_LIST, N_LABEL,
	/* nodes that bound the visibility of a local name */
	N_BLOCK, N_IF, N_FOR, N_EXPR_SWITCH, N_TYPE_SWITCH, N_SELECT, N_EXPR_CASE,
	N_TYPE_CASE, N_COMM_CASE, N_DEFAULT_CASE, N_SOURCE_FILE,
	N__COUNT
};

static const char *const node_names[N__COUNT] = {
	[N_PACKAGE_CLAUSE] = "package_clause",
	[N_IMPORT_SPEC] = "import_spec",
	[N_FUNCTION_DECLARATION] = "function_declaration",
	[N_METHOD_DECLARATION] = "method_declaration",
	[N_TYPE_SPEC] = "type_spec",
	[N_TYPE_ALIAS] = "type_alias",
	[N_STRUCT_TYPE] = "struct_type",
	[N_INTERFACE_TYPE] = "interface_type",
	[N_FIELD_DECLARATION] = "field_declaration",
	[N_FIELD_DECLARATION_LIST] = "field_declaration_list",
	[N_METHOD_ELEM] = "method_elem",
	[N_TYPE_ELEM] = "type_elem",
	[N_VAR_SPEC] = "var_spec",
	[N_CONST_SPEC] = "const_spec",
	[N_SHORT_VAR_DECLARATION] = "short_var_declaration",
	[N_RANGE_CLAUSE] = "range_clause",
	[N_PARAMETER_LIST] = "parameter_list",
	[N_PARAMETER_DECLARATION] = "parameter_declaration",
	[N_VARIADIC_PARAMETER_DECLARATION] = "variadic_parameter_declaration",
	[N_FUNC_LITERAL] = "func_literal",
	[N_CALL] = "call_expression",
	[N_TYPE_CONVERSION] = "type_conversion_expression",
	[N_SELECTOR] = "selector_expression",
	[N_IDENTIFIER] = "identifier",
	[N_TYPE_IDENTIFIER] = "type_identifier",
	[N_QUALIFIED_TYPE] = "qualified_type",
	[N_GENERIC_TYPE] = "generic_type",
	[N_POINTER_TYPE] = "pointer_type",
	[N_PAREN_EXPR] = "parenthesized_expression",
	[N_INDEX_EXPR] = "index_expression",
	[N_TYPE_INSTANTIATION] = "type_instantiation_expression",
	[N_EXPRESSION_LIST] = "expression_list",
	[N_DOT] = "dot",
	[N_BLANK] = "blank_identifier",
	[N_COMMENT] = "comment",
	[N_INTERPRETED_STRING] = "interpreted_string_literal",
	[N_RAW_STRING] = "raw_string_literal",
	[N_RUNE] = "rune_literal",
	[N_INT] = "int_literal",
	[N_FLOAT] = "float_literal",
	[N_IMAGINARY] = "imaginary_literal",
	[N_FIELD_IDENTIFIER] = "field_identifier",
	[N_PACKAGE_IDENTIFIER] = "package_identifier",
	[N_SLICE_TYPE] = "slice_type",
	[N_MAP_TYPE] = "map_type",
	[N_ARRAY_TYPE] = "array_type",
	[N_CHANNEL_TYPE] = "channel_type",
	[N_FUNCTION_TYPE] = "function_type",
	[N_TYPE_ARGUMENTS] = "type_arguments",
	[N_TYPE_PARAMETER_LIST] = "type_parameter_list",
	[N_LABEL] = "label_name",
	[N_BLOCK] = "block",
	[N_IF] = "if_statement",
	[N_FOR] = "for_statement",
	[N_EXPR_SWITCH] = "expression_switch_statement",
	[N_TYPE_SWITCH] = "type_switch_statement",
	[N_SELECT] = "select_statement",
	[N_EXPR_CASE] = "expression_case",
	[N_TYPE_CASE] = "type_case",
	[N_COMM_CASE] = "communication_case",
	[N_DEFAULT_CASE] = "default_case",
	[N_SOURCE_FILE] = "source_file",
};

enum {
	F_NAME, F_TYPE, F_PATH, F_BODY, F_RECEIVER, F_PARAMETERS, F_FUNCTION, F_OPERAND,
	F_FIELD, F_VALUE, F_LEFT, F_PACKAGE, F_ALIAS,
	F__COUNT
};
static const char *const field_names[F__COUNT] = {
	[F_NAME] = "name", [F_TYPE] = "type", [F_PATH] = "path", [F_BODY] = "body",
	[F_RECEIVER] = "receiver", [F_PARAMETERS] = "parameters", [F_FUNCTION] = "function",
	[F_OPERAND] = "operand", [F_FIELD] = "field", [F_VALUE] = "value", [F_LEFT] = "left",
	[F_PACKAGE] = "package", [F_ALIAS] = "alias",
};

/* What the walker does with each grammar symbol. */
enum { A_NONE, A_SKIP = LANG_A_SKIP, A_SPECIAL };

static TSSymbol sym[N__COUNT];
static TSFieldId fld[F__COUNT];
static struct lang_tables tab; /* node_id, action (A_*) per TSSymbol */
static uint8_t *bounds;     /* per TSSymbol: 1 if it bounds a local name's visibility */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_tables(void)
{
	const TSLanguage *l = tree_sitter_go();
	lang_tables_init(&tab, l, node_names, N__COUNT, sym);
	lang_fields_init(l, field_names, F__COUNT, fld);
	bounds = xcalloc(tab.nsymbols, 1);
	/* leaves and types: no definitions or calls below them */
	static const int skip[] = {
		N_COMMENT, N_INTERPRETED_STRING, N_RAW_STRING, N_RUNE, N_INT, N_FLOAT,
		N_IMAGINARY, N_IDENTIFIER, N_TYPE_IDENTIFIER, N_FIELD_IDENTIFIER,
		N_PACKAGE_IDENTIFIER, N_QUALIFIED_TYPE, N_GENERIC_TYPE, N_POINTER_TYPE,
		N_SLICE_TYPE, N_MAP_TYPE, N_ARRAY_TYPE, N_CHANNEL_TYPE, N_FUNCTION_TYPE,
		N_STRUCT_TYPE, N_INTERFACE_TYPE, N_TYPE_ARGUMENTS, N_TYPE_PARAMETER_LIST,
		N_LABEL, N_BLANK,
	};
	LANG_MARK(&tab, tab.action, skip, A_SKIP);
	static const int special[] = {
		N_PACKAGE_CLAUSE, N_IMPORT_SPEC, N_FUNCTION_DECLARATION, N_METHOD_DECLARATION,
		N_TYPE_SPEC, N_TYPE_ALIAS, N_VAR_SPEC, N_CONST_SPEC, N_SHORT_VAR_DECLARATION,
		N_RANGE_CLAUSE, N_PARAMETER_LIST, N_FUNC_LITERAL, N_CALL, N_TYPE_CONVERSION,
		N_TYPE_SWITCH,
	};
	LANG_MARK(&tab, tab.action, special, A_SPECIAL);
	static const int bound[] = {
		N_BLOCK, N_IF, N_FOR, N_EXPR_SWITCH, N_TYPE_SWITCH, N_SELECT, N_EXPR_CASE,
		N_TYPE_CASE, N_COMM_CASE, N_DEFAULT_CASE, N_FUNCTION_DECLARATION,
		N_METHOD_DECLARATION, N_FUNC_LITERAL, N_SOURCE_FILE,
	};
	LANG_MARK(&tab, bounds, bound, 1);
}

static inline int nid(TSNode n)
{
	return lang_nid(&tab, ts_node_symbol(n));
}

static inline TSNode field(TSNode n, int f)
{
	return ts_node_child_by_field_id(n, fld[f]);
}

/* ---- walker state ------------------------------------------------------- */

enum { SC_FUNC, SC_TYPE };

struct scope {
	uint32_t depth;     /* tree depth of the node that opened it */
	int32_t sym;
	uint8_t kind;
	uint32_t prev_len;  /* length of the chain before this scope */
	uint32_t chain_off; /* the chain with this scope, interned; UINT32_MAX: not yet */
	uint32_t recv_a, recv_b; /* a method's receiver name (bytes), a == b: none */
};

/* A field of function type of a package-level struct: s.f() through the
 * receiver s calls a value, not a method. */
struct func_field {
	uint32_t ta, tb;    /* the struct's name (bytes) */
	uint32_t fa, fb;    /* the field's name */
};

/* A func literal that is the value of a package-level variable. */
struct pending_lit {
	uint32_t start;
	int32_t sym;
};

struct walker {
	const char *src;
	uint32_t len;       /* of src */
	struct xresult *out;
	TSNode *anc;        /* ancestors by depth */
	size_t anc_cap;
	struct scope *sc;
	size_t nsc, sc_cap;
	struct lang_chain chain; /* "Outer.inner" of the open scopes */
	struct lang_locals loc; /* the locals that calls may be made through */
	struct pending_lit *lit;
	size_t nlit, lit_cap;
	struct func_field *ff;
	size_t nff, ff_cap;
	char *scratch;
	size_t scratch_cap;
};

static void push_scope(struct walker *w, uint32_t depth, int32_t s, int kind, const char *name,
		       size_t n)
{
	ARRAY_GROW(w->sc, w->sc_cap, w->nsc + 1);
	struct scope *sc = &w->sc[w->nsc++];
	*sc = (struct scope){ depth, s, (uint8_t)kind, lang_chain_push(&w->chain, name, n),
			      UINT32_MAX, 0, 0 };
}

static inline void pop_scopes(struct walker *w, uint32_t depth)
{
	while (w->nsc && w->sc[w->nsc - 1].depth >= depth)
		w->chain.len = w->sc[--w->nsc].prev_len;
}

/* The scope string of a definition made now: the open scopes' chain. */
static uint32_t cur_scope(struct walker *w)
{
	if (!w->nsc)
		return 0;
	struct scope *sc = &w->sc[w->nsc - 1];
	if (sc->chain_off == UINT32_MAX)
		sc->chain_off = xresult_str(w->out, w->chain.s, w->chain.len);
	return sc->chain_off;
}

static int32_t cur_parent(const struct walker *w)
{
	return w->nsc ? w->sc[w->nsc - 1].sym : -1;
}

static const struct scope *cur_func(const struct walker *w)
{
	for (size_t i = w->nsc; i-- > 0;)
		if (w->sc[i].kind == SC_FUNC)
			return &w->sc[i];
	return NULL;
}

static int32_t add_sym(struct walker *w, TSNode name, int kind, TSNode whole, int32_t parent,
		       uint32_t scope, uint32_t bases)
{
	struct xsym s = { 0 };
	TSPoint p = ts_node_start_point(name);
	s.name = xresult_node_str(w->out, name, w->src);
	s.kind = (uint8_t)kind;
	s.line = ts_line(p);
	s.col = ts_col(p);
	lang_end_pos(w->src, whole, true, &s.end_line, &s.end_col);
	s.parent = parent;
	s.scope = scope;
	s.bases = bases;
	return xresult_add_sym(w->out, &s);
}

static void add_call(struct walker *w, TSNode name, TSPoint at, uint32_t receiver, int flags)
{
	struct xcall c = { 0 };
	const struct scope *f = cur_func(w);
	c.callee = xresult_node_str(w->out, name, w->src);
	c.receiver = receiver;
	c.line = ts_line(at);
	c.col = ts_col(at);
	c.caller = f ? f->sym : -1;
	c.flags = (uint8_t)flags;
	xresult_add_call(w->out, &c);
}

static inline bool same_text(const struct walker *w, TSNode n, uint32_t a, uint32_t b)
{
	uint32_t na = ts_node_start_byte(n), nb = ts_node_end_byte(n);
	return nb - na == b - a && !memcmp(w->src + na, w->src + a, b - a);
}

/* ---- local names -------------------------------------------------------- */

/* The end of the innermost construct above depth that bounds a name declared
 * there (a block, a function, an if/for/switch statement or case). */
static uint32_t visible_to(const struct walker *w, uint32_t depth)
{
	return lang_visible_to(&tab, bounds, w->anc, depth);
}

static void add_local(struct walker *w, TSNode name, uint32_t from, uint32_t to)
{
	lang_local_add(&w->loc, w->src, ts_node_start_byte(name), ts_node_end_byte(name), from, to);
}

static bool is_local(struct walker *w, TSNode name)
{
	return lang_local_has(&w->loc, w->src, ts_node_start_byte(name), ts_node_end_byte(name));
}

/* The identifiers of expression list or declaration n (of field f, or all
 * identifier children when f < 0) become locals. */
static void locals_of(struct walker *w, TSNode n, int f, uint32_t from, uint32_t to)
{
	TSTreeCursor c = ts_tree_cursor_new(n);
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			TSNode k = ts_tree_cursor_current_node(&c);
			if (nid(k) == N_IDENTIFIER &&
			    (f < 0 || ts_tree_cursor_current_field_id(&c) == fld[f]))
				add_local(w, k, from, to);
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
}

/* ---- definitions -------------------------------------------------------- */

/* The name node of a type as used for a receiver or an embedded field:
 * *T, T[P], pkg.T give T's node (pkg.T: the whole qualified type). */
static TSNode type_name(TSNode t)
{
	for (int guard = 0; guard < 8 && !ts_node_is_null(t); guard++) {
		switch (nid(t)) {
		case N_POINTER_TYPE:
			t = ts_node_named_child(t, 0);
			break;
		case N_GENERIC_TYPE:
			t = field(t, F_TYPE);
			break;
		case N_TYPE_IDENTIFIER:
		case N_QUALIFIED_TYPE:
			return t;
		default:
			return (TSNode){ 0 };
		}
	}
	return (TSNode){ 0 };
}

/* Does nothing but a comment, ';' or '}' follow node n on its line? (An
 * embedded field followed by junk is a broken declaration.) */
static bool line_ends(const struct walker *w, TSNode n)
{
	const char *p = w->src + ts_node_end_byte(n), *end = w->src + w->len;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p == end || *p == '\n' || *p == ';' || *p == '}' || *p == '/';
}

/* Append a base (embedded type) to the scratch list "A,b.C". */
static void add_base(struct walker *w, size_t *n, TSNode t)
{
	t = type_name(t);
	if (ts_node_is_null(t))
		return;
	uint32_t a = ts_node_start_byte(t), b = ts_node_end_byte(t);
	ARRAY_GROW(w->scratch, w->scratch_cap, *n + (b - a) + 2);
	if (*n)
		w->scratch[(*n)++] = ',';
	for (uint32_t i = a; i < b; i++)
		if (w->src[i] != ' ' && w->src[i] != '\t' && w->src[i] != '\n')
			w->scratch[(*n)++] = w->src[i];
}

/* Remember the names of field declaration fd of struct name when their
 * type is a function type. */
static void func_fields(struct walker *w, TSNode name, TSNode fd)
{
	TSNode t = field(fd, F_TYPE);
	if (ts_node_is_null(t) || nid(t) != N_FUNCTION_TYPE)
		return;
	TSTreeCursor c = ts_tree_cursor_new(fd);
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			if (ts_tree_cursor_current_field_id(&c) != fld[F_NAME])
				continue;
			TSNode k = ts_tree_cursor_current_node(&c);
			ARRAY_GROW(w->ff, w->ff_cap, w->nff + 1);
			w->ff[w->nff++] = (struct func_field){
				ts_node_start_byte(name), ts_node_end_byte(name),
				ts_node_start_byte(k), ts_node_end_byte(k) };
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
}

/* type X struct {...} / interface {...} / other (type X = Y too): its
 * symbol, bases and (for an interface) its method specs. */
static void on_type_spec(struct walker *w, TSNode n)
{
	TSNode name = field(n, F_NAME), t = field(n, F_TYPE);
	if (ts_node_is_null(name))
		return;
	int kind = SK_TYPEDEF;
	size_t nb = 0;
	bool iface = false;
	if (!ts_node_is_null(t)) {
		/* type A = interface {...} defines the interface too */
		TSNode list = t;
		if (nid(t) == N_STRUCT_TYPE) {
			kind = SK_STRUCT;
			list = ts_node_named_child(t, 0);
		} else if (nid(t) == N_INTERFACE_TYPE) {
			kind = SK_INTERFACE;
			iface = true;
		}
		if (kind != SK_TYPEDEF && !ts_node_is_null(list)) {
			TSTreeCursor c = ts_tree_cursor_new(list);
			if (ts_tree_cursor_goto_first_child(&c)) {
				do {
					TSNode k = ts_tree_cursor_current_node(&c);
					int id = nid(k);
					if (id == N_FIELD_DECLARATION && !ts_node_has_error(k) &&
					    ts_node_is_null(field(k, F_NAME)) && line_ends(w, k))
						add_base(w, &nb, field(k, F_TYPE));
					else if (id == N_FIELD_DECLARATION && !cur_func(w))
						func_fields(w, name, k);
					else if (id == N_TYPE_ELEM && ts_node_named_child_count(k) == 1)
						add_base(w, &nb, ts_node_named_child(k, 0));
				} while (ts_tree_cursor_goto_next_sibling(&c));
			}
			ts_tree_cursor_delete(&c);
		}
	}
	uint32_t bases = nb ? xresult_str(w->out, w->scratch, nb) : 0;
	int32_t s = add_sym(w, name, kind, n, cur_parent(w), cur_scope(w), bases);
	if (!iface)
		return;
	/* method specs: prototypes scoped by the interface */
	uint32_t a = ts_node_start_byte(name), b = ts_node_end_byte(name);
	push_scope(w, UINT32_MAX, s, SC_TYPE, w->src + a, b - a);
	uint32_t scope = cur_scope(w);
	TSTreeCursor c = ts_tree_cursor_new(t);
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			TSNode k = ts_tree_cursor_current_node(&c);
			TSNode mn = field(k, F_NAME);
			if (nid(k) == N_METHOD_ELEM && !ts_node_is_null(mn))
				add_sym(w, mn, SK_PROTOTYPE, k, s, scope, 0);
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
	w->chain.len = w->sc[--w->nsc].prev_len;
}

/* var/const spec at package level: variables, or functions for func
 * literals (var f = func() {...}); in a function: locals. */
static void on_var_spec(struct walker *w, TSNode n, uint32_t depth)
{
	if (cur_func(w)) {
		locals_of(w, n, F_NAME, ts_node_end_byte(n), visible_to(w, depth));
		return;
	}
	TSNode value = field(n, F_VALUE);
	uint32_t nvals = ts_node_is_null(value) ? 0 : ts_node_named_child_count(value);
	uint32_t i = 0;
	TSTreeCursor c = ts_tree_cursor_new(n);
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			if (ts_tree_cursor_current_field_id(&c) != fld[F_NAME])
				continue;
			TSNode k = ts_tree_cursor_current_node(&c);
			TSNode v = i < nvals ? ts_node_named_child(value, i) : (TSNode){ 0 };
			i++;
			uint32_t a = ts_node_start_byte(k);
			if (nid(k) != N_IDENTIFIER || (ts_node_end_byte(k) == a + 1 && w->src[a] == '_'))
				continue;
			if (!ts_node_is_null(v) && nid(v) == N_FUNC_LITERAL) {
				int32_t s = add_sym(w, k, SK_FUNCTION, v, -1, cur_scope(w), 0);
				ARRAY_GROW(w->lit, w->lit_cap, w->nlit + 1);
				w->lit[w->nlit++] = (struct pending_lit){ ts_node_start_byte(v), s };
			} else {
				add_sym(w, k, SK_VARIABLE, n, -1, cur_scope(w), 0);
			}
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
}

static void on_import(struct walker *w, TSNode n)
{
	struct ximport im = { 0 };
	TSNode path = field(n, F_PATH), name = field(n, F_NAME);
	if (ts_node_is_null(path))
		return;
	uint32_t a = ts_node_start_byte(path), b = ts_node_end_byte(path);
	if (b - a >= 2) {
		a++;
		b--;
	}
	im.module = xresult_str(w->out, w->src + a, b - a);
	if (!ts_node_is_null(name)) {
		if (nid(name) == N_DOT)
			im.name = xresult_str(w->out, "*", 1);
		else
			im.alias = xresult_node_str(w->out, name, w->src);
	}
	im.line = ts_line(ts_node_start_point(n));
	xresult_add_import(w->out, &im);
}

/* func (r *T[P]) name(...): a method of T, r is its receiver. */
static void on_method(struct walker *w, TSNode n, uint32_t depth)
{
	TSNode name = field(n, F_NAME), recv = field(n, F_RECEIVER);
	if (ts_node_is_null(name))
		return;
	TSNode param = ts_node_is_null(recv) ? recv : ts_node_named_child(recv, 0);
	TSNode rname = { 0 }, tname = { 0 };
	if (!ts_node_is_null(param) && nid(param) == N_PARAMETER_DECLARATION) {
		rname = field(param, F_NAME);
		tname = type_name(field(param, F_TYPE));
	}
	uint32_t scope = 0;
	if (!ts_node_is_null(tname)) {
		if (nid(tname) == N_QUALIFIED_TYPE)
			tname = field(tname, F_NAME);
		scope = xresult_node_str(w->out, tname, w->src);
	}
	int32_t s = add_sym(w, name, SK_METHOD, n, -1, scope, 0);
	const char *sc = xstr(w->out, scope);
	size_t sl = strlen(sc);
	uint32_t a = ts_node_start_byte(name), b = ts_node_end_byte(name);
	ARRAY_GROW(w->scratch, w->scratch_cap, sl + (b - a) + 2);
	memcpy(w->scratch, sc, sl);
	if (sl)
		w->scratch[sl++] = '.';
	memcpy(w->scratch + sl, w->src + a, b - a);
	push_scope(w, depth, s, SC_FUNC, w->scratch, sl + (b - a));
	if (!ts_node_is_null(rname)) {
		w->sc[w->nsc - 1].recv_a = ts_node_start_byte(rname);
		w->sc[w->nsc - 1].recv_b = ts_node_end_byte(rname);
	}
}

/* ---- calls -------------------------------------------------------------- */

/* A call of name through obj (obj.name()): through the method's receiver
 * (CALL_SELF), or another value or package (CALL_MEMBER). */
static void member_call(struct walker *w, TSNode name, TSNode obj, TSPoint at, int flags)
{
	const struct scope *fn = cur_func(w);
	int how = flags & CALL_DYNAMIC ? 0 : CALL_MEMBER;
	uint32_t a = ts_node_start_byte(obj), b = ts_node_end_byte(obj);
	int id = nid(obj);
	if (how && fn && (id == N_IDENTIFIER || id == N_PACKAGE_IDENTIFIER) &&
	    fn->recv_b > fn->recv_a && same_text(w, obj, fn->recv_a, fn->recv_b))
		how = CALL_SELF;
	add_call(w, name, at, xresult_path_str(w->out, w->src, a, b), flags | how);
}

/* A call of callee expression f (at position at, for calls of a call's
 * result); flags so far (CALL_DYNAMIC when through a value). */
static void on_callee(struct walker *w, TSNode f, TSPoint at, bool use_at, int flags)
{
	for (int guard = 0; guard < 32 && !ts_node_is_null(f); guard++) {
		switch (nid(f)) {
		case N_IDENTIFIER:
			if (!(flags & CALL_DYNAMIC) && is_local(w, f))
				flags |= CALL_DYNAMIC;
			add_call(w, f, use_at ? at : ts_node_start_point(f), 0, flags);
			return;
		case N_SELECTOR: {
			TSNode name = field(f, F_FIELD), obj = field(f, F_OPERAND);
			if (ts_node_is_null(name) || ts_node_is_null(obj))
				return;
			member_call(w, name, obj, use_at ? at : ts_node_start_point(name), flags);
			return;
		}
		case N_QUALIFIED_TYPE: {
			/* pkg.F[T](x) read as a conversion; x.f( in an ERROR */
			TSNode name = field(f, F_NAME), pkg = field(f, F_PACKAGE);
			if (ts_node_is_null(name) || ts_node_is_null(pkg))
				return;
			member_call(w, name, pkg, ts_node_start_point(name), flags);
			return;
		}
		case N_TYPE_IDENTIFIER:
			add_call(w, f, ts_node_start_point(f), 0, flags);
			return;
		case N_GENERIC_TYPE:
		case N_TYPE_INSTANTIATION:
			f = field(f, F_TYPE);
			break;
		case N_PAREN_EXPR:
		case N_INDEX_EXPR:
			/* (f)(x), handlers[k](x): through a value; (*T)(x),
			 * (<-ch)(x): conversions and the like, not named calls */
			f = ts_node_named_child(f, 0);
			if (ts_node_is_null(f) || (nid(f) != N_IDENTIFIER && nid(f) != N_SELECTOR))
				return;
			flags |= CALL_DYNAMIC;
			break;
		case N_CALL:
			/* f()(x): named by the inner callee, placed at the arguments */
			if (!use_at)
				at = ts_node_end_point(f);
			use_at = true;
			f = field(f, F_FUNCTION);
			flags |= CALL_DYNAMIC;
			break;
		default:
			return; /* func() {...}(), conversions of composite types */
		}
	}
}

/* Inside a function, an ERROR node's loose name or pkg.Name followed by
 * "(" is a call the parser could not finish: t.save( }. */
static void error_calls(struct walker *w, TSNode n)
{
	if (!cur_func(w))
		return;
	TSTreeCursor c = ts_tree_cursor_new(n);
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			TSNode k = ts_tree_cursor_current_node(&c);
			int id = nid(k);
			if (id != N_IDENTIFIER && id != N_QUALIFIED_TYPE)
				continue;
			if (lang_paren_follows(w->src, w->len, k))
				on_callee(w, k, ts_node_start_point(k), false, 0);
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
}

/* ---- the walk ----------------------------------------------------------- */

/* Visit node n at depth; returns false if its children need no visit. */
static bool visit(struct walker *w, TSNode n, TSSymbol s, uint32_t depth)
{
	if (s >= tab.nsymbols || tab.action[s] == A_NONE) {
		if (ts_node_is_error(n))
			error_calls(w, n);
		return true;
	}
	if (tab.action[s] == A_SKIP)
		return false;
	TSNode parent = depth ? w->anc[depth - 1] : n;
	switch (tab.node_id[s] - 1) {
	case N_PACKAGE_CLAUSE: {
		TSNode id = ts_node_named_child(n, 0);
		if (!ts_node_is_null(id) && !w->out->module)
			w->out->module = xresult_node_str(w->out, id, w->src);
		return false;
	}
	case N_IMPORT_SPEC:
		on_import(w, n);
		return false;
	case N_FUNCTION_DECLARATION: {
		TSNode name = field(n, F_NAME);
		if (ts_node_is_null(name))
			return true;
		int32_t sy = add_sym(w, name, SK_FUNCTION, n, cur_parent(w), cur_scope(w), 0);
		uint32_t a = ts_node_start_byte(name);
		push_scope(w, depth, sy, SC_FUNC, w->src + a, ts_node_end_byte(name) - a);
		return true;
	}
	case N_METHOD_DECLARATION:
		on_method(w, n, depth);
		return true;
	case N_TYPE_SPEC:
	case N_TYPE_ALIAS:
		on_type_spec(w, n);
		return false;
	case N_VAR_SPEC:
	case N_CONST_SPEC:
		on_var_spec(w, n, depth);
		return true;
	case N_SHORT_VAR_DECLARATION: {
		TSNode left = field(n, F_LEFT);
		if (!ts_node_is_null(left))
			locals_of(w, left, -1, ts_node_end_byte(n), visible_to(w, depth));
		return true;
	}
	case N_RANGE_CLAUSE: {
		TSNode left = field(n, F_LEFT);
		if (!ts_node_is_null(left))
			locals_of(w, left, -1, ts_node_end_byte(n), visible_to(w, depth));
		return true;
	}
	case N_TYPE_SWITCH: {
		/* switch v := x.(type): v in every case */
		TSNode alias = field(n, F_ALIAS);
		if (!ts_node_is_null(alias))
			locals_of(w, alias, -1, ts_node_end_byte(alias), ts_node_end_byte(n));
		return true;
	}
	case N_PARAMETER_LIST: {
		int p = nid(parent);
		if (p != N_FUNCTION_DECLARATION && p != N_METHOD_DECLARATION && p != N_FUNC_LITERAL)
			return false;
		uint32_t to = ts_node_end_byte(parent);
		TSTreeCursor c = ts_tree_cursor_new(n);
		if (ts_tree_cursor_goto_first_child(&c)) {
			do {
				TSNode k = ts_tree_cursor_current_node(&c);
				int id = nid(k);
				if (id == N_PARAMETER_DECLARATION ||
				    id == N_VARIADIC_PARAMETER_DECLARATION)
					locals_of(w, k, F_NAME, ts_node_end_byte(n), to);
			} while (ts_tree_cursor_goto_next_sibling(&c));
		}
		ts_tree_cursor_delete(&c);
		return false;
	}
	case N_FUNC_LITERAL: {
		uint32_t a = ts_node_start_byte(n);
		for (size_t i = 0; i < w->nlit; i++)
			if (w->lit[i].start == a) {
				int32_t sy = w->lit[i].sym;
				const char *name = xstr(w->out, w->out->syms[sy].name);
				push_scope(w, depth, sy, SC_FUNC, name, strlen(name));
				w->lit[i] = w->lit[--w->nlit];
				break;
			}
		return true;
	}
	case N_CALL:
		on_callee(w, field(n, F_FUNCTION), ts_node_start_point(n), false, 0);
		return true;
	case N_TYPE_CONVERSION: {
		/* F[T](x): a call of a generic function (or a conversion to an
		 * instantiated type); []byte(s) and the like are not calls */
		TSNode t = field(n, F_TYPE);
		if (!ts_node_is_null(t) && nid(t) == N_GENERIC_TYPE)
			on_callee(w, t, ts_node_start_point(n), false, 0);
		return true;
	}
	}
	return true;
}

/* A call through the receiver of a function-typed field of the receiver's
 * struct (c.load(k) with load func(K) V) is a call through a value. */
static void func_field_calls(struct walker *w)
{
	struct xresult *r = w->out;
	if (!w->nff)
		return;
	for (size_t i = 0; i < r->ncalls; i++) {
		struct xcall *c = &r->calls[i];
		if (!(c->flags & CALL_SELF) || c->caller < 0)
			continue;
		const char *type = xstr(r, r->syms[c->caller].scope), *callee = xstr(r, c->callee);
		size_t tl = strlen(type), cl = strlen(callee);
		for (size_t k = 0; k < w->nff; k++) {
			const struct func_field *f = &w->ff[k];
			if (f->tb - f->ta == tl && f->fb - f->fa == cl &&
			    !memcmp(w->src + f->ta, type, tl) && !memcmp(w->src + f->fa, callee, cl)) {
				c->flags = CALL_DYNAMIC;
				break;
			}
		}
	}
}

/* Methods of a type defined in the same file get it as their parent. */
static void link_methods(struct xresult *r)
{
	int32_t last = -1;
	uint32_t last_scope = 0;
	for (size_t i = 0; i < r->nsyms; i++) {
		struct xsym *m = &r->syms[i];
		if (m->kind != SK_METHOD || !m->scope)
			continue;
		if (last < 0 || strcmp(xstr(r, last_scope), xstr(r, m->scope)) != 0) {
			last = -1;
			for (size_t k = 0; k < r->nsyms; k++) {
				const struct xsym *t = &r->syms[k];
				if (!t->scope && (t->kind == SK_STRUCT || t->kind == SK_INTERFACE ||
						  t->kind == SK_TYPEDEF) &&
				    !strcmp(xstr(r, t->name), xstr(r, m->scope))) {
					last = (int32_t)k;
					break;
				}
			}
			last_scope = m->scope;
			if (last < 0)
				continue;
		}
		m->parent = last;
	}
}

/* One node of the walk: the ancestors and scopes at its depth, then visit. */
static bool step(void *ctx, TSNode n, TSSymbol s, uint32_t depth)
{
	struct walker *w = ctx;
	LANG_ANC_SET(w->anc, w->anc_cap, depth, n);
	pop_scopes(w, depth);
	return visit(w, n, s, depth);
}

void lang_go_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	struct walker w = { 0 };
	pthread_once(&init_once, init_tables);
	w.src = src;
	w.len = (uint32_t)len;
	w.out = out;

	lang_walk(ts_tree_root_node(tree), step, &w);
	func_field_calls(&w);
	link_methods(out);
	out->parse_errors = ts_count_errors(ts_tree_root_node(tree));
	free(w.anc);
	free(w.sc);
	free(w.chain.s);
	free(w.loc.v);
	free(w.lit);
	free(w.ff);
	free(w.scratch);
}
