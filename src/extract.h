/* extract.h — turn one file's bytes into definitions and call sites.
 *
 * An extractor owns an arena (tsarena.h) in which each file gets a TSParser
 * of its own, and is used by one thread at a time (each index worker has its
 * own). The result is a plain owned value so
 * that the cache tiers can keep it, serialize it and hand it to the writer. */
#ifndef CIDX_EXTRACT_H
#define CIDX_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

#include "minhash.h"

/* Bump whenever extraction output changes for the same input: stored results
 * made by another version are recomputed. */
#define CIDX_EXTRACTOR_VERSION 6

enum sym_kind {
	SK_FUNCTION,   /* a definition with a body */
	SK_PROTOTYPE,  /* a declaration of a function: never a definition or a caller */
	SK_STRUCT,
	SK_UNION,
	SK_ENUM,
	SK_TYPEDEF,
	SK_ENUMERATOR,
	SK_MACRO,      /* object-like #define */
	SK_FMACRO,     /* function-like #define */
	SK_VARIABLE,   /* file-scope variable */
	SK_METHOD,     /* a function with a body defined in a class/struct/impl/trait/interface */
	SK_CLASS,
	SK_INTERFACE,
	SK_TRAIT,
	SK_NAMESPACE,  /* C++ namespace, TypeScript namespace/module */
	SK_MODULE,     /* Rust mod, Go package clause, Java package declaration */
	SK__COUNT
};

/* Definitions with a body of code: callers, and what duplicate detection
 * fingerprints. */
static inline int sym_kind_has_body(int kind) { return kind == SK_FUNCTION || kind == SK_METHOD; }
/* Kinds a call can target in a language: functions and methods, function-like macros, and
 * types whose constructor a call runs (new X(), Python X(), C++ X{}). */
int sym_kind_callable(int kind, int lang);
/* Class-like kinds: what qualified names and self/this calls are scoped by. */
int sym_kind_is_type(int kind);

/* Stable names used in the database, the CLI and JSON ("function", ...). */
const char *sym_kind_name(int kind);
/* Returns the kind for a name, or -1. */
int sym_kind_from_name(const char *name);

#define SYM_STATIC 0x1   /* internal linkage: only visible in its own file */

/* Names and scopes. Every language writes qualified names with "." between
 * components, whatever its own separator (C++ and Rust "::"):
 *   scope  the enclosing classes/structs/impls/traits/namespaces/functions of
 *          a definition inside the file, outermost first: "Outer.Inner" for
 *          a method of Outer.Inner; "Server" for Go's func (s *Server) Start()
 *          and Rust's impl Server { fn start() }; "ns.Foo" for C++
 *          void ns::Foo::bar() {}. Empty at the top level of the file.
 *          The file's package/module is not part of it (see xresult.module).
 *   bases  for class-like definitions: the base classes, implemented
 *          interfaces and traits as written (qualified with "."), separated
 *          by ",", no spaces: "Base,pkg.Mixin". Generic arguments dropped. */

struct xsym {
	uint32_t name;      /* offset of the NUL-terminated name in xresult.strings */
	uint8_t kind;       /* enum sym_kind */
	uint8_t flags;      /* SYM_* */
	uint32_t line, col; /* 1-based start of the name */
	uint32_t end_line, end_col; /* 1-based end of the whole definition (inclusive line) */
	int32_t parent;     /* index of the enclosing symbol in xresult.syms, or -1 */
	uint32_t scope;     /* offset of the scope string, 0 = top level ("") */
	uint32_t bases;     /* offset of the bases string, 0 = none */
};

/* How a call was written. The receiver is the text before the callee name
 * (without the last "." / "->" / "::"), whitespace removed, "::" written
 * as ".": obj.save() -> "obj"; a.b.c() -> "a.b"; ns::Foo::f() -> "ns.Foo";
 * self.m() -> "self"; super().m() -> "super". Receivers longer than 128
 * bytes or that are not a chain of names (f().g(), x[1].g()) are stored
 * as written up to 128 bytes; resolution only uses name chains. */
