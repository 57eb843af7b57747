/* test_scan.c — unit tests for src/scan.c (scan_find_root, scan_tree).
 *
 * Every case builds its own tree under one mkdtemp directory in /tmp, with
 * HOME, XDG_CONFIG_HOME and libgit2's configuration search paths pointed
 * inside it, so the developer's own git configuration and ignore files
 * never leak in. Repositories are created with `git init` only; hostile
 * configuration is written afterwards as plain files and git is never run
 * on such a repository. The tree is removed at the end unless
 * CIDX_TEST_KEEP is set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include "gitlib.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/syscall.h>

#include "extract.h"
#include "gitlib.h"
#include "scan.h"
#include "util.h"

static char *top;   /* the mkdtemp directory */

/* ---- helpers ------------------------------------------------------------ */

static char *path_in(const char *dir, const char *rel)
{
	return xasprintf("%s/%s", dir, rel);
}

static void mkdirs(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			fail_msg("mkdir '%s': %s", p, strerror(errno));
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		fail_msg("mkdir '%s': %s", p, strerror(errno));
	free(p);
}

/* Write dir/rel (creating its directories) with len bytes of data. */
static void put_n(const char *dir, const char *rel, const char *data, size_t len)
{
	char *path = path_in(dir, rel);
	char *slash = strrchr(path, '/');
	FILE *f;
	*slash = 0;
	mkdirs(path);
	*slash = '/';
	f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot create '%s': %s", path, strerror(errno));
	if (len && fwrite(data, 1, len, f) != len)
		fail_msg("cannot write '%s'", path);
	fclose(f);
	free(path);
}

static void put(const char *dir, const char *rel, const char *text)
{
	put_n(dir, rel, text, strlen(text));
}

static void link_in(const char *dir, const char *rel, const char *target)
{
	char *path = path_in(dir, rel);
	if (symlink(target, path) < 0)
		fail_msg("symlink '%s': %s", path, strerror(errno));
	free(path);
}

/* A fresh directory top/name. */
static char *case_dir(const char *name)
{
	char *d = path_in(top, name);
	mkdirs(d);
	return d;
}

static void run(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		fail_msg("command failed (%d): %s", rc, cmd);
}

/* A fresh repository top/name made by `git init` (nothing else is run). */
static char *repo_dir(const char *name)
{
	char *d = case_dir(name);
	char *cmd = xasprintf("git -c core.fsmonitor= init -q '%s' >/dev/null", d);
	run(cmd);
	free(cmd);
	return d;
}

static int scan(const char *root, uint64_t max_size, struct scan_result *r)
{
	struct scan_opts o = { max_size };
	struct strbuf err = STRBUF_INIT;
	int rc = scan_tree(root, &o, r, &err);
	if (rc < 0)
		print_message("scan_tree: %s\n", err.buf);
	sb_release(&err);
	return rc;
}

static void dump(const struct scan_result *r)
{
	for (size_t i = 0; i < r->nfiles; i++)
		print_message("  file %s\n", r->files[i].path);
	for (size_t i = 0; i < r->nskips; i++)
		print_message("  skip %s %s\n", r->skips[i].path, skip_reason_name(r->skips[i].reason));
}

/* Assert the listed files are exactly the NULL-terminated list want (in
 * order), and that both lists are sorted with strcmp. */
static void expect_files(const struct scan_result *r, const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	for (size_t i = 1; i < r->nfiles; i++)
		assert_true(strcmp(r->files[i - 1].path, r->files[i].path) < 0);
	for (size_t i = 1; i < r->nskips; i++)
		assert_true(strcmp(r->skips[i - 1].path, r->skips[i].path) < 0);
	if (r->nfiles != n)
		dump(r);
	assert_int_equal(r->nfiles, n);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(r->files[i].path, want[i]))
			dump(r);
		assert_string_equal(r->files[i].path, want[i]);
	}
}

/* want: "path reason" strings, sorted by path. */
static void expect_skips(const struct scan_result *r, const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	if (r->nskips != n)
		dump(r);
	assert_int_equal(r->nskips, n);
	for (size_t i = 0; i < n; i++) {
		char *got = xasprintf("%s %s", r->skips[i].path,
				      skip_reason_name(r->skips[i].reason));
		if (strcmp(got, want[i]))
			dump(r);
		assert_string_equal(got, want[i]);
		free(got);
	}
}

/* want: the directories walked, sorted. */
static void expect_dirs(const struct scan_result *r, const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	if (r->ndirs != n)
		for (size_t i = 0; i < r->ndirs; i++)
			print_message("  dir '%s'\n", r->dirs[i]);
	assert_int_equal(r->ndirs, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(r->dirs[i], want[i]);
}

static const struct scan_file *find_file(const struct scan_result *r, const char *path)
{
	for (size_t i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].path, path))
			return &r->files[i];
	return NULL;
}

static const char *const none[] = { NULL };

/* ---- cases -------------------------------------------------------------- */

static void test_skip_reason_names(void **state)
{
	(void)state;
	assert_string_equal(skip_reason_name(SKIP_BINARY), "binary");
	assert_string_equal(skip_reason_name(SKIP_TOO_LARGE), "too-large");
	assert_string_equal(skip_reason_name(SKIP_UNREADABLE), "unreadable");
	assert_string_equal(skip_reason_name(SKIP_SYMLINK_OUTSIDE), "symlink-outside");
	assert_string_equal(skip_reason_name(-1), "unknown");
	assert_string_equal(skip_reason_name(SKIP__COUNT), "unknown");
}

