/* grammars/rust/lang.c — Rust extraction: definitions, call sites (macro
 * invocations and calls inside macro arguments included) and use
 * declarations from a tree-sitter-rust tree, in one cursor walk. See
 * README.md for what is extracted and how calls are classified. */
#include "lang.h"
#include "util.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

/* ---- grammar symbols, looked up once ------------------------------------ */

enum {
	N_FUNCTION_ITEM, N_FUNCTION_SIGNATURE_ITEM, N_IMPL_ITEM, N_TRAIT_ITEM, N_STRUCT_ITEM,
	N_UNION_ITEM, N_ENUM_ITEM, N_ENUM_VARIANT, N_MOD_ITEM, N_TYPE_ITEM, N_MACRO_DEFINITION,
	N_CONST_ITEM, N_STATIC_ITEM, N_USE_DECLARATION, N_EXTERN_CRATE, N_CALL,
	N_MACRO_INVOCATION, N_TOKEN_TREE, N_LET_DECLARATION, N_PARAMETERS, N_PARAMETER,
	N_CLOSURE_PARAMETERS, N_FOR, N_LET_CONDITION, N_MATCH_ARM, N_IDENTIFIER,
	N_TYPE_IDENTIFIER, N_FIELD_IDENTIFIER, N_PRIMITIVE_TYPE, N_SELF, N_CRATE, N_SUPER,
	N_METAVARIABLE, N_SCOPED_IDENTIFIER, N_SCOPED_TYPE_IDENTIFIER, N_GENERIC_TYPE,
	N_GENERIC_TYPE_TURBOFISH, N_GENERIC_FUNCTION, N_BRACKETED_TYPE, N_QUALIFIED_TYPE,
	N_REFERENCE_TYPE, N_POINTER_TYPE, N_DYNAMIC_TYPE, N_FIELD_EXPRESSION, N_PAREN_EXPR,
	N_INDEX_EXPR, N_USE_AS_CLAUSE, N_USE_LIST, N_SCOPED_USE_LIST, N_USE_WILDCARD,
	N_HIGHER_RANKED_BOUND, N_SHORTHAND_FIELD_IDENTIFIER, N_INTEGER,
	N_LINE_COMMENT, N_BLOCK_COMMENT, N_STRING, N_RAW_STRING, N_CHAR, N_FLOAT, N_BOOLEAN,
	N_LIFETIME, N_VISIBILITY, N_ATTRIBUTE_ITEM, N_INNER_ATTRIBUTE_ITEM, N_TYPE_ARGUMENTS,
	N_TYPE_PARAMETERS, N_WHERE_CLAUSE, N_TRAIT_BOUNDS, N_FUNCTION_TYPE, N_ABSTRACT_TYPE,
	N_BOUNDED_TYPE, N_TUPLE_TYPE, N_ARRAY_TYPE, N_UNIT_TYPE, N_NEVER_TYPE,
	N_ASSOCIATED_TYPE, N_MUTABLE_SPECIFIER, N_LABEL, N_FIELD_DECLARATION_LIST,
	N_ORDERED_FIELD_DECLARATION_LIST,
	/* nodes that bound the visibility of a local name */
	N_BLOCK, N_CLOSURE, N_IF, N_WHILE, N_LOOP, N_SOURCE_FILE,
	N__COUNT
};

