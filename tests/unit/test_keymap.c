/* test_keymap.c — cidx-tui's keymap parser (ui/keymap.c): key names, good
 * lines, and each kind of bad line reported with its line number and the
 * offending word while the good lines still apply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "keymap.h"
#include "keymaps.h"   /* the shipped keymaps, as compiled into cidx-tui */

static void test_key_names(void **state)
{
	char buf[32];
	(void)state;
	assert_int_equal(kc_parse("j"), 'j');
	assert_int_equal(kc_parse("?"), '?');
	assert_int_equal(kc_parse("<Up>"), KC_UP);
	assert_int_equal(kc_parse("<pgdn>"), KC_PGDN);
	assert_int_equal(kc_parse("<C-a>"), 1);
	assert_int_equal(kc_parse("<C-i>"), KC_TAB);
	assert_int_equal(kc_parse("<C-m>"), KC_ENTER);
	assert_int_equal(kc_parse("<M-v>"), 'v' | KEY_META_BIT);
	assert_int_equal(kc_parse("<M-Backspace>"), KC_BACKSPACE | KEY_META_BIT);
	assert_int_equal(kc_parse("<F5>"), KC_F1 + 4);
	assert_int_equal(kc_parse("<Space>"), ' ');
	assert_int_equal(kc_parse("<Hash>"), '#');
	assert_int_equal(kc_parse("\xc3\xa9"), 0xe9);
	assert_int_equal(kc_parse("<Nope>"), -1);
	assert_int_equal(kc_parse("<F13>"), -1);
	assert_int_equal(kc_parse("ab"), -1);
	assert_int_equal(kc_parse("<C-1>"), -1);
	assert_int_equal(kc_parse(""), -1);
	/* names round-trip */
	kc_name(kc_parse("<C-x>"), buf, sizeof(buf));
	assert_string_equal(buf, "<C-x>");
	kc_name(kc_parse("<M-v>"), buf, sizeof(buf));
	assert_string_equal(buf, "<M-v>");
	kc_name(KC_PGUP, buf, sizeof(buf));
	assert_string_equal(buf, "<PgUp>");
	kc_name('G', buf, sizeof(buf));
	assert_string_equal(buf, "G");
}

static void test_good_lines(void **state)
{
	struct keymap km;
	struct keymap_error errs[4];
	const char *text =
		"# comment line\n"
		"\n"
		"bind search <C-j> move-down   # trailing comment\n"
		"\tbind  preview  j  move-down\r\n"
		"bind global <Hash> help\n"
		"bind preview j move-up\n"          /* replaces the earlier binding */
		"bind search <C-k> none";           /* no final newline */
	(void)state;
	keymap_init(&km);
	assert_int_equal(keymap_parse(&km, "t.keys", text, strlen(text), errs, 4), 0);
	assert_int_equal(keymap_lookup(&km, CTX_SEARCH, 10), KEYMAP_UNBOUND);
	assert_int_equal(keymap_lookup(&km, CTX_SEARCH, kc_parse("<C-j>")), ACT_MOVE_DOWN);
	assert_int_equal(keymap_lookup(&km, CTX_PREVIEW, 'j'), ACT_MOVE_UP);
	assert_int_equal(keymap_lookup(&km, CTX_GLOBAL, '#'), ACT_HELP);
	assert_int_equal(keymap_lookup(&km, CTX_SEARCH, kc_parse("<C-k>")), ACT_NONE);
	assert_int_equal(keymap_lookup(&km, CTX_GLOBAL, 'j'), KEYMAP_UNBOUND);
	assert_int_equal(km.n, 4);
	keymap_release(&km);
}

static void test_bad_lines(void **state)
{
	struct keymap km;
	struct keymap_error errs[8];
	const char *text =
		"bind search <C-j> move-down\n"     /* 1: good */
		"bnid search j move-down\n"         /* 2: unknown command */
		"bind serch j move-down\n"          /* 3: unknown context */
		"bind search <Nope> move-down\n"    /* 4: unknown key */
		"bind search j jump\n"              /* 5: unknown action */
		"bind search j\n"                   /* 6: too few words */
		"bind search j move-up extra\n"     /* 7: too many */
		"bind preview \x1b[2J move-up\n"    /* 8: an escape sequence, shown visibly */
		"bind preview k move-up\n";         /* 9: good, after the errors */
	int n;
	(void)state;
	keymap_init(&km);
	n = keymap_parse(&km, "bad.keys", text, strlen(text), errs, 8);
	assert_int_equal(n, 7);
	assert_int_equal(errs[0].line, 2);
	assert_string_equal(errs[0].word, "bnid");
	assert_string_equal(errs[0].msg, "bad.keys:2: unknown command 'bnid'");
	assert_int_equal(errs[1].line, 3);
	assert_string_equal(errs[1].msg, "bad.keys:3: unknown context 'serch'");
	assert_int_equal(errs[2].line, 4);
	assert_string_equal(errs[2].msg, "bad.keys:4: unknown key '<Nope>'");
	assert_int_equal(errs[3].line, 5);
	assert_string_equal(errs[3].msg, "bad.keys:5: unknown action 'jump'");
	assert_int_equal(errs[4].line, 6);
	assert_string_equal(errs[4].word, "bind search j");
	assert_int_equal(errs[5].line, 7);
	assert_string_equal(errs[5].msg, "bad.keys:7: unexpected word 'extra'");
	assert_int_equal(errs[6].line, 8);
	assert_string_equal(errs[6].word, "?[2J");
	/* the good lines still apply */
	assert_int_equal(keymap_lookup(&km, CTX_SEARCH, kc_parse("<C-j>")), ACT_MOVE_DOWN);
	assert_int_equal(keymap_lookup(&km, CTX_PREVIEW, 'k'), ACT_MOVE_UP);
	assert_int_equal(keymap_lookup(&km, CTX_SEARCH, 'j'), KEYMAP_UNBOUND);
	/* fewer slots than errors: counted, not stored */
	keymap_release(&km);
	keymap_init(&km);
	assert_int_equal(keymap_parse(&km, "bad.keys", text, strlen(text), errs, 2), 7);
	keymap_release(&km);
}

static void test_actions(void **state)
{
	(void)state;
	for (int i = 0; i < ACT__COUNT; i++) {
		assert_int_equal(action_from_name(action_name(i)), i);
		assert_true(strlen(action_help(i)) > 0);
	}
	assert_int_equal(action_from_name("nope"), -1);
	assert_int_equal(kctx_from_name("preview"), CTX_PREVIEW);
}

static void test_shipped_keymaps(void **state)
{
	struct keymap km;
	struct keymap_error errs[4];
	const char *texts[] = { keymap_default_keys, keymap_vim_keys, keymap_emacs_keys };
	(void)state;
	for (size_t i = 0; i < 3; i++) {
		keymap_init(&km);
		assert_int_equal(keymap_parse(&km, "shipped", texts[i], strlen(texts[i]), errs, 4), 0);
		assert_true(km.n > 10);
		keymap_release(&km);
	}
	/* the default has a way to quit and to get help in every context */
	keymap_init(&km);
	keymap_parse(&km, "default", keymap_default_keys, strlen(keymap_default_keys), errs, 4);
	assert_int_equal(keymap_lookup(&km, CTX_GLOBAL, kc_parse("<C-c>")), ACT_QUIT);
	assert_int_equal(keymap_lookup(&km, CTX_GLOBAL, '?'), ACT_HELP);
	keymap_release(&km);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_good_lines),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_shipped_keymaps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
