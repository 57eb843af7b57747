/* keymap.c — key names, the binding table and the keymap file parser
 * (see keymap.h). No curses here: unit-tested on its own. */
#include "keymap.h"
#include "engine.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name, *help;
} actions[] = {
#define ACTION(id, name, help) { name, help },
#include "actions.h"
#undef ACTION
};

const char *action_name(int act)
{
	return act >= 0 && act < ACT__COUNT ? actions[act].name : "none";
}

const char *action_help(int act)
{
	return act >= 0 && act < ACT__COUNT ? actions[act].help : "";
}

int action_from_name(const char *name)
{
	for (int i = 0; i < ACT__COUNT; i++)
		if (!strcmp(actions[i].name, name))
			return i;
	return -1;
}

static const char *const ctx_names[CTX__COUNT] = { "global", "search", "preview", "help", "tree", "dups" };

const char *kctx_name(int ctx)
{
	return ctx >= 0 && ctx < CTX__COUNT ? ctx_names[ctx] : "?";
}

int kctx_from_name(const char *name)
{
	for (int i = 0; i < CTX__COUNT; i++)
		if (!strcmp(ctx_names[i], name))
			return i;
	return -1;
}

static const struct {
	const char *name;
	int key;
} named[] = {
	{ "Up", KC_UP }, { "Down", KC_DOWN }, { "Left", KC_LEFT }, { "Right", KC_RIGHT },
	{ "PgUp", KC_PGUP }, { "PageUp", KC_PGUP }, { "PgDn", KC_PGDN }, { "PageDown", KC_PGDN },
	{ "Home", KC_HOME }, { "End", KC_END }, { "Enter", KC_ENTER }, { "Return", KC_ENTER },
	{ "Tab", KC_TAB }, { "BTab", KC_BTAB }, { "S-Tab", KC_BTAB },
	{ "Backspace", KC_BACKSPACE }, { "BS", KC_BACKSPACE }, { "Delete", KC_DELETE },
	{ "Del", KC_DELETE }, { "Insert", KC_INSERT }, { "Esc", KC_ESC }, { "Escape", KC_ESC },
	{ "Space", ' ' }, { "Hash", '#' }, { "Lt", '<' }, { "Gt", '>' },
};

/* Decode one UTF-8 character filling all of s; -1 if s is not exactly one. */
static int one_char(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	int n, cp;
	if (u[0] < 0x80)
		return u[0] && !u[1] && u[0] > 0x20 && u[0] != 0x7f ? u[0] : -1;
	n = u[0] >= 0xf0 ? 3 : u[0] >= 0xe0 ? 2 : u[0] >= 0xc0 ? 1 : -1;
	if (n < 0)
		return -1;
	cp = u[0] & (0x3f >> n);
	for (int i = 1; i <= n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (u[i] & 0x3f);
	}
	return u[n + 1] ? -1 : cp;
}

int kc_parse(const char *s)
{
	size_t n = strlen(s);
	char inner[32];
	int meta = 0, ctrl = 0, k;
	if (n == 0)
		return -1;
	if (s[0] != '<' || n == 1)
		return one_char(s);
	if (s[n - 1] != '>' || n - 2 >= sizeof(inner) || n < 3)
		return -1;
	memcpy(inner, s + 1, n - 2);
	inner[n - 2] = 0;
	s = inner;
	for (;;) {
		if ((s[0] == 'M' || s[0] == 'A') && s[1] == '-' && s[2]) {
			meta = 1;
			s += 2;
		} else if (s[0] == 'C' && s[1] == '-' && s[2]) {
			ctrl = 1;
			s += 2;
		} else {
			break;
		}
	}
	k = -1;
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (!strcasecmp(named[i].name, s))
			k = named[i].key;
	if (k < 0 && (s[0] == 'F' || s[0] == 'f') && isdigit((unsigned char)s[1])) {
		char *end;
		long f = strtol(s + 1, &end, 10);
		if (!*end && f >= 1 && f <= 12)
			k = KC_F1 + (int)f - 1;
	}
	if (k < 0)
		k = one_char(s);
	if (k < 0)
		return -1;
	if (ctrl) {
		/* control characters: <C-a> .. <C-z>, <C-[> .. <C-_>, <C-Space> */
		if (k == ' ')
			k = 0;
		else if (k < 0x80 && isalpha(k))
			k = toupper(k) - '@';
		else if (k >= '[' && k <= '_')
			k = k - '@';
		else
			return -1;
		/* the terminal cannot tell these from named keys */
		if (k == 9)
			k = KC_TAB;
		else if (k == 13 || k == 10)
			k = KC_ENTER;
		else if (k == 8)
			k = KC_BACKSPACE;
		else if (k == 27)
			k = KC_ESC;
	}
	return meta ? k | KEY_META_BIT : k;
}

