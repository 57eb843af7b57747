/* Calls outside any function have no caller ("-"). */
int f(int);
int g(void);
struct s { int a; int b; };

int x = f(1);
static struct s y = { .a = g(), .b = f(2) };
int table[] = { f(3), f(4) };

/* a macro invocation at file scope is a call too */
REGISTER_THING(x);
DECLARE_THING(y, f);

int inside(void)
{
	return f(x) + g();
}

int after = f(5);
