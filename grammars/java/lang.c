/* grammars/java/lang.c — Java extraction: types and methods with their
 * nesting, call sites with their receivers, imports and the package, from a
 * tree-sitter-java tree in one cursor walk. See README.md. */
#include "lang.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- grammar symbols, looked up once ------------------------------------ */

enum {
	N_PACKAGE, N_IMPORT, N_CLASS, N_INTERFACE, N_ENUM, N_RECORD, N_ANNOTATION_TYPE,
	N_METHOD, N_CONSTRUCTOR, N_COMPACT_CONSTRUCTOR, N_ENUM_CONSTANT, N_CLASS_BODY,
	N_METHOD_INVOCATION, N_CONSTRUCTOR_INVOCATION, N_OBJECT_CREATION, N_SUPERCLASS,
	N_SUPER_INTERFACES, N_EXTENDS_INTERFACES, N_TYPE_LIST, N_TYPE_IDENTIFIER,
	N_SCOPED_TYPE_IDENTIFIER, N_GENERIC_TYPE, N_IDENTIFIER, N_SCOPED_IDENTIFIER, N_ASTERISK,
	N_THIS, N_SUPER, N_LINE_COMMENT, N_BLOCK_COMMENT, N_STRING, N_TYPE_PARAMETERS,
	N_ANNOTATION_ELEMENT,
	N__COUNT
};

static const char *const node_names[N__COUNT] = {
	[N_PACKAGE] = "package_declaration",
	[N_IMPORT] = "import_declaration",
	[N_CLASS] = "class_declaration",
	[N_INTERFACE] = "interface_declaration",
	[N_ENUM] = "enum_declaration",
	[N_RECORD] = "record_declaration",
	[N_ANNOTATION_TYPE] = "annotation_type_declaration",
	[N_METHOD] = "method_declaration",
	[N_CONSTRUCTOR] = "constructor_declaration",
	[N_COMPACT_CONSTRUCTOR] = "compact_constructor_declaration",
	[N_ENUM_CONSTANT] = "enum_constant",
	[N_CLASS_BODY] = "class_body",
	[N_METHOD_INVOCATION] = "method_invocation",
	[N_CONSTRUCTOR_INVOCATION] = "explicit_constructor_invocation",
	[N_OBJECT_CREATION] = "object_creation_expression",
	[N_SUPERCLASS] = "superclass",
	[N_SUPER_INTERFACES] = "super_interfaces",
	[N_EXTENDS_INTERFACES] = "extends_interfaces",
	[N_TYPE_LIST] = "type_list",
	[N_TYPE_IDENTIFIER] = "type_identifier",
	[N_SCOPED_TYPE_IDENTIFIER] = "scoped_type_identifier",
	[N_GENERIC_TYPE] = "generic_type",
	[N_IDENTIFIER] = "identifier",
	[N_SCOPED_IDENTIFIER] = "scoped_identifier",
	[N_ASTERISK] = "asterisk",
	[N_THIS] = "this",
	[N_SUPER] = "super",
	[N_LINE_COMMENT] = "line_comment",
	[N_BLOCK_COMMENT] = "block_comment",
	[N_STRING] = "string_literal",
	[N_TYPE_PARAMETERS] = "type_parameters",
	[N_ANNOTATION_ELEMENT] = "annotation_type_element_declaration",
};

enum { F_NAME, F_BODY, F_OBJECT, F_CONSTRUCTOR, F_TYPE, F__COUNT };
static const char *const field_names[F__COUNT] = {
	[F_NAME] = "name", [F_BODY] = "body", [F_OBJECT] = "object",
	[F_CONSTRUCTOR] = "constructor", [F_TYPE] = "type",
};

enum { A_DESCEND, A_SKIP, A_SPECIAL };

