// Free functions, prototypes, templates, operators, variables, macros.
#define LIMIT 10
#define TWICE(x) ((x) * 2)

int plain(int a, int b)
{
	return a + b;
}

static int helper(void) { return 1; }

int prototype(int);
extern int counter;
extern int initialised = 3;
int global_value = 1;
static const char *name_table[] = { "a" };

int *pointer_result(int n)
{
	return nullptr;
}

template <typename T>
T biggest(T a, T b)
{
	return a > b ? a : b;
}

template <>
int biggest<int>(int a, int b)
{
	return a;
}

struct Point { int x, y; };

bool operator==(const Point &a, const Point &b)
{
	return a.x == b.x;
}

typedef unsigned long size_type;
using Callback = void (*)(int);

namespace {
int hidden(int x) { return x; }
int hidden_var;
}

int main()
{
	return plain(1, 2) + helper();
}

__attribute__((aligned(16))) static char buffer[64];
[[nodiscard("check it")]] int checked() { return compute(); }

void local_types()
{
	typedef int local_int;
	struct pair { int a, b; };
}