/* Nested .gitignore files, negation, dir-only and anchored patterns,
 * info/exclude, ".git" entries (directory and file) at any level, files of
 * unknown languages, sorted output. */
static void test_gitignore_rules(void **state)
{
	static int n;
	char *name = xasprintf("ignore%d", n++);
	char *r = repo_dir(name);
	struct scan_result res;
	static const char *const want[] = {
		"Z.c", "lib/a.h", "lib/deep/keep.c", "lib/keep.c", "main.c",
		"nested/n.c", "other/out.c", "sub/top.c", NULL,
	};
	static const char *const want_dirs[] = {
		"", "lib", "lib/deep", "nested", "other", "sub", NULL,
	};

	put(r, ".gitignore", "# outputs\nbuild/\nout.c/\n/top.c\n*.gen.c\n");
	put(r, "lib/.gitignore", "*.c\n!keep.c\n");
	put(r, ".git/info/exclude", "# local\nexcluded*.h\n");
	put(r, "top.c", "int top;\n");              /* anchored: ignored */
	put(r, "sub/top.c", "int top;\n");          /* anchored to the root only */
	put(r, "build/x.c", "");                    /* dir-only */
	put(r, "sub/build/y.c", "");                /* dir-only, at any depth */
	put(r, "out.c/z.c", "");                    /* "out.c/" is a directory here */
	put(r, "other/out.c", "");                  /* a file: "out.c/" does not apply */
	put(r, "a.gen.c", "");
	put(r, "sub/b.gen.c", "");
	put(r, "main.c", "int main(void) { return 0; }\n");
	put(r, "Z.c", "");                          /* 'Z' sorts before 'a' */
	put(r, "lib/a.c", "");                      /* nested *.c */
	put(r, "lib/keep.c", "");                   /* !keep.c */
	put(r, "lib/a.h", "");
	put(r, "lib/deep/b.c", "");                 /* nested rules apply deeper */
	put(r, "lib/deep/keep.c", "");
	put(r, "excluded1.h", "");                  /* info/exclude */
	put(r, "sub/excluded2.h", "");
	put(r, "sub/.git", "gitdir: ../nowhere\n"); /* a .git file: skipped */
	put(r, "nested/.git/config.c", "");         /* a .git directory: skipped */
	put(r, "nested/n.c", "");
	put(r, "README.md", "# readme\n");          /* unknown languages: not listed */
	put(r, "notes.txt", "");
	put(r, "lib/Makefile", "all:\n");
	free(name);
	free(*state);

	assert_int_equal(scan(r, 0, &res), 0);
	expect_files(&res, want);
	expect_skips(&res, none);
	expect_dirs(&res, want_dirs);
	for (size_t i = 0; i < res.nfiles; i++)
		assert_int_equal(res.files[i].lang, lang_for_path(res.files[i].path, NULL, 0));
	scan_result_release(&res);
	assert_int_equal(res.nfiles + res.nskips + res.ndirs, 0);
	*state = r;   /* reused by test_scan_paths */
}

static int free_state(void **state)
{
	free(*state);
	return 0;
}

/* scan_paths on the tree of test_gitignore_rules: files given directly,
 * directories walked, ignored or vanished paths and paths under ignored
 * directories or .git left out, overlapping paths reported once. */
static void test_scan_paths(void **state)
{
	char *r;
	char *abs_keep, *outside;
	struct strbuf err = STRBUF_INIT;
	struct scan_result res, full;
	static const char *const paths[] = {
		"lib/a.c",               /* ignored by lib/.gitignore */
		"./lib//keep.c",         /* listed, however spelled */
		"sub/",                  /* a directory: walked */
		"build/x.c",             /* under an ignored directory */
		"gone.c",                /* vanished */
		"nested/.git/config.c",  /* inside .git */
		"README.md",             /* not source */
		"lib/keep.c",            /* again */
		"top.c",                 /* anchored rule */
	};
	static const char *const want[] = { "lib/keep.c", "sub/top.c", NULL };
	static const char *const want_dirs[] = { "sub", NULL };
	static const char *const overlap[] = { "lib/keep.c", "lib", "lib/deep/keep.c" };
	static const char *const want_overlap[] = {
		"lib/a.h", "lib/deep/keep.c", "lib/keep.c", NULL,
	};
	static const char *const root_only[] = { "" };
	const char *one[1];

	test_gitignore_rules(state);
	r = *state;
	assert_int_equal(scan_paths(r, paths, sizeof(paths) / sizeof(paths[0]), NULL, &res, &err), 0);
	expect_files(&res, want);
	expect_skips(&res, none);
	expect_dirs(&res, want_dirs);
	scan_result_release(&res);

	assert_int_equal(scan_paths(r, overlap, 3, NULL, &res, &err), 0);
	expect_files(&res, want_overlap);
	scan_result_release(&res);

	/* "" is the whole tree, as scan_tree sees it */
	assert_int_equal(scan_paths(r, root_only, 1, NULL, &res, &err), 0);
	assert_int_equal(scan_tree(r, NULL, &full, &err), 0);
	assert_int_equal(res.nfiles, full.nfiles);
	for (size_t i = 0; i < res.nfiles; i++)
		assert_string_equal(res.files[i].path, full.files[i].path);
	assert_int_equal(res.ndirs, full.ndirs);
	scan_result_release(&res);
	scan_result_release(&full);

	/* absolute paths under the root are accepted; others are errors */
	abs_keep = path_in(r, "lib/keep.c");
	one[0] = abs_keep;
	assert_int_equal(scan_paths(r, one, 1, NULL, &res, &err), 0);
	assert_int_equal(res.nfiles, 1);
	assert_string_equal(res.files[0].path, "lib/keep.c");
	scan_result_release(&res);
	outside = path_in(top, "elsewhere.c");
	one[0] = outside;
	assert_int_equal(scan_paths(r, one, 1, NULL, &res, &err), -1);
	assert_non_null(strstr(err.buf, "is not a path inside"));
	sb_reset(&err);
	one[0] = "lib/../main.c";
	assert_int_equal(scan_paths(r, one, 1, NULL, &res, &err), -1);
	assert_int_equal(res.nfiles + res.nskips + res.ndirs, 0);
	sb_release(&err);
	free(abs_keep);
	free(outside);
}