static TSFieldId fld[F__COUNT];
static uint8_t *action;   /* per TSSymbol: A_* */
static uint8_t *node_id;  /* per TSSymbol: N_* + 1, or 0 */
static uint32_t nsymbols;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_tables(void)
{
	const TSLanguage *l = tree_sitter_java();
	nsymbols = ts_language_symbol_count(l);
	action = calloc(nsymbols, 1);
	node_id = calloc(nsymbols, 1);
	if (!action || !node_id)
		abort();
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
		switch (node_id[i] - 1) {
		case N_IDENTIFIER: case N_TYPE_IDENTIFIER: case N_LINE_COMMENT:
		case N_BLOCK_COMMENT: case N_STRING: case N_THIS: case N_SUPER:
		case N_TYPE_PARAMETERS:
			action[i] = A_SKIP;
			break;
		case N_PACKAGE: case N_IMPORT: case N_CLASS: case N_INTERFACE: case N_ENUM:
		case N_RECORD: case N_ANNOTATION_TYPE: case N_METHOD: case N_CONSTRUCTOR:
		case N_COMPACT_CONSTRUCTOR: case N_ENUM_CONSTANT: case N_CLASS_BODY:
		case N_METHOD_INVOCATION: case N_CONSTRUCTOR_INVOCATION: case N_OBJECT_CREATION:
		case N_ANNOTATION_ELEMENT:
			action[i] = A_SPECIAL;
			break;
		default:
			break;
		}
	}
	for (int i = 0; i < F__COUNT; i++)
		fld[i] = ts_language_field_id_for_name(l, field_names[i],
						       (uint32_t)strlen(field_names[i]));
}

static inline int nid(TSNode n)
{
	TSSymbol s = ts_node_symbol(n);
	return s < nsymbols ? node_id[s] - 1 : -1;
}

static inline TSNode field_child(TSNode n, int f)
{
	return ts_node_child_by_field_id(n, fld[f]);
}

/* The first named child of n of node kind k. */
static TSNode child_of_kind(TSNode n, int k)
{
	uint32_t nc = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < nc; i++) {
		TSNode c = ts_node_named_child(n, i);
		if (nid(c) == k)
			return c;
	}
	return (TSNode){ 0 };
}

/* ---- walker state ------------------------------------------------------- */

enum scope_kind {
	SC_TYPE,  /* class/interface/enum/record body (sym -1: anonymous class) */
	SC_FUNC,  /* method or constructor body: calls inside belong to sym */
};

struct scope {
	uint32_t depth;   /* tree depth of the node that opened it */
	int32_t sym;      /* its symbol, or -1 (anonymous class) */
	uint32_t qname;   /* "scope.name" of sym for what nests inside; UINT32_MAX: not yet */
	uint32_t super;   /* SC_TYPE: the superclass's simple name, 0 = none */
	uint8_t kind;
};

struct walker {
	const char *src;
	struct xresult *out;
	struct scope *sc;
	size_t nsc, sc_cap;
	char *buf;         /* scratch for names */
	size_t buf_len, buf_cap;
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

/* Where the last "."-separated component of the scratch buffer starts. */
static size_t last_component(const struct walker *w)
{
	size_t k = w->buf_len;
	while (k > 0 && w->buf[k - 1] != '.')
		k--;
	return k;
}

/* Append the type or name written in src[a, b) without whitespace,
 * generic arguments and annotations: "java.util.Map<K, V>" -> "java.util.Map". */
static void buf_type(struct walker *w, uint32_t a, uint32_t b)
{
	int angle = 0;
	for (uint32_t i = a; i < b; i++) {
		char c = w->src[i];
		if (c == '<') {
			angle++;
		} else if (c == '>') {
			angle--;
		} else if (c == '@') {
			/* @Ann or @a.b.Ann(...) before a component */
			i++;
			while (i < b && (w->src[i] == '.' || w->src[i] == '_' ||
					 (w->src[i] >= '0' && w->src[i] <= '9') ||
					 ((w->src[i] | 0x20) >= 'a' && (w->src[i] | 0x20) <= 'z')))
				i++;
			if (i < b && w->src[i] == '(') {
				int d = 0;
				for (; i < b; i++)
					if (w->src[i] == '(')
						d++;
					else if (w->src[i] == ')' && --d == 0)
						break;
			} else {
				i--;
			}
		} else if (!angle && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			buf_put(w, &c, 1);
		}
	}
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
		const char *sc = xstr(w->out, s->scope), *nm = xstr(w->out, s->name);
		w->buf_len = 0;
		buf_put(w, sc, strlen(sc));
		if (w->buf_len)
			buf_put(w, ".", 1);
		buf_put(w, nm, strlen(nm));
		e->qname = xresult_str(w->out, w->buf, w->buf_len);
	}
	return w->sc[i].qname;
}

