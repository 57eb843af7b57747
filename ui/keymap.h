/* keymap.h — keys, contexts and bindings, and the parser of keymap files
 * ("bind <context> <key> <action>" lines, # comments). Pure C, no curses:
 * the unit tests link it (libcidxui.a) and ui/keys.c maps curses input
 * onto these key codes. */
#ifndef CIDX_UI_KEYMAP_H
#define CIDX_UI_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

enum action {
#define ACTION(id, name, help) ACT_##id,
#include "actions.h"
#undef ACTION
	ACT__COUNT,
	ACT_NONE = -1
};
const char *action_name(int act);
const char *action_help(int act);
int action_from_name(const char *name);   /* -1: unknown */

/* Contexts: where a binding applies. Focused pane first, then global. */
enum kctx { CTX_GLOBAL, CTX_SEARCH, CTX_PREVIEW, CTX_HELP, CTX_TREE, CTX_DUPS, CTX__COUNT };
const char *kctx_name(int ctx);
int kctx_from_name(const char *name);     /* -1: unknown */

/* Key codes: a Unicode code point (control characters for <C-x>), or one
 * of the named keys below; KEY_META_BIT marks Alt/Meta (ESC prefix). */
enum {
	KC_BASE = 0x200000,
	KC_UP = KC_BASE, KC_DOWN, KC_LEFT, KC_RIGHT, KC_PGUP, KC_PGDN, KC_HOME, KC_END,
	KC_ENTER, KC_TAB, KC_BTAB, KC_BACKSPACE, KC_DELETE, KC_INSERT, KC_ESC,
	KC_F1, KC_F12 = KC_F1 + 11,
	KC__END
};
#define KEY_META_BIT 0x1000000

/* Parse a key as written in keymap files: "j", "?", "<Up>", "<C-x>",
 * "<M-x>", "<M-<Up>>"-style is not supported; "<Space>", "<Hash>", "<Lt>",
 * "<F5>". Returns the code, or -1. */
int kc_parse(const char *s);
/* Write the key's name into buf (at least 32 bytes). */
void kc_name(int key, char *buf, size_t n);

struct binding {
	int ctx, key, action;      /* action ACT_NONE: unbound (hides a default) */
};

struct keymap {
	struct binding *b;
	size_t n, cap;
};

void keymap_init(struct keymap *km);
void keymap_release(struct keymap *km);
/* Add or replace the binding of (ctx, key). */
void keymap_bind(struct keymap *km, int ctx, int key, int action);
/* The action bound to key in ctx; ACT_NONE when unbound with "none"
 * (nothing else is looked up), KEYMAP_UNBOUND when ctx has no binding. */
#define KEYMAP_UNBOUND (-2)
int keymap_lookup(const struct keymap *km, int ctx, int key);

/* One problem found while parsing. */
struct keymap_error {
	int line;
	char word[64];             /* the offending word (visible text) */
	char msg[192];             /* "FILE:LINE: unknown action 'foo'" */
};

/* Parse text (a keymap file's contents, named fname in messages) into km:
 * good lines are applied, bad lines skipped. Up to maxerr errors are stored
 * in errs; returns the number of bad lines. */
int keymap_parse(struct keymap *km, const char *fname, const char *text, size_t len,
		 struct keymap_error *errs, int maxerr);

#endif
