/* Declarations of functions are prototypes, never definitions or callers. */
int foo(int);
extern void bar(void);
static long baz(const char *s, ...);
int first(void), second(int), not_a_function;
char *dup_string(const char *s);
void (*get_callback(int id))(void *);
int old_prototype();

/* pointers to functions are variables, not prototypes */
int (*handler)(int);
void (*handlers[4])(void);
extern int (*hook)(void);

int foo(int x)
{
	/* a block-scope prototype is a declaration in a body: not extracted */
	extern int helper(int);
	return helper(x) + baz("%d", x);
}