static int32_t cur_parent(const struct walker *w)
{
	for (size_t i = w->nsc; i-- > 0;)
		if (w->sc[i].sym >= 0)
			return w->sc[i].sym;
	return -1;
}

/* The innermost named type (for this(...) and super(...)), or NULL. */
static const struct scope *cur_class(const struct walker *w)
{
	for (size_t i = w->nsc; i-- > 0;)
		if (w->sc[i].kind == SC_TYPE)
			return w->sc[i].sym >= 0 ? &w->sc[i] : NULL;
	return NULL;
}

static void push_scope(struct walker *w, uint32_t depth, int32_t s, int kind)
{
	if (w->nsc == w->sc_cap) {
		w->sc_cap = w->sc_cap ? w->sc_cap * 2 : 32;
		w->sc = realloc(w->sc, w->sc_cap * sizeof(*w->sc));
		if (!w->sc)
			abort();
	}
	w->sc[w->nsc++] = (struct scope){ depth, s, UINT32_MAX, 0, (uint8_t)kind };
}

/* ---- definitions -------------------------------------------------------- */

static int32_t add_sym(struct walker *w, TSNode name, int kind, TSNode whole)
{
	struct xsym s = { 0 };
	TSPoint p = ts_node_start_point(name), e = ts_node_end_point(whole);
	s.scope = w->nsc ? scope_qname(w, w->nsc - 1) : 0;
	s.name = xresult_node_str(w->out, name, w->src);
	s.kind = (uint8_t)kind;
	s.line = ts_line(p);
	s.col = ts_col(p);
	s.end_line = e.row + 1;
	s.end_col = e.column;
	s.parent = cur_parent(w);
	return xresult_add_sym(w->out, &s);
}

/* Append the types of a superclass / super_interfaces / extends_interfaces
 * clause, separated by ",". */
static void buf_bases(struct walker *w, TSNode clause)
{
	if (ts_node_is_null(clause))
		return;
	TSNode list = child_of_kind(clause, N_TYPE_LIST);
	if (ts_node_is_null(list))
		list = clause; /* superclass: the type itself */
	uint32_t nc = ts_node_named_child_count(list);
	for (uint32_t i = 0; i < nc; i++) {
		TSNode t = ts_node_named_child(list, i);
		int k = nid(t);
		if (k != N_TYPE_IDENTIFIER && k != N_SCOPED_TYPE_IDENTIFIER && k != N_GENERIC_TYPE)
			continue;
		if (w->buf_len)
			buf_put(w, ",", 1);
		buf_type(w, ts_node_start_byte(t), ts_node_end_byte(t));
	}
}

/* class/interface/enum/record n: a type, its body a scope. */
static void on_type(struct walker *w, TSNode n, uint32_t depth, int kind)
{
	TSNode name = field_child(n, F_NAME);
	if (ts_node_is_null(name))
		return;
	int32_t s = add_sym(w, name, kind, n);
	TSNode sup = child_of_kind(n, N_SUPERCLASS);
	uint32_t super = 0;
	w->buf_len = 0;
	buf_bases(w, sup);
	if (w->buf_len) {
		/* super(...) calls the superclass's constructor: its simple name */
		size_t k = last_component(w);
		super = xresult_str(w->out, w->buf + k, w->buf_len - k);
	}
	buf_bases(w, child_of_kind(n, N_SUPER_INTERFACES));
	buf_bases(w, child_of_kind(n, N_EXTENDS_INTERFACES));
	if (w->buf_len)
		w->out->syms[s].bases = xresult_str(w->out, w->buf, w->buf_len);
	push_scope(w, depth, s, SC_TYPE);
	w->sc[w->nsc - 1].super = super;
}

/* ---- calls -------------------------------------------------------------- */