void kc_name(int key, char *buf, size_t n)
{
	int meta = key & KEY_META_BIT;
	const char *pre = meta ? "M-" : "";
	key &= ~KEY_META_BIT;
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (named[i].key == key && (key >= KC_BASE || key == ' ' || meta)) {
			snprintf(buf, n, "<%s%s>", pre, named[i].name);
			return;
		}
	if (key >= KC_F1 && key <= KC_F12)
		snprintf(buf, n, "<%sF%d>", pre, key - KC_F1 + 1);
	else if (key >= 0 && key < 0x20)
		snprintf(buf, n, "<%sC-%c>", pre, key ? key + '`' : ' ');
	else if (key > 0x20 && key < 0x7f && meta)
		snprintf(buf, n, "<M-%c>", key);
	else if (key > 0x20 && key < 0x7f)
		snprintf(buf, n, "%c", key);
	else
		snprintf(buf, n, "<U+%04X>", (unsigned)key);
}

void keymap_init(struct keymap *km)
{
	memset(km, 0, sizeof(*km));
}

void keymap_release(struct keymap *km)
{
	free(km->b);
	memset(km, 0, sizeof(*km));
}

void keymap_bind(struct keymap *km, int ctx, int key, int action)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].ctx == ctx && km->b[i].key == key) {
			km->b[i].action = action;
			return;
		}
	ARRAY_GROW(km->b, km->cap, km->n + 1);
	km->b[km->n].ctx = ctx;
	km->b[km->n].key = key;
	km->b[km->n].action = action;
	km->n++;
}

int keymap_lookup(const struct keymap *km, int ctx, int key)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->b[i].ctx == ctx && km->b[i].key == key)
			return km->b[i].action;
	return KEYMAP_UNBOUND;
}

/* Copy a word for a message, made visible and bounded. */
static void copy_word(char *dst, size_t n, const char *w, size_t len)
{
	size_t j = 0;
	for (size_t i = 0; i < len && j + 1 < n; i++) {
		unsigned char c = (unsigned char)w[i];
		dst[j++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	dst[j] = 0;
}

static int add_error(struct keymap_error *errs, int maxerr, int nerr, const char *fname, int line,
		     const char *what, const char *word, size_t wlen)
{
	if (nerr < maxerr) {
		struct keymap_error *e = &errs[nerr];
		e->line = line;
		copy_word(e->word, sizeof(e->word), word, wlen);
		snprintf(e->msg, sizeof(e->msg), "%s:%d: %s '%s'", fname, line, what, e->word);
	}
	return nerr + 1;
}

int keymap_parse(struct keymap *km, const char *fname, const char *text, size_t len,
		 struct keymap_error *errs, int maxerr)
{
	int nerr = 0, lineno = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *w[5];
		size_t wl[5];
		int nw = 0, ctx, key, act;
		char tmp[64];
		if (!eol)
			eol = end;
		lineno++;
		/* split into words; a word starting with # begins a comment */
		for (const char *q = p; q < eol && nw < 5; ) {
			while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
				q++;
			if (q >= eol || *q == '#')
				break;
			w[nw] = q;
			while (q < eol && *q != ' ' && *q != '\t' && *q != '\r')
				q++;
			wl[nw] = (size_t)(q - w[nw]);
			nw++;
		}
		p = eol + 1;
		if (nw == 0)
			continue;
		if (wl[0] != 4 || memcmp(w[0], "bind", 4)) {
			nerr = add_error(errs, maxerr, nerr, fname, lineno, "unknown command", w[0], wl[0]);
			continue;
		}
		if (nw < 4) {
			nerr = add_error(errs, maxerr, nerr, fname, lineno,
					 "expected 'bind CONTEXT KEY ACTION', got", w[0],
					 (size_t)(w[nw - 1] + wl[nw - 1] - w[0]));
			continue;
		}
		if (nw > 4) {
			nerr = add_error(errs, maxerr, nerr, fname, lineno, "unexpected word", w[4], wl[4]);
			continue;
		}
		copy_word(tmp, sizeof(tmp), w[1], wl[1]);
		if ((ctx = kctx_from_name(tmp)) < 0 || wl[1] >= sizeof(tmp)) {
			nerr = add_error(errs, maxerr, nerr, fname, lineno, "unknown context", w[1], wl[1]);
			continue;
		}
		memcpy(tmp, w[2], wl[2] < sizeof(tmp) - 1 ? wl[2] : sizeof(tmp) - 1);
		tmp[wl[2] < sizeof(tmp) - 1 ? wl[2] : sizeof(tmp) - 1] = 0;
		if (wl[2] >= sizeof(tmp) || (key = kc_parse(tmp)) < 0) {
			nerr = add_error(errs, maxerr, nerr, fname, lineno, "unknown key", w[2], wl[2]);
			continue;
		}
		copy_word(tmp, sizeof(tmp), w[3], wl[3]);
		if (wl[3] == 4 && !memcmp(w[3], "none", 4))
			act = ACT_NONE;
		else if ((act = action_from_name(tmp)) < 0 || wl[3] >= sizeof(tmp)) {
			nerr = add_error(errs, maxerr, nerr, fname, lineno, "unknown action", w[3], wl[3]);
			continue;
		}
		keymap_bind(km, ctx, key, act);
	}
	return nerr;
}
