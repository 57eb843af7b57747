/* Object-like and function-like macros; their bodies are opaque text. */
#define BUFFER_SIZE 4096
#define EMPTY
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define LOG(fmt, ...) log_write(__FILE__, __LINE__, fmt, __VA_ARGS__)
#define NOT_A_CALL (1)
#define MULTI_LINE(x)				\
	do {					\
		prepare(x);			\
		commit(x);			\
	} while (0)
#define STRINGIFY(x) #x
#ifndef GUARD
#define GUARD 1
#endif
#undef EMPTY

int clamp(int v)
{
#define LOCAL_LIMIT 100
	/* a macro used in code is called like a function */
	return MAX(v, LOCAL_LIMIT);
#undef LOCAL_LIMIT
}
