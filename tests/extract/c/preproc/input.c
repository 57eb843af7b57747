/* Conditional compilation: code in every branch is extracted. */
void a(void);
void b(void);
void c(void);
void d(void);

#ifdef CONFIG_FAST
static int mode(void)
{
	return 1;
}
#elif defined(CONFIG_SLOW)
static int mode(void)
{
	return 2;
}
#else
int mode(void) { return 0; }
#endif

#if CONFIG_LEVEL > 2
struct level_info { int level; };
# define LEVEL_NAME "high"
#endif

void branches(int x)
{
#ifdef CONFIG_A
	a();
#elif CONFIG_B
	b();
#else
	c();
#endif
	if (x) {
#if defined(CONFIG_C)
		d();
#endif
	}
#ifndef CONFIG_D
	switch (x) {
	case 1:
		a();
		break;
	}
#endif
}

#ifdef CONFIG_SPLIT_HEADER
int split(int x, int y)
#else
int split(int x)
#endif
{
	return x;
}

#ifdef __cplusplus
extern "C" {
#endif
void exported(void) { a(); }
#ifdef __cplusplus
}
#endif