static void add_call(struct walker *w, TSNode at, uint32_t callee, uint32_t receiver,
		     int flags)
{
	struct xcall c = { 0 };
	TSPoint p = ts_node_start_point(at);
	c.callee = callee;
	c.receiver = receiver;
	c.line = ts_line(p);
	c.col = ts_col(p);
	c.caller = cur_parent(w);
	c.flags = (uint8_t)flags;
	xresult_add_call(w->out, &c);
}

static inline bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The receiver of a call as written, whitespace removed (extract.h), at
 * most 128 bytes: "a.b", "repo.all()", "newItem()". Unlike
 * xresult_path_str, "->" stays: in Java it is a lambda's arrow. */
static uint32_t receiver_str(struct walker *w, TSNode obj)
{
	uint32_t a = ts_node_start_byte(obj), b = ts_node_end_byte(obj);
	w->buf_len = 0;
	for (uint32_t i = a; i < b && w->buf_len < 128; i++)
		if (!is_space(w->src[i]))
			buf_put(w, &w->src[i], 1);
	return xresult_str(w->out, w->buf, w->buf_len);
}

static void on_invocation(struct walker *w, TSNode n)
{
	TSNode name = field_child(n, F_NAME), obj = field_child(n, F_OBJECT);
	if (ts_node_is_null(name))
		return;
	uint32_t callee = xresult_node_str(w->out, name, w->src);
	if (ts_node_is_null(obj)) {
		add_call(w, name, callee, 0, 0);
		return;
	}
	int k = nid(obj);
	if (k == N_THIS) {
		add_call(w, name, callee, xresult_node_str(w->out, obj, w->src), CALL_SELF);
	} else if (k == N_SUPER || !ts_node_is_null(child_of_kind(n, N_SUPER))) {
		/* super.m(), Iface.super.m() */
		add_call(w, name, callee, xresult_str(w->out, "super", 5), CALL_SUPER);
	} else {
		add_call(w, name, callee, receiver_str(w, obj), CALL_MEMBER);
	}
}

/* this(...) and super(...): the constructors of this class and of its
 * superclass (Object when it names none). */
static void on_constructor_call(struct walker *w, TSNode n)
{
	TSNode c = field_child(n, F_CONSTRUCTOR);
	const struct scope *cls = cur_class(w);
	if (ts_node_is_null(c) || !cls)
		return;
	uint32_t recv = xresult_node_str(w->out, c, w->src);
	if (nid(c) == N_THIS)
		add_call(w, c, w->out->syms[cls->sym].name, recv, CALL_SELF);
	else
		add_call(w, c, cls->super ? cls->super : xresult_str(w->out, "Object", 6), recv,
			 CALL_SUPER);
}

/* new X(...), new a.b.X<T>(...), new X() { ... }: a constructor call of X. */
static void on_new(struct walker *w, TSNode n)
{
	TSNode t = field_child(n, F_TYPE);
	if (ts_node_is_null(t))
		return;
	if (nid(t) == N_GENERIC_TYPE)
		t = ts_node_named_child(t, 0);
	int k = nid(t);
	if (k != N_TYPE_IDENTIFIER && k != N_SCOPED_TYPE_IDENTIFIER)
		return;
	w->buf_len = 0;
	buf_type(w, ts_node_start_byte(t), ts_node_end_byte(t));
	size_t dot = last_component(w);
	/* the position of the last name: the last type_identifier */
	TSNode at = t;
	while (nid(at) == N_SCOPED_TYPE_IDENTIFIER) {
		uint32_t nc = ts_node_named_child_count(at);
		if (!nc)
			break;
		at = ts_node_named_child(at, nc - 1);
	}
	uint32_t recv = dot ? xresult_str(w->out, w->buf, dot - 1) : 0;
	add_call(w, at, xresult_str(w->out, w->buf + dot, w->buf_len - dot), recv,
		 dot ? CALL_NEW | CALL_MEMBER : CALL_NEW);
}

/* ---- imports and package ------------------------------------------------ */

/* The a.b.c of a package or import declaration (null if missing). */
static TSNode dotted_name(TSNode n)
{
	TSNode path = child_of_kind(n, N_SCOPED_IDENTIFIER);
	return ts_node_is_null(path) ? child_of_kind(n, N_IDENTIFIER) : path;
}

