/* gitlib.c — libgit2 through dlopen (gitlib.h). */
#include "gitlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#ifndef GIT2_SONAME
#define GIT2_SONAME "libgit2.so"
#endif

struct gitlib gitlib;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];

static void load(void)
{
	const char *name = GIT2_SONAME[0] ? GIT2_SONAME : "libgit2.so";
	void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(load_error, sizeof(load_error), "cannot load libgit2 (%s): %s; install "
			 "Debian's libgit2 (make deps does)", name, dlerror());
		return;
	}
#define GITLIB_LOAD(f) \
	if (!load_error[0] && !(*(void **)&gitlib.f = dlsym(h, #f))) \
		snprintf(load_error, sizeof(load_error), "libgit2 (%s) has no %s", name, #f);
	GITLIB_FUNCTIONS(GITLIB_LOAD)
#undef GITLIB_LOAD
	if (!load_error[0] && gitlib.git_libgit2_init() < 0)
		snprintf(load_error, sizeof(load_error), "cannot initialise libgit2");
	/* cidx only reads repositories and runs nothing they configure, so
	 * whose repository it is does not matter (safe.directory) */
	if (!load_error[0])
		gitlib.git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
}

int gitlib_load(struct strbuf *err)
{
	pthread_once(&once, load);
	if (load_error[0]) {
		sb_adds(err, load_error);
		return -1;
	}
	return 0;
}