/* core.excludesFile is honoured; without it, $XDG_CONFIG_HOME/git/ignore. */
static void test_excludes_file(void **state)
{
	char *a = repo_dir("excl-config"), *b = repo_dir("excl-xdg");
	char *ign = path_in(top, "my-excludes");
	char *cfg = path_in(a, ".git/config");
	FILE *f = fopen(cfg, "a");
	struct scan_result res;
	static const char *const want_a[] = { "kept.c", "q.xdgignored.c", NULL };
	static const char *const want_b[] = { "kept.c", "w.myexcl.c", NULL };
	(void)state;

	assert_non_null(f);
	fprintf(f, "[core]\n\texcludesFile = %s\n", ign);
	fclose(f);
	put(top, "my-excludes", "*.myexcl.c\n");
	/* the XDG file is set up by main() with "*.xdgignored.c" */
	put(a, "kept.c", "");
	put(a, "w.myexcl.c", "");
	put(a, "q.xdgignored.c", "");   /* core.excludesFile replaces the XDG file */
	put(b, "kept.c", "");
	put(b, "w.myexcl.c", "");
	put(b, "q.xdgignored.c", "");

	assert_int_equal(scan(a, 0, &res), 0);
	expect_files(&res, want_a);
	scan_result_release(&res);
	assert_int_equal(scan(b, 0, &res), 0);
	expect_files(&res, want_b);
	scan_result_release(&res);
	free(a);
	free(b);
	free(ign);
	free(cfg);
}

/* Outside a repository there are no ignore rules; ".git" is still skipped. */
static void test_not_a_repository(void **state)
{
	char *d = case_dir("plain");
	struct scan_result res;
	static const char *const want[] = { "a.c", "build/b.c", "x/y.h", NULL };
	(void)state;

	put(d, ".gitignore", "*.c\nbuild/\n");
	put(d, "a.c", "");
	put(d, "build/b.c", "");
	put(d, "x/y.h", "");
	put(d, "x/.git/hooks.c", "");
	put(d, "x/.git/deeper/z.c", "");
	assert_int_equal(scan(d, 0, &res), 0);
	expect_files(&res, want);
	expect_skips(&res, none);
	scan_result_release(&res);
	free(d);
}

/* max_size: a file of exactly max_size bytes is listed, one byte more is
 * skipped as too large; 0 means SCAN_DEFAULT_MAX_SIZE. */
static void test_too_large(void **state)
{
	char *d = case_dir("large");
	char buf[101];
	struct scan_result res;
	static const char *const want_small[] = { "edge.c", "small.c", NULL };
	static const char *const skips_small[] = { "big.c too-large", "sub/big.h too-large", NULL };
	static const char *const want_all[] = { "big.c", "edge.c", "small.c", "sub/big.h", NULL };
	(void)state;

	memset(buf, 'x', sizeof(buf));
	put_n(d, "small.c", buf, 10);
	put_n(d, "edge.c", buf, 50);
	put_n(d, "big.c", buf, 51);
	put_n(d, "sub/big.h", buf, 101);
	put_n(d, "big.txt", buf, 101);   /* not a source file: not counted */

	assert_int_equal(scan(d, 50, &res), 0);
	expect_files(&res, want_small);
	expect_skips(&res, skips_small);
	scan_result_release(&res);

	assert_int_equal(scan(d, 0, &res), 0);
	expect_files(&res, want_all);
	expect_skips(&res, none);
	scan_result_release(&res);
	free(d);
}

/* size, mtime_ns, ctime_ns and inode come from stat (of the target for a
 * symlink). */
