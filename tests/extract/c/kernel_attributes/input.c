/* Kernel-style annotations the parser does not know: a function is named by
 * the identifier right before its parameters, never by an annotation. */
static int __init widget_init(void)
{
	return widget_register(&widget_driver);
}

static void __exit widget_exit(void)
{
	widget_unregister(&widget_driver);
}

int __weak arch_widget_setup(void)
{
	return 0;
}

static __always_inline int widget_fast_path(int v)
{
	return widget_slow_path(v) + 1;
}

static void __cold widget_report(const char *msg)
{
	printk("%s\n", msg);
}

static noinline void __sched widget_wait(struct widget *w)
{
	schedule_timeout(w->timeout);
}

void __attribute__((weak)) widget_hook(void)
{
	widget_default_hook();
}

static void widget_lock(struct widget *w)
	__acquires(&w->lock)
{
	spin_lock(&w->lock);
}

static void widget_unlock(struct widget *w) __releases(&w->lock)
{
	spin_unlock(&w->lock);
}

static int widget_count(struct widget *w) __must_hold(&w->lock)
{
	return w->count;
}

static __printf(2, 3) int widget_log(struct widget *w, const char *fmt, ...)
{
	return vprint_widget(w, fmt);
}

static int __printf(3, 0) __init
widget_vlog(struct widget *w, int level, const char *fmt, va_list ap)
{
	char line[80];

	return widget_format(line, sizeof(line), fmt, ap);
}

bool __init __attribute((weak)) arch_widget_valid(unsigned long size)
{
	return size == WIDGET_SIZE;
}

static char *widget_name __initdata;
static int widget_table[4] __read_mostly;