static const char *const node_names[N__COUNT] = {
	[N_FUNCTION_ITEM] = "function_item",
	[N_FUNCTION_SIGNATURE_ITEM] = "function_signature_item",
	[N_IMPL_ITEM] = "impl_item",
	[N_TRAIT_ITEM] = "trait_item",
	[N_STRUCT_ITEM] = "struct_item",
	[N_UNION_ITEM] = "union_item",
	[N_ENUM_ITEM] = "enum_item",
	[N_ENUM_VARIANT] = "enum_variant",
	[N_MOD_ITEM] = "mod_item",
	[N_TYPE_ITEM] = "type_item",
	[N_MACRO_DEFINITION] = "macro_definition",
	[N_CONST_ITEM] = "const_item",
	[N_STATIC_ITEM] = "static_item",
	[N_USE_DECLARATION] = "use_declaration",
	[N_EXTERN_CRATE] = "extern_crate_declaration",
	[N_CALL] = "call_expression",
	[N_MACRO_INVOCATION] = "macro_invocation",
	[N_TOKEN_TREE] = "token_tree",
	[N_LET_DECLARATION] = "let_declaration",
	[N_PARAMETERS] = "parameters",
	[N_PARAMETER] = "parameter",
	[N_CLOSURE_PARAMETERS] = "closure_parameters",
	[N_FOR] = "for_expression",
	[N_LET_CONDITION] = "let_condition",
	[N_MATCH_ARM] = "match_arm",
	[N_IDENTIFIER] = "identifier",
	[N_TYPE_IDENTIFIER] = "type_identifier",
	[N_FIELD_IDENTIFIER] = "field_identifier",
	[N_PRIMITIVE_TYPE] = "primitive_type",
	[N_SELF] = "self",
	[N_CRATE] = "crate",
	[N_SUPER] = "super",
	[N_METAVARIABLE] = "metavariable",
	[N_SCOPED_IDENTIFIER] = "scoped_identifier",
	[N_SCOPED_TYPE_IDENTIFIER] = "scoped_type_identifier",
	[N_GENERIC_TYPE] = "generic_type",
	[N_GENERIC_TYPE_TURBOFISH] = "generic_type_with_turbofish",
	[N_GENERIC_FUNCTION] = "generic_function",
	[N_BRACKETED_TYPE] = "bracketed_type",
	[N_QUALIFIED_TYPE] = "qualified_type",
	[N_REFERENCE_TYPE] = "reference_type",
	[N_POINTER_TYPE] = "pointer_type",
	[N_DYNAMIC_TYPE] = "dynamic_type",
	[N_FIELD_EXPRESSION] = "field_expression",
	[N_PAREN_EXPR] = "parenthesized_expression",
	[N_INDEX_EXPR] = "index_expression",
	[N_USE_AS_CLAUSE] = "use_as_clause",
	[N_USE_LIST] = "use_list",
	[N_SCOPED_USE_LIST] = "scoped_use_list",
	[N_USE_WILDCARD] = "use_wildcard",
	[N_HIGHER_RANKED_BOUND] = "higher_ranked_trait_bound",
	[N_SHORTHAND_FIELD_IDENTIFIER] = "shorthand_field_identifier",
	[N_INTEGER] = "integer_literal",
	[N_LINE_COMMENT] = "line_comment",
	[N_BLOCK_COMMENT] = "block_comment",
	[N_STRING] = "string_literal",
	[N_RAW_STRING] = "raw_string_literal",
	[N_CHAR] = "char_literal",
	[N_FLOAT] = "float_literal",
	[N_BOOLEAN] = "boolean_literal",
	[N_LIFETIME] = "lifetime",
	[N_VISIBILITY] = "visibility_modifier",
	[N_ATTRIBUTE_ITEM] = "attribute_item",
	[N_INNER_ATTRIBUTE_ITEM] = "inner_attribute_item",
	[N_TYPE_ARGUMENTS] = "type_arguments",
	[N_TYPE_PARAMETERS] = "type_parameters",
	[N_WHERE_CLAUSE] = "where_clause",
	[N_TRAIT_BOUNDS] = "trait_bounds",
	[N_FUNCTION_TYPE] = "function_type",
	[N_ABSTRACT_TYPE] = "abstract_type",
	[N_BOUNDED_TYPE] = "bounded_type",
	[N_TUPLE_TYPE] = "tuple_type",
	[N_ARRAY_TYPE] = "array_type",
	[N_UNIT_TYPE] = "unit_type",
	[N_NEVER_TYPE] = "never_type",
	[N_ASSOCIATED_TYPE] = "associated_type",
	[N_MUTABLE_SPECIFIER] = "mutable_specifier",
	[N_LABEL] = "label",
	[N_FIELD_DECLARATION_LIST] = "field_declaration_list",
	[N_ORDERED_FIELD_DECLARATION_LIST] = "ordered_field_declaration_list",
	[N_BLOCK] = "block",
	[N_CLOSURE] = "closure_expression",
	[N_IF] = "if_expression",
	[N_WHILE] = "while_expression",
	[N_LOOP] = "loop_expression",
	[N_SOURCE_FILE] = "source_file",
};

