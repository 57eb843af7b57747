/* File-scope variables: definitions only, never locals or extern declarations. */
struct ops {
	int (*open)(const char *path);
	void (*close)(int fd);
};

int counter = 0;
static int hidden;
unsigned long table[16], *cursor = table;
const char *const names[] = { "a", "b" };
static struct ops default_ops = {
	.open = 0,
	.close = 0,
};
extern int declared_elsewhere;        /* a declaration, not a definition */
extern int defined_with_extern = 3;   /* an initializer makes it a definition */
static char buffer[64] __attribute__((aligned(8)));
volatile int *const status_reg = (int *)0x1000;
struct { int x; } anonymous_holder;

int bump(int by)
{
	int local = counter;          /* locals are not symbols */
	static int calls;             /* nor are block-scope statics */
	calls++;
	counter = local + by;
	return counter + hidden + (int)buffer[0] + calls;
}

int after_function = 1;