static void test_metadata(void **state)
{
	char *d = case_dir("meta");
	char *p = path_in(d, "m.c");
	struct scan_result res;
	const struct scan_file *f, *l;
	struct stat st;
	(void)state;

	put(d, "m.c", "int m;\n");
	link_in(d, "l.c", "m.c");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(scan(d, 0, &res), 0);
	f = find_file(&res, "m.c");
	l = find_file(&res, "l.c");
	assert_non_null(f);
	assert_non_null(l);
	assert_int_equal(f->size, 7);
	assert_int_equal(f->inode, (uint64_t)st.st_ino);
	assert_int_equal(f->mtime_ns, (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec);
	assert_int_equal(f->ctime_ns, (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec);
	assert_int_equal(l->size, f->size);
	assert_int_equal(l->inode, f->inode);
	assert_int_equal(l->mtime_ns, f->mtime_ns);
	scan_result_release(&res);
	free(p);
	free(d);
}

/* Symlinks: to a file inside (listed under the link's path), outside,
 * dangling, self-looping, to directories inside and outside, a directory
 * loop; FIFOs are never opened. */
static void test_symlinks_and_special_files(void **state)
{
	char *d = repo_dir("links");
	char *fifo = path_in(d, "pipe.c");
	char buf[64];
	struct scan_result res;
	static const char *const want[] = { "link.c", "real.c", "sub/s.c", NULL };
	static const char *const skips[] = {
		"big.c too-large", "biglink.c too-large", "dangling.c symlink-outside",
		"outdir symlink-outside", "outlink.c symlink-outside", "pipe.c unreadable",
		"pipelink.c unreadable", "selfloop.c symlink-outside", NULL,
	};
	static const char *const paths[] = {
		"linkdir/s.c", "loop/real.c", "link.c", "outlink.c", "pipe.c", "outdir",
		"ignored-link.c",
	};
	static const char *const want_paths[] = { "link.c", NULL };
	static const char *const skips_paths[] = {
		"outdir symlink-outside", "outlink.c symlink-outside", "pipe.c unreadable", NULL,
	};
	struct scan_opts opts = { 32 };
	struct strbuf err = STRBUF_INIT;
	(void)state;

	memset(buf, 'x', sizeof(buf));
	put(top, "outside/o.c", "int o;\n");
	put(d, ".gitignore", "ignored-link.c\n");
	put(d, "real.c", "int x;\n");
	put(d, "sub/s.c", "");
	put_n(d, "big.c", buf, sizeof(buf));
	link_in(d, "link.c", "real.c");
	link_in(d, "biglink.c", "big.c");
	link_in(d, "outlink.c", "../outside/o.c");
	link_in(d, "ignored-link.c", "../outside/o.c");   /* ignored: not counted */
	link_in(d, "dangling.c", "nope.c");
	link_in(d, "selfloop.c", "selfloop.c");
	link_in(d, "loop", ".");                          /* not followed */
	link_in(d, "sub/up", "..");                       /* not followed */
	link_in(d, "linkdir", "sub");                     /* inside: not counted */
	link_in(d, "outdir", "../outside");               /* a directory outside */
	link_in(d, "noext", "real.c");                    /* no shebang: not listed */
	link_in(d, "outside.txt", "../outside/o.c");      /* not a source name */
	assert_int_equal(mkfifo(fifo, 0644), 0);
	link_in(d, "pipelink.c", "pipe.c");

	alarm(30);   /* a scan that opened the FIFO would block: fail, not hang */
	assert_int_equal(scan(d, 32, &res), 0);
	alarm(0);
	expect_files(&res, want);
	expect_skips(&res, skips);
	scan_result_release(&res);

	/* the same through scan_paths; a symlinked ancestor is not followed */
	alarm(30);
	assert_int_equal(scan_paths(d, paths, sizeof(paths) / sizeof(paths[0]), &opts, &res,
				    &err), 0);
	alarm(0);
	expect_files(&res, want_paths);
	expect_skips(&res, skips_paths);
	scan_result_release(&res);
	sb_release(&err);
	free(fifo);
	free(d);
}

/* Directories that cannot be opened are skips. Root ignores permissions,
 * so this part only runs for other users. */
/* Turn CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH on or off in the effective
 * set (a no-op for a user who does not have them). */
static void set_dac_override(int on)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct c[2];
	uint32_t bits = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);
	assert_int_equal(syscall(SYS_capget, &h, c), 0);
	if (on)
		c[0].effective |= bits & c[0].permitted;
	else
		c[0].effective &= ~bits;
	assert_int_equal(syscall(SYS_capset, &h, c), 0);
}

static void test_unreadable_directory(void **state)
{
	char *d = case_dir("perm");
	char *locked = path_in(d, "locked");
	struct scan_result res;
	static const char *const want[] = { "ok.c", NULL };
	static const char *const skips[] = { "locked unreadable", NULL };
	(void)state;

	put(d, "ok.c", "");
	put(d, "locked/hidden.c", "");
	assert_int_equal(chmod(locked, 0), 0);
	/* Root bypasses permission checks through two capabilities: drop them
	 * from the effective set for the scan, so that it meets the same
	 * "permission denied" as any user would, then take them back. */
	set_dac_override(0);
	assert_int_equal(scan(d, 0, &res), 0);
	set_dac_override(1);
	chmod(locked, 0755);
	expect_files(&res, want);
	expect_skips(&res, skips);
	scan_result_release(&res);
	free(locked);
	free(d);
}

/* Extensionless files are listed only when their shebang names a known
 * language (whatever the language table says today). */
static void test_shebang(void **state)
{
	char *d = case_dir("shebang");
	static const char script[] = "#!/usr/bin/env python3\nprint(1)\n";
	static const char shell[] = "#!/bin/sh\necho hi\n";
	struct scan_result res;
	size_t n = 0;
	(void)state;

	put(d, "tool", script);
	put(d, "run", shell);
	put(d, "Makefile", "all:\n");
	put(d, ".hidden", shell);
	put(d, "empty", "");
	assert_int_equal(scan(d, 0, &res), 0);
	n += lang_for_path("tool", script, sizeof(script) - 1) >= 0;
	n += lang_for_path("run", shell, sizeof(shell) - 1) >= 0;
	n += lang_for_path(".hidden", shell, sizeof(shell) - 1) >= 0;
	assert_int_equal(res.nfiles, n);
	assert_null(find_file(&res, "Makefile"));
	assert_null(find_file(&res, "empty"));
	expect_skips(&res, none);
	scan_result_release(&res);
	free(d);
}

