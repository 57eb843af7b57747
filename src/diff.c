/* diff.c — working tree against a revision, through libgit2 (diff.h). */
#include "diff.h"
#include "scan.h"

#include "gitlib.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void diff_files_free(struct diff_file *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].path);
		free(f[i].old_path);
		free(f[i].now);
		free(f[i].cuts);
		free(f[i].old);
		free(f[i].old_content);
	}
	free(f);
}

static void add_range(struct line_range **v, size_t *n, size_t *cap, uint32_t first, uint32_t last)
{
	ARRAY_GROW(*v, *cap, *n + 1);
	(*v)[(*n)++] = (struct line_range){ first, last };
}

static const char *git_message(void)
{
	const git_error *e = GIT(git_error_last)();
	return e && e->message ? e->message : "unknown libgit2 error";
}

int diff_workdir(const char *root, const char *rev, struct diff_file **files, size_t *n,
		 struct strbuf *err)
{
	git_repository *repo = NULL;
	git_object *obj = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	struct stat st;
	size_t cap = 0;
	int rc = -1;
	char *dotgit = xasprintf("%s/.git", root);

	*files = NULL;
	*n = 0;
	if (lstat(dotgit, &st) < 0) {
		sb_addf(err, "'%s' is not a git repository (no .git): impact --diff compares the "
			"working tree with a git revision", root);
		free(dotgit);
		return -1;
	}
	free(dotgit);
	if (scan_open_git(root, &repo, err) < 0)
		return -1;
	GIT(git_diff_options_init)(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (!rev)
		rev = "HEAD";
	if (GIT(git_revparse_single)(&obj, repo, rev) < 0 ||
	    GIT(git_object_peel)((git_object **)&tree, obj, GIT_OBJECT_TREE) < 0) {
		sb_addf(err, "unknown revision '%s' in '%s': %s", rev, root, git_message());
		goto out;
	}
	opts.context_lines = 0;
	opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
		     GIT_DIFF_SHOW_UNTRACKED_CONTENT;
	if (GIT(git_diff_tree_to_workdir_with_index)(&diff, repo, tree, &opts) < 0) {
		sb_addf(err, "cannot diff '%s' against %s: %s", root, rev, git_message());
		goto out;
	}
	for (size_t d = 0; d < GIT(git_diff_num_deltas)(diff); d++) {
		const git_diff_delta *delta = GIT(git_diff_get_delta)(diff, d);
		git_patch *patch = NULL;
		struct diff_file *f;
		size_t ncap = 0, ocap = 0, ccap = 0;
		if (delta->flags & GIT_DIFF_FLAG_BINARY)
			continue;
		if (GIT(git_patch_from_diff)(&patch, diff, d) < 0) {
			sb_addf(err, "cannot read the changes of '%s': %s", delta->new_file.path,
				git_message());
			goto out;
		}
		if (!patch || (GIT(git_patch_get_delta)(patch)->flags & GIT_DIFF_FLAG_BINARY)) {
			GIT(git_patch_free)(patch);
			continue;
		}
		ARRAY_GROW(*files, cap, *n + 1);
		f = &(*files)[(*n)++];
		memset(f, 0, sizeof(*f));
		if (delta->status != GIT_DELTA_DELETED)
			f->path = xstrdup(delta->new_file.path);
		if (delta->status != GIT_DELTA_ADDED && delta->status != GIT_DELTA_UNTRACKED) {
			git_blob *blob = NULL;
			f->old_path = xstrdup(delta->old_file.path);
			if (GIT(git_blob_lookup)(&blob, repo, &delta->old_file.id) == 0) {
				f->old_len = (size_t)GIT(git_blob_rawsize)(blob);
				f->old_content = xmalloc(f->old_len + 1);
				memcpy(f->old_content, GIT(git_blob_rawcontent)(blob), f->old_len);
				f->old_content[f->old_len] = 0;
				GIT(git_blob_free)(blob);
			}
		}
		for (size_t h = 0; h < GIT(git_patch_num_hunks)(patch); h++) {
			const git_diff_hunk *hk;
			size_t nlines;
			if (GIT(git_patch_get_hunk)(&hk, &nlines, patch, h) < 0)
				continue;
			if (hk->new_lines)
				add_range(&f->now, &f->nnow, &ncap, (uint32_t)hk->new_start,
					  (uint32_t)(hk->new_start + hk->new_lines - 1));
			else {  /* lines removed after line new_start */
				ARRAY_GROW(f->cuts, ccap, f->ncuts + 1);
				f->cuts[f->ncuts++] = (uint32_t)hk->new_start;
			}
			if (hk->old_lines)
				add_range(&f->old, &f->nold, &ocap, (uint32_t)hk->old_start,
					  (uint32_t)(hk->old_start + hk->old_lines - 1));
		}
		GIT(git_patch_free)(patch);
	}
	rc = 0;
out:
	if (rc < 0) {
		diff_files_free(*files, *n);
		*files = NULL;
		*n = 0;
	}
	GIT(git_diff_free)(diff);       /* (all accept NULL) */
	GIT(git_tree_free)(tree);
	GIT(git_object_free)(obj);
	GIT(git_repository_free)(repo);
	gitlib_error_clear();
	return rc;
}
