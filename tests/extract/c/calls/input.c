/* Direct calls: position of the callee name, enclosing function. */
int f(int);
int g(int);
int h(int, int);
void log_msg(const char *fmt, ...);

int several_per_line(int x)
{
	f(x); g(x); h(x, x);
	return f(g(x));                 /* nested: two sites */
}

int not_calls(int x)
{
	int n = sizeof(x) + sizeof(int);   /* sizeof is no call */
	long l = (long)(x);                /* a cast of a parenthesized value */
	unsigned u = (unsigned)(x + 1);
	if (x) while (x--) for (;;) switch (x) { default: return (n); }
	return (int)l + (int)u;
}

static int chained(int x)
{
	return h(f(x),
		 g(h(x,
		     f(0))));
}

void variadic(void)
{
	log_msg("%d %s\n", f(1), "text");
}

int recursive(int n)
{
	return n <= 0 ? 0 : recursive(n - 1) + 1;
}

void statement_expressions(int x)
{
	int y = ({ int t = f(x); t + g(t); });
	(void)y;
}