static void test_find_root(void **state)
{
	char *r = repo_dir("rootfind");
	char *deep = path_in(r, "a/b/c");
	char *wt = case_dir("gitfile-wt");
	char *wtdeep = path_in(wt, "x");
	char *plain = case_dir("rootless/inner");
	char *file = path_in(r, "a/f.c");
	char *missing = path_in(top, "does-not-exist");
	char *canon = realpath(r, NULL), *root = NULL, *want;
	struct strbuf err = STRBUF_INIT;
	struct stat st;
	(void)state;

	mkdirs(deep);
	put(r, "a/f.c", "");
	put(wt, ".git", "gitdir: /nowhere\n");   /* a .git file marks a root too */
	mkdirs(wtdeep);

	assert_int_equal(scan_find_root(deep, &root, &err), 0);
	assert_string_equal(root, canon);
	free(root);
	assert_int_equal(scan_find_root(r, &root, &err), 0);
	assert_string_equal(root, canon);
	free(root);
	assert_int_equal(scan_find_root(wtdeep, &root, &err), 0);
	want = realpath(wt, NULL);
	assert_string_equal(root, want);
	free(want);
	free(root);

	/* no .git above: the start itself (only checkable when no ancestor of
	 * the temporary directory is a repository) */
	if (stat("/.git", &st) < 0 && stat("/tmp/.git", &st) < 0) {
		assert_int_equal(scan_find_root(plain, &root, &err), 0);
		want = realpath(plain, NULL);
		assert_string_equal(root, want);
		free(want);
		free(root);
	}

	assert_int_equal(scan_find_root(missing, &root, &err), -1);
	assert_null(root);
	want = xasprintf("cannot open '%s': No such file or directory", missing);
	assert_string_equal(err.buf, want);
	free(want);
	sb_reset(&err);
	assert_int_equal(scan_find_root(file, &root, &err), -1);
	want = xasprintf("'%s' is not a directory", file);
	assert_true(!strncmp(err.buf, want, strlen(want)));
	free(want);
	sb_release(&err);

	free(r);
	free(deep);
	free(wt);
	free(wtdeep);
	free(plain);
	free(file);
	free(missing);
	free(canon);
}

/* scan_tree errors, a root given through a symlink, and a work tree whose
 * .git is a file pointing to the real git directory. */
static void test_roots(void **state)
{
	char *missing = path_in(top, "nope");
	char *r = repo_dir("viasymlink");
	char *alias = path_in(top, "alias");
	char *broken = case_dir("broken-gitfile");
	char *wt = path_in(top, "separate-wt"), *gd = path_in(top, "separate.git");
	char *cmd = xasprintf("git -c core.fsmonitor= init -q --separate-git-dir '%s' '%s' "
			      ">/dev/null", gd, wt);
	struct strbuf err = STRBUF_INIT;
	struct scan_result res;
	static const char *const want[] = { "a.c", NULL };
	char *want_err;
	(void)state;

	assert_int_equal(scan_tree(missing, NULL, &res, &err), -1);
	want_err = xasprintf("cannot open '%s': No such file or directory", missing);
	assert_string_equal(err.buf, want_err);
	free(want_err);
	assert_int_equal(res.nfiles + res.nskips, 0);
	sb_reset(&err);

	put(r, ".gitignore", "b.c\n");
	put(r, "a.c", "");
	put(r, "b.c", "");
	assert_int_equal(symlink(r, alias), 0);
	assert_int_equal(scan(alias, 0, &res), 0);
	expect_files(&res, want);
	scan_result_release(&res);

	put(broken, ".git", "gitdir: /nowhere/at/all\n");
	put(broken, "a.c", "");
	assert_int_equal(scan_tree(broken, NULL, &res, &err), -1);
	assert_non_null(strstr(err.buf, "cannot read the git repository"));
	assert_non_null(strstr(err.buf, "remove '.git'"));
	sb_reset(&err);

	run(cmd);
	put(wt, ".gitignore", "b.c\n");
	put(wt, "a.c", "");
	put(wt, "b.c", "");
	assert_int_equal(scan(wt, 0, &res), 0);
	expect_files(&res, want);
	scan_result_release(&res);

	sb_release(&err);
	free(missing);
	free(r);
	free(alias);
	free(broken);
	free(wt);
	free(gd);
	free(cmd);
}

/* A repository configured to run programs everywhere git might: scanning
 * it must run none of them. */
