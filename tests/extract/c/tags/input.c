/* struct/union/enum tags (definitions only), typedefs and enumerators. */
struct node;                  /* a forward declaration: not a definition */
struct node *head;            /* a reference: not a definition */

struct node {
	int value;            /* fields are not symbols */
	struct node *next;
};

union number {
	int i;
	double d;
};

enum state {
	STATE_IDLE,
	STATE_BUSY = 4,
	STATE_DONE,
};

enum {
	ANON_A,
	ANON_B
};

typedef struct list {
	struct node *first;
	/* a tag defined inside another belongs to it */
	struct list_stats {
		unsigned count;
	} stats;
	union {
		int flags;
		void *owner;
	} u;
} list_t;

typedef struct {
	int w, h;
} size_t2;

typedef enum mode { MODE_READ, MODE_WRITE } mode_t2;

typedef unsigned int uint, *uint_ptr;
typedef int (*compare_fn)(const void *, const void *);
typedef char name_buf[32];
typedef _Bool bool;

struct outer_ref { struct node n; } instance;

void use_local_types(void)
{
	/* types local to a function belong to it */
	struct local_pair { int a, b; } pair = { 1, 2 };
	enum local_kind { LOCAL_ONE } kind = LOCAL_ONE;
	typedef int local_int;
	local_int v = pair.a + (int)kind;
	(void)v;
}
