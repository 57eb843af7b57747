/* An initializer the parser takes for a block running on over the next
 * definitions; an empty body closing on its header's line. */
static const unsigned char group_mask[6] __aligned(2) = {0x01, 0, 0, 0, 0, 0};

#define FULL_MASK	((unsigned short)~0)

static inline void fill_mask(unsigned int *mask)
{
	mask[0] = mask[1] = ~(unsigned int)0;
}

static int apply_mask(const unsigned char *addr)
{
	return compare_masked(addr, group_mask);
}

#ifdef CONFIG_TRACE_ME
static __printf(2, 3)
void trace_me(struct ctx *c, const char *fmt, ...)
{
	emit_trace(c, fmt);
}
#else
static __printf(2,3) void trace_me(struct ctx *c, const char *fmt, ...) {}
#endif

unsigned int
start_request(struct ctx *c)
{
	trace_me(c, "start");
	return begin(c);
}