static void test_hostile_repository_runs_nothing(void **state)
{
	char *r = repo_dir("hostile");
	char *marker = path_in(top, "hostile-marker");
	char *script = path_in(top, "hostile.sh");
	char *body = xasprintf("#!/bin/sh\necho \"$0 $*\" >> '%s'\n", marker);
	char *cfg = path_in(r, ".git/config");
	char *root = NULL;
	struct strbuf err = STRBUF_INIT;
	struct scan_result res;
	struct stat st;
	FILE *f;
	static const char *const hooks[] = {
		"applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit",
		"pre-merge-commit", "prepare-commit-msg", "commit-msg", "post-commit",
		"pre-rebase", "post-checkout", "post-merge", "pre-push", "pre-receive",
		"update", "proc-receive", "post-receive", "post-update",
		"reference-transaction", "push-to-checkout", "pre-auto-gc",
		"post-rewrite", "sendemail-validate", "fsmonitor-watchman",
		"p4-changelist", "p4-prepare-changelist", "p4-post-changelist",
		"p4-pre-submit", "post-index-change", NULL,
	};
	static const char *const want[] = { "a.c", "sub/b.c", NULL };
	(void)state;

	/* `git init` ran above on a clean repository; from here on only files
	 * are written, and git is never run on this repository. */
	put(top, "hostile.sh", body);
	assert_int_equal(chmod(script, 0755), 0);
	for (size_t i = 0; hooks[i]; i++) {
		char *h = xasprintf(".git/hooks/%s", hooks[i]);
		char *hp = path_in(r, h);
		put(r, h, body);
		assert_int_equal(chmod(hp, 0755), 0);
		free(h);
		free(hp);
	}
	f = fopen(cfg, "a");
	assert_non_null(f);
	fprintf(f, "[core]\n\tfsmonitor = %s\n\thooksPath = %s/.git/hooks\n"
		"\tpager = %s\n\teditor = %s\n\tsshCommand = %s\n\taskPass = %s\n"
		"\tgitProxy = %s\n\tuntrackedCache = true\n"
		"[filter \"evil\"]\n\tclean = %s\n\tsmudge = %s\n\tprocess = %s\n\trequired = true\n"
		"[diff \"evil\"]\n\ttextconv = %s\n[diff]\n\texternal = %s\n"
		"[credential]\n\thelper = !%s\n[gc]\n\tauto = 1\n"
		"[alias]\n\tstatus = !%s\n",
		script, r, script, script, script, script, script, script, script,
		script, script, script, script, script);
	fclose(f);
	put(r, ".gitattributes", "* filter=evil diff=evil\n");
	put(r, ".gitignore", "*.o.c\n");
	put(r, "a.c", "int a;\n");
	put(r, "x.o.c", "");
	put(r, "sub/b.c", "int b;\n");

	assert_int_equal(scan_find_root(r, &root, &err), 0);
	assert_int_equal(scan(root, 0, &res), 0);
	expect_files(&res, want);
	scan_result_release(&res);
	assert_int_equal(stat(marker, &st), -1);
	assert_int_equal(errno, ENOENT);

	sb_release(&err);
	free(root);
	free(r);
	free(marker);
	free(script);
	free(body);
	free(cfg);
}

/* Ignore files that would hang or crash libgit2 1.5 (a FIFO: blocking
 * open; a line starting with a vertical tab or form feed: an endless parse
 * loop; a negated pattern left empty at the top level: a NULL dereference)
 * are caught before libgit2 reads them. */
static void test_ignore_files_that_break_libgit2(void **state)
{
	char *r = repo_dir("hang");
	char *r4 = repo_dir("crash-root");
	char *fifo = path_in(r, "sub/.gitignore");
	char *r2 = repo_dir("hang-root");
	char *r3 = repo_dir("hang-exclude");
	char *excl = path_in(r3, ".git/info/exclude");
	struct strbuf err = STRBUF_INIT;
	struct scan_result res;
	static const char *const want[] = { "a.c", "winpath/e.c", NULL };
	static const char *const skips[] = {
		"empty unreadable", "sub unreadable", "vt unreadable", NULL,
	};
	(void)state;

	alarm(60);
	put(r, ".gitignore", "*.o.c\n");
	put(r, "a.c", "");
	put(r, "sub/b.c", "");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	put(r, "vt/.gitignore", "x.c\n\vfoo\n");
	put(r, "vt/c.c", "");
	put(r, "empty/.gitignore", "a*\n!\\/\n");   /* refused at any level */
	put(r, "empty/d.c", "");
	put(r, "winpath/.gitignore", "bin\\\nobj\\/\n");   /* harmless */
	put(r, "winpath/e.c", "");
	assert_int_equal(scan(r, 0, &res), 0);
	expect_files(&res, want);
	expect_skips(&res, skips);
	scan_result_release(&res);

	put(r2, ".gitignore", "\fbar\n");
	put(r2, "a.c", "");
	assert_int_equal(scan_tree(r2, NULL, &res, &err), -1);
	assert_non_null(strstr(err.buf, ".gitignore' is unsafe to read"));
	sb_reset(&err);

	unlink(excl);
	assert_int_equal(mkfifo(excl, 0644), 0);
	put(r3, "a.c", "");
	assert_int_equal(scan_tree(r3, NULL, &res, &err), -1);
	assert_non_null(strstr(err.buf, "info/exclude' is unsafe to read"));
	sb_reset(&err);
	alarm(0);

	put(r4, ".gitignore", "*.o\n\r!\\");   /* segfaults libgit2 1.5 */
	put(r4, "a.c", "");
	assert_int_equal(scan_tree(r4, NULL, &res, &err), -1);
	assert_non_null(strstr(err.buf, ".gitignore' is unsafe to read"));
	sb_reset(&err);

	sb_release(&err);
	free(r);
	free(fifo);
	free(r2);
	free(r3);
	free(r4);
	free(excl);
}

/* libgit2 opens the repository's files (a gitlink, the config and what it
 * includes) with a blocking open(2): FIFOs there are refused beforehand. */