enum {
	F_NAME, F_TYPE, F_BODY, F_TRAIT, F_BOUNDS, F_FUNCTION, F_FIELD, F_VALUE, F_PATH,
	F_PATTERN, F_MACRO, F_ALIAS, F_LIST, F_ARGUMENT, F_CONDITION,
	F__COUNT
};
static const char *const field_names[F__COUNT] = {
	[F_NAME] = "name", [F_TYPE] = "type", [F_BODY] = "body", [F_TRAIT] = "trait",
	[F_BOUNDS] = "bounds", [F_FUNCTION] = "function", [F_FIELD] = "field",
	[F_VALUE] = "value", [F_PATH] = "path", [F_PATTERN] = "pattern", [F_MACRO] = "macro",
	[F_ALIAS] = "alias", [F_LIST] = "list", [F_ARGUMENT] = "argument",
	[F_CONDITION] = "condition",
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
	const TSLanguage *l = tree_sitter_rust();
	lang_tables_init(&tab, l, node_names, N__COUNT, sym);
	lang_fields_init(l, field_names, F__COUNT, fld);
	bounds = xcalloc(tab.nsymbols, 1);
	/* leaves, attributes and types: no definitions or calls below them */
	static const int skip[] = {
		N_IDENTIFIER, N_TYPE_IDENTIFIER, N_FIELD_IDENTIFIER, N_PRIMITIVE_TYPE, N_SELF,
		N_CRATE, N_SUPER, N_METAVARIABLE, N_SCOPED_TYPE_IDENTIFIER, N_GENERIC_TYPE,
		N_REFERENCE_TYPE, N_POINTER_TYPE, N_DYNAMIC_TYPE, N_SHORTHAND_FIELD_IDENTIFIER,
		N_INTEGER, N_LINE_COMMENT, N_BLOCK_COMMENT, N_STRING, N_RAW_STRING, N_CHAR,
		N_FLOAT, N_BOOLEAN, N_LIFETIME, N_VISIBILITY, N_ATTRIBUTE_ITEM,
		N_INNER_ATTRIBUTE_ITEM, N_TYPE_ARGUMENTS, N_TYPE_PARAMETERS, N_WHERE_CLAUSE,
		N_TRAIT_BOUNDS, N_FUNCTION_TYPE, N_ABSTRACT_TYPE, N_BOUNDED_TYPE, N_TUPLE_TYPE,
		N_ARRAY_TYPE, N_UNIT_TYPE, N_NEVER_TYPE, N_ASSOCIATED_TYPE, N_MUTABLE_SPECIFIER,
		N_LABEL, N_FIELD_DECLARATION_LIST, N_ORDERED_FIELD_DECLARATION_LIST,
	};
	LANG_MARK(&tab, tab.action, skip, A_SKIP);
	static const int special[] = {
		N_FUNCTION_ITEM, N_FUNCTION_SIGNATURE_ITEM, N_IMPL_ITEM, N_TRAIT_ITEM,
		N_STRUCT_ITEM, N_UNION_ITEM, N_ENUM_ITEM, N_MOD_ITEM, N_TYPE_ITEM,
		N_MACRO_DEFINITION, N_CONST_ITEM, N_STATIC_ITEM, N_USE_DECLARATION,
		N_EXTERN_CRATE, N_CALL, N_MACRO_INVOCATION, N_TOKEN_TREE, N_LET_DECLARATION,
		N_PARAMETERS, N_CLOSURE_PARAMETERS, N_FOR, N_LET_CONDITION, N_MATCH_ARM,
	};
	LANG_MARK(&tab, tab.action, special, A_SPECIAL);
	static const int bound[] = {
		N_BLOCK, N_CLOSURE, N_IF, N_WHILE, N_LOOP, N_FOR, N_MATCH_ARM, N_FUNCTION_ITEM,
		N_SOURCE_FILE,
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

enum {
	SC_FUNC,   /* fn: calls inside belong to it */
	SC_TRAIT,  /* trait: its fns are methods, code in it belongs to it */
	SC_IMPL,   /* impl: its fns are methods of the type (sym: index in impls) */
	SC_MOD,    /* mod { }: module level */
	SC_ENUM,   /* enum: parent of its variants */
};

struct scope {
	uint32_t depth;     /* tree depth of the node that opened it */
	int32_t sym;        /* the definition (SC_IMPL: the impl's index in w->impls) */
	uint8_t kind;
	uint32_t prev_len;  /* length of the chain before this scope */
	uint32_t chain_off; /* the chain with this scope, interned; UINT32_MAX: not yet */
};

/* A method or call of an impl block, whose parent or caller is the impl's
 * type when the file defines it (known once the whole file is walked). */
struct impl_ref {
	uint32_t impl;      /* index in w->impls */
	uint32_t index;     /* in out->syms or out->calls */
	bool call;
};

struct walker {
	const char *src;
	uint32_t len;       /* of src */
	struct xresult *out;
	TSNode *anc;        /* ancestors by depth */
	size_t anc_cap;
	struct scope *sc;
	size_t nsc, sc_cap;
	struct lang_chain chain; /* "outer.Inner" of the open scopes */
	struct lang_locals loc; /* the locals that calls may be made through */
	struct impl {
		uint32_t type;  /* the qualified type name */
		uint32_t trait; /* impl Trait for ...: Trait as written, 0: none */
	} *impls;           /* the impl blocks */
	size_t nimpls, impls_cap;
	struct impl_ref *refs;
	size_t nrefs, refs_cap;
	char *scratch;
	size_t scratch_cap;
};

static void push_scope(struct walker *w, uint32_t depth, int32_t s, int kind, const char *name,
		       size_t n)
{
	ARRAY_GROW(w->sc, w->sc_cap, w->nsc + 1);
	w->sc[w->nsc++] = (struct scope){ depth, s, (uint8_t)kind,
					  lang_chain_push(&w->chain, name, n), UINT32_MAX };
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

static void add_impl_ref(struct walker *w, const struct scope *sc, size_t index, bool call)
{
	ARRAY_GROW(w->refs, w->refs_cap, w->nrefs + 1);
	w->refs[w->nrefs++] = (struct impl_ref){ (uint32_t)sc->sym, (uint32_t)index, call };
}

/* End of node n as the 1-based line and column of its last byte. */
static void end_pos(TSNode n, uint32_t *line, uint32_t *col)
{
	TSPoint e = ts_node_end_point(n);
	*line = e.row + 1;
	*col = e.column;
}

/* Add a definition named by node name (called name_off instead when that is
 * not 0), spanning node whole, inside the open scopes. */
static int32_t add_sym(struct walker *w, TSNode name, uint32_t name_off, int kind, TSNode whole,
		       uint32_t bases)
{
	struct xsym s = { 0 };
	TSPoint p = ts_node_start_point(name);
	s.name = name_off ? name_off : xresult_node_str(w->out, name, w->src);
	s.kind = (uint8_t)kind;
	s.line = ts_line(p);
	s.col = ts_col(p);
	end_pos(whole, &s.end_line, &s.end_col);
	s.parent = -1;
	s.scope = cur_scope(w);
	s.bases = bases;
	int32_t idx = xresult_add_sym(w->out, &s);
	if (w->nsc) {
		const struct scope *sc = &w->sc[w->nsc - 1];
		if (sc->kind == SC_IMPL)
			add_impl_ref(w, sc, (size_t)idx, false);
		else
			w->out->syms[idx].parent = sc->sym;
	}
	return idx;
}

static void add_call(struct walker *w, uint32_t callee, TSPoint at, uint32_t receiver, int flags)
{
	struct xcall c = { 0 };
	const struct scope *owner = NULL;
	for (size_t i = w->nsc; i-- > 0 && !owner;)
		if (w->sc[i].kind != SC_ENUM)
			owner = &w->sc[i];
	c.callee = callee;
	c.receiver = receiver;
	c.line = ts_line(at);
	c.col = ts_col(at);
	c.caller = owner && (owner->kind == SC_FUNC || owner->kind == SC_TRAIT) ? owner->sym : -1;
	c.flags = (uint8_t)flags;
	if (owner && owner->kind == SC_IMPL)
		add_impl_ref(w, owner, w->out->ncalls, true);
	xresult_add_call(w->out, &c);
}

/* ---- paths -------------------------------------------------------------- */

/* Append src[a, b) to the scratch buffer at *n, whitespace dropped and "::"
 * written ".". */
static void append_text(struct walker *w, size_t *n, uint32_t a, uint32_t b)
{
	ARRAY_GROW(w->scratch, w->scratch_cap, *n + (b - a) + 2);
	if (b - a > 2 && w->src[a] == ':' && w->src[a + 1] == ':')
		a += 2; /* ::log::info: the crate log */
	for (uint32_t i = a; i < b; i++) {
		char c = w->src[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == ':' && i + 1 < b && w->src[i + 1] == ':') {
			c = '.';
			i++;
		}
		w->scratch[(*n)++] = c;
	}
}

static void append_node(struct walker *w, size_t *n, TSNode k)
{
	append_text(w, n, ts_node_start_byte(k), ts_node_end_byte(k));
}

/* Append the path that names type or path node t to the scratch buffer:
 * generic arguments, references and <T as Trait> qualification dropped
 * (Vec<T> -> Vec, &mut a::B -> a.B, <X as T> -> X). */
static void append_path(struct walker *w, size_t *n, TSNode t)
{
	for (int guard = 0; guard < 16 && !ts_node_is_null(t); guard++) {
		switch (nid(t)) {
		case N_GENERIC_TYPE:
		case N_GENERIC_TYPE_TURBOFISH:
		case N_REFERENCE_TYPE:
		case N_QUALIFIED_TYPE:
			t = field(t, F_TYPE);
			continue;
		case N_POINTER_TYPE:
		case N_BRACKETED_TYPE:
		case N_DYNAMIC_TYPE:
		case N_HIGHER_RANKED_BOUND: {
			/* the last named child: *const T, <T>, dyn T, for<'a> T */
			uint32_t k = ts_node_named_child_count(t);
			t = k ? ts_node_named_child(t, k - 1) : (TSNode){ 0 };
			continue;
		}
		case N_SCOPED_IDENTIFIER:
		case N_SCOPED_TYPE_IDENTIFIER: {
			TSNode p = field(t, F_PATH);
			if (!ts_node_is_null(p)) {
				size_t before = *n;
				append_path(w, n, p);
				if (*n > before) {
					ARRAY_GROW(w->scratch, w->scratch_cap, *n + 1);
					w->scratch[(*n)++] = '.';
				}
			}
			t = field(t, F_NAME);
			continue;
		}
		default:
			append_node(w, n, t);
			return;
		}
	}
}

/* ---- local names -------------------------------------------------------- */

/* The end of the innermost construct above depth that bounds a name declared
 * there (a block, a function or closure, an if/while/for/loop, a match arm). */
static uint32_t visible_to(const struct walker *w, uint32_t depth)
{
	return lang_visible_to(&tab, bounds, w->anc, depth);
}

static void add_local(struct walker *w, TSNode name, uint32_t from, uint32_t to)
{
	lang_local_add(&w->loc, w->src, ts_node_start_byte(name), ts_node_end_byte(name), from, to);
}

static bool is_local(struct walker *w, uint32_t a, uint32_t b)
{
	return lang_local_has(&w->loc, w->src, a, b);
}

/* The names pattern p binds become locals visible in [from, to). */
static void pattern_locals(struct walker *w, TSNode p, uint32_t from, uint32_t to)
{
	if (ts_node_is_null(p))
		return;
	int id = nid(p);
	if (id == N_IDENTIFIER || id == N_SHORTHAND_FIELD_IDENTIFIER) {
		add_local(w, p, from, to);
		return;
	}
	TSTreeCursor c = ts_tree_cursor_new(p);
	uint32_t depth = 0;
	if (!ts_tree_cursor_goto_first_child(&c)) {
		ts_tree_cursor_delete(&c);
		return;
	}
	depth = 1;
	for (;;) {
		TSNode k = ts_tree_cursor_current_node(&c);
		int kid = nid(k);
		bool descend = false;
		if (kid == N_IDENTIFIER || kid == N_SHORTHAND_FIELD_IDENTIFIER) {
			/* Some(x): Some is the pattern's type, x a binding */
			if (ts_tree_cursor_current_field_id(&c) != fld[F_TYPE])
				add_local(w, k, from, to);
		} else if (kid != N_SCOPED_IDENTIFIER && kid != N_GENERIC_TYPE &&
			   kid != N_MACRO_INVOCATION && ts_node_named_child_count(k) &&
			   ts_tree_cursor_current_field_id(&c) != fld[F_CONDITION]) {
			/* not into match guards: if check(x) binds nothing */
			descend = true;
		}
		if (descend && ts_tree_cursor_goto_first_child(&c)) {
			depth++;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (--depth == 0 || !ts_tree_cursor_goto_parent(&c))
				goto done;
		}
	}
done:
	ts_tree_cursor_delete(&c);
}

/* Parameters (of a fn or closure) become locals of the body. */
static void parameter_locals(struct walker *w, TSNode list, uint32_t to)
{
	uint32_t from = ts_node_end_byte(list);
	TSTreeCursor c = ts_tree_cursor_new(list);
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			TSNode k = ts_tree_cursor_current_node(&c);
			if (!ts_node_is_named(k))
				continue;
			if (nid(k) == N_PARAMETER)
				pattern_locals(w, field(k, F_PATTERN), from, to);
			else if (nid(list) == N_CLOSURE_PARAMETERS)
				pattern_locals(w, k, from, to);
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
}

/* ---- definitions -------------------------------------------------------- */

static void on_function(struct walker *w, TSNode n, uint32_t depth, bool body)
{
	TSNode name = field(n, F_NAME);
	if (ts_node_is_null(name))
		return;
	int kind = SK_FUNCTION;
	if (w->nsc && (w->sc[w->nsc - 1].kind == SC_IMPL || w->sc[w->nsc - 1].kind == SC_TRAIT))
		kind = SK_METHOD;
	if (!body)
		kind = SK_PROTOTYPE;
	uint32_t bases = 0;
	if (kind == SK_METHOD && w->sc[w->nsc - 1].kind == SC_IMPL)
		bases = w->impls[w->sc[w->nsc - 1].sym].trait;
	int32_t s = add_sym(w, name, 0, kind, n, bases);
	if (!body)
		return;
	uint32_t a = ts_node_start_byte(name);
	push_scope(w, depth, s, SC_FUNC, w->src + a, ts_node_end_byte(name) - a);
}

/* trait X: A + B<T> { ... }: bases "A,B". */
static void on_trait(struct walker *w, TSNode n, uint32_t depth)
{
	TSNode name = field(n, F_NAME), bl = field(n, F_BOUNDS);
	if (ts_node_is_null(name))
		return;
	size_t nb = 0;
	if (!ts_node_is_null(bl)) {
		TSTreeCursor c = ts_tree_cursor_new(bl);
		if (ts_tree_cursor_goto_first_child(&c)) {
			do {
				TSNode k = ts_tree_cursor_current_node(&c);
				int id = nid(k);
				if (id != N_TYPE_IDENTIFIER && id != N_SCOPED_TYPE_IDENTIFIER &&
				    id != N_GENERIC_TYPE && id != N_HIGHER_RANKED_BOUND)
					continue; /* lifetimes, ?Sized */
				if (nb) {
					ARRAY_GROW(w->scratch, w->scratch_cap, nb + 1);
					w->scratch[nb++] = ',';
				}
				append_path(w, &nb, k);
			} while (ts_tree_cursor_goto_next_sibling(&c));
		}
		ts_tree_cursor_delete(&c);
	}
	uint32_t bases = nb ? xresult_str(w->out, w->scratch, nb) : 0;
	int32_t s = add_sym(w, name, 0, SK_TRAIT, n, bases);
	uint32_t a = ts_node_start_byte(name);
	push_scope(w, depth, s, SC_TRAIT, w->src + a, ts_node_end_byte(name) - a);
}

/* impl [Trait for] Type { ... }: its fns are methods scoped by Type (with
 * Trait as their bases: the trait whose methods they implement). */
static void on_impl(struct walker *w, TSNode n, uint32_t depth)
{
	TSNode t = field(n, F_TYPE);
	size_t len = 0;
	if (!ts_node_is_null(t))
		append_path(w, &len, t);
	if (!len)
		return;
	ARRAY_GROW(w->impls, w->impls_cap, w->nimpls + 1);
	push_scope(w, depth, (int32_t)w->nimpls, SC_IMPL, w->scratch, len);
	struct impl *im = &w->impls[w->nimpls++];
	im->type = cur_scope(w);
	im->trait = 0;
	TSNode tr = field(n, F_TRAIT);
	if (!ts_node_is_null(tr)) {
		len = 0;
		append_path(w, &len, tr);
		im->trait = xresult_str(w->out, w->scratch, len);
	}
}

/* enum X { A, B(..), C {..} }: the enum and its variants. */
static void on_enum(struct walker *w, TSNode n, uint32_t depth)
{
	TSNode name = field(n, F_NAME), body = field(n, F_BODY);
	if (ts_node_is_null(name))
		return;
	int32_t s = add_sym(w, name, 0, SK_ENUM, n, 0);
	if (ts_node_is_null(body))
		return;
	uint32_t a = ts_node_start_byte(name);
	push_scope(w, depth, s, SC_ENUM, w->src + a, ts_node_end_byte(name) - a);
	TSTreeCursor c = ts_tree_cursor_new(body);
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			TSNode k = ts_tree_cursor_current_node(&c);
			TSNode vn = field(k, F_NAME);
			if (nid(k) == N_ENUM_VARIANT && !ts_node_is_null(vn))
				add_sym(w, vn, 0, SK_ENUMERATOR, k, 0);
		} while (ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
}

/* ---- imports ------------------------------------------------------------ */

static void add_import(struct walker *w, TSNode at, size_t mod_len, uint32_t name,
		       uint32_t alias)
{
	struct ximport im = { 0 };
	im.module = xresult_str(w->out, w->scratch, mod_len);
	im.name = name;
	im.alias = alias;
	im.line = ts_line(ts_node_start_point(at));
	xresult_add_import(w->out, &im);
}

/* One use tree below module prefix scratch[0, pre): a::b, a::b as c,
 * a::*, a::{...}, self. */
static void use_tree(struct walker *w, TSNode t, size_t pre, TSNode alias)
{
	size_t n = pre;
	int id = nid(t);
	uint32_t al = 0;
	if (!ts_node_is_null(alias) && id != N_USE_AS_CLAUSE)
		al = xresult_node_str(w->out, alias, w->src);
	switch (id) {
	case N_SCOPED_IDENTIFIER: {
		TSNode p = field(t, F_PATH), name = field(t, F_NAME);
		if (ts_node_is_null(name))
			return;
		if (!ts_node_is_null(p)) {
			if (n) {
				ARRAY_GROW(w->scratch, w->scratch_cap, n + 1);
				w->scratch[n++] = '.';
			}
			append_node(w, &n, p);
		}
		add_import(w, t, n, xresult_node_str(w->out, name, w->src), al);
		return;
	}
	case N_IDENTIFIER:
	case N_CRATE:
	case N_SUPER:
	case N_METAVARIABLE:
		if (!n) {
			/* use foo; use foo as bar; */
			append_node(w, &n, t);
			add_import(w, t, n, 0, al);
		} else {
			add_import(w, t, n, xresult_node_str(w->out, t, w->src), al);
		}
		return;
	case N_SELF: {
		/* a::b::{self}: the module a::b itself */
		while (n > 0 && w->scratch[n - 1] != '.')
			n--;
		uint32_t name = 0;
		if (n > 0) {
			name = xresult_str(w->out, w->scratch + n, pre - n);
			n--;
		} else {
			n = pre;
		}
		add_import(w, t, n, name, al);
		return;
	}
	case N_USE_AS_CLAUSE: {
		TSNode p = field(t, F_PATH);
		if (!ts_node_is_null(p))
			use_tree(w, p, pre, field(t, F_ALIAS));
		return;
	}
	case N_USE_WILDCARD: {
		TSNode p = ts_node_named_child(t, 0);
		if (!ts_node_is_null(p)) {
			if (n) {
				ARRAY_GROW(w->scratch, w->scratch_cap, n + 1);
				w->scratch[n++] = '.';
			}
			append_node(w, &n, p);
		}
		add_import(w, t, n, xresult_str(w->out, "*", 1), 0);
		return;
	}
	case N_SCOPED_USE_LIST: {
		TSNode p = field(t, F_PATH), list = field(t, F_LIST);
		if (!ts_node_is_null(p)) {
			if (n) {
				ARRAY_GROW(w->scratch, w->scratch_cap, n + 1);
				w->scratch[n++] = '.';
			}
			append_node(w, &n, p);
		}
		if (!ts_node_is_null(list))
			use_tree(w, list, n, (TSNode){ 0 });
		return;
	}
	case N_USE_LIST: {
		TSTreeCursor c = ts_tree_cursor_new(t);
		if (ts_tree_cursor_goto_first_child(&c)) {
			do {
				TSNode k = ts_tree_cursor_current_node(&c);
				if (ts_node_is_named(k))
					use_tree(w, k, pre, (TSNode){ 0 });
			} while (ts_tree_cursor_goto_next_sibling(&c));
		}
		ts_tree_cursor_delete(&c);
		return;
	}
	}
}

/* ---- calls -------------------------------------------------------------- */

/* The callee string name + "!" of a macro. */
static uint32_t macro_name(struct walker *w, uint32_t a, uint32_t b)
{
	ARRAY_GROW(w->scratch, w->scratch_cap, b - a + 1);
	memcpy(w->scratch, w->src + a, b - a);
	w->scratch[b - a] = '!';
	return xresult_str(w->out, w->scratch, b - a + 1);
}

/* A call through path p::name (p::name(), p::name!()). */
static void scoped_call(struct walker *w, TSNode p, uint32_t callee, TSPoint at, int flags)
{
	size_t n = 0;
	if (!ts_node_is_null(p))
		append_path(w, &n, p);
	/* self::f() is the module's own f: an unqualified call */
	if (n >= 4 && !memcmp(w->scratch, "self", 4) && (n == 4 || w->scratch[4] == '.')) {
		size_t skip = n == 4 ? 4 : 5;
		memmove(w->scratch, w->scratch + skip, n - skip);
		n -= skip;
	}
	if (!n) {
		add_call(w, callee, at, 0, flags);
		return;
	}
	if (n > 128)
		n = 128;
	flags |= CALL_SCOPED;
	if (n == 4 && !memcmp(w->scratch, "Self", 4))
		flags |= CALL_SELF;
	add_call(w, callee, at, xresult_str(w->out, w->scratch, n), flags);
}

/* A call of callee expression f; at: where a call of a call's result is
 * placed (its arguments); flags so far. */
static void on_callee(struct walker *w, TSNode f, TSPoint at, bool use_at, int flags)
{
	for (int guard = 0; guard < 32 && !ts_node_is_null(f); guard++) {
		switch (nid(f)) {
		case N_IDENTIFIER: {
			uint32_t a = ts_node_start_byte(f), b = ts_node_end_byte(f);
			if (!(flags & CALL_DYNAMIC) && is_local(w, a, b))
				flags |= CALL_DYNAMIC;
			add_call(w, xresult_node_str(w->out, f, w->src),
				 use_at ? at : ts_node_start_point(f), 0, flags);
			return;
		}
		case N_FIELD_EXPRESSION: {
			TSNode name = field(f, F_FIELD), obj = field(f, F_VALUE);
			if (ts_node_is_null(name) || ts_node_is_null(obj) ||
			    nid(name) != N_FIELD_IDENTIFIER)
				return;
			int how = flags & CALL_DYNAMIC ? 0 : nid(obj) == N_SELF ? CALL_SELF : CALL_MEMBER;
			uint32_t r = xresult_path_str(w->out, w->src, ts_node_start_byte(obj),
						      ts_node_end_byte(obj));
			add_call(w, xresult_node_str(w->out, name, w->src),
				 use_at ? at : ts_node_start_point(name), r, flags | how);
			return;
		}
		case N_SCOPED_IDENTIFIER: {
			TSNode name = field(f, F_NAME);
			if (ts_node_is_null(name) || nid(name) != N_IDENTIFIER)
				return;
			scoped_call(w, field(f, F_PATH), xresult_node_str(w->out, name, w->src),
				    use_at ? at : ts_node_start_point(name), flags);
			return;
		}
		case N_GENERIC_FUNCTION:
			f = field(f, F_FUNCTION);
			break;
		case N_PAREN_EXPR:
		case N_INDEX_EXPR:
			/* (self.callback)(x), (f)(x), handlers[k](x): through a value */
			f = ts_node_named_child(f, 0);
			if (ts_node_is_null(f) ||
			    (nid(f) != N_IDENTIFIER && nid(f) != N_FIELD_EXPRESSION))
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
			return; /* closures called in place, literals */
		}
	}
}

static void on_macro(struct walker *w, TSNode n)
{
	TSNode m = field(n, F_MACRO);
	if (ts_node_is_null(m))
		return;
	if (nid(m) == N_SCOPED_IDENTIFIER) {
		TSNode name = field(m, F_NAME);
		if (ts_node_is_null(name))
			return;
		scoped_call(w, field(m, F_PATH),
			    macro_name(w, ts_node_start_byte(name), ts_node_end_byte(name)),
			    ts_node_start_point(name), 0);
		return;
	}
	add_call(w, macro_name(w, ts_node_start_byte(m), ts_node_end_byte(m)),
		 ts_node_start_point(m), 0, 0);
}

/* Calls in a macro's arguments, which the grammar leaves as tokens:
 * NAME (...) is a call, NAME ! (...) a macro invocation; a path or a
 * receiver chain before NAME ("a::b::", "x.y.") qualifies it. Returns
 * whether tt holds token trees (to visit them too). */
#define TT_RING 32
static bool scan_token_tree(struct walker *w, TSNode tt)
{
	TSNode ring[TT_RING];
	unsigned k = 0;
	bool nested = false;
	TSTreeCursor c = ts_tree_cursor_new(tt);
	if (!ts_tree_cursor_goto_first_child(&c)) {
		ts_tree_cursor_delete(&c);
		return false;
	}
	do {
		TSNode cur = ts_tree_cursor_current_node(&c);
		ring[k % TT_RING] = cur;
		k++;
		if (nid(cur) != N_TOKEN_TREE)
			continue;
		nested = true;
		if (k < 2)
			continue;
		TSNode prev = ring[(k - 2) % TT_RING];
		uint32_t pa = ts_node_start_byte(prev);
		bool bang = !ts_node_is_named(prev) && ts_node_end_byte(prev) == pa + 1 &&
			    w->src[pa] == '!';
		unsigned ni = bang ? k - 3 : k - 2; /* the name's index */
		if ((bang && k < 3) || k - ni > TT_RING - 1)
			continue;
		TSNode name = ring[ni % TT_RING];
		if (nid(name) != N_IDENTIFIER)
			continue;
		if (!bang && w->src[ts_node_start_byte(cur)] != '(')
			continue;
		uint32_t a = ts_node_start_byte(name), b = ts_node_end_byte(name);
		uint32_t callee = bang ? macro_name(w, a, b) : xresult_node_str(w->out, name, w->src);
		TSPoint at = ts_node_start_point(name);
		/* the qualifier: NAME preceded by "." or "::" */
		unsigned j = ni, first = ni;
		bool dot = false, sep = false;
		while (j > 0 && ni - j < TT_RING - 8) {
			TSNode s = ring[(j - 1) % TT_RING];
			uint32_t sa = ts_node_start_byte(s), sb = ts_node_end_byte(s);
			if (ts_node_is_named(s) || !((sb - sa == 1 && w->src[sa] == '.') ||
						     (sb - sa == 2 && w->src[sa] == ':')))
				break;
			if (j < 2)
				break;
			TSNode q = ring[(j - 2) % TT_RING];
			unsigned qi = j - 2;
			if (nid(q) == N_TOKEN_TREE && qi > 0) {
				/* a.b().c(): the call's arguments belong to the receiver */
				q = ring[(qi - 1) % TT_RING];
				qi--;
			}
			int qid = nid(q);
			if (qid != N_IDENTIFIER && qid != N_SELF && qid != N_SUPER && qid != N_CRATE &&
			    qid != N_INTEGER && qid != N_PRIMITIVE_TYPE)
				break;
			if (!sep)
				dot = w->src[sa] == '.';
			sep = true;
			first = qi;
			j = qi;
		}
		if (!sep) {
			int flags = !bang && is_local(w, a, b) ? CALL_DYNAMIC : 0;
			add_call(w, callee, at, 0, flags);
			continue;
		}
		TSNode fq = ring[first % TT_RING];
		TSNode sepn = ring[(ni - 1) % TT_RING];
		uint32_t ra = ts_node_start_byte(fq), rb = ts_node_start_byte(sepn);
		if (dot) {
			bool self = rb - ra == 4 && !memcmp(w->src + ra, "self", 4);
			add_call(w, callee, at, xresult_path_str(w->out, w->src, ra, rb),
				 self ? CALL_SELF : CALL_MEMBER);
		} else {
			/* rebuild through scoped_call's rules: self:: dropped, Self */
			size_t n = 0;
			append_text(w, &n, ra, rb);
			size_t skip = n >= 4 && !memcmp(w->scratch, "self", 4) &&
						      (n == 4 || w->scratch[4] == '.')
					      ? (n == 4 ? 4 : 5)
					      : 0;
			int flags = CALL_SCOPED;
			if (n - skip == 4 && !memcmp(w->scratch + skip, "Self", 4))
				flags |= CALL_SELF;
			if (n == skip)
				add_call(w, callee, at, 0, 0);
			else
				add_call(w, callee, at,
					 xresult_str(w->out, w->scratch + skip,
						     n - skip > 128 ? 128 : n - skip),
					 flags);
		}
	} while (ts_tree_cursor_goto_next_sibling(&c));
	ts_tree_cursor_delete(&c);
	return nested;
}

static bool in_function(const struct walker *w)
{
	for (size_t i = 0; i < w->nsc; i++)
		if (w->sc[i].kind == SC_FUNC)
			return true;
	return false;
}

/* Calls the parser could not finish, in a function: self.go( ; with the
 * "(" in an ERROR after the callee, or a name followed by "(" in one. */
static bool callee_like(TSNode k)
{
	int id = nid(k);
	return id == N_IDENTIFIER || id == N_FIELD_EXPRESSION || id == N_SCOPED_IDENTIFIER ||
	       id == N_GENERIC_FUNCTION;
}

static void error_calls(struct walker *w, TSNode n)
{
	if (!in_function(w))
		return;
	uint32_t a = ts_node_start_byte(n);
	if (a < w->len && w->src[a] == '(') {
		TSNode prev = ts_node_prev_sibling(n);
		if (!ts_node_is_null(prev) && callee_like(prev) && ts_node_end_byte(prev) == a)
			on_callee(w, prev, ts_node_start_point(n), false, 0);
	}
	TSTreeCursor c = ts_tree_cursor_new(n);
	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			TSNode k = ts_tree_cursor_current_node(&c);
			if (!callee_like(k))
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
	switch (tab.node_id[s] - 1) {
	case N_FUNCTION_ITEM:
		on_function(w, n, depth, true);
		return true;
	case N_FUNCTION_SIGNATURE_ITEM:
		on_function(w, n, depth, false);
		return false;
	case N_IMPL_ITEM:
		on_impl(w, n, depth);
		return true;
	case N_TRAIT_ITEM:
		on_trait(w, n, depth);
		return true;
	case N_STRUCT_ITEM:
	case N_UNION_ITEM:
	case N_TYPE_ITEM: {
		TSNode name = field(n, F_NAME);
		int kind = tab.node_id[s] - 1 == N_STRUCT_ITEM  ? SK_STRUCT
			   : tab.node_id[s] - 1 == N_UNION_ITEM ? SK_UNION
							    : SK_TYPEDEF;
		if (!ts_node_is_null(name))
			add_sym(w, name, 0, kind, n, 0);
		return false;
	}
	case N_ENUM_ITEM:
		on_enum(w, n, depth);
		return false;
	case N_MOD_ITEM: {
		TSNode name = field(n, F_NAME);
		if (ts_node_is_null(name))
			return true;
		int32_t sy = add_sym(w, name, 0, SK_MODULE, n, 0);
		uint32_t a = ts_node_start_byte(name);
		push_scope(w, depth, sy, SC_MOD, w->src + a, ts_node_end_byte(name) - a);
		return true;
	}
	case N_MACRO_DEFINITION: {
		TSNode name = field(n, F_NAME);
		if (!ts_node_is_null(name))
			add_sym(w, name,
				macro_name(w, ts_node_start_byte(name), ts_node_end_byte(name)),
				SK_FMACRO, n, 0);
		return false;
	}
	case N_CONST_ITEM:
	case N_STATIC_ITEM:
		if (!in_function(w)) {
			TSNode name = field(n, F_NAME);
			if (!ts_node_is_null(name))
				add_sym(w, name, 0, SK_VARIABLE, n, 0);
		}
		return true;
	case N_USE_DECLARATION: {
		TSNode arg = field(n, F_ARGUMENT);
		if (!ts_node_is_null(arg))
			use_tree(w, arg, 0, (TSNode){ 0 });
		return false;
	}
	case N_EXTERN_CRATE: {
		TSNode name = field(n, F_NAME);
		size_t len = 0;
		if (ts_node_is_null(name))
			return false;
		append_node(w, &len, name);
		TSNode alias = field(n, F_ALIAS);
		add_import(w, n, len, 0,
			   ts_node_is_null(alias) ? 0 : xresult_node_str(w->out, alias, w->src));
		return false;
	}
	case N_CALL:
		on_callee(w, field(n, F_FUNCTION), ts_node_start_point(n), false, 0);
		return true;
	case N_MACRO_INVOCATION:
		on_macro(w, n);
		return true;
	case N_TOKEN_TREE:
		return scan_token_tree(w, n);
	case N_LET_DECLARATION:
		pattern_locals(w, field(n, F_PATTERN), ts_node_end_byte(n), visible_to(w, depth));
		return true;
	case N_PARAMETERS:
		if (depth && nid(w->anc[depth - 1]) == N_FUNCTION_ITEM)
			parameter_locals(w, n, ts_node_end_byte(w->anc[depth - 1]));
		return false;
	case N_CLOSURE_PARAMETERS:
		if (depth)
			parameter_locals(w, n, ts_node_end_byte(w->anc[depth - 1]));
		return false;
	case N_FOR:
	case N_MATCH_ARM: {
		TSNode p = field(n, F_PATTERN);
		if (!ts_node_is_null(p))
			pattern_locals(w, p, ts_node_end_byte(p), ts_node_end_byte(n));
		return true;
	}
	case N_LET_CONDITION:
		pattern_locals(w, field(n, F_PATTERN), ts_node_end_byte(n), visible_to(w, depth));
		return true;
	}
	return true;
}

/* Methods and calls of an impl block get the impl's type as their parent or
 * caller when the file defines it. */
static void link_impls(struct walker *w)
{
	struct xresult *r = w->out;
	uint32_t last_impl = UINT32_MAX;
	int32_t target = -1;
	for (size_t i = 0; i < w->nrefs; i++) {
		const struct impl_ref *ref = &w->refs[i];
		if (ref->impl != last_impl) {
			const char *q = xstr(r, w->impls[ref->impl].type);
			size_t ql = strlen(q);
			last_impl = ref->impl;
			target = -1;
			for (size_t k = 0; k < r->nsyms && target < 0; k++) {
				const struct xsym *t = &r->syms[k];
				if (t->kind != SK_STRUCT && t->kind != SK_ENUM && t->kind != SK_UNION &&
				    t->kind != SK_TYPEDEF)
					continue;
				const char *sc = xstr(r, t->scope), *nm = xstr(r, t->name);
				size_t sl = strlen(sc), nl = strlen(nm);
				if (sl ? (sl + 1 + nl == ql && !memcmp(q, sc, sl) && q[sl] == '.' &&
					  !memcmp(q + sl + 1, nm, nl))
				       : (nl == ql && !memcmp(q, nm, nl)))
					target = (int32_t)k;
			}
		}
		if (target < 0)
			continue;
		if (ref->call)
			r->calls[ref->index].caller = target;
		else
			r->syms[ref->index].parent = target;
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

void lang_rust_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	struct walker w = { 0 };
	pthread_once(&init_once, init_tables);
	w.src = src;
	w.len = (uint32_t)len;
	w.out = out;

	lang_walk(ts_tree_root_node(tree), step, &w);
	link_impls(&w);
	out->parse_errors = ts_count_errors(ts_tree_root_node(tree));
	free(w.anc);
	free(w.sc);
	free(w.chain.s);
	free(w.loc.v);
	free(w.impls);
	free(w.refs);
	free(w.scratch);
}
