/* Function definitions of every declarator shape. */
#include <stddef.h>

int plain(int a, int b)
{
	return a + b;
}

static int helper(void) { return 1; }

static inline unsigned fast_hash(unsigned x)
{
	return x * 2654435761u;
}

inline void only_inline(void) {}

static int *int_ptr(void)
{
	static int cell;
	return &cell;
}

char **strings(void)
{
	return NULL;
}

const char *const *
name_table(size_t *count)
{
	*count = 0;
	return NULL;
}

/* old-style (K&R) definition: the parameter declarations are no variables */
int old_style(a, b)
	int a;
	char *b;
{
	return a + (b != NULL);
}

/* a parenthesized declarator keeps a function-like macro from expanding */
int (wrapped)(int x)
{
	return x;
}

/* returns a pointer to a function taking a double */
int (*pick_handler(int kind))(double)
{
	(void)kind;
	return NULL;
}

static void (*signal_like(int sig, void (*handler)(int)))(int)
{
	(void)sig;
	return handler;
}

struct point { int x, y; };

struct point make_point(int x, int y)
{
	struct point p = { x, y };
	return p;
}

enum color { RED };

enum color default_color(void) { return RED; }

unsigned long long
multi_line_header(unsigned long long a,
		  unsigned long long b)
{
	return a * b;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return plain(1, 2) + helper();
}