static void test_repository_files_that_hang_libgit2(void **state)
{
	char *a = repo_dir("fifo-config");
	char *b = repo_dir("fifo-include");
	char *c = case_dir("fifo-gitlink");
	char *cfg = path_in(a, ".git/config");
	char *inc = path_in(b, ".git/included");
	char *bcfg = path_in(b, ".git/config");
	char *link = path_in(c, ".git");
	struct strbuf err = STRBUF_INIT;
	struct scan_result res;
	FILE *f;
	(void)state;

	alarm(60);
	put(a, "a.c", "");
	unlink(cfg);
	assert_int_equal(mkfifo(cfg, 0644), 0);
	assert_int_equal(scan_tree(a, NULL, &res, &err), -1);
	assert_non_null(strstr(err.buf, "fifo-config/.git/config' is a FIFO or a device"));
	sb_reset(&err);

	put(b, "a.c", "");
	f = fopen(bcfg, "a");
	assert_non_null(f);
	fputs("[includeIf \"gitdir:/elsewhere/\"]\n\tpath = nothing-here\n"
	      "[include]\n\tPath = \"included\" ; a comment\n", f);
	fclose(f);
	assert_int_equal(mkfifo(inc, 0644), 0);
	assert_int_equal(scan_tree(b, NULL, &res, &err), -1);
	assert_non_null(strstr(err.buf, "included' is a FIFO or a device"));
	sb_reset(&err);

	put(c, "a.c", "");
	assert_int_equal(mkfifo(link, 0644), 0);   /* .git itself */
	assert_int_equal(scan_tree(c, NULL, &res, &err), -1);
	assert_non_null(strstr(err.buf, "is a FIFO or a device"));
	alarm(0);

	sb_release(&err);
	free(a);
	free(b);
	free(c);
	free(cfg);
	free(inc);
	free(bcfg);
	free(link);
}

/* ---- the prefilter agrees with libgit2 ----------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static void random_pattern(struct strbuf *sb)
{
	static const char *const parts[] = {
		"*", "**", "?", "a", "b", "B", "build", "keep", "[ab]", "[!a]", "[a-c]",
		"[]a]", "*.c", "*.h", ".c", "x", "\\*", "te st", "\\ ", "d1", "d2", "D1",
		"*1", "a*", "[[:alpha:]]", "[a", "\\", "#", "!", ".", "..", "c", "*.C",
		"**/", "/**", "[a-]", "[^b]", "\\[", "?*", "[A-Z]", "*?", "\\!", "\\#",
		"[]-a]", "[z-a]", "a]", "[\\]]", "[a-c-e]",
	};
	size_t nparts = sizeof(parts) / sizeof(parts[0]);
	unsigned n = 1 + rnd(3);
	if (rnd(4) == 0)
		sb_addc(sb, '!');
	if (rnd(5) == 0)
		sb_addc(sb, ' ');
	if (rnd(4) == 0)
		sb_addc(sb, '/');
	for (unsigned i = 0; i < n; i++) {
		if (i)
			sb_addc(sb, '/');
		sb_adds(sb, parts[rnd((unsigned)nparts)]);
		if (rnd(3) == 0)
			sb_adds(sb, parts[rnd((unsigned)nparts)]);
	}
	if (rnd(5) == 0)
		sb_addc(sb, '/');
	if (rnd(8) == 0)
		sb_adds(sb, rnd(2) ? " " : "\t ");
	if (rnd(10) == 0)
		sb_addc(sb, '\r');
}

static void random_ignore_file(const char *dir, const char *rel)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned n = rnd(6);
	if (rnd(10) == 0)
		sb_adds(&sb, "\xef\xbb\xbf");
	for (unsigned i = 0; i < n; i++) {
		if (rnd(10) == 0)
			sb_adds(&sb, "# comment *\n");
		random_pattern(&sb);
		if (i + 1 < n || rnd(2))
			sb_addc(&sb, '\n');
	}
	put_n(dir, rel, sb.buf ? sb.buf : "", sb.len);
	sb_release(&sb);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw);

/* Remove everything in dir but .git. */
static void clear_work_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	assert_non_null(d);
	while ((de = readdir(d))) {
		char *p;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, ".git"))
			continue;
		p = path_in(dir, de->d_name);
		nftw(p, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		free(p);
	}
	closedir(d);
}

