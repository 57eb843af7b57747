/* gitlib.h — libgit2, loaded when first needed.
 *
 * Linking libgit2 loads it and about eighteen libraries it depends on
 * (TLS, SSH, Kerberos, HTTP) at every start of cidx: ~3 ms of CPU and more
 * of wall time, most of a small re-index's budget, though most runs never
 * ask libgit2 anything (see scan.c). So it is opened with dlopen on first
 * use and its functions are called through this table: GIT(name)(...).
 *
 * gitlib_load is thread-safe (pthread_once) and idempotent. */
#ifndef CIDX_GITLIB_H
#define CIDX_GITLIB_H

#include <git2.h>
#include "util.h"

#define GITLIB_FUNCTIONS(X) \
	X(git_libgit2_init) X(git_libgit2_opts) X(git_error_last) X(git_error_clear) \
	X(git_buf_dispose) X(git_repository_open_ext) X(git_repository_free) \
	X(git_repository_workdir) X(git_repository_set_workdir) X(git_repository_item_path) \
	X(git_repository_config_snapshot) X(git_config_get_entry) X(git_config_get_path) \
	X(git_config_entry_free) X(git_config_free) X(git_ignore_path_is_ignored) \
	X(git_revparse_single) X(git_object_peel) X(git_object_free) X(git_tree_free) \
	X(git_diff_options_init) X(git_diff_tree_to_workdir_with_index) X(git_diff_num_deltas) \
	X(git_diff_get_delta) X(git_diff_free) X(git_patch_from_diff) X(git_patch_get_delta) \
	X(git_patch_num_hunks) X(git_patch_get_hunk) X(git_patch_free) X(git_blob_lookup) \
	X(git_blob_rawsize) X(git_blob_rawcontent) X(git_blob_free)

struct gitlib {
#define GITLIB_FIELD(f) __typeof__(&f) f;
	GITLIB_FUNCTIONS(GITLIB_FIELD)
#undef GITLIB_FIELD
};
extern struct gitlib gitlib;
#define GIT(f) (gitlib.f)

/* Forget libgit2's last error, if libgit2 was ever loaded. */
static inline void gitlib_error_clear(void)
{
	if (gitlib.git_error_clear)
		gitlib.git_error_clear();
}

/* Load libgit2 and initialise it. Returns 0, or -1 with a message. */
int gitlib_load(struct strbuf *err);

#endif