#define CALL_DYNAMIC 0x01   /* through a value: C ops->open(x), (*fp)(x); handlers[k](),
			     * f()(), a call of a parameter or local variable */
#define CALL_MEMBER  0x02   /* recv.name(...) / recv->name(...): receiver is an expression
			     * (a value, or a module/class name: resolution decides) */
#define CALL_SCOPED  0x04   /* A::B::name(...) (C++, Rust): receiver is a static path */
#define CALL_NEW     0x08   /* constructor call: new X(...), C++ X{...}; callee is the type */
#define CALL_SELF    0x10   /* receiver is this/self/Self (this->m(), self.m(), Self::m()) */
#define CALL_SUPER   0x20   /* receiver is the base class: super.m(), super().m(), super::m() */

struct xcall {
	uint32_t callee;    /* offset of the callee name (for ops->open: "open") */
	uint32_t receiver;  /* offset of the receiver text ("ops"), or 0 = none */
	uint32_t line, col; /* 1-based position of the callee name */
	int32_t caller;     /* index of the innermost enclosing function, method or
			     * class (class-body code) in syms, or -1 (module/file level) */
	uint8_t flags;      /* CALL_* */
};

/* One imported binding of a file.
 *   Python  import a.b          module "a.b"  name ""     alias ""
 *           import a.b as c     module "a.b"  name ""     alias "c"
 *           from .m import f as g  module ".m" name "f"   alias "g"
 *           from m import *     module "m"    name "*"    alias ""
 *   JS/TS   import X from "./x"          module "./x" name "default" alias "X"
 *           import { a as b } from "./x" module "./x" name "a"       alias "b"
 *           import * as ns from "./x"    module "./x" name ""        alias "ns"
 *           const m = require("./x")     module "./x" name ""        alias "m"
 *           const { a } = require("./x") module "./x" name "a"       alias ""
 *   Go      import f "fmt"      module "fmt"  name ""     alias "f" (no alias: "")
 *   Java    import a.b.C;       module "a.b"  name "C"    alias ""
 *           import a.b.*;       module "a.b"  name "*"
 *           import static a.b.C.m;  module "a.b.C" name "m"
 *   Rust    use a::b::{c as d}; module "a.b"  name "c"    alias "d"
 *           use a::b;           module "a"    name "b"    alias ""
 *   C++     #include "x.h"      module "x.h"  name ""     (quotes/brackets dropped)
 *           using namespace std;  module "std" name "*"
 *           using std::vector;  module "std"  name "vector"
 * module is written with "." between components (Rust/C++ "::" become ".");
 * relative markers (Python leading dots, JS "./" "../") are kept as written. */
struct ximport {
	uint32_t module, name, alias; /* string offsets; 0 = "" */
	uint32_t line;
};

/* What duplicate detection needs of a function definition (SK_FUNCTION),
 * computed over its tokens from just after its name to its end (parameters
 * and body; comments and whitespace ignored), by extract.c for every
 * language: the symbol's position from the parse, its tokens read from the
 * text with the language's lexical conventions and the grammar's keywords. */
struct xdef {
	uint32_t sym;       /* index of the definition in xresult.syms */
	uint32_t ntokens;   /* tokens after the name */
	uint64_t hash;      /* of those tokens' text (each XXH3-hashed, combined in
			     * order) and count: equal bodies, equal hashes */
	uint32_t has_sig;   /* 1: ntokens >= DUP_SIG_FLOOR and sig/bands are set */
	uint32_t bands[DUP_BANDS]; /* LSH band hashes of sig */
	uint8_t sig[DUP_PERMS];    /* MinHash of the normalised shingles (minhash.h) */
};