static void test_prefilter_matches_libgit2(void **state)
{
	static const char *const dirs[] = { "", "d1/", "d2/", "d1/d2/", "d1/build/", "D1/",
					    "a/b/", "te st/", "keep/", "dir.c/" };
	static const char *const names[] = {
		"a.c", "b.h", "B.c", "keep.c", "x.c", "ab.c", "aa.h", "c.c", "C.C", "te st.c",
		"*.c", "[ab].c", "a b.c", "x.h ", "build.c", "d1.c", ".c", "..c", "1.c",
		"\\.c", "#.c", "!a.c", "cx.c", "a\r.c", "A.c", "]a.c", "[.c", "-.c", "e.h",
	};
	char *r = repo_dir("fuzz");
	unsigned created = 0, listed = 0;
	struct strbuf err = STRBUF_INIT;
	const char *seed = getenv("CIDX_TEST_SEED"), *rounds = getenv("CIDX_TEST_ROUNDS");
	int nrounds = rounds ? atoi(rounds) : 60;
	(void)state;

	/* more coverage: CIDX_TEST_SEED=N CIDX_TEST_ROUNDS=M */
	if (seed)
		rng_state = strtoull(seed, NULL, 0) | 1;
	for (int round = 0; round < nrounds; round++) {
		struct scan_result a, b;
		int rc_a, rc_b;
		clear_work_tree(r);
		for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			for (size_t j = 0; j < sizeof(names) / sizeof(names[0]); j++)
				if (rnd(3) == 0) {
					char *rel = xasprintf("%s%s", dirs[i], names[j]);
					put(r, rel, "");
					created++;
					free(rel);
				}
			if (rnd(3) == 0) {
				char *rel = xasprintf("%s.gitignore", dirs[i]);
				random_ignore_file(r, rel);
				free(rel);
			}
		}
		random_ignore_file(r, ".git/info/exclude");

		unsetenv("CIDX_SCAN_NO_PREFILTER");
		rc_a = scan_tree(r, NULL, &a, &err);
		setenv("CIDX_SCAN_NO_PREFILTER", "1", 1);
		rc_b = scan_tree(r, NULL, &b, &err);
		unsetenv("CIDX_SCAN_NO_PREFILTER");
		sb_reset(&err);
		/* an info/exclude libgit2 would crash on fails both */
		assert_int_equal(rc_a, rc_b);
		if (rc_a < 0)
			continue;
		if (a.nfiles != b.nfiles) {
			print_message("round %d: prefilter %zu files, libgit2 alone %zu\n",
				      round, a.nfiles, b.nfiles);
			dump(&a);
			dump(&b);
		}
		assert_int_equal(a.nfiles, b.nfiles);
		for (size_t i = 0; i < a.nfiles; i++)
			assert_string_equal(a.files[i].path, b.files[i].path);
		assert_int_equal(a.nskips, b.nskips);
		listed += (unsigned)a.nfiles;
		scan_result_release(&a);
		scan_result_release(&b);
	}
	/* the rules did ignore some files, and not all */
	if (getenv("CIDX_TEST_VERBOSE"))
		print_message("prefilter: %u of %u files listed\n", listed, created);
	assert_true(listed > created / 10);
	assert_true(listed < created);
	sb_release(&err);
	free(r);
}

/* ---- setup -------------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		chmod(path, 0700), rmdir(path);
	else
		unlink(path);
	return 0;
}

static int group_setup(void **state)
{
	char tmpl[] = "/tmp/cidx-test-scan-XXXXXX";
	char *p;
	(void)state;
	if (!mkdtemp(tmpl))
		return -1;
	top = realpath(tmpl, NULL);
	if (!top)
		return -1;
	/* Nothing from the developer's configuration: git (for `git init`)
	 * and libgit2 (for the scans) read their files from here. */
	p = path_in(top, "home");
	mkdirs(p);
	setenv("HOME", p, 1);
	free(p);
	p = path_in(top, "xdg");
	setenv("XDG_CONFIG_HOME", p, 1);
	free(p);
	put(top, "xdg/git/ignore", "*.xdgignored.c\n");
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_TEMPLATE_DIR");
	unsetenv("CIDX_SCAN_NO_PREFILTER");
	{
		struct strbuf err = STRBUF_INIT;
		if (gitlib_load(&err) < 0) {
			fprintf(stderr, "test_scan: %s\n", err.buf);
			return -1;
		}
	}
	p = path_in(top, "nosystem");
	mkdirs(p);
	GIT(git_libgit2_opts)(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, p);
	GIT(git_libgit2_opts)(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_PROGRAMDATA, p);
	free(p);
	p = path_in(top, "home");
	GIT(git_libgit2_opts)(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, p);
	free(p);
	p = path_in(top, "xdg/git");
	GIT(git_libgit2_opts)(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, p);
	free(p);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (getenv("CIDX_TEST_KEEP"))
		fprintf(stderr, "test_scan: kept %s\n", top);
	else
		nftw(top, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(top);
	return 0;
}

/* libgit2 is started only when a path needs its answer (when the rules
 * that apply everywhere can be read without it): a damaged .git directory
 * goes unnoticed while no rule may match, and is reported as soon as one
 * may; core.excludesFile still makes libgit2 read the configuration. */
static void test_libgit2_opened_on_demand(void **state)
{
	static const char *const want[] = { "a.c", "b.c", NULL };
	char *r = case_dir("lazy-git");
	struct strbuf err = STRBUF_INIT;
	struct scan_result res;
	(void)state;
	put(r, ".git/HEAD", "not a ref\n");   /* a .git directory libgit2 cannot open */
	put(r, "a.c", "");
	put(r, "b.c", "");
	assert_int_equal(scan(r, 0, &res), 0);
	expect_files(&res, want);
	scan_result_release(&res);

	put(r, ".gitignore", "b.c\n");         /* now b.c needs libgit2's verdict */
	assert_int_equal(scan_tree(r, NULL, &res, &err), -1);
	assert_non_null(strstr(err.buf, "cannot read the git repository"));
	assert_int_equal(res.nfiles + res.nskips, 0);
	sb_release(&err);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skip_reason_names),
		cmocka_unit_test_teardown(test_gitignore_rules, free_state),
		cmocka_unit_test_teardown(test_scan_paths, free_state),
		cmocka_unit_test(test_excludes_file),
		cmocka_unit_test(test_not_a_repository),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_symlinks_and_special_files),
		cmocka_unit_test(test_unreadable_directory),
		cmocka_unit_test(test_shebang),
		cmocka_unit_test(test_find_root),
		cmocka_unit_test(test_roots),
		cmocka_unit_test(test_hostile_repository_runs_nothing),
		cmocka_unit_test(test_ignore_files_that_break_libgit2),
		cmocka_unit_test(test_repository_files_that_hang_libgit2),
		cmocka_unit_test(test_prefilter_matches_libgit2),
		cmocka_unit_test(test_libgit2_opened_on_demand),
	};
	return cmocka_run_group_tests_name("scan", tests, group_setup, group_teardown);
}