static void on_import(struct walker *w, TSNode n)
{
	TSNode path = dotted_name(n);
	if (ts_node_is_null(path))
		return;
	struct ximport im = { 0 };
	im.line = ts_line(ts_node_start_point(n));
	w->buf_len = 0;
	buf_type(w, ts_node_start_byte(path), ts_node_end_byte(path));
	if (!ts_node_is_null(child_of_kind(n, N_ASTERISK))) {
		/* import a.b.*; import static a.b.C.*; */
		im.module = xresult_str(w->out, w->buf, w->buf_len);
		im.name = xresult_str(w->out, "*", 1);
	} else {
		/* import a.b.C; import static a.b.C.m; */
		size_t dot = last_component(w);
		im.module = dot ? xresult_str(w->out, w->buf, dot - 1) : 0;
		im.name = xresult_str(w->out, w->buf + dot, w->buf_len - dot);
	}
	xresult_add_import(w->out, &im);
}

static void on_package(struct walker *w, TSNode n)
{
	TSNode path = dotted_name(n);
	if (ts_node_is_null(path))
		return;
	w->out->module = xresult_path_str(w->out, w->src, ts_node_start_byte(path),
					  ts_node_end_byte(path));
}

/* ---- the walk ----------------------------------------------------------- */

static bool visit(struct walker *w, TSNode n, TSSymbol s, uint32_t depth)
{
	if (s >= nsymbols || action[s] == A_DESCEND)
		return true;
	if (action[s] == A_SKIP)
		return false;
	switch (node_id[s] - 1) {
	case N_PACKAGE:
		on_package(w, n);
		return false;
	case N_IMPORT:
		on_import(w, n);
		return false;
	case N_CLASS:
	case N_RECORD:
		on_type(w, n, depth, SK_CLASS);
		return true;
	case N_INTERFACE:
	case N_ANNOTATION_TYPE:
		on_type(w, n, depth, SK_INTERFACE);
		return true;
	case N_ENUM:
		on_type(w, n, depth, SK_ENUM);
		return true;
	case N_METHOD:
	case N_CONSTRUCTOR:
	case N_COMPACT_CONSTRUCTOR:
	case N_ANNOTATION_ELEMENT: {
		TSNode name = field_child(n, F_NAME), body = field_child(n, F_BODY);
		if (ts_node_is_null(name))
			return true;
		/* abstract, interface and native methods have no body */
		int32_t sym = add_sym(w, name, ts_node_is_null(body) ? SK_PROTOTYPE : SK_METHOD, n);
		if (!ts_node_is_null(body))
			push_scope(w, depth, sym, SC_FUNC);
		return true;
	}
	case N_ENUM_CONSTANT: {
		TSNode name = field_child(n, F_NAME);
		if (!ts_node_is_null(name))
			add_sym(w, name, SK_ENUMERATOR, n);
		return true;
	}
	case N_CLASS_BODY:
		/* the body of an anonymous class (new X() { ... }) or of an enum
		 * constant: its methods are scoped by the enclosing definitions */
		if (!w->nsc || w->sc[w->nsc - 1].depth != depth - 1)
			push_scope(w, depth, -1, SC_TYPE);
		return true;
	case N_METHOD_INVOCATION:
		on_invocation(w, n);
		return true;
	case N_CONSTRUCTOR_INVOCATION:
		on_constructor_call(w, n);
		return true;
	case N_OBJECT_CREATION:
		on_new(w, n);
		return true;
	default:
		return true;
	}
}

void lang_java_extract(const TSTree *tree, const char *src, size_t len, struct xresult *out)
{
	struct walker w = { 0 };
	uint32_t depth = 0;
	(void)len;
	pthread_once(&init_once, init_tables);
	w.src = src;
	w.out = out;
	TSNode root = ts_tree_root_node(tree);
	out->parse_errors = ts_count_errors(root);

	TSTreeCursor c = ts_tree_cursor_new(root);
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		while (w.nsc && w.sc[w.nsc - 1].depth >= depth)
			w.nsc--;
		if (visit(&w, n, ts_node_symbol(n), depth) && ts_tree_cursor_goto_first_child(&c)) {
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
	free(w.sc);
	free(w.buf);
}
