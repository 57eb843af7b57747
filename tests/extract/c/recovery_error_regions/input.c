/* Regions the parser can not make sense of: definitions and calls in and
 * after them are recovered from the text (headers before a '{', bodies
 * ending at the next '}' in column 1). */
static void mark_skip(struct entity *se)
{
	for_each_entity(se)
		entity_of(se)->skip = se;
}

/* after the statement above the parser runs the body on past its '}' */
static void check_preempt(struct queue *q, struct task *p, int flags)
{
	struct entity *se = task_entity(p);

	if (unlikely(se == q->curr))
		return;
	update_curr(queue_of(se));
	if (wakeup_preempt(se, flags))
		resched(q);
}

unsigned long long total_switches(void)
{
	unsigned long long sum = 0;
	int i;

	for_each_possible_cpu(i)
		sum += queue_of_cpu(i)->switches;
	return sum;
}

unsigned int waiting_on(int cpu)
{
	return atomic_read(&queue_of_cpu(cpu)->waiting);
}

/* a macro defined inside a function, with a '}' in column 1 */
static int setup_chunk(const struct layout *ai)
{
	int n = 0;

#define CHECK_LAYOUT(cond)	do {					\
	if (unlikely(cond)) {						\
		report_layout(ai);					\
		panic("bad layout: %s\n", #cond);			\
	}								\
} while (0)

	CHECK_LAYOUT(ai->count <= 0);
	n = layout_units(ai);
	return n;
}

static int __printf(2, 3) log_event(int level, const char *fmt, ...)
{
	return emit_event(level, fmt);
}