struct xresult {
	struct xsym *syms;
	size_t nsyms, syms_cap;
	struct xcall *calls;
	size_t ncalls, calls_cap;
	struct xdef *defs;  /* one per symbol with a body (sym_kind_has_body), in symbol order */
	size_t ndefs, defs_cap;
	struct ximport *imports; /* in source order */
	size_t nimports, imports_cap;
	uint32_t module;    /* offset of the package the file declares (Go package
			     * clause, Java package declaration), 0 = none */
	char *strings;      /* string arena; offset 0 always holds "" */
	size_t strings_len, strings_cap;
	uint32_t parse_errors; /* number of ERROR/MISSING nodes in the tree */
};

void xresult_init(struct xresult *r);
void xresult_clear(struct xresult *r);    /* empty it, keep the memory */
void xresult_release(struct xresult *r);  /* free everything */
/* Add a string to the arena and return its offset. */
uint32_t xresult_str(struct xresult *r, const char *s, size_t n);
/* Append entries; return the new entry's index. */
int32_t xresult_add_sym(struct xresult *r, const struct xsym *s);
void xresult_add_call(struct xresult *r, const struct xcall *c);
void xresult_add_import(struct xresult *r, const struct ximport *im);
/* Put syms and calls in canonical order (by position), remapping indices. */
void xresult_sort(struct xresult *r);
static inline const char *xstr(const struct xresult *r, uint32_t off) { return r->strings + off; }

/* Language ids, in the order of the table in extract.c. */
enum lang_id {
	LANG_C, LANG_CPP, LANG_PYTHON, LANG_JAVASCRIPT, LANG_TYPESCRIPT, LANG_TSX,
	LANG_GO, LANG_RUST, LANG_JAVA, LANG__COUNT
};
/* Languages whose code calls each other's definitions share a family
 * (C and C++; JavaScript, TypeScript and TSX). */
int lang_family(int lang);
/* The id of a language name ("python"), or -1. */
int lang_by_name(const char *name);

/* Languages: routed by file name (extension) and, for extensionless files,
 * by the shebang in the first bytes. Returns a language id >= 0, or -1. */
int lang_for_path(const char *path, const char *head, size_t head_len);
const char *lang_name(int lang);
/* "name@grammar-version": what cached results of this language are keyed by. */
const char *lang_key(int lang);
int lang_count(void);
/* Append the language names to sb, separated by ", " (for error messages). */
struct strbuf;
void lang_names_add(struct strbuf *sb);

struct extractor;
struct extractor *extractor_new(void);
void extractor_free(struct extractor *ex);
/* Parse src (len bytes) as language lang and fill out (cleared first).
 * Returns 0, or -1 if the language is unknown or the parser gave up. */
int extractor_run(struct extractor *ex, int lang, const char *src, size_t len,
		  struct xresult *out);

/* The shingle set of the function definition whose name starts on line
 * `line` of src (the first one there): sorted distinct shingle hashes, the
 * elements that the definition's signature estimates, for checking
 * estimates against exact Jaccard (shingle_jaccard). Returns the number of
 * elements (*set malloc'd, caller frees), or -1 when there is no such
 * definition. Parses src like extractor_run. */
long extractor_def_shingles(struct extractor *ex, int lang, const char *src, size_t len,
			    uint32_t line, uint64_t **set);

/* Per-language extraction entry point (one per language, in lang_<name>.c).
 * tree is the parsed tree; the function walks it and fills out. */
struct TSTree;
typedef void (*lang_extract_fn)(const struct TSTree *tree, const char *src, size_t len,
				struct xresult *out);



#include <stdio.h>
/* Print r in the canonical line format shared by `cidx extract` and
 * `cidx dump`:
 *   module PATH NAME                                  (when declared)
 *   import PATH:L MODULE [name NAME] [as ALIAS]       (one per import)
 *   sym PATH:L:C-EL:EC KIND QNAME [static] [in PARENT] [bases BASES]
 *   call PATH:L:C CALLER -> CALLEE [via RECEIVER] [dynamic] [member] [scoped] [new] [self] [super]
 * QNAME, PARENT and CALLER are qualified by their scope (scope.name);
 * CALLER is "-" at file scope. */
void xresult_print(FILE *f, const char *path, const struct xresult *r);
#endif
