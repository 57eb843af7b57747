/* Iterator macros used as statements: the macro is a call and its body
 * stays in the enclosing function (the parser sees calls without ';',
 * nested "definitions" or macro types). */
struct item { struct list_head node; int weight; };

static int sum_weights(struct list_head *head)
{
	struct item *pos;
	int total = 0;

	list_for_each_entry(pos, head, node) {
		total += item_weight(pos);
	}
	return total;
}

static void reset_all(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		reset_counter(cpu);
		per_cpu_ptr(counters, cpu)->value = 0;
	}
	for_each_online_cpu(cpu)
		flush_counter(cpu);
}

static void walk_groups(struct group *g)
{
	for_each_group(g)
		group_of(g)->visited = true;
	for_each_group_safe(g, next) mark_group(g, next);
	rcu_read_lock();
	hlist_for_each_entry_rcu(g, &group_hash, link)
		if (group_busy(g))
			wake_group(g);
	rcu_read_unlock();
}

static unsigned long count_pages(void)
{
	unsigned long n = 0;
	int node;

	for_each_node(node)
		n += node_pages(NODE_INFO(node));
	return n;
}

/* macros used as statements without a semicolon */
static void drain(struct pool *p)
{
	ASSERT_POOL_LOCKED(p)
	pool_release_all(p);
	DEBUG_CHECKPOINT()
	if (pool_empty(p))
		pool_free(p);
}
